package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// TestLegacyRolesMove: earlier versions kept roles in the schemas' table.
// Opening such a store moves them to the roles' table: they still log in
// with their attributes, and they are not taken for schemas.
func TestLegacyRolesMove(t *testing.T) {
	fs := vfs.NewMem()
	open := func() (*checkpoint.Store, *Engine, *Session) {
		store, err := checkpoint.Open(fs, "db", checkpoint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(store, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.NewSession("postgres", "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		return store, e, s
	}
	store, e, s := open()
	mustRun(t, s, "CREATE ROLE legacy_bob LOGIN CREATEDB; CREATE SCHEMA alpha")
	// Put the role's row where an earlier version wrote it.
	if err := s.beginTxn(); err != nil {
		t.Fatal(err)
	}
	op := heap.Op{Tx: s.tx, Snap: s.currentSnapshot(), Ctx: context.Background()}
	var moved int
	err := e.heap.Scan(op.Snap, catalog.RolesTableID, func(tu heap.Tuple) error {
		data := append([]byte(nil), tu.Data...)
		if err := e.heap.Delete(op, tu.ID); err != nil {
			return err
		}
		moved++
		return e.heap.Insert(op, catalog.SchemaTableID, types.EncodeKey([]types.Datum{"legacy_bob"}), data)
	})
	if err != nil || moved != 1 {
		t.Fatalf("moving the role back: %d rows, %v", moved, err)
	}
	if err := s.endTxn(true); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store, _, s = open()
	defer store.Close()
	defer s.Close()
	for _, c := range []struct{ query, want string }{
		{"SELECT rolname, rolcanlogin, rolcreatedb FROM pg_roles WHERE rolname = 'legacy_bob'", "[legacy_bob true true]"},
		{"SELECT nspname FROM pg_namespace WHERE nspname IN ('alpha', 'legacy_bob')", "[alpha]"},
	} {
		if got := rowsText(mustRun(t, s, c.query)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.query, got, c.want)
		}
	}
	mustRun(t, s, "CREATE SCHEMA legacy_bob")
}
