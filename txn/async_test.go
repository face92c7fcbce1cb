package txn

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

// syncGate holds every fsync of a WAL segment while closed, and counts them.
type syncGate struct {
	mu      sync.Mutex
	open    chan struct{} // closed when the gate opens
	arrived chan struct{} // receives once per fsync that waits at the gate
	syncs   int
}

func newSyncGate(fs *vfs.MemFS) *syncGate {
	g := &syncGate{open: make(chan struct{}), arrived: make(chan struct{}, 16)}
	fs.InjectError(func(op vfs.Op, name string) error {
		if op != vfs.OpSync || !strings.HasSuffix(name, ".wal") {
			return nil
		}
		g.mu.Lock()
		g.syncs++
		open := g.open
		g.mu.Unlock()
		select {
		case <-open:
		default:
			g.arrived <- struct{}{}
			<-open
		}
		return nil
	})
	return g
}

func (g *syncGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.open)
}

func (g *syncGate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = make(chan struct{})
}

func (g *syncGate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.syncs
}

// waitArrival fails the test if no fsync reaches the gate; the bound only
// catches a hang.
func (g *syncGate) waitArrival(t *testing.T, what string) {
	t.Helper()
	select {
	case <-g.arrived:
	case <-time.After(30 * time.Second):
		t.Fatalf("no WAL fsync arrived: %s", what)
	}
}

// commitAsync writes a key for tx and commits it with synchronous_commit =
// off, failing the test if Commit waits for the (held) fsync.
func commitAsync(t *testing.T, store Storage, tx *Txn) {
	t.Helper()
	var b lsm.Batch
	b.Set([]byte("row/async"), []byte("x"))
	if _, err := store.Write(&b); err != nil {
		t.Fatal(err)
	}
	tx.MarkWrote()
	tx.SetSynchronousCommit(false)
	done := make(chan error, 1)
	go func() { done <- tx.Commit() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("async Commit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("async Commit waited for the WAL fsync")
	}
}

func statusAfterCrash(t *testing.T, fs *vfs.MemFS, xids ...XID) []Status {
	t.Helper()
	store := openStore(t, fs.CrashClone())
	m := openManager(t, store)
	var out []Status
	for _, x := range xids {
		st, _ := m.StatusOf(x)
		out = append(out, st)
	}
	return out
}

// TestAsyncCommit checks synchronous_commit = off: Commit returns and
// publishes while the WAL fsync is held; the log's background writer then
// makes the commit durable on its own; and a synchronous commit made after
// an asynchronous one brings the asynchronous one to disk with it.
func TestAsyncCommit(t *testing.T) {
	fs := vfs.NewMem()
	store, err := checkpoint.Open(fs, dataDir, checkpoint.Options{WALSegmentBytes: 4096, WALWriterDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	m := openManager(t, store)
	// Begin reserves transaction ids durably (an fsync), so begin before
	// the gate holds fsyncs.
	async, async2, sync2 := begin(t, m), begin(t, m), begin(t, m)
	gate := newSyncGate(fs)

	// 1. An asynchronous commit returns and is visible before any sync.
	commitAsync(t, store, async)
	if st, rev := m.StatusOf(async.XID); st != Committed || m.Published() < rev {
		t.Fatalf("async commit: status %v rev %d, published %d", st, rev, m.Published())
	}
	if !m.ReadSnapshot().Visible(Version{Xmin: async.XID}) {
		t.Fatal("async commit not visible to a new snapshot")
	}
	// The background writer comes to sync it; a crash now loses it.
	gate.waitArrival(t, "the background writer never synced the async commit")
	if st := statusAfterCrash(t, fs, async.XID); st[0] != Aborted {
		t.Fatalf("async commit %v after a crash before any sync, want Aborted", st[0])
	}
	// Let the background writer finish: then the commit is durable, and
	// a Sync of everything finds nothing left to do.
	gate.release()
	before := gate.count()
	if err := store.Sync(^uint64(0) >> 1); err != nil {
		t.Fatal(err)
	}
	if n := gate.count(); n != before {
		t.Fatalf("Sync after the background flush did %d more fsyncs: the background writer did not sync", n-before)
	}
	if st := statusAfterCrash(t, fs, async.XID); st[0] != Committed {
		t.Fatalf("async commit %v after the background flush and a crash, want Committed", st[0])
	}

	// 2. An asynchronous commit followed by a synchronous one: whenever
	// the synchronous one survives a crash, so does the asynchronous one.
	gate.close()
	commitAsync(t, store, async2)
	syncDone := make(chan error, 1)
	go func() {
		var b lsm.Batch
		b.Set([]byte("row/sync"), []byte("x"))
		if _, err := store.Write(&b); err != nil {
			syncDone <- err
			return
		}
		sync2.MarkWrote()
		syncDone <- sync2.Commit()
	}()
	gate.waitArrival(t, "no sync for the synchronous commit")
	st := statusAfterCrash(t, fs, async2.XID, sync2.XID)
	if st[1] == Committed && st[0] != Committed {
		t.Fatalf("crash while held: sync commit %v but the earlier async commit %v", st[1], st[0])
	}
	gate.release()
	if err := <-syncDone; err != nil {
		t.Fatalf("sync Commit: %v", err)
	}
	st = statusAfterCrash(t, fs, async2.XID, sync2.XID)
	if st[0] != Committed || st[1] != Committed {
		t.Fatalf("after the synchronous commit returned and a crash: async %v, sync %v; want both Committed", st[0], st[1])
	}
	if a, s := mustRev(t, m, async2.XID), mustRev(t, m, sync2.XID); a >= s {
		t.Fatalf("async rev %d not before sync rev %d", a, s)
	}
}

func mustRev(t *testing.T, m *Manager, xid XID) Rev {
	t.Helper()
	st, rev := m.StatusOf(xid)
	if st != Committed {
		t.Fatalf("xid %d: %v", xid, st)
	}
	return rev
}
