package cairn_test

import (
	"context"
	"errors"

	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/pgwire"
)

// scrape reads the metrics endpoint at addr.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// sample is the value of family name's series whose labels include
// labels ("k=v" each): a counter's or gauge's value, a histogram's count;
// ok is false when there is no such series.
func sample(fams map[string]*dto.MetricFamily, name string, labels ...string) (v float64, ok bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for _, kv := range labels {
			k, v, _ := strings.Cut(kv, "=")
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// TestMetricsEndpoint serves a database with the metrics endpoint, runs a
// workload with a deadlock, a serialization failure and a rate-limited
// connection, and checks that every metric is there and moved.
func TestMetricsEndpoint(t *testing.T) {
	db, err := cairn.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// 127.0.0.1 connects as often as it likes; 127.0.0.2 twice.
	s := startServe(t, db, &cairn.ServeOptions{MetricsListener: mln,
		Rates: pgwire.RateLimits{ConnectionsPerAddress: pgwire.RateLimit{PerSecond: 0.001, Burst: 2}, Wait: -1}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	connect := func(ip string) (*pgx.Conn, error) {
		cfg, err := pgx.ParseConfig(s.url("postgres", "", "sslmode=disable"))
		if err != nil {
			t.Fatal(err)
		}
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		cfg.DialFunc = d.DialContext
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			t.Cleanup(func() { c.Close(context.Background()) })
		}
		return c, err
	}
	mustConnect := func() *pgx.Conn {
		t.Helper()
		c, err := connect("127.0.0.2")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := mustConnect(), mustConnect()
	if _, err := connect("127.0.0.2"); sqlstate(err) != "53400" {
		t.Fatalf("third connection from 127.0.0.2: %v, want 53400", err)
	}
	// The rest connect from 127.0.0.1... which also has a burst of 2.
	c, err := connect("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	exec := func(conn *pgx.Conn, q string) error {
		_, err := conn.Exec(ctx, q)
		return err
	}
	must := func(conn *pgx.Conn, q string) {
		t.Helper()
		if err := exec(conn, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	must(a, "CREATE TABLE t (id int PRIMARY KEY, v int)")
	must(a, "INSERT INTO t SELECT g, 0 FROM generate_series(1, 2000) g")
	for range 3 {
		must(a, "UPDATE t SET v = v + 1")
	}
	must(a, "DELETE FROM t WHERE id > 1900")
	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	must(a, "SELECT sum(v) FROM t")
	must(a, "SELECT sum(v) FROM t")
	if _, err := db.Engine().AutoVacuum(); err != nil {
		t.Fatal(err)
	}

	// A deadlock: a holds row 1 and waits for row 2, which b holds; b's
	// wait for row 1 closes the cycle.
	must(a, "BEGIN")
	must(b, "BEGIN")
	must(a, "UPDATE t SET v = 10 WHERE id = 1")
	must(b, "UPDATE t SET v = 20 WHERE id = 2")
	aDone := make(chan error, 1)
	go func() { aDone <- exec(a, "UPDATE t SET v = 10 WHERE id = 2") }()
	for {
		var waiting bool
		if err := c.QueryRow(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock'").Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		select {
		case err := <-aDone:
			t.Fatalf("a's update ended (%v) before it waited", err)
		case <-time.After(time.Millisecond):
		}
	}
	if err := exec(b, "UPDATE t SET v = 20 WHERE id = 1"); sqlstate(err) != "40P01" {
		t.Fatalf("b closing the cycle: %v, want 40P01", err)
	}
	must(b, "ROLLBACK")
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	must(a, "COMMIT")

	// A serialization failure: a's snapshot predates b's update.
	must(a, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	must(a, "SELECT v FROM t WHERE id = 5")
	must(b, "UPDATE t SET v = v + 1 WHERE id = 5")
	if err := exec(a, "UPDATE t SET v = 0 WHERE id = 5"); sqlstate(err) != "40001" {
		t.Fatalf("a's update: %v, want 40001", err)
	}
	must(a, "ROLLBACK")
	// b stays idle in a transaction, a idle, c active while it scrapes.
	must(b, "BEGIN")
	must(b, "SELECT 1")

	// c runs a statement while the endpoint is scraped.
	sleepCtx, stopSleep := context.WithCancel(ctx)
	sleepDone := make(chan error, 1)
	go func() {
		_, err := c.Exec(sleepCtx, "SELECT pg_sleep(60)")
		sleepDone <- err
	}()
	for {
		var running bool
		if err := a.QueryRow(ctx, "SELECT count(*) > 0 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(60)'").Scan(&running); err != nil {
			t.Fatal(err)
		}
		if running {
			break
		}
		select {
		case err := <-sleepDone:
			t.Fatalf("pg_sleep ended (%v) before it was seen", err)
		case <-time.After(time.Millisecond):
		}
	}
	fams := scrape(t, mln.Addr().String())
	stopSleep()
	<-sleepDone
	moved := []struct {
		name   string
		labels []string
	}{
		{"cairn_transactions_committed_total", nil},
		{"cairn_transactions_rolled_back_total", nil},
		{"cairn_errors_total", []string{"sqlstate=40P01"}},
		{"cairn_errors_total", []string{"sqlstate=40001"}},
		{"cairn_errors_total", []string{"sqlstate=53400"}},
		{"cairn_statement_duration_seconds", []string{"kind=select"}},
		{"cairn_statement_duration_seconds", []string{"kind=insert"}},
		{"cairn_statement_duration_seconds", []string{"kind=update"}},
		{"cairn_statement_duration_seconds", []string{"kind=delete"}},
		{"cairn_statement_duration_seconds", []string{"kind=ddl"}},
		{"cairn_statement_duration_seconds", []string{"kind=other"}},
		{"cairn_wal_written_bytes_total", nil},
		{"cairn_wal_syncs_total", nil},
		{"cairn_wal_fsync_duration_seconds", nil},
		{"cairn_wal_group_commit_batch_records", nil},
		{"cairn_checkpoint_duration_seconds", nil},
		{"cairn_lsm_level_bytes", []string{"level=0"}},
		{"cairn_lsm_level_files", []string{"level=0"}},
		{"cairn_lsm_block_cache_hits_total", nil},
		{"cairn_lsm_block_cache_misses_total", nil},
		{"cairn_lsm_block_cache_bytes", nil},
		{"cairn_lock_waits_total", nil},
		{"cairn_deadlocks_total", nil},
		{"cairn_connections", []string{"state=active"}},
		{"cairn_connections", []string{"state=idle"}},
		{"cairn_connections", []string{"state=idle in transaction"}},
		{"cairn_connections_accepted_total", nil},
		{"cairn_rate_limit_rejections_total", []string{"kind=connection"}},
		{"cairn_autovacuum_runs_total", nil},
		{"cairn_autovacuum_dead_versions_removed_total", nil},
	}
	for _, m := range moved {
		if v, ok := sample(fams, m.name, m.labels...); !ok || v <= 0 {
			t.Errorf("%s%v = %v (present: %v), want > 0", m.name, m.labels, v, ok)
		}
	}
	// Present, and moved only under pressure the workload does not make
	// (their movement is tested in package lsm).
	for _, name := range []string{"cairn_lsm_compaction_debt_bytes", "cairn_lsm_write_stalls_total", "cairn_lsm_compactions_total"} {
		if _, ok := sample(fams, name); !ok {
			t.Errorf("%s is missing", name)
		}
	}
	if _, ok := sample(fams, "cairn_rate_limit_rejections_total", "kind=statement"); !ok {
		t.Error("cairn_rate_limit_rejections_total{kind=statement} is missing")
	}
	for _, want := range []struct {
		name  string
		value float64
	}{{"cairn_deadlocks_total", 1}, {"cairn_connections_accepted_total", 4}} {
		if v, _ := sample(fams, want.name); v != want.value {
			t.Errorf("%s = %v, want %v", want.name, v, want.value)
		}
	}
	if v, _ := sample(fams, "cairn_connections", "state=idle in transaction"); v != 1 {
		t.Errorf("idle in transaction: %v, want 1", v)
	}
	// Every family follows the naming conventions.
	for name, f := range fams {
		if !strings.HasPrefix(name, "cairn_") {
			continue
		}
		if f.GetType() == dto.MetricType_COUNTER && !strings.HasSuffix(name, "_total") {
			t.Errorf("counter %s does not end in _total", name)
		}
	}
}
