package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// CHECK constraints, as PostgreSQL 15 has them. The catalog keeps each
// condition as SQL text over the table's columns (catalog.CheckDesc); a
// statement that writes the table binds them once with the plan and
// evaluates them on every new row version: INSERT, UPDATE, INSERT ... ON
// CONFLICT DO UPDATE and COPY FROM. A condition that is false fails the
// statement with 23514; true and NULL pass. ALTER TABLE ADD CONSTRAINT
// checks the rows already there unless NOT VALID is given; VALIDATE
// CONSTRAINT checks them later.

// boundCheck is a CHECK constraint ready to evaluate on a table's rows.
type boundCheck struct {
	name string
	cond expr
}

// bindCheckExpr binds a CHECK condition over desc's columns, refusing
// what PostgreSQL refuses in one: subqueries, aggregates, window
// functions, and conditions that are not boolean.
func (b *binder) bindCheckExpr(e ast.Expr, desc *catalog.TableDesc) (expr, error) {
	var bad error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch f := x.(type) {
		case *ast.SubqueryExpr:
			bad = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in check constraint").WithPosition(x.Position())
		case *ast.FuncCall:
			if isAggregate(f.Name) {
				bad = pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in check constraints").WithPosition(x.Position())
			}
		case *ast.ColumnRef:
			// Rows being checked have no ctid, xmin, ... yet; PostgreSQL
			// allows tableoid alone (which cairn does not bind here).
			if systemColumns[f.Column] && f.Column != "tableoid" && desc.ColumnIndex(f.Column) < 0 {
				bad = pgerr.New(pgerr.InvalidColumnReference, "system column \"%s\" reference in check constraint is invalid", f.Column).WithPosition(x.Position())
			}
		}
		return bad == nil
	})
	if bad != nil {
		return nil, bad
	}
	cond, err := b.bindExpr(e, tableScope(desc, ast.TableRef{Name: desc.Name}))
	if err != nil {
		return nil, err
	}
	switch cond.Type().ID {
	case types.Bool:
	case types.Unknown:
		if cond, err = b.cast(cond, types.New(types.Bool), false, e.Position()); err != nil {
			return nil, err
		}
	default:
		return nil, pgerr.New(pgerr.DatatypeMismatch, "argument of CHECK must be type boolean, not type %s", types.Format(cond.Type())).WithPosition(e.Position())
	}
	return cond, nil
}

// parseCheck reads a stored CHECK condition back into an expression.
func (b *binder) parseCheck(text string) (ast.Expr, error) {
	stmts, err := b.s.e.parseStored("SELECT " + text)
	if err != nil {
		return nil, err
	}
	return stmts[0].Stmt.(*ast.SelectStmt).Targets[0].Expr, nil
}

// bindChecks binds the CHECK constraints of desc.
func (b *binder) bindChecks(desc *catalog.TableDesc) ([]boundCheck, error) {
	var out []boundCheck
	for _, c := range desc.Checks {
		e, err := b.parseCheck(c.Expr)
		if err != nil {
			return nil, err
		}
		cond, err := b.bindCheckExpr(e, desc)
		if err != nil {
			return nil, err
		}
		out = append(out, boundCheck{name: c.Name, cond: cond})
	}
	return out, nil
}

// failsCheck evaluates the checks on row and returns the first one the
// row violates, or nil.
func failsCheck(ec *evalCtx, checks []boundCheck, row []types.Datum) (*boundCheck, error) {
	for i := range checks {
		v, err := checks[i].cond.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == false {
			return &checks[i], nil
		}
	}
	return nil, nil
}

// checkViolation is PostgreSQL's error for a row that fails constraint
// name of table.
func checkViolation(table *catalog.TableDesc, name string, row []types.Datum) error {
	return pgerr.New(pgerr.CheckViolation, "new row for relation \"%s\" violates check constraint \"%s\"", table.Name, name).
		WithObject(table.SchemaName(), table.Name, "", name).
		WithDetail("Failing row contains " + describeRow(table, row) + ".")
}

// checkConstraintName names an unnamed CHECK constraint as PostgreSQL
// does: table_column_check when the condition reads exactly one column,
// table_check otherwise, with a number appended until no constraint of
// the schema has the name. taken holds names already chosen by the same
// statement.
func checkConstraintName(all []*catalog.TableDesc, table string, e ast.Expr, taken map[string]bool) string {
	var cols []string
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if r, ok := x.(*ast.ColumnRef); ok {
			name := r.Column
			for _, c := range cols {
				if c == name {
					return true
				}
			}
			cols = append(cols, name)
		}
		return true
	})
	col := ""
	if len(cols) == 1 {
		col = cols[0]
	}
	return chooseConstraintName(all, table, col, "check", taken)
}

// chooseConstraintName is PostgreSQL's ChooseConstraintName: name1_name2_
// label (name2 may be empty), then label1, label2, ... until no
// constraint in the schema, nor one in taken, has the name.
func chooseConstraintName(all []*catalog.TableDesc, name1, name2, label string, taken map[string]bool) string {
	used := func(name string) bool {
		if taken[name] {
			return true
		}
		for _, t := range all {
			if t.ConstraintNameUsed(name) {
				return true
			}
		}
		return false
	}
	for n := 0; ; n++ {
		l := label
		if n > 0 {
			l += itoa(n)
		}
		var name string
		if name2 == "" {
			// makeObjectName without a second name: name1_label.
			n1 := name1[:clipRune(name1, min(len(name1), 63-len(l)-1))]
			name = parser.TruncateIdent(n1) + "_" + l
		} else {
			name = makeObjectName(name1, name2, l)
		}
		if !used(name) {
			return name
		}
	}
}

// noInheritPartitioned is PostgreSQL's refusal of a NO INHERIT CHECK
// constraint on a partitioned table, whose partitions must all have it.
func noInheritPartitioned(table string) error {
	return pgerr.New(pgerr.InvalidTableDefinition, "cannot add NO INHERIT constraint to partitioned table \"%s\"", table)
}

// checkPartitionExprs checks the partition keys written as expressions
// as PostgreSQL does, with their positions in the statement: no
// aggregates, window functions, subqueries or functions that are not
// immutable, no pseudo-type, no constant. bindPartitionKey then makes
// the keys of the ones it lets through.
func (b *binder) checkPartitionExprs(spec *ast.PartitionSpec, desc *catalog.TableDesc) error {
	for n, e := range spec.ExprNodes {
		if e == nil {
			continue
		}
		// Subqueries, aggregates, window functions and functions that
		// are not immutable (some of which cairn has not) before binding.
		if err := indexExprAllowed(e, "partition key expression", "partition key expressions"); err != nil {
			return err
		}
		bound, err := b.bindExpr(e, tableScope(desc, ast.TableRef{Name: desc.Name}))
		if err != nil {
			return err
		}
		// A named composite type is no pseudo-type; an anonymous record is.
		switch t := bound.Type(); {
		case t.ID == types.Unknown, t.ID == types.Record && !t.IsComposite():
			return pgerr.New(pgerr.InvalidTableDefinition, "partition key column %d has pseudo-type %s", n+1, types.Format(t))
		}
		refs := false
		ast.WalkExpr(e, func(x ast.Expr) bool {
			_, ok := x.(*ast.ColumnRef)
			refs = refs || ok
			return !refs
		})
		// Immutable functions of no column fold to a constant when
		// PostgreSQL plans the key, which it then refuses.
		if !refs {
			return pgerr.New(pgerr.InvalidObjectDefinition, "cannot use constant expression as partition key")
		}
	}
	return nil
}

// systemColumnRef refuses an index expression or predicate naming a
// system column (one table has no column of that name), as PostgreSQL
// does.
func systemColumnRef(e ast.Expr, table *catalog.TableDesc) error {
	var bad error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if r, ok := x.(*ast.ColumnRef); ok && systemColumns[r.Column] && table.ColumnIndex(r.Column) < 0 {
			bad = pgerr.New(pgerr.FeatureNotSupported, "index creation on system columns is not supported")
		}
		return bad == nil
	})
	return bad
}

// checkParentPersistence refuses what PostgreSQL refuses between a
// temporary and a permanent relation: a permanent child of a temporary
// parent, and a temporary partition of a permanent partitioned table.
func checkParentPersistence(s *ast.CreateTableStmt, parent *catalog.TableDesc) error {
	schema, _ := catalog.SplitName(s.Table.Name)
	temp := s.Table.Temp || schema == "pg_temp" || catalog.IsTempSchema(schema)
	switch {
	case s.PartitionOf != nil && parent.Temp() && !temp:
		return pgerr.New(pgerr.WrongObjectType, "cannot create a permanent relation as partition of temporary relation \"%s\"", parent.Name)
	case s.PartitionOf != nil && !parent.Temp() && temp:
		return pgerr.New(pgerr.WrongObjectType, "cannot create a temporary relation as partition of permanent relation \"%s\"", parent.Name)
	case s.PartitionOf == nil && parent.Temp() && !temp:
		return pgerr.New(pgerr.WrongObjectType, "cannot inherit from temporary relation \"%s\"", parent.Name)
	}
	return nil
}
