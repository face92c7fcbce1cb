package sql

import "testing"

// TestQuantifiedResult checks x op ANY/ALL (rows) under three-valued logic.
func TestQuantifiedResult(t *testing.T) {
	i := func(v int64) Datum { return v }
	for _, tc := range []struct {
		x    Datum
		vals []Datum
		op   string
		all  bool
		want Datum
	}{
		{i(3), []Datum{i(1), i(2)}, ">", true, true},
		{i(3), []Datum{i(1), nil}, ">", true, nil},
		{i(0), []Datum{i(1), nil}, ">", true, false},
		{i(3), nil, ">", true, true},
		{nil, nil, ">", true, true},
		{nil, []Datum{i(1)}, ">", true, nil},
		{i(3), []Datum{nil, i(2)}, ">", false, true},
		{i(0), []Datum{nil, i(2)}, ">", false, nil},
		{i(0), []Datum{i(1), i(2)}, ">", false, false},
		{nil, nil, "=", false, false},
		{i(1), []Datum{i(1), i(2)}, "<>", false, true},
		{i(1), []Datum{i(1), i(2)}, "<>", true, false},
	} {
		if got := quantifiedResult(tc.x, tc.vals, comparison(tc.op), tc.all); got != tc.want {
			t.Errorf("%v %s ALL=%v %v = %v, want %v", tc.x, tc.op, tc.all, tc.vals, got, tc.want)
		}
	}
}
