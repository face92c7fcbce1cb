package sql

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// newBudgetEngine returns an engine whose statements share a budget of
// limit bytes.
func newBudgetEngine(t *testing.T, limit int64) (*Engine, *membudget.Budget) {
	t.Helper()
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	budget := membudget.New(limit, membudget.Options{})
	e, err := NewEngine(store, Options{Memory: budget, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return e, budget
}

// valuesList is a VALUES list of n rows of one text of width bytes.
func valuesList(n, width int) string {
	var sb strings.Builder
	sb.WriteString("VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "('%d%s')", i, strings.Repeat("v", width))
	}
	return sb.String()
}

// repeatValues is a VALUES list of n rows of one text of width bytes, each
// made by repeat() when the statement runs.
func repeatValues(n, width int) string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = fmt.Sprintf("(repeat('%c', %d) || %d)", 'a'+i%26, width, i)
	}
	return "VALUES " + strings.Join(rows, ", ")
}

// TestStatementMemoryBudget runs statements that materialize more than an
// 8 MiB budget holds: each fails with 53200 and gives everything back, and
// the session goes on. Statements that fit succeed; their memory is held
// until the session's next statement or Close.
func TestStatementMemoryBudget(t *testing.T) {
	const limit = 8 << 20
	e, budget := newBudgetEngine(t, limit)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE big (id int PRIMARY KEY, s text)")
	mustRun(t, s, "CREATE TABLE sink (id int PRIMARY KEY, s text)")
	mustRun(t, s, "CREATE TABLE small (id int PRIMARY KEY, s text)")
	mustRun(t, s, "INSERT INTO small SELECT g, repeat('s', 500) FROM generate_series(1, 1000) g")
	// 12 MiB of rows, inserted 1 MiB at a time.
	for i := 0; i < 24; i++ {
		mustRun(t, s, fmt.Sprintf("INSERT INTO big SELECT g, repeat('b', 500) FROM generate_series(%d, %d) g", i*1000+1, (i+1)*1000))
	}
	for _, tc := range []struct {
		name, query string
		fits        bool
	}{
		{"series", "SELECT count(*) FROM generate_series(1, 1000000)", false},
		{"numeric series", "SELECT count(*) FROM generate_series(1, 300000::numeric)", false},
		// A join streams its rows: it holds its build side, not its
		// result.
		{"fits: cross join", "SELECT count(*) FROM generate_series(1, 2000) a, generate_series(1, 2000) b", true},
		// Past work_mem (4MB) a hash join, a sort and a hash aggregate
		// write temporary files (spill.go): these hold 12 MiB of rows
		// but not at once.
		{"fits: hash join", "SELECT count(*) FROM big a JOIN big b ON a.id = b.id", true},
		{"outer join", "SELECT count(*) FROM small a LEFT JOIN big b ON a.id < b.id", false},
		{"fits: outer join", "SELECT count(*) FROM (SELECT g FROM generate_series(1, 1000) g) a LEFT JOIN (SELECT g FROM generate_series(1, 1000) g) b ON a.g < b.g", true},
		{"string_agg", "SELECT length(string_agg(repeat('x', 100000), ',')) FROM generate_series(1, 100)", false},
		{"ordered string_agg", "SELECT length(string_agg(repeat('x', 100000), ',' ORDER BY g DESC)) FROM generate_series(1, 100) g", false},
		{"array_agg", "SELECT cardinality(array_agg(repeat('y', 100000))) FROM generate_series(1, 100)", false},
		{"groups", "SELECT count(*) FROM (SELECT g, count(*) FROM generate_series(1, 200000) g GROUP BY g) s", false},
		// Built in the executor: 10 MB of literal text would already be
		// refused while parsing (TestParseMemory).
		{"sorted values", "SELECT * FROM (" + repeatValues(100, 100000) + ") v(x) ORDER BY x", false},
		{"scan", "SELECT s FROM big", false},
		{"fits: scan and sort", "SELECT id FROM big ORDER BY s, id DESC", true},
		{"distinct", "SELECT DISTINCT s || id FROM big", false},
		{"union", "SELECT count(*) FROM (SELECT g FROM generate_series(1, 150000) g UNION SELECT g FROM generate_series(1, 150000) g) u", false},
		{"subquery", "SELECT count(*) FROM generate_series(1, 10) g WHERE g::text IN (SELECT s || id FROM big)", false},
		{"fits: sorted cte", "WITH c AS (SELECT s FROM big ORDER BY id) SELECT count(*) FROM c", true},
		{"fits: groups of a table", "SELECT count(*) FROM (SELECT s || id, count(*) FROM big GROUP BY 1) s", true},
		// Streamed, the subquery keeps only its values; the WITH query
		// holds none of its rows.
		{"fits: subquery", "SELECT count(*) FROM generate_series(1, 10) g WHERE g IN (SELECT id FROM big)", true},
		{"fits: cte", "WITH c AS (SELECT s FROM big) SELECT count(*) FROM c", true},
		{"insert select", "INSERT INTO sink SELECT * FROM big", false},
		{"update", "UPDATE big SET s = s || 'u'", false},
		{"delete returning", "DELETE FROM big RETURNING *", false},
		{"fits: series", "SELECT count(*) FROM generate_series(1, 10000)", true},
		{"fits: string_agg", "SELECT length(string_agg(repeat('x', 10000), ',')) FROM generate_series(1, 100)", true},
		{"fits: point", "SELECT length(s) FROM big WHERE id = 7", true},
		// Correlated subqueries give their rows back after each outer
		// row: 1000 runs over 1000 rows (60 times the budget in all).
		{"fits: correlated", "SELECT sum((SELECT count(*) FROM small b WHERE b.s > a.s || a.id)) FROM small a", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(s, tc.query)
			if tc.fits {
				if err != nil {
					t.Fatalf("%s: %v", tc.query, err)
				}
				if used := budget.Used(); used == 0 || used > limit {
					t.Errorf("after %s the budget holds %d bytes; want the statement's memory, held until the next statement", tc.query, used)
				}
			} else {
				pe := pgerr.Find(err)
				if pe == nil || pe.Code != pgerr.OutOfMemory || pe.Message != "out of memory" ||
					!strings.HasPrefix(pe.Detail, "Failed on request of size ") || !strings.HasSuffix(pe.Detail, ` in memory context "ExecutorState".`) {
					t.Fatalf("%s: got %v, want 53200 out of memory", tc.query, err)
				}
				if used := budget.Used(); used != 0 {
					t.Errorf("after %s failed the budget holds %d bytes, want 0", tc.query, used)
				}
			}
			// The session goes on; a small statement holds its small
			// result, not a reservation step.
			if got := outcome(s, "SELECT length(s) FROM big WHERE id = 24000"); got != "[500]" {
				t.Fatalf("after %s: %s", tc.query, got)
			}
			if used := budget.Used(); used == 0 || used > 1000 {
				t.Errorf("a point query holds %d bytes, want its result's few", used)
			}
		})
	}
	// Failed writes wrote nothing. (Reading big whole needs more than
	// the budget.)
	for _, id := range []int{1, 12345, 24000} {
		if got := outcome(s, fmt.Sprintf("SELECT length(s) FROM big WHERE id = %d", id)); got != "[500]" {
			t.Errorf("big's row %d after the failed writes: %s", id, got)
		}
	}
	// COPY holds one line at a time: a 10 MB line is over the budget, many
	// short lines are not.
	if _, _, err := copyIn(t, s, "COPY sink FROM STDIN", "1\t"+strings.Repeat("c", 10<<20)+"\n"); pgerr.Code(err) != pgerr.OutOfMemory {
		t.Errorf("COPY of a 10 MB line: %v, want 53200", err)
	}
	if used := budget.Used(); used != 0 {
		t.Errorf("after the failed COPY the budget holds %d bytes", used)
	}
	var lines strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&lines, "%d\t%s\n", i, strings.Repeat("c", 500))
	}
	if _, _, err := copyIn(t, s, "COPY sink FROM STDIN", lines.String()); err != nil {
		t.Errorf("COPY of 10 MB in short lines: %v", err)
	}
	if got := outcome(s, "SELECT length(s) FROM sink WHERE id = 19999"); got != "[500]" {
		t.Errorf("sink after the COPY: %s", got)
	}
	s.Close()
	if used := budget.Used(); used != 0 {
		t.Errorf("after Close the budget holds %d bytes, want 0", used)
	}
}

// TestStatementMemoryShared checks that sessions share the budget: rows a
// session's last statement returned stay counted until its next statement,
// and a failed statement in an explicit transaction releases at once.
func TestStatementMemoryShared(t *testing.T) {
	const limit = 8 << 20
	e, budget := newBudgetEngine(t, limit)
	a, b := newTestSession(t, e), newTestSession(t, e)
	// About 5 MB of rows, returned to a's caller.
	res := mustRun(t, a, "SELECT repeat('a', 50000) FROM generate_series(1, 100)")
	if len(res.Rows) != 100 {
		t.Fatalf("got %d rows", len(res.Rows))
	}
	held := budget.Used()
	if held < 5_000_000 {
		t.Fatalf("a's result holds %d bytes of the budget, want at least 5 MB", held)
	}
	query := "SELECT length(string_agg(repeat('b', 100000), '')) FROM generate_series(1, 40)"
	if _, err := run(b, query); pgerr.Code(err) != pgerr.OutOfMemory {
		t.Fatalf("b's 4 MB aggregate beside a's result: %v, want 53200", err)
	}
	if got := budget.Used(); got != held {
		t.Fatalf("b's failure left %d bytes held, want a's %d", got, held)
	}
	mustRun(t, a, "SELECT 1") // a's result is consumed
	if got := outcome(b, query); got != "[4000000]" {
		t.Fatalf("b's aggregate once a moved on: %s", got)
	}
	a.ReleaseResult()
	b.ReleaseResult()
	if got := budget.Used(); got != 0 {
		t.Fatalf("after both released their results the budget holds %d bytes", got)
	}

	// Inside a transaction block the failure aborts the transaction and
	// still releases.
	mustRun(t, a, "BEGIN")
	if _, err := run(a, "SELECT count(*) FROM generate_series(1, 1000000)"); pgerr.Code(err) != pgerr.OutOfMemory {
		t.Fatalf("in BEGIN: %v, want 53200", err)
	}
	b.Close()
	if got := budget.Used(); got != 0 {
		t.Fatalf("after a's failure and b's Close the budget holds %d bytes", got)
	}
	if _, err := run(a, "SELECT 1"); pgerr.Code(err) != pgerr.InFailedSQLTransaction {
		t.Fatalf("after the failure in BEGIN: %v, want 25P02", err)
	}
	mustRun(t, a, "ROLLBACK")
}

// panicPlan grows the statement's memory and panics, as a bug would.
type panicPlan struct{}

func (panicPlan) columns() []Column { return nil }
func (panicPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	if err := x.grow(3 << 20); err != nil {
		return nil, err
	}
	panic("executor bug")
}

// TestStatementMemoryPanic checks that a statement that panics gives its
// memory back with its XX000.
func TestStatementMemoryPanic(t *testing.T) {
	e, budget := newBudgetEngine(t, 8<<20)
	s := newTestSession(t, e)
	p := &Prepared{SQL: "SELECT", Tag: "SELECT", stmt: &ast.SelectStmt{}, bound: panicPlan{}, gen: e.gen.Load(), path: s.settings["search_path"], role: s.currentUser()}
	_, err := s.Execute(context.Background(), p, nil)
	if pgerr.Code(err) != pgerr.InternalError {
		t.Fatalf("panicking statement: %v, want XX000", err)
	}
	if got := budget.Used(); got != 0 {
		t.Fatalf("after the panic the budget holds %d bytes", got)
	}
}

// TestStmtMemoryCounters checks the accounting itself: steps, marks,
// drops and pins, and a refusal that leaves the count unchanged.
func TestStmtMemoryCounters(t *testing.T) {
	budget := membudget.New(3*memoryStepBytes+100, membudget.Options{})
	m := &stmtMemory{budget: budget}
	steps := []struct {
		name     string
		do       func() error
		used     int64
		reserved int64
	}{
		{"first bytes reserve a step", func() error { return m.grow(10) }, 10, memoryStepBytes},
		{"within the step", func() error { return m.grow(memoryStepBytes - 10) }, memoryStepBytes, memoryStepBytes},
		{"past it: whole steps", func() error { return m.grow(memoryStepBytes + 1) }, 2*memoryStepBytes + 1, 3 * memoryStepBytes},
		{"the last step does not fit whole; the bytes do", func() error { return m.grow(memoryStepBytes + 50) }, 3*memoryStepBytes + 51, 3*memoryStepBytes + 51},
		{"refused", func() error { return m.grow(100) }, 3*memoryStepBytes + 51, 3*memoryStepBytes + 51},
	}
	for _, st := range steps {
		err := st.do()
		if st.name == "refused" {
			if pgerr.Code(err) != pgerr.OutOfMemory || pgerr.Find(err).Detail != `Failed on request of size 100 in memory context "ExecutorState".` {
				t.Fatalf("%s: %v", st.name, err)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if m.used != st.used || m.reserved != st.reserved || budget.Used() != st.reserved {
			t.Fatalf("%s: used %d reserved %d budget %d; want used %d reserved %d", st.name, m.used, m.reserved, budget.Used(), st.used, st.reserved)
		}
	}
	m.release()

	// Marks: an inner range dropped, a pin inside an outer range that is
	// dropped, and nothing dropped twice.
	outer := m.mark()
	m.grow(100) // input rows
	inner := m.mark()
	m.grow(40) // an inner node's input
	m.drop(inner, m.mark())
	pinFrom := m.mark()
	m.grow(7) // a cached subquery
	m.pin(pinFrom)
	m.grow(5)
	mid := m.mark()
	m.grow(30) // output
	if m.used != 142 {
		t.Fatalf("used %d before the outer drop, want 142", m.used)
	}
	m.drop(outer, mid)
	if m.used != 37 {
		t.Fatalf("used %d after dropping the input, want 37 (pinned 7 + output 30)", m.used)
	}
	// The statement ends: only what it holds stays reserved.
	m.trim()
	if m.reserved != 37 || budget.Used() != 37 {
		t.Fatalf("after trim: reserved %d, budget %d; want 37", m.reserved, budget.Used())
	}
	m.release()
	if budget.Used() != 0 || m.used != 0 {
		t.Fatalf("after release: budget %d, used %d", budget.Used(), m.used)
	}
	// A nil budget is unlimited.
	free := &stmtMemory{}
	if err := free.grow(1 << 40); err != nil {
		t.Fatal(err)
	}
	free.release()
}

// cancelAfter is a context whose Err is nil for its first n calls and err
// afterwards: a statement finds it live when it starts and ended at its
// executor's first check, with no timing involved.
type cancelAfter struct {
	context.Context
	n   int
	err error
}

func (c *cancelAfter) Err() error {
	if c.n > 0 {
		c.n--
		return nil
	}
	return c.err
}

// TestStatementCancellation runs long statements under a context that ends
// after the statement starts: each stops with 57014 and the message for
// why its context ended.
func TestStatementCancellation(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE ct (id int PRIMARY KEY, n int)")
	mustRun(t, s, "CREATE TABLE ct2 (id int PRIMARY KEY, n int)")
	mustRun(t, s, "INSERT INTO ct SELECT g, g % 7 FROM generate_series(1, 3000) g")
	queries := []string{
		"SELECT * FROM ct",
		"SELECT count(*) FROM ct",
		"SELECT n, count(*) FROM ct GROUP BY n",
		"SELECT * FROM ct WHERE n = 99",
		"SELECT count(*) FROM generate_series(1, 5000)",
		"SELECT count(*) FROM generate_series(1, 5000::numeric)",
		"SELECT count(*) FROM unnest((SELECT array_agg(id) FROM ct))",
		"SELECT x FROM generate_series(1, 5000) x ORDER BY x DESC LIMIT 1",
		"SELECT * FROM (" + valuesList(3000, 1) + ") v(x) ORDER BY x LIMIT 1",
		"SELECT DISTINCT n FROM ct",
		"SELECT id FROM ct UNION SELECT id FROM ct",
		"SELECT id FROM ct EXCEPT SELECT id FROM ct WHERE id > 5",
		"SELECT count(*) FROM ct a JOIN ct b ON a.id = b.id",
		"SELECT count(*) FROM ct a LEFT JOIN ct b ON a.id = b.n",
		"SELECT (SELECT count(*) FROM ct) FROM ct",
		"WITH c AS (SELECT id FROM ct) SELECT count(*) FROM c",
		"SELECT * FROM ct FOR UPDATE",
		"INSERT INTO ct2 SELECT * FROM ct",
		"UPDATE ct SET n = n + 1",
		"DELETE FROM ct",
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"cancel", context.Canceled, "canceling statement due to user request"},
		{"timeout", context.DeadlineExceeded, "canceling statement due to statement timeout"},
	} {
		for _, q := range queries {
			ps, err := s.PrepareAll(context.Background(), q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			// Execute's own check at the start sees the context live.
			ctx := &cancelAfter{Context: context.Background(), n: 1, err: tc.err}
			_, err = s.Execute(ctx, ps[0], nil)
			pe := pgerr.Find(err)
			if pe == nil || pe.Code != pgerr.QueryCanceled || pe.Message != tc.want {
				t.Errorf("%s: %s: got %v, want 57014 %s", tc.name, q, err, tc.want)
			}
		}
	}
	if got := outcome(s, "SELECT count(*), sum(n) FROM ct"); got != "[3000 8998]" {
		t.Errorf("ct after the cancelled writes: %s", got)
	}
}

// rowsPlan is an input that returns fixed rows without checking anything.
type rowsPlan struct {
	cols []Column
	rows [][]types.Datum
}

func (p *rowsPlan) columns() []Column                     { return p.cols }
func (p *rowsPlan) run(*evalCtx) ([][]types.Datum, error) { return p.rows, nil }

// TestNodesObserveCancellation runs each plan node that loops over rows on
// rows that check nothing, under a context already ended: every node
// notices by itself.
func TestNodesObserveCancellation(t *testing.T) {
	const n = 4 * cancelCheckRows
	intCol := []Column{{Name: "x", Type: types.New(types.Int8)}}
	input := func() plan {
		rows := make([][]types.Datum, n)
		for i := range rows {
			rows[i] = []types.Datum{int64(n - i)}
		}
		return &rowsPlan{cols: intCol, rows: rows}
	}
	small := func() plan { return &rowsPlan{cols: intCol, rows: [][]types.Datum{{int64(1)}, {int64(2)}}} }
	col := &colExpr{t: types.New(types.Int8)}
	values := make([][]expr, n)
	for i := range values {
		values[i] = []expr{&constExpr{t: types.New(types.Int8), v: int64(i)}}
	}
	for _, tc := range []struct {
		name string
		node func() plan
	}{
		{"values", func() plan { return &valuesNode{cols: intCol, rows: values} }},
		{"filter", func() plan { return &filterNode{in: input(), pred: &constExpr{t: boolT, v: true}} }},
		{"project", func() plan { return &projectNode{in: input(), exprs: []expr{col}, cols: intCol} }},
		{"aggregate", func() plan {
			return &aggNode{in: input(), aggs: []*aggSpec{{name: "count", t: types.New(types.Int8)}}, cols: []Column{{Name: "count", Type: types.New(types.Int8)}}}
		}},
		{"group", func() plan {
			return &aggNode{in: input(), groups: []expr{col}, aggs: []*aggSpec{{name: "count", t: types.New(types.Int8)}}, cols: []Column{intCol[0], {Name: "count", Type: types.New(types.Int8)}}}
		}},
		{"sort", func() plan { return &sortNode{in: input(), keys: []sortKey{{idx: 0}}} }},
		{"distinct", func() plan { return &distinctNode{in: input(), width: 1} }},
		{"union", func() plan { return &setOpNode{left: input(), right: small(), op: "UNION", cols: intCol} }},
		{"intersect", func() plan { return &setOpNode{left: input(), right: input(), op: "INTERSECT", cols: intCol} }},
		{"except", func() plan { return &setOpNode{left: small(), right: input(), op: "EXCEPT", cols: intCol} }},
		{"nested loop join", func() plan {
			return &joinNode{left: small(), right: input(), kind: "LEFT", cols: []Column{intCol[0], intCol[0]}}
		}},
	} {
		for _, end := range []struct {
			name string
			ctx  func() context.Context
			want string
		}{
			{"cancelled", func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			}, "canceling statement due to user request"},
			{"timed out", func() context.Context {
				ctx, cancel := context.WithTimeout(context.Background(), 0)
				t.Cleanup(cancel)
				return ctx
			}, "canceling statement due to statement timeout"},
		} {
			ec := &evalCtx{exec: &execCtx{ctx: end.ctx()}}
			rows, err := tc.node().run(ec)
			pe := pgerr.Find(err)
			if pe == nil || pe.Code != pgerr.QueryCanceled || pe.Message != end.want {
				t.Errorf("%s, %s: got %d rows, %v; want 57014 %s", tc.name, end.name, len(rows), err, end.want)
			}
		}
	}
}

// TestParseMemory: parsing a large query string waits for its memory in the
// budget, gives it back when the session's caller is done with the
// statements, and refuses (53200) a string that could not fit even alone;
// small parses do not queue.
func TestParseMemory(t *testing.T) {
	e, budget := newBudgetEngine(t, 64<<20)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// About 4 MiB of IN list: some 2 million tokens, past 64 MiB at 256
	// bytes a token.
	huge := "SELECT 1 WHERE 1 IN (" + strings.Repeat("1,", 2<<20) + "1)"
	if _, err := s.PrepareAll(context.Background(), huge); pgerr.Code(err) != pgerr.OutOfMemory {
		t.Fatalf("a parse larger than the budget: %v, want 53200", err)
	}
	if budget.Used() != 0 {
		t.Fatalf("budget holds %d after a refused parse", budget.Used())
	}

	// 1 MiB of literal: about 4 MiB to parse. It waits while the budget
	// is taken, and a small parse meanwhile does not.
	large := "SELECT length('" + strings.Repeat("x", 1<<20) + "')"
	if !budget.TryAcquire(64 << 20) {
		t.Fatal("could not take the budget")
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.PrepareAll(context.Background(), large)
		done <- err
	}()
	for budget.Waiting() == 0 {
		select {
		case err := <-done:
			t.Fatalf("a large parse ran with no memory free: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	other, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.PrepareAll(context.Background(), "SELECT 1 + 1"); err != nil {
		t.Fatalf("a small parse while a large one waits: %v", err)
	}
	budget.Release(64 << 20)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if held := budget.Used(); held < 4<<20 {
		t.Fatalf("the parse holds %d bytes, want at least 4 MiB", held)
	}
	s.ReleaseResult()
	if budget.Used() != 0 {
		t.Fatalf("budget holds %d after ReleaseResult", budget.Used())
	}

	// A cancelled wait says why.
	budget.TryAcquire(64 << 20)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request"))
	if _, err := s.PrepareAll(ctx, large); pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("a parse cancelled while waiting for memory: %v", err)
	}
	budget.Release(64 << 20)
}

// TestCursorMemory: a cursor's rows stay counted against the budget after
// DECLARE returns, until the cursor is closed, its transaction ends, or
// its session closes.
func TestCursorMemory(t *testing.T) {
	e, budget := newBudgetEngine(t, 8<<20)
	s := newTestSession(t, e)
	for _, end := range []string{"CLOSE c", "COMMIT", "ROLLBACK", "close session"} {
		mustRun(t, s, "BEGIN")
		mustRun(t, s, "DECLARE c CURSOR FOR SELECT repeat('a', 50000) FROM generate_series(1, 40)")
		mustRun(t, s, "SELECT 1")
		s.ReleaseResult()
		if held := budget.Used(); held < 2_000_000 {
			t.Fatalf("an open cursor of 2 MB holds %d bytes", held)
		}
		if end == "close session" {
			s.Close()
			s = newTestSession(t, e)
		} else {
			mustRun(t, s, end)
			if end == "CLOSE c" {
				mustRun(t, s, "COMMIT")
			}
			s.ReleaseResult()
		}
		if held := budget.Used(); held != 0 {
			t.Fatalf("after %s the budget holds %d bytes", end, held)
		}
	}
}
