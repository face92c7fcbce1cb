package shard

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgerr"
)

// loadAccounts creates accounts (distributed on id) and branches (a
// reference table) through the coordinator with n accounts of balance
// 100 each.
func loadAccounts(t *testing.T, c *pgx.Conn, n int) {
	t.Helper()
	mustExec(t, c, `CREATE TABLE accounts (id int8 PRIMARY KEY, branch int4 NOT NULL DEFAULT 1,
		balance int8 NOT NULL CHECK (balance > -1000000), note text)`)
	mustExec(t, c, "CREATE INDEX accounts_branch ON accounts (branch)")
	mustExec(t, c, "SELECT create_distributed_table('accounts', 'id')")
	mustExec(t, c, "CREATE TABLE branches (id int4 PRIMARY KEY, name text)")
	mustExec(t, c, "SELECT create_reference_table('branches')")
	mustExec(t, c, "INSERT INTO branches VALUES (1, 'one'), (2, 'two')")
	for lo := 1; lo <= n; lo += 200 {
		var vals []string
		for id := lo; id < lo+200 && id <= n; id++ {
			vals = append(vals, fmt.Sprintf("(%d, %d, 100, 'a\\tb %d')", id, id%2+1, id))
		}
		mustExec(t, c, "INSERT INTO accounts VALUES "+strings.Join(vals, ", "))
	}
}

// checkAccounts checks that every account 1..n is seen exactly once
// through the coordinator, the balances add up to total, each node holds
// exactly the rows of the shards the placement map gives it, the map is
// what the ring of members says, and no prepared transaction is left.
func checkAccounts(t *testing.T, tc *testClusterNodes, c *pgx.Conn, n int, total int64) {
	t.Helper()
	ids := queryStrings(t, c, "SELECT id FROM accounts")
	if len(ids) != n {
		t.Fatalf("%d accounts through the coordinator, want %d", len(ids), n)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("account %s seen twice", id)
		}
		seen[id] = true
	}
	var sum int64
	if err := c.QueryRow(context.Background(), "SELECT sum(balance) FROM accounts").Scan(&sum); err != nil {
		t.Fatal(err)
	}
	if sum != total {
		t.Fatalf("balances add up to %d, want %d", sum, total)
	}
	p := tc.coord.Placement()
	tab := p.Tables["accounts"]
	ring := NewRing(0, tc.coord.nodeIDs()...)
	if want := ring.Place(len(tab.Shards)); !slices.Equal(tab.Shards, want) {
		t.Fatalf("placement %v, ring says %v", tab.Shards, want)
	}
	want := map[string]int{}
	for id := 1; id <= n; id++ {
		node, err := tab.nodeOf(int64(id))
		if err != nil {
			t.Fatal(err)
		}
		want[node]++
	}
	for _, node := range tc.members() {
		nc := node.connect(t)
		var got int
		if err := nc.QueryRow(context.Background(), "SELECT count(*) FROM accounts").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want[node.id] {
			t.Errorf("node %s holds %d accounts, its shards have %d", node.id, got, want[node.id])
		}
		if got := queryStrings(t, nc, "SELECT count(*) FROM branches"); fmt.Sprint(got) != "[2]" {
			t.Errorf("node %s has %v branches", node.id, got)
		}
		if got := queryStrings(t, nc, "SELECT gid FROM pg_prepared_xacts"); len(got) > 0 {
			t.Errorf("node %s has prepared transactions %v", node.id, got)
		}
	}
}

// testClusterNodes is a test cluster with nodes that join and leave.
type testClusterNodes struct {
	*testCluster
	all []*testNode
}

func (tc *testClusterNodes) members() []*testNode {
	var out []*testNode
	for _, n := range tc.all {
		if slices.Contains(tc.coord.nodeIDs(), n.id) {
			out = append(out, n)
		}
	}
	return out
}

func hostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// TestRebalanceAddRemove: a fourth node added to a cluster with data gets
// its tables and the shards the ring gives it; a node removed gives its
// shards away; every row stays visible exactly once.
func TestRebalanceAddRemove(t *testing.T) {
	ctx := context.Background()
	tc := &testClusterNodes{testCluster: startCluster(t, 3, nil)}
	tc.all = tc.nodes
	c := tc.connect(t)
	const n = 1500
	loadAccounts(t, c, n)
	checkAccounts(t, tc, c, n, 100*n)
	// A text distribution column whose values COPY escapes.
	mustExec(t, c, "CREATE TABLE tags (name text PRIMARY KEY, n int4)")
	mustExec(t, c, "SELECT create_distributed_table('tags', 'name')")
	var tags []string
	for i := range 200 {
		tags = append(tags, fmt.Sprintf("tag %d\t\\ \n é %d", i, i%7))
	}
	for i, tag := range tags {
		mustExec(t, c, "INSERT INTO tags VALUES ($1, $2)", tag, i)
	}
	checkTags := func() {
		t.Helper()
		for i, tag := range tags {
			var got int
			if err := c.QueryRow(ctx, "SELECT n FROM tags WHERE name = $1", tag).Scan(&got); err != nil || got != i {
				t.Fatalf("tag %q: %d %v", tag, got, err)
			}
		}
		if got := queryStrings(t, c, "SELECT count(*) FROM tags"); fmt.Sprint(got) != "[200]" {
			t.Fatalf("tags: %v", got)
		}
	}

	n4 := startNode(t, "n4")
	tc.all = append(tc.all, n4)
	host, port := hostPort(t, n4.addr)
	var id string
	if err := c.QueryRow(ctx, "SELECT citus_add_node($1, $2)", host, port).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id != "n4" {
		t.Fatalf("new node's id %q", id)
	}
	checkAccounts(t, tc, c, n, 100*n)
	checkTags()
	var moved int
	for _, s := range tc.coord.Placement().Tables["accounts"].Shards {
		if s == "n4" {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("no shard moved to the new node")
	}
	// The copied definition keeps the constraints and index.
	n4c := n4.connect(t)
	if _, err := n4c.Exec(ctx, "INSERT INTO accounts VALUES (-1, 1, -2000000, NULL)"); sqlstate(err) != "23514" {
		t.Errorf("check constraint on the new node: %v", err)
	}
	if got := queryStrings(t, n4c, "SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' ORDER BY 1"); len(got) != 2 {
		t.Errorf("indexes on the new node: %v", got)
	}
	// Writes still go where the map says.
	mustExec(t, c, "UPDATE accounts SET balance = balance + 1 WHERE id = 7")
	mustExec(t, c, "UPDATE accounts SET balance = balance - 1 WHERE id = 8")
	if _, err := c.Exec(ctx, "SELECT citus_add_node($1, $2)", host, port); sqlstate(err) != "42710" {
		t.Errorf("adding a member again: %v", err)
	}

	host2, port2 := hostPort(t, tc.nodes[1].addr)
	mustExec(t, c, "SELECT citus_remove_node($1, $2)", host2, port2)
	if slices.Contains(tc.coord.nodeIDs(), "n2") {
		t.Fatal("n2 still a member")
	}
	checkAccounts(t, tc, c, n, 100*n)
	if got := queryStrings(t, tc.nodes[1].connect(t), "SELECT count(*) FROM accounts"); fmt.Sprint(got) != "[0]" {
		t.Errorf("removed node still holds %v accounts", got)
	}
	checkTags()
	host1, port1 := hostPort(t, tc.nodes[0].addr)
	if _, err := c.Exec(ctx, "SELECT citus_remove_node($1, $2)", host1, port1); sqlstate(err) != "0A000" {
		t.Errorf("removing the home node: %v", err)
	}
	if _, err := c.Exec(ctx, "SELECT citus_remove_node('127.0.0.1', 1)"); sqlstate(err) != "42704" {
		t.Errorf("removing no node: %v", err)
	}
	mustExec(t, c, "SELECT rebalance_table_shards()")
	checkAccounts(t, tc, c, n, 100*n)
}

// TestMoveInterrupted: a move stopped at each of its steps, as if the
// coordinator died there, loses and duplicates no row once Recover has
// run; a later rebalance finishes the job.
func TestMoveInterrupted(t *testing.T) {
	ctx := context.Background()
	tc := &testClusterNodes{testCluster: startCluster(t, 2, nil)}
	tc.all = tc.nodes
	c := tc.connect(t)
	const n = 600
	loadAccounts(t, c, n)
	n3 := startNode(t, "n3")
	tc.all = append(tc.all, n3)
	for _, step := range []string{stepCopied, stepPrepared, stepSwitched} {
		t.Run(step, func(t *testing.T) {
			before := slices.Clone(tc.coord.Placement().Tables["accounts"].Shards)
			tc.coord.testMoveHook = func(s string) error {
				if s == step {
					return errInjected
				}
				return nil
			}
			var err error
			if step == stepCopied {
				_, err = tc.coord.JoinNode(ctx, Node{ID: "n3", Addr: n3.addr})
			} else {
				_, err = tc.coord.Rebalance(ctx)
			}
			tc.coord.testMoveHook = nil
			if err == nil || !strings.Contains(err.Error(), errInjected.Error()) {
				t.Fatalf("move not stopped: %v", err)
			}
			if err := tc.coord.Recover(ctx); err != nil {
				t.Fatal(err)
			}
			after := tc.coord.Placement().Tables["accounts"].Shards
			changed := !slices.Equal(before, after)
			if changed != (step == stepSwitched) {
				t.Fatalf("placement changed: %v", changed)
			}
			ids := queryStrings(t, c, "SELECT id FROM accounts")
			if len(ids) != n {
				t.Fatalf("%d accounts after recovery, want %d", len(ids), n)
			}
			var sum int64
			if err := c.QueryRow(ctx, "SELECT sum(balance) FROM accounts").Scan(&sum); err != nil || sum != 100*n {
				t.Fatalf("sum %d %v", sum, err)
			}
		})
	}
	if _, err := tc.coord.Rebalance(ctx); err != nil {
		t.Fatal(err)
	}
	checkAccounts(t, tc, c, n, 100*n)
}

// TestMoveBank: transfers between accounts run while a node is added and
// another removed; the balances' total never changes, and every account
// is seen exactly once by each read during the moves.
func TestMoveBank(t *testing.T) {
	ctx := context.Background()
	tc := &testClusterNodes{testCluster: startCluster(t, 3, nil)}
	tc.all = tc.nodes
	c := tc.connect(t)
	const n = 400
	loadAccounts(t, c, n)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var transfers, failures, reads atomic.Int64
	var readErr atomic.Value
	for w := range 3 {
		wc := tc.connect(t)
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				a, b, x := r.IntN(n)+1, r.IntN(n)+1, r.IntN(50)
				err := transfer(ctx, wc, a, b, x)
				if err != nil {
					failures.Add(1)
					wc.Exec(ctx, "ROLLBACK")
					continue
				}
				transfers.Add(1)
			}
		})
	}
	rc := tc.connect(t)
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			var cnt int64
			if err := rc.QueryRow(ctx, "SELECT count(*) FROM accounts").Scan(&cnt); err != nil {
				readErr.Store(err.Error())
				return
			}
			if cnt != n {
				readErr.Store(fmt.Sprintf("count(*) = %d during the moves", cnt))
				return
			}
			reads.Add(1)
		}
	})
	time.Sleep(300 * time.Millisecond)
	n4 := startNode(t, "n4")
	tc.all = append(tc.all, n4)
	if _, err := tc.coord.JoinNode(ctx, Node{ID: "n4", Addr: n4.addr}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if err := tc.coord.LeaveNode(ctx, "n3"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	if e := readErr.Load(); e != nil {
		t.Fatal(e)
	}
	t.Logf("%d transfers, %d failed, %d reads", transfers.Load(), failures.Load(), reads.Load())
	if transfers.Load() == 0 {
		t.Fatal("no transfer went through")
	}
	checkAccounts(t, tc, c, n, 100*n)
}

// transfer moves x from account a to account b in one transaction.
func transfer(ctx context.Context, c *pgx.Conn, a, b, x int) error {
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		return err
	}
	if _, err := c.Exec(ctx, "UPDATE accounts SET balance = balance - $1 WHERE id = $2", x, a); err != nil {
		return err
	}
	if _, err := c.Exec(ctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", x, b); err != nil {
		return err
	}
	_, err := c.Exec(ctx, "COMMIT")
	return err
}

// TestMoveWaitsForTransactions: a move waits for the transactions in
// progress, and gives up (55P03, nothing moved) on one left open; a node
// that already has the cluster's tables is refused; a table with serial,
// identity and generated columns is created alike on a new node.
func TestMoveWaitsForTransactions(t *testing.T) {
	ctx := context.Background()
	tc := &testClusterNodes{testCluster: startCluster(t, 2, &Options{MoveWait: 300 * time.Millisecond})}
	tc.all = tc.nodes
	c := tc.connect(t)
	const n = 300
	loadAccounts(t, c, n)
	mustExec(t, c, `CREATE TABLE events (id int8 NOT NULL, seq serial, twice int8 GENERATED ALWAYS AS (id * 2) STORED,
		k int4 GENERATED BY DEFAULT AS IDENTITY, at timestamptz DEFAULT '2020-01-01 00:00:00+00')`)
	mustExec(t, c, "SELECT create_distributed_table('events', 'id')")
	mustExec(t, c, "INSERT INTO events (id) VALUES (1), (2), (3), (4), (5), (6), (7), (8)")
	mustExec(t, c, "CREATE TABLE notes (id int4 PRIMARY KEY, body text)")
	mustExec(t, c, "INSERT INTO notes VALUES (1, 'kept on the home node')")
	mustExec(t, c, "CREATE VIEW note_bodies AS SELECT body FROM notes")

	open := tc.connect(t)
	mustExec(t, open, "BEGIN")
	mustExec(t, open, "UPDATE accounts SET balance = balance + 5 WHERE id = 1")
	n3 := startNode(t, "n3")
	tc.all = append(tc.all, n3)
	// While the join waits, catalog queries and reads of reference tables
	// go on; a read of a distributed table waits for the gate to open.
	other := tc.connect(t)
	start := time.Now()
	joined := make(chan error, 1)
	go func() {
		_, err := tc.coord.JoinNode(ctx, Node{ID: "n3", Addr: n3.addr})
		joined <- err
	}()
	time.Sleep(50 * time.Millisecond)
	qstart := time.Now()
	queryStrings(t, other, "SELECT count(*) FROM pg_class")
	queryStrings(t, other, "SELECT name FROM branches")
	if d := time.Since(qstart); d > 200*time.Millisecond {
		t.Errorf("home reads took %v while a join waited", d)
	}
	queryStrings(t, other, "SELECT count(*) FROM accounts")
	if d := time.Since(qstart); d < 150*time.Millisecond {
		t.Errorf("a read of accounts took %v while a join waited for 300ms", d)
	}
	err := <-joined
	if pgerr.Code(err) != "55P03" {
		t.Fatalf("join beside an open transaction: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v", d)
	}
	if slices.Contains(tc.coord.nodeIDs(), "n3") {
		t.Fatal("n3 became a member")
	}
	// The open transaction goes on and commits.
	mustExec(t, open, "UPDATE accounts SET balance = balance - 5 WHERE id = 2")
	mustExec(t, open, "COMMIT")

	// A transaction that ends while the move waits lets it through.
	mustExec(t, open, "BEGIN")
	mustExec(t, open, "UPDATE accounts SET balance = balance + 5 WHERE id = 3")
	go func() {
		time.Sleep(100 * time.Millisecond)
		open.Exec(ctx, "UPDATE accounts SET balance = balance - 5 WHERE id = 4")
		open.Exec(ctx, "COMMIT")
	}()
	if _, err := tc.coord.JoinNode(ctx, Node{ID: "n3", Addr: n3.addr}); err != nil {
		t.Fatal(err)
	}
	checkAccounts(t, tc, c, n, 100*n)
	got := queryStrings(t, c, "SELECT id, twice, at = '2020-01-01 00:00:00+00' FROM events ORDER BY id")
	if len(got) != 8 || got[7] != "8 16 true" {
		t.Errorf("events after the join: %v", got)
	}
	for i := int64(100); i < 140; i++ {
		mustExec(t, c, "INSERT INTO events (id) VALUES ($1)", i)
	}
	// twice of 1..8 and of 100..139: 72 + 9560.
	var cnt, sum int64
	if err := c.QueryRow(ctx, "SELECT count(*), sum(twice) FROM events").Scan(&cnt, &sum); err != nil || cnt != 48 || sum != 9632 {
		t.Errorf("events after inserts on every node: %d rows, twice adds up to %d (%v)", cnt, sum, err)
	}

	// The table that is not distributed and the view are on the new node
	// too, so DDL for every node finds them.
	mustExec(t, c, "DROP VIEW note_bodies")
	mustExec(t, c, "ALTER TABLE notes ADD COLUMN extra int4")
	if got := queryStrings(t, c, "SELECT id, body, extra FROM notes"); fmt.Sprint(got) != "[1 kept on the home node <nil>]" {
		t.Errorf("notes: %v", got)
	}

	// n4 already has the tables.
	n4 := startNode(t, "n4")
	mustExec(t, n4.connect(t), "CREATE TABLE branches (id int4)")
	if _, err := tc.coord.JoinNode(ctx, Node{ID: "n4", Addr: n4.addr}); pgerr.Code(err) != "42P07" {
		t.Errorf("joining a node that has a table already: %v", err)
	}
	if slices.Contains(tc.coord.nodeIDs(), "n4") {
		t.Fatal("n4 became a member")
	}
	if _, err := tc.coord.JoinNode(ctx, Node{ID: "a0", Addr: n4.addr}); pgerr.Code(err) != "0A000" {
		t.Errorf("joining a node named before the home node: %v", err)
	}
}

func TestNextNodeID(t *testing.T) {
	for _, tt := range []struct {
		ids  []string
		want string
	}{
		{nil, "node-1"},
		{[]string{"node-1", "node-2", "node-3"}, "node-4"},
		{[]string{"node-1", "node-10", "node-2"}, "node-11"},
		{[]string{"n1", "n3"}, "n4"},
		{[]string{"alpha", "beta"}, "node-1"},
	} {
		if got := nextNodeID(tt.ids); got != tt.want {
			t.Errorf("nextNodeID(%v) = %s, want %s", tt.ids, got, tt.want)
		}
	}
}
