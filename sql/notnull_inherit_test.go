package sql

import "testing"

// TestNotNullInheritance checks that SET and DROP NOT NULL reach children
// unless ONLY is given, and the refusals PostgreSQL makes for partitioned
// tables and partitions (and the other ALTER TABLE subcommands that must
// not leave partitions different from their parent).
func TestNotNullInheritance(t *testing.T) {
	cases := []struct {
		name  string
		steps []scriptStep
	}{
		{"inheritance recurses", []scriptStep{
			{"CREATE TABLE p (a int)", ""},
			{"CREATE TABLE c (b text) INHERITS (p)", ""},
			{"CREATE TABLE g () INHERITS (c)", ""},
			{"ALTER TABLE p ALTER a SET NOT NULL", ""},
			{"INSERT INTO g VALUES (NULL, 'x')", "23502"},
			{"ALTER TABLE p ALTER a DROP NOT NULL", ""},
			{"INSERT INTO g VALUES (NULL, 'x')", ""},
			{"ALTER TABLE p ALTER a SET NOT NULL", "23502"},
			{"ALTER TABLE ONLY p ALTER a SET NOT NULL", ""},
			{"INSERT INTO c VALUES (NULL, 'y')", ""},
			{"ALTER TABLE c ALTER a DROP NOT NULL", ""},
			{"ALTER TABLE ONLY p ADD CONSTRAINT k CHECK (a > 0)", "42P16: constraint must be added to child tables too"},
			{"ALTER TABLE ONLY p ADD CONSTRAINT k CHECK (a > 0) NO INHERIT", ""},
		}},
		{"partitions", []scriptStep{
			{"CREATE TABLE lp (a int, b text) PARTITION BY LIST (a)", ""},
			{"CREATE TABLE lp1 PARTITION OF lp FOR VALUES IN (1)", ""},
			{"ALTER TABLE ONLY lp DROP COLUMN b", "42P16: cannot drop column from only the partitioned table when partitions exist"},
			{"ALTER TABLE lp1 ADD COLUMN c text", "42809: cannot add column to a partition"},
			{"ALTER TABLE ONLY lp ALTER b SET NOT NULL", "42P16: constraint must be added to child tables too"},
			{"ALTER TABLE lp ALTER b SET NOT NULL", ""},
			{"INSERT INTO lp1 VALUES (1, NULL)", "23502"},
			{"ALTER TABLE ONLY lp ALTER b DROP NOT NULL", "42P16: cannot remove constraint from only the partitioned table when partitions exist"},
			{"ALTER TABLE lp1 ALTER b DROP NOT NULL", "42P16: column \"b\" is marked NOT NULL in parent table"},
			{"ALTER TABLE lp ADD CONSTRAINT k CHECK (b <> 'zz')", ""},
			{"ALTER TABLE ONLY lp DROP CONSTRAINT k", "42P16: cannot remove constraint from only the partitioned table when partitions exist"},
			{"ALTER TABLE lp DROP CONSTRAINT k", ""},
			{"ALTER TABLE lp ALTER b DROP NOT NULL", ""},
			{"INSERT INTO lp1 VALUES (1, NULL)", ""},
			{"CREATE TABLE np (a int) PARTITION BY LIST (a)", ""},
			{"ALTER TABLE ONLY np ALTER a SET NOT NULL", ""},
			{"ALTER TABLE ONLY np ALTER a DROP NOT NULL", ""},
			{"ALTER TABLE ONLY np DROP COLUMN a", "42P16"}, // a partition key column
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runScript(t, newTestSession(t, newTestEngine(t)), c.steps)
		})
	}
}
