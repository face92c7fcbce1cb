package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/histogram"
	"github.com/cairndb/cairn/pgwire"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/txn"
)

// TestCollector: the sources' values come out under their names, every
// family passes the client library's lint (names, units, help), and a
// source left nil is skipped.
func TestCollector(t *testing.T) {
	h := histogram.New([]float64{0.001, 0.01})
	h.Observe(0.005)
	engine := func() sql.Stats {
		st := sql.Stats{StatementSeconds: map[string]histogram.Snapshot{}, Sessions: map[string]int{"idle": 2},
			Txn: txn.Stats{Commits: 7, Deadlocks: 1}}
		for _, k := range sql.StatementKinds {
			st.StatementSeconds[k] = h.Snapshot()
		}
		return st
	}
	store := func() checkpoint.Stats {
		var st checkpoint.Stats
		st.WAL.BytesWritten = 4096
		st.LSM.Levels[0].Tables = 3
		return st
	}
	server := func() pgwire.Stats {
		return pgwire.Stats{Errors: map[string]uint64{"40001": 2}, RateLimitedConnections: 1}
	}
	c := NewCollector(Sources{Store: store, Engine: engine, Server: server})
	want := `
# HELP cairn_transactions_committed_total Transactions committed (COMMIT PREPARED included).
# TYPE cairn_transactions_committed_total counter
cairn_transactions_committed_total 7
# HELP cairn_errors_total ERROR and FATAL messages sent to clients, by SQLSTATE (40001 serialization failures, 40P01 deadlocks, 53400 rate limits ...).
# TYPE cairn_errors_total counter
cairn_errors_total{sqlstate="40001"} 2
# HELP cairn_wal_written_bytes_total Bytes of records written to the write-ahead log.
# TYPE cairn_wal_written_bytes_total counter
cairn_wal_written_bytes_total 4096
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "cairn_transactions_committed_total", "cairn_errors_total", "cairn_wal_written_bytes_total"); err != nil {
		t.Error(err)
	}
	problems, err := testutil.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Gather(); err != nil {
		t.Errorf("a pedantic registry refuses the metrics: %v", err)
	}
	if n := testutil.CollectAndCount(NewCollector(Sources{Engine: engine}), "cairn_wal_written_bytes_total"); n != 0 {
		t.Errorf("with no store: %d WAL series, want 0", n)
	}
}
