package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// lockedBuffer collects a process's stderr.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveLogged runs cairn serve with flags until stop, collecting its log.
func serveLogged(t *testing.T, flags ...string) (port int, log *lockedBuffer, stop func()) {
	t.Helper()
	port = freePort(t)
	args := append([]string{"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data", t.TempDir(), "--socket-dir", ""}, flags...)
	cmd := exec.Command(binary, args...)
	log = &lockedBuffer{}
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "connect with:") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("cairn did not start within 30s:\n%s", log)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Errorf("cairn exited with %v:\n%s", err, log)
		}
	}
	t.Cleanup(stop)
	return port, log, stop
}

// TestLogFormatJSON: with --log-format json every line of the log is a
// JSON object; connections, statements past log_min_duration_statement and
// checkpoints are logged, and neither a password nor a parameter value
// ever is.
func TestLogFormatJSON(t *testing.T) {
	dir := t.TempDir()
	hba := filepath.Join(dir, "pg_hba.conf")
	if err := os.WriteFile(hba, []byte("host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port, log, stop := serveLogged(t, "--log-format", "json", "--hba-file", hba, "--log-min-duration-statement", "0",
		"--log-connections", "on", "--log-disconnections", "on", "--log-lock-waits", "on")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := func(user, password string) string {
		return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/postgres?sslmode=disable", user, password, port)
	}
	admin, err := pgx.Connect(ctx, url("postgres", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE USER alice PASSWORD 'pw-secret-create'", "ALTER USER alice PASSWORD 'pw-secret-alter'",
		"CREATE TABLE t (a int, b text)", "GRANT ALL ON t TO alice"} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := pgx.Connect(ctx, url("alice", "pw-secret-wrong")); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	alice, err := pgx.Connect(ctx, url("alice", "pw-secret-alter"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.Exec(ctx, "INSERT INTO t VALUES ($1, $2)", 7, "param-secret-value"); err != nil {
		t.Fatal(err)
	}
	alice.Close(ctx)
	admin.Close(ctx)
	stop()

	out := log.String()
	msgs := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line is not JSON: %q: %v", line, err)
		}
		msg, _ := rec["msg"].(string)
		if _, ok := rec["level"]; !ok || msg == "" {
			t.Errorf("a log line lacks level or msg: %q", line)
		}
		msgs[strings.SplitN(msg, ":", 2)[0]] = true
		if strings.HasPrefix(msg, "duration:") && rec["statement"] == "INSERT INTO t VALUES ($1, $2)" {
			msgs["insert logged"] = true
		}
	}
	for _, want := range []string{"connection received", "connection authorized", "disconnection", "duration", "insert logged", "checkpoint complete"} {
		if !msgs[want] {
			t.Errorf("no %q in the log:\n%s", want, out)
		}
	}
	for _, secret := range []string{"pw-secret", "param-secret"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %s:\n%s", secret, out)
		}
	}
}

// TestLogLevelText: --log-level warn leaves the info lines out; bad flag
// values are refused.
func TestLogLevelText(t *testing.T) {
	port, log, stop := serveLogged(t, "--log-level", "warn", "--log-connections", "on")
	c, err := pgx.Connect(context.Background(), fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	c.Close(context.Background())
	stop()
	if out := log.String(); strings.Contains(out, "level=INFO") {
		t.Errorf("info lines at --log-level warn:\n%s", out)
	}
	for _, tc := range []struct{ flags []string }{
		{[]string{"--log-format", "xml"}},
		{[]string{"--log-level", "loud"}},
		{[]string{"--log-min-duration-statement", "-5"}},
		{[]string{"--log-connections", "maybe"}},
	} {
		args := append([]string{"serve", "--listen", "127.0.0.1:0", "--data", ":memory:", "--socket-dir", ""}, tc.flags...)
		err := run(args, io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%v: accepted", tc.flags)
		}
	}
}
