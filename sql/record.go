package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Record values (types/record.go): row constructors, ROW(a, b) and
// (a, b), as values; a whole-row reference to a FROM item, t, as the
// record of its columns; field selection, (x).f; and (x).* in a select
// list, which becomes one column per field. Row comparisons of two row
// constructors stay in bindRowComparison.

// rowExpr is a row constructor's value.
type rowExpr struct {
	t     types.T
	items []expr
	// nullExtended is set for a whole-row reference to the nullable side
	// of an outer join: a row whose fields are all NULL is taken as the
	// join's NULL extension, and the reference is NULL.
	nullExtended bool
}

func (e *rowExpr) Type() types.T { return e.t }
func (e *rowExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	fields := make([]types.Datum, len(e.items))
	for i, it := range e.items {
		v, err := it.Eval(c, row)
		if err != nil {
			return nil, err
		}
		fields[i] = v
	}
	if e.nullExtended && !slices.ContainsFunc(fields, func(v types.Datum) bool { return v != nil }) {
		return nil, nil
	}
	return &types.RecordValue{Shape: e.t.Shape, Fields: fields}, nil
}

// fieldExpr selects field idx of a record; a NULL record gives NULL.
type fieldExpr struct {
	x   expr
	idx int
}

func (e *fieldExpr) Type() types.T { return e.x.Type().Shape.Types[e.idx] }
func (e *fieldExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(c, row)
	if err != nil || v == nil {
		return nil, err
	}
	r, ok := v.(*types.RecordValue)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "field selection from %T", v)
	}
	if e.idx >= len(r.Fields) {
		// A stored value of a composite type lacks the fields its
		// type gained since it was written: they are NULL.
		if e.idx < len(e.x.Type().Shape.Types) {
			return nil, nil
		}
		return nil, pgerr.New(pgerr.InternalError, "field %d of a record of %d fields", e.idx+1, len(r.Fields))
	}
	return r.Fields[e.idx], nil
}

// bindRowValue binds a row constructor as a record whose fields are named
// f1, f2, ... as PostgreSQL names them; untyped literals become text.
func (b *binder) bindRowValue(x *ast.RowExpr, sc *scope) (expr, error) {
	// t.* among the items stands for t's columns.
	var list []ast.Expr
	for _, it := range x.Items {
		ref, ok := it.(*ast.ColumnRef)
		if !ok || ref.Column != "*" {
			list = append(list, it)
			continue
		}
		cols, err := starColumns(ref, sc)
		if err != nil {
			// rec.* of a PL/pgSQL record variable stands for its fields.
			if names, ok := b.plRecordFields(ref); ok {
				for _, n := range names {
					list = append(list, &ast.ColumnRef{Table: ref.Table, Column: n, Pos: ref.Pos})
				}
				continue
			}
			return nil, err
		}
		for _, c := range cols {
			list = append(list, &ast.ColumnRef{Table: ref.Table, Column: c.name, Pos: ref.Pos})
		}
	}
	items := make([]expr, len(list))
	names := make([]string, len(list))
	ts := make([]types.T, len(list))
	for i, it := range list {
		e, err := b.bindExpr(it, sc)
		if err != nil {
			return nil, err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, textT, false, it.Position()); err != nil {
				return nil, err
			}
		}
		items[i], names[i], ts[i] = e, "f"+itoa(i+1), e.Type()
	}
	return &rowExpr{t: types.RecordOf(names, ts), items: items}, nil
}

// starColumns are the columns of FROM item ref.Table, of t.*, in the
// innermost query that has it.
func starColumns(ref *ast.ColumnRef, sc *scope) ([]scopeCol, error) {
	for cur := sc; cur != nil; cur = cur.parent {
		if !cur.hasTable(ref.Table) {
			continue
		}
		var cols []scopeCol
		for _, c := range starOrder(cur.cols) {
			if c.table == ref.Table && !c.system {
				cols = append(cols, c)
			}
		}
		return cols, nil
	}
	return nil, pgerr.New(pgerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", ref.Table).WithPosition(ref.Pos)
}

// bindStarRecord binds t.* used as a value (not in a select list or a
// row constructor, which expand it): the row of t.
func (b *binder) bindStarRecord(ref *ast.ColumnRef, sc *scope) (expr, error) {
	if _, err := starColumns(ref, sc); err != nil {
		if b.plNames != nil && ref.Schema == "" {
			// rec.* of a PL/pgSQL record variable is its value.
			if e, ok, perr := b.bindPLVar(&ast.ColumnRef{Column: ref.Table, Pos: ref.Pos}, nil); ok {
				return e, perr
			}
		}
		return nil, err
	}
	return b.bindWholeRowRecord(ref.Table, sc, ref.Pos)
}

// bindWholeRowRecord binds a reference to FROM item table as a value:
// the record of its columns, named as the columns are.
func (b *binder) bindWholeRowRecord(table string, sc *scope, pos int32) (expr, error) {
	var cols []scopeCol
	var index []int // the columns' places in sc, when sc has them
	for cur := sc; cur != nil && cols == nil; cur = cur.parent {
		for _, i := range starOrderIndexes(cur.cols) {
			if c := cur.cols[i]; c.table == table && !c.system {
				cols = append(cols, c)
				if cur == sc {
					index = append(index, i)
				}
			}
		}
	}
	items := make([]expr, len(cols))
	names := make([]string, len(cols))
	ts := make([]types.T, len(cols))
	for i, c := range cols {
		ref := &ast.ColumnRef{Table: table, Column: c.name, Pos: pos}
		if index != nil {
			// By place: a subquery's unnamed columns share one name.
			ref.Index = index[i] + 1
		}
		e, err := b.bindExpr(ref, sc)
		if err != nil {
			return nil, err
		}
		items[i], names[i], ts[i] = e, c.name, e.Type()
	}
	t := types.RecordOf(names, ts)
	if rt, ok := b.wholeRowType(cols); ok {
		t = rt
	}
	nullable := len(cols) > 0
	for _, c := range cols {
		nullable = nullable && c.nullable
	}
	return &rowExpr{t: t, items: items, nullExtended: nullable}, nil
}

// bindField binds (x).f.
func (b *binder) bindField(x *ast.FieldExpr, sc *scope) (expr, error) {
	if x.Star {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "row expansion via \"*\" is not supported here").WithPosition(x.Pos)
	}
	inner, err := b.bindFieldSource(x.X, sc)
	if err != nil {
		return nil, err
	}
	shape, err := recordShape(inner, x)
	if err != nil {
		return nil, err
	}
	i := shape.Field(x.Field)
	if i < 0 {
		return nil, pgerr.New(pgerr.UndefinedColumn, "could not identify column \"%s\" in record data type", x.Field).WithPosition(x.Pos)
	}
	return &fieldExpr{x: inner, idx: i}, nil
}

// bindFieldSource binds the record of a field selection: (t).f names a
// column of FROM item t as t.f does.
func (b *binder) bindFieldSource(e ast.Expr, sc *scope) (expr, error) {
	if table, whole := wholeRowTable(e, sc); whole {
		return b.bindWholeRowRecord(table, sc, e.Position())
	}
	return b.bindExpr(e, sc)
}

// recordShape is the shape of inner, the record of field selection x;
// other types are refused as PostgreSQL does.
func recordShape(inner expr, x *ast.FieldExpr) (*types.RecordShape, error) {
	t := inner.Type()
	if t.ID != types.Record || t.Shape == nil {
		name := x.Field
		if x.Star {
			name = "*"
		}
		return nil, pgerr.New(pgerr.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", name, t.Name()).WithPosition(x.Pos)
	}
	return t.Shape, nil
}

// expandFieldStar turns a select-list item (x).* into one item per field
// of x, (x).f1, (x).f2, ... named after the fields.
func (b *binder) expandFieldStar(t ast.Target, f *ast.FieldExpr, sc *scope) ([]ast.Target, error) {
	// Bound here only for the shape; each field's item binds x again,
	// as PostgreSQL's expansion evaluates it once per field.
	inner, err := b.bindFieldSource(f.X, sc)
	if err != nil {
		return nil, err
	}
	shape, err := recordShape(inner, f)
	if err != nil {
		return nil, err
	}
	out := make([]ast.Target, len(shape.Names))
	for i, n := range shape.Names {
		out[i] = ast.Target{Expr: &ast.FieldExpr{X: f.X, Field: n, Pos: f.Pos}, Alias: n, Pos: t.Pos}
	}
	return out, nil
}

// bindRecordComparison binds a comparison of two record values (not two
// row constructors, which bindRowComparison compares field by field with
// SQL's NULL rules): record_eq and record_cmp order them field by field,
// a NULL field equal to another and after any value. ok is false unless
// both sides are records.
func (b *binder) bindRecordComparison(op string, l, r expr, pos int32) (e expr, ok bool, err error) {
	lt, rt := l.Type(), r.Type()
	if lt.ID != types.Record || rt.ID != types.Record || lt.Shape == nil || rt.Shape == nil {
		return nil, false, nil
	}
	if len(lt.Shape.Types) != len(rt.Shape.Types) {
		return nil, true, pgerr.New(pgerr.DatatypeMismatch, "cannot compare record types with different numbers of columns").WithPosition(pos)
	}
	for i, ft := range lt.Shape.Types {
		if types.Base(ft).ID != types.Base(rt.Shape.Types[i]).ID {
			return nil, true, pgerr.New(pgerr.DatatypeMismatch, "cannot compare dissimilar column types %s and %s at record column %d",
				ft.Name(), rt.Shape.Types[i].Name(), i+1).WithPosition(pos)
		}
	}
	cmp := comparison(op)
	return &funcExpr{t: boolT, args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		return cmp(types.CompareRecords(a[0].(*types.RecordValue), a[1].(*types.RecordValue))), nil
	}}, true, nil
}

// recordIsNull is x IS [NOT] NULL for a record: IS NULL when the record
// is NULL or every field is, IS NOT NULL when every field is not NULL
// (so a record with some NULL fields is neither).
func recordIsNull(x expr, not bool) expr {
	return &funcExpr{t: boolT, args: []expr{x}, fn: func(a []types.Datum) (types.Datum, error) {
		r, _ := a[0].(*types.RecordValue)
		if r == nil {
			return !not, nil
		}
		for _, f := range r.Fields {
			if (f == nil) == not {
				return false, nil
			}
		}
		return true, nil
	}}
}

// bindRecordCast binds a cast to record: a record stays as it is, NULL
// is a NULL record; an anonymous record has no input, and other types
// do not convert.
func bindRecordCast(inner expr, tn ast.TypeName, pos int32) (expr, bool, error) {
	if tn.Name != "record" || tn.Array {
		return nil, false, nil
	}
	switch t := inner.Type(); {
	case t.ID == types.Record:
		return inner, true, nil
	case t.ID == types.Unknown:
		if c, ok := inner.(*constExpr); ok && c.v == nil {
			// NULL::record is a NULL of no known fields.
			return &constExpr{t: types.New(types.Record)}, true, nil
		}
		return nil, true, pgerr.New(pgerr.FeatureNotSupported, "input of anonymous composite types is not implemented").WithPosition(pos)
	default:
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to record", t.Name()).WithPosition(tn.Pos)
	}
}

// rowSubqueryComparison refuses a row constructor compared with a
// subquery's row, (a, b) = (SELECT x, y), which cairn does not compute.
func rowSubqueryComparison(x *ast.BinaryExpr) error {
	_, lrow := x.L.(*ast.RowExpr)
	_, rrow := x.R.(*ast.RowExpr)
	ls, lsub := x.L.(*ast.SubqueryExpr)
	rs, rsub := x.R.(*ast.SubqueryExpr)
	if lrow && rsub && !rs.Exists && !rs.Array || rrow && lsub && !ls.Exists && !ls.Array {
		return pgerr.New(pgerr.FeatureNotSupported, "comparing a row constructor with a subquery's row is not supported").WithPosition(x.Pos)
	}
	return nil
}

// pseudoTypeColumn refuses a record column in a view or a table made from
// a query: record is a pseudo-type, which PostgreSQL stores nowhere.
func pseudoTypeColumn(name string, t types.T) error {
	if (t.ID == types.Record || t.ID == types.RecordArray) && compositeOID(t) == 0 {
		return pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" has pseudo-type %s", name, t.Name())
	}
	return nil
}

// bindRowSetItem binds column c's part of (a, b, ...) = ROW(...) when the
// row has a t.* item: the row is expanded and bound once (rows keeps
// it), and must have as many items as the list has columns.
func (b *binder) bindRowSetItem(rows map[*ast.RowExpr]*rowExpr, sc1 ast.SetClause, c catalog.ColumnDesc, sc *scope) (expr, error) {
	r, ok := rows[sc1.Row]
	if !ok {
		e, err := b.bindRowValue(sc1.Row, sc)
		if err != nil {
			return nil, err
		}
		if r, ok = e.(*rowExpr); !ok || len(r.items) != sc1.SubCols {
			return nil, pgerr.New(pgerr.SyntaxError, "number of columns does not match number of values").WithPosition(sc1.Row.Pos)
		}
		rows[sc1.Row] = r
	}
	if c.Generated != "" {
		return nil, generatedUpdate(c)
	}
	if c.Identity == "a" {
		return nil, pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", c.Name).
			WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.")
	}
	return b.assignCol(r.items[sc1.SubCol], c, sc1.Row.Pos)
}
