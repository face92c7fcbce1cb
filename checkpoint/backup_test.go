package checkpoint

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

// TestArchiveKeepsSegments: with an archiver, a checkpoint removes no WAL
// segment before it was archived; a failing archiver keeps them and the
// next call archives them in order; SwitchWAL finishes the current one.
func TestArchiveKeepsSegments(t *testing.T) {
	fs := vfs.NewMem()
	var archived []string
	fail := true
	s := open(t, fs, Options{WALSegmentBytes: 4096, ArchiveSegment: func(path, name string) error {
		if fail {
			return syscall.EIO
		}
		archived = append(archived, name)
		return nil
	}})
	put := func(i int) {
		var b lsm.Batch
		b.Set([]byte(fmt.Sprintf("k%04d", i)), make([]byte, 500))
		lsn, err := s.Write(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Sync(lsn); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		put(i)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	segments := func() []string {
		names, err := fs.List(fs.PathJoin(dataDir, "wal"))
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(names, func(n string) bool { return !strings.HasSuffix(n, ".wal") })
	}
	before := segments()
	if len(before) < 4 {
		t.Fatalf("segments %v: too few for the test", before)
	}
	if n, err := s.ArchiveFinished(); n != 0 || !errors.Is(err, syscall.EIO) {
		t.Fatalf("a failing archiver: %d archived, %v", n, err)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if got := segments(); !slices.Equal(got, before) {
		t.Fatalf("a checkpoint removed unarchived segments: %v, was %v", got, before)
	}
	fail = false
	if _, err := s.SwitchWAL(); err != nil {
		t.Fatal(err)
	}
	n, err := s.ArchiveFinished()
	if err != nil || n != len(before) || !slices.Equal(archived, before) {
		t.Fatalf("archived %d %v (%v), want %v", n, archived, err, before)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if got := segments(); len(got) != 1 {
		t.Fatalf("after archiving and a checkpoint, segments %v", got)
	}
}
