package sql

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// pg_stat_user_tables (and pg_stat_all_tables' user part): per table, the
// scans started since the database opened (sequential, and through an
// index or the primary key), the row versions written (heap.TableCounts,
// whether their transactions committed or not, as PostgreSQL counts
// them), the live and dead versions now (counted by reading the table
// when the view is read, where PostgreSQL keeps estimates), and when the
// table was last vacuumed and analyzed, by hand and by autovacuum.
// Counters start from zero when the database opens (PostgreSQL keeps them
// across a clean restart). cairn has no HOT chains in PostgreSQL's sense
// nor autoanalyze: n_tup_hot_upd and the autoanalyze columns are 0 and
// NULL.

// tableActivity holds the engine's per-table scan counts and maintenance
// times, by table oid.
type tableActivity struct {
	scans sync.Map // uint32 -> *scanCounts
	mu    struct {
		sync.Mutex
		maint map[uint32]*maintenance
	}
}

type scanCounts struct{ seq, idx atomic.Int64 }

// maintenance is when a table was last vacuumed and analyzed, and how
// often.
type maintenance struct {
	lastVacuum, lastAutovacuum, lastAnalyze time.Time
	vacuums, autovacuums, analyzes          int64
}

// noteScan counts a scan of table starting: by index (or key) or
// sequential.
func (a *tableActivity) noteScan(table uint32, byIndex bool) {
	v, ok := a.scans.Load(table)
	if !ok {
		v, _ = a.scans.LoadOrStore(table, new(scanCounts))
	}
	if byIndex {
		v.(*scanCounts).idx.Add(1)
	} else {
		v.(*scanCounts).seq.Add(1)
	}
}

// note records maintenance of table at now.
func (a *tableActivity) note(table uint32, now time.Time, fn func(m *maintenance)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.mu.maint == nil {
		a.mu.maint = make(map[uint32]*maintenance)
	}
	m := a.mu.maint[table]
	if m == nil {
		m = new(maintenance)
		a.mu.maint[table] = m
	}
	fn(m)
}

func (a *tableActivity) noteVacuum(table uint32, now time.Time, auto bool) {
	a.note(table, now, func(m *maintenance) {
		if auto {
			m.lastAutovacuum = now
			m.autovacuums++
		} else {
			m.lastVacuum = now
			m.vacuums++
		}
	})
}

func (a *tableActivity) noteAnalyze(table uint32, now time.Time) {
	a.note(table, now, func(m *maintenance) {
		m.lastAnalyze = now
		m.analyzes++
	})
}

func (a *tableActivity) maintenanceOf(table uint32) maintenance {
	a.mu.Lock()
	defer a.mu.Unlock()
	if m := a.mu.maint[table]; m != nil {
		return *m
	}
	return maintenance{}
}

// userTable reports whether t is a table pg_stat_user_tables lists.
func userTable(t *catalog.TableDesc) bool {
	return t.View == "" && t.IndexOf == "" && t.Sequence == nil
}

var pgStatUserTables = &sysView{
	name: "pg_stat_user_tables",
	cols: resultColumns(catalog.Cols("relid", oidT, "schemaname", nameT, "relname", nameT,
		"seq_scan", int8T, "seq_tup_read", int8T, "idx_scan", int8T, "idx_tup_fetch", int8T,
		"n_tup_ins", int8T, "n_tup_upd", int8T, "n_tup_del", int8T, "n_tup_hot_upd", int8T,
		"n_live_tup", int8T, "n_dead_tup", int8T, "n_mod_since_analyze", int8T, "n_ins_since_vacuum", int8T,
		"last_vacuum", timestamptzT, "last_autovacuum", timestamptzT, "last_analyze", timestamptzT, "last_autoanalyze", timestamptzT,
		"vacuum_count", int8T, "autovacuum_count", int8T, "analyze_count", int8T, "autoanalyze_count", int8T)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		rels, err := x.Relations()
		if err != nil {
			return nil, err
		}
		e := x.s.e
		counts := e.heap.TableCounts()
		var out [][]types.Datum
		for _, t := range rels.Tables {
			if !userTable(t) {
				continue
			}
			if err := x.tick(); err != nil {
				return nil, err
			}
			var seq, idx types.Datum = int64(0), int64(0)
			if v, ok := e.tableAct.scans.Load(t.ID); ok {
				seq, idx = v.(*scanCounts).seq.Load(), v.(*scanCounts).idx.Load()
			}
			if len(t.Indexes) == 0 && len(t.PK) == 0 {
				idx = nil // no index to scan, as PostgreSQL shows it
			}
			c := counts[t.StorageID()]
			live, dead, err := e.heap.LiveDead(t.StorageID())
			if err != nil {
				return nil, err
			}
			m := e.tableAct.maintenanceOf(t.ID)
			schema := t.Schema
			if schema == "" {
				schema = "public"
			}
			var idxFetch types.Datum
			if idx != nil {
				idxFetch = int64(0)
			}
			out = append(out, []types.Datum{int64(t.ID), schema, t.Name,
				seq, int64(0), idx, idxFetch,
				int64(c.Inserted), int64(c.Updated), int64(c.Deleted), int64(0),
				live, dead, int64(c.Inserted + c.Updated + c.Deleted), int64(c.Inserted),
				timeOrNull(m.lastVacuum), timeOrNull(m.lastAutovacuum), timeOrNull(m.lastAnalyze), nil,
				m.vacuums, m.autovacuums, m.analyzes, int64(0)})
		}
		return out, nil
	},
}

func init() { sessionSystemViews[pgStatUserTables.name] = pgStatUserTables }
