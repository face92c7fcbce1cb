package txn

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

// prepareWrite prepares tx under gid after it wrote.
func prepareWrite(t *testing.T, m *Manager, tx *Txn, gid string) {
	t.Helper()
	tx.MarkWrote()
	if err := m.Prepare(tx, gid, nil); err != nil {
		t.Fatalf("Prepare %s: %v", gid, err)
	}
}

func clusterSnap(t *testing.T, m *Manager, ts Rev) Snapshot {
	t.Helper()
	s, err := m.ClusterSnapshot(context.Background(), begin(t, m), ts, 0, time.Second)
	if err != nil {
		t.Fatalf("ClusterSnapshot(%d): %v", ts, err)
	}
	return s
}

func TestClusterSnapshotSeesByTimestamp(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	// Before the node saw any timestamp: every cluster snapshot sees it.
	early := begin(t, m)
	commitWrite(t, store, early)

	// Two transactions prepared, whose phase twos arrive in the
	// opposite order of their timestamps, as they may from two nodes.
	a, b := begin(t, m), begin(t, m)
	prepareWrite(t, m, a, "a")
	prepareWrite(t, m, b, "b")
	if err := m.CommitPreparedAt("b", 200); err != nil {
		t.Fatal(err)
	}
	if err := m.CommitPreparedAt("a", 100); err != nil {
		t.Fatal(err)
	}
	// A local commit after the node's clock reached 200 gets 201.
	local := begin(t, m)
	commitWrite(t, store, local)

	tests := []struct {
		ts   Rev
		want map[XID]bool
	}{
		{50, map[XID]bool{early.XID: true, a.XID: false, b.XID: false, local.XID: false}},
		{150, map[XID]bool{early.XID: true, a.XID: true, b.XID: false, local.XID: false}},
		{200, map[XID]bool{early.XID: true, a.XID: true, b.XID: true, local.XID: false}},
		{201, map[XID]bool{early.XID: true, a.XID: true, b.XID: true, local.XID: true}},
	}
	for _, tc := range tests {
		s := clusterSnap(t, m, tc.ts)
		for xid, want := range tc.want {
			if got := s.Visible(Version{Xmin: xid}); got != want {
				t.Errorf("snapshot at %d: Visible(xmin %d) = %v, want %v", tc.ts, xid, got, want)
			}
			if got := s.ConflictWith(xid) == NoConflict; got != want {
				t.Errorf("snapshot at %d: ConflictWith(%d) = NoConflict %v, want %v", tc.ts, xid, got, want)
			}
		}
	}
	// Local snapshots go by revision, as ever: all four committed.
	local2 := m.Snapshot(begin(t, m), 0)
	for _, x := range []XID{early.XID, a.XID, b.XID, local.XID} {
		if !local2.Visible(Version{Xmin: x}) {
			t.Errorf("local snapshot does not see %d", x)
		}
	}
}

func TestClusterSnapshotWaitsForPrepared(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	p := begin(t, m)
	prepareWrite(t, m, p, "p")
	// Decided while the snapshot waits, at a timestamp the snapshot
	// covers: it must see the commit, not judge p invisible.
	go func() {
		time.Sleep(50 * time.Millisecond)
		if err := m.CommitPreparedAt("p", 10); err != nil {
			t.Error(err)
		}
	}()
	s := clusterSnap(t, m, 20)
	if !s.Visible(Version{Xmin: p.XID}) {
		t.Fatal("snapshot at 20 does not see a transaction committed at 10 while it waited")
	}

	// One left undecided: the wait is bounded.
	q := begin(t, m)
	prepareWrite(t, m, q, "q")
	_, err := m.ClusterSnapshot(context.Background(), begin(t, m), 30, 0, 50*time.Millisecond)
	if pgerr.Code(err) != pgerr.LockNotAvailable {
		t.Fatalf("snapshot with a prepared transaction left: %v, want 55P03", err)
	}
	if err := m.RollbackPrepared("q"); err != nil {
		t.Fatal(err)
	}
	clusterSnap(t, m, 30)
}

func TestClusterSnapshotTooOld(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	first := clusterSnap(t, m, 10) // the node's clock is 10
	first.t.Rollback()
	x := begin(t, m)
	prepareWrite(t, m, x, "x")
	if err := m.CommitPreparedAt("x", 50); err != nil {
		t.Fatal(err)
	}
	// Vacuum may now act at the published revision, which x's commit
	// (timestamp 50) is at: a snapshot at 40 must not be given.
	m.Horizon()
	_, err := m.ClusterSnapshot(context.Background(), begin(t, m), 40, 0, time.Second)
	if !errors.Is(err, ErrSnapshotTooOld) {
		t.Fatalf("snapshot at 40 after the horizon passed a commit at 50: %v, want ErrSnapshotTooOld", err)
	}
	// One that sees x is fine, and holds the horizon where it is.
	s := clusterSnap(t, m, 60)
	if !s.Visible(Version{Xmin: x.XID}) {
		t.Fatal("snapshot at 60 does not see x")
	}
	if h := m.Horizon(); h > s.Rev {
		t.Fatalf("horizon %d above the cluster snapshot's revision %d", h, s.Rev)
	}
}

func TestClusterSnapshotHoldsFold(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	old := clusterSnap(t, m, 10)
	x := begin(t, m)
	prepareWrite(t, m, x, "x")
	if err := m.CommitPreparedAt("x", 20); err != nil {
		t.Fatal(err)
	}
	// Many commits and folds: x must stay unseen by the snapshot at 10,
	// which holds the horizon below it.
	for range 2 * foldEvery {
		commitWrite(t, store, begin(t, m))
	}
	if err := m.foldCommitted(); err != nil {
		t.Fatal(err)
	}
	if old.Visible(Version{Xmin: x.XID}) {
		t.Fatal("the fold made a commit at 20 visible to a snapshot at 10")
	}
}

// TestClusterTimestampsAfterRestart: the commit records carry cluster
// timestamps, so a restarted node, whose commits are all folded (seen by
// every snapshot), refuses a snapshot older than the newest of them and
// numbers later commits above it, whether the commit was folded before
// the restart or not.
func TestClusterTimestampsAfterRestart(t *testing.T) {
	for _, fold := range []bool{false, true} {
		fs := vfs.NewMem()
		store := openStore(t, fs)
		m := openManager(t, store)
		x := begin(t, m)
		prepareWrite(t, m, x, "x")
		if err := m.CommitPreparedAt("x", 50); err != nil {
			t.Fatal(err)
		}
		if fold {
			for range foldEvery {
				commitWrite(t, store, begin(t, m))
			}
			if err := m.foldCommitted(); err != nil {
				t.Fatal(err)
			}
			if st, rev := m.StatusOf(x.XID); st != Committed || rev != 0 {
				t.Fatalf("x not folded: %v %d", st, rev)
			}
		}
		store.Close()

		store = openStore(t, fs)
		m = openManager(t, store)
		if _, err := m.ClusterSnapshot(context.Background(), begin(t, m), 40, 0, time.Second); !errors.Is(err, ErrSnapshotTooOld) {
			t.Fatalf("fold %v: snapshot at 40 after a restart that forgot a commit at 50: %v, want ErrSnapshotTooOld", fold, err)
		}
		if s := clusterSnap(t, m, 55); !s.Visible(Version{Xmin: x.XID}) {
			t.Fatalf("fold %v: snapshot at 55 does not see x", fold)
		}
		y := begin(t, m)
		commitWrite(t, store, y)
		if s := clusterSnap(t, m, 55); s.Visible(Version{Xmin: y.XID}) {
			t.Fatalf("fold %v: snapshot at 55 sees a commit made after it was registered", fold)
		}
		if s := clusterSnap(t, m, 56); !s.Visible(Version{Xmin: y.XID}) {
			t.Fatalf("fold %v: snapshot at 56 does not see a commit made before it", fold)
		}
	}
}
