package sql

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// BenchmarkPgbenchLoad runs what `pgbench -i -s 2` does to
// pgbench_accounts (200,000 rows): COPY of rows in pgbench's text form
// into a table created and truncated in the transaction, VACUUM, then ADD
// PRIMARY KEY. It reports each phase's time per row and the WAL bytes the
// COPY wrote per row (near zero when its rows are ingested as tables), so
// that two builds can be compared on the same machine, run alternately,
// and a profile (-cpuprofile) taken of one phase's code in-process.
func BenchmarkPgbenchLoad(b *testing.B) {
	const rows = 200000
	var data strings.Builder
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&data, "%d\t%d\t0\t\n", i, (i-1)/100000+1)
	}
	ctx := context.Background()
	e, store := newTestEngineStore(b)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	exec := func(q string) {
		ps, err := s.PrepareAll(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range ps {
			if p.CopyFromStdin() {
				_, err = s.CopyIn(ctx, p, &copyData{Reader: strings.NewReader(data.String())})
			} else {
				_, err = s.Execute(ctx, p, nil)
			}
			if err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	var copyTime, vacuumTime, keyTime time.Duration
	var walBytes uint64
	b.ReportAllocs()
	for b.Loop() {
		exec("CREATE TABLE pgbench_accounts (aid int4 NOT NULL, bid int4, abalance int4, filler char(84))")
		start := time.Now()
		wal := store.SyncedLSN()
		exec("BEGIN; TRUNCATE pgbench_accounts; COPY pgbench_accounts FROM STDIN WITH (FREEZE ON); COMMIT")
		walBytes += store.SyncedLSN() - wal
		// A server's checkpointer flushes the memtable once it passes its
		// budget, as a COPY of pgbench's size makes it (tests run none):
		// the rows are read from tables afterwards, whichever way the
		// COPY wrote them, and the flush counts towards the COPY.
		if err := store.Checkpoint(); err != nil {
			b.Fatal(err)
		}
		copied := time.Now()
		exec("VACUUM ANALYZE pgbench_accounts")
		vacuumed := time.Now()
		exec("ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)")
		keyed := time.Now()
		copyTime += copied.Sub(start)
		vacuumTime += vacuumed.Sub(copied)
		keyTime += keyed.Sub(vacuumed)
		exec("DROP TABLE pgbench_accounts")
	}
	n := float64(b.N * rows)
	b.ReportMetric(float64(copyTime.Nanoseconds())/n, "copy-ns/row")
	b.ReportMetric(float64(vacuumTime.Nanoseconds())/n, "vacuum-ns/row")
	b.ReportMetric(float64(keyTime.Nanoseconds())/n, "pkey-ns/row")
	b.ReportMetric(float64(walBytes)/n, "copy-wal-B/row")
}
