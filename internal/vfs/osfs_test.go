package vfs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOSFileSyncData(t *testing.T) {
	name := filepath.Join(t.TempDir(), "seg")
	f, err := Default.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(make([]byte, 8192)); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("record"), 4096); err != nil {
		t.Fatal(err)
	}
	if err := f.SyncData(); err != nil {
		t.Fatalf("SyncData: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.SyncData(); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("SyncData after Close: %v, want os.ErrClosed", err)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 8192 || string(got[4096:4102]) != "record" {
		t.Fatalf("file holds %d bytes, %q at 4096", len(got), got[4096:4102])
	}
}
