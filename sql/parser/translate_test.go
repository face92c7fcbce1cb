package parser

import (
	"context"
	"strings"
	"testing"
	"time"
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
			stmts, _, err := ParseStatements(context.Background(), q, Config{})
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
