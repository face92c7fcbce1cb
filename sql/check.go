package sql

import (
	"fmt"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// CheckReport summarizes Engine.Check.
type CheckReport struct {
	Tables, Rows, IndexEntries int
}

func (r CheckReport) String() string {
	return fmt.Sprintf("%d tables, %d rows, %d index entries", r.Tables, r.Rows, r.IndexEntries)
}

// Check verifies the catalog and the heap against each other, as of a
// fresh snapshot: every catalog entry decodes, every visible row of every
// table decodes to the table's column count and carries non-NULL values
// where the columns are NOT NULL, and every such row is reachable through
// each index of its table that covers it (a partial index's predicate). The first inconsistency is returned as an error
// with SQLSTATE XX001 (data) or XX002 (index).
func (e *Engine) Check() (CheckReport, error) { return e.CheckReporting(nil) }

// CheckReporting is Check calling report (if not nil) with the tables
// checked and the tables to check, after each table.
func (e *Engine) CheckReporting(report func(done, total int)) (CheckReport, error) {
	var rep CheckReport
	snap := e.tm.ReadSnapshot()
	all, err := e.cat.All(snap)
	if err != nil {
		return rep, err
	}
	var tables []*catalog.TableDesc
	for _, t := range all {
		if t.View == "" && t.IndexOf == "" {
			tables = append(tables, t)
		}
	}
	for _, t := range tables {
		if report != nil {
			report(rep.Tables, len(tables))
		}
		rep.Tables++
		var x *execCtx
		keys := newIndexKeys(t)
		err := e.heap.Scan(snap, t.StorageID(), func(tu heap.Tuple) error {
			row, err := types.DecodeRow(tu.Data)
			if err != nil {
				return err
			}
			if len(row) != len(t.Columns) {
				return pgerr.New(pgerr.DataCorrupted, "table %s: a row has %d columns, the catalog says %d", t.Name, len(row), len(t.Columns))
			}
			for i, c := range t.Columns {
				if c.NotNull && row[i] == nil {
					return pgerr.New(pgerr.DataCorrupted, "table %s: NULL in NOT NULL column %s", t.Name, c.Name)
				}
			}
			rep.Rows++
			pk := heap.RowKey(tu.ID)
			for i := range t.Indexes {
				idx := &t.Indexes[i]
				if idx.Computed() && x == nil {
					x = e.internalExec(snap)
				}
				ks, in, err := keys.entries(x, idx, row)
				if err != nil {
					return err
				}
				if !in {
					continue // outside a partial index's predicate
				}
				for _, k := range ks {
					ok, err := e.heap.HasIndexEntry(idx.StorageID(), k, pk)
					if err != nil {
						return err
					}
					if !ok {
						return pgerr.New(pgerr.IndexCorrupted, "index %s of table %s has no entry for the row %s", idx.Name, t.Name, describeRow(t, row))
					}
				}
				rep.IndexEntries++
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	if report != nil {
		report(rep.Tables, len(tables))
	}
	return rep, nil
}
