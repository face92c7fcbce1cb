package sql

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestParseIsLinear: parsing a string of statements takes time linear in
// its length. Character positions used to be counted from the start of the
// string for every node, which made 8 times the statements take about 64
// times as long (40,000 statements: 12.6 s). The bound is loose, for a busy
// machine: 8 times the statements may take up to 24 times as long.
func TestParseIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 48,000 statements")
	}
	fastest := func(n int) time.Duration {
		// Multibyte text, so positions are counted in characters.
		q := strings.Repeat("SELECT 'é', 1;", n)
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			stmts, err := Parse(q)
			if err != nil || len(stmts) != n {
				t.Fatalf("%d statements: %d, %v", n, len(stmts), err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	small, large := fastest(5000), fastest(40000)
	t.Logf("5,000 statements: %v; 40,000: %v (%.1f times)", small, large, float64(large)/float64(small))
	if large > 24*small {
		t.Fatalf("8 times the statements took %.1f times as long", float64(large)/float64(small))
	}
}

// TestParseStatementTimeout: statement_timeout covers parsing; a long
// string of statements stops between its chunks with PostgreSQL's message.
func TestParseStatementTimeout(t *testing.T) {
	e := newTestEngine(t)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustRun(t, s, "SET statement_timeout = '1ms'")
	// Over 60 chunks; each takes far longer than 1 ms to parse.
	_, err = s.PrepareAll(context.Background(), strings.Repeat("SELECT 1;", 500_000))
	pe := pgerr.Find(err)
	if pe == nil || pe.Code != pgerr.QueryCanceled || pe.Message != "canceling statement due to statement timeout" {
		t.Fatalf("parsing past statement_timeout: %v, want 57014 canceling statement due to statement timeout", err)
	}
}
