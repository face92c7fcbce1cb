package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgBinDir is where PostgreSQL 15's binaries are expected.
const pgBinDir = "/usr/lib/postgresql/15/bin"

// pgRunAs is the unprivileged user that runs initdb and postgres when txbench
// runs as root (postgres refuses to run as root).
const pgRunAs = "cairntest"

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 60 * time.Second

// stopTimeout bounds how long a server may take to shut down after SIGINT
// before it is killed.
const stopTimeout = 30 * time.Second

// server is a database server process started by txbench.
type server struct {
	name string
	url  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	log  string        // path of the process's output
}

// stop asks the server for a fast shutdown and kills it if it lingers.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func (s *server) logText() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}

// waitReady polls url until a connection succeeds, the process exits, or
// startTimeout passes.
func (s *server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.url)
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-s.done:
			return fmt.Errorf("%s exited during startup: %v\n%s", s.name, s.cmd.ProcessState, s.logText())
		case <-ctx.Done():
			s.stop()
			return fmt.Errorf("%s did not accept connections within %v: %v\n%s", s.name, startTimeout, err, s.logText())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cairnModuleDir returns the directory of the cairn module this benchmark
// builds against (bench/go.mod replaces it with ..).
func cairnModuleDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cairndb/cairn").Output()
	if err != nil {
		return "", fmt.Errorf("locating the cairn module: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// servingRE matches the line cmd/cairn prints once it listens.
var servingRE = regexp.MustCompile(`^cairn is serving .* on (127\.0\.0\.1:\d+)$`)

// startCairn builds cmd/cairn into dir and serves a fresh data directory in
// dir on a free loopback port.
func startCairn(dir string) (*server, error) {
	src, err := cairnModuleDir()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "cairn")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cairn")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building cmd/cairn: %w\n%s", err, out)
	}
	s := &server{name: "cairn", done: make(chan struct{}), log: filepath.Join(dir, "cairn.log")}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	s.cmd = exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, "data"))
	s.cmd.Stderr = logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting cairn: %w", err)
	}
	addr := make(chan string, 1)
	go func() {
		// The first lines name the address; the rest is copied to the log.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
			fmt.Fprintln(logf, sc.Text())
		}
		io.Copy(io.Discard, stdout)
		s.cmd.Wait()
		close(s.done)
	}()
	select {
	case a := <-addr:
		s.url = fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", a)
	case <-s.done:
		return nil, fmt.Errorf("cairn exited during startup: %v\n%s", s.cmd.ProcessState, s.logText())
	case <-time.After(startTimeout):
		s.stop()
		return nil, fmt.Errorf("cairn did not print its address within %v\n%s", startTimeout, s.logText())
	}
	if err := s.waitReady(); err != nil {
		return nil, err
	}
	return s, nil
}

var errPortTaken = errors.New("port already in use")

// startPostgres makes a PostgreSQL 15 cluster in dir and starts it on a free
// loopback port with fsync and synchronous_commit on.
func startPostgres(dir string) (*server, error) {
	if _, err := os.Stat(filepath.Join(pgBinDir, "initdb")); err != nil {
		return nil, fmt.Errorf("PostgreSQL 15 is not installed: %w", err)
	}
	cred, err := pgCredential()
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	// --no-sync only skips syncing initdb's own files; the server below
	// runs with fsync on.
	initdb := pgCommand(cred, dir, "initdb", "-D", data, "-E", "UTF8", "--locale=C.UTF-8",
		"-A", "trust", "-U", "postgres", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	var lastErr error
	for attempt := range 3 {
		s, err := launchPostgres(cred, dir, data, attempt)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	return nil, lastErr
}

func launchPostgres(cred *syscall.Credential, dir, data string, attempt int) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{name: "postgres", done: make(chan struct{}),
		url: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		log: filepath.Join(dir, fmt.Sprintf("postgres-%d.log", attempt))}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	s.cmd = pgCommand(cred, dir, "postgres", "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "synchronous_commit=on",
		"-c", "TimeZone=UTC")
	s.cmd.Stdout = logf
	s.cmd.Stderr = logf
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	if err := s.waitReady(); err != nil {
		if strings.Contains(s.logText(), "Address already in use") {
			return nil, fmt.Errorf("%w: %d", errPortTaken, port)
		}
		return nil, err
	}
	return s, nil
}

// pgCommand prepares one of PostgreSQL's programs to run in dir, as the
// unprivileged user when cred is set.
func pgCommand(cred *syscall.Credential, dir, prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(pgBinDir, prog), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "PGTZ=UTC")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// pgCredential returns the unprivileged user to run PostgreSQL as, creating
// it if needed, or nil when txbench does not run as root.
func pgCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(pgRunAs)
	if err != nil {
		out, aerr := exec.Command("useradd", "--system", "--no-create-home",
			"--shell", "/usr/sbin/nologin", pgRunAs).CombinedOutput()
		if u, err = user.Lookup(pgRunAs); err != nil {
			return nil, fmt.Errorf("creating user %s: %v %s", pgRunAs, aerr, out)
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
