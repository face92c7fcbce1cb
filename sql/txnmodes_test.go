package sql

import (
	"strings"
	"testing"
)

// scriptStep is one statement of a session script and what it must give:
// its rows as outcome renders them, or "SQLSTATE: message" (a prefix).
type scriptStep struct{ q, want string }

func runScript(t *testing.T, s *Session, steps []scriptStep) {
	t.Helper()
	for i, st := range steps {
		got := outcome(s, st.q)
		if !strings.HasPrefix(got, st.want) || (st.want == "" && got != "") {
			t.Fatalf("step %d %q: got %q, want %q", i, st.q, got, st.want)
		}
	}
}

func TestTransactionModes(t *testing.T) {
	cases := []struct {
		name  string
		steps []scriptStep
	}{
		{"commit and chain keeps the modes", []scriptStep{
			{"CREATE TABLE abc (a int)", ""},
			{"SET default_transaction_read_only = on", ""},
			{"START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE, DEFERRABLE", ""},
			{"INSERT INTO abc VALUES (1)", ""},
			{"COMMIT AND CHAIN", ""},
			{"SHOW transaction_isolation", "[repeatable read]"},
			{"SHOW transaction_read_only", "[off]"},
			{"SHOW transaction_deferrable", "[on]"},
			{"INSERT INTO abc VALUES ('error')", "22P02"},
			{"COMMIT AND CHAIN", ""}, // rolls back, chains
			{"SHOW transaction_isolation", "[repeatable read]"},
			{"INSERT INTO abc VALUES (2)", ""},
			{"SAVEPOINT x", ""},
			{"SET TRANSACTION READ ONLY", ""},
			{"COMMIT AND CHAIN", ""}, // the transaction's mode, not the savepoint's
			{"SHOW transaction_read_only", "[off]"},
			{"ROLLBACK AND CHAIN", ""},
			{"SHOW transaction_deferrable", "[on]"},
			{"COMMIT", ""},
			{"SHOW transaction_deferrable", "[off]"},
			{"SELECT a FROM abc ORDER BY a", "[1][2]"},
		}},
		{"and chain outside a block", []scriptStep{
			{"COMMIT AND CHAIN", "25P01: COMMIT AND CHAIN can only be used in transaction blocks"},
			{"ROLLBACK AND CHAIN", "25P01: ROLLBACK AND CHAIN can only be used in transaction blocks"},
			{"SHOW transaction_isolation", "[read committed]"},
		}},
		{"read-write after a query or in a savepoint", []scriptStep{
			{"CREATE TABLE w (a int)", ""},
			{"BEGIN", ""},
			{"SET TRANSACTION READ ONLY", ""},
			{"SET TRANSACTION READ WRITE", ""},
			{"SET TRANSACTION READ ONLY", ""},
			{"SELECT * FROM w", ""},
			{"SET TRANSACTION READ ONLY", ""},
			{"SET TRANSACTION READ WRITE", "25001: transaction read-write mode must be set before any query"},
			{"ROLLBACK", ""},
			{"BEGIN READ WRITE", ""},
			{"SAVEPOINT x", ""},
			{"SET TRANSACTION READ ONLY", ""},
			{"SET TRANSACTION READ WRITE", "25001: cannot set transaction read-write mode inside a read-only transaction"},
			{"ROLLBACK TO SAVEPOINT x", ""},
			{"SHOW transaction_read_only", "[off]"},
			{"SAVEPOINT y", ""},
			{"SET TRANSACTION READ ONLY", ""},
			{"RELEASE SAVEPOINT y", ""},
			{"SHOW transaction_read_only", "[off]"},
			{"SAVEPOINT z", ""},
			{"SET TRANSACTION DEFERRABLE", "25001: SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction"},
			{"ROLLBACK", ""},
			{"BEGIN ISOLATION LEVEL SERIALIZABLE", ""},
			{"SELECT 1", "[1]"},
			{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", ""},
			{"SET TRANSACTION NOT DEFERRABLE", "25001: SET TRANSACTION [NOT] DEFERRABLE must be called before any query"},
			{"ROLLBACK", ""},
		}},
		{"read-only transactions write temporary tables", []scriptStep{
			{"CREATE TABLE w (a int)", ""},
			{"CREATE TEMP TABLE tt (a int)", ""},
			{"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", ""},
			{"INSERT INTO tt VALUES (1)", ""},
			{"UPDATE tt SET a = 2 FROM w WHERE w.a = tt.a", ""},
			{"DELETE FROM tt", ""},
			{"INSERT INTO w VALUES (1)", "25006: cannot execute INSERT in a read-only transaction"},
			{"CREATE TEMP TABLE t2 (a int)", "25006"},
		}},
		{"a cursor's data error surfaces at its first fetch", []scriptStep{
			{"CREATE TABLE c (a int)", ""},
			{"INSERT INTO c VALUES (1), (2)", ""},
			{"BEGIN", ""},
			{"DECLARE k CURSOR FOR SELECT a / 0 FROM c", ""},
			{"SAVEPOINT two", ""},
			{"FETCH 10 FROM k", "22012: division by zero"},
			{"ROLLBACK TO SAVEPOINT two", ""},
			{"FETCH 10 FROM k", "55000: portal \"k\" cannot be run"},
			{"ROLLBACK", ""},
			{"DECLARE h CURSOR WITH HOLD FOR SELECT a / 0 FROM c", "22012"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runScript(t, newTestSession(t, newTestEngine(t)), tc.steps)
		})
	}
}
