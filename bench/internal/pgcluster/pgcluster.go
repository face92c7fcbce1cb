package pgcluster

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
	"time"

	"github.com/jackc/pgx/v5"
)

// BinDir is where PostgreSQL 15's binaries are expected.
const BinDir = "/usr/lib/postgresql/15/bin"

// runAs is the unprivileged user that runs initdb and postgres when the
// benchmark runs as root.
const runAs = "cairntest"

// StartTimeout bounds how long a server may take to accept connections.
const StartTimeout = 60 * time.Second

// stopTimeout bounds how long a server may take to shut down after SIGINT
// before it is killed.
const stopTimeout = 30 * time.Second

// pollInterval is how often a starting server is polled.
const pollInterval = 50 * time.Millisecond

// Cluster is a PostgreSQL data directory made by Create, and the server
// running on it, if any.
type Cluster struct {
	dir  string // parent of data, owned by the server's user
	data string
	cred *syscall.Credential

	starts int       // servers started so far, to name their logs
	url    string    // of the running or last server
	cmd    *exec.Cmd // of the running or last server
	done   chan struct{}
	log    string // path of the running or last server's output
}

// Create makes a cluster in dir/data with initdb: encoding UTF8, locale
// C.UTF-8, trust authentication, superuser postgres. dir must exist; it is
// made private to the server's user. dir's parent must be reachable by that
// user (a directory made by os.MkdirTemp in the OS temp dir is).
func Create(dir string) (*Cluster, error) {
	if _, err := os.Stat(filepath.Join(BinDir, "initdb")); err != nil {
		return nil, fmt.Errorf("PostgreSQL 15 is not installed: %w", err)
	}
	cred, err := credential()
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
	c := &Cluster{dir: dir, data: filepath.Join(dir, "data"), cred: cred}
	// --no-sync only skips syncing initdb's own files; the server runs
	// with whatever fsync setting Start is given.
	initdb := c.command("initdb", "-D", c.data, "-E", "UTF8", "--locale=C.UTF-8",
		"-A", "trust", "-U", "postgres", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return c, nil
}

var errPortTaken = errors.New("port already in use")

// Start starts a server on the cluster, listening on a free loopback port
// and on a socket in the cluster's directory, with TimeZone=UTC and each
// of settings ("name=value") given with -c, and waits until it accepts
// connections. A server that is still running must be stopped first.
func (c *Cluster) Start(settings ...string) error {
	if c.cmd != nil && !c.exited() {
		return errors.New("pgcluster: server already running")
	}
	var lastErr error
	for range 3 {
		err := c.launch(settings)
		if err == nil {
			return nil
		}
		lastErr = err
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	return lastErr
}

func (c *Cluster) launch(settings []string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	c.log = filepath.Join(c.dir, fmt.Sprintf("postgres-%d.log", c.starts))
	c.starts++
	c.done = make(chan struct{})
	logf, err := os.Create(c.log)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{"-D", c.data, "-p", strconv.Itoa(port), "-k", c.dir,
		"-c", "listen_addresses=127.0.0.1"}
	for _, s := range settings {
		args = append(args, "-c", s)
	}
	args = append(args, "-c", "TimeZone=UTC")
	c.cmd = c.command("postgres", args...)
	c.cmd.Stdout = logf
	c.cmd.Stderr = logf
	if err := c.cmd.Start(); err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	done := c.done
	go func() { c.cmd.Wait(); close(done) }()
	err = c.waitReady()
	if err == nil {
		return nil
	}
	exited := c.exited()
	if !exited {
		c.Stop()
	}
	if strings.Contains(c.LogText(), "Address already in use") {
		return fmt.Errorf("%w: %d", errPortTaken, port)
	}
	if exited {
		return fmt.Errorf("postgres exited during startup: %v\n%s", c.cmd.ProcessState, c.LogText())
	}
	return fmt.Errorf("postgres did not accept connections within %v: %v\n%s", StartTimeout, err, c.LogText())
}

// waitReady waits until the server accepts a connection, it exits, or
// StartTimeout passes. It tries to connect every pollInterval, and as soon
// as the postmaster marks itself ready in postmaster.pid (checked every
// 5 ms, which costs the server nothing), so that the time a restart takes
// is measured to a few milliseconds.
func (c *Cluster) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), StartTimeout)
	defer cancel()
	var tried time.Time
	var lastErr error
	for {
		if now := time.Now(); now.Sub(tried) >= pollInterval || c.pidFileReady() {
			tried = now
			conn, err := pgx.Connect(ctx, c.url)
			if err == nil {
				return conn.Close(ctx)
			}
			lastErr = err
		}
		select {
		case <-c.done:
			return fmt.Errorf("server exited: %w", lastErr)
		case <-ctx.Done():
			return lastErr
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// pidFileReady reports whether postmaster.pid names the running
// postmaster and says "ready" on its status line (the eighth), as the
// postmaster writes it once it accepts connections.
func (c *Cluster) pidFileReady() bool {
	b, err := os.ReadFile(filepath.Join(c.data, "postmaster.pid"))
	if err != nil {
		return false
	}
	lines := strings.Split(string(b), "\n")
	return len(lines) >= 8 && strings.TrimSpace(lines[0]) == strconv.Itoa(c.cmd.Process.Pid) &&
		strings.TrimSpace(lines[7]) == "ready"
}

func (c *Cluster) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// URL is the connection string of the running or last server: user
// postgres, database postgres, over TCP on the loopback address.
func (c *Cluster) URL() string { return c.url }

// DataDir is the cluster's data directory.
func (c *Cluster) DataDir() string { return c.data }

// Stop asks the server for a fast shutdown (SIGINT), which ends with a
// shutdown checkpoint, and kills it if it lingers. It does nothing if no
// server is running.
func (c *Cluster) Stop() {
	if c.cmd == nil || c.exited() {
		return
	}
	c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.done:
	case <-time.After(stopTimeout):
		c.cmd.Process.Kill()
		<-c.done
	}
}

// Crash stops the server with an immediate shutdown: SIGQUIT to the
// postmaster, the signal pg_ctl stop -m immediate sends. The postmaster
// makes every child exit at once, without flushing buffers, writing WAL or
// a shutdown checkpoint, and exits; the next Start runs crash recovery
// from the last checkpoint's redo point.
func (c *Cluster) Crash() error {
	if c.cmd == nil || c.exited() {
		return errors.New("pgcluster: no server running")
	}
	if err := c.cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		return err
	}
	select {
	case <-c.done:
		return nil
	case <-time.After(stopTimeout):
		c.cmd.Process.Kill()
		<-c.done
		return errors.New("pgcluster: postmaster lingered after SIGQUIT and was killed")
	}
}

// LogText returns the output of the running or last server.
func (c *Cluster) LogText() string {
	b, err := os.ReadFile(c.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}

// command prepares one of PostgreSQL's programs to run in the cluster's
// directory, as the unprivileged user when needed.
func (c *Cluster) command(prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(BinDir, prog), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "PGTZ=UTC")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// credential returns the unprivileged user to run PostgreSQL as, creating
// it if needed, or nil when the benchmark does not run as root.
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
