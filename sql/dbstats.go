package sql

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// pg_stat_database: one row per database the engine accepts, and
// PostgreSQL's row for shared objects (datid 0, datname NULL), with
// PostgreSQL 15's columns. The counters start at zero when the database
// opens and when pg_stat_reset() runs in that database:
//
//   - numbackends: the live sessions of the database, read when the view
//     is read.
//   - xact_commit, xact_rollback: transactions the database's sessions
//     ended (endTxn), a failed COMMIT counting as a rollback.
//   - tup_returned: rows sequential scans read, plus rows index and key
//     scans read; tup_fetched: rows index and key scans read.
//   - tup_inserted, tup_updated, tup_deleted: the row counts of the
//     INSERT (and COPY FROM), UPDATE and DELETE statements the sessions
//     ran, whether their transactions commit or not, as PostgreSQL
//     counts them; a statement that fails is not counted (PostgreSQL
//     counts the rows it wrote before failing), nor are the statements
//     of functions. MERGE's rows are not split by action and are not
//     counted.
//   - deadlocks: statements that failed with 40P01.
//   - temp_files, temp_bytes: the temporary files statements wrote when
//     they outgrew work_mem (spill.go), counted as each is removed.
//   - session_time, active_time, idle_in_transaction_time (ms): time the
//     sessions spent, in all, active, and idle in a transaction, added
//     when a session changes state and when it ends.
//   - sessions: sessions started; sessions_abandoned, sessions_fatal and
//     sessions_killed: sessions the wire server saw end by the client
//     going away without Terminate, by a FATAL error, and by
//     pg_terminate_backend or shutdown (EndSession).
//   - blks_read, blks_hit: cairn's databases are names over one store and
//     share its block cache, so the cache's lookups that read a block
//     and that found it are shown in the shared-objects row (datid 0),
//     not split among the databases, whose rows show 0.
//
// conflicts counts recovery conflicts on a standby and is 0 (cairn has
// no standby); checksum_failures and checksum_last_failure are NULL
// as in a PostgreSQL cluster initialized without data checksums (cairn
// checks every block's checksum; a failure is an error, not a count);
// blk_read_time and blk_write_time are 0, as with track_io_timing off.

// databaseCounters are one database's counters; times are in
// microseconds.
type databaseCounters struct {
	xactCommit, xactRollback              atomic.Int64
	tupReturned, tupFetched               atomic.Int64
	tupInserted, tupUpdated, tupDeleted   atomic.Int64
	deadlocks                             atomic.Int64
	tempFiles, tempBytes                  atomic.Int64
	sessionTime, activeTime, idleInTxTime atomic.Int64
	sessions, abandoned, fatal, killed    atomic.Int64
	blocksBase                            struct{ hits, misses uint64 } // under databaseStats.mu
	statsReset                            time.Time                     // under databaseStats.mu
}

// databaseStats holds the counters of each database by name ("" is the
// shared-objects row).
type databaseStats struct {
	mu     sync.Mutex
	byName map[string]*databaseCounters
}

// forget drops every database's counters.
func (d *databaseStats) forget() {
	d.mu.Lock()
	d.byName = nil
	d.mu.Unlock()
}

// of returns database's counters, creating them.
func (d *databaseStats) of(database string) *databaseCounters {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byName == nil {
		d.byName = make(map[string]*databaseCounters)
	}
	c := d.byName[database]
	if c == nil {
		c = new(databaseCounters)
		d.byName[database] = c
	}
	return c
}

// SessionEnd says how a session ended, for pg_stat_database.
type SessionEnd int

const (
	// SessionEndNormal: the client sent Terminate (or the embedding
	// program closed the session).
	SessionEndNormal SessionEnd = iota
	// SessionEndAbandoned: the connection was lost without Terminate.
	SessionEndAbandoned
	// SessionEndFatal: a FATAL error ended the session.
	SessionEndFatal
	// SessionEndKilled: pg_terminate_backend or a shutdown ended it.
	SessionEndKilled
)

// EndSession records how the session ended; a server calls it before
// Close. Without it, Close counts a normal end.
func (s *Session) EndSession(how SessionEnd) {
	if s.backend == nil {
		return
	}
	c := s.backend.dbStats
	switch how {
	case SessionEndAbandoned:
		c.abandoned.Add(1)
	case SessionEndFatal:
		c.fatal.Add(1)
	case SessionEndKilled:
		c.killed.Add(1)
	}
}

// accountState adds the time since the session's last state change to
// its database's session time and to the time of the state it leaves
// (active or idle in transaction), and notes state as the current one.
func (be *backend) accountState(now time.Time, state string) {
	be.acct.mu.Lock()
	defer be.acct.mu.Unlock()
	if !be.acct.since.IsZero() {
		d := now.Sub(be.acct.since).Microseconds()
		if d > 0 {
			c := be.dbStats
			c.sessionTime.Add(d)
			switch be.acct.state {
			case "active":
				c.activeTime.Add(d)
			case "idle in transaction", "idle in transaction (aborted)":
				c.idleInTxTime.Add(d)
			}
		}
	}
	be.acct.since, be.acct.state = now, state
}

// sessionAccounting is the part of a backend that accountState keeps.
type sessionAccounting struct {
	mu    sync.Mutex
	since time.Time
	state string
}

// countTxnEnd counts a transaction the session ended.
func (s *Session) countTxnEnd(committed bool) {
	if s.backend == nil {
		return
	}
	if committed {
		s.backend.dbStats.xactCommit.Add(1)
	} else {
		s.backend.dbStats.xactRollback.Add(1)
	}
}

// countStatement counts a completed statement's rows by its command tag
// (COPY's when it is COPY FROM), and a deadlock by its error.
func (s *Session) countStatement(p *Prepared, res *Result, rows int64, err error) {
	if s.backend == nil {
		return
	}
	c := s.backend.dbStats
	if err != nil {
		if pgerr.Code(err) == pgerr.DeadlockDetected {
			c.deadlocks.Add(1)
		}
		return
	}
	if res == nil {
		return
	}
	switch verb := tagVerb(res.Tag); verb {
	case "INSERT", "COPY":
		if verb == "COPY" && !p.CopyFromStdin() {
			return
		}
		c.tupInserted.Add(rows)
	case "UPDATE":
		c.tupUpdated.Add(rows)
	case "DELETE":
		c.tupDeleted.Add(rows)
	}
}

// tagVerb is a command tag's first word.
func tagVerb(tag string) string {
	for i := 0; i < len(tag); i++ {
		if tag[i] == ' ' {
			return tag[:i]
		}
	}
	return tag
}

// countScan counts rows a scan read: by a sequential scan, or by an index
// or key scan (which PostgreSQL counts as both returned and fetched).
func (s *Session) countScan(rows int64, byIndex bool) {
	if s.backend == nil || rows == 0 {
		return
	}
	c := s.backend.dbStats
	c.tupReturned.Add(rows)
	if byIndex {
		c.tupFetched.Add(rows)
	}
}

// reset sets database's counters to zero: stats_reset becomes now and
// the shared block cache's counts are taken from here on.
func (d *databaseStats) reset(database string, now time.Time, blocks func() (hits, misses uint64)) {
	c := d.of(database)
	for _, a := range []*atomic.Int64{&c.xactCommit, &c.xactRollback, &c.tupReturned, &c.tupFetched,
		&c.tupInserted, &c.tupUpdated, &c.tupDeleted, &c.deadlocks, &c.sessionTime, &c.activeTime,
		&c.idleInTxTime, &c.sessions, &c.abandoned, &c.fatal, &c.killed, &c.tempFiles, &c.tempBytes} {
		a.Store(0)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	c.statsReset = now
	if blocks != nil {
		c.blocksBase.hits, c.blocksBase.misses = blocks()
	}
}

var pgStatDatabase = &sysView{
	name: "pg_stat_database",
	cols: resultColumns(catalog.Cols("datid", oidT, "datname", nameT, "numbackends", int4T,
		"xact_commit", int8T, "xact_rollback", int8T, "blks_read", int8T, "blks_hit", int8T,
		"tup_returned", int8T, "tup_fetched", int8T, "tup_inserted", int8T, "tup_updated", int8T, "tup_deleted", int8T,
		"conflicts", int8T, "temp_files", int8T, "temp_bytes", int8T, "deadlocks", int8T,
		"checksum_failures", int8T, "checksum_last_failure", timestamptzT,
		"blk_read_time", float8T, "blk_write_time", float8T, "session_time", float8T, "active_time", float8T,
		"idle_in_transaction_time", float8T, "sessions", int8T, "sessions_abandoned", int8T,
		"sessions_fatal", int8T, "sessions_killed", int8T, "stats_reset", timestamptzT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		e := x.s.e
		backends := make(map[string]int)
		for _, be := range e.backends.list() {
			backends[be.database]++
		}
		var hits, misses uint64
		if e.opts.BlockCacheCounts != nil {
			hits, misses = e.opts.BlockCacheCounts()
		}
		row := func(oid types.Datum, name string) []types.Datum {
			c := e.dbStats.of(name)
			e.dbStats.mu.Lock()
			base, reset := c.blocksBase, c.statsReset
			e.dbStats.mu.Unlock()
			var read, hit int64
			var datname types.Datum
			if name == "" {
				read, hit = int64(misses-min(misses, base.misses)), int64(hits-min(hits, base.hits))
			} else {
				datname = name
			}
			ms := func(a *atomic.Int64) float64 { return float64(a.Load()) / 1000 }
			return []types.Datum{oid, datname, int64(backends[name]),
				c.xactCommit.Load(), c.xactRollback.Load(), read, hit,
				c.tupReturned.Load(), c.tupFetched.Load(), c.tupInserted.Load(), c.tupUpdated.Load(), c.tupDeleted.Load(),
				int64(0), c.tempFiles.Load(), c.tempBytes.Load(), c.deadlocks.Load(),
				nil, nil,
				0.0, 0.0, ms(&c.sessionTime), ms(&c.activeTime), ms(&c.idleInTxTime),
				c.sessions.Load(), c.abandoned.Load(), c.fatal.Load(), c.killed.Load(), timeOrNull(reset)}
		}
		out := [][]types.Datum{row(int64(0), "")}
		for _, d := range e.opts.Databases {
			out = append(out, row(catalog.DatabaseOID(e.opts.Databases, d), d))
		}
		return out, nil
	},
}

func init() { sessionSystemViews[pgStatDatabase.name] = pgStatDatabase }

// bindStatResetFunc binds pg_stat_reset(): the current database's
// counters in pg_stat_database, and its tables' in pg_stat_user_tables,
// go back to zero. As in PostgreSQL, only a superuser may call it.
func (b *binder) bindStatResetFunc(name string, args []expr, pos int32) (expr, bool, error) {
	if name != "pg_stat_reset" {
		return nil, false, nil
	}
	f := &builtins.Func{Name: name, Overloads: []*builtins.Overload{{Args: nil, Result: types.Void}}}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	return &ctxFuncExpr{t: types.New(types.Void), args: args, fn: func(x *execCtx, _ []types.Datum) (types.Datum, error) {
		super, _, err := x.roleRights()
		if err != nil {
			return nil, err
		}
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for function pg_stat_reset")
		}
		e := x.s.e
		now := e.now()
		// The shared row holds the block cache's counts, which the
		// database's work moves.
		e.dbStats.reset(x.s.database, now, e.opts.BlockCacheCounts)
		e.dbStats.reset("", now, e.opts.BlockCacheCounts)
		e.tableAct.reset(e.heap.TableCounts())
		return "", nil
	}}, true, nil
}
