package sql

import (
	"context"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestUpdateFromReadCommitted: an UPDATE ... FROM that meets a target row
// changed by a concurrent transaction waits for it and, once it commits,
// joins the newest version to the same source row and re-checks WHERE, as
// PostgreSQL's EvalPlanQual does: the update applies to the newest values,
// a row that no longer passes WHERE or was deleted is skipped.
func TestUpdateFromReadCommitted(t *testing.T) {
	e := newTestEngine(t)
	a, b, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL)")
	mustRun(t, a, "CREATE TABLE delta (id int, d int)")
	mustRun(t, a, "INSERT INTO acct VALUES (1, 100), (2, 200), (3, 300)")
	mustRun(t, a, "INSERT INTO delta VALUES (1, 1), (2, 2), (3, 3)")

	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE acct SET bal = bal + 1000 WHERE id = 1")
	mustRun(t, a, "UPDATE acct SET bal = -1 WHERE id = 2")
	mustRun(t, a, "DELETE FROM acct WHERE id = 3")
	done := make(chan error, 1)
	var res *Result
	go func() {
		var err error
		res, err = run(b, "UPDATE acct SET bal = acct.bal + delta.d FROM delta WHERE delta.id = acct.id AND acct.bal > 0 RETURNING acct.id, acct.bal, delta.d")
		done <- err
	}()
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("UPDATE ... FROM after a concurrent update committed: %v", err)
	}
	if res.Tag != "UPDATE 1" || rowsText(res) != "[1 1101 1]" {
		t.Errorf("UPDATE ... FROM returned %s %s, want UPDATE 1 [1 1101 1]", res.Tag, rowsText(res))
	}
	if got := rowsText(mustRun(t, observer, "SELECT id, bal FROM acct ORDER BY id")); got != "[1 1101][2 -1]" {
		t.Errorf("after the concurrent writes and UPDATE ... FROM: %s, want [1 1101][2 -1]", got)
	}

	// DELETE ... USING re-checks the same way, and a row that did not
	// pass WHERE in its snapshot stays whatever it became.
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE acct SET bal = 5 WHERE id = 2")
	mustRun(t, a, "UPDATE acct SET bal = 50 WHERE id = 1")
	done = make(chan error, 1)
	go func() {
		var err error
		res, err = run(b, "DELETE FROM acct USING delta WHERE delta.id = acct.id AND acct.bal > 0 RETURNING acct.id, acct.bal")
		done <- err
	}()
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("DELETE ... USING after a concurrent update committed: %v", err)
	}
	if res.Tag != "DELETE 1" || rowsText(res) != "[1 50]" {
		t.Errorf("DELETE ... USING returned %s %s, want DELETE 1 [1 50]", res.Tag, rowsText(res))
	}
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE acct SET bal = 0 WHERE id = 2")
	done = make(chan error, 1)
	go func() {
		var err error
		res, err = run(b, "DELETE FROM acct USING delta WHERE delta.id = acct.id AND acct.bal > 0")
		done <- err
	}()
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil || res.Tag != "DELETE 0" {
		t.Errorf("DELETE ... USING of a row that no longer passes WHERE: %v %v, want DELETE 0", res, err)
	}

	// REPEATABLE READ: a row changed after the snapshot is a
	// serialization failure.
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SELECT count(*) FROM acct")
	mustRun(t, a, "UPDATE acct SET bal = 7 WHERE id = 2")
	if _, err := run(b, "UPDATE acct SET bal = delta.d FROM delta WHERE delta.id = acct.id"); pgerr.Code(err) != pgerr.SerializationFailure {
		t.Errorf("REPEATABLE READ UPDATE ... FROM of a row changed after its snapshot: %v, want 40001", err)
	}
	mustRun(t, b, "ROLLBACK")
}

// TestMergeReadCommitted: a MERGE that meets a matched row changed by a
// concurrent transaction re-reads it; when the newest version still
// matches, WHEN MATCHED runs on it, and when it was deleted, WHEN NOT
// MATCHED runs instead (PostgreSQL 15).
func TestMergeReadCommitted(t *testing.T) {
	e := newTestEngine(t)
	a, b, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE stock (id int PRIMARY KEY, qty int NOT NULL)")
	mustRun(t, a, "INSERT INTO stock VALUES (1, 10), (2, 20)")
	const merge = `MERGE INTO stock USING (VALUES (1, 5), (2, 6)) AS src(id, q) ON stock.id = src.id
		WHEN MATCHED THEN UPDATE SET qty = stock.qty + src.q
		WHEN NOT MATCHED THEN INSERT VALUES (src.id, src.q * 100)`

	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE stock SET qty = 1000 WHERE id = 1")
	mustRun(t, a, "DELETE FROM stock WHERE id = 2")
	done := runAsync(b, merge)
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("MERGE after concurrent writes committed: %v", err)
	}
	if got := rowsText(mustRun(t, observer, "SELECT id, qty FROM stock ORDER BY id")); got != "[1 1005][2 600]" {
		t.Errorf("after the concurrent writes and MERGE: %s, want [1 1005][2 600]", got)
	}

	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SELECT count(*) FROM stock")
	mustRun(t, a, "UPDATE stock SET qty = 0 WHERE id = 1")
	if _, err := run(b, merge); pgerr.Code(err) != pgerr.SerializationFailure {
		t.Errorf("REPEATABLE READ MERGE of a row changed after its snapshot: %v, want 40001", err)
	}
	mustRun(t, b, "ROLLBACK")
}

// TestDMLJoins checks UPDATE ... FROM, DELETE ... USING, MERGE and the
// multiple-column SET forms one statement at a time: the result, or the
// SQLSTATE of the error.
func TestDMLJoins(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, q := range []string{
		"CREATE TABLE t (id int PRIMARY KEY, v int DEFAULT 7, w text)",
		"CREATE TABLE s (id int, nv int)",
		"INSERT INTO t VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')",
		"INSERT INTO s VALUES (1, 10), (2, 20), (2, 20), (4, 40)",
	} {
		mustRun(t, s, q)
	}
	for _, tc := range []struct {
		query, want, code string
	}{
		// A target row joined to two source rows is updated once.
		{query: "UPDATE t SET v = s.nv FROM s WHERE s.id = t.id RETURNING t.id, t.v, s.nv", want: "UPDATE 2 [1 10 10][2 20 20]"},
		{query: "UPDATE t SET v = 0 FROM t WHERE true", code: "42712"},
		{query: "UPDATE t SET v = 0 FROM s WHERE s.nosuch = t.id", code: pgerr.UndefinedColumn},
		{query: "UPDATE t SET v = id FROM s WHERE s.id = t.id", code: pgerr.AmbiguousColumn},
		{query: "UPDATE t SET (v, w) = (5, 'x') WHERE id = 1 RETURNING *", want: "UPDATE 1 [1 5 x]"},
		{query: "UPDATE t SET (v, w) = (SELECT t.id * 100, 'q') WHERE id < 3 RETURNING id, v, w", want: "UPDATE 2 [1 100 q][2 200 q]"},
		{query: "UPDATE t SET (v, w) = (SELECT 1, 'a' WHERE false) WHERE id = 1 RETURNING *", want: "UPDATE 1 [1 <nil> <nil>]"},
		{query: "UPDATE t SET (v, w) = (DEFAULT, 'd') WHERE id = 1 RETURNING *", want: "UPDATE 1 [1 7 d]"},
		{query: "UPDATE t SET (v, w) = (SELECT 1)", code: pgerr.SyntaxError},
		{query: "UPDATE t SET (v, w) = (1, 2, 3)", code: pgerr.SyntaxError},
		{query: "UPDATE t SET (v) = (1)", code: pgerr.FeatureNotSupported},
		{query: "UPDATE t SET (v, w) = (SELECT 1, 'a' UNION ALL SELECT 2, 'b')", code: pgerr.CardinalityViolation},
		{query: "DELETE FROM t USING s WHERE s.id = t.id AND s.nv = 20 RETURNING t.id, s.nv", want: "DELETE 1 [2 20]"},
		{query: "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = 0", want: "MERGE 1"},
		{query: "MERGE INTO t USING (VALUES (4), (3)) AS x(id) ON t.id = x.id WHEN NOT MATCHED THEN INSERT (id, w) VALUES (x.id, 'ins') WHEN MATCHED THEN DELETE", want: "MERGE 2"},
		// A row a second source row would update again is an error, one
		// it leaves alone is not.
		{query: "MERGE INTO t USING (VALUES (1), (1)) AS x(id) ON t.id = x.id WHEN MATCHED AND t.v = 0 THEN UPDATE SET v = v + 1 WHEN MATCHED THEN DO NOTHING", code: pgerr.CardinalityViolation},
		{query: "MERGE INTO t USING (VALUES (1, 1), (1, 2)) AS x(id, n) ON t.id = x.id WHEN MATCHED AND x.n = 1 THEN UPDATE SET v = v + 1 WHEN MATCHED THEN DO NOTHING", want: "MERGE 1"},
		{query: "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (t.id)", code: pgerr.UndefinedTable},
		{query: "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE WHEN MATCHED THEN DELETE", code: pgerr.SyntaxError},
		{query: "MERGE INTO t USING s AS t ON true WHEN MATCHED THEN DELETE", code: "42712"},
		{query: "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (v) VALUES (1)", code: pgerr.NotNullViolation},
		{query: "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE RETURNING *", code: pgerr.SyntaxError},
		{query: "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED BY SOURCE THEN DELETE", code: pgerr.SyntaxError},
		{query: "SELECT id, v, w FROM t ORDER BY id", want: "SELECT 2 [1 1 d][4 7 ins]"},
	} {
		res, err := run(s, tc.query)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%s: %v, want SQLSTATE %s", tc.query, err, tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		got := res.Tag
		if len(res.Rows) > 0 {
			got += " " + rowsText(res)
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
	}
}

// TestMergeParameters: a prepared MERGE takes its source and values from
// parameters, and each execution merges what they say.
func TestMergeParameters(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE kv (k int PRIMARY KEY, v text NOT NULL)")
	p, err := s.Prepare(context.Background(), `MERGE INTO kv USING (SELECT $1::int AS k, $2::text AS v) src ON kv.k = src.k
		WHEN MATCHED THEN UPDATE SET v = kv.v || src.v WHEN NOT MATCHED THEN INSERT VALUES (src.k, src.v)`, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]types.Datum{{int64(1), "a"}, {int64(2), "b"}, {int64(1), "c"}} {
		res, err := s.Execute(context.Background(), p, args)
		if err != nil {
			t.Fatal(err)
		}
		if res.Tag != "MERGE 1" {
			t.Errorf("MERGE with %v: tag %s, want MERGE 1", args, res.Tag)
		}
	}
	if got := rowsText(mustRun(t, s, "SELECT k, v FROM kv ORDER BY k")); got != "[1 ac][2 b]" {
		t.Errorf("after three MERGEs: %s, want [1 ac][2 b]", got)
	}
}

// TestDataModifyingWith: a data-modifying WITH query runs once per
// execution, read by any number of references or by none, and the main
// statement does not see its writes.
func TestDataModifyingWith(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE q (id int PRIMARY KEY, v text)")
	mustRun(t, s, "CREATE TABLE done (id int PRIMARY KEY, v text)")
	p, err := s.Prepare(context.Background(), `WITH i AS (INSERT INTO q VALUES ($1, 'new') RETURNING id)
		SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM i), (SELECT count(*) FROM q)`, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2} {
		res, err := s.Execute(context.Background(), p, []types.Datum{id})
		if err != nil {
			t.Fatal(err)
		}
		// The main query's snapshot does not hold the row i inserted.
		if want := "[1 1 " + map[int64]string{1: "0", 2: "1"}[id] + "]"; rowsText(res) != want {
			t.Errorf("execution %d: %s, want %s", id, rowsText(res), want)
		}
	}
	mustRun(t, s, "WITH unread AS (UPDATE q SET v = 'seen') SELECT 1")
	if got := rowsText(mustRun(t, s, "SELECT id, v FROM q ORDER BY id")); got != "[1 seen][2 seen]" {
		t.Errorf("after an unread data-modifying WITH: %s, want [1 seen][2 seen]", got)
	}
	res := mustRun(t, s, "WITH moved AS (DELETE FROM q WHERE id = 1 RETURNING *) INSERT INTO done SELECT * FROM moved RETURNING id")
	if res.Tag != "INSERT 0 1" || rowsText(res) != "[1]" {
		t.Errorf("moving a row: %s %s, want INSERT 0 1 [1]", res.Tag, rowsText(res))
	}
	for _, q := range []string{
		"SELECT * FROM (WITH d AS (DELETE FROM q RETURNING *) SELECT * FROM d) x",
		"WITH d AS (DELETE FROM q) SELECT * FROM d",
	} {
		if _, err := run(s, q); pgerr.Code(err) != pgerr.FeatureNotSupported {
			t.Errorf("%s: %v, want 0A000", q, err)
		}
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM q")); got != "[1]" {
		t.Errorf("rows left after the refused statements: %s, want [1]", got)
	}
}

// TestDataModifyingWithSameRow: when a data-modifying WITH query and the
// main statement reach the same row, the first to run writes it and the
// other skips it, as in PostgreSQL, instead of both leaving a version.
func TestDataModifyingWithSameRow(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE r (id int PRIMARY KEY, v int)")
	mustRun(t, s, "INSERT INTO r VALUES (1, 0), (2, 0)")
	for _, tc := range []struct{ query, tag, rows string }{
		// The unread query runs after the main statement.
		{"WITH a AS (UPDATE r SET v = 1 WHERE id = 1 RETURNING *) UPDATE r SET v = 2 WHERE id = 1", "UPDATE 1", "[1 2][2 0]"},
		// The main statement reads a first, so a runs first.
		{"WITH a AS (UPDATE r SET v = 3 WHERE id = 1 RETURNING id) UPDATE r SET v = 4 WHERE id IN (SELECT id FROM a)", "UPDATE 0", "[1 3][2 0]"},
		{"WITH a AS (DELETE FROM r WHERE id = 2 RETURNING *) UPDATE r SET v = 5 WHERE id = 2", "UPDATE 1", "[1 3][2 5]"},
	} {
		res := mustRun(t, s, tc.query)
		if res.Tag != tc.tag {
			t.Errorf("%s: %s, want %s", tc.query, res.Tag, tc.tag)
		}
		if got := rowsText(mustRun(t, s, "SELECT id, v FROM r ORDER BY id")); got != tc.rows {
			t.Errorf("after %s: %s, want %s", tc.query, got, tc.rows)
		}
	}
}

// lineSink collects what COPY ... TO sends.
type lineSink struct{ lines []string }

func (l *lineSink) Begin(int, bool) error { return nil }
func (l *lineSink) Line(b []byte) error   { l.lines = append(l.lines, string(b)); return nil }

// TestCopyDataModifyingWith: COPY (WITH x AS (INSERT ... RETURNING ...)
// SELECT ...) TO STDOUT runs the insert once and sends its rows, as
// PostgreSQL does.
func TestCopyDataModifyingWith(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE cw (a int)")
	ps, err := s.PrepareAll(context.Background(), "COPY (WITH x AS (INSERT INTO cw VALUES (1), (2) RETURNING a * 10) SELECT * FROM x) TO STDOUT")
	if err != nil {
		t.Fatal(err)
	}
	var sink lineSink
	if _, err := s.CopyOut(context.Background(), ps[0], &sink); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sink.lines, ""); got != "10\n20\n" {
		t.Errorf("COPY sent %q, want \"10\\n20\\n\"", got)
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM cw")); got != "[2]" {
		t.Errorf("rows inserted: %s, want [2]", got)
	}
}
