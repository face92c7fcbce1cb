package metrics

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/histogram"
	"github.com/cairndb/cairn/pgwire"
	"github.com/cairndb/cairn/sql"
)

// Sources are what a Collector reads at each scrape. A nil function is
// skipped: an embedded database has no wire server to report.
type Sources struct {
	Store  func() checkpoint.Stats
	Engine func() sql.Stats
	Server func() pgwire.Stats
}

// Collector is a prometheus.Collector over Sources.
type Collector struct {
	src Sources
}

var _ prometheus.Collector = (*Collector)(nil)

// NewCollector returns a collector reading src.
func NewCollector(src Sources) *Collector { return &Collector{src: src} }

// Handler serves the text exposition of src's metrics, with the Go
// runtime's and the process's, for a Prometheus server to scrape.
func Handler(src Sources) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(src), collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc("cairn_"+name, help, labels, nil)
}

var (
	commits   = desc("transactions_committed_total", "Transactions committed (COMMIT PREPARED included).")
	rollbacks = desc("transactions_rolled_back_total", "Transactions rolled back, or that failed to commit.")
	errorsBy  = desc("errors_total", "ERROR and FATAL messages sent to clients, by SQLSTATE (40001 serialization failures, 40P01 deadlocks, 53400 rate limits ...).", "sqlstate")
	stmtTime  = desc("statement_duration_seconds", "Time statements took, by kind (select, insert, update, delete, ddl, other), failed ones included.", "kind")

	walBytes = desc("wal_written_bytes_total", "Bytes of records written to the write-ahead log.")
	walSyncs = desc("wal_syncs_total", "Write-and-fsync rounds of the write-ahead log (one per group commit).")
	walFsync = desc("wal_fsync_duration_seconds", "Time the fsyncs of one write-ahead log sync round took.")
	walBatch = desc("wal_group_commit_batch_records", "Records made durable by one sync round: the group-commit batch size.")
	ckptTime = desc("checkpoint_duration_seconds", "Time checkpoints took (memtable flush, control file, WAL removal).")

	levelBytes   = desc("lsm_level_bytes", "Bytes of sorted tables in each LSM level.", "level")
	levelFiles   = desc("lsm_level_files", "Sorted-table files in each LSM level.", "level")
	debt         = desc("lsm_compaction_debt_bytes", "Estimated table bytes compaction must rewrite to bring every level within its bounds.")
	compactions  = desc("lsm_compactions_total", "Compactions completed, trivial moves included.")
	writeStalls  = desc("lsm_write_stalls_total", "Memtable flushes that stalled for an L0 compaction because L0 held too many tables.")
	cacheHits    = desc("lsm_block_cache_hits_total", "Block cache lookups that found the block.")
	cacheMisses  = desc("lsm_block_cache_misses_total", "Block cache lookups that read the block from its file.")
	cacheBytes   = desc("lsm_block_cache_bytes", "Bytes held by the block cache.")
	lockWaits    = desc("lock_waits_total", "Waits for a row, table or advisory lock that blocked.")
	deadlocks    = desc("deadlocks_total", "Lock waits refused because they would have closed a cycle (40P01).")
	sessions     = desc("connections", "Sessions by state, as pg_stat_activity shows it (active, idle, idle in transaction, idle in transaction (aborted)); embedded database/sql sessions included.", "state")
	accepted     = desc("connections_accepted_total", "Client connections accepted by the wire protocol server.")
	rateLimited  = desc("rate_limit_rejections_total", "Connections and statements refused by the rate limits (53400).", "kind")
	vacuumRuns   = desc("autovacuum_runs_total", "Tables vacuumed by autovacuum.")
	vacuumRemove = desc("autovacuum_dead_versions_removed_total", "Dead row versions autovacuum removed.")
)

// Describe sends every family's description.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{commits, rollbacks, errorsBy, stmtTime, walBytes, walSyncs, walFsync, walBatch, ckptTime,
		levelBytes, levelFiles, debt, compactions, writeStalls, cacheHits, cacheMisses, cacheBytes, lockWaits, deadlocks,
		sessions, accepted, rateLimited, vacuumRuns, vacuumRemove} {
		ch <- d
	}
}

// Collect reads the sources and sends their values.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	hist := func(d *prometheus.Desc, s histogram.Snapshot, labels ...string) {
		ch <- prometheus.MustNewConstHistogram(d, s.Count, s.Sum, s.Buckets, labels...)
	}
	if c.src.Store != nil {
		st := c.src.Store()
		counter(walBytes, st.WAL.BytesWritten)
		counter(walSyncs, st.WAL.Syncs)
		hist(walFsync, st.WAL.FsyncSeconds)
		hist(walBatch, st.WAL.BatchRecords)
		hist(ckptTime, st.CheckpointSeconds)
		for l, lm := range st.LSM.Levels {
			gauge(levelBytes, float64(lm.Bytes), strconv.Itoa(l))
			gauge(levelFiles, float64(lm.Tables), strconv.Itoa(l))
		}
		gauge(debt, float64(st.LSM.CompactionDebtBytes))
		counter(compactions, st.LSM.Compactions)
		counter(writeStalls, st.LSM.WriteStalls)
		counter(cacheHits, st.LSM.BlockCacheHits)
		counter(cacheMisses, st.LSM.BlockCacheMisses)
		gauge(cacheBytes, float64(st.LSM.BlockCacheBytes))
	}
	if c.src.Engine != nil {
		st := c.src.Engine()
		counter(commits, st.Txn.Commits)
		counter(rollbacks, st.Txn.Rollbacks)
		counter(lockWaits, st.Txn.LockWaits)
		counter(deadlocks, st.Txn.Deadlocks)
		for _, k := range sql.StatementKinds {
			hist(stmtTime, st.StatementSeconds[k], k)
		}
		for state, n := range st.Sessions {
			gauge(sessions, float64(n), state)
		}
		counter(vacuumRuns, st.AutovacuumRuns)
		counter(vacuumRemove, st.AutovacuumRemoved)
	}
	if c.src.Server != nil {
		st := c.src.Server()
		counter(accepted, st.Connections)
		counter(rateLimited, st.RateLimitedConnections, "connection")
		counter(rateLimited, st.RateLimitedStatements, "statement")
		codes := make([]string, 0, len(st.Errors))
		for code := range st.Errors {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			counter(errorsBy, st.Errors[code], code)
		}
	}
}
