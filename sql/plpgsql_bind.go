package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// bindPLVar binds a column reference of a PL/pgSQL body's statement that
// names one of the body's variables: it becomes the parameter the
// variable's value is passed in, as PostgreSQL's plpgsql_param_ref does.
// ok is false when no variable has the name. A name that is both a
// variable and a column is refused (42702), PostgreSQL's answer under
// its default plpgsql.variable_conflict = error; use_variable and
// use_column (the setting, or a body's #variable_conflict) pick one.
func (b *binder) bindPLVar(x *ast.ColumnRef, sc *scope) (e expr, ok bool, err error) {
	if x.Index > 0 {
		return nil, false, nil
	}
	var names []string
	for _, n := range []string{x.Schema, x.Table, x.Column} {
		if n != "" {
			names = append(names, n)
		}
	}
	if !b.plNames.Names(names) {
		return nil, false, nil
	}
	if sc != nil {
		if _, _, _, cerr := sc.resolve(x); cerr == nil {
			switch b.plNames.Conflict() {
			case "use_column":
				return nil, false, nil
			case "use_variable":
			default:
				name := x.Column
				if x.Table != "" {
					name = x.Table + "." + x.Column
				}
				return nil, true, pgerr.New(pgerr.AmbiguousColumn, "column reference \"%s\" is ambiguous", name).WithPosition(x.Pos).
					WithDetail("It could refer to either a PL/pgSQL variable or a table column.")
			}
		}
	}
	n, t, found, err := b.plNames.Resolve(names)
	if !found {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	for len(b.params) < n {
		b.params = append(b.params, types.New(types.Unknown))
	}
	b.params[n-1] = t
	if b.paramRefs == nil {
		b.paramRefs = make(map[int]bool)
	}
	b.paramRefs[n] = true
	return &paramExpr{b: b, n: n, pos: x.Pos}, true, nil
}

// plRecordFields returns the field names of the PL/pgSQL record
// variable rec.* names; ok is false when rec is no such variable.
func (b *binder) plRecordFields(ref *ast.ColumnRef) ([]string, bool) {
	if b.plNames == nil || ref.Schema != "" {
		return nil, false
	}
	_, t, found, err := b.plNames.Resolve([]string{ref.Table})
	if !found || err != nil || t.Shape == nil {
		return nil, false
	}
	return t.Shape.Names, true
}
