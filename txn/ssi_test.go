package txn

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestSSIWriteSkew is the doctors-on-call shape: each transaction reads the
// table, then writes a row the other read. The second to commit fails.
func TestSSIWriteSkew(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	t1, t2 := begin(t, m), begin(t, m)
	for _, tx := range []*Txn{t1, t2} {
		m.BeginSerializable(tx, m.Published(), false)
		if err := m.RecordRead(tx.XID, TableTarget(7)); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.WriteCheck(t1.XID, TableTarget(7), RowTarget(7, []byte("alice"))); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteCheck(t2.XID, TableTarget(7), RowTarget(7, []byte("bob"))); err != nil {
		t.Fatal(err)
	}
	commitWrite(t, store, t1)
	t2.MarkWrote()
	if err := t2.Commit(); pgerr.Code(err) != pgerr.SerializationFailure {
		t.Fatalf("second commit: %v, want 40001", err)
	}
}

// TestSSIOneEdgeCommits: a single antidependency is serializable.
func TestSSIOneEdgeCommits(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	r, w := begin(t, m), begin(t, m)
	m.BeginSerializable(r, m.Published(), false)
	m.BeginSerializable(w, m.Published(), false)
	if err := m.RecordRead(r.XID, RowTarget(1, []byte("k"))); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteCheck(w.XID, TableTarget(1), RowTarget(1, []byte("k"))); err != nil {
		t.Fatal(err)
	}
	commitWrite(t, store, w)
	if err := r.Commit(); err != nil {
		t.Fatalf("reader commit: %v", err)
	}
	// Everything is forgotten once nothing overlaps.
	if len(m.ssi.xacts) != 0 || len(m.ssi.marks) != 0 {
		t.Fatalf("state left behind: %d xacts, %d marks", len(m.ssi.xacts), len(m.ssi.marks))
	}
}

// TestSSIReadOnlyAnomaly is Fekete's read-only anomaly (Hermitage
// G2-two-edges): the pivot fails at its write.
func TestSSIReadOnlyAnomaly(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	t1 := begin(t, m)
	m.BeginSerializable(t1, m.Published(), false)
	if err := m.RecordRead(t1.XID, TableTarget(1)); err != nil {
		t.Fatal(err)
	}
	t2 := begin(t, m)
	m.BeginSerializable(t2, m.Published(), false)
	if err := m.WriteCheck(t2.XID, TableTarget(1), RowTarget(1, []byte("2"))); err != nil {
		t.Fatal(err)
	}
	commitWrite(t, store, t2)
	t3 := begin(t, m)
	m.BeginSerializable(t3, m.Published(), false)
	if err := m.RecordRead(t3.XID, TableTarget(1)); err != nil {
		t.Fatal(err)
	}
	if err := t3.Commit(); err != nil {
		t.Fatal(err)
	}
	err := m.WriteCheck(t1.XID, TableTarget(1), RowTarget(1, []byte("1")))
	if pgerr.Code(err) != pgerr.SerializationFailure {
		t.Fatalf("pivot write: %v, want 40001", err)
	}
	t1.Rollback()
	if len(m.ssi.xacts) != 0 {
		t.Fatalf("%d xacts left after all ended", len(m.ssi.xacts))
	}
}
