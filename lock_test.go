package cairn_test

import (
	"bytes"
	"context"
	stdsql "database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestOpenLocked opens one directory twice: the second Open, and a
// database/sql handle, are refused with ErrLocked naming the holder; after
// Close the directory opens again.
func TestOpenLocked(t *testing.T) {
	tests := []struct {
		name string
		dir  string
		fs   vfs.FS
	}{
		{"os", t.TempDir(), nil},
		{"mem", "data", vfs.NewMem()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := &cairn.Options{FS: tc.fs}
			first, err := cairn.OpenWithOptions(tc.dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := first.Exec(context.Background(), "CREATE TABLE t (id int4 PRIMARY KEY); INSERT INTO t VALUES (1)"); err != nil {
				t.Fatal(err)
			}
			second, err := cairn.OpenWithOptions(tc.dir, opts)
			if err == nil {
				second.Close()
				t.Fatal("a second Open of a directory in use succeeded")
			}
			lockFile := filepath.Join(tc.dir, "cairn.pid")
			want := fmt.Sprintf("cairn: data directory %q is in use by process %d (this process) (lock file %s)", tc.dir, os.Getpid(), lockFile)
			if !errors.Is(err, cairn.ErrLocked) || err.Error() != want {
				t.Fatalf("second Open: %v\nwant ErrLocked: %s", err, want)
			}
			if !errors.Is(err, vfs.ErrLocked) {
				t.Fatalf("second Open: %v does not wrap vfs.ErrLocked", err)
			}
			if tc.fs == nil {
				// database/sql shares a DB per directory only among its
				// own handles; this one meets the lock.
				db, err := stdsql.Open("cairn", tc.dir)
				if err == nil {
					err = db.Ping()
					db.Close()
				}
				if !errors.Is(err, cairn.ErrLocked) {
					t.Fatalf("database/sql on a directory in use: %v, want ErrLocked", err)
				}
			}
			if err := first.Close(); err != nil {
				t.Fatal(err)
			}

			again, err := cairn.OpenWithOptions(tc.dir, opts)
			if err != nil {
				t.Fatalf("Open after Close: %v", err)
			}
			defer again.Close()
			if err := again.Exec(context.Background(), "INSERT INTO t VALUES (2)"); err != nil {
				t.Fatalf("after reopening: %v", err)
			}
		})
	}
}

// TestOpenLogsWALCut damages the last WAL record after a crash and checks
// that Open recovers, logs at WARN where and why it cut the log, and
// reports the cut.
func TestOpenLogsWALCut(t *testing.T) {
	fs := vfs.NewMem()
	db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(context.Background(), "CREATE TABLE t (id int4 PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := db.Exec(context.Background(), fmt.Sprintf("INSERT INTO t VALUES (%d)", i)); err != nil {
			t.Fatal(err)
		}
	}
	crashed := fs.CrashClone()
	db.Close()

	seg := "data/wal/0000000000000001.wal"
	data := readMem(t, crashed, seg)
	last := lastRecordOffset(data)
	data[last+4] ^= 0x01 // a byte of the record's checksum
	writeMem(t, crashed, seg, data)

	var logBuf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logBuf, nil))
	db, err = cairn.OpenWithOptions("data", &cairn.Options{FS: crashed, Logger: logger})
	if err != nil {
		t.Fatalf("Open after damaging the last WAL record: %v", err)
	}
	defer db.Close()
	cut := db.Recovery().WALCut
	if cut == nil || cut.Segment != seg || cut.Offset != int64(last) || cut.Reason != "checksum mismatch" || cut.Stale {
		t.Fatalf("Recovery().WALCut = %+v, want a checksum mismatch at %s offset %d", cut, seg, last)
	}
	// The damaged record held the last INSERT's commit.
	var rows int64
	ctx := context.Background()
	sdb := stdsql.OpenDB(cairn.NewConnector(db))
	defer sdb.Close()
	if err := sdb.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 4 {
		t.Fatalf("after the cut t has %d rows, want the first 4", rows)
	}
	logged := logBuf.String()
	for _, want := range []string{"level=WARN", "segment=" + seg, fmt.Sprintf("offset=%d", last),
		fmt.Sprintf("bytes=%d", cut.Bytes), `reason="checksum mismatch"`} {
		if !strings.Contains(logged, want) {
			t.Fatalf("the log lacks %q:\n%s", want, logged)
		}
	}
}

// lastRecordOffset walks the WAL records of a first segment (LSN = offset
// + 1) and returns the offset of the last one.
func lastRecordOffset(seg []byte) int {
	last := -1
	for off := 0; off+16 <= len(seg); {
		if binary.LittleEndian.Uint64(seg[off+8:]) != uint64(off+1) {
			break
		}
		last = off
		off += 16 + int(binary.LittleEndian.Uint32(seg[off:]))
	}
	return last
}

func readMem(t *testing.T, fs vfs.FS, name string) []byte {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, size)
	if _, err := f.ReadAt(b, 0); err != nil {
		t.Fatal(err)
	}
	return b
}

func writeMem(t *testing.T, fs vfs.FS, name string, data []byte) {
	t.Helper()
	f, err := fs.OpenReadWrite(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
