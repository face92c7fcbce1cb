package sql

import "testing"

// TestSetLogged checks ALTER TABLE SET LOGGED and SET UNLOGGED: the
// recorded persistence of the table and its sequences, and the foreign
// key and temporary table refusals.
func TestSetLogged(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE UNLOGGED TABLE u1 (f1 serial PRIMARY KEY)", ""},
		{"SELECT relname, relpersistence FROM pg_class WHERE relname ~ '^u1' ORDER BY 1", "[u1 u][u1_f1_seq u][u1_pkey u]"},
		{"CREATE UNLOGGED TABLE u2 (f1 int REFERENCES u1)", ""},
		{"CREATE UNLOGGED TABLE u3 (f1 int PRIMARY KEY, f2 int REFERENCES u3)", ""},
		{"ALTER TABLE u3 SET LOGGED", ""},
		{"ALTER TABLE u2 SET LOGGED", "42P16: could not change table \"u2\" to logged because it references unlogged table \"u1\""},
		{"ALTER TABLE u1 SET LOGGED", ""},
		{"SELECT relname, relpersistence FROM pg_class WHERE relname ~ '^u1' ORDER BY 1", "[u1 p][u1_f1_seq p][u1_pkey p]"},
		{"ALTER TABLE u1 SET LOGGED", ""},
		{"ALTER TABLE u2 SET LOGGED", ""},
		{"ALTER TABLE u1 SET UNLOGGED", "42P16: could not change table \"u1\" to unlogged because it references logged table \"u2\""},
		{"CREATE TEMP TABLE tt (a int)", ""},
		{"ALTER TABLE tt SET UNLOGGED", "42P16: cannot change logged status of table \"tt\" because it is temporary"},
		{"CREATE VIEW v AS SELECT 1", ""},
		{"ALTER TABLE v SET UNLOGGED", "42809"},
	})
}
