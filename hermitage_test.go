package cairn_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// The Hermitage isolation cases (../shared/reliability/HERMITAGE.md), run
// over the wire against cairn and against PostgreSQL 15 side by side. For
// every step the test records what the statement returned (tag, rows as a
// set, or SQLSTATE), which statements blocked, and at which step each was
// released; the two traces must be equal.
//
// Whether a statement is blocked is read from the server, never guessed
// from elapsed time: it is blocked when its backend is seen waiting for a
// lock in pg_locks (a row with granted = false whose pid is the
// connection's pg_backend_pid(), the pid BackendKeyData gave the client).
// Both servers answer the same query: PostgreSQL from its lock manager,
// cairn from its transaction manager's wait graph. After sending a step
// the harness waits until every statement not yet answered (the step's
// own, and those blocked before) has either replied or is seen waiting:
// a statement released by the step may for a moment be neither (what it
// waited for has ended, it has not finished yet), and the harness polls
// until it is one or the other. The waiting set is trusted only when no
// reply arrived while it was read, since a statement that finishes may
// release another. Nothing is decided by a timeout: a statement that
// neither replies nor waits within settleTimeout fails the test.
//
// This is sound because a wait, once seen, lasts until a later step ends
// what it waits for, and because a step that ends it does so before it
// replies: PostgreSQL grants the released lock inside the commit or
// rollback, and cairn stops showing a wait as soon as the transaction (or
// subtransaction) it waits for has ended, before the waiter wakes.

type hstep struct {
	session int    // 0-based
	sql     string // "B" begins a transaction at the level under test
}

type hcase struct {
	name  string
	steps []hstep
}

func s(session int, q string) hstep { return hstep{session, q} }

var hermitageCases = []hcase{
	{"G0", []hstep{s(0, "B"), s(1, "B"),
		s(0, "update test set value = 11 where id = 1"), s(1, "update test set value = 12 where id = 1"),
		s(0, "update test set value = 21 where id = 2"), s(0, "commit"), s(0, "select * from test"),
		s(1, "update test set value = 22 where id = 2"), s(1, "commit"), s(2, "select * from test")}},
	{"G1a", []hstep{s(0, "B"), s(1, "B"),
		s(0, "update test set value = 101 where id = 1"), s(1, "select * from test"), s(0, "abort"),
		s(1, "select * from test"), s(1, "commit")}},
	{"G1b", []hstep{s(0, "B"), s(1, "B"),
		s(0, "update test set value = 101 where id = 1"), s(1, "select * from test"),
		s(0, "update test set value = 11 where id = 1"), s(0, "commit"), s(1, "select * from test"), s(1, "commit")}},
	{"G1c", []hstep{s(0, "B"), s(1, "B"),
		s(0, "update test set value = 11 where id = 1"), s(1, "update test set value = 22 where id = 2"),
		s(0, "select * from test where id = 2"), s(1, "select * from test where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{"OTV", []hstep{s(0, "B"), s(1, "B"), s(2, "B"),
		s(0, "update test set value = 11 where id = 1"), s(0, "update test set value = 19 where id = 2"),
		s(1, "update test set value = 12 where id = 1"), s(0, "commit"), s(2, "select * from test where id = 1"),
		s(1, "update test set value = 18 where id = 2"), s(2, "select * from test where id = 2"), s(1, "commit"),
		s(2, "select * from test where id = 2"), s(2, "select * from test where id = 1"), s(2, "commit")}},
	{"PMP", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where value = 30"), s(1, "insert into test (id, value) values(3, 30)"),
		s(1, "commit"), s(0, "select * from test where value % 3 = 0"), s(0, "commit")}},
	{"PMP-write", []hstep{s(0, "B"), s(1, "B"),
		s(0, "update test set value = value + 10"), s(1, "delete from test where value = 20"), s(0, "commit"),
		s(1, "select * from test where value = 20"), s(1, "commit")}},
	{"P4", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where id = 1"), s(1, "select * from test where id = 1"),
		s(0, "update test set value = 11 where id = 1"), s(1, "update test set value = 11 where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{"G-single", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where id = 1"), s(1, "select * from test where id = 1"),
		s(1, "select * from test where id = 2"), s(1, "update test set value = 12 where id = 1"),
		s(1, "update test set value = 18 where id = 2"), s(1, "commit"),
		s(0, "select * from test where id = 2"), s(0, "commit")}},
	{"G-single-dependencies", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where value % 5 = 0"), s(1, "update test set value = 12 where value = 10"),
		s(1, "commit"), s(0, "select * from test where value % 3 = 0"), s(0, "commit")}},
	{"G-single-write-1", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where id = 1"), s(1, "select * from test"),
		s(1, "update test set value = 12 where id = 1"), s(1, "update test set value = 18 where id = 2"),
		s(1, "commit"), s(0, "delete from test where value = 20"), s(0, "select * from test"), s(0, "commit")}},
	{"G-single-write-2", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where id = 1"), s(1, "select * from test"),
		s(1, "update test set value = 12 where id = 1"), s(0, "delete from test where value = 20"),
		s(1, "update test set value = 18 where id = 2"), s(0, "commit"), s(1, "commit")}},
	{"G2-item", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where id in (1,2)"), s(1, "select * from test where id in (1,2)"),
		s(0, "update test set value = 11 where id = 1"), s(1, "update test set value = 21 where id = 2"),
		s(0, "commit"), s(1, "commit")}},
	{"G2", []hstep{s(0, "B"), s(1, "B"),
		s(0, "select * from test where value % 3 = 0"), s(1, "select * from test where value % 3 = 0"),
		s(0, "insert into test (id, value) values(3, 30)"), s(1, "insert into test (id, value) values(4, 42)"),
		s(0, "commit"), s(1, "commit"), s(2, "select * from test where value % 3 = 0")}},
	{"G2-two-edges", []hstep{s(0, "B"), s(0, "select * from test"), s(1, "B"),
		s(1, "update test set value = value + 5 where id = 2"), s(1, "commit"), s(2, "B"),
		s(2, "select * from test"), s(2, "commit"), s(0, "update test set value = 0 where id = 1"), s(0, "commit")}},
}

// hermitageKnownDifferences are case/level pairs whose traces are known to
// differ from PostgreSQL's, with the reason. The test fails when one of
// them starts to agree, so this list only shrinks.
var hermitageKnownDifferences = map[string]string{}

// settleTimeout bounds how long a step may take to settle (every
// statement replied or seen waiting); past it the test fails. It only
// catches a hang and decides nothing.
const settleTimeout = 30 * time.Second

// settlePoll is how often pg_locks is read while a step settles.
const settlePoll = 2 * time.Millisecond

// waitingPIDs returns the backends seen waiting for a lock.
func waitingPIDs(ctx context.Context, conn *pgx.Conn) (map[uint32]bool, error) {
	res, err := conn.PgConn().Exec(ctx, "select pid from pg_locks where not granted and pid is not null").ReadAll()
	if err != nil {
		return nil, err
	}
	out := map[uint32]bool{}
	for _, row := range res[0].Rows {
		pid, err := strconv.ParseUint(string(row[0]), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("pg_locks pid %q: %w", row[0], err)
		}
		out[uint32(pid)] = true
	}
	return out, nil
}

type outcome struct {
	text string
	err  error
}

func renderResult(results []*pgconn.Result, err error) string {
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return pe.Code
		}
		return "error: " + err.Error()
	}
	var parts []string
	for _, r := range results {
		if len(r.FieldDescriptions) == 0 {
			parts = append(parts, r.CommandTag.String())
			continue
		}
		rows := make([]string, len(r.Rows))
		for i, row := range r.Rows {
			vals := make([]string, len(row))
			for j, v := range row {
				vals[j] = string(v)
			}
			rows[i] = "(" + strings.Join(vals, ",") + ")"
		}
		sort.Strings(rows)
		parts = append(parts, "{"+strings.Join(rows, ",")+"}")
	}
	return strings.Join(parts, "; ")
}

// runHermitage runs one case at one level against the server at url and
// returns its trace.
func runHermitage(t *testing.T, url string, c hcase, level string) []string {
	return runInterleaving(t, url, c, level, nil, "")
}

// runInterleaving is runHermitage with the statements setup in place of
// the test table's (when set), and the trace ended by final's result in
// place of the table's (when set).
func runInterleaving(t *testing.T, url string, c hcase, level string, setup []string, final string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if setup == nil {
		setup = []string{"drop table if exists test", "create table test (id int primary key, value int)",
			"insert into test (id, value) values (1, 10), (2, 20)"}
	}
	for _, q := range setup {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("setup %q: %v", q, err)
		}
	}
	type request struct {
		step int
		sql  string
	}
	type reply struct {
		step int
		text string
	}
	var conns []*pgx.Conn
	var reqs []chan request
	replies := make(chan reply, 16)
	for i := 0; i < 3; i++ {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		var pid uint32
		if err := conn.QueryRow(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if pid != conn.PgConn().PID() {
			t.Fatalf("pg_backend_pid() = %d, but BackendKeyData gave %d", pid, conn.PgConn().PID())
		}
		ch := make(chan request)
		reqs = append(reqs, ch)
		go func() {
			for r := range ch {
				q := r.sql
				if q == "B" {
					q = "begin; set transaction isolation level " + level
				}
				res, err := conn.PgConn().Exec(ctx, q).ReadAll()
				replies <- reply{r.step, renderResult(res, err)}
			}
		}()
	}
	defer func() {
		for _, ch := range reqs {
			close(ch)
		}
		for _, c := range conns {
			c.Close(context.Background())
		}
	}()

	var trace []string
	pending := map[int]uint32{} // step -> pid of its backend, until it replies
	// settle waits until every pending statement has replied or is seen
	// waiting, and records the replies of step. Lines of one step are
	// sorted, since the order in which a commit and the statement it
	// released report is not defined.
	settle := func(step int) {
		var lines []string
		record := func(r reply) {
			delete(pending, r.step)
			line := fmt.Sprintf("#%d %s", r.step, r.text)
			if r.step != step {
				line = fmt.Sprintf("#%d released at #%d: %s", r.step, step, r.text)
			}
			lines = append(lines, line)
		}
		drain := func() (n int) {
			for {
				select {
				case r := <-replies:
					record(r)
					n++
				default:
					return n
				}
			}
		}
		deadline := time.Now().Add(settleTimeout)
		for {
			drain()
			if len(pending) == 0 {
				break
			}
			waiting, err := waitingPIDs(ctx, admin)
			if err != nil {
				t.Fatalf("reading pg_locks: %v", err)
			}
			// A statement that replied meanwhile may have released
			// one seen waiting: read again.
			if drain() > 0 {
				continue
			}
			settled := true
			for _, pid := range pending {
				settled = settled && waiting[pid]
			}
			if settled {
				break
			}
			if time.Now().After(deadline) {
				var stuck []string
				for st, pid := range pending {
					if !waiting[pid] {
						stuck = append(stuck, fmt.Sprintf("#%d (backend %d)", st, pid))
					}
				}
				sort.Strings(stuck)
				t.Fatalf("after step #%d: %s neither replied nor waited for a lock within %v", step, strings.Join(stuck, ", "), settleTimeout)
			}
			select {
			case r := <-replies:
				record(r)
			case <-time.After(settlePoll):
			}
		}
		sort.Strings(lines)
		trace = append(trace, lines...)
	}
	for i, st := range c.steps {
		step := i + 1
		pending[step] = conns[st.session].PgConn().PID()
		reqs[st.session] <- request{step, st.sql}
		settle(step)
		if _, blocked := pending[step]; blocked {
			trace = append(trace, fmt.Sprintf("#%d T%d blocked", step, st.session+1))
		}
	}
	if len(pending) > 0 {
		var steps []int
		for step := range pending {
			steps = append(steps, step)
		}
		sort.Ints(steps)
		trace = append(trace, fmt.Sprintf("still blocked at the end: %v", steps))
	}
	if final == "" {
		final = "select * from test"
	}
	res, err := admin.PgConn().Exec(ctx, final).ReadAll()
	return append(trace, "final "+renderResult(res, err))
}

func startCairnServer(t *testing.T) string {
	t.Helper()
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	return wireURL(addr)
}

func TestHermitage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each case on PostgreSQL and cairn")
	}
	pg := pgtest.Start(t)
	cairnURL := startCairnServer(t)
	for _, c := range hermitageCases {
		for _, level := range []string{"read committed", "repeatable read", "serializable"} {
			key := c.name + "/" + strings.ReplaceAll(level, " ", "-")
			if level == "serializable" {
				key = c.name + "/serializable"
			}
			t.Run(key, func(t *testing.T) {
				want := runHermitage(t, pg.URL(), c, level)
				got := runHermitage(t, cairnURL, c, level)
				same := strings.Join(want, "\n") == strings.Join(got, "\n")
				reason, known := hermitageKnownDifferences[key]
				switch {
				case known && same:
					t.Errorf("now agrees with PostgreSQL: remove it from hermitageKnownDifferences (%s)", reason)
				case known:
					t.Logf("known difference (%s):\npostgres:\n  %s\ncairn:\n  %s", reason, strings.Join(want, "\n  "), strings.Join(got, "\n  "))
				case !same:
					t.Errorf("trace differs\npostgres:\n  %s\ncairn:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
				}
			})
		}
	}
}

// lockCases exercise row locks (SELECT ... FOR UPDATE/SHARE, NOWAIT, SKIP
// LOCKED) with the same harness.
var lockCases = []hcase{
	{"for-update-blocks-update", []hstep{s(0, "B"), s(0, "select * from test where id = 1 for update"), s(1, "B"),
		s(1, "update test set value = 12 where id = 1"), s(0, "commit"), s(1, "commit")}},
	{"nowait", []hstep{s(0, "B"), s(0, "select * from test where id = 1 for update"), s(1, "B"),
		s(1, "select * from test where id = 1 for update nowait"), s(1, "rollback"),
		s(1, "select * from test where id = 2 for update nowait"), s(0, "commit")}},
	{"skip-locked-queue", []hstep{s(0, "B"), s(0, "select id from test order by id limit 1 for update skip locked"), s(1, "B"),
		s(1, "select id from test order by id limit 1 for update skip locked"), s(2, "B"),
		s(2, "select id from test order by id for update skip locked"), s(0, "commit"), s(1, "commit"), s(2, "commit")}},
	{"share-locks", []hstep{s(0, "B"), s(0, "select * from test where id = 1 for share"), s(1, "B"),
		s(1, "select * from test where id = 1 for share"), s(1, "select * from test where id = 1 for update nowait"),
		s(1, "rollback"), s(2, "update test set value = 5 where id = 1"), s(0, "commit")}},
	{"lock-after-concurrent-update", []hstep{s(0, "B"), s(1, "B"), s(0, "select * from test where id = 1"),
		s(1, "update test set value = 11 where id = 1"), s(1, "commit"),
		s(0, "select * from test where id = 1 for update"), s(0, "commit")}},
	{"key-share", []hstep{s(0, "B"), s(0, "select * from test where id = 1 for key share"),
		s(1, "update test set value = 5 where id = 1"), s(1, "delete from test where id = 1"), s(0, "commit")}},
	{"lock-waits-for-updater", []hstep{s(0, "B"), s(1, "B"), s(0, "select * from test where id = 2"),
		s(1, "update test set value = 21 where id = 2"), s(0, "select * from test where id = 2 for update"),
		s(1, "commit"), s(0, "commit")}},
	{"read-only-for-update", []hstep{s(0, "begin read only"), s(0, "select * from test for update"), s(0, "rollback")}},
	// Table locks: CREATE INDEX waits for the table's writers and keeps
	// new ones out; DROP TABLE waits for everyone.
	{"create-index-waits-for-writer", []hstep{s(0, "B"), s(0, "insert into test (id, value) values (3, 30)"),
		s(1, "create index test_value on test (value)"), s(0, "commit"), s(1, "select id from test where value = 30")}},
	{"writer-waits-for-create-index", []hstep{s(0, "B"), s(0, "create index test_value on test (value)"),
		s(1, "insert into test (id, value) values (3, 30)"), s(0, "commit"), s(1, "select id from test where value = 30")}},
	{"drop-table-waits", []hstep{s(0, "B"), s(0, "update test set value = 1 where id = 1"),
		s(1, "drop table test"), s(0, "commit")}},
}

func TestRowLocks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each case on PostgreSQL and cairn")
	}
	pg := pgtest.Start(t)
	cairnURL := startCairnServer(t)
	for _, c := range lockCases {
		for _, level := range []string{"read committed", "repeatable read"} {
			t.Run(c.name+"/"+strings.ReplaceAll(level, " ", "-"), func(t *testing.T) {
				want := runHermitage(t, pg.URL(), c, level)
				got := runHermitage(t, cairnURL, c, level)
				if strings.Join(want, "\n") != strings.Join(got, "\n") {
					t.Errorf("trace differs\npostgres:\n  %s\ncairn:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
				} else {
					t.Logf("trace, as PostgreSQL's:\n  %s", strings.Join(got, "\n  "))
				}
			})
		}
	}
}
