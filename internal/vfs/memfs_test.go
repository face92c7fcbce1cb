package vfs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"syscall"
	"testing"
)

func writeFile(t *testing.T, fs FS, name string, data []byte, sync bool) {
	t.Helper()
	f, err := fs.Create(name)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			t.Fatalf("sync %s: %v", name, err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close %s: %v", name, err)
	}
}

func readFile(t *testing.T, fs FS, name string) ([]byte, error) {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func TestCrashClone(t *testing.T) {
	tests := []struct {
		name string
		// run prepares the file system; the clone is taken afterwards.
		run  func(t *testing.T, fs *MemFS)
		want map[string]string // file -> content after crash; absent = must not exist
		gone []string
	}{
		{
			name: "synced file in synced dir survives",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/a", []byte("hello"), true)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/a": "hello"},
		},
		{
			name: "unsynced data dropped",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/a", []byte("hello"), true)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
				f, err := fs.OpenAppend("d/a")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.Write([]byte(" world")); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/a": "hello"},
		},
		{
			name: "file in unsynced dir lost",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/a", []byte("hello"), true)
			},
			gone: []string{"d/a"},
		},
		{
			name: "created but never synced is empty",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/a", []byte("hello"), false)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/a": ""},
		},
		{
			name: "rename without dir sync reverts",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/old", []byte("v1"), true)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
				if err := fs.Rename("d/old", "d/new"); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/old": "v1"},
			gone: []string{"d/new"},
		},
		{
			name: "rename with dir sync replaces",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/M", []byte("old"), true)
				writeFile(t, fs, "d/M.tmp", []byte("new"), true)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
				if err := fs.Rename("d/M.tmp", "d/M"); err != nil {
					t.Fatal(err)
				}
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/M": "new"},
			gone: []string{"d/M.tmp"},
		},
		{
			name: "remove without dir sync reverts",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/a", []byte("x"), true)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
				if err := fs.Remove("d/a"); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/a": "x"},
		},
		{
			name: "unsynced truncate reverts",
			run: func(t *testing.T, fs *MemFS) {
				writeFile(t, fs, "d/a", []byte("abcdef"), true)
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
				f, err := fs.OpenAppend("d/a")
				if err != nil {
					t.Fatal(err)
				}
				if err := f.Truncate(2); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/a": "abcdef"},
		},
		{
			name: "overwrite after sync keeps synced bytes",
			run: func(t *testing.T, fs *MemFS) {
				f, err := fs.Create("d/a")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.Write([]byte("abc")); err != nil {
					t.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					t.Fatal(err)
				}
				if err := fs.SyncDir("d"); err != nil {
					t.Fatal(err)
				}
				// Create truncates; the new content is never synced.
				g, err := fs.Create("d/a")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := g.Write([]byte("XYZW")); err != nil {
					t.Fatal(err)
				}
			},
			want: map[string]string{"d/a": "abc"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := NewMem()
			if err := fs.MkdirAll("d"); err != nil {
				t.Fatal(err)
			}
			tc.run(t, fs)
			crashed := fs.CrashClone()
			for name, want := range tc.want {
				got, err := readFile(t, crashed, name)
				if err != nil {
					t.Fatalf("after crash, read %s: %v\nfs:\n%s", name, err, fs)
				}
				if string(got) != want {
					t.Errorf("after crash, %s = %q, want %q", name, got, want)
				}
			}
			for _, name := range tc.gone {
				if _, err := crashed.Stat(name); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("after crash, stat %s: err = %v, want ErrNotExist", name, err)
				}
			}
		})
	}
}

func TestInjectError(t *testing.T) {
	tests := []struct {
		op    Op
		cause error
		do    func(fs *MemFS, f File) error
	}{
		{OpCreate, syscall.EIO, func(fs *MemFS, _ File) error { _, err := fs.Create("d/new"); return err }},
		{OpWrite, syscall.ENOSPC, func(_ *MemFS, f File) error { _, err := f.Write([]byte("x")); return err }},
		{OpSync, syscall.EIO, func(_ *MemFS, f File) error { return f.Sync() }},
		{OpRename, syscall.EIO, func(fs *MemFS, _ File) error { return fs.Rename("d/a", "d/b") }},
		{OpRemove, syscall.EIO, func(fs *MemFS, _ File) error { return fs.Remove("d/a") }},
		{OpSyncDir, syscall.EIO, func(fs *MemFS, _ File) error { return fs.SyncDir("d") }},
		{OpTruncate, syscall.EIO, func(_ *MemFS, f File) error { return f.Truncate(0) }},
		{OpRead, syscall.EIO, func(_ *MemFS, f File) error { _, err := f.ReadAt(make([]byte, 1), 0); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.op.String(), func(t *testing.T) {
			fs := NewMem()
			if err := fs.MkdirAll("d"); err != nil {
				t.Fatal(err)
			}
			writeFile(t, fs, "d/a", []byte("abc"), true)
			f, err := fs.OpenAppend("d/a")
			if err != nil {
				t.Fatal(err)
			}
			fs.InjectError(func(op Op, name string) error {
				if op == tc.op {
					return tc.cause
				}
				return nil
			})
			err = tc.do(fs, f)
			if !errors.Is(err, tc.cause) {
				t.Fatalf("err = %v, want %v", err, tc.cause)
			}
			// The failed operation changed nothing.
			fs.InjectError(nil)
			got, err := readFile(t, fs, "d/a")
			if err != nil || string(got) != "abc" {
				t.Fatalf("after failed %v: content %q, err %v", tc.op, got, err)
			}
		})
	}
}

func TestFileSemantics(t *testing.T) {
	for _, impl := range []struct {
		name string
		fs   func(t *testing.T) (FS, string)
	}{
		{"mem", func(t *testing.T) (FS, string) { return NewMem(), "/x" }},
		{"os", func(t *testing.T) (FS, string) { return Default, t.TempDir() }},
	} {
		t.Run(impl.name, func(t *testing.T) {
			fs, root := impl.fs(t)
			dir := fs.PathJoin(root, "sub", "dir")
			if err := fs.MkdirAll(dir); err != nil {
				t.Fatal(err)
			}
			a := fs.PathJoin(dir, "b")
			writeFile(t, fs, a, []byte("hello"), true)
			writeFile(t, fs, fs.PathJoin(dir, "a"), nil, false)
			f, err := fs.OpenAppend(a)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write([]byte(" world")); err != nil {
				t.Fatal(err)
			}
			if size, err := f.Size(); err != nil || size != 11 {
				t.Fatalf("size = %d, %v", size, err)
			}
			buf := make([]byte, 5)
			if _, err := f.ReadAt(buf, 6); err != nil || string(buf) != "world" {
				t.Fatalf("ReadAt = %q, %v", buf, err)
			}
			if err := f.Truncate(5); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			if size, err := fs.Stat(a); err != nil || size != 5 {
				t.Fatalf("stat = %d, %v", size, err)
			}
			ro, err := fs.Open(a)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ro.Write([]byte("x")); err == nil {
				t.Fatal("write on read-only file succeeded")
			}
			got, err := io.ReadAll(ro)
			if err != nil || !bytes.Equal(got, []byte("hello")) {
				t.Fatalf("read = %q, %v", got, err)
			}
			ro.Close()
			names, err := fs.List(dir)
			if err != nil || len(names) != 2 || names[0] != "a" || names[1] != "b" {
				t.Fatalf("list = %v, %v", names, err)
			}
			if err := fs.Rename(a, fs.PathJoin(dir, "c")); err != nil {
				t.Fatal(err)
			}
			if _, err := fs.Stat(a); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("stat renamed-away file: %v", err)
			}
			if err := fs.Remove(fs.PathJoin(dir, "c")); err != nil {
				t.Fatal(err)
			}
			if err := fs.SyncDir(dir); err != nil {
				t.Fatal(err)
			}
			if _, err := fs.Open(fs.PathJoin(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("open missing: %v", err)
			}
		})
	}
}

// TestWriteAt checks positional writes on a file reopened with
// OpenReadWrite: in-place overwrites keep the size, become durable only on
// Sync, and a write past the end leaves a zero gap.
func TestWriteAt(t *testing.T) {
	fs := NewMem()
	if err := fs.MkdirAll("d"); err != nil {
		t.Fatal(err)
	}
	f, err := fs.Create("d/a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("aaaaaaaa")); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := fs.SyncDir("d"); err != nil {
		t.Fatal(err)
	}
	f, err = fs.OpenReadWrite("d/a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("bb"), 2); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, fs, "d/a"); got != "aabbaaaa" {
		t.Fatalf("after WriteAt: %q", got)
	}
	if got := readString(t, fs.CrashClone(), "d/a"); got != "aaaaaaaa" {
		t.Fatalf("unsynced WriteAt survived a crash: %q", got)
	}
	if _, err := f.WriteAt([]byte("c"), 10); err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, fs.CrashClone(), "d/a"); got != "aabbaaaa\x00\x00c" {
		t.Fatalf("after synced WriteAt: %q", got)
	}
	f.Close()
	a, err := fs.OpenAppend("d/a")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.WriteAt([]byte("x"), 0); err == nil {
		t.Fatal("WriteAt on an append-mode file succeeded")
	}
}

func readString(t *testing.T, fs FS, name string) string {
	t.Helper()
	b, err := readFile(t, fs, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestQuota checks the full-disk simulation: growing past the quota fails
// with ENOSPC and changes nothing, overwriting in place still works, and
// freeing space (a removal, a larger quota) lets writes go on.
func TestQuota(t *testing.T) {
	fs := NewMem()
	writeFile(t, fs, "a", make([]byte, 100), true)
	fs.SetQuota(150)
	f, err := fs.OpenReadWrite("a")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte("in place"), 10); err != nil {
		t.Fatalf("overwrite inside the file: %v", err)
	}
	g, err := fs.Create("b")
	if err != nil {
		t.Fatalf("create at quota: %v", err)
	}
	defer g.Close()
	if _, err := g.Write(make([]byte, 50)); err != nil {
		t.Fatalf("write up to the quota: %v", err)
	}
	for _, tc := range []struct {
		name string
		op   func() error
	}{
		{"write", func() error { _, err := g.Write([]byte("x")); return err }},
		{"write at", func() error { _, err := f.WriteAt([]byte("xy"), 99); return err }},
		{"truncate", func() error { return f.Truncate(101) }},
	} {
		err := tc.op()
		var pe *os.PathError
		if !IsNoSpace(err) || !errors.As(err, &pe) {
			t.Fatalf("%s past the quota: err = %v, want ENOSPC in a PathError", tc.name, err)
		}
	}
	if used := fs.Used(); used != 150 {
		t.Fatalf("used = %d after refused writes, want 150", used)
	}
	if err := fs.Remove("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, 40), 100); err != nil {
		t.Fatalf("write after freeing space: %v", err)
	}
	fs.SetQuota(0)
	if err := f.Truncate(1000); err != nil {
		t.Fatalf("truncate without a quota: %v", err)
	}
}
