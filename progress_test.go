package cairn_test

import (
	"context"
	stdsql "database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cairndb/cairn"
)

// TestBackupProgress: a backup, a restore and a check report their steps
// in order, each step's last report with all of it done.
func TestBackupProgress(t *testing.T) {
	root := t.TempDir()
	db, err := cairn.Open(filepath.Join(root, "data"))
	if err != nil {
		t.Fatal(err)
	}
	sdb := stdsql.OpenDB(cairn.NewConnector(db))
	mustExec(t, sdb, "CREATE TABLE p (a int PRIMARY KEY, b text)")
	mustExec(t, sdb, "INSERT INTO p SELECT g, repeat('x', 100) FROM generate_series(1, 2000) g")
	sdb.Close()
	var reports []cairn.Progress
	collect := cairn.WithProgress(context.Background(), func(p cairn.Progress) { reports = append(reports, p) })
	if _, err := db.Backup(collect, filepath.Join(root, "backup")); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	checkSteps(t, "backup", reports, []string{"copying", "verifying: restoring files", "verifying: checking storage", "verifying: checking data"})
	reports = nil
	if _, err := cairn.Restore(collect, cairn.RestoreOptions{From: filepath.Join(root, "backup"), To: filepath.Join(root, "restored")}); err != nil {
		t.Fatal(err)
	}
	checkSteps(t, "restore", reports, []string{"restoring files"})
}

// checkSteps checks that reports go through steps in order, never going
// back within a step, and end each step with Done = Total > 0.
func checkSteps(t *testing.T, op string, reports []cairn.Progress, steps []string) {
	t.Helper()
	var seen []string
	for i, p := range reports {
		if len(seen) == 0 || seen[len(seen)-1] != p.Phase {
			seen = append(seen, p.Phase)
		} else if p.Done < reports[i-1].Done {
			t.Fatalf("%s: %s went back from %d to %d", op, p.Phase, reports[i-1].Done, p.Done)
		}
		if i+1 == len(reports) || reports[i+1].Phase != p.Phase {
			if p.Total == 0 || p.Done != p.Total {
				t.Fatalf("%s: step %s ended at %d of %d", op, p.Phase, p.Done, p.Total)
			}
		}
	}
	if !slices.Equal(seen, steps) {
		t.Fatalf("%s: steps %q, want %q", op, seen, steps)
	}
}
