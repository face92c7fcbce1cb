package sql

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql/types"
)

var indexSeed = flag.Uint64("index-seed", 1, "seed of TestIndexMatchesFullScan")

func newTestEngine(t testing.TB) *Engine {
	t.Helper()
	e, _ := newTestEngineStore(t)
	return e
}

// newTestEngineStore returns an engine on an in-memory store, and the store
// for tests that look at the stored keys.
func newTestEngineStore(t testing.TB) (*Engine, *checkpoint.Store) {
	t.Helper()
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	e, err := NewEngine(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e, store
}

// countKeys counts the stored keys of one table ('t') or index ('i') id.
func countKeys(store *checkpoint.Store, prefix byte, id uint32) int {
	it := store.NewIter(binary.BigEndian.AppendUint32([]byte{prefix}, id), binary.BigEndian.AppendUint32([]byte{prefix}, id+1))
	defer it.Close()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n
}

func newTestSession(t *testing.T, e *Engine) *Session {
	t.Helper()
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// run executes query's statements and returns the last result.
func run(s *Session, query string) (*Result, error) {
	ps, err := s.PrepareAll(context.Background(), query)
	if err != nil {
		return nil, err
	}
	var res *Result
	for _, p := range ps {
		if res, err = s.Execute(context.Background(), p, nil); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// outcome runs query and renders what it gave: its rows (formatDatums,
// one after another) or its SQLSTATE and message.
func outcome(s *Session, query string) string {
	res, err := run(s, query)
	if err != nil {
		return pgerr.Code(err) + ": " + err.Error()
	}
	var got string
	for _, r := range res.Rows {
		got += formatDatums(res.Columns, r)
	}
	return got
}

func mustRun(t *testing.T, s *Session, query string) *Result {
	t.Helper()
	res, err := run(s, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return res
}

// rowsText renders a result's rows as text, in order.
func rowsText(res *Result) string {
	out := ""
	for _, r := range res.Rows {
		out += fmt.Sprint(r)
	}
	return out
}

// scanOf finds the table scan of a plan that reads one table.
func scanOf(p any) *scanNode {
	switch n := p.(type) {
	case *selectPlan:
		return scanOf(n.p)
	case *projectNode:
		return scanOf(n.in)
	case *filterNode:
		return scanOf(n.in)
	case *sortNode:
		return scanOf(n.in)
	case *aggNode:
		return scanOf(n.in)
	case *updatePlan:
		return n.scan
	case *deletePlan:
		return n.scan
	case *scanNode:
		return n
	}
	return nil
}

// access names how a statement's plan reads its table: "pk", "index NAME"
// or "scan".
func access(t *testing.T, s *Session, query string) string {
	t.Helper()
	p, err := s.Prepare(context.Background(), query, nil)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if err := s.bind(p, nil); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	scan := scanOf(p.bound)
	switch {
	case scan == nil:
		t.Fatalf("%s: no table scan in plan %T", query, p.bound)
	case scan.key != nil:
		return "pk"
	case scan.index != nil:
		return "index " + scan.index.index.Name
	}
	return "scan"
}

func TestIndexChoice(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int4 PRIMARY KEY, a int4, b text, c numeric, d float8);
		CREATE INDEX t_a ON t (a);
		CREATE INDEX t_ab ON t (a, b);
		CREATE INDEX t_c ON t (c);
		CREATE INDEX t_d ON t (d DESC)`)
	for _, tc := range []struct{ query, want string }{
		{"SELECT * FROM t WHERE id = 1 AND a = 2", "pk"},
		{"SELECT * FROM t WHERE a = 2", "index t_a"},
		{"SELECT * FROM t WHERE 2 = a", "index t_a"},
		{"SELECT * FROM t WHERE a = $1", "index t_a"},
		{"SELECT * FROM t WHERE a = -2", "index t_a"},
		{"SELECT * FROM t WHERE a = 2 AND b = 'x'", "index t_ab"},
		{"SELECT * FROM t WHERE b = 'x' AND a = 2", "index t_ab"},
		{"SELECT * FROM t WHERE a = 2 AND b > 'x'", "index t_ab"},
		{"SELECT * FROM t WHERE a IN (1, 2, 3)", "index t_a"},
		{"SELECT * FROM t WHERE a BETWEEN 1 AND 3", "index t_a"},
		{"SELECT * FROM t WHERE a > 1", "index t_a"},
		{"SELECT count(*) FROM t WHERE a > 1", "index t_a"},
		{"SELECT * FROM t WHERE b = 'x'", "scan"},         // not a leading column
		{"SELECT * FROM t WHERE a = 2 OR a = 3", "scan"},  // OR
		{"SELECT * FROM t WHERE a + 0 = 2", "scan"},       // an expression
		{"SELECT * FROM t WHERE a = 2.5", "scan"},         // int column, numeric value
		{"SELECT * FROM t WHERE a NOT IN (1, 2)", "scan"}, // NOT IN
		{"SELECT * FROM t WHERE a BETWEEN SYMMETRIC 3 AND 1", "scan"},
		{"SELECT * FROM t WHERE c = 1.5", "index t_c"},
		{"SELECT * FROM t WHERE c > 1.5", "scan"},      // numeric keys are not ordered
		{"SELECT * FROM t WHERE d > 1.5", "index t_d"}, // float8 compares with numeric as float8
		{"SELECT * FROM t WHERE d < 2", "index t_d"},
		{"UPDATE t SET b = 'y' WHERE a = 2", "index t_a"},
		{"DELETE FROM t WHERE a IN (2)", "index t_a"},
	} {
		if got := access(t, s, tc.query); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
	}
	// Planning the index scan must not change what a parameter is taken
	// to be.
	p, err := s.Prepare(context.Background(), "SELECT * FROM t WHERE a = $1 AND d > $2", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ParamTypes) != 2 || p.ParamTypes[0].ID != types.Int4 || p.ParamTypes[1].ID != types.Float8 {
		t.Errorf("parameter types %v, want int4 and float8", p.ParamTypes)
	}
	mustRun(t, s, "DROP INDEX t_a, t_ab")
	if got := access(t, s, "SELECT * FROM t WHERE a = 2"); got != "scan" {
		t.Errorf("after DROP INDEX: %s, want scan", got)
	}
	mustRun(t, s, "BEGIN; CREATE INDEX t_a ON t (a)")
	if got := access(t, s, "SELECT * FROM t WHERE a = 2"); got != "index t_a" {
		t.Errorf("in the creating transaction: %s, want index t_a", got)
	}
	other := newTestSession(t, e)
	if got := access(t, other, "SELECT * FROM t WHERE a = 2"); got != "scan" {
		t.Errorf("in another session before commit: %s, want scan", got)
	}
	mustRun(t, s, "ROLLBACK")
	if got := access(t, s, "SELECT * FROM t WHERE a = 2"); got != "scan" {
		t.Errorf("after ROLLBACK: %s, want scan", got)
	}
}

func TestIndexInJoin(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE p (id int4 PRIMARY KEY, k int4);
		CREATE TABLE q (id int4 PRIMARY KEY, k int4, v text);
		CREATE INDEX q_k ON q (k);
		INSERT INTO p VALUES (1, 1), (2, 2);
		INSERT INTO q VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c'), (4, 3, 'd')`)
	p, err := s.Prepare(context.Background(), "SELECT p.id, q.v FROM p, q WHERE p.k = q.k AND q.k = 1 ORDER BY q.v", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.bind(p, nil); err != nil {
		t.Fatal(err)
	}
	var join *multiJoinNode
	for n := any(p.bound.(*selectPlan).p); join == nil; {
		switch x := n.(type) {
		case *sortNode:
			n = x.in
		case *projectNode:
			n = x.in
		case *multiJoinNode:
			join = x
		default:
			t.Fatalf("unexpected plan node %T", n)
		}
	}
	if scan := join.items[1].p.(*scanNode); scan.index == nil || scan.index.index.Name != "q_k" {
		t.Errorf("q is not read through q_k")
	}
	if scan := join.items[0].p.(*scanNode); scan.index != nil || scan.key != nil {
		t.Errorf("p is narrowed with no condition of its own")
	}
	if got, want := rowsText(mustRun(t, s, "SELECT p.id, q.v FROM p, q WHERE p.k = q.k AND q.k = 1 ORDER BY q.v")), "[1 a][1 b]"; got != want {
		t.Errorf("join rows %s, want %s", got, want)
	}
}

// TestIndexMatchesFullScan updates indexed values at random, leaving
// stale entries behind, and checks that every query through the index
// answers as the same query without it.
func TestIndexMatchesFullScan(t *testing.T) {
	seed := *indexSeed
	t.Logf("seed %d (-index-seed to replay)", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE t (id int4 PRIMARY KEY, a int4, b int4); CREATE INDEX t_ab ON t (a, b)")
	for i := 0; i < 40; i++ {
		mustRun(t, s, fmt.Sprintf("INSERT INTO t VALUES (%d, %d, %d)", i, rng.IntN(5), rng.IntN(3)))
	}
	for step := 0; step < 60; step++ {
		switch rng.IntN(4) {
		case 0:
			mustRun(t, s, fmt.Sprintf("UPDATE t SET a = %d WHERE id = %d", rng.IntN(5), rng.IntN(40)))
		case 1:
			mustRun(t, s, fmt.Sprintf("UPDATE t SET a = NULL, b = %d WHERE a = %d", rng.IntN(3), rng.IntN(5)))
		case 2:
			mustRun(t, s, fmt.Sprintf("UPDATE t SET id = id + 100 WHERE id = %d", rng.IntN(40)))
		case 3:
			mustRun(t, s, fmt.Sprintf("DELETE FROM t WHERE a = %d AND b = %d", rng.IntN(5), rng.IntN(3)))
			mustRun(t, s, fmt.Sprintf("INSERT INTO t VALUES (%d, %d, %d)", 1000+step, rng.IntN(5), rng.IntN(3)))
		}
		for _, cond := range []string{"a = %d", "a IN (%d, 4)", "a > %d", "a <= %d AND b = 1", "a = %d AND b >= 1", "a BETWEEN 1 AND %d"} {
			c := fmt.Sprintf(cond, rng.IntN(5))
			q := "SELECT id, a, b FROM t WHERE " + c + " ORDER BY id"
			if got := access(t, s, q); got != "index t_ab" {
				t.Fatalf("%s: %s, want index t_ab", q, got)
			}
			got := rowsText(mustRun(t, s, q))
			want := rowsText(mustRun(t, s, "SELECT id, a, b FROM t WHERE NOT NOT ("+c+") ORDER BY id"))
			if got != want {
				t.Fatalf("step %d: %s\n index: %s\n scan:  %s", step, q, got, want)
			}
		}
	}
}

func TestUniqueIndexErrors(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE u (id int4 PRIMARY KEY, a int4, b text);
		INSERT INTO u VALUES (1, 1, 'x'), (2, 1, 'x'), (3, NULL, 'y'), (4, NULL, 'y')`)
	for _, tc := range []struct{ query, code, msg, detail string }{
		{"CREATE UNIQUE INDEX u_a ON u (a)", pgerr.UniqueViolation, `could not create unique index "u_a"`, "Key (a)=(1) is duplicated."},
		{"CREATE UNIQUE INDEX u_ab ON u (a, b)", pgerr.UniqueViolation, `could not create unique index "u_ab"`, "Key (a, b)=(1, x) is duplicated."},
		{"CREATE INDEX u ON u (a)", pgerr.DuplicateTable, `relation "u" already exists`, ""},
		{"CREATE INDEX u_i ON u (z)", pgerr.UndefinedColumn, `column "z" does not exist`, ""},
		{"DROP INDEX u", pgerr.WrongObjectType, `"u" is not an index`, ""},
		{"DROP INDEX nope", pgerr.UndefinedObject, `index "nope" does not exist`, ""},
		{"UPDATE u SET a = 2 WHERE id = 2; CREATE UNIQUE INDEX u_a ON u (a); INSERT INTO u VALUES (5, 2, 'z')", pgerr.UniqueViolation,
			`duplicate key value violates unique constraint "u_a"`, "Key (a)=(2) already exists."},
		{"UPDATE u SET a = 1 WHERE id = 2", pgerr.UniqueViolation, `duplicate key value violates unique constraint "u_a"`, "Key (a)=(1) already exists."},
		{"SELECT * FROM u_a", pgerr.WrongObjectType, `"u_a" is an index`, ""},
		{"DROP TABLE u_a", pgerr.WrongObjectType, `"u_a" is not a table`, ""},
	} {
		_, err := run(s, tc.query)
		var pe *pgerr.Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: %v, want SQLSTATE %s", tc.query, err, tc.code)
			continue
		}
		if pe.Code != tc.code || pe.Message != tc.msg || pe.Detail != tc.detail {
			t.Errorf("%s: %s %q %q, want %s %q %q", tc.query, pe.Code, pe.Message, pe.Detail, tc.code, tc.msg, tc.detail)
		}
	}
	// NULLs never conflict; a deleted row's key is free again.
	mustRun(t, s, "INSERT INTO u VALUES (6, NULL, 'n'), (7, NULL, 'n'); DELETE FROM u WHERE id = 1; INSERT INTO u VALUES (8, 1, 'w')")
}

// TestUniqueIndexWaits checks that an insert meeting a running
// transaction's row with the same key waits for it, then succeeds if it
// rolled back and fails if it committed.
func TestUniqueIndexWaits(t *testing.T) {
	for _, tc := range []struct {
		end  string
		code string
	}{{"ROLLBACK", ""}, {"COMMIT", pgerr.UniqueViolation}} {
		t.Run(tc.end, func(t *testing.T) {
			e := newTestEngine(t)
			a, b := newTestSession(t, e), newTestSession(t, e)
			mustRun(t, a, "CREATE TABLE u (id int4 PRIMARY KEY, k text); CREATE UNIQUE INDEX u_k ON u (k)")
			mustRun(t, a, "BEGIN; INSERT INTO u VALUES (1, 'x')")
			done := make(chan error, 1)
			go func() {
				_, err := run(b, "INSERT INTO u VALUES (2, 'x')")
				done <- err
			}()
			mustRun(t, a, tc.end)
			if err := <-done; pgerr.Code(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Errorf("insert after %s: %v, want SQLSTATE %q", tc.end, err, tc.code)
			}
		})
	}
}
