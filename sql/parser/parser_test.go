package parser

import (
	"context"
	"strconv"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
)

// parseAll parses q and returns its statements as one tree.
func parseAll(q string) (*pg.ParseResult, error) {
	var tree *pg.ParseResult
	_, err := Parse(context.Background(), q, Config{}, func(c Chunk) error {
		if tree == nil {
			tree = &pg.ParseResult{Version: c.Tree.Version}
		}
		for _, raw := range c.Tree.Stmts {
			raw.StmtLocation += int32(c.ByteOffset)
			tree.Stmts = append(tree.Stmts, raw)
		}
		return nil
	})
	return tree, err
}

func repeatJoin(s, sep string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, sep)
}

// TestParseLimits: what the C parser is never asked to do, and what it
// still does. The SQLSTATEs are PostgreSQL 15's answers to the same text,
// except where noted.
func TestParseLimits(t *testing.T) {
	params := make([]string, 65535)
	for i := range params {
		params[i] = "$" + strconv.Itoa(i+1) + "::int"
	}
	// pureGo is the answer of the WebAssembly parser where it differs:
	// its limit is 1,000 levels, prefix operators counted.
	cases := []struct {
		name, query, code, pureGo string
	}{
		{"4,000 additions", "SELECT 1" + strings.Repeat("+1", 4000), "", "54001"},
		{"900 additions", "SELECT 1" + strings.Repeat("+1", 900), "", ""},
		{"25,000 additions", "SELECT 1" + strings.Repeat("+1", 25000), "54001", "54001"},
		{"100,000 additions", "SELECT 1" + strings.Repeat("+1", 100000), "54001", "54001"},
		{"65,535 parameters", "SELECT " + strings.Join(params, "+"), "54001", "54001"},
		{"10,000-term AND", "SELECT 1 WHERE " + repeatJoin("x = 1", " AND ", 10000), "", ""},
		{"100,000-term OR", "SELECT 1 WHERE " + repeatJoin("x = 1", " OR ", 100000), "", ""},
		{"9,000 parentheses", "SELECT " + strings.Repeat("(", 9000) + "1" + strings.Repeat(")", 9000), "", "54001"},
		{"10,000 parentheses", "SELECT " + strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000), "42601", "54001"},
		{"100,000 NOTs", "SELECT " + strings.Repeat("NOT ", 100000) + "true", "42601", "54001"},
		{"900 NOTs", "SELECT " + strings.Repeat("NOT ", 900) + "true", "", ""},
		{"20,000 UNIONs", "SELECT 1" + strings.Repeat(" UNION SELECT 1", 20000), "54001", "54001"},
		{"12,000 casts", "SELECT 1" + strings.Repeat("::int", 12000), "54001", "54001"},
		// Deeper than what runs on the caller's stack, shallower than the
		// limit: parsed on the big-stack thread. (PostgreSQL's analyzer
		// refuses 5,000 additions with 54001; its parser takes them.)
		{"11,000 additions", "SELECT 1" + strings.Repeat("+1", 11000), "", "54001"},
		{"330 nested subqueries", "SELECT " + strings.Repeat("(SELECT ", 330) + "1" + strings.Repeat(")", 330), "", ""},
		{"invalid UTF-8", "SELECT '\xff'", "22021", "22021"},
		{"NUL escape", `SELECT E'\000'`, "22021", "22021"},
		{"NUL byte", "SELECT 1\x00; SELECT 2", "22021", "22021"},
		{"syntax error", "SELEC 1", "42601", "42601"},
		{"unknown partitioning strategy", "CREATE TABLE p (a int) PARTITION BY MAGIC (a)", "22023", "22023"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseAll(c.query)
			want := c.code
			if !cgoBuild {
				want = c.pureGo
			}
			if got := codeOf(err); got != want {
				t.Fatalf("code %q (%v), want %q", got, err, want)
			}
		})
	}
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return pgerr.Code(err)
}

// TestChunkedParse: a long string of statements is parsed in chunks, with
// the same statements and error positions as parsed whole.
func TestChunkedParse(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 5*chunkBytesMax; i++ {
		b.WriteString("SELECT 'é', " + strconv.Itoa(i) + " ; ")
	}
	long := b.String()
	whole, err := parseText(long, 1)
	if err != nil {
		t.Fatal(err)
	}
	chunks := 0
	var got *pg.ParseResult
	_, err = Parse(context.Background(), long, Config{}, func(c Chunk) error {
		chunks++
		if got == nil {
			got = &pg.ParseResult{Version: c.Tree.Version}
		}
		for _, raw := range c.Tree.Stmts {
			raw.StmtLocation += int32(c.ByteOffset)
			got.Stmts = append(got.Stmts, raw)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if chunks < 5 {
		t.Fatalf("%d chunks for %d bytes", chunks, len(long))
	}
	if len(got.Stmts) != len(whole.Stmts) {
		t.Fatalf("%d statements in chunks, %d whole", len(got.Stmts), len(whole.Stmts))
	}
	for i := range whole.Stmts {
		w, g := whole.Stmts[i], got.Stmts[i]
		if w.StmtLocation != g.StmtLocation || w.StmtLen != g.StmtLen {
			t.Fatalf("statement %d at %d+%d in chunks, %d+%d whole", i, g.StmtLocation, g.StmtLen, w.StmtLocation, w.StmtLen)
		}
	}

	// An error in the last chunk: the same position as the C parser gives
	// for the whole string, and nothing was handed out.
	bad := long + "SELECT 1 +;"
	_, wantErr := parseText(bad, 1)
	called := false
	_, err = Parse(context.Background(), bad, Config{}, func(Chunk) error { called = true; return nil })
	if called {
		t.Error("a chunk was handed out before the syntax error was found")
	}
	if pgerr.Find(err) == nil || pgerr.Find(wantErr) == nil || pgerr.Find(err).Position != pgerr.Find(wantErr).Position {
		t.Fatalf("error %v, want %v at the same position", err, wantErr)
	}
	if pgerr.Find(err).Position == 0 {
		t.Fatal("no position")
	}
}

// TestParseCancel: a cancelled context stops a long string of statements
// between chunks, with the context's cause.
func TestParseCancel(t *testing.T) {
	long := strings.Repeat("SELECT 1;", 4*chunkBytesMax/9)
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	chunks := 0
	_, err := Parse(ctx, long, Config{}, func(Chunk) error {
		chunks++
		cancel(cause)
		return nil
	})
	if err != cause {
		t.Fatalf("error %v, want the cancel's cause", err)
	}
	if chunks != 1 {
		t.Fatalf("%d chunks handed out after the cancel", chunks)
	}
}

func TestDeparse(t *testing.T) {
	q := "SELECT a + 1 FROM t WHERE b = 'x'"
	tree, err := parseAll(q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Deparse(tree)
	if err != nil || got != q {
		t.Fatalf("Deparse: %q, %v", got, err)
	}
	deep := "SELECT 1" + strings.Repeat("+1", depthMax-10)
	if tree, err = parseAll(deep); err != nil {
		t.Fatal(err)
	}
	got, err = Deparse(tree)
	if !cgoBuild {
		// The WebAssembly deparser refuses what it would get wrong.
		if codeOf(err) != "54001" {
			t.Fatalf("Deparse of a deep tree without cgo: %v, want 54001", err)
		}
		// And what it takes leaves the parser working.
		shallow := "SELECT 1" + strings.Repeat("+1", 40)
		if tree, err = parseAll(shallow); err != nil {
			t.Fatal(err)
		}
		if _, err = Deparse(tree); err != nil {
			t.Fatal(err)
		}
		if _, err := parseAll(deep); err != nil {
			t.Fatalf("parsing after a deparse: %v", err)
		}
		return
	}
	if err != nil || strings.Count(got, "+") != depthMax-10 {
		t.Fatalf("Deparse of a deep tree: %d additions, %v", strings.Count(got, "+"), err)
	}
}

// BenchmarkParse parses a short query; run it with and without cgo
// (CGO_ENABLED=0) to compare the C and the WebAssembly parser.
func BenchmarkParse(b *testing.B) {
	q := "SELECT abalance FROM pgbench_accounts WHERE aid = $1 AND bid IN (1, 2, 3) ORDER BY aid LIMIT 10"
	for b.Loop() {
		if _, err := parseAll(q); err != nil {
			b.Fatal(err)
		}
	}
}
