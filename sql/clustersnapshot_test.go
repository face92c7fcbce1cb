package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestClusterSnapshot: SET TRANSACTION SNAPSHOT 'cluster-S' reads as of
// cluster timestamp S, and COMMIT PREPARED after SET
// cairn.commit_timestamp commits at that timestamp.
func TestClusterSnapshot(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE acct (id int4 PRIMARY KEY, bal int4)")
	mustRun(t, a, "INSERT INTO acct VALUES (1, 100)")

	// A transfer prepared, then committed at timestamp 50.
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE acct SET bal = bal - 10 WHERE id = 1")
	mustRun(t, a, "PREPARE TRANSACTION 'x'")
	mustRun(t, a, "SET cairn.commit_timestamp = '50'")
	mustRun(t, a, "COMMIT PREPARED 'x'")
	if got := rowsText(mustRun(t, a, "SELECT current_setting('cairn.commit_timestamp')")); got != "[]" {
		t.Errorf("cairn.commit_timestamp after COMMIT PREPARED = %s, want it cleared", got)
	}

	read := func(snapshot string) string {
		t.Helper()
		mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
		defer mustRun(t, b, "ROLLBACK")
		mustRun(t, b, "SET TRANSACTION SNAPSHOT '"+snapshot+"'")
		return rowsText(mustRun(t, b, "SELECT bal FROM acct"))
	}
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SET TRANSACTION SNAPSHOT 'cluster-60'")
	if _, err := run(b, "SELECT pg_export_snapshot()"); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Errorf("pg_export_snapshot() of a cluster snapshot: %v, want 0A000", err)
	}
	mustRun(t, b, "ROLLBACK")
	if got := read("cluster-60"); got != "[90]" {
		t.Errorf("snapshot at 60 reads %s, want [90]", got)
	}
	// A timestamp below the commit's; the node's vacuum has not passed
	// it, as b's transaction held the horizon.
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SET TRANSACTION SNAPSHOT 'cluster-60'")
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE acct SET bal = bal - 5 WHERE id = 1")
	mustRun(t, a, "PREPARE TRANSACTION 'y'")
	mustRun(t, a, "SET cairn.commit_timestamp = '70'")
	mustRun(t, a, "COMMIT PREPARED 'y'")
	if got := rowsText(mustRun(t, b, "SELECT bal FROM acct")); got != "[90]" {
		t.Errorf("snapshot at 60 after a commit at 70 reads %s, want [90]", got)
	}
	mustRun(t, b, "ROLLBACK")
	if got := read("cluster-70"); got != "[85]" {
		t.Errorf("snapshot at 70 reads %s, want [85]", got)
	}

	for _, tc := range []struct {
		begin, id, code string
	}{
		{"BEGIN ISOLATION LEVEL SERIALIZABLE", "cluster-80", pgerr.FeatureNotSupported},
		{"BEGIN ISOLATION LEVEL REPEATABLE READ", "cluster-x", pgerr.InvalidParameterValue},
		{"BEGIN ISOLATION LEVEL REPEATABLE READ", "cluster-0", pgerr.InvalidParameterValue},
	} {
		mustRun(t, b, tc.begin)
		if _, err := run(b, "SET TRANSACTION SNAPSHOT '"+tc.id+"'"); pgerr.Code(err) != tc.code {
			t.Errorf("%s; SET TRANSACTION SNAPSHOT '%s': %v, want %s", tc.begin, tc.id, err, tc.code)
		}
		mustRun(t, b, "ROLLBACK")
	}
	mustRun(t, a, "SET cairn.commit_timestamp = 'soon'")
	if _, err := run(a, "COMMIT PREPARED 'nosuch'"); pgerr.Code(err) != pgerr.InvalidParameterValue {
		t.Errorf("COMMIT PREPARED with a malformed timestamp: %v, want 22023", err)
	}
}
