package sql

import (
	"errors"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// wantError runs query and checks its error's SQLSTATE, message and
// detail.
func wantError(t *testing.T, s *Session, query, code, msg, detail string) {
	t.Helper()
	_, err := run(s, query)
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		t.Errorf("%s: %v, want SQLSTATE %s", query, err, code)
		return
	}
	if pe.Code != code || pe.Message != msg || pe.Detail != detail {
		t.Errorf("%s: %s %q %q, want %s %q %q", query, pe.Code, pe.Message, pe.Detail, code, msg, detail)
	}
}

// TestPartialUniqueIndex checks the soft-delete pattern: a unique partial
// index checks only the rows its predicate admits, on every write path.
func TestPartialUniqueIndex(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE users (id int PRIMARY KEY, email text, deleted_at int);
		INSERT INTO users VALUES (1, 'a@b', 5), (2, 'a@b', 6), (3, 'a@b', NULL);
		CREATE UNIQUE INDEX users_live ON users (email) WHERE deleted_at IS NULL`)
	dup := `duplicate key value violates unique constraint "users_live"`
	wantError(t, s, "INSERT INTO users VALUES (4, 'a@b', NULL)", pgerr.UniqueViolation, dup, "Key (email)=(a@b) already exists.")
	mustRun(t, s, "INSERT INTO users VALUES (4, 'a@b', 7)") // outside the predicate
	wantError(t, s, "UPDATE users SET deleted_at = NULL WHERE id = 1", pgerr.UniqueViolation, dup, "Key (email)=(a@b) already exists.")
	// Soft-delete the live row: its key is free for a new one.
	mustRun(t, s, "UPDATE users SET deleted_at = 8 WHERE id = 3; INSERT INTO users VALUES (5, 'a@b', NULL)")
	mustRun(t, s, "DELETE FROM users WHERE id = 5; UPDATE users SET deleted_at = NULL WHERE id = 1")
	if got := outcome(s, "SELECT id FROM users WHERE email = 'a@b' AND deleted_at IS NULL"); got != "[1]" {
		t.Errorf("live row %s, want [1]", got)
	}
	wantError(t, s, "CREATE UNIQUE INDEX users_all ON users (email)", pgerr.UniqueViolation,
		`could not create unique index "users_all"`, "Key (email)=(a@b) is duplicated.")
	wantError(t, s, "CREATE UNIQUE INDEX users_dead ON users (email) WHERE deleted_at > 5", pgerr.UniqueViolation,
		`could not create unique index "users_dead"`, "Key (email)=(a@b) is duplicated.")
	mustRun(t, s, "CREATE UNIQUE INDEX users_late ON users (email) WHERE deleted_at > 7")
	if _, err := e.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	mustRun(t, s, "VACUUM users")
	if _, err := e.Check(); err != nil {
		t.Errorf("Check after VACUUM: %v", err)
	}
}

// TestExpressionIndex checks unique expression indexes, their DETAIL
// lines, and CREATE INDEX's refusals.
func TestExpressionIndex(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int PRIMARY KEY, email text, a int, b int);
		INSERT INTO t VALUES (1, 'A@b', 1, 2), (2, 'c@d', 2, 2);
		CREATE UNIQUE INDEX t_lower ON t (lower(email));
		CREATE UNIQUE INDEX ON t ((a + b), lower(email))`)
	wantError(t, s, "INSERT INTO t VALUES (3, 'a@B', 0, 0)", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "t_lower"`, "Key (lower(email))=(a@b) already exists.")
	wantError(t, s, "DROP INDEX t_lower; INSERT INTO t VALUES (3, 'a@B', 2, 1)", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "t_expr_lower_idx"`, "Key ((a + b), lower(email))=(3, a@b) already exists.")
	mustRun(t, s, "INSERT INTO t VALUES (3, 'a@B', 2, 2)")
	wantError(t, s, "UPDATE t SET a = 1 WHERE id = 3", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "t_expr_lower_idx"`, "Key ((a + b), lower(email))=(3, a@b) already exists.")
	wantError(t, s, "CREATE UNIQUE INDEX t_up ON t (upper(email))", pgerr.UniqueViolation,
		`could not create unique index "t_up"`, "Key (upper(email))=(A@B) is duplicated.")
	for _, tc := range []struct{ query, code, msg string }{
		{"CREATE INDEX ON t (random())", pgerr.InvalidObjectDefinition, "functions in index expression must be marked IMMUTABLE"},
		{"CREATE INDEX ON t ((a + now()::date - current_date))", pgerr.InvalidObjectDefinition, "functions in index expression must be marked IMMUTABLE"},
		{"CREATE INDEX ON t (a) WHERE b > random()", pgerr.InvalidObjectDefinition, "functions in index predicate must be marked IMMUTABLE"},
		{"CREATE INDEX ON t ((count(*)))", pgerr.GroupingError, "aggregate functions are not allowed in index expressions"},
		{"CREATE INDEX ON t (a) WHERE a > (SELECT 1)", pgerr.FeatureNotSupported, "cannot use subquery in index predicate"},
		{"CREATE INDEX ON t (a) WHERE a + 1", pgerr.DatatypeMismatch, "argument of WHERE must be type boolean, not type integer"},
		{"CREATE INDEX ON t (lower(nope))", pgerr.UndefinedColumn, `column "nope" does not exist`},
		{"CREATE INDEX ON t (a) INCLUDE (nope)", pgerr.UndefinedColumn, `column "nope" does not exist`},
		{"CREATE INDEX ON t USING gin (a)", pgerr.UndefinedObject, `data type integer has no default operator class for access method "gin"`},
		{"CREATE INDEX ON t USING gist (a)", pgerr.UndefinedObject, `data type integer has no default operator class for access method "gist"`},
		{"CREATE INDEX ON t USING gin ((to_jsonb(a)))", pgerr.FeatureNotSupported, `index access method "gin" is not supported for data type jsonb`},
		{"CREATE UNIQUE INDEX ON t USING gin ((ARRAY[a]))", pgerr.FeatureNotSupported, `access method "gin" does not support unique indexes`},
		{"CREATE INDEX ON t USING gin ((ARRAY[a])) INCLUDE (b)", pgerr.FeatureNotSupported, `access method "gin" does not support included columns`},
		{"CREATE INDEX ON t USING gist ((point(a, b)) DESC)", pgerr.FeatureNotSupported, `access method "gist" does not support ASC/DESC options`},
		{"CREATE INDEX ON t USING brin (a)", pgerr.FeatureNotSupported, `index access method "brin" is not supported`},
		{"CREATE INDEX ON t USING nope (a)", pgerr.UndefinedObject, `access method "nope" does not exist`},
		{"CREATE UNIQUE INDEX ON t USING hash (a)", pgerr.FeatureNotSupported, `access method "hash" does not support unique indexes`},
		{"CREATE INDEX ON t USING hash (a, b)", pgerr.FeatureNotSupported, `access method "hash" does not support multicolumn indexes`},
	} {
		wantError(t, s, tc.query, tc.code, tc.msg, "")
	}
	if _, err := e.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// TestIndexChoiceComputed checks that the planner uses an expression key
// for a condition on the same expression, and a partial index only when
// the WHERE clause implies its predicate.
func TestIndexChoiceComputed(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int4 PRIMARY KEY, email text, a int4, b int4, deleted_at int4);
		CREATE INDEX t_lower ON t (lower(email));
		CREATE INDEX t_sum ON t ((a + b));
		CREATE UNIQUE INDEX t_live ON t (email) WHERE deleted_at IS NULL;
		CREATE INDEX t_big ON t (b) WHERE a > 10;
		CREATE INDEX t_known ON t (id, b) WHERE deleted_at IS NOT NULL`)
	for _, tc := range []struct{ query, want string }{
		{"SELECT * FROM t WHERE lower(email) = 'x'", "index t_lower"},
		{"SELECT * FROM t WHERE lower(email) = $1", "index t_lower"},
		{"SELECT * FROM t WHERE 'x' = lower(t.email)", "index t_lower"},
		{"SELECT * FROM t WHERE lower(email) IN ('x', 'y')", "index t_lower"},
		{"SELECT * FROM t WHERE upper(email) = 'x'", "scan"},
		{"SELECT * FROM t WHERE email = 'x'", "scan"}, // t_live's predicate is not implied
		{"SELECT * FROM t WHERE a + b = 3", "index t_sum"},
		{"SELECT * FROM t WHERE b + a = 3", "scan"},
		{"SELECT * FROM t WHERE email = 'x' AND deleted_at IS NULL", "index t_live"},
		{"SELECT * FROM t WHERE deleted_at IS NULL AND email = $1", "index t_live"},
		{"SELECT * FROM t WHERE b = 1", "scan"},
		{"SELECT * FROM t WHERE b = 1 AND a > 10", "index t_big"},
		{"SELECT * FROM t WHERE b = 1 AND 10 < a", "index t_big"},
		{"SELECT * FROM t WHERE b = 1 AND a = 11", "index t_big"},
		{"SELECT * FROM t WHERE b = 1 AND a >= 11", "index t_big"},
		{"SELECT * FROM t WHERE b = 1 AND a = 10", "scan"},
		{"SELECT * FROM t WHERE b = 1 AND a > 9", "scan"},
		{"SELECT * FROM t WHERE id > 1 AND b = 2 AND deleted_at = 3", "index t_known"},
		{"SELECT * FROM t WHERE id > 1 AND b = 2 AND deleted_at IN (3, 4)", "index t_known"},
		{"SELECT * FROM t WHERE id > 1 AND b = 2", "scan"},
		{"UPDATE t SET a = 1 WHERE lower(email) = 'x'", "index t_lower"},
		{"DELETE FROM t WHERE email = 'x' AND deleted_at IS NULL", "index t_live"},
	} {
		if got := access(t, s, tc.query); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
	}
	// The index scans find what a full scan finds.
	mustRun(t, s, `INSERT INTO t SELECT g, CASE WHEN g % 3 = 0 THEN 'U' || (g % 7) ELSE 'u' || g END, g % 13, g % 5,
		CASE WHEN g % 3 = 0 THEN g END FROM generate_series(1, 300) g`)
	for _, tc := range []struct{ indexed, full string }{
		{"SELECT id FROM t WHERE lower(email) = 'u3' ORDER BY id", "SELECT id FROM t WHERE lower(email) || '' = 'u3' ORDER BY id"},
		{"SELECT id FROM t WHERE a + b = 7 ORDER BY id", "SELECT id FROM t WHERE a + b + 0 = 7 ORDER BY id"},
		{"SELECT id FROM t WHERE b = 2 AND a > 10 ORDER BY id", "SELECT id FROM t WHERE b + 0 = 2 AND a > 10 ORDER BY id"},
		{"SELECT id FROM t WHERE email = 'u10' AND deleted_at IS NULL ORDER BY id", "SELECT id FROM t WHERE email || '' = 'u10' AND deleted_at IS NULL ORDER BY id"},
	} {
		got, want := outcome(s, tc.indexed), outcome(s, tc.full)
		if got != want || got == "" {
			t.Errorf("%s: %s, want %s", tc.indexed, got, want)
		}
	}
}

// TestOnConflictPartialAndExpression checks ON CONFLICT's inference of a
// partial unique index (its WHERE must imply the predicate) and of an
// expression index.
func TestOnConflictPartialAndExpression(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE u (id int PRIMARY KEY, email text, n int, deleted_at int);
		CREATE UNIQUE INDEX u_live ON u (email) WHERE deleted_at IS NULL;
		CREATE UNIQUE INDEX u_lower ON u (lower(email)) WHERE deleted_at IS NULL AND n > 0;
		INSERT INTO u VALUES (1, 'a', 0, NULL), (2, 'a', 0, 9)`)
	noMatch := "there is no unique or exclusion constraint matching the ON CONFLICT specification"
	wantError(t, s, "INSERT INTO u VALUES (3, 'a', 0, NULL) ON CONFLICT (email) DO NOTHING", pgerr.InvalidColumnReference, noMatch, "")
	wantError(t, s, "INSERT INTO u VALUES (3, 'a', 0, NULL) ON CONFLICT (email) WHERE n > 0 DO NOTHING", pgerr.InvalidColumnReference, noMatch, "")
	wantError(t, s, "INSERT INTO u VALUES (3, 'a', 0, NULL) ON CONFLICT (lower(email)) WHERE deleted_at IS NULL DO NOTHING", pgerr.InvalidColumnReference, noMatch, "")
	wantError(t, s, "INSERT INTO u VALUES (3, 'a', 0, NULL) ON CONFLICT (lower(nope)) DO NOTHING", pgerr.UndefinedColumn, `column "nope" does not exist`, "")
	mustRun(t, s, "INSERT INTO u VALUES (3, 'a', 0, NULL) ON CONFLICT (email) WHERE deleted_at IS NULL DO UPDATE SET n = u.n + 1")
	mustRun(t, s, "INSERT INTO u VALUES (4, 'a', 0, NULL) ON CONFLICT (email) WHERE deleted_at IS NULL AND id > 0 DO UPDATE SET n = u.n + 1")
	if got := outcome(s, "SELECT id, n FROM u ORDER BY id"); got != "[1 2][2 0]" {
		t.Errorf("after the upserts: %s, want [1 2][2 0]", got)
	}
	mustRun(t, s, "INSERT INTO u VALUES (5, 'A', 1, NULL) ON CONFLICT (lower(email)) WHERE deleted_at IS NULL AND n > 0 DO NOTHING")
	mustRun(t, s, "INSERT INTO u VALUES (6, 'A', 1, NULL) ON CONFLICT (lower(email)) WHERE n > 0 AND deleted_at IS NULL DO UPDATE SET n = excluded.id")
	if got := outcome(s, "SELECT id, n FROM u ORDER BY id"); got != "[1 6][2 0]" {
		t.Errorf("after the expression upserts: %s, want [1 6][2 0]", got)
	}
	// The arbiter is checked before the other unique indexes, as
	// PostgreSQL checks it before inserting: the row conflicting on both
	// is skipped, not refused.
	mustRun(t, s, `CREATE TABLE ic (a int, b int);
		CREATE UNIQUE INDEX ic1 ON ic (coalesce(a, 0));
		CREATE UNIQUE INDEX ic2 ON ic (b) WHERE coalesce(a, 1) > 0;
		INSERT INTO ic VALUES (1, 2);
		INSERT INTO ic VALUES (1, 2) ON CONFLICT (b) WHERE coalesce(a, 1) > 0 DO NOTHING`)
	wantError(t, s, "INSERT INTO ic VALUES (1, 3) ON CONFLICT (b) WHERE coalesce(a, 1) > 0 DO NOTHING", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "ic1"`, "Key (COALESCE(a, 0))=(1) already exists.")
}

// TestIndexDefComputed checks pg_get_indexdef, pg_index and pg_attribute
// for computed indexes against what PostgreSQL 15 shows for the same
// definitions.
func TestIndexDefComputed(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int PRIMARY KEY, email text, a int, b int, deleted_at timestamptz);
		CREATE UNIQUE INDEX t_email_live ON t (email) WHERE deleted_at IS NULL;
		CREATE INDEX ON t (lower(email));
		CREATE INDEX ON t ((a + b), a DESC NULLS LAST, b NULLS FIRST) INCLUDE (email);
		CREATE INDEX ON t USING hash (email);
		CREATE INDEX t_p ON t (a) WHERE a > 5 AND b IS NOT NULL;
		CREATE UNIQUE INDEX tnn ON t (a) INCLUDE (b) NULLS NOT DISTINCT WHERE a > 1;
		CREATE INDEX tcast ON t ((a::text), (coalesce(a, b)))`)
	for _, tc := range []struct{ query, want string }{
		{"SELECT pg_get_indexdef('t_email_live'::regclass)", "[CREATE UNIQUE INDEX t_email_live ON public.t USING btree (email) WHERE (deleted_at IS NULL)]"},
		{"SELECT pg_get_indexdef('t_email_live'::regclass, 0, true)", "[CREATE UNIQUE INDEX t_email_live ON t USING btree (email) WHERE deleted_at IS NULL]"},
		{"SELECT pg_get_indexdef('t_lower_idx'::regclass)", "[CREATE INDEX t_lower_idx ON public.t USING btree (lower(email))]"},
		{"SELECT pg_get_indexdef('t_expr_a_b_email_idx'::regclass)",
			"[CREATE INDEX t_expr_a_b_email_idx ON public.t USING btree (((a + b)), a DESC NULLS LAST, b NULLS FIRST) INCLUDE (email)]"},
		{"SELECT pg_get_indexdef('t_expr_a_b_email_idx'::regclass, 1, true), pg_get_indexdef('t_expr_a_b_email_idx'::regclass, 4, true)", "[(a + b) email]"},
		{"SELECT pg_get_indexdef('t_email_idx'::regclass)", "[CREATE INDEX t_email_idx ON public.t USING hash (email)]"},
		{"SELECT pg_get_indexdef('t_p'::regclass)", "[CREATE INDEX t_p ON public.t USING btree (a) WHERE ((a > 5) AND (b IS NOT NULL))]"},
		{"SELECT pg_get_indexdef('tnn'::regclass)", "[CREATE UNIQUE INDEX tnn ON public.t USING btree (a) INCLUDE (b) NULLS NOT DISTINCT WHERE (a > 1)]"},
		{"SELECT pg_get_indexdef('tcast'::regclass)", "[CREATE INDEX tcast ON public.t USING btree (((a)::text), COALESCE(a, b))]"},
		{"SELECT indkey, indoption, indnatts, indnkeyatts, pg_get_expr(indexprs, indrelid) FROM pg_index WHERE indexrelid = 't_expr_a_b_email_idx'::regclass",
			"[0 3 4 2 0 1 2 4 3 (a + b)]"},
		{"SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = 't_p'::regclass", "[((a > 5) AND (b IS NOT NULL))]"},
		{"SELECT attname, atttypid::regtype FROM pg_attribute WHERE attrelid = 'tcast'::regclass ORDER BY attnum", "[a text][coalesce integer]"},
		{"SELECT attname FROM pg_attribute WHERE attrelid = 't_expr_a_b_email_idx'::regclass ORDER BY attnum", "[expr][a][b][email]"},
		{"SELECT amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE relname = 't_email_idx'", "[hash]"},
		{"SELECT indexdef FROM pg_indexes WHERE indexname = 't_lower_idx'", "[CREATE INDEX t_lower_idx ON public.t USING btree (lower(email))]"},
	} {
		if got := outcome(s, tc.query); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}

// TestAlterIndexRename checks ALTER INDEX ... RENAME TO, REINDEX, and
// DROP INDEX CONCURRENTLY.
func TestAlterIndexRename(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int PRIMARY KEY, a int, b int UNIQUE);
		CREATE UNIQUE INDEX t_a ON t (a) WHERE a > 0;
		ALTER INDEX t_a RENAME TO t_a2;
		INSERT INTO t VALUES (1, 1, 1)`)
	wantError(t, s, "INSERT INTO t VALUES (2, 1, 2)", pgerr.UniqueViolation, `duplicate key value violates unique constraint "t_a2"`, "Key (a)=(1) already exists.")
	wantError(t, s, "ALTER INDEX t_a RENAME TO t_a3", pgerr.UndefinedTable, `relation "t_a" does not exist`, "")
	wantError(t, s, "ALTER INDEX t_a2 RENAME TO t", pgerr.DuplicateTable, `relation "t" already exists`, "")
	// As in PostgreSQL, ALTER INDEX renames a relation of any kind.
	mustRun(t, s, "ALTER INDEX t RENAME TO t9; ALTER TABLE t9 RENAME TO t")
	res := mustRun(t, s, "ALTER INDEX IF EXISTS nope RENAME TO t_x")
	if len(res.Notices) != 1 || res.Notices[0].Message != `relation "nope" does not exist, skipping` {
		t.Errorf("IF EXISTS notices %v", res.Notices)
	}
	mustRun(t, s, "ALTER INDEX t_b_key RENAME TO t_b_unique")
	if got := outcome(s, "SELECT conname FROM pg_constraint WHERE contype = 'u'"); got != "[t_b_unique]" {
		t.Errorf("renamed constraint %s, want [t_b_unique]", got)
	}
	mustRun(t, s, "REINDEX INDEX t_a2; REINDEX TABLE t; REINDEX (VERBOSE) TABLE t; DROP INDEX CONCURRENTLY t_a2")
	wantError(t, s, "REINDEX INDEX t", pgerr.WrongObjectType, `"t" is not an index`, "")
	wantError(t, s, "REINDEX TABLE nope", pgerr.UndefinedTable, `relation "nope" does not exist`, "")
	mustRun(t, s, "INSERT INTO t VALUES (2, 1, 2)")
	if got := outcome(s, "SELECT relname FROM pg_class WHERE relkind = 'i' ORDER BY 1"); got != "[t_b_unique][t_pkey]" {
		t.Errorf("indexes %s", got)
	}
}

// TestAlterTableComputedIndexes checks that ALTER TABLE keeps computed
// indexes right: RENAME COLUMN rewrites their expressions and
// predicates, DROP COLUMN drops the indexes that read the column, ALTER
// COLUMN TYPE rebuilds them.
func TestAlterTableComputedIndexes(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE t (id int PRIMARY KEY, email text, a int, gone int);
		CREATE UNIQUE INDEX t_lower ON t (lower(email)) WHERE a > 0;
		CREATE INDEX t_gone ON t (id) WHERE gone IS NULL;
		CREATE INDEX t_inc ON t (id) INCLUDE (gone);
		INSERT INTO t VALUES (1, 'X', 1, NULL);
		ALTER TABLE t RENAME COLUMN email TO mail;
		ALTER TABLE t RENAME COLUMN a TO n;
		ALTER TABLE t DROP COLUMN gone`)
	if got := outcome(s, "SELECT indexdef FROM pg_indexes WHERE tablename = 't' ORDER BY 1"); got !=
		"[CREATE UNIQUE INDEX t_lower ON public.t USING btree (lower(mail)) WHERE (n > 0)][CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)]" {
		t.Errorf("indexes after RENAME and DROP COLUMN: %s", got)
	}
	wantError(t, s, "INSERT INTO t VALUES (2, 'x', 5)", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "t_lower"`, "Key (lower(mail))=(x) already exists.")
	mustRun(t, s, "INSERT INTO t VALUES (2, 'x', 0); ALTER TABLE t ALTER COLUMN n TYPE int8")
	wantError(t, s, "UPDATE t SET n = 3 WHERE id = 2", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "t_lower"`, "Key (lower(mail))=(x) already exists.")
	if got := access(t, s, "SELECT * FROM t WHERE lower(mail) = 'x' AND n > 0"); got != "index t_lower" {
		t.Errorf("after the renames: %s, want index t_lower", got)
	}
	if _, err := e.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// TestVarcharExpressionIndex checks an expression index on a varchar
// column: printed with the implicit cast to text as PostgreSQL prints it,
// and the same index whether written lower(email) or lower(email::text),
// for ON CONFLICT and for the planner.
func TestVarcharExpressionIndex(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, `CREATE TABLE vc (id int PRIMARY KEY, email varchar(100), code char(4));
		CREATE UNIQUE INDEX vc_lower ON vc (lower(email::text));
		INSERT INTO vc VALUES (1, 'A@b', 'x')`)
	wantError(t, s, "INSERT INTO vc VALUES (2, 'a@B', 'y')", pgerr.UniqueViolation,
		`duplicate key value violates unique constraint "vc_lower"`, "Key (lower(email::text))=(a@b) already exists.")
	mustRun(t, s, "INSERT INTO vc VALUES (2, 'a@B', 'y') ON CONFLICT (lower(email)) DO UPDATE SET code = 'z'")
	if got := outcome(s, "SELECT pg_get_indexdef('vc_lower'::regclass), code FROM vc"); got != "[CREATE UNIQUE INDEX vc_lower ON public.vc USING btree (lower((email)::text)) z   ]" {
		t.Errorf("got %s", got)
	}
	if got := access(t, s, "SELECT * FROM vc WHERE lower(email) = 'a@b'"); got != "index vc_lower" {
		t.Errorf("lower(email) = ...: %s, want index vc_lower", got)
	}
}
