package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveCommand: %p, %f and %% are replaced as in PostgreSQL's
// archive_command, and a failing command is an error naming it.
func TestArchiveCommand(t *testing.T) {
	dir := t.TempDir()
	seg := filepath.Join(dir, "0000000000000001.wal")
	if err := os.WriteFile(seg, []byte("segment"), 0o644); err != nil {
		t.Fatal(err)
	}
	if archiveCommand("") != nil {
		t.Fatal("an empty command archives")
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	fn := archiveCommand("cp %p " + out + "/%f && echo 100%% > " + out + "/pct")
	if err := fn(seg, filepath.Base(seg)); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"0000000000000001.wal": "segment", "pct": "100%\n"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(got) != want {
			t.Fatalf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	err := archiveCommand("test -e /nonexistent/%f")(seg, "x.wal")
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/x.wal") {
		t.Fatalf("a failing command: %v", err)
	}
}
