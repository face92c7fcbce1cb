package txn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

var seedFlag = flag.Int64("seed", 0, "seed for randomized tests (0 = time-based)")

func newRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return rand.New(rand.NewSource(seed))
}

const dataDir = "data"

func openStore(t *testing.T, fs vfs.FS) *checkpoint.Store {
	t.Helper()
	s, err := checkpoint.Open(fs, dataDir, checkpoint.Options{WALSegmentBytes: 4096})
	if err != nil {
		t.Fatalf("checkpoint.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openManager(t *testing.T, store Storage) *Manager {
	t.Helper()
	m, err := Open(store)
	if err != nil {
		t.Fatalf("txn.Open: %v", err)
	}
	return m
}

func begin(t *testing.T, m *Manager) *Txn {
	t.Helper()
	tx, err := m.Begin()
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return tx
}

// commitWrite commits tx after writing one key for it, so that its commit
// is logged and it gets a revision.
func commitWrite(t *testing.T, store Storage, tx *Txn) Rev {
	t.Helper()
	var b lsm.Batch
	b.Set([]byte(fmt.Sprintf("row/%d", tx.XID)), []byte("x"))
	if _, err := store.Write(&b); err != nil {
		t.Fatalf("Write: %v", err)
	}
	tx.MarkWrote()
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	st, rev := tx.m.StatusOf(tx.XID)
	if st != Committed {
		t.Fatalf("xid %d: status %v after Commit, want Committed", tx.XID, st)
	}
	return rev
}

func TestSnapshotVisible(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)

	before := begin(t, m)
	commitWrite(t, store, before)
	before2 := begin(t, m)
	commitWrite(t, store, before2)
	aborted := begin(t, m)
	aborted.MarkWrote()
	aborted.Rollback()
	running := begin(t, m)
	defer running.Rollback()
	after := begin(t, m)

	own := begin(t, m)
	defer own.Rollback()
	const cur CID = 2
	snap := m.Snapshot(own, cur)
	commitWrite(t, store, after)
	if st, rev := m.StatusOf(after.XID); st != Committed || rev <= snap.Rev {
		t.Fatalf("setup: committed-after has status %v rev %d, snapshot rev %d", st, rev, snap.Rev)
	}

	X := func(tx *Txn) XID { return tx.XID }
	tests := []struct {
		name string
		v    Version
		want bool
		// created: the snapshot sees the creation (Decide).
		created bool
	}{
		{"own insert, earlier command", Version{Xmin: X(own), Cmin: cur - 1}, true, true},
		{"own insert, same command", Version{Xmin: X(own), Cmin: cur}, false, false},
		{"own insert, later command", Version{Xmin: X(own), Cmin: cur + 1}, false, false},
		{"committed before snapshot", Version{Xmin: X(before)}, true, true},
		{"committed after snapshot", Version{Xmin: X(after)}, false, false},
		{"aborted creator", Version{Xmin: X(aborted)}, false, false},
		{"in-progress creator", Version{Xmin: X(running)}, false, false},
		{"unknown creator", Version{Xmin: 1 << 40}, false, false},
		{"deleted by own earlier command", Version{Xmin: X(before), Xmax: X(own), Cmax: cur - 1}, false, true},
		{"deleted by own same command", Version{Xmin: X(before), Xmax: X(own), Cmax: cur}, true, true},
		{"own insert and delete, earlier commands", Version{Xmin: X(own), Cmin: 0, Xmax: X(own), Cmax: 1}, false, true},
		{"own insert earlier, delete same command", Version{Xmin: X(own), Cmin: 1, Xmax: X(own), Cmax: cur}, true, true},
		{"deleted by committed in snapshot", Version{Xmin: X(before), Xmax: X(before2)}, false, true},
		{"deleted by committed after snapshot", Version{Xmin: X(before), Xmax: X(after)}, true, true},
		{"deleted by in-progress", Version{Xmin: X(before), Xmax: X(running)}, true, true},
		{"deleted by aborted", Version{Xmin: X(before), Xmax: X(aborted)}, true, true},
		{"aborted creator, committed deleter", Version{Xmin: X(aborted), Xmax: X(before2)}, false, false},
	}
	for _, folded := range []bool{false, true} {
		if folded {
			// Fold the commit log: own's snapshot holds the horizon, so
			// the commits before it lose their revisions and the one
			// after it keeps its own; every answer must stay the same.
			m.foldCommitted()
			if st, rev := m.StatusOf(X(before)); st != Committed || rev != 0 {
				t.Fatalf("after fold: committed-before has status %v rev %d, want folded (rev 0)", st, rev)
			}
			if st, rev := m.StatusOf(X(after)); st != Committed || rev <= snap.Rev {
				t.Fatalf("after fold: committed-after has status %v rev %d, want its revision above %d", st, rev, snap.Rev)
			}
		}
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/folded=%v", tc.name, folded), func(t *testing.T) {
				if got := snap.Visible(tc.v); got != tc.want {
					t.Errorf("Visible(%+v) = %v, want %v", tc.v, got, tc.want)
				}
				if created, visible := snap.Decide(tc.v); created != tc.created || visible != tc.want {
					t.Errorf("Decide(%+v) = %v, %v, want %v, %v", tc.v, created, visible, tc.created, tc.want)
				}
			})
		}
	}

	// A snapshot taken now sees the late commit; a snapshot outside any
	// transaction sees no uncommitted command.
	if !m.Snapshot(own, cur).Visible(Version{Xmin: X(after)}) {
		t.Error("new snapshot does not see a commit that returned before it")
	}
	if m.ReadSnapshot().Visible(Version{Xmin: X(own), Cmin: 0}) {
		t.Error("read-only snapshot sees an uncommitted transaction")
	}
}

func TestConflictWith(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	before := begin(t, m)
	commitWrite(t, store, before)
	aborted := begin(t, m)
	aborted.Rollback()
	running := begin(t, m)
	defer running.Rollback()
	after := begin(t, m)
	own := begin(t, m)
	defer own.Rollback()
	snap := m.Snapshot(own, 1)
	commitWrite(t, store, after)

	tests := []struct {
		name string
		xid  XID
		want Conflict
	}{
		{"own", own.XID, NoConflict},
		{"committed in snapshot", before.XID, NoConflict},
		{"committed after snapshot", after.XID, ConflictConcurrent},
		{"in progress", running.XID, ConflictConcurrent},
		{"aborted", aborted.XID, ConflictAborted},
	}
	for _, tc := range tests {
		if got := snap.ConflictWith(tc.xid); got != tc.want {
			t.Errorf("%s: ConflictWith = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// syncTracker wraps a Storage, records the LSN of every commit record and
// how far Sync has been acknowledged, and yields the processor around syncs
// so that commits interleave.
type syncTracker struct {
	Storage
	synced atomic.Uint64

	mu        sync.Mutex
	commitLSN map[XID]uint64
}

func (s *syncTracker) Write(b *lsm.Batch) (uint64, error) {
	lsn, err := s.Storage.Write(b)
	if err != nil {
		return lsn, err
	}
	enc := b.Encode()
	if i := bytes.Index(enc, clogPrefix); i >= 0 && i+len(clogPrefix)+8 <= len(enc) {
		xid := XID(binary.BigEndian.Uint64(enc[i+len(clogPrefix):]))
		s.mu.Lock()
		s.commitLSN[xid] = lsn
		s.mu.Unlock()
	}
	return lsn, nil
}

func (s *syncTracker) Sync(lsn uint64) error {
	runtime.Gosched()
	if err := s.Storage.Sync(lsn); err != nil {
		return err
	}
	for {
		cur := s.synced.Load()
		if cur >= lsn || s.synced.CompareAndSwap(cur, lsn) {
			break
		}
	}
	runtime.Gosched()
	return nil
}

func (s *syncTracker) durable(xid XID) bool {
	s.mu.Lock()
	lsn, ok := s.commitLSN[xid]
	s.mu.Unlock()
	return ok && lsn <= s.synced.Load()
}

// TestCommitPublicationOrder checks invariant 2: while many transactions
// commit at once, every snapshot at revision R sees exactly the commits with
// revision <= R (never one with a larger revision, and never a gap), and
// only commits already durable.
func TestCommitPublicationOrder(t *testing.T) {
	rng := newRand(t)
	tracker := &syncTracker{Storage: openStore(t, vfs.NewMem()), commitLSN: make(map[XID]uint64)}
	m := openManager(t, tracker)

	const workers, perWorker = 8, 40
	var (
		xidsMu sync.Mutex
		xids   []XID
	)
	type observation struct {
		rev     Rev
		visible map[XID]bool
	}
	var observations []observation
	snapshots := 0
	stop := make(chan struct{})
	observerDone := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				observerDone <- nil
				return
			default:
			}
			snap := m.ReadSnapshot()
			xidsMu.Lock()
			known := append([]XID(nil), xids...)
			xidsMu.Unlock()
			visible := make(map[XID]bool)
			for _, x := range known {
				if snap.Visible(Version{Xmin: x}) {
					visible[x] = true
					if !tracker.durable(x) {
						observerDone <- fmt.Errorf("snapshot %d sees xid %d before its commit record is synced", snap.Rev, x)
						return
					}
				}
			}
			if n := len(observations); n == 0 || observations[n-1].rev != snap.Rev {
				observations = append(observations, observation{snap.Rev, visible})
			}
			snapshots++
			runtime.Gosched()
		}
	}()

	seeds := make([]int64, workers)
	for i := range seeds {
		seeds[i] = rng.Int63()
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(r *rand.Rand) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				tx, err := m.Begin()
				if err != nil {
					errs <- err
					return
				}
				xidsMu.Lock()
				xids = append(xids, tx.XID)
				xidsMu.Unlock()
				if r.Intn(5) == 0 {
					tx.Rollback()
					continue
				}
				var b lsm.Batch
				b.Set([]byte(fmt.Sprintf("row/%d", tx.XID)), []byte("x"))
				if _, err := tracker.Write(&b); err != nil {
					errs <- err
					return
				}
				tx.MarkWrote()
				if err := tx.Commit(); err != nil {
					errs <- err
					return
				}
				if !m.Snapshot(tx, 0).Visible(Version{Xmin: tx.XID}) && !m.ReadSnapshot().Visible(Version{Xmin: tx.XID}) {
					errs <- fmt.Errorf("xid %d not visible to a snapshot taken after its Commit returned", tx.XID)
					return
				}
			}
		}(rand.New(rand.NewSource(seeds[w])))
	}
	wg.Wait()
	close(stop)
	if err := <-observerDone; err != nil {
		t.Fatal(err)
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// Final revisions: distinct and gap-free from 1.
	revOf := make(map[XID]Rev)
	seen := make(map[Rev]XID)
	for _, x := range xids {
		st, rev := m.StatusOf(x)
		switch st {
		case Committed:
			if other, dup := seen[rev]; dup {
				t.Fatalf("revision %d given to xids %d and %d", rev, other, x)
			}
			seen[rev] = x
			revOf[x] = rev
		case InProgress:
			t.Fatalf("xid %d still in progress", x)
		}
	}
	for r := Rev(1); r <= Rev(len(seen)); r++ {
		if _, ok := seen[r]; !ok {
			t.Fatalf("revision %d unused among %d commits", r, len(seen))
		}
	}
	if got := m.Published(); got != Rev(len(seen)) {
		t.Fatalf("Published = %d, want %d", got, len(seen))
	}

	if len(observations) == 0 {
		t.Fatal("observer took no snapshots")
	}
	for _, o := range observations {
		for x, rev := range revOf {
			if want := rev <= o.rev; o.visible[x] != want {
				t.Fatalf("snapshot at %d: xid %d (rev %d) visible=%v, want %v", o.rev, x, rev, o.visible[x], want)
			}
		}
		for x := range o.visible {
			if _, ok := revOf[x]; !ok {
				t.Fatalf("snapshot at %d saw xid %d, which never committed", o.rev, x)
			}
		}
	}
	t.Logf("%d commits, %d snapshots, %d revisions checked", len(seen), snapshots, len(observations))
}

func TestCountersUniqueAcrossCrash(t *testing.T) {
	fs := vfs.NewMem()
	store := openStore(t, fs)
	m := openManager(t, store)

	var maxXID XID
	var maxSeq uint64
	var maxOID uint32
	take := func(m *Manager, nXID, nSeq, nOID int) {
		t.Helper()
		for i := 0; i < nXID; i++ {
			tx := begin(t, m)
			if tx.XID <= maxXID {
				t.Fatalf("XID %d not above earlier %d", tx.XID, maxXID)
			}
			maxXID = tx.XID
			tx.Rollback()
		}
		for i := 0; i < nSeq; i++ {
			n, err := m.NextSeq()
			if err != nil {
				t.Fatal(err)
			}
			if n <= maxSeq {
				t.Fatalf("seq %d not above earlier %d", n, maxSeq)
			}
			maxSeq = n
		}
		for i := 0; i < nOID; i++ {
			n, err := m.NextOID()
			if err != nil {
				t.Fatal(err)
			}
			if n < FirstOID || n <= maxOID {
				t.Fatalf("OID %d not above earlier %d (first %d)", n, maxOID, FirstOID)
			}
			maxOID = n
		}
	}

	tests := []struct {
		name             string
		nXID, nSeq, nOID int
		checkpoint       bool
	}{
		{"few ids", 3, 5, 2, false},
		{"across a block", counterBlock + 10, counterBlock*2 + 1, 1, false},
		{"none taken", 0, 0, 0, false},
		{"after checkpoint", 7, 100, 3, true},
		{"again", 1, 1, 1, false},
	}
	for _, tc := range tests {
		take(m, tc.nXID, tc.nSeq, tc.nOID)
		if tc.checkpoint {
			if err := store.Checkpoint(); err != nil {
				t.Fatal(err)
			}
		}
		fs = fs.CrashClone()
		store = openStore(t, fs)
		m = openManager(t, store)
		// The first ids after the crash must exceed everything before it.
		take(m, 1, 1, 1)
		t.Logf("%s: xid %d seq %d oid %d", tc.name, maxXID, maxSeq, maxOID)
	}
}

func TestCommitSurvivesCrash(t *testing.T) {
	fs := vfs.NewMem()
	store := openStore(t, fs)
	m := openManager(t, store)

	committed := begin(t, m)
	rev := commitWrite(t, store, committed)
	readOnly := begin(t, m)
	if err := readOnly.Commit(); err != nil {
		t.Fatal(err)
	}
	active := begin(t, m)
	var b lsm.Batch
	b.Set([]byte("row/active"), []byte("x"))
	if _, err := store.Write(&b); err != nil {
		t.Fatal(err)
	}
	active.MarkWrote()
	rolledBack := begin(t, m)
	rolledBack.MarkWrote()
	rolledBack.Rollback()
	if st, _ := m.StatusOf(active.XID); st != InProgress {
		t.Fatalf("active transaction status %v before crash, want InProgress", st)
	}

	for round := 0; round < 2; round++ {
		fs = fs.CrashClone()
		store = openStore(t, fs)
		m = openManager(t, store)
		tests := []struct {
			name    string
			xid     XID
			want    Status
			wantRev Rev
		}{
			// Reopened commits are folded (clog.go): rev 0, seen by all.
			{"committed", committed.XID, Committed, 0},
			{"active at crash", active.XID, Aborted, 0},
			{"rolled back", rolledBack.XID, Aborted, 0},
		}
		for _, tc := range tests {
			if st, r := m.StatusOf(tc.xid); st != tc.want || r != tc.wantRev {
				t.Errorf("round %d %s: StatusOf(%d) = %v rev %d, want %v rev %d", round, tc.name, tc.xid, st, r, tc.want, tc.wantRev)
			}
		}
		if got := m.Published(); got != rev {
			t.Errorf("round %d: Published after reopen = %d, want %d", round, got, rev)
		}
		if !m.ReadSnapshot().Visible(Version{Xmin: committed.XID}) {
			t.Errorf("round %d: committed transaction invisible after reopen", round)
		}
		if m.ReadSnapshot().Visible(Version{Xmin: active.XID}) {
			t.Errorf("round %d: transaction active at the crash is visible", round)
		}
	}
	next := begin(t, m)
	if got := commitWrite(t, store, next); got != rev+1 {
		t.Fatalf("first commit after reopen got revision %d, want %d", got, rev+1)
	}
}

// TestSnapshotAt: a snapshot at an older revision is given while another
// transaction's snapshot holds that revision, and refused once none does.
func TestSnapshotAt(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	exporter := begin(t, m)
	held := m.Snapshot(exporter, 0)
	w := begin(t, m)
	w.MarkWrote()
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	importer := begin(t, m)
	s, err := m.SnapshotAt(importer, held.Rev, 0)
	if err != nil || s.Rev != held.Rev {
		t.Fatalf("SnapshotAt(%d) = %d, %v", held.Rev, s.Rev, err)
	}
	if h := m.Horizon(); h > held.Rev {
		t.Fatalf("horizon %d passed the imported snapshot %d", h, held.Rev)
	}
	importer.Rollback()
	exporter.Rollback()
	late := begin(t, m)
	m.Snapshot(late, 0)
	if _, err := m.SnapshotAt(begin(t, m), held.Rev, 0); !errors.Is(err, ErrSnapshotTooOld) {
		t.Fatalf("SnapshotAt below the horizon: %v", err)
	}
	if _, err := m.SnapshotAt(begin(t, m), m.Published()+1, 0); !errors.Is(err, ErrSnapshotTooOld) {
		t.Fatalf("SnapshotAt of an unpublished revision: %v", err)
	}
}
