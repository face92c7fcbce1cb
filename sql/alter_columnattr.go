package sql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// ALTER TABLE ... ALTER COLUMN ... SET STORAGE | SET STATISTICS, and
// ALTER INDEX ... ALTER COLUMN n SET STATISTICS. cairn does not move
// values out of line, and gathers no statistics of index expressions, so
// these record pg_attribute's attstorage and attstattarget
// (catalog.ColumnDesc), which a table column's ANALYZE reads, after
// PostgreSQL's checks; on a table they reach its descendants unless ONLY
// is given, as PostgreSQL's do.

// statTargetMax is the highest statistics target PostgreSQL keeps
// (MAX_STATISTICS_TARGET); a higher one is lowered with a warning.
const statTargetMax = 10000

// storageCodes maps SET STORAGE's names to attstorage.
var storageCodes = map[string]string{"plain": "p", "external": "e", "extended": "x", "main": "m"}

type columnAttrPlan struct{ stmt *ast.AlterTableStmt }

func (p *columnAttrPlan) columns() []Column { return nil }

func (p *columnAttrPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	a := s.ColumnAttr
	res := &Result{Tag: s.Tag()}
	var target *int32
	if a.Statistics != nil {
		n := *a.Statistics
		if n < -1 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "statistics target %d is too low", n)
		}
		if n > statTargetMax {
			n = statTargetMax
			res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: pgerr.InvalidParameterValue,
				Message: "lowering statistics target to " + strconv.Itoa(statTargetMax)})
		}
		if n >= 0 {
			target = &n
		}
	}
	storage := ""
	if a.Storage != "" {
		code, ok := storageCodes[strings.ToLower(a.Storage)]
		if !ok {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid storage type \"%s\"", a.Storage)
		}
		storage = code
	}
	rel, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, err
	}
	if rel != nil && rel.Kind() == "index" || rel == nil && a.Num != 0 {
		return res, setIndexStatTarget(x, s, rel, target)
	}
	if a.Num != 0 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot refer to non-index column by number")
	}
	table, tuple, r, err := lockAlterTarget(x, s)
	if table == nil {
		return r, err
	}
	if err := setColumnAttr(x, table, tuple, a.Column, storage, a.Statistics != nil, target); err != nil {
		return nil, err
	}
	if !s.Table.Only {
		seen := map[uint32]bool{table.ID: true}
		var walk func(t *catalog.TableDesc) error
		walk = func(t *catalog.TableDesc) error {
			for _, ck := range t.Children {
				child, _, err := x.s.e.cat.Lookup(x.snap, ck)
				if err != nil {
					return err
				}
				if child == nil || seen[child.ID] {
					continue
				}
				seen[child.ID] = true
				if err := x.lockTable(child.ID, txn.AccessExclusive); err != nil {
					return err
				}
				child, childTuple, err := x.s.e.cat.Lookup(x.snap, ck)
				if err != nil || child == nil {
					return err
				}
				if child.ColumnIndex(a.Column) >= 0 {
					if err := setColumnAttr(x, child, childTuple, a.Column, storage, a.Statistics != nil, target); err != nil {
						return err
					}
					if a.Statistics != nil && *a.Statistics > statTargetMax {
						// PostgreSQL warns once for each table it lowers.
						res.Notices = append(res.Notices, res.Notices[0])
					}
				}
				if err := walk(child); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(table); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// setColumnAttr records storage (when not "") and, when setStats, the
// statistics target (nil for the default) of column name of table.
func setColumnAttr(x *execCtx, table *catalog.TableDesc, tuple heap.TupleID, name, storage string, setStats bool, target *int32) error {
	i := table.ColumnIndex(name)
	if i < 0 {
		return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, table.Name)
	}
	col := table.Columns[i]
	if storage != "" && storage != "p" && (catalog.ColumnDesc{Type: col.Type}).AttStorage() == "p" {
		return pgerr.New(pgerr.FeatureNotSupported, "column data type %s can only have storage PLAIN", types.Format(col.Type))
	}
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	if storage != "" {
		updated.Columns[i].Storage = storage
		if storage == (catalog.ColumnDesc{Type: col.Type}).AttStorage() {
			updated.Columns[i].Storage = ""
		}
	}
	if setStats {
		updated.Columns[i].StatTarget = target
	}
	return replaceTableDesc(x, tuple, &updated)
}

// setIndexStatTarget is ALTER INDEX rel ALTER COLUMN n SET STATISTICS:
// only an expression column has statistics of its own.
func setIndexStatTarget(x *execCtx, s *ast.AlterTableStmt, rel *catalog.TableDesc, target *int32) error {
	n := int(s.ColumnAttr.Num)
	if s.ColumnAttr.Num == 0 {
		return pgerr.New(pgerr.FeatureNotSupported, "cannot refer to non-index column by name")
	}
	if n < 1 || n > 32767 {
		return pgerr.New(pgerr.InvalidParameterValue, "column number must be in range from 1 to 32767")
	}
	if rel == nil {
		name := catalog.DisplayName(s.Table.Name)
		// A primary key's index has no catalog entry; its columns are
		// never expressions.
		t, err := pkIndexTable(x, name)
		if err != nil {
			return err
		}
		if t == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name)
		}
		if n > len(t.PK) {
			return pgerr.New(pgerr.UndefinedColumn, "column number %d of relation \"%s\" does not exist", n, name)
		}
		return pgerr.New(pgerr.FeatureNotSupported, "cannot alter statistics on non-expression column \"%s\" of index \"%s\"", t.Columns[t.PK[n-1]].Name, name).
			WithHint("Alter statistics on table column instead.")
	}
	table, _, err := x.s.e.cat.Lookup(x.snap, rel.IndexOf)
	if err != nil || table == nil {
		return err
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return err
	}
	table, tuple, err := x.s.e.cat.Lookup(x.snap, rel.IndexOf)
	if err != nil || table == nil {
		return err
	}
	i := slices.IndexFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return ix.ID == rel.ID })
	if i < 0 {
		return pgerr.New(pgerr.DataCorrupted, "index \"%s\" is missing from table \"%s\"", rel.Name, table.Name)
	}
	ix := table.Indexes[i]
	if n > len(ix.Columns)+len(ix.Include) {
		return pgerr.New(pgerr.UndefinedColumn, "column number %d of relation \"%s\" does not exist", n, rel.Name)
	}
	if n > len(ix.Columns) || ix.KeyExpr(n-1) == "" {
		col := ""
		if n > len(ix.Columns) {
			col = table.Columns[ix.Include[n-1-len(ix.Columns)]].Name
		} else {
			col = table.Columns[ix.Columns[n-1]].Name
		}
		return pgerr.New(pgerr.FeatureNotSupported, "cannot alter statistics on non-expression column \"%s\" of index \"%s\"", col, rel.Name).
			WithHint("Alter statistics on table column instead.")
	}
	updated := *table
	updated.Indexes = slices.Clone(table.Indexes)
	targets := make(map[int]int32, len(ix.StatTargets)+1)
	for k, v := range ix.StatTargets {
		targets[k] = v
	}
	delete(targets, n)
	if target != nil {
		targets[n] = *target
	}
	if len(targets) == 0 {
		targets = nil
	}
	updated.Indexes[i].StatTargets = targets
	return replaceTableDesc(x, tuple, &updated)
}
