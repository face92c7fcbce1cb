package sql

import "testing"

// TestNumericAggregatesNonFinite: sum and avg of numeric infinities
// follow numeric_add (-Infinity + Infinity is NaN), and the variance
// aggregates give NaN for any NaN or infinite input, as in PostgreSQL.
func TestNumericAggregatesNonFinite(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct{ vals, want string }{
		{"('-infinity'), ('infinity')", "[NaN NaN NaN NaN]"},
		{"('infinity'), ('infinity')", "[Infinity Infinity NaN NaN]"},
		{"('-infinity'), ('-infinity')", "[-Infinity -Infinity NaN NaN]"},
		{"('1'), ('infinity')", "[Infinity Infinity NaN NaN]"},
		{"('infinity'), ('1')", "[Infinity Infinity NaN NaN]"},
		{"('nan'), ('infinity'), ('1')", "[NaN NaN NaN NaN]"},
		{"('infinity')", "[Infinity Infinity NaN <nil>]"},
		{"('1.5'), ('2.25')", "[3.75 1.8750000000000000 0.14062500000000000000 0.28125000000000000000]"},
	} {
		q := "SELECT sum(x::numeric), avg(x::numeric), var_pop(x::numeric), var_samp(x::numeric) FROM (VALUES " + tc.vals + ") v(x)"
		if got := outcome(s, q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", q, got, tc.want)
		}
	}
}
