package shard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestClusterCopy: COPY FROM STDIN through the coordinator sends each row
// of a distributed table to its shard's node, in one distributed
// transaction; every node gets a reference table's rows; COPY TO STDOUT
// reads them back; a failure anywhere leaves no row.
func TestClusterCopy(t *testing.T) {
	ctx := context.Background()
	tc := startCluster(t, 3, &Options{Shards: 16})
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE items (id int4 PRIMARY KEY, name text, qty int4 DEFAULT 7)")
	mustExec(t, c, "SELECT create_distributed_table('items', 'id')")
	mustExec(t, c, "CREATE TABLE kinds (k text PRIMARY KEY)")
	mustExec(t, c, "SELECT create_reference_table('kinds')")
	mustExec(t, c, "CREATE TABLE plain (v int4)")
	pc := c.PgConn()

	var lines strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&lines, "%d\tname\\t%d\t%d\n", i, i, i%5)
	}
	copyIn := func(sql, data string) (string, error) {
		tag, err := pc.CopyFrom(ctx, strings.NewReader(data), sql)
		return tag.String(), err
	}
	for _, step := range []struct {
		sql, data, want string
	}{
		{"COPY items FROM STDIN", lines.String(), "COPY 200"},
		// A column list without qty (its default fills it), CSV with a
		// header, a quoted newline and a last line without its newline.
		{"COPY items (name, id) FROM STDIN (FORMAT csv, HEADER)", "name,id\n\"two\nlines\",201\n\"x,y\",202", "COPY 2"},
		// \r\n line ends and the end-of-data marker.
		{"COPY items FROM STDIN", "203\tcr\t1\r\n204\tlf\t2\r\n\\.\r\n", "COPY 2"},
		{"COPY kinds FROM STDIN", "a\nb\nc\n", "COPY 3"},
		{"COPY plain FROM STDIN", "1\n2\n", "COPY 2"},
	} {
		got, err := copyIn(step.sql, step.data)
		if err != nil || got != step.want {
			t.Fatalf("%s: %q, %v; want %q", step.sql, got, err, step.want)
		}
	}
	if got := queryStrings(t, c, "SELECT count(*), sum(qty) FROM items"); fmt.Sprint(got) != "[204 417]" {
		t.Errorf("items: %v", got)
	}
	if got := queryStrings(t, c, "SELECT name, qty FROM items WHERE id = 201"); fmt.Sprint(got) != "[two\nlines 7]" {
		t.Errorf("row 201: %q", got)
	}
	if got := queryStrings(t, c, "SELECT name FROM items WHERE id = 7"); fmt.Sprint(got) != "[name\t7]" {
		t.Errorf("row 7: %q", got)
	}
	// Each row is on its shard's node, and only there.
	tbl := tc.coord.Placement().Tables["items"]
	for _, n := range tc.nodes {
		nc := n.connect(t)
		ids := queryStrings(t, nc, "SELECT id FROM items")
		if len(ids) == 0 {
			t.Errorf("node %s holds no row", n.id)
		}
		for _, id := range ids {
			var k int64
			fmt.Sscan(id, &k)
			if owner, _ := tbl.nodeOf(k); owner != n.id {
				t.Errorf("row %d is on node %s, its shard on %s", k, n.id, owner)
			}
		}
		if got := queryStrings(t, nc, "SELECT count(*) FROM kinds"); fmt.Sprint(got) != "[3]" {
			t.Errorf("node %s has %v rows of the reference table", n.id, got)
		}
	}

	// A generated column before the distribution column: COPY without a
	// column list does not read it, so the id is the second field.
	mustExec(t, c, "CREATE TABLE gen (a int4, twice int4 GENERATED ALWAYS AS (a * 2) STORED, id int4 PRIMARY KEY)")
	mustExec(t, c, "SELECT create_distributed_table('gen', 'id')")
	if got, err := copyIn("COPY gen FROM STDIN", "1\t10\n2\t20\n3\t30\n4\t40\n5\t50\n6\t60\n"); err != nil || got != "COPY 6" {
		t.Fatalf("COPY gen: %q %v", got, err)
	}
	gtbl := tc.coord.Placement().Tables["gen"]
	for _, n := range tc.nodes {
		for _, id := range queryStrings(t, n.connect(t), "SELECT id FROM gen") {
			var k int64
			fmt.Sscan(id, &k)
			if owner, _ := gtbl.nodeOf(k); owner != n.id {
				t.Errorf("gen row %d is on node %s, its shard on %s", k, n.id, owner)
			}
		}
	}
	if got := queryStrings(t, c, "SELECT sum(twice) FROM gen"); fmt.Sprint(got) != "[42]" {
		t.Errorf("gen: %v", got)
	}

	// Failures leave nothing: a duplicate key on one node, a NULL or
	// unreadable distribution value, a client that gives up.
	failing := []struct {
		sql, data, code string
	}{
		{"COPY items FROM STDIN", "500\ta\t1\n501\tb\t1\n1\tdup\t1\n", "23505"},
		{"COPY items FROM STDIN", "502\ta\t1\n\\N\tb\t1\n", "23502"},
		{"COPY items FROM STDIN", "503\ta\t1\nx\tb\t1\n", "22P02"},
		{"COPY items (name) FROM STDIN", "a\n", "23502"},
		{"COPY items FROM STDIN (FORMAT binary)", "PGCOPY\n", "22P04"},
		{"COPY nosuch FROM STDIN", "1\n", "42P01"},
	}
	for _, f := range failing {
		_, err := copyIn(f.sql, f.data)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != f.code {
			t.Errorf("%s with %q: %v, want %s", f.sql, f.data, err, f.code)
		}
	}
	_, err := pc.CopyFrom(ctx, io.MultiReader(strings.NewReader("600\ta\t1\n"), failingReader{}), "COPY items FROM STDIN")
	if err == nil {
		t.Error("a COPY the client failed succeeded")
	}
	if got := queryStrings(t, c, "SELECT count(*) FROM items"); fmt.Sprint(got) != "[204]" {
		t.Errorf("items after the failed COPYs: %v", got)
	}

	// Inside a transaction: ROLLBACK takes the rows back from every node.
	mustExec(t, c, "BEGIN")
	if got, err := copyIn("COPY items FROM STDIN", "700\ta\t1\n701\tb\t1\n702\tc\t1\n703\td\t1\n"); err != nil || got != "COPY 4" {
		t.Fatalf("COPY in a transaction: %q %v", got, err)
	}
	if got := queryStrings(t, c, "SELECT count(*) FROM items WHERE id >= 700"); fmt.Sprint(got) != "[4]" {
		t.Errorf("the transaction sees %v of its rows", got)
	}
	mustExec(t, c, "ROLLBACK")
	if got := queryStrings(t, c, "SELECT count(*) FROM items"); fmt.Sprint(got) != "[204]" {
		t.Errorf("items after ROLLBACK: %v", got)
	}

	// COPY TO STDOUT: every node's rows, a header once.
	var out bytes.Buffer
	tag, err := pc.CopyTo(ctx, &out, "COPY items (id) TO STDOUT (FORMAT csv, HEADER)")
	if err != nil || tag.String() != "COPY 204" {
		t.Fatalf("COPY TO: %v %v", tag, err)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != 205 || got[0] != "id" || strings.Count(out.String(), "id\n") != 1 {
		t.Errorf("COPY TO sent %d lines, first %q", len(got), got[0])
	}
	if _, err := pc.CopyTo(ctx, io.Discard, "COPY (SELECT * FROM items) TO STDOUT"); err == nil {
		t.Error("COPY (query) TO STDOUT of a distributed table ran")
	}

	// Binary format: pgx's CopyFrom sends it; COPY TO in binary from
	// every node reads back into another distributed table.
	var rows [][]any
	for i := 1000; i < 1100; i++ {
		rows = append(rows, []any{int32(i), fmt.Sprint("b", i), int32(1)})
	}
	if n, err := c.CopyFrom(ctx, pgx.Identifier{"items"}, []string{"id", "name", "qty"}, pgx.CopyFromRows(rows)); err != nil || n != 100 {
		t.Fatalf("binary COPY FROM: %d, %v", n, err)
	}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"items"}, []string{"id", "name"}, pgx.CopyFromRows([][]any{{nil, "x"}})); err == nil || !strings.Contains(err.Error(), "23502") {
		t.Errorf("binary COPY of a NULL distribution value: %v", err)
	}
	mustExec(t, c, "CREATE TABLE items2 (id int4 PRIMARY KEY, name text, qty int4)")
	mustExec(t, c, "SELECT create_distributed_table('items2', 'id', shard_count => 5)")
	var bin bytes.Buffer
	if tag, err := pc.CopyTo(ctx, &bin, "COPY items TO STDOUT (FORMAT binary)"); err != nil || tag.String() != "COPY 304" {
		t.Fatalf("binary COPY TO: %v %v", tag, err)
	}
	if tag, err := pc.CopyFrom(ctx, &bin, "COPY items2 FROM STDIN (FORMAT binary)"); err != nil || tag.String() != "COPY 304" {
		t.Fatalf("binary COPY FROM of COPY TO's data: %v %v", tag, err)
	}
	if got := queryStrings(t, c, "SELECT count(*), sum(id), sum(qty), max(name) FROM items2"); fmt.Sprint(got) != fmt.Sprint(queryStrings(t, c, "SELECT count(*), sum(id), sum(qty), max(name) FROM items")) {
		t.Errorf("items2 after the binary round trip: %v", got)
	}

	// VACUUM runs on every node, not in a transaction; ANALYZE in one.
	mustExec(t, c, "VACUUM items")
	mustExec(t, c, "VACUUM")
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "ANALYZE items")
	if _, err := c.Exec(ctx, "VACUUM items"); err == nil || !strings.Contains(err.Error(), "25001") {
		t.Errorf("VACUUM in a transaction block: %v", err)
	}
	mustExec(t, c, "ROLLBACK")
	// TRUNCATE empties every node.
	mustExec(t, c, "TRUNCATE items, kinds")
	for _, n := range tc.nodes {
		if got := queryStrings(t, n.connect(t), "SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM kinds)"); fmt.Sprint(got) != "[0]" {
			t.Errorf("node %s after TRUNCATE: %v", n.id, got)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("client gave up") }

// TestClusterReferenceWriteCounts: a write to a reference table runs on
// every node, and its tag counts the rows once, as one server's would.
func TestClusterReferenceWriteCounts(t *testing.T) {
	tc := startCluster(t, 3, nil)
	c := tc.connect(t)
	mustExec(t, c, "CREATE TABLE colours (id int4 PRIMARY KEY, name text)")
	mustExec(t, c, "SELECT create_reference_table('colours')")
	for _, step := range []struct{ sql, want string }{
		{"INSERT INTO colours VALUES (1, 'red'), (2, 'green')", "INSERT 0 2"},
		{"UPDATE colours SET name = upper(name)", "UPDATE 2"},
		{"DELETE FROM colours WHERE id = 1", "DELETE 1"},
	} {
		if tag := mustExec(t, c, step.sql); tag.String() != step.want {
			t.Errorf("%s: %s, want %s", step.sql, tag, step.want)
		}
	}
}
