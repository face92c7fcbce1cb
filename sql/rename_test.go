package sql

import "testing"

// TestRenameRelation checks ALTER TABLE|VIEW|INDEX|SEQUENCE ... RENAME TO:
// the references other descriptors keep by key follow the new name, and
// the statement kinds accept the relation kinds PostgreSQL's do.
func TestRenameRelation(t *testing.T) {
	cases := []struct {
		name  string
		steps []scriptStep
	}{
		{"table keeps its rows and its primary key's name", []scriptStep{
			{"CREATE TABLE r1 (a int PRIMARY KEY, b int)", ""},
			{"INSERT INTO r1 VALUES (1, 2)", ""},
			{"CREATE INDEX r1_b ON r1 (b)", ""},
			{"ALTER TABLE r1 RENAME TO r2", ""},
			{"SELECT * FROM r1", "42P01"},
			{"SELECT * FROM r2", "[1 2]"},
			{"SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'r2'::regclass ORDER BY 1", "[r1_b][r1_pkey]"},
			{"INSERT INTO r2 VALUES (1, 3)", "23505"},
			{"DROP INDEX r1_b", ""},
		}},
		{"temporary table first on the path", []scriptStep{
			{"CREATE TABLE tt (a int)", ""},
			{"CREATE TEMP TABLE tt (b int)", ""},
			{"ALTER TABLE tt RENAME TO tt2", ""},
			{"SELECT b FROM tt2", ""},
			{"SELECT a FROM tt", ""},
		}},
		{"foreign keys, inheritance and partitions follow", []scriptStep{
			{"CREATE TABLE pk1 (a int PRIMARY KEY)", ""},
			{"CREATE TABLE fk1 (a int REFERENCES pk1)", ""},
			{"ALTER TABLE pk1 RENAME TO pk2", ""},
			{"INSERT INTO fk1 VALUES (1)", "23503"},
			{"INSERT INTO pk2 VALUES (1)", ""},
			{"INSERT INTO fk1 VALUES (1)", ""},
			{"CREATE TABLE par (a int) PARTITION BY LIST (a)", ""},
			{"CREATE TABLE par1 PARTITION OF par FOR VALUES IN (1)", ""},
			{"ALTER TABLE par RENAME TO par2", ""},
			{"ALTER TABLE par1 RENAME TO par3", ""},
			{"INSERT INTO par2 VALUES (1)", ""},
			{"SELECT tableoid::regclass::text, a FROM par2", "[par3 1]"},
			{"SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = 'par3'::regclass", "[par2]"},
			{"CREATE TABLE ip (a int)", ""},
			{"CREATE TABLE ic () INHERITS (ip)", ""},
			{"ALTER TABLE ip RENAME TO ip2", ""},
			{"INSERT INTO ic VALUES (5)", ""},
			{"SELECT a FROM ip2", "[5]"},
			{"ALTER TABLE ic NO INHERIT ip2", ""},
		}},
		{"views follow the table they read", []scriptStep{
			{"CREATE TABLE vt (a int)", ""},
			{"INSERT INTO vt VALUES (3)", ""},
			{"CREATE VIEW vv AS SELECT vt.a FROM vt WHERE a > 0", ""},
			{"ALTER TABLE vt RENAME TO vt2", ""},
			{"SELECT a FROM vv", "[3]"},
			{"DROP TABLE vt2", "2BP01"},
			{"ALTER TABLE vv RENAME TO vv2", ""},
			{"SELECT a FROM vv2", "[3]"},
		}},
		{"indexes and primary keys", []scriptStep{
			{"CREATE TABLE ix (a int PRIMARY KEY, b int UNIQUE)", ""},
			{"ALTER INDEX ix_pkey RENAME TO ix_pk", ""},
			{"SELECT conname FROM pg_constraint WHERE conrelid = 'ix'::regclass AND contype = 'p'", "[ix_pk]"},
			{"ALTER TABLE ix_b_key RENAME TO ix_b", ""},
			{"SELECT conname FROM pg_constraint WHERE conrelid = 'ix'::regclass AND contype = 'u'", "[ix_b]"},
			{"ALTER INDEX ix_b RENAME TO ix_pk", "42P07"},
			{"ALTER INDEX ix RENAME TO ix2", ""},
			{"SELECT count(*) FROM ix2", "[0]"},
		}},
		{"kinds and errors", []scriptStep{
			{"CREATE TABLE k1 (a int)", ""},
			{"CREATE TABLE k2 (a int)", ""},
			{"CREATE SEQUENCE ks", ""},
			{"ALTER TABLE k1 RENAME TO k2", "42P07: relation \"k2\" already exists"},
			{"ALTER VIEW k1 RENAME TO k3", "42809: \"k1\" is not a view"},
			{"ALTER SEQUENCE k1 RENAME TO k3", "42809: \"k1\" is not a sequence"},
			{"ALTER TABLE ks RENAME TO ks2", ""},
			{"SELECT nextval('ks2')", "[1]"},
			{"ALTER TABLE nope RENAME TO k3", "42P01"},
			{"ALTER TABLE IF EXISTS nope RENAME TO k3", ""},
			{"ALTER TABLE pg_class RENAME TO k3", "42501"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runScript(t, newTestSession(t, newTestEngine(t)), c.steps)
		})
	}
}
