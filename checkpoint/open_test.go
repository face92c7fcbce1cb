package checkpoint

import (
	"errors"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestDirectoryLock opens a store twice on one directory: the second Open
// is refused, naming the holder, before it reads anything in the
// directory; once the first is closed the directory opens again.
func TestDirectoryLock(t *testing.T) {
	fs := vfs.NewMem()
	first := open(t, fs, Options{})
	mustSync(t, first, write(t, first, op{key: "a", value: "1"}))

	var touched []string
	fs.InjectError(func(o vfs.Op, name string) error {
		if o != vfs.OpMkdirAll && o != vfs.OpLock {
			touched = append(touched, o.String()+" "+name)
		}
		return nil
	})
	second, err := Open(fs, dataDir, Options{})
	fs.InjectError(nil)
	if err == nil {
		second.Close()
		t.Fatal("a second Open of a directory in use succeeded")
	}
	var locked *vfs.LockedError
	if !errors.Is(err, vfs.ErrLocked) || !errors.As(err, &locked) {
		t.Fatalf("second Open: %v, want vfs.ErrLocked", err)
	}
	if locked.PID != os.Getpid() || locked.Path != path.Join(dataDir, lockName) {
		t.Fatalf("second Open names %+v, want PID %d and %s", locked, os.Getpid(), path.Join(dataDir, lockName))
	}
	if len(touched) != 0 {
		t.Fatalf("the refused Open touched the directory: %s", strings.Join(touched, ", "))
	}
	// The holder is unharmed.
	mustSync(t, first, write(t, first, op{key: "b", value: "2"}))
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	again := open(t, fs, Options{})
	defer again.Close()
	if got := dump(t, again); got["a"] != "1" || got["b"] != "2" {
		t.Fatalf("after the holder closed: %v", got)
	}
}

// TestWALCutReported damages the last WAL record — the file cut short in
// the middle of it, or a flipped byte of its checksum — and checks that
// recovery drops that record only and says where and why.
func TestWALCutReported(t *testing.T) {
	base := vfs.NewMem()
	s := open(t, base, Options{})
	mustSync(t, s, write(t, s, op{key: "a", value: "1"}))
	mustSync(t, s, write(t, s, op{key: "b", value: "2"}))
	last := write(t, s, op{key: "c", value: "the acknowledged last commit"})
	mustSync(t, s, last)
	end := uint64(s.log.NextLSN())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	seg := path.Join(dataDir, "wal", "0000000000000001.wal")
	off := int(last - 1) // the first segment starts at LSN 1
	size := int(end - last)

	tests := []struct {
		name   string
		edit   func([]byte) []byte
		reason string
		bytes  int
	}{
		{"cut in the header", func(b []byte) []byte { return b[:off+9] }, "short header (9 bytes)", 9},
		{"cut in the payload", func(b []byte) []byte { return b[:off+size-3] }, "beyond end of file", size - 3},
		{"checksum byte flipped", func(b []byte) []byte { b[off+4] ^= 0x20; return b }, "checksum mismatch", size},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := base.CrashClone()
			rewriteFile(t, fs, seg, tc.edit)
			s := open(t, fs, Options{})
			defer s.Close()
			cut, ok := s.WALCut()
			if !ok {
				t.Fatal("recovery reports no cut")
			}
			if cut.Segment != seg || cut.Offset != int64(off) || uint64(cut.LSN) != last ||
				cut.Bytes != int64(tc.bytes) || !strings.Contains(cut.Reason, tc.reason) || cut.Stale {
				t.Fatalf("cut = %+v, want segment %s offset %d LSN %d, %d bytes, %q", cut, seg, off, last, tc.bytes, tc.reason)
			}
			got := dump(t, s)
			if got["a"] != "1" || got["b"] != "2" || len(got) != 2 {
				t.Fatalf("after the cut the store holds %v, want a and b only", got)
			}
		})
	}
}
