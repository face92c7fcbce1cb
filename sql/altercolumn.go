package sql

import (
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// alterColumnPlan runs ALTER TABLE ... ALTER COLUMN ... SET DEFAULT, DROP
// DEFAULT, SET NOT NULL and DROP NOT NULL (the forms pg_dump writes for
// serial columns: the table first, then its sequence, then the default),
// under an ACCESS EXCLUSIVE table lock. Only the descriptor changes, but
// SET NOT NULL first checks that no visible row holds a NULL (23502), as
// PostgreSQL scans the table.
type alterColumnPlan struct {
	stmt *ast.AlterTableStmt
	// value is the bound default of SET DEFAULT, bound to check it: the
	// catalog keeps its text.
	value expr
}

func (p *alterColumnPlan) columns() []Column { return nil }

func (b *binder) bindAlterColumn(s *ast.AlterTableStmt) (boundStmt, error) {
	p := &alterColumnPlan{stmt: s}
	if d := s.AlterColumn.Default; d != nil {
		if err := checkDefault(d); err != nil {
			return nil, err
		}
		e, err := b.bindExpr(d, nil)
		if err != nil {
			return nil, err
		}
		p.value = e
		// The default must convert to the column's type; a missing table
		// or column is the plan's to report.
		table, _, err := b.s.lookupRel(b.snap, s.Table.Name)
		if err != nil {
			return nil, err
		}
		if table != nil {
			if i := table.ColumnIndex(s.AlterColumn.Column); i >= 0 && table.Columns[i].Identity == "" {
				c := table.Columns[i]
				if _, err := b.assign(e, c.Type, c.Name, d.Position()); err != nil {
					return nil, err
				}
			}
		}
	}
	return p, nil
}

func (p *alterColumnPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	a := p.stmt.AlterColumn
	table, tuple, res, err := lockAlterTarget(x, p.stmt)
	if table == nil {
		return res, err
	}
	i := table.ColumnIndex(a.Column)
	if i < 0 {
		return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", a.Column, table.Name)
	}
	col := table.Columns[i]
	updated := *table
	updated.Columns = slices.Clone(table.Columns)
	isIdentity := func() error {
		return pgerr.New(pgerr.SyntaxError, "column \"%s\" of relation \"%s\" is an identity column", col.Name, table.Name).
			WithHint("Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.")
	}
	if a.NotNull != nil {
		if err := checkNotNullOnly(x, p.stmt, table, i, *a.NotNull); err != nil {
			return nil, err
		}
	}
	switch {
	case a.NotNull != nil && *a.NotNull:
		if !col.NotNull {
			if err := checkNoNulls(x, table, i); err != nil {
				return nil, err
			}
		}
		updated.Columns[i].NotNull = true
	case a.NotNull != nil:
		if col.Identity != "" {
			return nil, pgerr.New(pgerr.SyntaxError, "column \"%s\" of relation \"%s\" is an identity column", col.Name, table.Name)
		}
		if slices.Contains(table.PK, i) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" is in a primary key", col.Name)
		}
		updated.Columns[i].NotNull = false
	case a.Default != nil:
		if col.Identity != "" {
			return nil, isIdentity()
		}
		updated.Columns[i].Default = a.DefaultSQL
		if isNullConst(p.value) {
			updated.Columns[i].Default = ""
		}
	default:
		if col.Identity != "" {
			return nil, isIdentity()
		}
		updated.Columns[i].Default = ""
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	if a.NotNull != nil && !p.stmt.Table.Only {
		if err := alterChildrenNotNull(x, table, col.Name, *a.NotNull, map[uint32]bool{table.ID: true}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// checkNoNulls fails with 23502 when a row of table visible to the
// statement has NULL in column i.
func checkNoNulls(x *execCtx, table *catalog.TableDesc, i int) error {
	snap := x.snap
	snap.Serializable = false
	return x.s.e.heap.Scan(snap, table.StorageID(), func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		r, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if i < len(r) && r[i] == nil {
			return pgerr.New(pgerr.NotNullViolation, "column \"%s\" of relation \"%s\" contains null values", table.Columns[i].Name, table.Name)
		}
		return nil
	})
}
