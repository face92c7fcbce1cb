package sql

import "testing"

// TestReadCommittedRecheckKeepsHorizon: a READ COMMITTED UPDATE that meets
// a row a concurrent transaction changed re-reads its newest version, but
// the statement goes on reading its other rows with the snapshot it
// started with, so that snapshot must keep holding the vacuum horizon:
// were the re-read registered in its place, vacuum could remove versions
// the statement is still to read.
func TestReadCommittedRecheckKeepsHorizon(t *testing.T) {
	e := newTestEngine(t)
	a, b, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL)")
	mustRun(t, a, "INSERT INTO acct VALUES (1, 100), (2, 200)")

	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE acct SET bal = bal + 1 WHERE id = 1")
	mustRun(t, b, "BEGIN")
	mustRun(t, b, "SELECT 1") // b's transaction and its first snapshot
	started := e.tm.ReadSnapshot().Rev
	done := make(chan error, 1)
	go func() {
		_, err := run(b, "UPDATE acct SET bal = bal + 10")
		done <- err
	}()
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("UPDATE after a concurrent update committed: %v", err)
	}
	if h := e.tm.Horizon(); h > started {
		t.Errorf("vacuum horizon %d after the re-check, above revision %d of the UPDATE's own snapshot", h, started)
	}
	mustRun(t, b, "COMMIT")
	if got := rowsText(mustRun(t, observer, "SELECT id, bal FROM acct ORDER BY id")); got != "[1 111][2 210]" {
		t.Errorf("after both updates: %s, want [1 111][2 210]", got)
	}
}
