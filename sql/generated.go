package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Generated columns: GENERATED ALWAYS AS (expression) STORED. The column's
// value is computed from the row's other columns on every write (INSERT,
// UPDATE, MERGE, ON CONFLICT, COPY, foreign key actions), in
// tableWriter.check, before the row's constraints are checked; INSERT
// refuses a value for it other than DEFAULT and UPDATE any assignment but
// DEFAULT (428C9), COPY without a column list leaves it out, as in
// PostgreSQL. The expression may not read another generated column, nor
// use a subquery, an aggregate, a window function or a volatile function.

// generatedColumn is one generated column's bound expression.
type generatedColumn struct {
	col  int
	expr expr
}

// bindGenerated binds the generation expressions of desc over its
// columns (tableScope), checking them as CREATE TABLE does.
func (b *binder) bindGenerated(desc *catalog.TableDesc) ([]generatedColumn, error) {
	var out []generatedColumn
	for i, c := range desc.Columns {
		if c.Generated == "" {
			continue
		}
		e, err := b.parseCheck(c.Generated)
		if err != nil {
			return nil, err
		}
		bound, err := b.bindGenerationExpr(desc, i, e)
		if err != nil {
			return nil, err
		}
		out = append(out, generatedColumn{col: i, expr: bound})
	}
	return out, nil
}

// bindGenerationExpr binds column i's generation expression e, refusing
// what PostgreSQL refuses in one, and converts it to the column's type.
func (b *binder) bindGenerationExpr(desc *catalog.TableDesc, i int, e ast.Expr) (expr, error) {
	var bad error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch f := x.(type) {
		case *ast.SubqueryExpr:
			bad = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in column generation expression").WithPosition(x.Position())
		case *ast.FuncCall:
			switch {
			case f.Over != nil:
				bad = pgerr.New(pgerr.WindowingError, "window functions are not allowed in column generation expressions").WithPosition(x.Position())
			case isAggregate(f.Name):
				bad = pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in column generation expressions").WithPosition(x.Position())
			case volatileFunction(f.Name):
				bad = pgerr.New(pgerr.InvalidObjectDefinition, "generation expression is not immutable").WithPosition(x.Position())
			}
		case *ast.ColumnRef:
			if j := desc.ColumnIndex(f.Column); j >= 0 && desc.Columns[j].Generated != "" {
				bad = pgerr.New(pgerr.InvalidObjectDefinition, "cannot use generated column \"%s\" in column generation expression", f.Column).
					WithDetail("A generated column cannot reference another generated column.").WithPosition(x.Position())
			}
		}
		return bad == nil
	})
	if bad != nil {
		return nil, bad
	}
	bound, err := b.bindExpr(e, tableScope(desc, ast.TableRef{Name: desc.Name}))
	if err != nil {
		return nil, err
	}
	c := desc.Columns[i]
	return b.assign(bound, c.Type, c.Name, e.Position())
}

// volatileFunction names the functions whose value changes from call to
// call or with the session, which a generation expression may not use.
func volatileFunction(name string) bool {
	switch name {
	case "random", "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
		"nextval", "currval", "lastval", "setval", "gen_random_uuid", "uuid_generate_v4", "gen_random_bytes",
		"current_setting", "set_config", "pg_backend_pid", "txid_current", "pg_current_xact_id":
		return true
	}
	return false
}

// generate computes the generated columns of row in place.
func (w *tableWriter) generate(ec *evalCtx, row []types.Datum) error {
	for _, g := range w.generated {
		v, err := g.expr.Eval(ec, row)
		if err != nil {
			return err
		}
		row[g.col] = v
	}
	return nil
}

// generatedValue is PostgreSQL's error for a value written into a
// generated column by INSERT.
func generatedValue(c catalog.ColumnDesc) error {
	return pgerr.New(pgerr.GeneratedAlways, "cannot insert a non-DEFAULT value into column \"%s\"", c.Name).
		WithDetail("Column \"" + c.Name + "\" is a generated column.")
}

// generatedUpdate is PostgreSQL's error for UPDATE ... SET of a generated
// column to anything but DEFAULT.
func generatedUpdate(c catalog.ColumnDesc) error {
	return pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", c.Name).
		WithDetail("Column \"" + c.Name + "\" is a generated column.")
}
