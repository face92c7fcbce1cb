package main

import (
	"context"
	binenc "encoding/binary"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// TestMemoryStorm: 20 sessions send a 60 MB query each, all at once, to a
// server with --memory-limit 1GB. Every query is answered, another session's
// small queries are answered all along, the server's peak RSS stays under
// the limit plus a fixed overhead, and the memory goes back to the system
// once the server is idle.
func TestMemoryStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 1.2 GB of queries")
	}
	const (
		sessions     = 20
		literalBytes = 60 << 20
		limit        = 1 << 30
		// overhead is what the limit does not cover: the runtime's and
		// the C library's own memory, thread stacks, the binary.
		overhead = 200 << 20
	)
	s := startServer(t, ":memory:", "--memory-limit", "1GB")
	pid := s.cmd.Process.Pid
	body := []byte("SELECT length('" + strings.Repeat("x", literalBytes) + "')\x00")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	for range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := rawQuery(ctx, s.port, body)
			if err == nil && got != strconv.Itoa(literalBytes) {
				err = fmt.Errorf("length %q, want %d", got, literalBytes)
			}
			errs <- err
		}()
	}
	bigDone := make(chan struct{})
	go func() { wg.Wait(); close(bigDone) }()

	small := connect(t, s)
	answered := 0
	var slowest time.Duration
	for running := true; running; {
		select {
		case <-bigDone:
			running = false
		default:
		}
		qctx, qcancel := context.WithTimeout(ctx, 30*time.Second)
		start := time.Now()
		var one int
		err := small.QueryRow(qctx, "SELECT 1").Scan(&one)
		qcancel()
		if err != nil {
			t.Fatalf("a small query during the storm: %v", err)
		}
		answered++
		slowest = max(slowest, time.Since(start))
		time.Sleep(20 * time.Millisecond)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a 60 MB query: %v", err)
		}
	}
	peak := procStatusBytes(t, pid, "VmHWM")
	t.Logf("peak RSS %d MB with --memory-limit %d MB; %d small queries answered meanwhile, the slowest in %v",
		peak>>20, limit>>20, answered, slowest)
	if peak > limit+overhead {
		t.Errorf("peak RSS %d MB, above the limit of %d MB plus %d MB", peak>>20, limit>>20, overhead>>20)
	}
	// Idle: the budget's idle hook hands memory back.
	deadline := time.Now().Add(30 * time.Second)
	for procStatusBytes(t, pid, "VmRSS") > 256<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("RSS still %d MB 30 s after the storm", procStatusBytes(t, pid, "VmRSS")>>20)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rawQuery sends one simple-protocol Query whose body (with its NUL) is
// body, without copying it, and returns the first column of the first row.
func rawQuery(ctx context.Context, port int, body []byte) (string, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return "", err
	}
	defer nc.Close()
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "postgres"}})
	if err := fe.Flush(); err != nil {
		return "", err
	}
	if _, err := untilReady(fe); err != nil {
		return "", fmt.Errorf("startup: %w", err)
	}
	hdr := binenc.BigEndian.AppendUint32([]byte{'Q'}, uint32(4+len(body)))
	if _, err := nc.Write(hdr); err != nil {
		return "", err
	}
	if _, err := nc.Write(body); err != nil {
		return "", err
	}
	return untilReady(fe)
}

// untilReady reads to ReadyForQuery, returning the first value of the
// first DataRow, or the first error.
func untilReady(fe *pgproto3.Frontend) (string, error) {
	var first string
	var failed error
	for {
		m, err := fe.Receive()
		if err != nil {
			return "", err
		}
		switch m := m.(type) {
		case *pgproto3.DataRow:
			if first == "" && len(m.Values) > 0 {
				first = string(m.Values[0])
			}
		case *pgproto3.ErrorResponse:
			if failed == nil {
				failed = fmt.Errorf("%s %s", m.Code, m.Message)
			}
		case *pgproto3.ReadyForQuery:
			return first, failed
		}
	}
}

// procStatusBytes reads a kB field of /proc/PID/status.
func procStatusBytes(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field+":" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
