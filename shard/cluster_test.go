package shard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/pgwire"
	"github.com/cairndb/cairn/sql/types"
)

// testNode is a cairn server in this process, as a cluster node.
type testNode struct {
	id   string
	addr string
	db   *cairn.DB
	stop context.CancelFunc
	done chan error
}

func startNode(t *testing.T, id string) *testNode {
	t.Helper()
	db, err := cairn.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := &testNode{id: id, addr: ln.Addr().String(), db: db, stop: cancel, done: make(chan error, 1)}
	go func() { n.done <- db.Serve(ctx, ln, &cairn.ServeOptions{ShutdownTimeout: time.Second}) }()
	t.Cleanup(n.kill)
	return n
}

// kill stops serving and closes the database (idempotent).
func (n *testNode) kill() {
	if n.stop == nil {
		return
	}
	n.stop()
	<-n.done
	n.db.Close()
	n.stop = nil
}

func (n *testNode) connect(t *testing.T) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), "postgres://postgres@"+n.addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

type testCluster struct {
	store *Store
	coord *Coordinator
	nodes []*testNode
	addr  string
}

func startCluster(t *testing.T, n int, opts *Options) *testCluster {
	t.Helper()
	ctx := context.Background()
	tc := &testCluster{store: startEtcd(t)}
	var err error
	tc.coord, err = NewCoordinator(ctx, tc.store, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.coord.Close)
	for i := range n {
		node := startNode(t, fmt.Sprintf("n%d", i+1))
		tc.nodes = append(tc.nodes, node)
		if err := tc.coord.AddNode(ctx, Node{ID: node.id, Addr: node.addr}); err != nil {
			t.Fatal(err)
		}
	}
	srv := pgwire.NewServer(pgwire.EngineFunc(func(user, database string, startup map[string]string) (pgwire.Session, error) {
		s, err := tc.coord.NewSession(user, database, startup)
		if err != nil {
			return nil, err
		}
		return s, nil
	}), pgwire.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tc.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	})
	return tc
}

func (tc *testCluster) connect(t *testing.T) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), "postgres://postgres@"+tc.addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func mustExec(t *testing.T, c *pgx.Conn, q string, args ...any) pgconn.CommandTag {
	t.Helper()
	tag, err := c.Exec(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return tag
}

func queryStrings(t *testing.T, c *pgx.Conn, q string, args ...any) []string {
	t.Helper()
	rows, err := c.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Trim(fmt.Sprint(vals), "[]"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestCluster: a distributed table's rows go to the nodes the ring says,
// single-shard statements and fan-out queries answer right, writes on
// several nodes commit with two-phase commit and leave nothing prepared.
func TestCluster(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 3, &Options{Shards: 16})
	c := tc.connect(t)

	mustExec(t, c, "CREATE TABLE kv (id int8 PRIMARY KEY, v text, n int4)")
	if got := queryStrings(t, c, "SELECT create_distributed_table('kv', 'id')"); len(got) != 1 {
		t.Fatalf("create_distributed_table returned %v", got)
	}
	tbl := tc.coord.Placement().Tables["kv"]
	if tbl == nil || len(tbl.Shards) != 16 || tbl.Column != "id" || tbl.TypeOID != uint32(types.Int8) {
		t.Fatalf("placement %+v", tbl)
	}
	if want := NewRing(0, "n1", "n2", "n3").Place(16); fmt.Sprint(tbl.Shards) != fmt.Sprint(want) {
		t.Fatalf("shards placed on %v, the ring says %v", tbl.Shards, want)
	}
	if stored, err := tc.store.Placement(ctx); err != nil || stored.Version != tc.coord.Placement().Version || stored.Tables["kv"] == nil {
		t.Fatalf("placement in etcd %+v %v", stored, err)
	}

	// Rows 1..100 in one multi-row INSERT (split between the nodes),
	// 101..150 one by one with parameters (extended protocol).
	var vals []string
	for i := 1; i <= 100; i++ {
		vals = append(vals, fmt.Sprintf("(%d, 'v%d', %d)", i, i, i%5))
	}
	if tag := mustExec(t, c, "INSERT INTO kv VALUES "+strings.Join(vals, ", ")); tag.String() != "INSERT 0 100" {
		t.Fatalf("tag %q", tag)
	}
	for i := 101; i <= 150; i++ {
		mustExec(t, c, "INSERT INTO kv (n, id, v) VALUES ($1, $2, $3)", i%5, int64(i), fmt.Sprintf("v%d", i))
	}

	// Each row is on the node its shard is placed on, and only there.
	total := 0
	for _, n := range tc.nodes {
		direct := n.connect(t)
		ids := queryStrings(t, direct, "SELECT id FROM kv")
		if len(ids) == 0 {
			t.Errorf("node %s holds no rows", n.id)
		}
		total += len(ids)
		for _, s := range ids {
			var id int64
			fmt.Sscan(s, &id)
			want, err := tbl.nodeOf(id)
			if err != nil {
				t.Fatal(err)
			}
			if want != n.id {
				t.Errorf("row %d is on %s, its shard on %s", id, n.id, want)
			}
		}
	}
	if total != 150 {
		t.Fatalf("%d rows on the nodes, want 150", total)
	}

	// Single-shard statements, extended and simple protocol.
	if got := queryStrings(t, c, "SELECT v, n FROM kv WHERE id = $1", int64(42)); fmt.Sprint(got) != "[v42 2]" {
		t.Errorf("id = $1: %v", got)
	}
	if got := queryStrings(t, c, "SELECT v FROM kv WHERE n >= 0 AND id = 117", pgx.QueryExecModeSimpleProtocol); fmt.Sprint(got) != "[v117]" {
		t.Errorf("id = 117 (simple): %v", got)
	}
	if tag := mustExec(t, c, "UPDATE kv SET v = 'changed' WHERE id = $1", int64(7)); tag.String() != "UPDATE 1" {
		t.Errorf("single-shard update tag %q", tag)
	}

	// Fan-out queries.
	for _, q := range []struct{ sql, want string }{
		{"SELECT count(*), sum(n), min(id), max(id) FROM kv", "[150 300 1 150]"},
		{"SELECT id FROM kv ORDER BY id DESC LIMIT 3", "[150 149 148]"},
		{"SELECT id, v FROM kv WHERE id < 4 ORDER BY 1", "[1 v1 2 v2 3 v3]"},
		{"SELECT n, count(*) AS c, max(id) FROM kv GROUP BY n ORDER BY n", "[0 30 150 1 30 146 2 30 147 3 30 148 4 30 149]"},
		{"SELECT DISTINCT n FROM kv ORDER BY n DESC", "[4 3 2 1 0]"},
		{"SELECT count(*) FROM kv WHERE v = 'changed'", "[1]"},
	} {
		if got := queryStrings(t, c, q.sql); fmt.Sprint(got) != q.want {
			t.Errorf("%s: got %v, want %s", q.sql, got, q.want)
		}
	}
	if _, err := c.Exec(ctx, "SELECT avg(n) FROM kv"); sqlstate(err) != "0A000" {
		t.Errorf("avg across nodes: %v, want 0A000", err)
	}

	// A write on every node commits with two-phase commit.
	if tag := mustExec(t, c, "UPDATE kv SET n = n + 10 WHERE n = 3"); tag.String() != "UPDATE 30" {
		t.Errorf("fan-out update tag %q", tag)
	}
	// An explicit transaction writing on two nodes.
	a, b := keysOnTwoNodes(t, tbl)
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "INSERT INTO kv VALUES ($1, 'a', 0)", a)
	mustExec(t, c, "INSERT INTO kv VALUES ($1, 'b', 0)", b)
	mustExec(t, c, "COMMIT")
	// One that rolls back leaves nothing.
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "DELETE FROM kv WHERE id = $1", a)
	mustExec(t, c, "DELETE FROM kv WHERE id = $1", b)
	mustExec(t, c, "ROLLBACK")
	if got := queryStrings(t, c, "SELECT count(*) FROM kv WHERE v IN ('a', 'b')"); fmt.Sprint(got) != "[2]" {
		t.Errorf("after the distributed commit and rollback: %v", got)
	}
	for _, n := range tc.nodes {
		if got := queryStrings(t, n.connect(t), "SELECT count(*) FROM pg_prepared_xacts"); fmt.Sprint(got) != "[0]" {
			t.Errorf("node %s has prepared transactions left: %v", n.id, got)
		}
	}
	if d, err := tc.store.Decisions(ctx); err != nil || len(d) != 0 {
		t.Errorf("decisions left in etcd: %v %v", d, err)
	}

	// A string of statements is one transaction: all or nothing.
	sp := pgx.QueryExecModeSimpleProtocol
	ma, mb := keysOnTwoNodesFrom(t, tbl, 5000)
	multi := fmt.Sprintf("INSERT INTO kv VALUES (%d, 'm', 0); INSERT INTO kv VALUES (%d, 'm', 0)", ma, mb)
	if _, err := c.Exec(ctx, multi+"; SELECT 1/0", sp); sqlstate(err) != "22012" {
		t.Errorf("failing string: %v", err)
	}
	if got := queryStrings(t, c, "SELECT count(*) FROM kv WHERE v = 'm'"); fmt.Sprint(got) != "[0]" {
		t.Errorf("a failed string of statements left %v rows", got)
	}
	mustExec(t, c, multi, sp)
	if got := queryStrings(t, c, "SELECT count(*) FROM kv WHERE v = 'm'"); fmt.Sprint(got) != "[2]" {
		t.Errorf("a string of statements left %v rows", got)
	}

	// A reference table is on every node.
	mustExec(t, c, "CREATE TABLE colours (k int4, name text); SELECT create_reference_table('colours')", sp)
	mustExec(t, c, "INSERT INTO colours VALUES (1, 'red'), (2, 'green')")
	for _, n := range tc.nodes {
		if got := queryStrings(t, n.connect(t), "SELECT name FROM colours ORDER BY k"); fmt.Sprint(got) != "[red green]" {
			t.Errorf("node %s: reference table holds %v", n.id, got)
		}
	}
	if got := queryStrings(t, c, "SELECT count(*) FROM colours"); fmt.Sprint(got) != "[2]" {
		t.Errorf("reference table read: %v", got)
	}

	// Errors of the nodes reach the client with their SQLSTATE.
	if _, err := c.Exec(ctx, "INSERT INTO kv VALUES (1, 'dup', 0)"); sqlstate(err) != "23505" {
		t.Errorf("duplicate key: %v", err)
	}
	if _, err := c.Exec(ctx, "INSERT INTO kv VALUES (NULL, 'x', 0)"); sqlstate(err) != "23502" {
		t.Errorf("NULL distribution value: %v", err)
	}
	if _, err := c.Exec(ctx, "SELECT create_distributed_table('kv', 'id')"); sqlstate(err) != "55000" {
		t.Errorf("distributing twice: %v", err)
	}
	if _, err := c.Exec(ctx, "SELECT create_distributed_table('nosuch', 'id')"); sqlstate(err) != "42P01" {
		t.Errorf("no such table: %v", err)
	}
	// A local table or a view beside a distributed one would answer from
	// one node's part.
	mustExec(t, c, "CREATE TABLE plain (id int8)")
	if _, err := c.Exec(ctx, "SELECT * FROM kv JOIN plain USING (id)"); sqlstate(err) != "0A000" {
		t.Errorf("join with a local table: %v", err)
	}
	if _, err := c.Exec(ctx, "CREATE VIEW kv_view AS SELECT * FROM kv"); sqlstate(err) != "0A000" {
		t.Errorf("view over a distributed table: %v", err)
	}
	// ALTER TABLE keeps the distribution column where routing finds it.
	if _, err := c.Exec(ctx, "ALTER TABLE kv DROP COLUMN id"); sqlstate(err) != "0A000" {
		t.Errorf("dropping the distribution column: %v", err)
	}
	if _, err := c.Exec(ctx, "ALTER TABLE kv RENAME TO kv2"); sqlstate(err) != "0A000" {
		t.Errorf("renaming a distributed table: %v", err)
	}
	mustExec(t, c, "CREATE TABLE t2 (a text, k int8 PRIMARY KEY); SELECT create_distributed_table('t2', 'k')", sp)
	mustExec(t, c, "ALTER TABLE t2 DROP COLUMN a")
	mustExec(t, c, "INSERT INTO t2 VALUES (5), (6), (7), (8)")
	t2 := tc.coord.Placement().Tables["t2"]
	for _, n := range tc.nodes {
		for _, s := range queryStrings(t, n.connect(t), "SELECT k FROM t2") {
			var k int64
			fmt.Sscan(s, &k)
			if want, _ := t2.nodeOf(k); want != n.id {
				t.Errorf("t2 row %d is on %s, its shard on %s", k, n.id, want)
			}
		}
	}
	if got := queryStrings(t, c, "SELECT k FROM t2 ORDER BY k"); fmt.Sprint(got) != "[5 6 7 8]" {
		t.Errorf("t2 after ALTER: %v", got)
	}

	mustExec(t, c, "DROP TABLE colours")
	if tc.coord.Placement().Tables["colours"] != nil {
		t.Error("dropped table still placed")
	}
}

// keysOnTwoNodes returns two keys of t whose shards are on different
// nodes.
func keysOnTwoNodes(t *testing.T, tbl *Table) (int64, int64) {
	return keysOnTwoNodesFrom(t, tbl, 1000)
}

func keysOnTwoNodesFrom(t *testing.T, tbl *Table, start int64) (int64, int64) {
	t.Helper()
	first, err := tbl.nodeOf(start)
	if err != nil {
		t.Fatal(err)
	}
	for k := start + 1; k < start+1000; k++ {
		if n, _ := tbl.nodeOf(k); n != first {
			return start, k
		}
	}
	t.Fatal("every key on one node")
	return 0, 0
}

// TestClusterNodeDown: a node that stops answering fails the statements
// that need it with a clear error at once, opens its circuit breaker,
// and leaves the statements on other nodes working.
func TestClusterNodeDown(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 3, &Options{Shards: 16, BreakerOpen: time.Minute, RetryInitial: 5 * time.Millisecond})
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE kv (id int8 PRIMARY KEY, v text)")
	mustExec(t, c, "SELECT create_distributed_table('kv', 'id')")
	tbl := tc.coord.Placement().Tables["kv"]
	keyOn := map[string]int64{}
	for k := int64(1); len(keyOn) < 3; k++ {
		n, _ := tbl.nodeOf(k)
		if _, ok := keyOn[n]; !ok {
			keyOn[n] = k
			mustExec(t, c, "INSERT INTO kv VALUES ($1, 'x')", k)
		}
	}
	// The first node of the table is the one statements are described
	// on while it is up.
	victim := tc.nodes[0]
	if tableNodes(tbl)[0] != victim.id {
		t.Fatalf("the table's first node is %s", tableNodes(tbl)[0])
	}
	victim.kill()

	for i := range 3 {
		start := time.Now()
		_, err := c.Exec(ctx, "SELECT v FROM kv WHERE id = $1", keyOn[victim.id])
		if err == nil {
			t.Fatalf("try %d: a query on a dead node succeeded", i)
		}
		if code := sqlstate(err); code != codeConnectionFailure && code != codeUnableToConnect {
			t.Fatalf("try %d: %v (SQLSTATE %s)", i, err, code)
		}
		if !strings.Contains(err.Error(), victim.id) {
			t.Errorf("try %d: the error does not name the node: %v", i, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("try %d: failing took %v", i, d)
		}
	}
	if st := tc.coord.BreakerState(victim.id); st != "open" {
		t.Fatalf("breaker of the dead node is %s", st)
	}
	_, err := c.Exec(ctx, "SELECT v FROM kv WHERE id = $1", keyOn[victim.id])
	if sqlstate(err) != codeUnableToConnect || !strings.Contains(err.Error(), "circuit breaker open") {
		t.Errorf("with the breaker open: %v", err)
	}
	// The other nodes' shards still answer; a fan-out needs every node.
	for id, k := range keyOn {
		if id == victim.id {
			continue
		}
		if got := queryStrings(t, c, "SELECT v FROM kv WHERE id = $1", k); fmt.Sprint(got) != "[x]" {
			t.Errorf("key %d on live node %s: %v", k, id, got)
		}
	}
	// A statement prepared after the node went down is described by
	// another node of the table.
	for id, k := range keyOn {
		if id == victim.id {
			continue
		}
		if got := queryStrings(t, c, "SELECT v, id FROM kv WHERE id = $1 AND v IS NOT NULL", k); fmt.Sprint(got) != fmt.Sprintf("[x %d]", k) {
			t.Errorf("new statement for key %d on live node %s: %v", k, id, got)
		}
	}
	if _, err := c.Exec(ctx, "SELECT count(*) FROM kv"); sqlstate(err) != codeUnableToConnect {
		t.Errorf("fan-out with a node down: %v", err)
	}
	if st := tc.coord.BreakerState(tc.nodes[1].id); st != "closed" {
		t.Errorf("breaker of a live node is %s", st)
	}
	if err := tc.coord.CheckHealth(ctx, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	h, err := tc.store.Health(ctx)
	if err != nil || h[victim.id].Up || !h[tc.nodes[1].id].Up {
		t.Errorf("health %v %v", h, err)
	}
}
