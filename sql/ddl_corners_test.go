package sql

import "testing"

// TestPgClassExpressionIndexOfPartition: pg_class lists a partition whose
// parent has expression and partial indexes (cloned to the partition)
// without failing: an expression key names no column to compare with the
// parent's constraints.
func TestPgClassExpressionIndexOfPartition(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE pcd (u int, id int, b int) PARTITION BY RANGE (id)")
	mustRun(t, s, "ALTER TABLE pcd DROP COLUMN u")
	mustRun(t, s, "CREATE INDEX pcd_b_expr ON pcd ((b = 1))")
	mustRun(t, s, "CREATE INDEX pcd_b_pred ON pcd (b) WHERE b = 1")
	mustRun(t, s, "CREATE TABLE pcd_1 PARTITION OF pcd FOR VALUES FROM (1) TO (10)")
	for _, tc := range []struct{ q, want string }{
		{"SELECT count(*) > 0 FROM pg_class WHERE relname LIKE 'pcd%'", "[t]"},
		{"SELECT relname FROM pg_class WHERE relname LIKE 'pcd_1%' AND relkind = 'r'", "[pcd_1]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
