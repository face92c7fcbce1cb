package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackupKill: `cairn backup --data` killed with SIGKILL while it
// verifies its copy leaves the source intact (it opens, checks and holds
// every row) and a backup without a label, which `cairn restore` refuses;
// a later backup of the same source restores. Through a server, only a
// superuser may take a backup (42501).
func TestBackupKill(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	src := filepath.Join(root, "data")
	s := startServer(t, src, "--socket-dir", "")
	c := connect(t, s)
	// Enough rows that verifying the copy (open, then check every row)
	// takes a while.
	for _, q := range []string{
		"CREATE TABLE k (a int PRIMARY KEY, b text)",
		"INSERT INTO k SELECT g, repeat('x', 200) FROM generate_series(1, 60000) g",
		"CREATE ROLE plain LOGIN",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	// Through the server: a superuser only.
	plain := connectURL(t, strings.Replace(s.url, "postgres@", "plain@", 1))
	if _, err := plain.Exec(ctx, "SELECT cairn_backup($1)", filepath.Join(root, "refused")); err == nil || !strings.Contains(err.Error(), "42501") {
		t.Fatalf("cairn_backup as a plain role: %v", err)
	}
	out, err := exec.Command(binary, "backup", "--url", s.url, "--to", filepath.Join(root, "online")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "end revision: ") {
		t.Fatalf("cairn backup --url: %v\n%s", err, out)
	}
	s.stop(t)

	partial := filepath.Join(root, "partial")
	cmd := exec.Command(binary, "backup", "--data", src, "--to", partial)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(partial, "verify.tmp")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the backup did not reach its verification")
		}
		time.Sleep(100 * time.Microsecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(partial, "backup_label")); err == nil {
		t.Fatal("the backup finished before it was killed; the test needs more data")
	}

	out, err = exec.Command(binary, "restore", "--from", partial, "--to", filepath.Join(root, "restored")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not a complete backup") || !strings.Contains(string(out), "has no backup_label") {
		t.Fatalf("restore of the killed backup: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(root, "restored")); !os.IsNotExist(err) {
		t.Fatalf("the refused restore left its directory: %v", err)
	}
	out, err = exec.Command(binary, "check", "--data", src).CombinedOutput()
	if err != nil || !strings.Contains(string(out), ": ok (") || !strings.Contains(string(out), "60000 rows") {
		t.Fatalf("check of the source after the killed backup: %v\n%s", err, out)
	}

	for _, b := range []string{"online", "again"} {
		if b == "again" {
			out, err := exec.Command(binary, "backup", "--data", src, "--to", filepath.Join(root, b)).CombinedOutput()
			if err != nil {
				t.Fatalf("backup after the killed one: %v\n%s", err, out)
			}
		}
		out, err = exec.Command(binary, "restore", "--from", filepath.Join(root, b), "--to", filepath.Join(root, b+"-restored")).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "60000 rows") {
			t.Fatalf("restore of %s: %v\n%s", b, err, out)
		}
	}
	s = startServer(t, src, "--socket-dir", "")
	var n int
	if err := connect(t, s).QueryRow(ctx, "SELECT count(*) FROM k").Scan(&n); err != nil || n != 60000 {
		t.Fatalf("source after the killed backup: %d rows, %v", n, err)
	}
	s.stop(t)
}
