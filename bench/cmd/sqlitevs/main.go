package main

import (
	"context"
	stdsql "database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	_ "github.com/cairndb/cairn" // registers the database/sql driver "cairn"
	"github.com/cairndb/cairn/bench/internal/runstats"
	_ "github.com/mattn/go-sqlite3"
)

const (
	createSQL = `CREATE TABLE t (id bigint PRIMARY KEY, a bigint NOT NULL, b text NOT NULL)`
	insertSQL = `INSERT INTO t (id, a, b) VALUES ($1, $2, $3)`
	selectSQL = `SELECT a, b FROM t WHERE id = $1`
)

// padding is the text column's value: 40 bytes.
var padding = strings.Repeat("x", 40)

type config struct {
	rows     int
	lookups  int
	duration time.Duration
	rounds   int
}

// engine opens a fresh database of one kind in a directory.
type engine struct {
	name string
	open func(dir string) (*stdsql.DB, error)
}

var engines = []engine{
	{"cairn", func(dir string) (*stdsql.DB, error) {
		return stdsql.Open("cairn", filepath.Join(dir, "cairn"))
	}},
	{"sqlite", func(dir string) (*stdsql.DB, error) {
		// WAL mode with synchronous=FULL: every commit syncs the WAL.
		return stdsql.Open("sqlite3", "file:"+filepath.Join(dir, "sqlite.db")+"?_journal_mode=WAL&_synchronous=FULL")
	}},
}

func main() {
	var cfg config
	flag.IntVar(&cfg.rows, "rows", 100_000, "rows of the bulk insert")
	flag.IntVar(&cfg.lookups, "lookups", 200_000, "point selects per round")
	flag.DurationVar(&cfg.duration, "d", 5*time.Second, "duration of each autocommit round")
	flag.IntVar(&cfg.rounds, "rounds", 3, "rounds of each workload per engine")
	flag.Parse()
	if cfg.rows <= 0 || cfg.lookups <= 0 || cfg.duration <= 0 || cfg.rounds <= 0 {
		fmt.Fprintln(os.Stderr, "sqlitevs: -rows, -lookups, -d and -rounds must be positive")
		os.Exit(2)
	}
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "sqlitevs:", err)
		os.Exit(1)
	}
}

// open is one engine's database of the current round.
type open struct {
	db  *stdsql.DB
	dir string
}

func run(cfg *config) error {
	ctx := context.Background()
	parent, err := os.MkdirTemp("", "sqlitevs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# sqlitevs: %d rows, %d lookups, autocommit %s, %d rounds; go %s, %d CPUs, dir %s\n",
		cfg.rows, cfg.lookups, cfg.duration, cfg.rounds, runtime.Version(), runtime.NumCPU(), parent)
	var version string
	if db, err := stdsql.Open("sqlite3", ":memory:"); err == nil {
		db.QueryRow("SELECT sqlite_version()").Scan(&version)
		db.Close()
	}
	fmt.Printf("# sqlite %s (mattn/go-sqlite3), journal_mode=WAL, synchronous=FULL; cairn embedded, commits sync its log\n", version)

	results := map[string]map[string][]float64{"bulk": {}, "point": {}, "autocommit": {}}
	dbs := make(map[string]*open)
	defer func() {
		for _, o := range dbs {
			o.db.Close()
		}
	}()
	order := func(r int) []engine {
		out := slices.Clone(engines)
		if r%2 == 1 {
			slices.Reverse(out)
		}
		return out
	}
	for r := range cfg.rounds {
		for _, e := range order(r) {
			if o := dbs[e.name]; o != nil {
				o.db.Close()
				os.RemoveAll(o.dir)
			}
			dir := filepath.Join(parent, fmt.Sprintf("%s-%d", e.name, r))
			if err := os.Mkdir(dir, 0o700); err != nil {
				return err
			}
			db, err := e.open(dir)
			if err != nil {
				return fmt.Errorf("%s: %w", e.name, err)
			}
			db.SetMaxOpenConns(1)
			dbs[e.name] = &open{db: db, dir: dir}
			if _, err := db.ExecContext(ctx, createSQL); err != nil {
				return fmt.Errorf("%s: %w", e.name, err)
			}
			rate, err := bulk(ctx, db, cfg.rows)
			if err != nil {
				return fmt.Errorf("%s bulk: %w", e.name, err)
			}
			results["bulk"][e.name] = append(results["bulk"][e.name], rate)
			fmt.Printf("# bulk r%d %-6s %.0f rows/s\n", r+1, e.name, rate)
		}
	}
	for r := range cfg.rounds {
		for _, e := range order(r) {
			rate, err := point(ctx, dbs[e.name].db, cfg.rows, cfg.lookups, uint64(r))
			if err != nil {
				return fmt.Errorf("%s point: %w", e.name, err)
			}
			results["point"][e.name] = append(results["point"][e.name], rate)
			fmt.Printf("# point r%d %-6s %.0f lookups/s\n", r+1, e.name, rate)
		}
	}
	next := map[string]int{}
	for r := range cfg.rounds {
		for _, e := range order(r) {
			if next[e.name] == 0 {
				next[e.name] = cfg.rows
			}
			rate, n, err := autocommit(ctx, dbs[e.name].db, next[e.name], cfg.duration)
			if err != nil {
				return fmt.Errorf("%s autocommit: %w", e.name, err)
			}
			next[e.name] += n
			results["autocommit"][e.name] = append(results["autocommit"][e.name], rate)
			fmt.Printf("# autocommit r%d %-6s %.0f commits/s\n", r+1, e.name, rate)
		}
	}
	fmt.Println()
	fmt.Println("| workload | SQLite | cairn | ratio |")
	fmt.Println("|---|---:|---:|---:|")
	for _, w := range []struct{ name, unit string }{{"bulk", "rows/s"}, {"point", "lookups/s"}, {"autocommit", "commits/s"}} {
		s, c := runstats.Median(results[w.name]["sqlite"]), runstats.Median(results[w.name]["cairn"])
		fmt.Printf("| %s (%s) | %.0f %s | %.0f %s | **%.2f** |\n", w.name, w.unit,
			s, runstats.Spread(results[w.name]["sqlite"]), c, runstats.Spread(results[w.name]["cairn"]), c/s)
	}
	return nil
}

// bulk inserts rows 0..n-1 in one transaction and returns rows per second.
func bulk(ctx context.Context, db *stdsql.DB, n int) (float64, error) {
	start := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, insertSQL)
	if err != nil {
		return 0, err
	}
	for i := range n {
		if _, err := stmt.ExecContext(ctx, int64(i), int64(i)*7, padding); err != nil {
			return 0, err
		}
	}
	if err := stmt.Close(); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// point looks up random ids below rows and returns lookups per second; it
// checks each answer.
func point(ctx context.Context, db *stdsql.DB, rows, lookups int, seed uint64) (float64, error) {
	stmt, err := db.PrepareContext(ctx, selectSQL)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	rnd := rand.New(rand.NewPCG(seed, 1))
	start := time.Now()
	for range lookups {
		id := rnd.Int64N(int64(rows))
		var a int64
		var b string
		if err := stmt.QueryRowContext(ctx, id).Scan(&a, &b); err != nil {
			return 0, fmt.Errorf("id %d: %w", id, err)
		}
		if a != id*7 || b != padding {
			return 0, fmt.Errorf("id %d: got (%d, %q)", id, a, b)
		}
	}
	return float64(lookups) / time.Since(start).Seconds(), nil
}

// autocommit inserts rows from id first on, each in its own transaction,
// for d; it returns commits per second and the rows inserted.
func autocommit(ctx context.Context, db *stdsql.DB, first int, d time.Duration) (float64, int, error) {
	stmt, err := db.PrepareContext(ctx, insertSQL)
	if err != nil {
		return 0, 0, err
	}
	defer stmt.Close()
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		id := int64(first + n)
		if _, err := stmt.ExecContext(ctx, id, id*7, padding); err != nil {
			return 0, n, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), n, nil
}
