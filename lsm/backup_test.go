package lsm

import (
	"slices"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestPinCopyAfterCompaction: a pinned version's tables outlive the
// compaction that replaces them, so that its copy, opened as a store of
// its own, reads what the store held at the pin, on a file system with
// hard links and on one without.
func TestPinCopyAfterCompaction(t *testing.T) {
	for _, link := range []bool{true, false} {
		t.Run(map[bool]string{true: "link", false: "copy"}[link], func(t *testing.T) {
			mem := vfs.NewMem()
			var fs vfs.FS = mem
			if !link {
				fs = noLink{mem}
			}
			d, err := Open(fs, "db", manualOpts)
			if err != nil {
				t.Fatal(err)
			}
			want := layeredTables(t, d)
			pin, err := d.Pin()
			if err != nil {
				t.Fatal(err)
			}
			before, _ := fs.List("db")
			// The compaction replaces every pinned table, and a later
			// write changes what the store holds.
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
			var b Batch
			b.Set([]byte("k0001"), []byte("after the pin"))
			if err := d.Apply(&b, 100); err != nil {
				t.Fatal(err)
			}
			flush(t, d)
			rep, err := pin.CopyTo("copy")
			if err != nil {
				t.Fatal(err)
			}
			if rep.Tables != 4 || (rep.Linked == rep.Tables) != link {
				t.Fatalf("copied %+v", rep)
			}
			if err := pin.Release(); err != nil {
				t.Fatal(err)
			}
			if err := pin.Release(); err != ErrClosed {
				t.Fatalf("second Release: %v", err)
			}
			after, _ := fs.List("db")
			for _, name := range before {
				if slices.Contains(after, name) && name != "CURRENT" && name[0] == '0' {
					t.Errorf("table %s of the released version is still there", name)
				}
			}
			c, err := Open(fs, "copy", manualOpts)
			if err != nil {
				t.Fatal(err)
			}
			if got := scan(t, c, nil, nil); !slices.Equal(got, want) {
				t.Fatalf("the copy reads\n%v\nwant\n%v", got, want)
			}
			if _, err := c.Check(); err != nil {
				t.Fatal(err)
			}
			c.Close()
			d.Close()
		})
	}
}

// noLink hides MemFS's Link, as a file system without hard links.
type noLink struct{ vfs.FS }
