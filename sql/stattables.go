package sql

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// pg_stat_user_tables (and pg_stat_all_tables' user part): per table, the
// scans started since the database opened or pg_stat_reset() (sequential,
// and through an index or the primary key) and the rows they read, the
// row versions written (heap.TableCounts,
// whether their transactions committed or not, as PostgreSQL counts
// them), the live and dead versions now (counted by reading the table
// when the view is read, where PostgreSQL keeps estimates), and when the
// table was last vacuumed and analyzed, by hand and by autovacuum.
// Counters start from zero when the database opens (PostgreSQL keeps them
// across a clean restart). cairn has no HOT chains in PostgreSQL's sense:
// n_tup_hot_upd is 0.

// tableActivity holds the engine's per-table scan counts and maintenance
// times, by table oid.
type tableActivity struct {
	scans sync.Map // uint32 -> *scanCounts
	mu    struct {
		sync.Mutex
		maint map[uint32]*maintenance
		// writtenBase are the heap's write counts at the last
		// pg_stat_reset, by storage id.
		writtenBase map[uint32]heap.TableCounts
	}
}

// scanCounts are a table's scans and the rows they read.
type scanCounts struct{ seq, idx, seqRows, idxRows atomic.Int64 }

// noteRows counts rows a scan of the table read.
func (c *scanCounts) noteRows(n int64, byIndex bool) {
	if n == 0 {
		return
	}
	if byIndex {
		c.idxRows.Add(n)
	} else {
		c.seqRows.Add(n)
	}
}

// maintenance is when a table was last vacuumed and analyzed, and how
// often.
type maintenance struct {
	lastVacuum, lastAutovacuum, lastAnalyze, lastAutoanalyze time.Time
	vacuums, autovacuums, analyzes, autoanalyzes             int64
	// modsAtAnalyze are the table's writes (heap.TableCounts, summed)
	// when it was last analyzed, and rowsAtAnalyze its rows then: what
	// autovacuum's analysis counts changes from.
	modsAtAnalyze uint64
	rowsAtAnalyze float64
}

// noteScan counts a scan of table starting: by index (or key) or
// sequential. The scan counts the rows it reads in the counts returned.
func (a *tableActivity) noteScan(table uint32, byIndex bool) *scanCounts {
	v, ok := a.scans.Load(table)
	if !ok {
		v, _ = a.scans.LoadOrStore(table, new(scanCounts))
	}
	c := v.(*scanCounts)
	if byIndex {
		c.idx.Add(1)
	} else {
		c.seq.Add(1)
	}
	return c
}

// reset sets the tables' counters back to zero (pg_stat_reset): scans
// and maintenance are forgotten, and the heap's write counts as of now
// become the base they are counted from.
func (a *tableActivity) reset(written map[uint32]heap.TableCounts) {
	a.scans.Range(func(k, _ any) bool {
		a.scans.Delete(k)
		return true
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	a.mu.maint = nil
	a.mu.writtenBase = written
}

// written returns table's write counts since the last reset.
func (a *tableActivity) written(storage uint32, c heap.TableCounts) heap.TableCounts {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.mu.writtenBase[storage]
	return heap.TableCounts{Inserted: c.Inserted - min(b.Inserted, c.Inserted),
		Updated: c.Updated - min(b.Updated, c.Updated), Deleted: c.Deleted - min(b.Deleted, c.Deleted)}
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

func (a *tableActivity) noteAnalyze(table uint32, now time.Time, mods uint64, rows float64) {
	a.note(table, now, func(m *maintenance) {
		m.lastAnalyze = now
		m.analyzes++
		m.modsAtAnalyze, m.rowsAtAnalyze = mods, rows
	})
}

func (a *tableActivity) noteAutoanalyze(table uint32, now time.Time, mods uint64, rows float64) {
	a.note(table, now, func(m *maintenance) {
		m.lastAutoanalyze = now
		m.autoanalyzes++
		m.modsAtAnalyze, m.rowsAtAnalyze = mods, rows
	})
}

// analyzedAt returns table's writes and rows when it was last analyzed,
// by hand or in the background, and when (zero when never).
func (a *tableActivity) analyzedAt(table uint32) (mods uint64, rows float64, at time.Time) {
	m := a.maintenanceOf(table)
	at = m.lastAnalyze
	if m.lastAutoanalyze.After(at) {
		at = m.lastAutoanalyze
	}
	return m.modsAtAnalyze, m.rowsAtAnalyze, at
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
			var seq, idx, seqRows, idxRows types.Datum = int64(0), int64(0), int64(0), int64(0)
			if v, ok := e.tableAct.scans.Load(t.ID); ok {
				sc := v.(*scanCounts)
				seq, idx, seqRows, idxRows = sc.seq.Load(), sc.idx.Load(), sc.seqRows.Load(), sc.idxRows.Load()
			}
			if len(t.Indexes) == 0 && len(t.PK) == 0 {
				idx, idxRows = nil, nil // no index to scan, as PostgreSQL shows it
			}
			c := e.tableAct.written(t.StorageID(), counts[t.StorageID()])
			live, dead, err := e.heap.LiveDead(t.StorageID())
			if err != nil {
				return nil, err
			}
			m := e.tableAct.maintenanceOf(t.ID)
			schema := t.Schema
			if schema == "" {
				schema = "public"
			}
			out = append(out, []types.Datum{int64(t.ID), schema, t.Name,
				seq, seqRows, idx, idxRows,
				int64(c.Inserted), int64(c.Updated), int64(c.Deleted), int64(0),
				live, dead, int64(c.Inserted + c.Updated + c.Deleted), int64(c.Inserted),
				timeOrNull(m.lastVacuum), timeOrNull(m.lastAutovacuum), timeOrNull(m.lastAnalyze), timeOrNull(m.lastAutoanalyze),
				m.vacuums, m.autovacuums, m.analyzes, m.autoanalyzes})
		}
		return out, nil
	},
}

func init() { sessionSystemViews[pgStatUserTables.name] = pgStatUserTables }
