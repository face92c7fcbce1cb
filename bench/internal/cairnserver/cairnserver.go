package cairnserver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// startTimeout bounds how long a server may take to accept connections.
const startTimeout = 60 * time.Second

// stopTimeout bounds how long a server may take to shut down after SIGINT
// before it is killed.
const stopTimeout = 30 * time.Second

// Server is a running cairn server process.
type Server struct {
	name string
	url  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	log  string        // path of the process's output
}

// URL is the connection string of the server: user postgres, database
// postgres, over TCP on the loopback address.
func (s *Server) URL() string { return s.url }

// Stop asks the server for a fast shutdown (SIGINT) and kills it if it
// lingers. It does nothing once the server has exited.
func (s *Server) Stop() {
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

// LogText returns the server's output so far.
func (s *Server) LogText() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	return string(b)
}

// waitReady polls url until a connection succeeds, the process exits, or
// startTimeout passes.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.url)
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-s.done:
			return fmt.Errorf("%s exited during startup: %v\n%s", s.name, s.cmd.ProcessState, s.LogText())
		case <-ctx.Done():
			s.Stop()
			return fmt.Errorf("%s did not accept connections within %v: %v\n%s", s.name, startTimeout, err, s.LogText())
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

// Build builds cmd/cairn into dir and returns the binary's path.
func Build(dir string) (string, error) {
	src, err := cairnModuleDir()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "cairn")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cairn")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building cmd/cairn: %w\n%s", err, out)
	}
	return bin, nil
}

// Start builds cmd/cairn into dir and serves a fresh data directory in dir
// on a free loopback port.
func Start(dir string) (*Server, error) {
	bin, err := Build(dir)
	if err != nil {
		return nil, err
	}
	return StartBinary(bin, dir)
}

// StartBinary serves a fresh data directory in dir with the cairn binary
// bin, on a free loopback port, with extra flags of cairn serve appended.
func StartBinary(bin, dir string, flags ...string) (*Server, error) {
	s := &Server{name: "cairn", done: make(chan struct{}), log: filepath.Join(dir, "cairn.log")}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--data", filepath.Join(dir, "data")}, flags...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stderr = logf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		logf.Close()
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
		logf.Close()
		close(s.done)
	}()
	select {
	case a := <-addr:
		s.url = fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", a)
	case <-s.done:
		return nil, fmt.Errorf("cairn exited during startup: %v\n%s", s.cmd.ProcessState, s.LogText())
	case <-time.After(startTimeout):
		s.Stop()
		return nil, fmt.Errorf("cairn did not print its address within %v\n%s", startTimeout, s.LogText())
	}
	if err := s.waitReady(); err != nil {
		return nil, err
	}
	return s, nil
}

// Named is a server started for one -cairn name=path of a comparison.
type Named struct {
	Name string
	*Server
}

// StartNamed starts one server for each name=path in specs, each on a data
// directory of its own under parent, with flags; with no specs it builds
// cmd/cairn into parent and starts it as "cairn". The names must be set
// and not "postgres" (the peer's name). On an error it returns the
// servers it started, for the caller to stop.
func StartNamed(parent string, specs []string, flags ...string) ([]Named, error) {
	if len(specs) == 0 {
		bin, err := Build(parent)
		if err != nil {
			return nil, err
		}
		specs = []string{"cairn=" + bin}
	}
	var out []Named
	for _, spec := range specs {
		name, bin, ok := strings.Cut(spec, "=")
		if !ok || name == "" || name == "postgres" {
			return out, fmt.Errorf("-cairn %q: want name=path, name not postgres", spec)
		}
		dir := filepath.Join(parent, "data-"+name) // parent/cairn is the built binary
		if err := os.Mkdir(dir, 0o700); err != nil {
			return out, err
		}
		s, err := StartBinary(bin, dir, flags...)
		if err != nil {
			return out, err
		}
		out = append(out, Named{Name: name, Server: s})
	}
	return out, nil
}
