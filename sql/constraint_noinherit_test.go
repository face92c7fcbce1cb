package sql

import "testing"

// TestCheckNoInherit: a NO INHERIT CHECK constraint stays on its table
// (children created or attached later do not get it), shows as
// connoinherit and in pg_get_constraintdef, and a partitioned table
// refuses one; a CHECK naming a system column other than tableoid is
// refused with 42P10.
func TestCheckNoInherit(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE p (a int, b int CHECK (a > 0), CHECK (b > 10) NO INHERIT)`)
	mustRun(t, s, `CREATE TABLE c () INHERITS (p)`)
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO p (a, b) VALUES (1, 3)", `23514: new row for relation "p" violates check constraint "p_b_check"`},
		{"INSERT INTO c (a, b) VALUES (1, 3)", ""},
		{"INSERT INTO c (a, b) VALUES (-1, 30)", `23514: new row for relation "c" violates check constraint "p_a_check"`},
		{"SELECT conname, connoinherit, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'p'::regclass ORDER BY 1",
			"[p_a_check f CHECK ((a > 0))][p_b_check t CHECK ((b > 10)) NO INHERIT]"},
		{"SELECT conname FROM pg_constraint WHERE conrelid = 'c'::regclass", "[p_a_check]"},
		{"ALTER TABLE p ADD CONSTRAINT only_p CHECK (a < 100) NO INHERIT", ""},
		{"INSERT INTO c (a, b) VALUES (500, 30)", ""},
		{"INSERT INTO p (a, b) VALUES (500, 30)", `23514: new row for relation "p" violates check constraint "only_p"`},
		{"CREATE TABLE c2 (a int, b int)", ""},
		{"ALTER TABLE c2 ADD CONSTRAINT p_a_check CHECK (a > 0)", ""},
		{"ALTER TABLE c2 INHERIT p", ""},
		{"CREATE TABLE pt (a int, CONSTRAINT k CHECK (a > 0) NO INHERIT) PARTITION BY RANGE (a)", `42P16: cannot add NO INHERIT constraint to partitioned table "pt"`},
		{"CREATE TABLE pt (a int) PARTITION BY RANGE (a)", ""},
		{"ALTER TABLE pt ADD CHECK (a > 0) NO INHERIT", `42P16: cannot add NO INHERIT constraint to partitioned table "pt"`},
		{"CREATE TABLE sc (a int, CHECK (ctid IS NOT NULL))", `42P10: system column "ctid" reference in check constraint is invalid`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestCommentOnConstraint: COMMENT ON CONSTRAINT sets and removes the
// comment of a table's CHECK, FOREIGN KEY, UNIQUE or primary key
// constraint, or of a domain's, which pg_description shows under
// pg_constraint; missing constraints, tables and domains fail as in
// PostgreSQL.
func TestCommentOnConstraint(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE t (id int PRIMARY KEY, u int UNIQUE, r int REFERENCES t, CONSTRAINT ck CHECK (u > 0))`)
	mustRun(t, s, `CREATE DOMAIN d AS int CONSTRAINT dk CHECK (VALUE > 0)`)
	desc := "SELECT d.description FROM pg_description d JOIN pg_constraint c ON c.oid = d.objoid AND d.classoid = 'pg_constraint'::regclass WHERE c.conname = "
	for _, tc := range []struct{ q, want string }{
		{"COMMENT ON CONSTRAINT ck ON t IS 'check'", ""},
		{"COMMENT ON CONSTRAINT t_pkey ON t IS 'pk'", ""},
		{"COMMENT ON CONSTRAINT t_u_key ON t IS 'uq'", ""},
		{"COMMENT ON CONSTRAINT t_r_fkey ON t IS 'fk'", ""},
		{"COMMENT ON CONSTRAINT dk ON DOMAIN d IS 'dom'", ""},
		{desc + "'ck'", "[check]"},
		{desc + "'t_pkey'", "[pk]"},
		{desc + "'t_u_key'", "[uq]"},
		{desc + "'t_r_fkey'", "[fk]"},
		{desc + "'dk'", "[dom]"},
		{"COMMENT ON CONSTRAINT ck ON t IS NULL", ""},
		{desc + "'ck'", ""},
		{"COMMENT ON CONSTRAINT nope ON t IS 'x'", `42704: constraint "nope" for table "t" does not exist`},
		{"COMMENT ON CONSTRAINT nope ON DOMAIN d IS 'x'", `42704: constraint "nope" for domain d does not exist`},
		{"COMMENT ON CONSTRAINT ck ON nosuch IS 'x'", `42P01: relation "nosuch" does not exist`},
		{"COMMENT ON CONSTRAINT dk ON DOMAIN nosuch IS 'x'", `42704: type "nosuch" does not exist`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
