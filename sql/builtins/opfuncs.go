package builtins

import (
	"github.com/cairndb/cairn/sql/types"
)

// The functions behind the arithmetic operators and the larger/smaller
// pairs behind max and min, by PostgreSQL's names: int4pl is int4 + int4.
// CREATE AGGREGATE names them as transition functions (SFUNC = int4pl).

func init() {
	for _, t := range []struct {
		prefix string
		id     types.ID
	}{{"int2", types.Int2}, {"int4", types.Int4}, {"int8", types.Int8}} {
		tt := types.New(t.id)
		for _, op := range []struct{ suffix, op string }{{"pl", "+"}, {"mi", "-"}, {"mul", "*"}, {"div", "/"}} {
			register(t.prefix+op.suffix, &Overload{Args: []types.ID{t.id, t.id}, Result: t.id, Fn: IntArith(op.op, tt)})
		}
		register(t.prefix+"larger", &Overload{Args: []types.ID{t.id, t.id}, Result: t.id, Fn: larger})
		register(t.prefix+"smaller", &Overload{Args: []types.ID{t.id, t.id}, Result: t.id, Fn: smaller})
	}
	for _, op := range []struct{ suffix, op string }{{"pl", "+"}, {"mi", "-"}, {"mul", "*"}, {"div", "/"}} {
		register("float8"+op.suffix, &Overload{Args: []types.ID{types.Float8, types.Float8}, Result: types.Float8, Fn: FloatArith(op.op)})
	}
	register("float8larger", &Overload{Args: []types.ID{types.Float8, types.Float8}, Result: types.Float8, Fn: larger})
	register("float8smaller", &Overload{Args: []types.ID{types.Float8, types.Float8}, Result: types.Float8, Fn: smaller})
	for _, op := range []struct{ name, op string }{{"numeric_add", "+"}, {"numeric_sub", "-"}, {"numeric_mul", "*"}} {
		register(op.name, &Overload{Args: []types.ID{types.Numeric, types.Numeric}, Result: types.Numeric, Fn: NumericArith(op.op)})
	}
}

// larger is the greater of two values of one type (the first on a tie),
// as int4larger and its kin.
func larger(a []types.Datum) (types.Datum, error) {
	if types.Compare(a[0], a[1]) >= 0 {
		return a[0], nil
	}
	return a[1], nil
}

// smaller is the lesser of two values of one type.
func smaller(a []types.Datum) (types.Datum, error) {
	if types.Compare(a[0], a[1]) <= 0 {
		return a[0], nil
	}
	return a[1], nil
}
