package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDir is where PostgreSQL 15's binaries are expected.
const BinDir = "/usr/lib/postgresql/15/bin"

// runAs is the unprivileged user that runs initdb and postgres when the
// test runs as root.
const runAs = "cairntest"

// startTimeout bounds how long Start waits for the server to accept
// connections.
const startTimeout = 30 * time.Second

// Server is a running PostgreSQL server owned by one test.
type Server struct {
	// Port is the TCP port the server listens on at 127.0.0.1.
	Port int

	dir  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the postgres process has exited
	log  string        // path of the server's log file
}

// URL returns a connection string for the superuser postgres on the
// database postgres.
func (s *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port)
}

// DatabaseURL returns a connection string for the superuser on database db.
func (s *Server) DatabaseURL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.Port, db)
}

// Start starts a new PostgreSQL server for t and stops it when t ends. It
// skips t when PostgreSQL 15 is not installed. settings are extra run-time
// parameters, "name=value" each (passed as -c name=value).
func Start(t testing.TB, settings ...string) *Server {
	t.Helper()
	if _, err := os.Stat(filepath.Join(BinDir, "initdb")); err != nil {
		t.Skipf("pgtest: PostgreSQL 15 is not installed (%s/initdb: %v)", BinDir, err)
	}
	cred, err := credential()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := command(cred, dir, "initdb", "-D", data, "-E", "UTF8", "--locale=C.UTF-8",
		"-A", "trust", "-U", "postgres", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}

	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, err := launch(cred, dir, data, attempt, settings)
		if err == nil {
			t.Cleanup(s.stop)
			return s
		}
		lastErr = err
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	t.Fatalf("pgtest: %v", lastErr)
	return nil
}

var errPortTaken = errors.New("port already in use")

// launch starts postgres on a free port and waits until it accepts
// connections.
func launch(cred *syscall.Credential, dir, data string, attempt int, settings []string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Port: port, dir: dir, done: make(chan struct{}),
		log: filepath.Join(dir, fmt.Sprintf("postgres-%d.log", attempt))}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "TimeZone=UTC",
		"-c", "max_prepared_transactions=10"}
	for _, kv := range settings {
		args = append(args, "-c", kv)
	}
	s.cmd = command(cred, dir, "postgres", args...)
	s.cmd.Stdout = logf
	s.cmd.Stderr = logf
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.URL())
		if err == nil {
			conn.Close(ctx)
			return s, nil
		}
		select {
		case <-s.done:
			text := s.logText()
			if strings.Contains(text, "Address already in use") {
				return nil, fmt.Errorf("%w: %d", errPortTaken, port)
			}
			return nil, fmt.Errorf("postgres exited during startup: %v\n%s", s.cmd.ProcessState, text)
		case <-ctx.Done():
			s.stop()
			return nil, fmt.Errorf("postgres did not accept connections within %v: %v\n%s",
				startTimeout, err, s.logText())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop asks postgres for a fast shutdown and kills it if it lingers.
func (s *Server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func (s *Server) logText() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}

// command prepares one of PostgreSQL's programs to run in dir, as the
// unprivileged user when cred is set.
func command(cred *syscall.Credential, dir, prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(BinDir, prog), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "PGTZ=UTC")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// credential returns the unprivileged user to run PostgreSQL as, or nil
// when the test does not run as root.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(runAs)
	if err != nil {
		out, aerr := exec.Command("useradd", "--system", "--no-create-home",
			"--shell", "/usr/sbin/nologin", runAs).CombinedOutput()
		if u, err = user.Lookup(runAs); err != nil {
			return nil, fmt.Errorf("creating user %s: %v %s", runAs, aerr, out)
		}
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// freePort returns a TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
