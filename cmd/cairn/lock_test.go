package main

import (
	"bufio"
	"context"
	bin "encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn"
)

// refused runs the cairn binary with args and waits for it to exit; it
// must fail. If it starts serving instead, it is killed and the test fails.
// It returns the combined output.
func refused(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	serving := make(chan struct{}, 1)
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "connect with:") {
				serving <- struct{}{}
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); pw.Close() }()
	var err error
	select {
	case err = <-exited:
	case <-serving:
		cmd.Process.Kill()
		<-exited
		<-read
		t.Fatalf("cairn %s started serving; it must refuse:\n%s", strings.Join(args, " "), out.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-exited
		<-read
		t.Fatalf("cairn %s neither served nor exited within 60s:\n%s", strings.Join(args, " "), out.String())
	}
	<-read
	if err == nil {
		t.Fatalf("cairn %s succeeded; it must refuse:\n%s", strings.Join(args, " "), out.String())
	}
	return out.String()
}

// inUse is the error cairn gives for a data directory that pid holds.
func inUse(dir string, pid int) string {
	return fmt.Sprintf("cairn: data directory %q is in use by process %d (lock file %s)",
		dir, pid, filepath.Join(dir, "cairn.pid"))
}

// fillRows inserts rows [from, to) into lockrows, creating it if needed.
func fillRows(t *testing.T, s *server, from, to int) {
	t.Helper()
	c := connect(t, s)
	ctx := context.Background()
	if _, err := c.Exec(ctx, "CREATE TABLE IF NOT EXISTS lockrows (id int4 PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	for i := from; i < to; i++ {
		if _, err := c.Exec(ctx, "INSERT INTO lockrows VALUES ($1)", i); err != nil {
			t.Fatal(err)
		}
	}
	c.Close(ctx)
}

func countRows(t *testing.T, s *server) int64 {
	t.Helper()
	c := connect(t, s)
	var n int64
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM lockrows").Scan(&n); err != nil {
		t.Fatal(err)
	}
	c.Close(context.Background())
	return n
}

// checkOK runs cairn check on a directory nobody holds; it must pass.
func checkOK(t *testing.T, dir string) string {
	t.Helper()
	out, err := exec.Command(binary, "check", "--data", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), ": ok (") {
		t.Fatalf("cairn check: %v\n%s", err, out)
	}
	return string(out)
}

// TestSecondServerRefused starts a second server on a data directory in
// use: it exits naming the first server's PID, and the first keeps
// serving; afterwards the directory checks and opens clean with every row.
func TestSecondServerRefused(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	fillRows(t, s, 0, 100)
	out := refused(t, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--data", dir)
	if want := inUse(dir, s.cmd.Process.Pid); !strings.Contains(out, want) {
		t.Fatalf("second server on a free port said:\n%s\nwant %s", out, want)
	}
	fillRows(t, s, 100, 200)
	if n := countRows(t, s); n != 200 {
		t.Fatalf("the first server has %d rows, want 200", n)
	}
	s.stop(t)
	checkOK(t, dir)
	s = startServer(t, dir)
	if n := countRows(t, s); n != 200 {
		t.Fatalf("after restart %d rows, want 200", n)
	}
	s.stop(t)
}

// TestSecondServerBusyPort starts a second server with the defaults' usual
// mistake: same directory, same (busy) port. It must fail to listen before
// it opens the directory — it never even meets the lock — and leave the
// first server's directory intact.
func TestSecondServerBusyPort(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	fillRows(t, s, 0, 100)
	out := refused(t, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", s.port), "--data", dir)
	if !strings.Contains(out, "address already in use") || strings.Contains(out, "in use by process") {
		t.Fatalf("second server on a busy port said:\n%s\nwant only the listen error", out)
	}
	fillRows(t, s, 100, 200)
	s.stop(t)
	checkOK(t, dir)
	s = startServer(t, dir)
	if n := countRows(t, s); n != 200 {
		t.Fatalf("after restart %d rows, want 200", n)
	}
	s.stop(t)
}

// TestCheckRefusedWhileServing runs cairn check on a running server's
// directory: it refuses, naming the server's PID, and the server goes on.
func TestCheckRefusedWhileServing(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	fillRows(t, s, 0, 50)
	out := refused(t, "check", "--data", dir)
	if want := inUse(dir, s.cmd.Process.Pid); !strings.Contains(out, want) || strings.Contains(out, ": ok (") {
		t.Fatalf("check on a running server said:\n%s\nwant %s", out, want)
	}
	fillRows(t, s, 50, 100)
	s.stop(t)
	checkOK(t, dir)
	s = startServer(t, dir)
	if n := countRows(t, s); n != 100 {
		t.Fatalf("after restart %d rows, want 100", n)
	}
	s.stop(t)
}

// TestServerRefusedWhileEmbedded opens a directory in this process with
// cairn.Open: a server on it refuses, naming this process; after Close
// the server starts.
func TestServerRefusedWhileEmbedded(t *testing.T) {
	dir := t.TempDir()
	db, err := cairn.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(context.Background(), "CREATE TABLE lockrows (id int4 PRIMARY KEY); INSERT INTO lockrows VALUES (1), (2)"); err != nil {
		db.Close()
		t.Fatal(err)
	}
	out := refused(t, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--data", dir)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if want := inUse(dir, os.Getpid()); !strings.Contains(out, want) {
		t.Fatalf("server on an embedded database's directory said:\n%s\nwant %s", out, want)
	}
	s := startServer(t, dir)
	if n := countRows(t, s); n != 2 {
		t.Fatalf("server sees %d rows, want 2", n)
	}
	s.stop(t)
}

// TestLockAfterKill kills a server with SIGKILL: the lock file it leaves
// behind, holding its PID, does not block the next start.
func TestLockAfterKill(t *testing.T) {
	dir := t.TempDir()
	lockFile := filepath.Join(dir, "cairn.pid")
	s := startServer(t, dir)
	fillRows(t, s, 0, 10)
	s.kill(t)
	if b, err := os.ReadFile(lockFile); err != nil || string(b) != strconv.Itoa(s.cmd.Process.Pid)+"\n" {
		t.Fatalf("lock file after SIGKILL: %q, %v; want the killed server's PID", b, err)
	}
	s = startServer(t, dir)
	if b, err := os.ReadFile(lockFile); err != nil || string(b) != strconv.Itoa(s.cmd.Process.Pid)+"\n" {
		t.Fatalf("lock file of the new server: %q, %v; want its PID %d", b, err, s.cmd.Process.Pid)
	}
	if n := countRows(t, s); n != 10 {
		t.Fatalf("after SIGKILL and restart %d rows, want 10", n)
	}
	s.stop(t)
	if b, err := os.ReadFile(lockFile); err != nil || len(b) != 0 {
		t.Fatalf("lock file after a clean stop: %q, %v; want it empty", b, err)
	}
}

// TestServeBadFlagsLeaveDataAlone gives serve flags it cannot use: it
// fails without creating the data directory.
func TestServeBadFlagsLeaveDataAlone(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad listen address", []string{"--listen", "127.0.0.1:notaport"}, "listening on 127.0.0.1:notaport"},
		{"stray argument", []string{"--listen", "127.0.0.1:0", "extra"}, `unexpected argument "extra"`},
		{"bad memory limit", []string{"--listen", "127.0.0.1:0", "--memory-limit", "12XB"}, `unknown unit "XB"`},
		{"memory limit too small", []string{"--listen", "127.0.0.1:0", "--memory-limit", "10MB"}, "--memory-limit must be at least 256 MB"},
		{"message size too large", []string{"--listen", "127.0.0.1:0", "--max-message-size", "2GB"}, "--max-message-size must be between"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			out := refused(t, append([]string{"serve", "--data", dir}, tc.args...)...)
			if !strings.Contains(out, tc.want) {
				t.Fatalf("serve said:\n%s\nwant %q", out, tc.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("serve with bad flags touched the data directory: %v", err)
			}
		})
	}
}

// TestCheckReportsWALCut kills a server, damages the checksum of the last
// record of its WAL, and runs cairn check: it recovers, and says where it
// cut the log and why.
func TestCheckReportsWALCut(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, dir)
	fillRows(t, s, 0, 20)
	s.kill(t)

	seg, off := lastWALRecord(t, filepath.Join(dir, "wal"))
	f, err := os.OpenFile(seg, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off+4); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0x01
	if _, err := f.WriteAt(b, off+4); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	out := checkOK(t, dir)
	want := fmt.Sprintf("wal: recovery cut %%d bytes at segment %s offset %d (LSN %%d): checksum mismatch", seg, off)
	var n, lsn int64
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "wal: ") {
			line = l
		}
	}
	if _, err := fmt.Sscanf(line, want, &n, &lsn); err != nil || n <= 0 {
		t.Fatalf("check output lacks the WAL cut (%v):\n%s\nwant a line like %q", err, out, want)
	}
	if !strings.Contains(out, "level=WARN") {
		t.Fatalf("check did not log the cut at WARN:\n%s", out)
	}
	t.Logf("%s", out)
	// The repaired directory opens without a cut.
	if out := checkOK(t, dir); strings.Contains(out, "wal: ") {
		t.Fatalf("second check still reports a cut:\n%s", out)
	}
}

// lastWALRecord returns the last segment file of the WAL in dir and the
// offset of its last record (see package wal's format: a 16-byte header
// of length, CRC and the record's LSN, which is the segment's start plus
// the offset).
func lastWALRecord(t *testing.T, dir string) (string, int64) {
	t.Helper()
	segs, err := filepath.Glob(filepath.Join(dir, "*.wal"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no WAL segments in %s: %v", dir, err)
	}
	sort.Strings(segs)
	seg := segs[len(segs)-1]
	start, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(seg), ".wal"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	last := int64(-1)
	for off := 0; off+16 <= len(data); {
		if bin.LittleEndian.Uint64(data[off+8:]) != start+uint64(off) {
			break
		}
		last = int64(off)
		off += 16 + int(bin.LittleEndian.Uint32(data[off:]))
	}
	if last < 0 {
		t.Fatalf("no record in %s", seg)
	}
	return seg, last
}
