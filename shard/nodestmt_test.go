package shard

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestNodeStatements runs statements with parameters on one node
// connection the way the coordinator does: each is prepared on the
// connection once and executed by name after that; DEALLOCATE and
// DISCARD ALL make the connection forget them, and the next execution
// prepares again under a new name.
func TestNodeStatements(t *testing.T) {
	n := startNode(t, "n1")
	pc := n.connect(t).PgConn()
	ctx := context.Background()
	int8Param := func(v int64) wireParams {
		return wireParams{values: [][]byte{[]byte(strconv.FormatInt(v, 10))}, oids: []uint32{uint32(types.Int8)}}
	}
	run := func(query string, w wireParams) string {
		t.Helper()
		res, err := exec(ctx, pc, query, w)
		if pe := (*pgerr.Error)(nil); errors.As(err, &pe) {
			return "error " + pe.Code
		}
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		out := ""
		for _, r := range res.Rows {
			out += fmt.Sprint(r...) + ";"
		}
		return out
	}
	prepared := func() int {
		ns, _ := pc.CustomData()[nodeStmtsKey].(*nodeStmts)
		if ns == nil {
			return 0
		}
		return len(ns.byKey)
	}
	run("CREATE TABLE kv (k int8 PRIMARY KEY, v int8)", wireParams{})
	run("INSERT INTO kv VALUES (1, 10), (2, 20), (3, 30)", wireParams{})
	if got := prepared(); got != 0 {
		t.Fatalf("statements without parameters were prepared: %d", got)
	}

	const point = "SELECT v FROM kv WHERE k = $1"
	steps := []struct {
		name     string
		query    string
		params   wireParams
		want     string
		prepared int
	}{
		{"first execution prepares", point, int8Param(1), "10;", 1},
		{"the next ones reuse it", point, int8Param(2), "20;", 1},
		{"a key with no row", point, int8Param(9), "", 1},
		{"the same text with other parameter types is another statement", point,
			wireParams{values: [][]byte{[]byte("3")}, oids: []uint32{uint32(types.Int4)}}, "30;", 2},
		{"prepared in a transaction", "BEGIN", wireParams{}, "", 2},
		{"prepared in a transaction", "SELECT k FROM kv WHERE v = $1", int8Param(20), "2;", 3},
		{"prepared in a transaction", "ROLLBACK", wireParams{}, "", 3},
		{"outlives its rollback", "SELECT k FROM kv WHERE v = $1", int8Param(30), "3;", 3},
		{"a star", "SELECT * FROM kv WHERE k = $1", int8Param(1), "1 10;", 4},
		{"a star", "ALTER TABLE kv ADD COLUMN w int8 DEFAULT 7", wireParams{}, "", 4},
		{"a star after the table changed: prepared again", "SELECT * FROM kv WHERE k = $1", int8Param(1), "1 10 7;", 4},
		{"in a transaction", "ALTER TABLE kv ADD COLUMN x int8 DEFAULT 8", wireParams{}, "", 4},
		{"in a transaction", "BEGIN", wireParams{}, "", 4},
		{"in a transaction the error stands, as for a client's own statement", "SELECT * FROM kv WHERE k = $1", int8Param(1),
			"error 0A000", 3},
		{"in a transaction", "ROLLBACK", wireParams{}, "", 3},
		{"and after it, prepared again", "SELECT * FROM kv WHERE k = $1", int8Param(1), "1 10 7 8;", 4},
		{"DEALLOCATE ALL forgets them", "DEALLOCATE ALL", wireParams{}, "", 0},
		{"prepared again under a new name", point, int8Param(3), "30;", 1},
		{"DISCARD ALL forgets them", "DISCARD ALL", wireParams{}, "", 0},
		{"and again", point, int8Param(1), "10;", 1},
	}
	for _, s := range steps {
		if got := run(s.query, s.params); got != s.want {
			t.Errorf("%s: %s returned %q, want %q", s.name, s.query, got, s.want)
		}
		if got := prepared(); got != s.prepared {
			t.Errorf("%s: %d statements prepared on the connection, want %d", s.name, got, s.prepared)
		}
	}

	// More distinct statements than a connection keeps: it deallocates
	// them all and starts again, every answer still right.
	for i := range nodeStmtsMax + 10 {
		q := fmt.Sprintf("SELECT $1::int8 + %d", i)
		if got, want := run(q, int8Param(1)), strconv.Itoa(i+1)+";"; got != want {
			t.Fatalf("%s returned %q, want %q", q, got, want)
		}
		if got := prepared(); got > nodeStmtsMax {
			t.Fatalf("%d statements prepared on the connection, at most %d wanted", got, nodeStmtsMax)
		}
	}
	if got := run(point, int8Param(2)); got != "20;" {
		t.Errorf("after the connection's statements were deallocated: %q, want \"20;\"", got)
	}
}

// TestCoordinatorPreparedAcrossDiscard runs a point query with a
// parameter through the coordinator before and after DISCARD ALL and
// DEALLOCATE ALL sent through it, which deallocate the statements the
// coordinator prepared on a node connection.
func TestCoordinatorPreparedAcrossDiscard(t *testing.T) {
	tc := startCluster(t, 2, nil)
	c := tc.connect(t)
	ctx := context.Background()
	mustExec(t, c, "CREATE TABLE kv (k int8 PRIMARY KEY, v int8)")
	mustExec(t, c, "SELECT create_distributed_table('kv', 'k')")
	for k := 1; k <= 20; k++ {
		mustExec(t, c, fmt.Sprintf("INSERT INTO kv VALUES (%d, %d)", k, k*10))
	}
	check := func(when string) {
		t.Helper()
		for k := int64(1); k <= 20; k++ {
			var v int64
			if err := c.QueryRow(ctx, "SELECT v FROM kv WHERE k = $1", pgx.QueryExecModeExec, k).Scan(&v); err != nil || v != k*10 {
				t.Fatalf("%s: key %d: %d, %v; want %d", when, k, v, err, k*10)
			}
		}
	}
	check("first")
	for _, q := range []string{"DISCARD ALL", "DEALLOCATE ALL"} {
		mustExec(t, c, q)
		check("after " + q)
	}
}
