package plpgsql

import "testing"

// TestIsDML: a statement's first word decides, in any case, after
// leading blanks.
func TestIsDML(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want bool
	}{
		{"INSERT INTO t VALUES (1)", true},
		{"  update t SET a = 1", true},
		{"\n\tDelete FROM t", true},
		{"MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE", true},
		{"SELECT 1", false},
		{"ins", false},
		{"", false},
		{"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", false},
	} {
		if got := isDML(tc.q); got != tc.want {
			t.Errorf("isDML(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
