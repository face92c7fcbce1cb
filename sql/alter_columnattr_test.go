package sql

import "testing"

// TestColumnStorageStatistics checks ALTER COLUMN SET STORAGE and SET
// STATISTICS, and ALTER INDEX ... ALTER COLUMN n SET STATISTICS: the
// values pg_attribute shows, the checks PostgreSQL makes, and the
// recursion to children.
func TestColumnStorageStatistics(t *testing.T) {
	runScript(t, newTestSession(t, newTestEngine(t)), []scriptStep{
		{"CREATE TABLE st (a text, n int)", ""},
		{"CREATE INDEX st_a ON st (a)", ""},
		{"CREATE INDEX st_e ON st (n, (n + 1))", ""},
		{"CREATE TABLE stc () INHERITS (st)", ""},
		{"ALTER TABLE st ALTER a SET STORAGE external", ""},
		{"ALTER TABLE st ALTER n SET STORAGE main", "0A000: column data type integer can only have storage PLAIN"},
		{"ALTER TABLE st ALTER a SET STORAGE foo", "22023: invalid storage type \"foo\""},
		{"ALTER TABLE st ALTER b SET STORAGE plain", "42703"},
		{"ALTER TABLE st ALTER a SET STATISTICS -5", "22023: statistics target -5 is too low"},
		{"ALTER TABLE st ALTER a SET STATISTICS 20000", ""},
		{"ALTER TABLE ONLY st ALTER n SET STATISTICS 7", ""},
		{"SELECT attrelid::regclass::text, attname, attstorage, attstattarget FROM pg_attribute WHERE attrelid IN ('st'::regclass, 'stc'::regclass, 'st_a'::regclass) AND attnum > 0 ORDER BY 1, attnum",
			"[st a e 10000][st n p 7][st_a a e -1][stc a e 10000][stc n p -1]"},
		{"ALTER INDEX st_e ALTER COLUMN 0 SET STATISTICS 100", "22023"},
		{"ALTER INDEX st_e ALTER COLUMN 1 SET STATISTICS 100", "0A000: cannot alter statistics on non-expression column \"n\" of index \"st_e\""},
		{"ALTER INDEX st_e ALTER COLUMN 3 SET STATISTICS 100", "42703"},
		{"ALTER INDEX st_e ALTER COLUMN 2 SET STATISTICS 100", ""},
		{"SELECT attstattarget FROM pg_attribute WHERE attrelid = 'st_e'::regclass ORDER BY attnum", "[-1][100]"},
		{"ALTER INDEX st_e ALTER COLUMN 2 SET STATISTICS -1", ""},
		{"SELECT attstattarget FROM pg_attribute WHERE attrelid = 'st_e'::regclass ORDER BY attnum", "[-1][-1]"},
	})
}
