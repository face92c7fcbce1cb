package sql

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// VACUUM removes dead row versions (heap.Vacuum). ANALYZE, and VACUUM
// ANALYZE after its vacuum, gathers the planner's statistics
// (analyze.go).

// A table is vacuumed in the background once its dead versions reach
// autovacuumDeadMin plus autovacuumScaleFactor times the versions its last
// vacuum left (PostgreSQL's autovacuum_vacuum_threshold and
// autovacuum_vacuum_scale_factor, whose defaults are 50 and 0.2): a vacuum
// reads the whole table, so a big table waits for more dead versions.
const (
	autovacuumDeadMin     = 1000
	autovacuumScaleFactor = 0.2
)

func (s *Session) execVacuum(ctx context.Context, v *ast.VacuumStmt) (*Result, error) {
	// ANALYZE alone may run in a transaction block, as in PostgreSQL,
	// and sees the tables the transaction made.
	if s.inBlock() && !v.AnalyzeOnly {
		s.failed = true
		return nil, pgerr.New(pgerr.ActiveSQLTransaction, "%s cannot run inside a transaction block", v.Tag())
	}
	snap := s.e.tm.ReadSnapshot()
	if s.inBlock() {
		snap = s.currentSnapshot()
	}
	var tables []*catalog.TableDesc
	if len(v.Tables) == 0 {
		all, err := s.e.cat.All(snap)
		if err != nil {
			return nil, err
		}
		tables = all
	}
	for i, ref := range v.Tables {
		desc, _, err := s.lookupRel(snap, ref.Name)
		if err != nil {
			return nil, err
		}
		if desc == nil {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", ref.Name)
		}
		if i < len(v.Columns) {
			if err := checkAnalyzeColumns(desc, v.Columns[i]); err != nil {
				return nil, err
			}
		}
		tables = append(tables, desc)
	}
	now := s.e.now()
	analyze := func() error {
		counts := s.e.heap.TableCounts()
		if err := s.analyzeTables(ctx, tables, v.Columns); err != nil {
			return err
		}
		for _, t := range tables {
			if userTable(t) {
				c := counts[t.StorageID()]
				s.e.tableAct.noteAnalyze(t.ID, now, c.Inserted+c.Updated+c.Deleted, float64(c.Inserted)-float64(c.Deleted))
			}
		}
		return nil
	}
	if v.AnalyzeOnly {
		if err := analyze(); err != nil {
			return nil, err
		}
		return &Result{Tag: "ANALYZE"}, nil
	}
	for _, t := range tables {
		if t.View != "" {
			continue
		}
		if err := s.vacuumTable(t); err != nil {
			return nil, err
		}
		s.e.tableAct.noteVacuum(t.ID, now, false)
	}
	if len(v.Tables) == 0 {
		if _, err := s.e.reclaimDropped(); err != nil {
			return nil, err
		}
		if _, err := s.e.heap.Vacuum(catalog.TableID); err != nil {
			return nil, err
		}
	}
	if v.Analyze {
		if err := analyze(); err != nil {
			return nil, err
		}
	}
	return &Result{Tag: "VACUUM"}, nil
}

// vacuumTable vacuums t and its indexes, showing its progress in
// pg_stat_progress_vacuum.
func (s *Session) vacuumTable(t *catalog.TableDesc) error {
	prog, endProgress := s.startProgress(progressVacuum, t.ID, "")
	defer endProgress()
	prog.setPhase("scanning heap")
	_, err := s.e.heap.VacuumReporting(t.StorageID(), prog.vacuumReport)
	if err != nil {
		return err
	}
	if err := s.e.vacuumIndexes(t); err != nil {
		return err
	}
	prog.add(vacIndexCycles, 1)
	return nil
}

// AutoVacuum vacuums every table whose updates and deletes have left at
// least autovacuumDeadMin + autovacuumScaleFactor * (versions left by its
// last vacuum) dead versions since that vacuum, and analyzes every table
// changed enough since its last analysis (autoAnalyze); the embedding
// program calls it periodically. It returns the number of entries
// removed.
func (e *Engine) AutoVacuum() (int, error) {
	total := 0
	e.pruneRewrites()
	if err := e.reclaimInBackground(); err != nil {
		return 0, err
	}
	for table, est := range e.heap.DeadEstimates() {
		threshold := autovacuumDeadMin + int(autovacuumScaleFactor*float64(est.Left))
		if est.Dead < threshold || table == catalog.TableID {
			continue
		}
		removed, _, err := e.heap.VacuumDirty(table)
		if err != nil {
			return total, err
		}
		total += removed
		e.stats.autovacuumRuns.Add(1)
		e.stats.autovacuumRemoved.Add(uint64(removed))
		if t := e.tableByStorage(table); t != nil {
			e.tableAct.noteVacuum(t.ID, e.now(), true)
			if err := e.vacuumIndexes(t); err != nil {
				return total, err
			}
		}
	}
	if _, err := e.autoAnalyze(); err != nil {
		return total, err
	}
	return total, nil
}

// reclaimDropped deletes the stored data of tables and indexes whose
// catalog entries were dropped below the vacuum horizon: the storage ids
// found in dead catalog versions and in no live or dying one (a table
// dropped, or rewritten into new storage, or a rewrite that rolled back).
// It reports whether a catalog version is still dying, so that a later
// call may find more to delete.
func (e *Engine) reclaimDropped() (waiting bool, err error) {
	e.reclaim.mu.Lock()
	defer e.reclaim.mu.Unlock()
	e.reclaim.initLocked()
	keptTables, deadTables := map[uint32]bool{}, map[uint32]bool{}
	keptIndexes, deadIndexes := map[uint32]bool{}, map[uint32]bool{}
	err = e.heap.ForEachVersion(catalog.TableID, func(data []byte, state heap.VersionState) error {
		var d catalog.TableDesc
		if err := json.Unmarshal(data, &d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry")
		}
		tables, indexes := keptTables, keptIndexes
		switch state {
		case heap.VersionDead:
			tables, indexes = deadTables, deadIndexes
		case heap.VersionDying:
			waiting = true
		}
		if d.View == "" && d.IndexOf == "" {
			tables[d.StorageID()] = true
		}
		for _, ix := range d.Indexes {
			indexes[ix.StorageID()] = true
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	for id := range deadTables {
		if !keptTables[id] && !e.reclaim.tables[id] {
			if _, err := e.heap.DropTableData(id); err != nil {
				return false, err
			}
			e.reclaim.tables[id] = true
		}
	}
	for id := range deadIndexes {
		if !keptIndexes[id] && !e.reclaim.indexes[id] {
			if _, err := e.heap.DropIndexData(id); err != nil {
				return false, err
			}
			e.reclaim.indexes[id] = true
		}
	}
	return waiting, nil
}

// vacuumIndexes removes index entries of table t that no live or
// may-become-live row version holds any more (left behind by updates and
// deletes).
func (e *Engine) vacuumIndexes(t *catalog.TableDesc) error {
	var x *execCtx
	keys := newIndexKeys(t)
	for i := range t.Indexes {
		idx := &t.Indexes[i]
		if idx.Computed() && x == nil {
			x = e.internalExec(e.tm.ReadSnapshot())
		}
		matches := func(key, data []byte) (bool, error) {
			row, err := types.DecodeRow(data)
			if err != nil {
				return false, err
			}
			if len(row) != len(t.Columns) {
				return false, pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", t.Name, len(row), len(t.Columns))
			}
			ks, in, err := keys.entries(x, idx, row)
			return in && slices.ContainsFunc(ks, func(k []byte) bool { return bytes.Equal(k, key) }), err
		}
		if _, err := e.heap.VacuumIndex(t.StorageID(), idx.StorageID(), matches); err != nil {
			return err
		}
	}
	return nil
}

// tableByStorage finds the table whose rows are stored under id in the
// newest catalog, or nil.
func (e *Engine) tableByStorage(id uint32) *catalog.TableDesc {
	tables, err := e.cat.All(e.tm.ReadSnapshot())
	if err != nil {
		return nil
	}
	for _, t := range tables {
		if t.StorageID() == id && t.View == "" && t.IndexOf == "" {
			return t
		}
	}
	return nil
}

// checkAnalyzeColumns checks the column list of ANALYZE table (cols):
// each must be one of its columns, once.
func checkAnalyzeColumns(table *catalog.TableDesc, cols []string) error {
	for i, c := range cols {
		if table.ColumnIndex(c) < 0 {
			return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", c, table.Name)
		}
		if slices.Contains(cols[:i], c) {
			return pgerr.New(pgerr.DuplicateColumn, "column \"%s\" of relation \"%s\" appears more than once", c, table.Name)
		}
	}
	return nil
}
