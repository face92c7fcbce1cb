package sql

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/internal/histogram"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/txn"
)

// Monitoring: the engine counts what its sessions do (Engine.Stats, which
// the metrics package exports) and logs what the log_* settings ask for:
//
//   - every statement's time, by kind (StatementKinds), in a histogram;
//   - log_min_duration_statement: a statement that ran at least that long
//     is logged with its duration and text, never its parameters' values
//     (the text holds $n where the extended protocol binds them);
//   - log_lock_waits: a lock wait that lasts longer than deadlock_timeout
//     is logged while it goes on (txn.WaitReport);
//   - autovacuum's runs and the dead versions they removed.

// StatementKinds are the kinds Stats sorts statements' times by.
var StatementKinds = []string{"select", "insert", "update", "delete", "ddl", "other"}

// statementSecondsBounds are the statement histograms' buckets: 10 µs to
// about 80 s.
var statementSecondsBounds = histogram.Exponential(10e-6, 2.5, 18)

// Stats are an engine's counters, for monitoring.
type Stats struct {
	// StatementSeconds has, by kind (StatementKinds), the time each
	// statement took, failed ones included.
	StatementSeconds map[string]histogram.Snapshot
	// Sessions counts the live sessions by pg_stat_activity's state
	// (active, idle, idle in transaction, idle in transaction (aborted)).
	Sessions map[string]int
	// AutovacuumRuns counts the tables autovacuum vacuumed, and
	// AutovacuumRemoved the dead row versions it removed from them.
	AutovacuumRuns, AutovacuumRemoved uint64
	// Txn are the transaction manager's counters.
	Txn txn.Stats
}

// engineStats are the counters behind Stats.
type engineStats struct {
	statements        map[string]*histogram.Histogram // by kind, fixed at NewEngine
	autovacuumRuns    atomic.Uint64
	autovacuumRemoved atomic.Uint64
}

func (st *engineStats) init() {
	st.statements = make(map[string]*histogram.Histogram, len(StatementKinds))
	for _, k := range StatementKinds {
		st.statements[k] = histogram.New(statementSecondsBounds)
	}
}

// Stats returns the engine's counters.
func (e *Engine) Stats() Stats {
	st := Stats{StatementSeconds: make(map[string]histogram.Snapshot, len(StatementKinds)),
		Sessions:       map[string]int{"active": 0, "idle": 0, "idle in transaction": 0, "idle in transaction (aborted)": 0},
		AutovacuumRuns: e.stats.autovacuumRuns.Load(), AutovacuumRemoved: e.stats.autovacuumRemoved.Load(),
		Txn: e.tm.Stats()}
	for k, h := range e.stats.statements {
		st.StatementSeconds[k] = h.Snapshot()
	}
	for _, be := range e.backends.list() {
		st.Sessions[be.act.get().state]++
	}
	return st
}

// loginOID is the oid of the role the session logged in as.
func (s *Session) loginOID() uint32 {
	if s.backend == nil {
		return 0
	}
	return s.backend.act.get().userOID
}

// statementKind sorts a command tag's verb into StatementKinds.
func statementKind(tag string) string {
	verb, _, _ := strings.Cut(tag, " ")
	// Constants, not strings.ToLower(verb): that would allocate for every
	// statement.
	switch verb {
	case "SELECT":
		return "select"
	case "INSERT":
		return "insert"
	case "UPDATE":
		return "update"
	case "DELETE":
		return "delete"
	case "CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "SECURITY", "REINDEX", "CLUSTER":
		return "ddl"
	}
	return "other"
}

// tagRows is the row count a complete command tag ends with ("SELECT 3",
// "INSERT 0 2"), or 0.
func tagRows(tag string) int64 {
	i := strings.LastIndexByte(tag, ' ')
	if i < 0 {
		return 0
	}
	n, err := strconv.ParseInt(tag[i+1:], 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// observeStatement records a statement that ran from start to end: its
// time in its kind's histogram, pg_stat_statements, and the log when it
// ran at least log_min_duration_statement.
func (s *Session) observeStatement(p *Prepared, start, end time.Time, res *Result, err error) {
	if p.stmt == nil {
		return
	}
	d := end.Sub(start)
	s.e.stats.statements[statementKind(p.Tag)].Observe(d.Seconds())
	var rows int64
	if res != nil && err == nil {
		rows = tagRows(res.Tag)
	}
	s.e.statements.record(s, p, d, rows, err == nil)
	s.countStatement(p, res, rows, err)
	if min, ok := s.minDurationStatement(); ok && d >= min {
		attrs := []any{"pid", s.backend.pid, "user", s.user, "database", s.database,
			"duration_ms", float64(d.Microseconds()) / 1000, "statement", shownText(p, true)}
		if err != nil {
			attrs = append(attrs, "sqlstate", pgerr.Code(err))
		}
		s.e.logger.Info(fmt.Sprintf("duration: %.3f ms", float64(d.Microseconds())/1000), attrs...)
	}
}

// passwordHidden stands in the log and in pg_stat_statements for the
// text of a statement that carries a password.
const passwordHidden = " <text hidden: the statement carries a password>"

// carriesPassword reports whether stmt's text holds a password (CREATE or
// ALTER ROLE ... PASSWORD 'x'), which is never logged nor kept.
func carriesPassword(stmt ast.Stmt) bool {
	switch st := stmt.(type) {
	case *ast.CreateRoleStmt:
		return st.Options.Password != nil
	case *ast.AlterRoleStmt:
		return st.Options.Password != nil
	}
	return false
}

// shownText is the statement's text as the log and pg_stat_statements
// show it: full is the whole query string (the log) rather than the
// statement's own text.
func shownText(p *Prepared, full bool) string {
	if carriesPassword(p.stmt) {
		return p.Tag + passwordHidden
	}
	if full {
		return p.queryString()
	}
	return p.SQL
}

// minDurationStatement is log_min_duration_statement; ok is false when it
// is -1 (off).
func (s *Session) minDurationStatement() (time.Duration, bool) {
	v := s.settings["log_min_duration_statement"]
	if v == "-1" || v == "" {
		return 0, false
	}
	d, err := parseDuration(v)
	return d, err == nil
}

// withLockWaitReport attaches log_lock_waits' report to ctx when it is on:
// a wait longer than deadlock_timeout is logged, naming what it waits for.
func (s *Session) withLockWaitReport(ctx context.Context) context.Context {
	if s.settings["log_lock_waits"] != "on" {
		return ctx
	}
	after := s.durationSetting("deadlock_timeout")
	pid, user, database := s.backend.pid, s.user, s.database
	logger := s.e.logger
	return txn.WithWaitReport(ctx, &txn.WaitReport{After: after, Report: func(w txn.Wait, waited time.Duration) {
		what := fmt.Sprintf("transaction %d", w.Holder)
		if w.Table != 0 {
			what = fmt.Sprintf("relation %d", w.Table)
		} else if w.Holder == 0 {
			what = "an advisory lock"
		}
		logger.Info(fmt.Sprintf("process %d still waiting for a lock on %s after %.3f ms", pid, what, float64(waited.Microseconds())/1000),
			"pid", pid, "user", user, "database", database, "waiter_xid", uint64(w.Waiter), "holder_xid", uint64(w.Holder))
	}})
}

// checkMinDuration validates log_min_duration_statement: -1 (off), or a
// time from 0 to PostgreSQL's int32 milliseconds.
func checkMinDuration(v string) (string, error) {
	t := strings.TrimSpace(v)
	if strings.HasPrefix(t, "-") {
		n, err := strconv.Atoi(t)
		if err != nil {
			return "", errInvalidValue
		}
		if n != -1 {
			return "", pgerr.New(pgerr.InvalidParameterValue, "%d ms is outside the valid range for parameter \"log_min_duration_statement\" (-1 .. 2147483647)", n)
		}
		return "-1", nil
	}
	d, err := parseDuration(t)
	if err != nil {
		return "", err
	}
	if d.Milliseconds() > 1<<31-1 {
		return "", pgerr.New(pgerr.InvalidParameterValue, "%d ms is outside the valid range for parameter \"log_min_duration_statement\" (-1 .. 2147483647)", d.Milliseconds())
	}
	return checkDuration(t)
}

// checkDeadlockTimeout validates deadlock_timeout: 1 ms or more.
func checkDeadlockTimeout(v string) (string, error) {
	d, err := parseDuration(v)
	if err != nil {
		return "", err
	}
	if d < time.Millisecond {
		return "", pgerr.New(pgerr.InvalidParameterValue, "%d ms is outside the valid range for parameter \"deadlock_timeout\" (1 .. 2147483647)", d.Milliseconds())
	}
	return checkDuration(v)
}
