package vfs

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// lockFS is a file system under test with a directory to lock files in.
type lockFS struct {
	name string
	fs   FS
	dir  string
}

func lockFileSystems(t *testing.T) []lockFS {
	mem := NewMem()
	if err := mem.MkdirAll("/data"); err != nil {
		t.Fatal(err)
	}
	return []lockFS{
		{"os", Default, t.TempDir()},
		{"mem", mem, "/data"},
	}
}

func lockContent(t *testing.T, fs FS, name string) string {
	t.Helper()
	b, err := readFile(t, fs, name)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	return string(b)
}

func TestLock(t *testing.T) {
	me := strconv.Itoa(os.Getpid()) + "\n"
	for _, tc := range lockFileSystems(t) {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.fs.PathJoin(tc.dir, "cairn.pid")
			// A lock file left by an earlier holder names it.
			writeFile(t, tc.fs, name, []byte("999999999\n"), true)

			first, err := tc.fs.Lock(name)
			if err != nil {
				t.Fatalf("first Lock: %v", err)
			}
			if got := lockContent(t, tc.fs, name); got != me {
				t.Fatalf("lock file holds %q, want %q", got, me)
			}

			second, err := tc.fs.Lock(name)
			var locked *LockedError
			if !errors.Is(err, ErrLocked) || !errors.As(err, &locked) {
				if second != nil {
					second.Close()
				}
				t.Fatalf("second Lock: %v, want ErrLocked", err)
			}
			if locked.PID != os.Getpid() || locked.Path != name {
				t.Fatalf("LockedError = %+v, want PID %d path %s", locked, os.Getpid(), name)
			}
			if got := lockContent(t, tc.fs, name); got != me {
				t.Fatalf("after a refused Lock the file holds %q, want %q", got, me)
			}

			if err := first.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if err := first.Close(); !errors.Is(err, ErrClosed) {
				t.Fatalf("second Close: %v, want ErrClosed", err)
			}
			if got := lockContent(t, tc.fs, name); got != "" {
				t.Fatalf("released lock file holds %q, want nothing", got)
			}

			again, err := tc.fs.Lock(name)
			if err != nil {
				t.Fatalf("Lock after Close: %v", err)
			}
			if err := again.Close(); err != nil {
				t.Fatal(err)
			}

			if _, err := tc.fs.Lock(tc.fs.PathJoin(tc.dir, "missing", "cairn.pid")); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("Lock in a missing directory: %v, want ErrNotExist", err)
			}
		})
	}
}

// TestMemLockCrash checks that a crash releases MemFS locks, as a killed
// process's locks are released, and that Lock honours injected errors.
func TestMemLockCrash(t *testing.T) {
	fs := NewMem()
	l, err := fs.Lock("pid")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	after := fs.CrashClone()
	l2, err := after.Lock("pid")
	if err != nil {
		t.Fatalf("Lock after a crash: %v", err)
	}
	l2.Close()

	after.InjectError(func(op Op, name string) error {
		if op == OpLock {
			return syscall.EIO
		}
		return nil
	})
	if _, err := after.Lock("pid"); !errors.Is(err, syscall.EIO) {
		t.Fatalf("Lock with an injected error: %v, want EIO", err)
	}
}

// TestOSLockOtherProcess takes a lock in a child process: this process
// is refused and told the child's PID; once the child is killed with
// SIGKILL, the lock file it leaves behind does not block.
func TestOSLockOtherProcess(t *testing.T) {
	name := filepath.Join(t.TempDir(), "cairn.pid")
	cmd := exec.Command(os.Args[0], "-test.run=^TestOSLockHelper$")
	cmd.Env = append(os.Environ(), "VFS_LOCK_HELPER="+name)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("helper said %q (%v)", line, err)
	}

	_, err = Default.Lock(name)
	var locked *LockedError
	if !errors.As(err, &locked) || !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock held by another process: %v, want a LockedError", err)
	}
	if locked.PID != cmd.Process.Pid {
		t.Fatalf("LockedError names PID %d, want the helper's %d", locked.PID, cmd.Process.Pid)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := lockContent(t, Default, name); got != strconv.Itoa(cmd.Process.Pid)+"\n" {
		t.Fatalf("killed holder's lock file holds %q", got)
	}
	l, err := Default.Lock(name)
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestOSLockHelper is the child process of TestOSLockOtherProcess: it
// holds the lock until its stdin closes or it is killed.
func TestOSLockHelper(t *testing.T) {
	name := os.Getenv("VFS_LOCK_HELPER")
	if name == "" {
		t.Skip("helper process for TestOSLockOtherProcess")
	}
	l, err := Default.Lock(name)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	os.Stdout.WriteString("locked\n")
	io.Copy(io.Discard, os.Stdin)
}
