package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The integer bitwise operators: & (and), | (or), # (xor) on two
// integers of the wider of their types; << and >> shifting an integer by
// an integer count; prefix ~ (not). Shifts behave as PostgreSQL's do on
// the machines it runs on: the count is taken modulo the width (32 for
// smallint and integer, 64 for bigint), and a smallint result keeps its
// low 16 bits.

// isBitwiseOp reports whether op is one of the binary bitwise operators.
func isBitwiseOp(op string) bool {
	switch op {
	case "&", "|", "#", "<<", ">>":
		return true
	}
	return false
}

// bindBitwise binds l op r for a bitwise op.
func (b *binder) bindBitwise(op string, l, r expr, pos int32) (expr, error) {
	var err error
	for _, side := range []*expr{&l, &r} {
		if (*side).Type().ID == types.Unknown {
			if *side, err = b.castUnknown(*side, int4T, pos); err != nil {
				return nil, err
			}
		}
	}
	lt, rt := l.Type(), r.Type()
	if !lt.IsInteger() || !rt.IsInteger() {
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", lt.Name(), op, rt.Name()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	if op == "<<" || op == ">>" {
		if r, err = b.cast(r, int4T, false, pos); err != nil {
			return nil, err
		}
		t := types.Base(lt)
		bits := int64(32)
		if t.ID == types.Int8 {
			bits = 64
		}
		return &funcExpr{t: t, args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			x, n := a[0].(int64), uint(a[1].(int64)&(bits-1))
			var v int64
			switch {
			case op == "<<" && bits == 64:
				v = x << n
			case op == "<<":
				v = int64(int32(x) << n)
			default:
				v = x >> n
			}
			if t.ID == types.Int2 {
				v = int64(int16(v))
			}
			return v, nil
		}}, nil
	}
	t := types.New(types.Int2)
	for _, s := range []types.T{lt, rt} {
		if s.ID == types.Int8 || s.ID == types.Int4 && t.ID == types.Int2 {
			t = types.Base(s)
		}
	}
	if l, err = b.cast(l, t, false, pos); err != nil {
		return nil, err
	}
	if r, err = b.cast(r, t, false, pos); err != nil {
		return nil, err
	}
	return &funcExpr{t: t, args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		x, y := a[0].(int64), a[1].(int64)
		switch op {
		case "&":
			return x & y, nil
		case "|":
			return x | y, nil
		}
		return x ^ y, nil
	}}, nil
}

// bindBitNot binds ~x.
func (b *binder) bindBitNot(x expr, pos int32) (expr, error) {
	var err error
	if x.Type().ID == types.Unknown {
		if x, err = b.castUnknown(x, int4T, pos); err != nil {
			return nil, err
		}
	}
	if !x.Type().IsInteger() {
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: ~ %s", x.Type().Name()).
			WithHint("No operator matches the given name and argument type. You might need to add an explicit type cast.").WithPosition(pos)
	}
	return &funcExpr{t: types.Base(x.Type()), args: []expr{x}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		return ^a[0].(int64), nil
	}}, nil
}
