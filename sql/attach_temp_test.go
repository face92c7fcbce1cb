package sql

import "testing"

// TestAttachPartitionPersistence checks that ATTACH PARTITION refuses to
// mix temporary and permanent tables, and that ATTACH and DETACH work on
// tables outside public (a partition's parent is kept by catalog key).
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
	})
}
