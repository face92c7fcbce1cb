package clienttest

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Backpressure: a client that reads a big result slowly must slow the
// query down rather than make the server hold the result. The query below
// makes backpressureRows rows of about a kilobyte each (its FROM items are
// two small series joined, so nothing in the plan holds many rows).
const (
	backpressureRows  = 200_000
	backpressureQuery = `SELECT a * 1000 + b, repeat('x', 1000) FROM generate_series(1, 200) a, generate_series(1, 1000) b`
	// backpressureRate is how fast the slow client reads, in bytes per
	// second, for backpressureSlow.
	backpressureRate = 2 << 20
	backpressureSlow = 4 * time.Second
	// backpressureBound is how much the server's resident memory may grow
	// while the slow client reads: far below the result's ~200 MB, far
	// above what a server that streams rows into a blocked socket needs.
	backpressureBound = 48 << 20
)

// TestBackpressure reads backpressureQuery's result from cairn's binary
// (a new server each time), once at full speed and then, through the
// extended and the simple query protocols and as COPY TO STDOUT, at
// backpressureRate for backpressureSlow before reading the
// rest at full speed. Meanwhile it samples the server process's resident
// set size (VmRSS in /proc/PID/status) and fails when, while the client
// reads slowly, it grows by more than backpressureBound over what it was
// before the query: a server that builds the whole result, or queues it
// for a slow socket, grows by the result's size within a second or two.
func TestBackpressure(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: cannot watch the server's memory")
	}
	read := func(t *testing.T, mode pgx.QueryExecMode, copyOut bool, rate int64, slowFor time.Duration) {
		// A server of its own: the Go runtime keeps memory it used for a
		// while, which would hide what a later read makes it use.
		port, pid := startCairnProcess(t)
		url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		cfg.DefaultQueryExecMode = mode
		var slow *throttledConn
		dial := cfg.DialFunc
		cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			nc, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			slow = &throttledConn{Conn: nc}
			return slow, nil
		}
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
			t.Fatal(err)
		}
		base := vmStatus(t, pid, "VmRSS")
		sampler := startRSSSampler(t, pid)
		start := time.Now()
		slow.setRate(rate)
		var n, size int
		slowPeak := int64(-1)
		// took counts one row of rowBytes bytes read, and ends the slow
		// reading when its time is up.
		took := func(rowBytes int) {
			n++
			size += rowBytes
			if slowPeak < 0 && rate > 0 && time.Since(start) >= slowFor {
				slowPeak = sampler.peak()
				slow.setRate(0)
			}
		}
		if copyOut {
			lines := &lineCounter{took: took}
			if _, err := conn.PgConn().CopyTo(ctx, lines, "COPY ("+backpressureQuery+") TO STDOUT"); err != nil {
				t.Fatal(err)
			}
		} else {
			rows, err := conn.Query(ctx, backpressureQuery)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				rowBytes := 0
				for _, v := range rows.RawValues() {
					rowBytes += len(v)
				}
				took(rowBytes)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		peak := sampler.stop()
		if n != backpressureRows {
			t.Fatalf("read %d rows, want %d", n, backpressureRows)
		}
		t.Logf("%d rows, %d MB of values in %v; server RSS before %d MB, peak %d MB (growth %d MB), VmHWM %d MB",
			n, size>>20, elapsed.Round(time.Millisecond), base>>20, peak>>20, (peak-base)>>20, vmStatus(t, pid, "VmHWM")>>20)
		if rate > 0 {
			if slowPeak < 0 {
				t.Fatalf("the result was read within the %v of slow reading: the test proves nothing", slowFor)
			}
			t.Logf("peak while reading slowly: %d MB (growth %d MB)", slowPeak>>20, (slowPeak-base)>>20)
			if growth := slowPeak - base; growth > backpressureBound {
				t.Errorf("while the client read %d MB/s the server's RSS grew by %d MB, more than %d MB: it holds the result instead of waiting for the client",
					rate>>20, growth>>20, backpressureBound>>20)
			}
		}
	}
	t.Run("fast", func(t *testing.T) { read(t, pgx.QueryExecModeCacheStatement, false, 0, 0) })
	t.Run("slow extended", func(t *testing.T) {
		read(t, pgx.QueryExecModeCacheStatement, false, backpressureRate, backpressureSlow)
	})
	t.Run("slow simple", func(t *testing.T) {
		read(t, pgx.QueryExecModeSimpleProtocol, false, backpressureRate, backpressureSlow)
	})
	t.Run("slow COPY TO STDOUT", func(t *testing.T) {
		read(t, pgx.QueryExecModeSimpleProtocol, true, backpressureRate, backpressureSlow)
	})
}

// lineCounter takes COPY TO STDOUT's data (pgconn writes one CopyData, a
// line, at a time) and hands took each line's length.
type lineCounter struct{ took func(int) }

func (l *lineCounter) Write(p []byte) (int, error) {
	l.took(len(p))
	return len(p), nil
}

// throttledConn is a net.Conn whose reads keep to a rate, in bytes per
// second, counted from the last setRate; 0 reads at full speed. pgconn
// may read from a goroutine of its own, hence the lock.
type throttledConn struct {
	net.Conn
	mu    sync.Mutex
	rate  int64
	since time.Time
	read  int64
}

func (c *throttledConn) setRate(rate int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rate, c.since, c.read = rate, time.Now(), 0
}

func (c *throttledConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	rate := c.rate
	c.mu.Unlock()
	if rate == 0 {
		return c.Conn.Read(p)
	}
	// Small reads, so that the rate holds over short spans too.
	if len(p) > 16<<10 {
		p = p[:16<<10]
	}
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.read += int64(n)
	due := c.since.Add(time.Duration(float64(c.read) / float64(c.rate) * float64(time.Second)))
	if c.rate == 0 {
		due = time.Time{}
	}
	c.mu.Unlock()
	time.Sleep(time.Until(due))
	return n, err
}

// rssSampler reads a process's VmRSS every few milliseconds and keeps the
// largest.
type rssSampler struct {
	mu   sync.Mutex
	max  int64
	done chan struct{}
	wg   sync.WaitGroup
}

func startRSSSampler(t *testing.T, pid int) *rssSampler {
	s := &rssSampler{done: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if v, err := readVMStatus(pid, "VmRSS"); err == nil {
				s.mu.Lock()
				s.max = max(s.max, v)
				s.mu.Unlock()
			}
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) peak() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max
}

// stop ends the sampling (after one more sample) and returns the peak.
func (s *rssSampler) stop() int64 {
	close(s.done)
	s.wg.Wait()
	return s.peak()
}

// vmStatus is readVMStatus failing t on error.
func vmStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	v, err := readVMStatus(pid, field)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// readVMStatus reads a size field ("VmRSS", "VmHWM") of /proc/PID/status,
// in bytes.
func readVMStatus(pid int, field string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/status: %s: %w", pid, field, err)
		}
		return kb << 10, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", pid, field)
}
