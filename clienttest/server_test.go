package clienttest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// binary is the cairn executable, built once from the enclosing module.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cairn-clienttest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cairn")
	build := exec.Command("go", "build", "-o", binary, "./cmd/cairn")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building cairn: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startCairn runs `cairn serve` on a fresh data directory and returns a
// connection URL once it accepts connections; the server stops with the
// test. extra are more flags for `cairn serve`.
func startCairn(t *testing.T, extra ...string) string {
	t.Helper()
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", startCairnPort(t, extra...))
}

// startCairnPort is startCairn returning the TCP port the server listens
// on at 127.0.0.1.
func startCairnPort(t *testing.T, extra ...string) int {
	t.Helper()
	port, _ := startCairnProcess(t, extra...)
	return port
}

// startCairnProcess is startCairnPort also returning the server's process
// id, for tests that watch the process itself.
func startCairnProcess(t *testing.T, extra ...string) (port, pid int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	args := append([]string{"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data", t.TempDir()}, extra...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
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
	case <-time.After(60 * time.Second):
		t.Fatal("cairn did not start within 60s")
	}
	return port, cmd.Process.Pid
}
