package sql

import (
	"fmt"
	"sync"
	"testing"
)

// TestNextvalConcurrent: sessions taking values from one sequence at once
// never get the same value; without CACHE they get exactly 1..n between
// them, and with CACHE each session's values are its own.
func TestNextvalConcurrent(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, q := range []string{"CREATE SEQUENCE plain", "CREATE SEQUENCE cached CACHE 7"} {
		if _, err := run(s, q); err != nil {
			t.Fatal(err)
		}
	}
	const sessions, each = 8, 300
	for _, name := range []string{"plain", "cached"} {
		got := make([][]int64, sessions)
		var wg sync.WaitGroup
		for i := range sessions {
			ss := newTestSession(t, e)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					res, err := run(ss, fmt.Sprintf("SELECT nextval('%s')", name))
					if err != nil {
						t.Error(err)
						return
					}
					got[i] = append(got[i], res.Rows[0][0].(int64))
				}
			}()
		}
		wg.Wait()
		seen := make(map[int64]bool)
		var high int64
		for _, vs := range got {
			for k, v := range vs {
				if seen[v] {
					t.Fatalf("%s: value %d handed out twice", name, v)
				}
				if k > 0 && v <= vs[k-1] {
					t.Fatalf("%s: a session got %d after %d", name, v, vs[k-1])
				}
				seen[v] = true
				high = max(high, v)
			}
		}
		if name == "plain" && high != sessions*each {
			t.Fatalf("plain: highest value %d, want %d", high, sessions*each)
		}
	}
}

// TestSequenceLogsAhead: the stored state of a sequence is written only
// every 32 values, and always covers the values handed out.
func TestSequenceLogsAhead(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	if _, err := run(s, "CREATE SEQUENCE s"); err != nil {
		t.Fatal(err)
	}
	desc, _, err := e.cat.Lookup(e.tm.ReadSnapshot(), "s")
	if err != nil || desc == nil {
		t.Fatal(desc, err)
	}
	before := store.WALStats()
	for i := int64(1); i <= 100; i++ {
		res, err := run(s, "SELECT nextval('s')")
		if err != nil {
			t.Fatal(err)
		}
		if v := res.Rows[0][0].(int64); v != i {
			t.Fatalf("nextval %d: got %d", i, v)
		}
		st, ok, err := e.heap.ReadSequence(desc.ID)
		if err != nil || !ok || !st.Called || st.Last < i || st.Last > i+32 {
			t.Fatalf("after nextval %d the stored state is %+v (%v, %v), want a value in [%d, %d]", i, st, ok, err, i, i+32)
		}
	}
	after := store.WALStats()
	if n := after.SyncedRecords - before.SyncedRecords; n > 100/32+2 {
		t.Fatalf("100 nextvals wrote %d log records", n)
	}
}

// TestDropSequenceState: the stored state of a sequence goes when its
// drop commits, and stays when the drop is rolled back, to the savepoint
// too.
func TestDropSequenceState(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	stored := func(name string) (uint32, bool) {
		t.Helper()
		desc, _, err := e.cat.Lookup(e.tm.ReadSnapshot(), name)
		if err != nil || desc == nil {
			t.Fatalf("%s: %v %v", name, desc, err)
		}
		_, ok, err := e.heap.ReadSequence(desc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return desc.ID, ok
	}
	for _, q := range []string{"CREATE SEQUENCE a", "CREATE TABLE t (id serial, g int GENERATED ALWAYS AS IDENTITY)",
		"SELECT nextval('a')", "INSERT INTO t DEFAULT VALUES"} {
		if _, err := run(s, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var ids []uint32
	for _, name := range []string{"a", "t_id_seq", "t_g_seq"} {
		id, ok := stored(name)
		if !ok {
			t.Fatalf("%s has no stored state", name)
		}
		ids = append(ids, id)
	}
	for _, q := range []string{"BEGIN", "SAVEPOINT p", "DROP SEQUENCE a", "ROLLBACK TO p", "COMMIT",
		"BEGIN", "DROP TABLE t", "ROLLBACK"} {
		if _, err := run(s, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, name := range []string{"a", "t_id_seq", "t_g_seq"} {
		if _, ok := stored(name); !ok {
			t.Fatalf("%s lost its state to a drop that was rolled back", name)
		}
	}
	if res, err := run(s, "SELECT nextval('a')"); err != nil || res.Rows[0][0] != int64(2) {
		t.Fatalf("nextval after the rolled back drop: %v %v", res, err)
	}
	for _, q := range []string{"DROP SEQUENCE a", "DROP TABLE t"} {
		if _, err := run(s, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, id := range ids {
		if _, ok, err := e.heap.ReadSequence(id); ok || err != nil {
			t.Fatalf("sequence %d keeps its state after its drop committed (%v)", id, err)
		}
	}
}

// TestCopyIdentity: COPY FROM writes the values it is given into identity
// columns, GENERATED ALWAYS too, and fills the columns it is not given
// from their sequences, as PostgreSQL does; a sequence is no COPY target.
func TestCopyIdentity(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, q := range []string{"CREATE TABLE ci (a int GENERATED ALWAYS AS IDENTITY, b serial, v text)", "CREATE SEQUENCE cs"} {
		if _, err := run(s, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := copyIn(t, s, "COPY ci (a, v) FROM STDIN", "10\tx\n11\ty\n"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := copyIn(t, s, "COPY ci (v) FROM STDIN", "z\n"); err != nil {
		t.Fatal(err)
	}
	if got := outcome(s, "SELECT a, b, v FROM ci ORDER BY v"); got != "[10 1 x][11 2 y][1 3 z]" {
		t.Fatalf("rows after COPY:\n%s", got)
	}
	if _, _, err := copyIn(t, s, "COPY cs FROM STDIN", "1\t0\tt\n"); err == nil || err.Error() != `cannot copy to sequence "cs"` {
		t.Fatalf("COPY into a sequence: %v", err)
	}
}
