package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
	"github.com/cairndb/cairn/bench/internal/runstats"
)

// lookupRows is the size of the table the loop looks keys up in.
const lookupRows = 100

var schema = []string{
	`CREATE TABLE events (
		id bigserial PRIMARY KEY,
		account int NOT NULL,
		amount int NOT NULL,
		note text,
		updated_at timestamptz)`,
	`CREATE TABLE events_audit (
		id bigserial PRIMARY KEY,
		event_id bigint NOT NULL,
		op text NOT NULL,
		at timestamptz NOT NULL)`,
	`CREATE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		NEW.updated_at := now();
		RETURN NEW;
	END $$`,
	`CREATE FUNCTION events_log() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO events_audit (event_id, op, at) VALUES (NEW.id, TG_OP, NEW.updated_at);
		RETURN NULL;
	END $$`,
	`CREATE TRIGGER events_touch BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_touch()`,
	`CREATE TRIGGER events_log AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_log()`,
	`CREATE TABLE lookup (k int PRIMARY KEY, v int NOT NULL)`,
	`INSERT INTO lookup SELECT g, (g * 37) % 1000 FROM generate_series(0, 99) g`,
	`CREATE FUNCTION pl_loop(n int) RETURNS bigint LANGUAGE plpgsql AS $$
	DECLARE
		acc bigint := 0;
		x int;
	BEGIN
		FOR i IN 1..n LOOP
			acc := acc + (i * 7 + 3) % 11;
			SELECT v INTO x FROM lookup WHERE k = i % 100;
			acc := acc + x;
		END LOOP;
		RETURN acc;
	END $$`,
	`CREATE FUNCTION pl_arith(n int) RETURNS bigint LANGUAGE plpgsql AS $$
	DECLARE
		acc bigint := 0;
		x int;
	BEGIN
		FOR i IN 1..n LOOP
			acc := acc + (i * 7 + 3) % 11;
			x := i % 100;
			acc := acc + x;
		END LOOP;
		RETURN acc;
	END $$`,
}

// A workload measures one thing against one target and returns a rate
// where higher is better for both targets alike (rows/s, or calls/s),
// plus a checksum that must agree between targets ("" when there is none).
type workload struct {
	name string
	unit string // of the printed figure
	// perCall: the figure printed is seconds per call (1/rate).
	perCall bool
	run     func(ctx context.Context, t *target) (rate float64, check string, err error)
}

type target struct {
	name string
	url  string
	stop func()
}

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type config struct {
	duration   time.Duration
	rounds     int
	loopN      int
	clients    []int
	only       map[string]bool
	cairns     []string // name=path; empty: build cmd/cairn
	cairnFlags []string
}

func main() {
	var cfg config
	var bins, cflags listFlag
	var clients, only string
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "duration of each trigger-insert run")
	flag.IntVar(&cfg.rounds, "rounds", 3, "runs of each workload per target")
	flag.IntVar(&cfg.loopN, "n", 1_000_000, "iterations of the loop functions per call")
	flag.StringVar(&clients, "clients", "1,8", "comma-separated client counts of the trigger workload")
	flag.StringVar(&only, "workloads", "", "comma-separated workload names to run (default all)")
	flag.Var(&bins, "cairn", "a cairn binary to measure, as `name=path` (repeatable); default: build cmd/cairn")
	flag.Var(&cflags, "cairnflag", "an extra flag of cairn serve, such as --cpuprofile=FILE (repeatable)")
	flag.Parse()
	for c := range strings.SplitSeq(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "plvs: bad client count %q\n", c)
			os.Exit(2)
		}
		cfg.clients = append(cfg.clients, n)
	}
	if only != "" {
		cfg.only = make(map[string]bool)
		for w := range strings.SplitSeq(only, ",") {
			cfg.only[strings.TrimSpace(w)] = true
		}
	}
	if cfg.duration < time.Second || cfg.rounds <= 0 || cfg.loopN <= 0 {
		fmt.Fprintln(os.Stderr, "plvs: -d must be at least 1s, -rounds and -n positive")
		os.Exit(2)
	}
	cfg.cairns, cfg.cairnFlags = bins, cflags
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "plvs:", err)
		os.Exit(1)
	}
}

func workloads(cfg *config) []workload {
	var ws []workload
	for _, c := range cfg.clients {
		ws = append(ws, workload{
			name: fmt.Sprintf("trigger-insert-%d", c),
			unit: "rows/s",
			run: func(ctx context.Context, t *target) (float64, string, error) {
				rate, err := insertRows(ctx, t, c, cfg.duration)
				return rate, "", err
			},
		})
	}
	for _, fn := range []string{"pl_loop", "pl_arith"} {
		ws = append(ws, workload{
			name:    strings.ReplaceAll(fn, "_", "-"),
			unit:    "s/call",
			perCall: true,
			run: func(ctx context.Context, t *target) (float64, string, error) {
				return callLoop(ctx, t, fn, cfg.loopN)
			},
		})
	}
	if cfg.only != nil {
		ws = slices.DeleteFunc(ws, func(w workload) bool { return !cfg.only[w.name] })
	}
	return ws
}

func run(cfg *config) error {
	ws := workloads(cfg)
	if len(ws) == 0 {
		return fmt.Errorf("no workload selected")
	}
	parent, err := os.MkdirTemp("", "plvs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# plvs: %s per trigger run, loops of %d iterations, %d rounds; go %s, %d CPUs; clients and servers share the machine\n",
		cfg.duration, cfg.loopN, cfg.rounds, runtime.Version(), runtime.NumCPU())
	targets, err := startTargets(cfg, parent)
	defer func() {
		for _, t := range targets {
			t.stop()
		}
	}()
	if err != nil {
		return err
	}
	ctx := context.Background()
	for _, t := range targets {
		if err := createSchema(ctx, t); err != nil {
			return err
		}
	}
	results := make(map[string]map[string][]float64)
	for _, w := range ws {
		results[w.name] = make(map[string][]float64)
		checks := make(map[string]string)
		for r := range cfg.rounds {
			for i := range targets {
				t := targets[(i+r)%len(targets)]
				rate, check, err := w.run(ctx, t)
				if err != nil {
					return err
				}
				checks[t.name] = check
				results[w.name][t.name] = append(results[w.name][t.name], rate)
				fmt.Printf("# %s r%d %-8s %s\n", w.name, r+1, t.name, figure(w, rate))
			}
		}
		for name, c := range checks {
			if c != checks["postgres"] {
				return fmt.Errorf("%s: %s returned %s, PostgreSQL %s", w.name, name, c, checks["postgres"])
			}
		}
	}
	fmt.Println()
	fmt.Println("Ratios: above 1, cairn is faster (rows/s over PostgreSQL's; PostgreSQL's seconds per call over cairn's).")
	fmt.Println()
	header, rule := "| workload | PostgreSQL 15 |", "|---|---:|"
	for _, t := range targets[1:] {
		header += fmt.Sprintf(" %s | ratio |", t.name)
		rule += "---:|---:|"
	}
	fmt.Println(header)
	fmt.Println(rule)
	for _, w := range ws {
		p := results[w.name]["postgres"]
		line := fmt.Sprintf("| %s (%s) | %s %s |", w.name, w.unit, figure(w, runstats.Median(p)), runstats.Spread(p))
		for _, t := range targets[1:] {
			c := results[w.name][t.name]
			line += fmt.Sprintf(" %s %s | **%.2f** |", figure(w, runstats.Median(c)), runstats.Spread(c),
				runstats.Median(c)/runstats.Median(p))
		}
		fmt.Println(line)
	}
	return nil
}

// figure prints a rate in w's unit.
func figure(w workload, rate float64) string {
	if w.perCall {
		return fmt.Sprintf("%.3f", 1/rate)
	}
	return fmt.Sprintf("%.0f", rate)
}

func createSchema(ctx context.Context, t *target) error {
	conn, err := pgx.Connect(ctx, t.url)
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	defer conn.Close(ctx)
	for _, s := range schema {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %s: %w", t.name, s, err)
		}
	}
	return nil
}

// insertRows runs clients connections, each inserting one row at a time
// through a prepared statement for d, and returns the rows per second they
// inserted. It checks afterwards that the triggers wrote an audit row for
// each.
func insertRows(ctx context.Context, t *target, clients int, d time.Duration) (float64, error) {
	const insert = `INSERT INTO events (account, amount, note) VALUES ($1, $2, $3)`
	conns := make([]*pgx.Conn, clients)
	for i := range conns {
		c, err := pgx.Connect(ctx, t.url)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", t.name, err)
		}
		defer c.Close(ctx)
		if _, err := c.Prepare(ctx, "ins", insert); err != nil {
			return 0, fmt.Errorf("%s: preparing the insert: %w", t.name, err)
		}
		conns[i] = c
	}
	var before int64
	if err := conns[0].QueryRow(ctx, `SELECT count(*) FROM events_audit`).Scan(&before); err != nil {
		return 0, fmt.Errorf("%s: %w", t.name, err)
	}
	var done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	start := time.Now()
	deadline := start.Add(d)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			for time.Now().Before(deadline) {
				_, err := c.Exec(ctx, "ins", r.IntN(1000), r.IntN(10_000), fmt.Sprintf("note %d", r.IntN(1000)))
				if err != nil {
					errs <- fmt.Errorf("%s: insert: %w", t.name, err)
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	var after int64
	if err := conns[0].QueryRow(ctx, `SELECT count(*) FROM events_audit WHERE at IS NOT NULL`).Scan(&after); err != nil {
		return 0, fmt.Errorf("%s: %w", t.name, err)
	}
	if after-before != done.Load() {
		return 0, fmt.Errorf("%s: %d rows inserted but %d audit rows written", t.name, done.Load(), after-before)
	}
	return float64(done.Load()) / elapsed.Seconds(), nil
}

// callLoop calls fn(n) once on a fresh connection and returns calls per
// second and the function's result.
func callLoop(ctx context.Context, t *target, fn string, n int) (float64, string, error) {
	conn, err := pgx.Connect(ctx, t.url)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", t.name, err)
	}
	defer conn.Close(ctx)
	var sum int64
	start := time.Now()
	if err := conn.QueryRow(ctx, fmt.Sprintf("SELECT %s($1)", fn), n).Scan(&sum); err != nil {
		return 0, "", fmt.Errorf("%s: %s: %w", t.name, fn, err)
	}
	return 1 / time.Since(start).Seconds(), strconv.FormatInt(sum, 10), nil
}

// startTargets starts PostgreSQL 15 (fsync and synchronous commit on, as
// cairn's commits are durable) and the cairn binaries.
func startTargets(cfg *config, parent string) ([]*target, error) {
	// Not under parent: that is private to root, and postgres runs as
	// another user.
	pgDir, err := os.MkdirTemp("", "plvs-postgres-")
	if err != nil {
		return nil, err
	}
	c, err := pgcluster.Create(pgDir)
	if err != nil {
		os.RemoveAll(pgDir)
		return nil, err
	}
	if err := c.Start("fsync=on", "synchronous_commit=on"); err != nil {
		os.RemoveAll(pgDir)
		return nil, err
	}
	targets := []*target{{name: "postgres", url: c.URL(), stop: func() { c.Stop(); os.RemoveAll(pgDir) }}}
	servers, err := cairnserver.StartNamed(parent, cfg.cairns, cfg.cairnFlags...)
	for _, s := range servers {
		targets = append(targets, &target{name: s.Name, url: s.URL(), stop: s.Stop})
	}
	if err != nil {
		return targets, err
	}
	return targets, nil
}
