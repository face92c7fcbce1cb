package main

import (
	"context"
	stdsql "database/sql"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/cairndb/cairn" // registers the database/sql driver "cairn"
	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
)

const (
	createAccounts = `CREATE TABLE accounts (id int4 PRIMARY KEY, balance int8 NOT NULL)`
	createHistory  = `CREATE TABLE history (id int8 PRIMARY KEY, aid int4 NOT NULL, delta int8 NOT NULL)`

	updateSQL = `UPDATE accounts SET balance = balance + $1 WHERE id = $2`
	selectSQL = `SELECT balance FROM accounts WHERE id = $1`
	insertSQL = `INSERT INTO history (id, aid, delta) VALUES ($1, $2, $3)`

	// loadBatchRows is the number of accounts per INSERT while loading.
	loadBatchRows = 1000
	// deltaMax bounds the random delta, as pgbench's -5000..5000.
	deltaMax = 5000
	// historyKeysPerClient spaces the history keys of different clients
	// (see doc.go).
	historyKeysPerClient = 1_000_000_000
	// clientsMax keeps (configuration*1000 + client)*1e9 + n inside int8.
	clientsMax = 1000
)

type config struct {
	duration   time.Duration
	accounts   int
	seed       uint64
	clients    []int
	targets    map[string]bool
	cpuProfile string
}

func main() {
	var cfg config
	var clients, targets string
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "duration of each measurement")
	flag.IntVar(&cfg.accounts, "accounts", 100_000, "number of accounts")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the account ids and deltas")
	flag.StringVar(&clients, "clients", "1,8,64", "comma-separated client counts")
	flag.StringVar(&targets, "targets", "cairn,postgres,embedded", "comma-separated targets to run: cairn (pgwire), postgres, embedded, cairn-nosync (pgwire with synchronous_commit=off)")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of each embedded measurement to `PREFIX`-embedded-N.pprof")
	flag.Parse()
	for f := range strings.SplitSeq(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || n >= clientsMax {
			fmt.Fprintf(os.Stderr, "txbench: bad client count %q (1..%d)\n", f, clientsMax-1)
			os.Exit(2)
		}
		cfg.clients = append(cfg.clients, n)
	}
	cfg.targets = make(map[string]bool)
	for f := range strings.SplitSeq(targets, ",") {
		f = strings.TrimSpace(f)
		if f != "cairn" && f != "postgres" && f != "embedded" && f != "cairn-nosync" {
			fmt.Fprintf(os.Stderr, "txbench: unknown target %q\n", f)
			os.Exit(2)
		}
		cfg.targets[f] = true
	}
	if cfg.duration <= 0 || cfg.accounts <= 0 || len(cfg.clients) >= clientsMax/100 {
		fmt.Fprintln(os.Stderr, "txbench: -d and -accounts must be positive, and -clients short")
		os.Exit(2)
	}
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "txbench:", err)
		os.Exit(1)
	}
}

// target is one database under test.
type target struct {
	name string
	// connect opens one client's connection and prepares its statements.
	connect func(ctx context.Context) (client, error)
	// exec runs setup and check statements without parameters.
	exec func(ctx context.Context, query string) error
	// queryInt runs a query returning one int8.
	queryInt func(ctx context.Context, query string) (int64, error)
	// committed counts every committed transaction, warm-ups included.
	committed int64
}

// client runs the benchmark transaction on one connection.
type client interface {
	transact(ctx context.Context, a txArgs) error
	close() error
}

type txArgs struct {
	delta     int64
	aid       int32
	historyID int64
}

// result is one measurement.
type result struct {
	commits  int64
	elapsed  time.Duration
	p50, p99 time.Duration
	retries  map[string]int64 // by SQLSTATE
}

func (r result) tps() float64 { return float64(r.commits) / r.elapsed.Seconds() }

func run(cfg *config) error {
	ctx := context.Background()
	parent, err := os.MkdirTemp("", "txbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# txbench: %d accounts, %s per measurement, seed %d, dir %s\n", cfg.accounts, cfg.duration, cfg.seed, parent)
	fmt.Printf("# go %s, %d CPUs, GOMAXPROCS=%d; clients and servers share the machine\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	var cairnT, pgT, embT, nosyncT *target
	var pgURL string
	if cfg.targets["cairn"] {
		dir, err := mkdir(parent, "cairn")
		if err != nil {
			return err
		}
		s, err := cairnserver.Start(dir)
		if err != nil {
			return err
		}
		defer s.Stop()
		cairnT = pgxTarget("cairn", s.URL())
		fmt.Printf("# cairn: cmd/cairn built with go build, serving %s; commits fsync the log (group commit)\n", s.URL())
	}
	if cfg.targets["cairn-nosync"] {
		dir, err := mkdir(parent, "cairn-nosync")
		if err != nil {
			return err
		}
		s, err := cairnserver.Start(dir)
		if err != nil {
			return err
		}
		defer s.Stop()
		nosyncT = pgxTarget("cairn nosync", s.URL()+"&synchronous_commit=off")
		fmt.Printf("# cairn nosync: a second cairn server, clients connect with synchronous_commit=off (commits are acknowledged before the log is on disk: a ceiling, not a durable configuration)\n")
	}
	if cfg.targets["postgres"] {
		// Not under parent: that is private to root, and postgres runs as
		// another user.
		dir, err := os.MkdirTemp("", "txbench-postgres-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		// A PostgreSQL 15 cluster made with initdb, with fsync and
		// synchronous_commit on.
		pg, err := pgcluster.Create(dir)
		if err != nil {
			return err
		}
		if err := pg.Start("fsync=on", "synchronous_commit=on"); err != nil {
			return err
		}
		defer pg.Stop()
		pgURL = pg.URL()
		pgT = pgxTarget("postgres", pgURL)
		desc, err := describePostgres(ctx, pgURL)
		if err != nil {
			return err
		}
		fmt.Printf("# postgres: %s\n", desc)
	}
	if cfg.targets["embedded"] {
		dir, err := mkdir(parent, "embedded")
		if err != nil {
			return err
		}
		db, err := stdsql.Open("cairn", dir)
		if err != nil {
			return err
		}
		defer db.Close()
		embT = sqlTarget("cairn embedded", db)
		fmt.Printf("# embedded: database/sql, driver \"cairn\", dir %s\n", dir)
	}
	all := slices.DeleteFunc([]*target{cairnT, pgT, embT, nosyncT}, func(t *target) bool { return t == nil })
	for _, t := range all {
		start := time.Now()
		if err := load(ctx, t, cfg.accounts); err != nil {
			return fmt.Errorf("%s: loading: %w", t.name, err)
		}
		fmt.Printf("# %s: loaded %d accounts in %.1fs\n", t.name, cfg.accounts, time.Since(start).Seconds())
	}

	var walBefore walStats
	if pgT != nil {
		if walBefore, err = readWALStats(ctx, pgURL); err != nil {
			return err
		}
	}
	committedBefore := int64(0)
	if pgT != nil {
		committedBefore = pgT.committed
	}
	for ci, n := range cfg.clients {
		res := make(map[*target]result)
		// Each client count starts with the next target, so that the
		// after-effects of one target's run on the disk (PostgreSQL's
		// writeback, cairn's checkpoints) do not always fall on the same
		// target.
		order := make([]*target, 0, len(all))
		for k := range all {
			order = append(order, all[(ci+k)%len(all)])
		}
		names := make([]string, len(order))
		for k, t := range order {
			names[k] = t.name
		}
		fmt.Printf("# %d clients, in order: %s\n", n, strings.Join(names, ", "))
		for _, t := range order {
			profile := ""
			if t == embT && cfg.cpuProfile != "" {
				profile = fmt.Sprintf("%s-embedded-%d.pprof", cfg.cpuProfile, n)
			}
			r, err := measure(ctx, cfg, t, ci, n, profile)
			if err != nil {
				return fmt.Errorf("%s, %d clients: %w", t.name, n, err)
			}
			res[t] = r
		}
		printResults(n, cairnT, pgT, embT, nosyncT, res)
	}

	if pgT != nil {
		after, err := readWALStats(ctx, pgURL)
		if err != nil {
			return err
		}
		commits := float64(pgT.committed - committedBefore)
		fmt.Printf("# postgres WAL per commit during the runs (pg_stat_wal): %.0f bytes, %.2f records, %.2f full-page images, %.2f syncs\n",
			float64(after.bytes-walBefore.bytes)/commits, float64(after.records-walBefore.records)/commits,
			float64(after.fpi-walBefore.fpi)/commits, float64(after.syncs-walBefore.syncs)/commits)
	}
	for _, t := range all {
		if err := check(ctx, t); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	fmt.Println("check: on every target, sum(balance) = sum(delta) and history has one row per committed transaction")
	return nil
}

func mkdir(parent, name string) (string, error) {
	dir := parent + "/" + name
	return dir, os.Mkdir(dir, 0o755)
}

func printResults(n int, cairnT, pgT, embT, nosyncT *target, res map[*target]result) {
	ratio := func(a, b *target) string {
		if a == nil || b == nil {
			return "n/a"
		}
		return fmt.Sprintf("%.2f", res[a].tps()/res[b].tps())
	}
	tps := func(t *target) string {
		if t == nil {
			return "n/a"
		}
		return fmt.Sprintf("%.0f", res[t].tps())
	}
	lat := func(t *target) string {
		if t == nil {
			return "n/a"
		}
		r := res[t]
		return fmt.Sprintf("%.2f/%.2f ms, retries 40001=%d 40P01=%d", ms(r.p50), ms(r.p99),
			r.retries["40001"], r.retries["40P01"])
	}
	if cairnT != nil || pgT != nil {
		fmt.Printf("pgwire %d clients: cairn %s tps, postgres %s tps, ratio %s\n", n, tps(cairnT), tps(pgT), ratio(cairnT, pgT))
		fmt.Printf("  latency p50/p99: cairn %s; postgres %s\n", lat(cairnT), lat(pgT))
	}
	if embT != nil {
		fmt.Printf("embedded %d clients: cairn %s tps (vs postgres over pgwire %s tps, ratio %s)\n", n, tps(embT), tps(pgT), ratio(embT, pgT))
		fmt.Printf("  latency p50/p99: cairn embedded %s\n", lat(embT))
	}
	if nosyncT != nil {
		fmt.Printf("pgwire %d clients, cairn without commit fsync: %s tps (vs postgres %s tps, ratio %s)\n", n, tps(nosyncT), tps(pgT), ratio(nosyncT, pgT))
		fmt.Printf("  latency p50/p99: cairn nosync %s\n", lat(nosyncT))
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// load creates the tables and inserts the accounts with balance 0.
func load(ctx context.Context, t *target, accounts int) error {
	for _, q := range []string{createAccounts, createHistory} {
		if err := t.exec(ctx, q); err != nil {
			return err
		}
	}
	var b strings.Builder
	for lo := 1; lo <= accounts; lo += loadBatchRows {
		b.Reset()
		b.WriteString("INSERT INTO accounts (id, balance) VALUES ")
		for id := lo; id < lo+loadBatchRows && id <= accounts; id++ {
			if id > lo {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "(%d,0)", id)
		}
		if err := t.exec(ctx, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// check verifies that every committed transaction left its history row and
// its delta, and no more.
func check(ctx context.Context, t *target) error {
	balances, err := t.queryInt(ctx, "SELECT coalesce(sum(balance), 0)::int8 FROM accounts")
	if err != nil {
		return err
	}
	deltas, err := t.queryInt(ctx, "SELECT coalesce(sum(delta), 0)::int8 FROM history")
	if err != nil {
		return err
	}
	rows, err := t.queryInt(ctx, "SELECT count(*) FROM history")
	if err != nil {
		return err
	}
	if balances != deltas || rows != t.committed {
		return fmt.Errorf("check failed: sum(balance)=%d sum(delta)=%d history rows=%d committed=%d",
			balances, deltas, rows, t.committed)
	}
	return nil
}

// measure runs n clients for cfg.duration on t. Configuration ci keeps the
// history keys of this measurement apart from the others'.
func measure(ctx context.Context, cfg *config, t *target, ci, n int, profile string) (result, error) {
	clients := make([]client, n)
	defer func() {
		for _, c := range clients {
			if c != nil {
				c.close()
			}
		}
	}()
	rngs := make([]*rand.Rand, n)
	seqs := make([]int64, n)
	next := func(i int) txArgs {
		r := rngs[i]
		a := txArgs{
			delta:     r.Int64N(2*deltaMax+1) - deltaMax,
			aid:       int32(1 + r.IntN(cfg.accounts)),
			historyID: int64(ci*clientsMax+i)*historyKeysPerClient + seqs[i],
		}
		seqs[i]++
		return a
	}
	// Connect and warm up: one transaction per client, so statements are
	// prepared before the clock starts.
	for i := range n {
		rngs[i] = rand.New(rand.NewPCG(cfg.seed, uint64(ci*clientsMax+i)))
		c, err := t.connect(ctx)
		if err != nil {
			return result{}, err
		}
		clients[i] = c
		if _, err := transactRetrying(ctx, c, next(i), nil); err != nil {
			return result{}, err
		}
		t.committed++
	}

	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{}, err
		}
		defer pprof.StopCPUProfile()
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make([]error, n)
	lats := make([][]time.Duration, n)
	retries := make([]map[string]int64, n)
	start := time.Now()
	timer := time.AfterFunc(cfg.duration, func() { stop.Store(true) })
	defer timer.Stop()
	for i := range n {
		retries[i] = make(map[string]int64)
		wg.Go(func() {
			for !stop.Load() {
				began := time.Now()
				if _, err := transactRetrying(ctx, clients[i], next(i), retries[i]); err != nil {
					errs[i] = err
					stop.Store(true)
					return
				}
				lats[i] = append(lats[i], time.Since(began))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return result{}, err
	}
	r := result{elapsed: elapsed, retries: make(map[string]int64)}
	var all []time.Duration
	for i := range n {
		all = append(all, lats[i]...)
		for code, k := range retries[i] {
			r.retries[code] += k
		}
	}
	r.commits = int64(len(all))
	t.committed += r.commits
	if len(all) > 0 {
		slices.Sort(all)
		r.p50 = all[len(all)*50/100]
		r.p99 = all[min(len(all)*99/100, len(all)-1)]
	}
	return r, nil
}

// retryLimit bounds the retries of one transaction; going over fails the run.
const retryLimit = 1000

// transactRetrying runs the transaction until it commits, retrying it on
// 40001 and 40P01 (counted in retries when not nil).
func transactRetrying(ctx context.Context, c client, a txArgs, retries map[string]int64) (int, error) {
	for attempt := 0; ; attempt++ {
		err := c.transact(ctx, a)
		if err == nil {
			return attempt, nil
		}
		var e interface{ SQLState() string }
		if !errors.As(err, &e) || (e.SQLState() != "40001" && e.SQLState() != "40P01") || attempt >= retryLimit {
			return attempt, err
		}
		if retries != nil {
			retries[e.SQLState()]++
		}
	}
}
