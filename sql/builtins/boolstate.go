package builtins

import "github.com/cairndb/cairn/sql/types"

// booland_statefunc and boolor_statefunc, the transition functions of
// bool_and (every) and bool_or, callable directly as in PostgreSQL. Like
// every built-in function here they are strict.
func init() {
	b := types.Bool
	register("booland_statefunc", &Overload{Args: []types.ID{b, b}, Result: b, Fn: func(a []types.Datum) (types.Datum, error) {
		return a[0].(bool) && a[1].(bool), nil
	}})
	register("boolor_statefunc", &Overload{Args: []types.ID{b, b}, Result: b, Fn: func(a []types.Datum) (types.Datum, error) {
		return a[0].(bool) || a[1].(bool), nil
	}})
}
