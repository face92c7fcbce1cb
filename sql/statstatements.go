package sql

import (
	"hash/fnv"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// pg_stat_statements, built in: every statement that completes is counted
// under (userid, dbid, queryid), shared by all sessions, as the extension
// of PostgreSQL 15 (version 1.10) counts it with its default settings
// (pg_stat_statements.track = top, track_utility = on, max = 5000):
//
//   - SELECT, INSERT, UPDATE, DELETE and MERGE are normalized: their
//     constants become $n, numbered after the statement's own parameters
//     (parser.Normalize, the same walk PostgreSQL's normalizer makes), so
//     that one entry counts every call with other values; the entry keeps
//     the first text seen. Other statements are counted by their text.
//   - A statement that fails is not counted.
//   - queryid is a hash of the normalized text (PostgreSQL hashes the
//     analysed tree, so two spellings of one query, in other case or
//     spacing, are one entry there and two here).
//   - Planning is not timed (plans = 0, as with track_planning off), and
//     the buffer, WAL and JIT columns are 0: cairn has no shared buffers
//     to count in.
//   - SET pg_stat_statements.track = none stops counting the session's
//     statements (normalizing a statement's text parses it a second time
//     the first time that text is seen).
//   - When 5000 entries are held, the 5% called least are dropped
//     (pg_stat_statements_info.dealloc counts the rounds).
//
// pg_stat_statements_reset(userid, dbid, queryid) drops the entries that
// match (0: any), superusers only, as PostgreSQL grants it by default.

// statStatementsMax is pg_stat_statements.max; statNormCacheMax bounds
// the normalized texts kept by query text.
const (
	statStatementsMax = 5000
	statNormCacheMax  = 4096
)

type stmtKey struct {
	userID, dbID uint32
	queryID      int64
}

// stmtEntry is one row of pg_stat_statements; its counters are behind
// mu, so that sessions counting different statements do not wait for
// each other.
type stmtEntry struct {
	mu    sync.Mutex
	query string
	calls int64
	rows  int64
	// times in milliseconds; mean and m2 by Welford's method for the
	// population standard deviation PostgreSQL shows.
	total, min, max, mean, m2 float64
}

// normalized is a statement text's entry text and queryid.
type normalized struct {
	query   string
	queryID int64
}

// statementStats holds the engine's pg_stat_statements.
type statementStats struct {
	mu struct {
		sync.RWMutex
		entries    map[stmtKey]*stmtEntry
		dealloc    int64
		statsReset time.Time
	}
	normMu sync.Mutex
	norm   map[string]normalized
}

// record counts one completed statement (failed ones are not counted).
func (st *statementStats) record(s *Session, p *Prepared, d time.Duration, rows int64, ok bool) {
	if !ok || p.stmt == nil || s.settings["pg_stat_statements.track"] == "none" {
		return
	}
	switch p.stmt.(type) {
	case *ast.PrepareStmt, *ast.ExecuteStmt, *ast.DeallocateStmt:
		// PostgreSQL counts the statement EXECUTE runs, not EXECUTE.
		return
	}
	n := st.normalize(p)
	userID := s.loginOID()
	dbID, _ := s.e.databaseOID(s.database).(int64)
	key := stmtKey{userID: userID, dbID: uint32(dbID), queryID: n.queryID}
	ms := float64(d.Nanoseconds()) / 1e6

	st.mu.RLock()
	e := st.mu.entries[key]
	st.mu.RUnlock()
	if e == nil {
		st.mu.Lock()
		if st.mu.entries == nil {
			st.mu.entries = make(map[stmtKey]*stmtEntry)
			st.mu.statsReset = s.e.now()
		}
		if e = st.mu.entries[key]; e == nil {
			if len(st.mu.entries) >= statStatementsMax {
				st.deallocLocked()
			}
			e = &stmtEntry{query: n.query, min: ms, max: ms}
			st.mu.entries[key] = e
		}
		st.mu.Unlock()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls++
	e.rows += rows
	e.total += ms
	e.min, e.max = min(e.min, ms), max(e.max, ms)
	delta := ms - e.mean
	e.mean += delta / float64(e.calls)
	e.m2 += delta * (ms - e.mean)
}

// deallocLocked drops the 5% of entries called least.
func (st *statementStats) deallocLocked() {
	type kc struct {
		k     stmtKey
		calls int64
	}
	all := make([]kc, 0, len(st.mu.entries))
	for k, e := range st.mu.entries {
		e.mu.Lock()
		all = append(all, kc{k, e.calls})
		e.mu.Unlock()
	}
	sort.Slice(all, func(i, j int) bool { return all[i].calls < all[j].calls })
	for _, x := range all[:max(len(all)/20, 1)] {
		delete(st.mu.entries, x.k)
	}
	st.mu.dealloc++
}

// normalize returns p's entry text and queryid, from the cache when its
// text was seen before.
func (st *statementStats) normalize(p *Prepared) normalized {
	if n := p.norm.Load(); n != nil {
		return *n
	}
	n := st.normalizeText(p)
	p.norm.Store(&n)
	return n
}

// normalizeText is normalize through the engine's cache by statement text,
// which serves the Prepared statements of all sessions that share a text.
func (st *statementStats) normalizeText(p *Prepared) normalized {
	text := shownText(p, false)
	st.normMu.Lock()
	n, ok := st.norm[text]
	st.normMu.Unlock()
	if ok {
		return n
	}
	n.query = text
	switch p.stmt.(type) {
	case *ast.SelectStmt, *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt, *ast.MergeStmt:
		n.query, _ = parser.Normalize(text)
	}
	h := fnv.New64a()
	h.Write([]byte(n.query))
	n.queryID = int64(h.Sum64())
	st.normMu.Lock()
	if st.norm == nil || len(st.norm) >= statNormCacheMax {
		st.norm = make(map[string]normalized)
	}
	st.norm[text] = n
	st.normMu.Unlock()
	return n
}

// reset drops the entries matching userID, dbID and queryID (0: any).
func (st *statementStats) reset(userID, dbID uint32, queryID int64, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for k := range st.mu.entries {
		if (userID == 0 || k.userID == userID) && (dbID == 0 || k.dbID == dbID) && (queryID == 0 || k.queryID == queryID) {
			delete(st.mu.entries, k)
		}
	}
	if userID == 0 && dbID == 0 && queryID == 0 {
		st.mu.statsReset = now
		st.mu.dealloc = 0
	}
}

// statementRow is an entry's values with its key, as the view reads it.
type statementRow struct {
	key                       stmtKey
	query                     string
	calls, rows               int64
	total, min, max, mean, m2 float64
}

func (st *statementStats) rows() []statementRow {
	st.mu.RLock()
	out := make([]statementRow, 0, len(st.mu.entries))
	for k, e := range st.mu.entries {
		e.mu.Lock()
		out = append(out, statementRow{key: k, query: e.query, calls: e.calls, rows: e.rows,
			total: e.total, min: e.min, max: e.max, mean: e.mean, m2: e.m2})
		e.mu.Unlock()
	}
	st.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].key, out[j].key
		if a.userID != b.userID {
			return a.userID < b.userID
		}
		if a.dbID != b.dbID {
			return a.dbID < b.dbID
		}
		return a.queryID < b.queryID
	})
	return out
}

var (
	int8T   = types.New(types.Int8)
	float8T = types.New(types.Float8)
)

// statStatementsCols are pg_stat_statements' columns in PostgreSQL 15's
// order (pg_stat_statements 1.10).
var statStatementsCols = func() []catalog.ColumnDesc {
	c := []any{"userid", oidT, "dbid", oidT, "toplevel", boolT, "queryid", int8T, "query", textT, "plans", int8T}
	for _, n := range []string{"total_plan_time", "min_plan_time", "max_plan_time", "mean_plan_time", "stddev_plan_time"} {
		c = append(c, n, float8T)
	}
	c = append(c, "calls", int8T)
	for _, n := range []string{"total_exec_time", "min_exec_time", "max_exec_time", "mean_exec_time", "stddev_exec_time"} {
		c = append(c, n, float8T)
	}
	c = append(c, "rows", int8T)
	for _, n := range []string{"shared_blks_hit", "shared_blks_read", "shared_blks_dirtied", "shared_blks_written",
		"local_blks_hit", "local_blks_read", "local_blks_dirtied", "local_blks_written", "temp_blks_read", "temp_blks_written"} {
		c = append(c, n, int8T)
	}
	for _, n := range []string{"blk_read_time", "blk_write_time", "temp_blk_read_time", "temp_blk_write_time"} {
		c = append(c, n, float8T)
	}
	c = append(c, "wal_records", int8T, "wal_fpi", int8T, "wal_bytes", types.New(types.Numeric),
		"jit_functions", int8T, "jit_generation_time", float8T, "jit_inlining_count", int8T, "jit_inlining_time", float8T,
		"jit_optimization_count", int8T, "jit_optimization_time", float8T, "jit_emission_count", int8T, "jit_emission_time", float8T)
	return catalog.Cols(c...)
}()

// pgStatStatements is the view. As in PostgreSQL, a role that is not a
// superuser (nor a member of pg_read_all_stats) sees the query text and
// queryid of its own entries only: the others show '<insufficient
// privilege>' and NULL.
var pgStatStatements = &sysView{
	name: "pg_stat_statements",
	cols: resultColumns(statStatementsCols),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		c, err := x.currentChecker()
		if err != nil {
			return nil, err
		}
		allowed := c.hasPredefined(types.OIDPgReadAllStats)
		me := x.s.loginOID()
		var out [][]types.Datum
		for _, r := range x.s.e.statements.rows() {
			var query, queryID types.Datum = r.query, r.key.queryID
			if !allowed && r.key.userID != me {
				query, queryID = "<insufficient privilege>", nil
			}
			stddev := 0.0
			if r.calls > 0 {
				stddev = math.Sqrt(r.m2 / float64(r.calls))
			}
			row := []types.Datum{int64(r.key.userID), int64(r.key.dbID), true, queryID, query, int64(0),
				0.0, 0.0, 0.0, 0.0, 0.0,
				r.calls, r.total, r.min, r.max, r.mean, stddev, r.rows,
				int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0),
				0.0, 0.0, 0.0, 0.0,
				int64(0), int64(0), apd.New(0, 0),
				int64(0), 0.0, int64(0), 0.0, int64(0), 0.0, int64(0), 0.0}
			out = append(out, row)
		}
		return out, nil
	},
}

// pgStatStatementsInfo is pg_stat_statements_info: deallocation rounds and
// the time of the last full reset.
var pgStatStatementsInfo = &sysView{
	name: "pg_stat_statements_info",
	cols: resultColumns(catalog.Cols("dealloc", int8T, "stats_reset", timestamptzT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		st := &x.s.e.statements
		st.mu.Lock()
		defer st.mu.Unlock()
		if st.mu.statsReset.IsZero() {
			st.mu.statsReset = x.s.e.now()
		}
		return [][]types.Datum{{st.mu.dealloc, st.mu.statsReset}}, nil
	},
}

func init() {
	sessionSystemViews[pgStatStatements.name] = pgStatStatements
	sessionSystemViews[pgStatStatementsInfo.name] = pgStatStatementsInfo
	builtinExtensions["pg_stat_statements"] = true
}

// bindStatStatementsFunc binds pg_stat_statements_reset(userid oid,
// dbid oid, queryid bigint), each defaulting to 0 (any).
func (b *binder) bindStatStatementsFunc(name string, args []expr, pos int32) (expr, bool, error) {
	if name == "pg_stat_reset" {
		return b.bindStatResetFunc(name, args, pos)
	}
	if name != "pg_stat_statements_reset" {
		return nil, false, nil
	}
	f := &builtins.Func{Name: name, Overloads: []*builtins.Overload{
		{Args: nil, Result: types.Void},
		{Args: []types.ID{types.OID}, Result: types.Void},
		{Args: []types.ID{types.OID, types.OID}, Result: types.Void},
		{Args: []types.ID{types.OID, types.OID, types.Int8}, Result: types.Void},
	}}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	return &ctxFuncExpr{t: types.New(types.Void), args: args, fn: func(x *execCtx, vals []types.Datum) (types.Datum, error) {
		super, _, err := x.roleRights()
		if err != nil {
			return nil, err
		}
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for function pg_stat_statements_reset")
		}
		var ids [3]int64
		for i, v := range vals {
			if v == nil {
				return nil, nil // strict
			}
			ids[i] = v.(int64)
		}
		x.s.e.statements.reset(uint32(ids[0]), uint32(ids[1]), ids[2], x.s.e.now())
		return "", nil
	}}, true, nil
}
