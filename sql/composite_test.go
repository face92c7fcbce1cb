package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestCompositeTypes runs composite types end to end: CREATE TYPE AS,
// columns and arrays of the type, casts, field selection and
// assignment, ALTER TYPE's attribute actions under stored values and
// DROP TYPE with its dependents. Rows and errors are PostgreSQL 15's.
func TestCompositeTypes(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{"CREATE TYPE ct AS (a int, b text)", ""},
		{"CREATE TYPE ct AS (x int)", `42710: type "ct" already exists`},
		{"CREATE TYPE cd AS (a int, a text)", `42701: column "a" specified more than once`},
		{"CREATE TABLE ct (z int)", `42P07: relation "ct" already exists`},
		{"CREATE TABLE tc (id int PRIMARY KEY, c ct, cs ct[])", ""},
		{"SELECT '(1,\"a b\")'::ct, ROW(2, 'x')::ct, (ROW(3, 'y')::ct).b, pg_typeof(ROW(1, 'x')::ct)", `[(1,"a b") (2,x) y ct]`},
		{"SELECT ROW(1)::ct", "42846: cannot cast type record to ct"},
		{"SELECT '(1'::ct", `22P02: malformed record literal: "(1"`},
		{"INSERT INTO tc VALUES (1, ROW(1, 'one'), ARRAY[ROW(2, 'x')::ct, '(3,)'])", ""},
		{"INSERT INTO tc (id, c.a, c.b) VALUES (2, 20, 'two')", ""},
		{"INSERT INTO tc (id, cs[1].b, cs[2].a) SELECT 3, 'three', 33", ""},
		{"INSERT INTO tc (id, c.a) VALUES (4, DEFAULT)", "0A000: cannot set a subfield to DEFAULT"},
		{"INSERT INTO tc (id, c.z) VALUES (4, 1)", `42703: cannot assign to field "z" of column "c" because there is no such column in data type ct`},
		{"INSERT INTO tc (id.z) VALUES (1)", `42804: cannot assign to field "z" of column "id" because its type integer is not a composite type`},
		{"UPDATE tc SET c.b = 'uno', cs[1].a = 5 WHERE id = 1", ""},
		{"SELECT id, c, cs, (c).a FROM tc ORDER BY id", `[1 (1,uno) {"(5,x)","(3,)"} 1][2 (20,two)  20][3  {"(,three)","(33,)"} ]`},
		{"SELECT id FROM tc WHERE c = ROW(20, 'two')::ct", "[2]"},
		{"ALTER TYPE ct ADD ATTRIBUTE d int, DROP ATTRIBUTE a", ""},
		{"SELECT id, c, cs FROM tc ORDER BY id", `[1 (uno,) {"(x,)","(,)"}][2 (two,) ][3  {"(three,)","(,)"}]`},
		{"ALTER TYPE ct RENAME ATTRIBUTE b TO bb", ""},
		{"SELECT (c).bb FROM tc WHERE id = 2", "[two]"},
		{"ALTER TYPE ct ALTER ATTRIBUTE d TYPE bigint", `0A000: cannot alter type "ct" because column "tc.c" uses it`},
		{"ALTER TYPE ct DROP ATTRIBUTE zz", `42703: column "zz" of relation "ct" does not exist`},
		{"CREATE TYPE co AS (i ct, n int)", ""},
		{"SELECT typtype, typrelid::regclass FROM pg_type WHERE typname = 'ct'", "[c ct]"},
		{"SELECT relkind, relnatts FROM pg_class WHERE relname = 'ct'", "[c 2]"},
		{"DROP TYPE ct", "2BP01: cannot drop type ct because other objects depend on it"},
		{"DROP TYPE ct CASCADE", ""},
		{"SELECT * FROM tc ORDER BY id", "[1][2][3]"},
		{"SELECT attname FROM pg_attribute WHERE attrelid = 'co'::regclass", "[n]"},
	} {
		got := recordOutcome(s, tc.query)
		if len(got) > len(tc.want) && tc.want != "" && got[:5] == tc.want[:5] && got[5:7] == ": " {
			// Errors compare by code and message prefix.
			got = got[:len(tc.want)]
		}
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}

// TestPartitionKeyExpressions routes rows by a key on expressions and
// checks the partition constraint of a row written to a partition.
func TestPartitionKeyExpressions(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"CREATE TABLE lp (a text, b int) PARTITION BY LIST (lower(a))", ""},
		{"CREATE TABLE lp1 PARTITION OF lp FOR VALUES IN ('aa', 'bb')", ""},
		{"CREATE TABLE rp (a text, b int) PARTITION BY RANGE (a, (b + 0))", ""},
		{"CREATE TABLE rp1 PARTITION OF rp FOR VALUES FROM ('a', 1) TO ('a', 10)", ""},
		{"INSERT INTO lp VALUES ('AA', 1), ('bB', 2)", ""},
		{"INSERT INTO lp VALUES ('cc', 1)", "23514: no partition of relation \"lp\" found for row"},
		{"INSERT INTO lp1 VALUES ('cc', 1)", "23514: new row for relation \"lp1\" violates partition constraint"},
		{"INSERT INTO rp VALUES ('a', 5)", ""},
		{"INSERT INTO rp VALUES ('a', 10)", "23514: no partition of relation \"rp\" found for row"},
		{"SELECT tableoid::regclass, * FROM lp ORDER BY b", "[lp1 AA 1][lp1 bB 2]"},
		{"SELECT pg_get_partkeydef('rp'::regclass), pg_get_partkeydef('lp'::regclass)", "[RANGE (a, ((b + 0))) LIST (lower(a))]"},
		{"SELECT pg_get_partition_constraintdef('lp1'::regclass)", "[((lower(a) IS NOT NULL) AND (lower(a) = ANY (ARRAY['aa'::text, 'bb'::text])))]"},
		{"SELECT partattrs FROM pg_partitioned_table WHERE partrelid = 'rp'::regclass", "[1 0]"},
		{"CREATE TABLE up (a int PRIMARY KEY) PARTITION BY LIST ((a + 1))", "0A000: unsupported PRIMARY KEY constraint with partition key definition"},
		{"CREATE TABLE up (a int) PARTITION BY LIST ((a = (SELECT 1)))", "0A000: cannot use subquery in partition key expression"},
		{"CREATE TABLE up (a int) PARTITION BY RANGE ((42))", "42P17: cannot use constant expression as partition key"},
		{"CREATE TABLE up (a int) PARTITION BY RANGE ((random()))", "42P17: functions in partition key expression must be marked IMMUTABLE"},
	} {
		got := recordOutcome(s, tc.query)
		if tc.want != "" && len(got) > len(tc.want) && got[5:7] == ": " {
			got = got[:len(tc.want)]
		}
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
	_, err := run(s, "INSERT INTO rp VALUES ('a', 10)")
	if pe := pgerr.Find(err); pe == nil || pe.Detail != "Partition key of the failing row contains (a, (b + 0)) = (a, 10)." {
		t.Errorf("routing error %v", err)
	}
}

// TestAttachedPartitionColumns checks that an attached partition's
// columns count as inherited only (attislocal false), so that dropping
// the partitioned table's column drops the partition's, and that a
// composite column matches its parent's when attached.
func TestAttachedPartitionColumns(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		"CREATE TYPE pc AS (x int)",
		"CREATE TABLE pp (a int, d int, c pc) PARTITION BY LIST (a)",
		"CREATE TABLE pp1 (d int, c pc, a int)",
		"ALTER TABLE pp ATTACH PARTITION pp1 FOR VALUES IN (1)",
		"ALTER TABLE pp DROP COLUMN d",
	} {
		mustRun(t, s, q)
	}
	if got := recordOutcome(s, "SELECT attname FROM pg_attribute WHERE attrelid = 'pp1'::regclass AND attnum > 0 ORDER BY attnum"); got != "[c][a]" {
		t.Errorf("partition's columns after the parent's drop: %s", got)
	}
}
