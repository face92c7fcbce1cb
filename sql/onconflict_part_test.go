package sql

import "testing"

// TestOnConflictPartitioned: INSERT ... ON CONFLICT into a partitioned
// table infers its arbiters on the partitioned table and resolves the
// conflict in the leaf partition a row is routed to (partitions with
// their columns in another order, several levels); an index only a
// partition has is no arbiter (42P10); DO UPDATE that would move the row
// to another partition is 0A000; a row met twice is 21000.
func TestOnConflictPartitioned(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE pc (a int UNIQUE, b text) PARTITION BY LIST (a)`)
	mustRun(t, s, `CREATE TABLE pc1 PARTITION OF pc (b UNIQUE) FOR VALUES IN (1, 2)`)
	mustRun(t, s, `CREATE TABLE pc2 (b text, a int UNIQUE)`)
	mustRun(t, s, `ALTER TABLE pc ATTACH PARTITION pc2 FOR VALUES IN (3)`)
	mustRun(t, s, `CREATE TABLE pc3 PARTITION OF pc FOR VALUES IN (4, 5) PARTITION BY LIST (a)`)
	mustRun(t, s, `CREATE TABLE pc31 PARTITION OF pc3 FOR VALUES IN (4, 5)`)
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO pc VALUES (1, 'x'), (3, 'x'), (4, 'x') ON CONFLICT DO NOTHING", ""},
		{"INSERT INTO pc VALUES (1, 'y') ON CONFLICT (a) DO NOTHING", ""},
		{"INSERT INTO pc VALUES (1, 'y'), (3, 'y'), (4, 'y') ON CONFLICT (a) DO UPDATE SET b = excluded.b || pc.b RETURNING a, b", "[1 yx][3 yx][4 yx]"},
		{"INSERT INTO pc VALUES (3, 'z') ON CONFLICT (a) DO UPDATE SET b = 'w' WHERE pc.b = 'nope' RETURNING *", ""},
		{"SELECT tableoid::regclass, a, b FROM pc ORDER BY a", "[pc1 1 yx][pc2 3 yx][pc31 4 yx]"},
		{"INSERT INTO pc VALUES (2, 'yx') ON CONFLICT (b) DO NOTHING", "42P10: there is no unique or exclusion constraint matching the ON CONFLICT specification"},
		{"INSERT INTO pc1 VALUES (2, 'yx') ON CONFLICT (b) DO UPDATE SET a = excluded.a RETURNING *", "[2 yx]"},
		{"INSERT INTO pc VALUES (3, 'q') ON CONFLICT (a) DO UPDATE SET a = 4", "0A000: invalid ON UPDATE specification"},
		{"INSERT INTO pc1 VALUES (2, 'q') ON CONFLICT (a) DO UPDATE SET a = 3", "0A000: invalid ON UPDATE specification"},
		{"INSERT INTO pc VALUES (4, 'q') ON CONFLICT (a) DO UPDATE SET a = 5 RETURNING *", "[5 yx]"},
		{"INSERT INTO pc VALUES (3, 'q'), (3, 'r') ON CONFLICT (a) DO UPDATE SET b = excluded.b", "21000: ON CONFLICT DO UPDATE command cannot affect row a second time"},
		{"INSERT INTO pc VALUES (9, 'q') ON CONFLICT (a) DO NOTHING", "23514: no partition of relation \"pc\" found for row"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestOnConflictInheritanceParent: ON CONFLICT on a table with
// inheritance children arbitrates on the parent's own rows and indexes:
// a child's row with the same key is no conflict.
func TestOnConflictInheritanceParent(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE cities (name text, pop int)`)
	mustRun(t, s, `CREATE TABLE capitals (state text) INHERITS (cities)`)
	mustRun(t, s, `CREATE UNIQUE INDEX ON cities (name)`)
	mustRun(t, s, `CREATE UNIQUE INDEX ON capitals (name)`)
	mustRun(t, s, `INSERT INTO capitals VALUES ('Vegas', 1, 'NV')`)
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO cities VALUES ('Vegas', 2) ON CONFLICT (name) DO UPDATE SET pop = 3 RETURNING *", "[Vegas 2]"},
		{"INSERT INTO cities VALUES ('Vegas', 2) ON CONFLICT (name) DO UPDATE SET pop = 3 RETURNING *", "[Vegas 3]"},
		{"INSERT INTO cities VALUES ('Vegas', 2) ON CONFLICT (pop) DO NOTHING", "42P10: there is no unique or exclusion constraint matching the ON CONFLICT specification"},
		{"SELECT tableoid::regclass, name, pop FROM cities ORDER BY 1", "[cities Vegas 3][capitals Vegas 1]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestOnConflictErrorOrder: errors in DO UPDATE's SET come before the
// arbiter inference's 42P10, and EXCLUDED beside a target named excluded
// is 42P09, as in PostgreSQL.
func TestOnConflictErrorOrder(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE nokey (key int, data text)`)
	mustRun(t, s, `CREATE TABLE excluded (key int PRIMARY KEY, data text)`)
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO nokey VALUES (1) ON CONFLICT (key) DO UPDATE SET data = excluded.ctid::text", "42703: column excluded.ctid does not exist"},
		{"INSERT INTO nokey VALUES (1) ON CONFLICT (key) DO UPDATE SET data = 'x'", "42P10: there is no unique or exclusion constraint matching the ON CONFLICT specification"},
		{"INSERT INTO excluded VALUES (1, '2') ON CONFLICT (key) DO UPDATE SET data = excluded.data", `42P09: table reference "excluded" is ambiguous`},
		{"INSERT INTO excluded AS t VALUES (1, '2') ON CONFLICT (key) DO UPDATE SET data = excluded.data", ""},
		{"SELECT s.x FROM (SELECT 1 AS x, 2 AS x) s", `42702: column reference "x" is ambiguous`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestPartitionedIndexPropagation: CREATE INDEX on a partitioned table
// creates it on every partition, at every level, and on partitions
// created or attached later; a unique one is enforced in the partitions.
// An index made ON ONLY the partitioned table is not an ON CONFLICT
// arbiter until every partition has its own; ALTER INDEX ... ATTACH
// PARTITION accepts a partition's index of the same definition only.
func TestPartitionedIndexPropagation(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE r (a int, b text) PARTITION BY RANGE (a)`)
	mustRun(t, s, `CREATE TABLE r1 PARTITION OF r FOR VALUES FROM (0) TO (10) PARTITION BY RANGE (a)`)
	mustRun(t, s, `CREATE TABLE r11 PARTITION OF r1 FOR VALUES FROM (0) TO (5)`)
	mustRun(t, s, `CREATE UNIQUE INDEX ON r (a)`)
	mustRun(t, s, `CREATE INDEX ON r (b)`)
	mustRun(t, s, `CREATE TABLE r2 PARTITION OF r FOR VALUES FROM (10) TO (20)`)
	mustRun(t, s, `CREATE TABLE r3 (b text, a int)`)
	mustRun(t, s, `ALTER TABLE r ATTACH PARTITION r3 FOR VALUES FROM (20) TO (30)`)
	mustRun(t, s, `CREATE TABLE o (a int, b text) PARTITION BY RANGE (a)`)
	mustRun(t, s, `CREATE TABLE o1 PARTITION OF o FOR VALUES FROM (0) TO (10)`)
	mustRun(t, s, `CREATE UNIQUE INDEX ON ONLY o (a)`)
	for _, tc := range []struct{ q, want string }{
		{"SELECT c.relname, i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid WHERE c.relname ~ '^r' ORDER BY 1, 2",
			"[r r_a_idx][r r_b_idx][r1 r1_a_idx][r1 r1_b_idx][r11 r11_a_idx][r11 r11_b_idx][r2 r2_a_idx][r2 r2_b_idx][r3 r3_a_idx][r3 r3_b_idx]"},
		{"INSERT INTO r VALUES (1, 'x'), (11, 'x'), (21, 'x')", ""},
		{"INSERT INTO r VALUES (1, 'y')", `23505: duplicate key value violates unique constraint "r11_a_idx"`},
		{"INSERT INTO r VALUES (21, 'y')", `23505: duplicate key value violates unique constraint "r3_a_idx"`},
		{"INSERT INTO r VALUES (21, 'y') ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING *", "[21 y]"},
		{"SELECT relname FROM pg_class WHERE relname LIKE 'o1%' ORDER BY 1", "[o1]"},
		{"INSERT INTO o VALUES (1, 'x') ON CONFLICT (a) DO NOTHING", "42P10: there is no unique or exclusion constraint matching the ON CONFLICT specification"},
		{"CREATE INDEX o1_b ON o1 (b)", ""},
		{"ALTER INDEX o_a_idx ATTACH PARTITION o1_b", `42P17: cannot attach index "o1_b" as a partition of index "o_a_idx"`},
		{"CREATE UNIQUE INDEX o1_a ON o1 (a)", ""},
		{"ALTER INDEX o_a_idx ATTACH PARTITION o1_a", ""},
		{"INSERT INTO o VALUES (1, 'x') ON CONFLICT (a) DO NOTHING", ""},
		{"INSERT INTO o VALUES (1, 'y') ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING *", "[1 y]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
