package sql

import "testing"

// TestAnyArrayOperators checks x op ANY|ALL (array) for operators other
// than the comparisons, with PostgreSQL 15's answers.
func TestAnyArrayOperators(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	cases := []struct{ q, want string }{
		{"SELECT 'sequence_test2' ~ ANY(ARRAY['sequence_test', 'serialtest'])", "[t]"},
		{"SELECT 'abc' ~ ANY(ARRAY['x', 'y'])", "[f]"},
		{"SELECT 'abc' ~ ALL(ARRAY['a', 'c'])", "[t]"},
		{"SELECT 'abc' ~ ALL(ARRAY['a', 'x'])", "[f]"},
		{"SELECT 'abc' LIKE ANY(ARRAY['%z', 'a%'])", "[t]"},
		{"SELECT 'abc' NOT LIKE ALL(ARRAY['%z', 'x%'])", "[t]"},
		{"SELECT 'ABC' ILIKE ANY(ARRAY['a%'])", "[t]"},
		{"SELECT 'abc' ~ ANY(ARRAY['x', NULL])", "[<nil>]"},
		{"SELECT 'abc' ~ ANY(ARRAY['a', NULL])", "[t]"},
		{"SELECT 'abc' ~ ALL(ARRAY['x', NULL])", "[f]"},
		{"SELECT 'abc' ~ ANY('{}'::text[])", "[f]"},
		{"SELECT 'abc' ~ ALL('{}'::text[])", "[t]"},
		{"SELECT 'abc' ~ ANY(NULL::text[])", "[<nil>]"},
		{"SELECT 'abc' ~ ANY('{b,q}')", "[t]"},
		{"SELECT 1 + ANY(ARRAY[1, 2])", "42809: op ANY/ALL (array) requires operator to yield boolean"},
	}
	for _, tc := range cases {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestSequenceOwnershipAndReadOnly checks OWNED BY's schema rule, that a
// default calling nextval('s'::text) does not depend on s, and that
// temporary sequences advance in read-only transactions.
func TestSequenceOwnershipAndReadOnly(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE SEQUENCE q OWNED BY pg_class.relname", "55000: sequence must be in same schema as table it is linked to"},
		{"CREATE SCHEMA other", ""},
		{"CREATE TABLE other.t (a int)", ""},
		{"CREATE SEQUENCE q OWNED BY other.t.a", "55000: sequence must be in same schema as table it is linked to"},
		{"CREATE SEQUENCE other.q OWNED BY other.t.a", ""},
		{"CREATE SEQUENCE q2", ""},
		{"ALTER SEQUENCE q2 OWNED BY other.t.a", "55000"},
		{"CREATE TEMP SEQUENCE s2", ""},
		{"CREATE TEMP SEQUENCE s3", ""},
		{"CREATE TEMP TABLE t1 (f2 int DEFAULT nextval('s2'), f3 int DEFAULT nextval('s3'::text))", ""},
		{"DROP SEQUENCE s2", "2BP01"},
		{"DROP SEQUENCE s3", ""},
		{"START TRANSACTION READ ONLY", ""},
		{"SELECT nextval('s2')", "[1]"},
		{"SELECT setval('s2', 5)", "[5]"},
		{"SELECT nextval('q2')", "25006: cannot execute nextval() in a read-only transaction"},
		{"ROLLBACK", ""},
	})
}
