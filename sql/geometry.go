package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// The operators of the geometric types and of money are registered in
// package builtins; the binder sends an operator there when an operand
// has one of these types. The geometric types have no btree operator
// class, so they cannot be sorted or made DISTINCT (checkOrderable), and
// point, lseg, box and line take subscripts as PostgreSQL's fixed-length
// arrays do: p[0] is a point's x, b[1] a box's low corner.

// isGeoOrMoney reports whether t is a geometric type or money.
func isGeoOrMoney(t types.T) bool { return t.IsGeometric() || t.ID == types.MoneyType }

// bindGeoOperator binds l op r when an operand is geometric or money and
// builtins has operator op; ok is false otherwise.
func (b *binder) bindGeoOperator(op string, l, r expr, pos int32) (expr, bool, error) {
	if !isGeoOrMoney(l.Type()) && !isGeoOrMoney(r.Type()) {
		return nil, false, nil
	}
	switch op {
	case "AND", "OR", "LIKE", "NOT LIKE", "ILIKE", "NOT ILIKE", "||":
		return nil, false, nil
	}
	f, ok := builtins.LookupOperator(op, false)
	if !ok {
		return nil, false, nil
	}
	e, err := b.bindBuiltin(f, []expr{l, r}, pos)
	return e, true, err
}

// checkOrderable refuses a sort key (what is "ordering") or a DISTINCT
// column (what is "equality") of a type without a btree operator class.
func checkOrderable(t types.T, what string, pos int32) error {
	if !t.IsGeometric() {
		return nil
	}
	err := pgerr.New(pgerr.UndefinedFunction, "could not identify an %s operator for type %s", what, t.Name()).WithPosition(pos)
	if what == "ordering" {
		err = err.WithHint("Use an explicit ordering operator or modify the query.")
	}
	return err
}

// bindGeoSubscript binds a subscript of point, line (float8 elements),
// lseg or box (point elements), counted from 0; one outside the value is
// NULL. ok is false for the other types.
func (b *binder) bindGeoSubscript(arr expr, x *ast.SubscriptExpr, sc *scope) (expr, bool, error) {
	var elem types.ID
	switch arr.Type().ID {
	case types.PointType, types.LineType:
		elem = types.Float8
	case types.LsegType, types.BoxType:
		elem = types.PointType
	default:
		return nil, false, nil
	}
	if x.Slice {
		return nil, true, pgerr.New(pgerr.FeatureNotSupported, "slices of fixed-length arrays not implemented").WithPosition(x.Pos)
	}
	args := []expr{arr}
	for _, i := range x.Indexes {
		idx, err := b.bindExpr(i, sc)
		if err != nil {
			return nil, true, err
		}
		if it := idx.Type(); it.ID != types.Unknown && !it.IsNumeric() {
			return nil, true, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer").WithPosition(i.Position())
		}
		if idx, err = b.cast(idx, types.New(types.Int4), false, i.Position()); err != nil {
			return nil, true, err
		}
		args = append(args, idx)
	}
	return &funcExpr{t: types.New(elem), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		if len(a) != 2 {
			return nil, nil
		}
		i := a[1].(int64)
		var elems []types.Datum
		switch v := a[0].(type) {
		case types.Point:
			elems = []types.Datum{v.X, v.Y}
		case types.Line:
			elems = []types.Datum{v.A, v.B, v.C}
		case types.Lseg:
			elems = []types.Datum{v.P[0], v.P[1]}
		case types.Box:
			elems = []types.Datum{v.High, v.Low}
		}
		if i < 0 || i >= int64(len(elems)) {
			return nil, nil
		}
		return elems[i], nil
	}}, true, nil
}

// geoKeyClass refuses a btree or hash key of a geometric type, which has
// no operator class for them.
func geoKeyClass(c ast.IndexColumn, t types.T, method string) error {
	if !t.IsGeometric() || c.Opclass != "" || method != "btree" && method != "hash" {
		return nil
	}
	return pgerr.New(pgerr.UndefinedObject, "data type %s has no default operator class for access method \"%s\"", types.Format(t), method).
		WithHint("You must specify an operator class for the index or define a default operator class for the data type.")
}
