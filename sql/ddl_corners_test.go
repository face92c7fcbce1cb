package sql

import "testing"

// TestPgClassExpressionIndexOfPartition: pg_class lists a partition whose
// parent has expression and partial indexes (cloned to the partition)
// without failing: an expression key names no column to compare with the
// parent's constraints.
func TestPgClassExpressionIndexOfPartition(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE pcd (u int, id int, b int) PARTITION BY RANGE (id)")
	mustRun(t, s, "ALTER TABLE pcd DROP COLUMN u")
	mustRun(t, s, "CREATE INDEX pcd_b_expr ON pcd ((b = 1))")
	mustRun(t, s, "CREATE INDEX pcd_b_pred ON pcd (b) WHERE b = 1")
	mustRun(t, s, "CREATE TABLE pcd_1 PARTITION OF pcd FOR VALUES FROM (1) TO (10)")
	for _, tc := range []struct{ q, want string }{
		{"SELECT count(*) > 0 FROM pg_class WHERE relname LIKE 'pcd%'", "[t]"},
		{"SELECT relname FROM pg_class WHERE relname LIKE 'pcd_1%' AND relkind = 'r'", "[pcd_1]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestPartitionKeyOpclass: an operator class on a partition key column
// must be one of the strategy's access method that takes the column's
// type; a class other than the type's default shows in the key's
// definition, as pg_get_partkeydef prints it.
func TestPartitionKeyOpclass(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct{ q, want string }{
		{"CREATE TABLE po (a int) PARTITION BY LIST (a point_ops)", `42704: operator class "point_ops" does not exist for access method "btree"`},
		{"CREATE TABLE po (a int) PARTITION BY HASH (a point_ops)", `42704: operator class "point_ops" does not exist for access method "hash"`},
		{"CREATE TABLE po (a int) PARTITION BY RANGE (a text_ops)", `42804: operator class "text_ops" does not accept data type integer`},
		{"CREATE TABLE po (a int, b text, c varchar) PARTITION BY RANGE (a oid_ops, b text_pattern_ops, c text_ops)", ""},
		{"SELECT pg_get_partkeydef('po'::regclass)", "[RANGE (a oid_ops, b text_pattern_ops, c)]"},
		{"CREATE TABLE ph (a int) PARTITION BY HASH (a int4_ops)", ""},
		{"SELECT pg_get_partkeydef('ph'::regclass)", "[HASH (a)]"},
		{"CREATE TABLE po1 PARTITION OF po FOR VALUES FROM (1, 'a', 'a') TO (2, 'a', 'a')", ""},
		{"INSERT INTO po VALUES (1, 'b', 'c')", ""},
		{"SELECT tableoid::regclass, * FROM po", "[po1 1 b c]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
