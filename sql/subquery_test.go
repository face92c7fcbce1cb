package sql

import (
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// TestQuantifiedResult checks x op ANY/ALL (rows) under three-valued logic.
func TestQuantifiedResult(t *testing.T) {
	i := func(v int64) types.Datum { return v }
	for _, tc := range []struct {
		x    types.Datum
		vals []types.Datum
		op   string
		all  bool
		want types.Datum
	}{
		{i(3), []types.Datum{i(1), i(2)}, ">", true, true},
		{i(3), []types.Datum{i(1), nil}, ">", true, nil},
		{i(0), []types.Datum{i(1), nil}, ">", true, false},
		{i(3), nil, ">", true, true},
		{nil, nil, ">", true, true},
		{nil, []types.Datum{i(1)}, ">", true, nil},
		{i(3), []types.Datum{nil, i(2)}, ">", false, true},
		{i(0), []types.Datum{nil, i(2)}, ">", false, nil},
		{i(0), []types.Datum{i(1), i(2)}, ">", false, false},
		{nil, nil, "=", false, false},
		{i(1), []types.Datum{i(1), i(2)}, "<>", false, true},
		{i(1), []types.Datum{i(1), i(2)}, "<>", true, false},
	} {
		if got := quantifiedResult(tc.x, tc.vals, comparison(tc.op), tc.all); got != tc.want {
			t.Errorf("%v %s ALL=%v %v = %v, want %v", tc.x, tc.op, tc.all, tc.vals, got, tc.want)
		}
	}
}
