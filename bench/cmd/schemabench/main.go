// Command schemabench measures the writes an application's schema makes
// costly, cairn against PostgreSQL 15 in the same run: a per-row INSERT
// into a child table with a foreign key and two secondary indexes, and
// INSERT ... ON CONFLICT DO UPDATE upserts on a hot key range. Each
// workload runs with 1 and 8 clients, each client one autocommit statement
// at a time through a prepared statement (pgx), for -d per run, the targets
// alternating over -rounds rounds. It prints statements per second and
// cairn's ratio to PostgreSQL (above 1: cairn is faster).
//
// -cairn name=path (repeatable) measures the given cairn binaries instead
// of one built from this repository, each against the same PostgreSQL in
// the same run (an A/B of two builds); -cairnflag passes a flag to each
// cairn serve (such as --cpuprofile=FILE); -workloads picks workloads by
// name (fk-insert-1, upsert-1, fk-insert-8, upsert-8).
//
//	cd bench && go run ./cmd/schemabench
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
	"github.com/cairndb/cairn/bench/internal/runstats"
)

// parents is the number of rows of the referenced table, and of the keys
// the upserts spread over.
const parents = 10_000

var schema = []string{
	`CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL)`,
	`INSERT INTO parent SELECT g, 'parent ' || g FROM generate_series(1, 10000) g`,
	`CREATE TABLE child (
		id bigserial PRIMARY KEY,
		parent_id int NOT NULL REFERENCES parent (id) ON DELETE CASCADE,
		qty int NOT NULL,
		note text,
		created timestamptz NOT NULL DEFAULT now())`,
	`CREATE INDEX child_parent ON child (parent_id)`,
	`CREATE INDEX child_qty_note ON child (qty, note)`,
	`CREATE TABLE counter (k int PRIMARY KEY, hits bigint NOT NULL, updated timestamptz NOT NULL)`,
}

// A workload is one statement a client runs over and over with fresh
// arguments.
type workload struct {
	name    string
	clients int
	sql     string
	args    func(r *rand.Rand) []any
}

var workloads = []workload{}

func init() {
	insert := `INSERT INTO child (parent_id, qty, note) VALUES ($1, $2, $3)`
	insertArgs := func(r *rand.Rand) []any {
		return []any{r.IntN(parents) + 1, r.IntN(100), fmt.Sprintf("note %d", r.IntN(1000))}
	}
	upsert := `INSERT INTO counter (k, hits, updated) VALUES ($1, 1, now())
		ON CONFLICT (k) DO UPDATE SET hits = counter.hits + 1, updated = excluded.updated`
	upsertArgs := func(r *rand.Rand) []any { return []any{r.IntN(parents) + 1} }
	for _, c := range []int{1, 8} {
		workloads = append(workloads,
			workload{fmt.Sprintf("fk-insert-%d", c), c, insert, insertArgs},
			workload{fmt.Sprintf("upsert-%d", c), c, upsert, upsertArgs})
	}
}

type target struct {
	name string
	url  string
	stop func()
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var bins, cflags listFlag
	duration := flag.Duration("d", 10*time.Second, "duration of each run")
	rounds := flag.Int("rounds", 3, "runs of each workload per target")
	only := flag.String("workloads", "", "comma-separated workload names to run (default all)")
	flag.Var(&bins, "cairn", "a cairn binary to measure, as `name=path` (repeatable); default: build cmd/cairn")
	flag.Var(&cflags, "cairnflag", "an extra flag of cairn serve, such as --cpuprofile=FILE (repeatable)")
	flag.Parse()
	if *duration < time.Second || *rounds <= 0 {
		fmt.Fprintln(os.Stderr, "schemabench: -d must be at least 1s and -rounds positive")
		os.Exit(2)
	}
	ws := workloads
	if *only != "" {
		names := strings.Split(*only, ",")
		for i := range names {
			names[i] = strings.TrimSpace(names[i])
		}
		ws = slices.DeleteFunc(slices.Clone(ws), func(w workload) bool { return !slices.Contains(names, w.name) })
		if len(ws) == 0 {
			fmt.Fprintf(os.Stderr, "schemabench: no workload named in -workloads %q\n", *only)
			os.Exit(2)
		}
	}
	if err := run(ws, *duration, *rounds, bins, cflags); err != nil {
		fmt.Fprintln(os.Stderr, "schemabench:", err)
		os.Exit(1)
	}
}

func run(ws []workload, d time.Duration, rounds int, bins, cflags []string) error {
	parent, err := os.MkdirTemp("", "schemabench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# schemabench: %s per run, %d rounds; go %s, %d CPUs; clients and servers share the machine\n",
		d, rounds, runtime.Version(), runtime.NumCPU())
	targets, err := startTargets(parent, bins, cflags)
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
		conn, err := pgx.Connect(ctx, t.url)
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		for _, s := range schema {
			if _, err := conn.Exec(ctx, s); err != nil {
				conn.Close(ctx)
				return fmt.Errorf("%s: %s: %w", t.name, s, err)
			}
		}
		conn.Close(ctx)
	}
	results := make(map[string]map[string][]float64)
	for _, w := range ws {
		results[w.name] = make(map[string][]float64)
		for r := range rounds {
			for i := range targets {
				t := targets[(i+r)%len(targets)]
				rate, err := measure(ctx, t, w, d)
				if err != nil {
					return err
				}
				results[w.name][t.name] = append(results[w.name][t.name], rate)
				fmt.Printf("# %s r%d %-8s %.0f statements/s\n", w.name, r+1, t.name, rate)
			}
		}
	}
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
		line := fmt.Sprintf("| %s (statements/s) | %.0f %s |", w.name, runstats.Median(p), runstats.Spread(p))
		for _, t := range targets[1:] {
			c := results[w.name][t.name]
			line += fmt.Sprintf(" %.0f %s | **%.2f** |", runstats.Median(c), runstats.Spread(c), runstats.Median(c)/runstats.Median(p))
		}
		fmt.Println(line)
	}
	return nil
}

// measure runs w's clients against t for d and returns the statements
// per second they completed. Any error ends the run: neither workload
// should fail.
func measure(ctx context.Context, t *target, w workload, d time.Duration) (float64, error) {
	conns := make([]*pgx.Conn, w.clients)
	for i := range conns {
		c, err := pgx.Connect(ctx, t.url)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", t.name, err)
		}
		defer c.Close(ctx)
		if _, err := c.Prepare(ctx, "stmt", w.sql); err != nil {
			return 0, fmt.Errorf("%s: preparing %s: %w", t.name, w.name, err)
		}
		conns[i] = c
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
			r := rand.New(rand.NewPCG(uint64(i), 42))
			for time.Now().Before(deadline) {
				if _, err := c.Exec(ctx, "stmt", w.args(r)...); err != nil {
					errs <- fmt.Errorf("%s: %s: %w", t.name, w.name, err)
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
	return float64(done.Load()) / elapsed.Seconds(), nil
}

// startTargets starts PostgreSQL 15 (fsync and synchronous commit on, as
// cairn's commits are durable) and the cairn binaries bins (name=path),
// or one built from this repository when there are none, each serve
// given the flags cflags.
func startTargets(parent string, bins, cflags []string) ([]*target, error) {
	pgDir, err := os.MkdirTemp("", "schemabench-postgres-")
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
	servers, err := cairnserver.StartNamed(parent, bins, cflags...)
	for _, s := range servers {
		targets = append(targets, &target{name: s.Name, url: s.URL(), stop: s.Stop})
	}
	if err != nil {
		return targets, err
	}
	return targets, nil
}
