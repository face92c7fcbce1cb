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

// TestPartitionKeyExprNeedsNoSelect: routing a row through an expression
// key reads the key's columns for the system: a role with INSERT but no
// SELECT inserts, and a row no partition takes fails for that (23514).
func TestPartitionKeyExprNeedsNoSelect(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE kd (a int, b int) PARTITION BY LIST ((a+0))")
	mustRun(t, s, "CREATE TABLE kd_1 PARTITION OF kd FOR VALUES IN (1) PARTITION BY RANGE (b)")
	mustRun(t, s, "CREATE TABLE kd_1_1 PARTITION OF kd_1 FOR VALUES FROM (0) TO (10)")
	mustRun(t, s, "CREATE ROLE kd_user")
	mustRun(t, s, "GRANT INSERT ON kd TO kd_user")
	mustRun(t, s, "SET ROLE kd_user")
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO kd VALUES (1, 1)", ""},
		{"INSERT INTO kd VALUES (1, 20)", `23514: no partition of relation "kd_1" found for row`},
		{"INSERT INTO kd VALUES (2, 1)", `23514: no partition of relation "kd" found for row`},
		{"SELECT * FROM kd", "42501: permission denied for table kd"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestCompositeAttributeUnknown: a composite type's attribute may not be
// of type unknown, in CREATE TYPE or ALTER TYPE ADD ATTRIBUTE (42P16),
// as a table's column may not.
func TestCompositeAttributeUnknown(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TYPE ct_ok AS (a int)")
	for _, tc := range []struct{ q, want string }{
		{"CREATE TYPE ct_u AS (u unknown)", `42P16: column "u" has pseudo-type unknown`},
		{"ALTER TYPE ct_ok ADD ATTRIBUTE u unknown", `42P16: column "u" has pseudo-type unknown`},
		{"SELECT count(*) FROM pg_type WHERE typname = 'ct_u'", "[0]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestDropDomainPartitionKey: a partitioned table whose partition key
// column is of a domain depends on the domain as a whole: DROP DOMAIN
// names the table and CASCADE drops it with its partitions, while other
// tables only lose their columns of the domain.
func TestDropDomainPartitionKey(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE DOMAIN dpk AS int")
	mustRun(t, s, "CREATE TABLE dpt (a dpk, b text) PARTITION BY RANGE (a)")
	mustRun(t, s, "CREATE TABLE dpt1 PARTITION OF dpt FOR VALUES FROM (1) TO (10)")
	mustRun(t, s, "CREATE TABLE dother (a dpk, c int)")
	if got := outcome(s, "DROP DOMAIN dpk"); got != "2BP01: cannot drop type dpk because other objects depend on it" {
		t.Errorf("DROP DOMAIN dpk: %s", got)
	}
	res, err := run(s, "DROP DOMAIN dpk CASCADE")
	if err != nil || len(res.Notices) != 1 || res.Notices[0].Detail != "drop cascades to table dpt\ndrop cascades to column a of table dother" {
		t.Fatalf("DROP DOMAIN dpk CASCADE: %v %+v", err, res)
	}
	for _, tc := range []struct{ q, want string }{
		{"TABLE dpt", `42P01: relation "dpt" does not exist`},
		{"TABLE dpt1", `42P01: relation "dpt1" does not exist`},
		{"SELECT attname FROM pg_attribute WHERE attrelid = 'dother'::regclass AND attnum > 0 AND NOT attisdropped", "[c]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
