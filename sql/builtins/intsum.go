package builtins

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// int2_sum and int4_sum, the transition functions of sum(int2) and
// sum(int4), callable directly as in PostgreSQL (CREATE AGGREGATE may
// name them as its SFUNC). They are not strict: a NULL state takes the
// input as the first sum, a NULL input leaves the state as it was.
func init() {
	for _, name := range []string{"int2_sum", "int4_sum"} {
		in := types.Int4
		if name == "int2_sum" {
			in = types.Int2
		}
		register(name, &Overload{Args: []types.ID{types.Int8, in}, Result: types.Int8, CalledOnNull: true,
			Fn: func(a []types.Datum) (types.Datum, error) {
				if a[0] == nil || a[1] == nil {
					if a[0] == nil {
						return a[1], nil
					}
					return a[0], nil
				}
				s, x := a[0].(int64), a[1].(int64)
				sum := s + x
				if (x > 0 && sum < s) || (x < 0 && sum > s) {
					return nil, pgerr.New(pgerr.NumericValueOutOfRange, "bigint out of range")
				}
				return sum, nil
			}})
	}
}
