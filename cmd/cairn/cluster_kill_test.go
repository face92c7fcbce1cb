package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/shard"
)

// coordinatorProc is a running cairn coordinator process.
type coordinatorProc struct {
	cmd *exec.Cmd
	url string
}

// startCoordinator runs `cairn coordinator` on port for the nodes, with
// the cluster's state in etcd, and waits until it serves clients (it has
// recovered the prepared transactions a crash left by then). Its log goes
// to logFile.
func startCoordinator(t *testing.T, port int, etcd string, nodes []string, logFile *os.File) *coordinatorProc {
	t.Helper()
	cmd := exec.Command(binary, "coordinator", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--etcd", etcd, "--node", strings.Join(nodes, ","))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "cairn coordinator on") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the coordinator did not start within 30s")
	}
	p := &coordinatorProc{cmd: cmd, url: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	})
	return p
}

func (p *coordinatorProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
}

// TestClusterBankKill moves money between accounts distributed over three
// cairn nodes (processes with data directories) through a coordinator
// process, while nodes and the coordinator are killed with SIGKILL and
// restarted. Every transfer touching two nodes commits with two-phase
// commit, its decision in etcd (run in the test process, as an external
// etcd would be). Afterwards the total is what it was, and once the
// coordinator's recovery has run no transaction is left prepared on any
// node.
func TestClusterBankKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a cluster's processes")
	}
	const (
		accounts = 30
		initial  = 100
		writers  = 4
	)
	seed := testSeed(t)
	e, err := shard.StartEtcd(t.TempDir(), "127.0.0.1:0", "127.0.0.1:0", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	etcd := strings.Join(e.Endpoints(), ",")

	logFile, err := os.Create(filepath.Join(t.TempDir(), "coordinator.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			if b, err := os.ReadFile(logFile.Name()); err == nil {
				t.Logf("coordinator log:\n%s", b)
			}
		}
	})

	type nodeProc struct {
		id, dir string
		port    int
		srv     *server
	}
	var nodes []*nodeProc
	var members []string
	for i := range 3 {
		n := &nodeProc{id: fmt.Sprintf("node-%d", i+1), dir: t.TempDir(), port: freePort(t)}
		n.srv = startServerPort(t, n.port, n.dir)
		nodes = append(nodes, n)
		members = append(members, fmt.Sprintf("%s=127.0.0.1:%d", n.id, n.port))
	}
	coordPort := freePort(t)
	var coordMu sync.Mutex
	coord := startCoordinator(t, coordPort, etcd, members, logFile)
	coordURL := coord.url

	ctx := context.Background()
	c, err := pgx.Connect(ctx, coordURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE accounts (id int4 PRIMARY KEY, balance int8 NOT NULL)",
		"SELECT create_distributed_table('accounts', 'id')",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var data strings.Builder
	for i := 1; i <= accounts; i++ {
		fmt.Fprintf(&data, "%d\t%d\n", i, initial)
	}
	if tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(data.String()), "COPY accounts FROM STDIN"); err != nil || tag.RowsAffected() != accounts {
		t.Fatalf("COPY: %v %v", tag, err)
	}
	c.Close(ctx)
	nodeCount := func(n *nodeProc, q string) (int64, error) {
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		nc, err := pgx.Connect(qctx, n.srv.url)
		if err != nil {
			return 0, err
		}
		defer nc.Close(ctx)
		var v int64
		err = nc.QueryRow(qctx, q).Scan(&v)
		return v, err
	}
	for _, n := range nodes {
		if v, err := nodeCount(n, "SELECT count(*) FROM accounts"); err != nil || v == 0 {
			t.Fatalf("node %s holds %d accounts (%v): they must be spread over every node", n.id, v, err)
		}
	}

	// Transfers: each updates two accounts, the lower id first (so that
	// two transfers never wait for each other across nodes, which no
	// node could see as a deadlock).
	var committed, failed, unknown atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			var conn *pgx.Conn
			defer func() {
				if conn != nil {
					conn.Close(context.Background())
				}
			}()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if conn == nil {
					coordMu.Lock()
					url := coordURL
					coordMu.Unlock()
					dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
					conn, err = pgx.Connect(dctx, url)
					cancel()
					if err != nil {
						conn = nil
						time.Sleep(50 * time.Millisecond)
						continue
					}
				}
				a, b := int32(rng.IntN(accounts)+1), int32(rng.IntN(accounts-1)+1)
				if b >= a {
					b++
				}
				amount := int64(rng.IntN(10) + 1)
				lo, hi, dlo := a, b, -amount
				if lo > hi {
					lo, hi, dlo = b, a, amount
				}
				tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				atCommit := false
				err := func() error {
					if _, err := conn.Exec(tctx, "BEGIN"); err != nil {
						return err
					}
					for _, u := range []struct {
						id    int32
						delta int64
					}{{lo, dlo}, {hi, -dlo}} {
						tag, err := conn.Exec(tctx, "UPDATE accounts SET balance = balance + $1 WHERE id = $2", u.delta, u.id)
						if err != nil {
							return err
						}
						if tag.RowsAffected() != 1 {
							return fmt.Errorf("UPDATE of account %d affected %d rows", u.id, tag.RowsAffected())
						}
					}
					atCommit = true
					_, err := conn.Exec(tctx, "COMMIT")
					return err
				}()
				cancel()
				switch {
				case err == nil:
					committed.Add(1)
				case atCommit && sqlState(err) != "" && sqlState(err)[:2] != "08":
					// The commit was refused: nothing happened.
					failed.Add(1)
				case atCommit:
					// Lost with the coordinator, or 08007: committed or
					// not, the total is kept either way.
					unknown.Add(1)
				default:
					failed.Add(1)
				}
				if err != nil {
					if strings.Contains(err.Error(), "affected") {
						t.Errorf("writer %d: %v", w, err)
					}
					conn.Close(context.Background())
					conn = nil
					// A node's open circuit breaker fails transfers at
					// once: do not spin.
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	progress := func(what string, n int64) {
		t.Helper()
		target := committed.Load() + n
		awaitProgress(t, what, func() bool { return committed.Load() >= target })
	}
	killNode := func(n *nodeProc) {
		t.Helper()
		n.srv.kill(t)
		time.Sleep(300 * time.Millisecond)
		n.srv = startServerPort(t, n.port, n.dir)
	}
	restartCoordinator := func() {
		t.Helper()
		coordMu.Lock()
		defer coordMu.Unlock()
		coord.kill(t)
		coord = startCoordinator(t, coordPort, etcd, members, logFile)
	}

	// admin runs a node-management function through the coordinator,
	// again while it fails for a reason that passes (a node's breaker
	// open after a kill, writers' transactions holding a move back).
	admin := func(q string, args ...any) {
		t.Helper()
		deadline := time.Now().Add(40 * time.Second)
		for {
			coordMu.Lock()
			url := coordURL
			coordMu.Unlock()
			actx, cancel := context.WithTimeout(ctx, 30*time.Second)
			ac, err := pgx.Connect(actx, url)
			if err == nil {
				_, err = ac.Exec(actx, q, args...)
				ac.Close(ctx)
			}
			cancel()
			if err == nil {
				return
			}
			if time.Now().After(deadline) || sqlState(err) == "22023" || sqlState(err) == "42883" {
				t.Fatalf("%s: %v", q, err)
			}
			t.Logf("%s: %v (trying again)", q, err)
			time.Sleep(500 * time.Millisecond)
		}
	}

	progress("transfers before any kill", 50)
	joined := &nodeProc{id: "node-4", dir: t.TempDir(), port: freePort(t)}
	joined.srv = startServerPort(t, joined.port, joined.dir)
	admin("SELECT citus_add_node('127.0.0.1', $1::int4)", joined.port)
	nodes = append(nodes, joined)
	progress("transfers after node-4 joined", 50)
	killNode(nodes[1])
	progress("transfers after node-2 was killed and restarted", 50)
	restartCoordinator()
	progress("transfers after the coordinator was killed and restarted", 50)
	admin("SELECT citus_remove_node('127.0.0.1', $1::int4)", nodes[1].port)
	progress("transfers after node-2 was removed", 50)
	killNode(nodes[2])
	restartCoordinator()
	progress("transfers after node-3 and the coordinator were killed and restarted", 50)
	// The coordinator dies among the writers' commits; then a node, whose
	// prepared parts the running coordinator's recovery must finish.
	restartCoordinator()
	progress("transfers after the last restart of the coordinator", 50)
	killNode(nodes[0])
	progress("transfers after node-1 was killed and restarted", 20)
	close(stop)
	wg.Wait()
	t.Logf("transfers: %d committed, %d failed, %d of unknown outcome", committed.Load(), failed.Load(), unknown.Load())
	if b, err := os.ReadFile(logFile.Name()); err == nil {
		t.Logf("second phases left to recovery: %d", strings.Count(string(b), "COMMIT PREPARED failed"))
	}

	// The coordinator recovers every 5 s: wait until no node holds a
	// prepared transaction.
	deadline := time.Now().Add(20 * time.Second)
	for i, n := range nodes {
		if v, err := nodeCount(n, "SELECT count(*) FROM pg_prepared_xacts"); err == nil && v > 0 {
			t.Logf("node %s holds %d prepared transactions after the writers stopped", n.id, v)
		}
		for {
			v, err := nodeCount(n, "SELECT count(*) FROM pg_prepared_xacts")
			if err == nil && v == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node %d (%s) still holds %d prepared transactions (%v)", i+1, n.id, v, err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	c, err = pgx.Connect(ctx, coordURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n, sum int64
	if err := c.QueryRow(ctx, "SELECT count(*), sum(balance) FROM accounts").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != accounts || sum != accounts*initial {
		t.Errorf("%d accounts hold %d, want %d holding %d", n, sum, accounts, accounts*initial)
	}
	for _, node := range []*nodeProc{nodes[1], joined} {
		v, err := nodeCount(node, "SELECT count(*) FROM accounts")
		if err != nil {
			t.Fatal(err)
		}
		if node == joined && v == 0 || node != joined && v != 0 {
			t.Errorf("node %s holds %d accounts", node.id, v)
		}
	}
	var total int64
	for _, node := range nodes {
		v, err := nodeCount(node, "SELECT coalesce(sum(balance), 0)::int8 FROM accounts")
		if err != nil {
			t.Fatal(err)
		}
		total += v
	}
	if total != accounts*initial {
		t.Errorf("the nodes' parts add up to %d, want %d", total, accounts*initial)
	}
}
