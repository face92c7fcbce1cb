package sql

import "testing"

// TestRenameConstraint checks RENAME CONSTRAINT on every kind of
// constraint and through inheritance, and the neighbouring ALTER TABLE
// refusals on system catalogs.
func TestRenameConstraint(t *testing.T) {
	cases := []struct {
		name  string
		steps []scriptStep
	}{
		{"keys rename their index", []scriptStep{
			{"CREATE TABLE rc (a int PRIMARY KEY, b int CONSTRAINT rc_u UNIQUE)", ""},
			{"ALTER TABLE rc RENAME CONSTRAINT rc_u TO rc_u2", ""},
			{"DROP INDEX rc_u", "42704"},
			{"DROP INDEX rc_u2", "2BP01"},
			{"ALTER TABLE rc RENAME CONSTRAINT rc_pkey TO rc_pk", ""},
			{"SELECT relname FROM pg_class WHERE relkind = 'i' ORDER BY 1", "[rc_pk][rc_u2]"},
			{"INSERT INTO rc VALUES (1, 1), (1, 2)", "23505: duplicate key value violates unique constraint \"rc_pk\""},
			{"ALTER TABLE rc RENAME CONSTRAINT rc_pk TO rc_u2", "42710"},
			{"ALTER TABLE rc DROP CONSTRAINT rc_u2", ""},
		}},
		{"inheritance", []scriptStep{
			{"CREATE TABLE rp (a int CONSTRAINT con1 CHECK (a > 0), b int)", ""},
			{"CREATE TABLE rch (a int CONSTRAINT con1 CHECK (a > 0)) INHERITS (rp)", ""},
			{"CREATE TABLE rgc () INHERITS (rch)", ""},
			{"ALTER TABLE rch RENAME CONSTRAINT con1 TO x", "42P16: cannot rename inherited constraint \"con1\""},
			{"ALTER TABLE ONLY rp RENAME CONSTRAINT con1 TO x", "42P16: inherited constraint \"con1\" must be renamed in child tables too"},
			{"ALTER TABLE rp RENAME CONSTRAINT con1 TO x", ""},
			{"SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'c' ORDER BY 1", "[rch x][rgc x][rp x]"},
			{"ALTER TABLE rp ADD CONSTRAINT con2 CHECK (b > 0) NO INHERIT", ""},
			{"ALTER TABLE ONLY rp RENAME CONSTRAINT con2 TO con2foo", ""},
			{"ALTER TABLE IF EXISTS nope ADD CONSTRAINT c UNIQUE (a)", ""},
		}},
		{"names of added keys", []scriptStep{
			{"CREATE TABLE tt9 (c int, CONSTRAINT tt9_pk PRIMARY KEY (c))", ""},
			{"SELECT conname FROM pg_constraint WHERE contype = 'p'", "[tt9_pk]"},
			{"CREATE TABLE tt8 (c int CONSTRAINT tt8_k PRIMARY KEY)", ""},
			{"SELECT relname FROM pg_class WHERE relname LIKE 'tt8%' ORDER BY 1", "[tt8][tt8_k]"},
			{"ALTER TABLE tt9 ADD CONSTRAINT tt9_c_key2 CHECK (c > 6)", ""},
			{"ALTER TABLE tt9 ADD UNIQUE (c)", ""},
			{"ALTER TABLE tt9 ADD UNIQUE (c)", ""},
			{"ALTER TABLE tt9 ADD CONSTRAINT tt9_c_key UNIQUE (c)", "42P07"},
			{"ALTER TABLE tt9 ADD CONSTRAINT tt9_c_key2 UNIQUE (c)", "42710"},
			{"ALTER TABLE tt9 ADD UNIQUE (c)", ""},
			{"SELECT conname FROM pg_constraint WHERE conrelid = 'tt9'::regclass AND contype = 'u' ORDER BY 1", "[tt9_c_key][tt9_c_key1][tt9_c_key3]"},
		}},
		{"system catalogs", []scriptStep{
			{"ALTER TABLE pg_class ALTER relname DROP NOT NULL", "42501: permission denied: \"pg_class\" is a system catalog"},
			{"ALTER TABLE pg_catalog.pg_attribute DROP COLUMN attname", "42501"},
			{"CREATE TABLE pg_catalog.t ()", "42501: permission denied to create \"pg_catalog.t\""},
			{"SHOW allow_system_table_mods", "[off]"},
			{"CREATE TABLE va (a int)", ""},
			{"ANALYZE va (b)", "42703: column \"b\" of relation \"va\" does not exist"},
			{"ANALYZE va (a, a)", "42701"},
			{"VACUUM va (a)", "0A000"},
			{"VACUUM ANALYZE va (a)", ""},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runScript(t, newTestSession(t, newTestEngine(t)), c.steps)
		})
	}
}
