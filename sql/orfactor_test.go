package sql

import (
	"strings"
	"testing"
)

// TestFactorOrsJoinKey: a join condition written in every arm of an OR
// (TPC-H's Q19) is pulled out of it and becomes the hash join's key; the
// rest of the OR stays a join filter. Conditions that differ, or are not
// in every arm, stay inside.
func TestFactorOrsJoinKey(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		"CREATE TABLE fo_l (pk int, qty int, mode text)",
		"CREATE TABLE fo_p (pk int, brand text, size int)",
		"INSERT INTO fo_l SELECT i % 50, i % 30, CASE WHEN i % 3 = 0 THEN 'AIR' ELSE 'SHIP' END FROM generate_series(1, 2000) i",
		"INSERT INTO fo_p SELECT i, 'B' || (i % 4), i % 20 FROM generate_series(0, 49) i",
		"ANALYZE",
	} {
		mustRun(t, s, q)
	}
	cases := []struct {
		query    string
		hashCond bool // the shared join condition became a hash key
	}{
		{"SELECT count(*) FROM fo_l, fo_p WHERE (pk_eq AND brand = 'B1' AND qty < 10 AND mode = 'AIR') OR (pk_eq AND brand = 'B2' AND qty >= 20 AND mode = 'AIR')",
			true},
		// An arm that is only the shared condition makes the OR redundant.
		{"SELECT count(*) FROM fo_l, fo_p WHERE (pk_eq) OR (pk_eq AND brand = 'B2')", true},
		// Not in every arm: nothing is shared.
		{"SELECT count(*) FROM fo_l, fo_p WHERE (pk_eq AND brand = 'B1') OR (brand = 'B2' AND qty = 3)", false},
	}
	for _, c := range cases {
		q := strings.ReplaceAll(c.query, "pk_eq", "fo_l.pk = fo_p.pk")
		plan := rowsText(mustRun(t, s, "EXPLAIN (COSTS OFF) "+q))
		if got := strings.Contains(plan, "Hash Cond"); got != c.hashCond {
			t.Errorf("%s: hash join %v, want %v:\n%s", q, got, c.hashCond, plan)
		}
		// The same count as with the OR evaluated whole, per pair, by
		// hiding the shared condition behind a function call.
		whole := strings.ReplaceAll(c.query, "pk_eq", "abs(fo_l.pk) = fo_p.pk")
		if got, want := rowsText(mustRun(t, s, q)), rowsText(mustRun(t, s, whole)); got != want {
			t.Errorf("%s: %s, evaluated whole %s", q, got, want)
		}
	}
}
