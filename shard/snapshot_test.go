package shard

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

// bankRun is what one run of the transfer workload saw.
type bankRun struct {
	reads, torn, transfers, retries atomic.Int64
	firstTorn                       atomic.Int64 // a sum a reader saw, not the total
}

const (
	bankAccounts = 30
	bankBalance  = 1000
	bankTotal    = bankAccounts * bankBalance
)

// runBank sets up accounts spread over the cluster's nodes, then runs
// concurrent transfers between them (READ COMMITTED, most of them across
// nodes, committed in two phases) while REPEATABLE READ readers sum every
// balance, until the deadline or until stop says so. A sum other than the
// total is a torn read: a transfer seen on one node and not on another.
func runBank(t *testing.T, tc *testCluster, deadline time.Duration, stop func(*bankRun) bool) *bankRun {
	t.Helper()
	ctx := context.Background()
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE accounts (id int8 PRIMARY KEY, bal int8 NOT NULL)")
	mustExec(t, c, "SELECT create_distributed_table('accounts', 'id')")
	for i := range bankAccounts {
		mustExec(t, c, "INSERT INTO accounts VALUES ($1, $2)", i, bankBalance)
	}
	total := func() int64 {
		t.Helper()
		var sum int64
		if err := c.QueryRow(ctx, "SELECT sum(bal) FROM accounts").Scan(&sum); err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if got := total(); got != bankTotal {
		t.Fatalf("initial total %d", got)
	}
	tbl := tc.coord.Placement().Tables["accounts"]
	nodes := map[string]bool{}
	for i := range bankAccounts {
		id, err := tbl.nodeOf(int64(i))
		if err != nil {
			t.Fatal(err)
		}
		nodes[id] = true
	}
	if len(nodes) < 3 {
		t.Fatalf("the accounts are on %d nodes, want 3", len(nodes))
	}

	r := &bankRun{}
	run, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	retryable := func(err error) bool {
		switch sqlstate(err) {
		case "40001", "40P01", "55P03":
			r.retries.Add(1)
			return true
		}
		return false
	}
	var wg sync.WaitGroup
	done := func() bool { return run.Err() != nil || stop(r) }
	for w := range 4 {
		conn := tc.connect(t)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for !done() {
				a, b := rng.IntN(bankAccounts), rng.IntN(bankAccounts)
				if a == b {
					continue
				}
				// Debit and credit in id order: the nodes cannot see a
				// deadlock that spans two of them.
				lo, hi, amount := min(a, b), max(a, b), int64(rng.IntN(50)+1)
				if lo != a {
					amount = -amount
				}
				err := bankTransfer(ctx, conn, lo, hi, amount)
				if err == nil {
					r.transfers.Add(1)
					continue
				}
				if retryable(err) {
					continue
				}
				t.Errorf("transfer %d -> %d: %v", lo, hi, err)
				return
			}
		})
	}
	for range 3 {
		conn := tc.connect(t)
		wg.Go(func() {
			for !done() {
				sum, err := sumBalances(ctx, conn)
				if err != nil {
					if retryable(err) {
						continue
					}
					t.Errorf("reader: %v", err)
					return
				}
				r.reads.Add(1)
				if sum != bankTotal {
					r.firstTorn.CompareAndSwap(0, sum)
					r.torn.Add(1)
				}
			}
		})
	}
	wg.Wait()
	// Whatever the readers saw, nothing was lost.
	if got := total(); got != bankTotal {
		t.Fatalf("final total %d", got)
	}
	t.Logf("%d transfers, %d reads, %d torn (first: %d), %d retries", r.transfers.Load(), r.reads.Load(), r.torn.Load(), r.firstTorn.Load(), r.retries.Load())
	return r
}

// bankTransfer moves amount from account lo to account hi.
func bankTransfer(ctx context.Context, c *pgx.Conn, lo, hi int, amount int64) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, "UPDATE accounts SET bal = bal - $1 WHERE id = $2", amount, lo); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE accounts SET bal = bal + $1 WHERE id = $2", amount, hi); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// sumBalances sums every balance in a REPEATABLE READ transaction, twice:
// the second sum must repeat the first.
func sumBalances(ctx context.Context, c *pgx.Conn) (int64, error) {
	tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	var first, second int64
	if err := tx.QueryRow(ctx, "SELECT sum(bal) FROM accounts").Scan(&first); err != nil {
		return 0, err
	}
	if err := tx.QueryRow(ctx, "SELECT sum(bal) FROM accounts").Scan(&second); err != nil {
		return 0, err
	}
	if first != second {
		return 0, fmt.Errorf("REPEATABLE READ summed %d and then %d", first, second)
	}
	return first, tx.Commit(ctx)
}

// TestClusterSnapshotConsistentCut: with cluster snapshots, REPEATABLE
// READ readers summing every account while transfers run across nodes
// always see the total; with each node's own snapshot (the option that
// turns cluster snapshots off), the same workload shows them a transfer
// on one node and not on the other, which proves the check can fail.
func TestClusterSnapshotConsistentCut(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency test")
	}
	t.Run("cluster snapshots", func(t *testing.T) {
		tc := startCluster(t, 3, &Options{Shards: 8})
		r := runBank(t, tc, 6*time.Second, func(*bankRun) bool { return false })
		if n := r.torn.Load(); n != 0 {
			t.Errorf("%d of %d REPEATABLE READ sums missed the total (one was %d)", n, r.reads.Load(), r.firstTorn.Load())
		}
		if r.reads.Load() < 50 || r.transfers.Load() < 50 {
			t.Errorf("too little ran to tell: %d reads, %d transfers", r.reads.Load(), r.transfers.Load())
		}
	})
	t.Run("per-node snapshots", func(t *testing.T) {
		tc := startCluster(t, 3, &Options{Shards: 8, PerNodeSnapshots: true})
		r := runBank(t, tc, 30*time.Second, func(r *bankRun) bool { return r.torn.Load() > 0 })
		if r.torn.Load() == 0 {
			t.Errorf("per-node snapshots: no torn sum in %d reads over %d transfers; the test cannot tell consistent cuts from torn ones", r.reads.Load(), r.transfers.Load())
		}
	})
}

// TestClusterSnapshotWhen: which transactions take a cluster snapshot
// (a timestamp from the oracle when they first reach a node).
func TestClusterSnapshotWhen(t *testing.T) {
	tc := startCluster(t, 2, &Options{Shards: 4})
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE kv (k int8 PRIMARY KEY, v int8)")
	mustExec(t, c, "SELECT create_distributed_table('kv', 'k')")
	issued := func() uint64 {
		o := tc.coord.oracle
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.next
	}
	tests := []struct {
		setup, begin string
		want         bool
	}{
		{"RESET default_transaction_isolation", "BEGIN", false},
		{"RESET default_transaction_isolation", "BEGIN ISOLATION LEVEL REPEATABLE READ", true},
		{"RESET default_transaction_isolation", "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", true},
		{"RESET default_transaction_isolation", "BEGIN ISOLATION LEVEL SERIALIZABLE", false},
		{"SET default_transaction_isolation = 'repeatable read'", "BEGIN", true},
		{"SET default_transaction_isolation = 'repeatable read'", "BEGIN ISOLATION LEVEL READ COMMITTED", false},
	}
	for _, tt := range tests {
		mustExec(t, c, tt.setup)
		before := issued()
		mustExec(t, c, tt.begin)
		queryStrings(t, c, "SELECT count(*) FROM kv")
		mustExec(t, c, "COMMIT")
		if got := issued() != before; got != tt.want {
			t.Errorf("%s; %s: cluster snapshot taken %v, want %v", tt.setup, tt.begin, got, tt.want)
		}
	}
}
