package builtins

import (
	"math"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The integer bitwise operators of int.c and int8.c (&, |, #, ~, <<,
// >>), and the prefix operators |/ (square root) and ||/ (cube root) of
// float8.

func init() {
	const i2, i4, i8, f8 = types.Int2, types.Int4, types.Int8, types.Float8
	for _, id := range []types.ID{i2, i4, i8} {
		bin := func(f func(x, y int64) int64) *Overload {
			return &Overload{Args: []types.ID{id, id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
				return f(a[0].(int64), a[1].(int64)), nil
			}}
		}
		registerOperator("&", bin(func(x, y int64) int64 { return x & y }))
		registerOperator("|", bin(func(x, y int64) int64 { return x | y }))
		registerOperator("#", bin(func(x, y int64) int64 { return x ^ y }))
		registerOperator("~", &Overload{Args: []types.ID{id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
			return ^a[0].(int64), nil
		}})
		shift := func(left bool) *Overload {
			return &Overload{Args: []types.ID{id, i4}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
				return shiftInt(id, a[0].(int64), a[1].(int64), left), nil
			}}
		}
		registerOperator("<<", shift(true))
		registerOperator(">>", shift(false))
	}
	registerOperator("|/", &Overload{Args: []types.ID{f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		if v < 0 {
			return nil, pgerr.New(invalidArgumentForPower, "cannot take square root of a negative number")
		}
		return math.Sqrt(v), nil
	}})
	registerOperator("||/", &Overload{Args: []types.ID{f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
		return math.Cbrt(a[0].(float64)), nil
	}})
}

// shiftInt shifts x of type id by n bits as PostgreSQL's C does on
// x86-64: the count taken modulo the width of the (promoted) type, bits
// shifted out of the type lost.
func shiftInt(id types.ID, x, n int64, left bool) int64 {
	switch id {
	case types.Int8:
		if left {
			return x << (uint64(n) & 63)
		}
		return x >> (uint64(n) & 63)
	case types.Int4:
		if left {
			return int64(int32(x) << (uint32(n) & 31))
		}
		return int64(int32(x) >> (uint32(n) & 31))
	}
	// int2 is promoted to int, shifted, and cut back to 16 bits.
	if left {
		return int64(int16(int32(x) << (uint32(n) & 31)))
	}
	return int64(int16(int32(x) >> (uint32(n) & 31)))
}
