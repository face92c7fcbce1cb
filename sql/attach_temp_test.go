package sql

import "testing"

// TestAttachPartitionPersistence checks that ATTACH PARTITION refuses to
// mix temporary and permanent tables, and that ATTACH and DETACH work on
// tables outside public (a partition's parent is kept by catalog key),
// and the ownership and partition key checks of ATTACH and DROP COLUMN.
func TestAttachPartitionPersistence(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE pp (a int) PARTITION BY LIST (a)", ""},
		{"CREATE TEMP TABLE tp (a int) PARTITION BY LIST (a)", ""},
		{"CREATE TABLE pc (a int)", ""},
		{"CREATE TEMP TABLE tc (a int)", ""},
		{"ALTER TABLE tp ATTACH PARTITION pc DEFAULT", "42809: cannot attach a permanent relation as partition of temporary relation \"tp\""},
		{"ALTER TABLE pp ATTACH PARTITION tc DEFAULT", "42809: cannot attach a temporary relation as partition of permanent relation \"pp\""},
		{"ALTER TABLE tp ATTACH PARTITION tc DEFAULT", ""},
		{"INSERT INTO tp VALUES (1)", ""},
		{"SELECT a FROM tc", "[1]"},
		{"ALTER TABLE tp DETACH PARTITION tc", ""},
		{"CREATE SCHEMA s1", ""},
		{"CREATE TABLE s1.pp (a int) PARTITION BY LIST (a)", ""},
		{"CREATE TABLE s1.c1 (a int)", ""},
		{"ALTER TABLE s1.pp ATTACH PARTITION s1.c1 FOR VALUES IN (1)", ""},
		{"CREATE TABLE s1.c3 PARTITION OF s1.pp FOR VALUES IN (3)", ""},
		{"ALTER TABLE s1.pp DETACH PARTITION s1.c1", ""},
		{"ALTER TABLE s1.pp DETACH PARTITION s1.c3", ""},
		{"SELECT count(*) FROM pg_inherits", "[0]"},
		{"CREATE TABLE kp (a int, b int) PARTITION BY RANGE (a, (a + b + 1))", ""},
		{"ALTER TABLE kp DROP COLUMN b", "42P16: cannot drop column \"b\" because it is part of the partition key of relation \"kp\""},
		{"ALTER TABLE kp ALTER COLUMN b TYPE char(5)", "42P16"},
		{"CREATE ROLE u1", ""},
		{"CREATE TABLE mine (a int) PARTITION BY LIST (a)", ""},
		{"ALTER TABLE mine OWNER TO u1", ""},
		{"CREATE TABLE theirs (a int)", ""},
		{"SET ROLE u1", ""},
		{"ALTER TABLE mine ATTACH PARTITION theirs FOR VALUES IN (1)", "42501: must be owner of table theirs"},
		{"RESET ROLE", ""},
	})
}
