package sql

import "testing"

// TestConbinDeparsed: pg_get_expr(conbin, conrelid) of a CHECK constraint
// shows its condition as PostgreSQL deparses it, an operator expression
// in parentheses, the same text pg_get_constraintdef puts in CHECK (...).
func TestConbinDeparsed(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE cb (aa text CONSTRAINT cb_nn CHECK (aa IS NOT NULL), a int CONSTRAINT cb_a CHECK (a <> 0 AND a < 10))`)
	q := "SELECT conname, pg_get_expr(conbin, conrelid), pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cb'::regclass ORDER BY 1"
	want := "[cb_a ((a <> 0) AND (a < 10)) CHECK (((a <> 0) AND (a < 10)))][cb_nn (aa IS NOT NULL) CHECK ((aa IS NOT NULL))]"
	if got := outcome(s, q); got != want {
		t.Errorf("%s:\n got %s\nwant %s", q, got, want)
	}
}
