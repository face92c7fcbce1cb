package txn

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

// failGate holds the next fsync of a WAL segment once armed, and lets it
// finish with the error release is given.
type failGate struct {
	mu      sync.Mutex
	armed   bool
	arrived chan struct{}
	result  chan error
}

func newFailGate(fs *vfs.MemFS) *failGate {
	g := &failGate{arrived: make(chan struct{}, 1), result: make(chan error, 1)}
	fs.InjectError(func(op vfs.Op, name string) error {
		if op != vfs.OpSync || !strings.HasSuffix(name, ".wal") {
			return nil
		}
		g.mu.Lock()
		armed := g.armed
		g.armed = false
		g.mu.Unlock()
		if !armed {
			return nil
		}
		g.arrived <- struct{}{}
		return <-g.result
	})
	return g
}

func (g *failGate) arm() {
	g.mu.Lock()
	g.armed = true
	g.mu.Unlock()
}

func (g *failGate) waitArrival(t *testing.T) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("no WAL fsync arrived")
	}
}

func writeRow(t *testing.T, store Storage, tx *Txn, key string) {
	t.Helper()
	var b lsm.Batch
	b.Set([]byte(key), []byte("x"))
	if _, err := store.Write(&b); err != nil {
		t.Fatalf("Write: %v", err)
	}
	tx.MarkWrote()
}

// waitNextRev waits until the revision after rev-1 is taken: a commit
// record is written.
func waitNextRev(t *testing.T, m *Manager, rev Rev) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		m.commitMu.Lock()
		next := m.nextRev
		m.commitMu.Unlock()
		if next >= rev {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("next revision still %d, want %d", next, rev)
		}
		runtime.Gosched()
	}
}

// canceledCtx is done already: WaitFor with it returns nil at once if the
// holder has ended, and 57014 if it would have to wait.
func canceledCtx() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestCommitVisibleOnlyWhenDurable holds the fsync of a commit record and
// then fails it. While it is held the commit is invisible to everyone: it
// is in progress for StatusOf, a waiter still waits, a new snapshot does not
// see it. After the failure nobody ever sees it: the waiter wakes to an
// aborted transaction, the committer gets the unknown-outcome error, the
// revision is a hole that does not block a later (asynchronous) commit, and
// every later write fails while reads go on.
func TestCommitVisibleOnlyWhenDurable(t *testing.T) {
	fs := vfs.NewMem()
	store, err := checkpoint.Open(fs, dataDir, checkpoint.Options{WALSegmentBytes: 4096, WALWriterDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m := openManager(t, store)
	gate := newFailGate(fs)
	// On an early failure, let a held fsync go so that Close returns.
	defer func() {
		select {
		case gate.result <- syscall.EIO:
		default:
		}
	}()
	holder, waiter, async := begin(t, m), begin(t, m), begin(t, m)
	writeRow(t, store, holder, "row/1")
	before := m.Published()

	waited := make(chan error, 1)
	go func() { waited <- m.WaitFor(context.Background(), waiter.XID, holder.XID, 0) }()
	gate.arm()
	committed := make(chan error, 1)
	go func() { committed <- holder.Commit() }()
	gate.waitArrival(t)

	// The commit record is written, its fsync is in flight.
	if st, _ := m.StatusOf(holder.XID); st != InProgress {
		t.Fatalf("StatusOf during the fsync = %v, want InProgress", st)
	}
	if err := m.WaitFor(canceledCtx(), waiter.XID, holder.XID, 0); pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("WaitFor during the fsync = %v, want it to wait (57014 with a done context)", err)
	}
	if m.ReadSnapshot().Visible(Version{Xmin: holder.XID}) {
		t.Fatal("a new snapshot sees the commit during its fsync")
	}
	select {
	case err := <-waited:
		t.Fatalf("the waiter woke during the fsync: %v", err)
	default:
	}
	// An asynchronous commit after it takes the next revision and waits
	// for the held one to be settled.
	writeRow(t, store, async, "row/2")
	async.SetSynchronousCommit(false)
	asyncDone := make(chan error, 1)
	go func() { asyncDone <- async.Commit() }()
	waitNextRev(t, m, before+3)

	gate.result <- syscall.EIO
	err = <-committed
	if !errors.Is(err, ErrCommitUnknown) || !errors.Is(err, syscall.EIO) || pgerr.Code(err) != pgerr.IOError {
		t.Fatalf("Commit with a failed fsync: %v (SQLSTATE %s), want ErrCommitUnknown with 58030", err, pgerr.Code(err))
	}
	if pe := pgerr.Shown(err); pe == nil || !strings.Contains(pe.Message, "outcome of the commit") || !strings.Contains(pe.Message, `could not fsync file "wal/`) {
		t.Fatalf("Commit error shown as %+v", pe)
	}
	if err := <-waited; err != nil {
		t.Fatalf("waiter: %v", err)
	}
	if st, _ := m.StatusOf(holder.XID); st != Aborted {
		t.Fatalf("StatusOf after the failed fsync = %v, want Aborted", st)
	}
	if err := <-asyncDone; err != nil {
		t.Fatalf("asynchronous commit after the hole: %v", err)
	}
	snap := m.ReadSnapshot()
	if snap.Visible(Version{Xmin: holder.XID}) || !snap.Visible(Version{Xmin: async.XID}) {
		t.Fatalf("snapshot at %d: failed commit visible %v, async commit visible %v",
			snap.Rev, snap.Visible(Version{Xmin: holder.XID}), snap.Visible(Version{Xmin: async.XID}))
	}
	if got := m.Published(); got != before+2 {
		t.Fatalf("published %d, want %d (the hole and the async commit)", got, before+2)
	}
	// Fail-stop: writes fail, reads (and the transaction ids they need)
	// go on, past the block of ids reserved before.
	for range counterBlock + 1 {
		tx := begin(t, m)
		tx.Rollback()
	}
	var b lsm.Batch
	b.Set([]byte("row/3"), []byte("x"))
	if _, err := store.Write(&b); pgerr.Code(err) != pgerr.IOError {
		t.Fatalf("Write after the failure: %v, want 58030", err)
	}
	if _, ok, err := store.Get([]byte("row/1")); err != nil || !ok {
		t.Fatalf("read after the failure: %v %v", ok, err)
	}
}

// TestCommitRefusedOnFullDisk fills the disk so that the log cannot take
// the commit record: the commit fails with 53100 and aborts, takes no
// revision, and once space is back the next commit succeeds.
func TestCommitRefusedOnFullDisk(t *testing.T) {
	fs := vfs.NewMem()
	store, err := checkpoint.Open(fs, dataDir, checkpoint.Options{WALSegmentBytes: 4096, WALWriterDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m := openManager(t, store)
	tx, other := begin(t, m), begin(t, m)
	// Fill the first segment so that the commit record needs a second.
	var b lsm.Batch
	b.Set([]byte("row/fill"), make([]byte, 4000))
	if _, err := store.Write(&b); err != nil {
		t.Fatal(err)
	}
	tx.MarkWrote()
	fs.SetQuota(fs.Used())
	before := m.Published()
	waited := make(chan error, 1)
	go func() { waited <- m.WaitFor(context.Background(), other.XID, tx.XID, 0) }()
	err = tx.Commit()
	if pgerr.Code(err) != pgerr.DiskFull || errors.Is(err, ErrCommitUnknown) {
		t.Fatalf("Commit on a full disk: %v (SQLSTATE %s), want 53100", err, pgerr.Code(err))
	}
	if st, _ := m.StatusOf(tx.XID); st != Aborted {
		t.Fatalf("StatusOf = %v, want Aborted", st)
	}
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if m.Published() != before {
		t.Fatalf("published moved from %d to %d for a refused commit", before, m.Published())
	}
	fs.SetQuota(0)
	if rev := commitWrite(t, store, other); rev != before+1 {
		t.Fatalf("commit after space came back at revision %d, want %d", rev, before+1)
	}
	if st := statusAfterCrash(t, fs, tx.XID, other.XID); st[0] != Aborted || st[1] != Committed {
		t.Fatalf("after a crash: refused %v, acknowledged %v", st[0], st[1])
	}
}

// TestCommitPreparedUnknown fails the fsync of COMMIT PREPARED: the
// transaction is not visible and stays prepared in this process (a restart
// finds it committed or still prepared), and the error says the outcome is
// unknown.
func TestCommitPreparedUnknown(t *testing.T) {
	fs := vfs.NewMem()
	store, err := checkpoint.Open(fs, dataDir, checkpoint.Options{WALSegmentBytes: 4096, WALWriterDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m := openManager(t, store)
	tx := begin(t, m)
	writeRow(t, store, tx, "row/p")
	if err := m.Prepare(tx, "g1", nil); err != nil {
		t.Fatal(err)
	}
	gate := newFailGate(fs)
	gate.arm()
	gate.result <- syscall.EIO
	err = m.CommitPrepared("g1")
	if !errors.Is(err, ErrCommitUnknown) || pgerr.Code(err) != pgerr.IOError {
		t.Fatalf("CommitPrepared with a failed fsync: %v, want ErrCommitUnknown with 58030", err)
	}
	if st, _ := m.StatusOf(tx.XID); st != InProgress {
		t.Fatalf("StatusOf = %v, want InProgress (still prepared)", st)
	}
	if p := m.Prepared(); len(p) != 1 || p[0].GID != "g1" {
		t.Fatalf("prepared after the failure: %v", p)
	}
	if m.ReadSnapshot().Visible(Version{Xmin: tx.XID}) {
		t.Fatal("a snapshot sees the prepared transaction whose commit failed")
	}
	if st := statusAfterCrash(t, fs, tx.XID); st[0] != InProgress && st[0] != Committed {
		t.Fatalf("after a crash: %v, want prepared or committed", st[0])
	}
}
