package shard

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// refusedAddr is a loopback address nothing listens on.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestNodeRetriesThenBreaks: a refused connection is retried with
// backoff (nothing was sent), each attempt counts against the breaker,
// and once it is open no attempt is made at all.
func TestNodeRetriesThenBreaks(t *testing.T) {
	for _, c := range []struct {
		retries   int
		wantDials int64
		failures  uint32
		wantOpen  bool
	}{
		{retries: 2, wantDials: 3, failures: 3, wantOpen: true},
		{retries: -1, wantDials: 1, failures: 3, wantOpen: false},
		{retries: 4, wantDials: 3, failures: 3, wantOpen: true}, // the breaker stops the retries
	} {
		t.Run(fmt.Sprintf("retries=%d", c.retries), func(t *testing.T) {
			var dials atomic.Int64
			var d net.Dialer
			opts := (&Options{
				Retries: c.retries, RetryInitial: time.Millisecond, BreakerFailures: c.failures, BreakerOpen: time.Minute,
				dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
					dials.Add(1)
					return d.DialContext(ctx, network, addr)
				},
			}).withDefaults()
			nc, err := newNodeConn(Node{ID: "gone", Addr: refusedAddr(t)}, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer nc.close()
			_, err = nc.acquire(context.Background(), nil)
			if got := pgerr.Code(err); got != codeConnectionFailure && got != codeUnableToConnect {
				t.Fatalf("acquire: %v (%s)", err, got)
			}
			if got := dials.Load(); got != c.wantDials {
				t.Errorf("%d connection attempts, want %d", got, c.wantDials)
			}
			if open := nc.BreakerState() == "open"; open != c.wantOpen {
				t.Fatalf("breaker %s", nc.BreakerState())
			}
			if !c.wantOpen {
				return
			}
			before := dials.Load()
			_, err = nc.acquire(context.Background(), nil)
			if pgerr.Code(err) != codeUnableToConnect {
				t.Errorf("with the breaker open: %v", err)
			}
			if dials.Load() != before {
				t.Errorf("an open breaker let a connection attempt through")
			}
		})
	}
}

// TestRecover: prepared transactions a coordinator left behind are
// committed when etcd holds their commit decision and rolled back when it
// does not; other applications' prepared transactions are left alone and
// decisions nobody waits for are forgotten.
func TestRecover(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 2, nil)
	n1 := tc.nodes[0].connect(t)
	mustExec(t, n1, "CREATE TABLE r (id int4)")
	for i, gid := range []string{gidPrefix + "dead_1", gidPrefix + "dead_2", "other_app"} {
		mustExec(t, n1, "BEGIN")
		mustExec(t, n1, fmt.Sprintf("INSERT INTO r VALUES (%d)", i+1))
		mustExec(t, n1, "PREPARE TRANSACTION '"+gid+"'")
	}
	if err := tc.store.RecordDecision(ctx, gidPrefix+"dead_1", Decision{Commit: true, Nodes: []string{"n1"}}); err != nil {
		t.Fatal(err)
	}
	if err := tc.store.RecordDecision(ctx, gidPrefix+"dead_9", Decision{Commit: true, Nodes: []string{"n2"}}); err != nil {
		t.Fatal(err)
	}
	if err := tc.coord.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	if got := queryStrings(t, n1, "SELECT id FROM r"); fmt.Sprint(got) != "[1]" {
		t.Errorf("rows after recovery: %v", got)
	}
	if got := queryStrings(t, n1, "SELECT gid FROM pg_prepared_xacts"); fmt.Sprint(got) != "[other_app]" {
		t.Errorf("prepared after recovery: %v", got)
	}
	if d, err := tc.store.Decisions(ctx); err != nil || len(d) != 0 {
		t.Errorf("decisions after recovery: %v %v", d, err)
	}
	mustExec(t, n1, "ROLLBACK PREPARED 'other_app'")
}

// TestTwoPhaseAtomic: when one node cannot prepare its part of a
// transaction that wrote on two nodes, neither part commits. (Committing
// node by node would keep the first node's row.)
func TestTwoPhaseAtomic(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 2, &Options{Shards: 8})
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE acct (id int8 PRIMARY KEY, balance int8)")
	mustExec(t, c, "SELECT create_distributed_table('acct', 'id')")
	tbl := tc.coord.Placement().Tables["acct"]
	a, b := keysOnTwoNodes(t, tbl)
	nodeB, _ := tbl.nodeOf(b)
	var direct *testNode
	for _, n := range tc.nodes {
		if n.id == nodeB {
			direct = n
		}
	}
	// Take the global id the coordinator will use next, on b's node.
	gid := fmt.Sprintf("%s%s_%d", gidPrefix, tc.coord.id, tc.coord.seq.Load()+1)
	dc := direct.connect(t)
	mustExec(t, dc, "BEGIN")
	mustExec(t, dc, "PREPARE TRANSACTION '"+gid+"'")

	mustExec(t, c, "BEGIN")
	mustExec(t, c, "INSERT INTO acct VALUES ($1, 100)", a)
	mustExec(t, c, "INSERT INTO acct VALUES ($1, 100)", b)
	if _, err := c.Exec(ctx, "COMMIT"); err == nil {
		t.Fatal("COMMIT succeeded though one node could not prepare")
	}
	mustExec(t, dc, "ROLLBACK PREPARED '"+gid+"'")
	if got := queryStrings(t, c, "SELECT count(*) FROM acct"); fmt.Sprint(got) != "[0]" {
		t.Errorf("rows after the failed commit: %v", got)
	}
	for _, n := range tc.nodes {
		if got := queryStrings(t, n.connect(t), "SELECT count(*) FROM pg_prepared_xacts"); fmt.Sprint(got) != "[0]" {
			t.Errorf("node %s has prepared transactions left: %v", n.id, got)
		}
	}
	// The next one commits on both.
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "INSERT INTO acct VALUES ($1, 100)", a)
	mustExec(t, c, "INSERT INTO acct VALUES ($1, 100)", b)
	mustExec(t, c, "COMMIT")
	if got := queryStrings(t, c, "SELECT count(*), min(balance) FROM acct"); fmt.Sprint(got) != "[2 100]" {
		t.Errorf("sum after the commit: %v", got)
	}
}

// TestRecoverBesideCommits: recovery running over and over while the
// coordinator commits transactions across two nodes leaves those commits
// alone (rolling back a part prepared but not yet decided would commit
// the transaction on one node only).
func TestRecoverBesideCommits(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 2, &Options{Shards: 8})
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE acct (id int8 PRIMARY KEY, balance int8)")
	mustExec(t, c, "SELECT create_distributed_table('acct', 'id')")
	a, b := keysOnTwoNodes(t, tc.coord.Placement().Tables["acct"])
	mustExec(t, c, "INSERT INTO acct VALUES ($1, 1000), ($2, 1000)", a, b)

	const writers, transfers = 4, 40
	done := make(chan struct{})
	var recoveries int
	recovered := make(chan error, 1)
	go func() {
		for {
			select {
			case <-done:
				recovered <- nil
				return
			default:
			}
			if err := tc.coord.Recover(ctx); err != nil {
				recovered <- err
				return
			}
			recoveries++
		}
	}()
	errs := make(chan error, writers)
	for range writers {
		go func() {
			wc := tc.connect(t)
			for i := 0; i < transfers; {
				err := func() error {
					if _, err := wc.Exec(ctx, "BEGIN"); err != nil {
						return err
					}
					if _, err := wc.Exec(ctx, "UPDATE acct SET balance = balance - 1 WHERE id = $1", a); err != nil {
						return err
					}
					if _, err := wc.Exec(ctx, "UPDATE acct SET balance = balance + 1 WHERE id = $1", b); err != nil {
						return err
					}
					_, err := wc.Exec(ctx, "COMMIT")
					return err
				}()
				switch code := pgerr.Code(err); {
				case err == nil:
					i++
				case code == "40001" || code == "40P01":
					wc.Exec(ctx, "ROLLBACK")
				default:
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	close(done)
	if err := <-recovered; err != nil {
		t.Fatalf("Recover: %v", err)
	}
	t.Logf("%d recoveries ran beside %d transfers", recoveries, writers*transfers)
	want := fmt.Sprintf("[%d %d]", 1000-writers*transfers, 1000+writers*transfers)
	if got := queryStrings(t, c, "SELECT min(balance), max(balance) FROM acct"); fmt.Sprint(got) != want {
		t.Errorf("balances %v, want %s", got, want)
	}
	for _, n := range tc.nodes {
		if got := queryStrings(t, n.connect(t), "SELECT count(*) FROM pg_prepared_xacts"); fmt.Sprint(got) != "[0]" {
			t.Errorf("node %s has prepared transactions left: %v", n.id, got)
		}
	}
	if d, err := tc.store.Decisions(ctx); err != nil || len(d) != 0 {
		t.Errorf("decisions left: %v %v", d, err)
	}
}
