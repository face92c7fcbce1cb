package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// txnOutcome is what a client knows about one of its transactions.
type txnOutcome int8

const (
	txnFailed        txnOutcome = iota // never committed: no row may exist
	txnAcked                           // COMMIT returned ok: all rows must exist
	txnIndeterminate                   // connection lost after COMMIT was sent
)

func (o txnOutcome) String() string {
	return [...]string{"failed", "acked", "indeterminate"}[o]
}

const rowsPerTxn = 3

// TestConcurrentKill is PLAN.md (a) at process level: eight clients commit
// 3-row transactions with unique ids while the server is killed with
// SIGKILL three times at random moments and restarted on the same data.
// Every acked transaction must be whole, every failed one absent and every
// indeterminate one whole or absent.
func TestConcurrentKill(t *testing.T) {
	seed := testSeed(t)
	rng := rand.New(rand.NewPCG(seed, 2000))
	dir := t.TempDir()
	s := startServer(t, dir)
	{
		c := connect(t, s)
		if _, err := c.Exec(context.Background(), "CREATE TABLE crashrows (id int8 PRIMARY KEY, txn int8 NOT NULL, k int4 NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		c.Close(context.Background())
	}
	live := &liveServer{srv: s}
	stop := make(chan struct{})

	const clients = 8
	outcomes := make([]map[int64]txnOutcome, clients)
	var acked atomic.Int64 // transactions acked so far, by all clients
	var wg sync.WaitGroup
	var errMu sync.Mutex
	nErrs := 0
	fail := func(format string, args ...any) {
		errMu.Lock()
		defer errMu.Unlock()
		if nErrs++; nErrs <= 10 {
			t.Errorf(format, args...)
		}
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return false
		}
	}
	begin := time.Now()
	for cl := 0; cl < clients; cl++ {
		outcomes[cl] = map[int64]txnOutcome{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c *pgx.Conn
			defer func() {
				if c != nil {
					c.Close(context.Background())
				}
			}()
			for seq := int64(0); seq < 1_000_000 && !stopped(); seq++ {
				if c == nil {
					var err error
					if c, err = dial(live, stop); err != nil {
						if !stopped() {
							fail("client %d: %v", cl, err)
						}
						return
					}
				}
				tid := int64(cl)*1_000_000 + seq
				out, err := commit3(c, tid)
				outcomes[cl][tid] = out
				if out == txnAcked {
					acked.Add(1)
				}
				if err == nil {
					continue
				}
				if sqlState(err) != "" || !c.IsClosed() {
					fail("client %d txn %d: %v", cl, tid, err)
					rollback(c)
					continue
				}
				c.Close(context.Background())
				c = nil
			}
		}()
	}

	// checkWhole verifies that no transaction is partly present.
	checkWhole := func(s *server, when string) map[int64]int {
		t.Helper()
		c := connect(t, s)
		defer c.Close(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		rows, err := c.Query(ctx, "SELECT id, txn, k FROM crashrows")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		count := map[int64]int{}
		for rows.Next() {
			var id, txn int64
			var k int32
			if err := rows.Scan(&id, &txn, &k); err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if id != txn*10+int64(k) {
				t.Errorf("%s: row id %d does not match txn %d k %d", when, id, txn, k)
			}
			count[txn]++
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		for txn, n := range count {
			if n != rowsPerTxn {
				t.Errorf("%s: transaction %d has %d of its %d rows", when, txn, n, rowsPerTxn)
			}
		}
		return count
	}

	pause := func() { time.Sleep(200*time.Millisecond + time.Duration(rng.Int64N(int64(1800*time.Millisecond)))) }
	for round := 1; round <= 3; round++ {
		pause()
		live.get().kill(t)
		t0 := time.Now()
		ns := startServer(t, dir)
		restart := time.Since(t0)
		count := checkWhole(ns, fmt.Sprintf("after kill %d", round))
		live.set(ns)
		t.Logf("kill %d: %d transactions present after restart (restart took %v)", round, len(count), restart.Round(time.Millisecond))
	}
	ackedBefore := acked.Load()
	pause()
	awaitProgress(t, fmt.Sprintf("no transaction acked after the last restart (%d before)", ackedBefore),
		func() bool { return acked.Load() > ackedBefore })
	close(stop)
	wg.Wait()
	elapsed := time.Since(begin)

	count := checkWhole(live.get(), "at the end")
	var n [3]int
	var indetPresent int
	for cl := range outcomes {
		for tid, out := range outcomes[cl] {
			n[out]++
			got := count[tid]
			switch {
			case out == txnAcked && got != rowsPerTxn:
				t.Errorf("acked transaction %d has %d rows, want %d", tid, got, rowsPerTxn)
			case out == txnFailed && got != 0:
				t.Errorf("failed transaction %d has %d rows, want 0", tid, got)
			case out == txnIndeterminate && got == rowsPerTxn:
				indetPresent++
			}
			delete(count, tid)
		}
	}
	for tid, got := range count {
		t.Errorf("transaction %d has %d rows but no client ran it", tid, got)
	}
	t.Logf("%v: %d acked, %d failed, %d indeterminate (%d of them committed)", elapsed.Round(time.Millisecond),
		n[txnAcked], n[txnFailed], n[txnIndeterminate], indetPresent)
	if n[txnAcked] == 0 {
		t.Errorf("no transaction was acked")
	}
	live.get().stop(t)
}

// commit3 inserts the three rows of transaction tid in one transaction.
func commit3(c *pgx.Conn, tid int64) (txnOutcome, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		return txnFailed, err
	}
	for k := 0; k < rowsPerTxn; k++ {
		if _, err := c.Exec(ctx, "INSERT INTO crashrows VALUES ($1, $2, $3)", tid*10+int64(k), tid, int32(k)); err != nil {
			return txnFailed, err
		}
	}
	tag, err := c.Exec(ctx, "COMMIT")
	if err != nil {
		if sqlState(err) != "" {
			return txnFailed, err
		}
		return txnIndeterminate, err
	}
	if tag.String() != "COMMIT" {
		return txnFailed, fmt.Errorf("COMMIT answered %q", tag.String())
	}
	return txnAcked, nil
}
