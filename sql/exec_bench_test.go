package sql

import (
	"context"
	"testing"
)

// BenchmarkExecutor times simple queries (a point lookup, a scan with a
// filter and aggregates, a series sorted, a join) so that per-row work in
// the executor (memory accounting, cancellation checks, a new executor)
// can be compared between two builds of the same machine, run alternately.
func BenchmarkExecutor(b *testing.B) {
	e := newTestEngine(b)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		"CREATE TABLE bt (id int PRIMARY KEY, g int, s text)",
		"INSERT INTO bt SELECT i, i % 100, 'row ' || i FROM generate_series(1, 20000) i",
	} {
		if _, err := run(s, q); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct{ name, query string }{
		{"point", "SELECT s FROM bt WHERE id = 777"},
		{"scan-agg", "SELECT g, count(*), max(s) FROM bt WHERE id % 3 = 0 GROUP BY g"},
		{"series-sort", "SELECT x FROM generate_series(1, 20000) x ORDER BY x DESC LIMIT 5"},
		{"join", "SELECT count(*) FROM bt a JOIN bt b ON a.id = b.g"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ps, err := s.PrepareAll(context.Background(), bc.query)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Execute(context.Background(), ps[0], nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
