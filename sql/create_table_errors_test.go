package sql

import (
	"strings"
	"testing"
)

// TestCreateTableChecks: the refusals PostgreSQL makes in CREATE TABLE,
// found in the order it finds them: a column of type unknown, column
// references before aggregates in a DEFAULT, subqueries in defaults and
// partition bounds, a range bound's length before its values, and
// temporary and permanent relations mixed in a hierarchy; REINDEX of a
// primary key's index, and of a table without indexes (a notice).
func TestCreateTableChecks(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE lp (a int) PARTITION BY LIST (a)`)
	mustRun(t, s, `CREATE TABLE rp (a int) PARTITION BY RANGE (a)`)
	mustRun(t, s, `CREATE TEMP TABLE tlp (a int) PARTITION BY LIST (a)`)
	mustRun(t, s, `CREATE TEMP TABLE tparent (a int)`)
	mustRun(t, s, `CREATE TABLE k (a int PRIMARY KEY)`)
	for _, tc := range []struct{ q, want string }{
		{"CREATE TABLE ut (u unknown)", `42P16: column "u" has pseudo-type unknown`},
		{"CREATE TABLE d (id int DEFAULT (avg(id)))", "0A000: cannot use column reference in DEFAULT expression"},
		{"CREATE TABLE d (a int DEFAULT (avg(1)))", "42803: aggregate functions are not allowed in DEFAULT expressions"},
		{"CREATE TABLE d (a int DEFAULT (1 + (SELECT 1)))", "0A000: cannot use subquery in DEFAULT expression"},
		{"CREATE TABLE lp1 PARTITION OF lp FOR VALUES IN ((SELECT 1))", "0A000: cannot use subquery in partition bound"},
		{"CREATE TABLE rp1 PARTITION OF rp FOR VALUES FROM ('x') TO (1, 2)", "42P16: TO must specify exactly one value per partitioning column"},
		{"CREATE TABLE p1 PARTITION OF tlp DEFAULT", `42809: cannot create a permanent relation as partition of temporary relation "tlp"`},
		{"CREATE TEMP TABLE p2 PARTITION OF lp DEFAULT", `42809: cannot create a temporary relation as partition of permanent relation "lp"`},
		{"CREATE TEMP TABLE p3 PARTITION OF tlp DEFAULT", ""},
		{"CREATE TABLE c1 () INHERITS (tparent)", `42809: cannot inherit from temporary relation "tparent"`},
		{"CREATE TEMP TABLE c2 () INHERITS (tparent)", ""},
		{"REINDEX INDEX k_pkey", ""},
		{"REINDEX INDEX nosuch", `42P01: relation "nosuch" does not exist`},
		{"CREATE UNLOGGED TABLE ul (a int PRIMARY KEY)", ""},
		{"SELECT relname, relpersistence FROM pg_class WHERE relname LIKE 'ul%' ORDER BY 1", "[ul u][ul_pkey u]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
	mustRun(t, s, `CREATE TABLE noidx (a int)`)
	res, err := run(s, "REINDEX TABLE noidx")
	if err != nil || len(res.Notices) != 1 || res.Notices[0].Message != `table "noidx" has no indexes to reindex` {
		t.Errorf("REINDEX TABLE noidx: %v %+v", err, res)
	}
}

// TestPartitionColumnOptions: a partition may give its parent's columns
// NOT NULL, a DEFAULT and CHECK constraints without a type; a CHECK it
// repeats from its parent is merged and stays inherited, and one the
// parent adds later that the partition has is no longer its own.
func TestPartitionColumnOptions(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE parted (a text, b int DEFAULT 0, CONSTRAINT check_a CHECK (length(a) > 0)) PARTITION BY LIST (a)`)
	for _, tc := range []struct{ q, want string }{
		{"CREATE TABLE pb PARTITION OF parted (b NOT NULL, b DEFAULT 1) FOR VALUES IN ('b')", `42701: column "b" specified more than once`},
		{"CREATE TABLE pb PARTITION OF parted (c NOT NULL) FOR VALUES IN ('b')", `42703: column "c" does not exist`},
		{"CREATE TABLE pb PARTITION OF parted (b WITH OPTIONS NOT NULL DEFAULT 1, CONSTRAINT check_a CHECK (length(a) > 0), CONSTRAINT check_b CHECK (b >= 0)) FOR VALUES IN ('b')", ""},
		{"SELECT conname, conislocal, coninhcount FROM pg_constraint WHERE conrelid = 'pb'::regclass ORDER BY 1", "[check_a f 1][check_b t 0]"},
		{"INSERT INTO parted (a) VALUES ('b')", ""}, // the parent's default
		{"INSERT INTO pb (a) VALUES ('b')", ""},     // the partition's
		{"SELECT b FROM pb ORDER BY b", "[0][1]"},
		{"INSERT INTO parted VALUES ('b', NULL)", `23502: null value in column "b" of relation "pb" violates not-null constraint`},
		{"INSERT INTO parted VALUES ('b', -1)", `23514: new row for relation "pb" violates check constraint "check_b"`},
		{"ALTER TABLE parted ADD CONSTRAINT check_b CHECK (b >= 0)", ""},
		{"SELECT conname, conislocal, coninhcount FROM pg_constraint WHERE conrelid = 'pb'::regclass ORDER BY 1", "[check_a f 1][check_b f 1]"},
		{"ALTER TABLE pb DROP CONSTRAINT check_b", `42P16: cannot drop inherited constraint "check_b" of relation "pb"`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestReindexMessages: REINDEX (VERBOSE) reports each index, REINDEX
// CONCURRENTLY refuses the system catalogs (and skips them for a
// schema, with a warning), and REINDEX SCHEMA finds created schemas.
func TestReindexMessages(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE rv (id int PRIMARY KEY, b int UNIQUE)`)
	mustRun(t, s, `CREATE SCHEMA rs`)
	for _, tc := range []struct{ q, want string }{
		{"REINDEX TABLE CONCURRENTLY pg_class", "0A000: cannot reindex system catalogs concurrently"},
		{"REINDEX SYSTEM CONCURRENTLY", "0A000: cannot reindex system catalogs concurrently"},
		{"REINDEX SCHEMA rs", ""},
		{"REINDEX SCHEMA nosuch", `3F000: schema "nosuch" does not exist`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"REINDEX (VERBOSE) TABLE rv", []string{`INFO index "rv_pkey" was reindexed`, `INFO index "rv_b_key" was reindexed`}},
		{"REINDEX (VERBOSE) INDEX rv_b_key", []string{`INFO index "rv_b_key" was reindexed`}},
		{"REINDEX SCHEMA CONCURRENTLY pg_catalog", []string{"WARNING cannot reindex system catalogs concurrently, skipping all"}},
	} {
		res, err := run(s, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		var got []string
		for _, n := range res.Notices {
			got = append(got, n.Severity+" "+n.Message)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: notices %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestClusterOnReplicaIdentity: ALTER TABLE ... CLUSTER ON marks one
// index (SET WITHOUT CLUSTER none), REPLICA IDENTITY sets relreplident
// and marks its index, refusing the indexes PostgreSQL refuses.
func TestClusterOnReplicaIdentity(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE cz (i int, j int NOT NULL)`)
	mustRun(t, s, `CREATE INDEX czi ON cz (i)`)
	mustRun(t, s, `CREATE UNIQUE INDEX czj ON cz (j)`)
	mustRun(t, s, `CREATE UNIQUE INDEX czi2 ON cz (i)`)
	for _, tc := range []struct{ q, want string }{
		{"ALTER TABLE cz CLUSTER ON czi", ""},
		{"ALTER TABLE cz CLUSTER ON nosuch", `42704: index "nosuch" for table "cz" does not exist`},
		{"SELECT indexrelid::regclass::text FROM pg_index WHERE indisclustered", "[czi]"},
		{"ALTER TABLE cz SET WITHOUT CLUSTER", ""},
		{"SELECT count(*) FROM pg_index WHERE indisclustered", "[0]"},
		{"ALTER TABLE cz REPLICA IDENTITY USING INDEX czi", `42809: cannot use non-unique index "czi" as replica identity`},
		{"ALTER TABLE cz REPLICA IDENTITY USING INDEX czi2", `42809: index "czi2" cannot be used as replica identity because column "i" is nullable`},
		{"ALTER TABLE cz REPLICA IDENTITY USING INDEX czj", ""},
		{"SELECT relreplident FROM pg_class WHERE relname = 'cz'", "[i]"},
		{"SELECT indexrelid::regclass::text FROM pg_index WHERE indisreplident", "[czj]"},
		{"ALTER TABLE cz REPLICA IDENTITY FULL", ""},
		{"SELECT relreplident FROM pg_class WHERE relname = 'cz'", "[f]"},
		{"SELECT count(*) FROM pg_index WHERE indisreplident", "[0]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestPartitionKeyCollate: a partition key column may be given COLLATE
// "C" or "POSIX" (which order text as cairn does), shown by
// pg_get_partkeydef; a non-text column refuses one, and other collations
// are refused.
func TestPartitionKeyCollate(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct{ q, want string }{
		{`CREATE TABLE pc (a text, b int) PARTITION BY RANGE (a COLLATE "POSIX")`, ""},
		{"SELECT pg_get_partkeydef('pc'::regclass)", `[RANGE (a COLLATE "POSIX")]`},
		{`CREATE TABLE pc1 PARTITION OF pc FOR VALUES FROM ('a' COLLATE "C") TO ('g')`, ""},
		{"INSERT INTO pc VALUES ('b', 1)", ""},
		{"SELECT tableoid::regclass::text FROM pc", "[pc1]"},
		{`CREATE TABLE pb (a text, b int) PARTITION BY RANGE (b COLLATE "POSIX")`, "42804: collations are not supported by type integer"},
		{`CREATE TABLE pd (a text) PARTITION BY LIST (a COLLATE "default")`, ""},
		{"SELECT pg_get_partkeydef('pd'::regclass)", "[LIST (a)]"},
		{`CREATE TABLE pe (a text) PARTITION BY LIST (a COLLATE "en_US")`, `0A000: COLLATE "en_US" in a partition key is not supported`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
