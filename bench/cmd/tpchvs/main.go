package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
	"github.com/cairndb/cairn/bench/internal/runstats"
)

// tables lists the tables in load order.
var tables = []string{"region", "nation", "supplier", "part", "partsupp", "customer", "orders", "lineitem"}

// schema is the specification's table layout (clause 1.4): identifiers
// as integer, decimals as decimal(15,2), fixed text as char(N).
var schema = []string{
	`CREATE TABLE region (r_regionkey integer NOT NULL, r_name char(25) NOT NULL, r_comment varchar(152))`,
	`CREATE TABLE nation (n_nationkey integer NOT NULL, n_name char(25) NOT NULL, n_regionkey integer NOT NULL, n_comment varchar(152))`,
	`CREATE TABLE supplier (s_suppkey integer NOT NULL, s_name char(25) NOT NULL, s_address varchar(40) NOT NULL,
		s_nationkey integer NOT NULL, s_phone char(15) NOT NULL, s_acctbal decimal(15,2) NOT NULL, s_comment varchar(101) NOT NULL)`,
	`CREATE TABLE part (p_partkey integer NOT NULL, p_name varchar(55) NOT NULL, p_mfgr char(25) NOT NULL,
		p_brand char(10) NOT NULL, p_type varchar(25) NOT NULL, p_size integer NOT NULL, p_container char(10) NOT NULL,
		p_retailprice decimal(15,2) NOT NULL, p_comment varchar(23) NOT NULL)`,
	`CREATE TABLE partsupp (ps_partkey integer NOT NULL, ps_suppkey integer NOT NULL, ps_availqty integer NOT NULL,
		ps_supplycost decimal(15,2) NOT NULL, ps_comment varchar(199) NOT NULL)`,
	`CREATE TABLE customer (c_custkey integer NOT NULL, c_name varchar(25) NOT NULL, c_address varchar(40) NOT NULL,
		c_nationkey integer NOT NULL, c_phone char(15) NOT NULL, c_acctbal decimal(15,2) NOT NULL,
		c_mktsegment char(10) NOT NULL, c_comment varchar(117) NOT NULL)`,
	`CREATE TABLE orders (o_orderkey integer NOT NULL, o_custkey integer NOT NULL, o_orderstatus char(1) NOT NULL,
		o_totalprice decimal(15,2) NOT NULL, o_orderdate date NOT NULL, o_orderpriority char(15) NOT NULL,
		o_clerk char(15) NOT NULL, o_shippriority integer NOT NULL, o_comment varchar(79) NOT NULL)`,
	`CREATE TABLE lineitem (l_orderkey integer NOT NULL, l_partkey integer NOT NULL, l_suppkey integer NOT NULL,
		l_linenumber integer NOT NULL, l_quantity decimal(15,2) NOT NULL, l_extendedprice decimal(15,2) NOT NULL,
		l_discount decimal(15,2) NOT NULL, l_tax decimal(15,2) NOT NULL, l_returnflag char(1) NOT NULL,
		l_linestatus char(1) NOT NULL, l_shipdate date NOT NULL, l_commitdate date NOT NULL, l_receiptdate date NOT NULL,
		l_shipinstruct char(25) NOT NULL, l_shipmode char(10) NOT NULL, l_comment varchar(44) NOT NULL)`,
}

// primaryKeys are added after the load, as the specification allows.
var primaryKeys = []string{
	`ALTER TABLE region ADD PRIMARY KEY (r_regionkey)`,
	`ALTER TABLE nation ADD PRIMARY KEY (n_nationkey)`,
	`ALTER TABLE supplier ADD PRIMARY KEY (s_suppkey)`,
	`ALTER TABLE part ADD PRIMARY KEY (p_partkey)`,
	`ALTER TABLE partsupp ADD PRIMARY KEY (ps_partkey, ps_suppkey)`,
	`ALTER TABLE customer ADD PRIMARY KEY (c_custkey)`,
	`ALTER TABLE orders ADD PRIMARY KEY (o_orderkey)`,
	`ALTER TABLE lineitem ADD PRIMARY KEY (l_orderkey, l_linenumber)`,
}

// foreignKeyIndexes index the foreign-key columns a primary key does not
// already lead with (the specification allows indexes on foreign keys).
var foreignKeyIndexes = []string{
	`CREATE INDEX nation_regionkey ON nation (n_regionkey)`,
	`CREATE INDEX supplier_nationkey ON supplier (s_nationkey)`,
	`CREATE INDEX partsupp_suppkey ON partsupp (ps_suppkey)`,
	`CREATE INDEX customer_nationkey ON customer (c_nationkey)`,
	`CREATE INDEX orders_custkey ON orders (o_custkey)`,
	`CREATE INDEX lineitem_part_supp ON lineitem (l_partkey, l_suppkey)`,
}

type config struct {
	sf        float64
	seed      uint64
	rounds    int
	timeout   time.Duration
	pgURL     string // empty: a throwaway cluster
	cairnBin  string // empty: build cmd/cairn
	cairnURL  string // an already running cairn
	noCLoad   bool   // that cairn already holds the data
	noPGLoad  bool   // PostgreSQL already holds the data
	fkIndexes bool
	only      map[int]bool
	plans     int
	loadOnly  bool
}

func main() {
	var cfg config
	var only string
	flag.Float64Var(&cfg.sf, "sf", 0.01, "scale factor")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the data generator")
	flag.IntVar(&cfg.rounds, "rounds", 1, "runs of each query per target")
	flag.DurationVar(&cfg.timeout, "timeout", 300*time.Second, "per-query timeout (statement_timeout on both targets)")
	flag.StringVar(&cfg.pgURL, "pg", "", "URL of a PostgreSQL 15 database to load into (its TPC-H tables are dropped first); default: a throwaway cluster")
	flag.StringVar(&cfg.cairnBin, "cairn", "", "cairn binary to serve with; default: build cmd/cairn")
	flag.StringVar(&cfg.cairnURL, "cairn-url", "", "URL of a running cairn to load into instead of a fresh server")
	flag.BoolVar(&cfg.noCLoad, "cairn-loaded", false, "cairn (-cairn-url) already holds the data of this -sf and -seed (no load)")
	flag.BoolVar(&cfg.noPGLoad, "pg-loaded", false, "PostgreSQL (-pg) already holds the data of this -sf and -seed (no load)")
	flag.BoolVar(&cfg.fkIndexes, "fk-indexes", true, "index the foreign-key columns as well as the primary keys")
	flag.StringVar(&only, "queries", "", "comma-separated query numbers to run (default all 22)")
	flag.IntVar(&cfg.plans, "plans", 5, "print the EXPLAIN of this many slowest cairn queries")
	flag.BoolVar(&cfg.loadOnly, "load-only", false, "load the data and stop")
	flag.Parse()
	if cfg.sf <= 0 || cfg.rounds <= 0 || cfg.timeout <= 0 {
		fmt.Fprintln(os.Stderr, "tpchvs: -sf, -rounds and -timeout must be positive")
		os.Exit(2)
	}
	if only != "" {
		cfg.only = make(map[int]bool)
		for s := range strings.SplitSeq(only, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 || n > 22 {
				fmt.Fprintf(os.Stderr, "tpchvs: bad query number %q\n", s)
				os.Exit(2)
			}
			cfg.only[n] = true
		}
	}
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "tpchvs:", err)
		os.Exit(1)
	}
}

type target struct {
	name string
	url  string
	conn *pgx.Conn
}

func run(cfg *config) error {
	ctx := context.Background()
	parent, err := os.MkdirTemp("", "tpchvs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# tpchvs: SF %g, seed %d, %d rounds, timeout %v; go %s, %d CPUs; clients and servers share the machine\n",
		cfg.sf, cfg.seed, cfg.rounds, cfg.timeout, runtime.Version(), runtime.NumCPU())

	pg := &target{name: "postgres", url: cfg.pgURL}
	if pg.url == "" {
		// A directory of its own in the temp dir: the server's user must
		// reach it, and parent is private.
		dir, err := os.MkdirTemp("", "tpchvs-pg-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cluster, err := pgcluster.Create(dir)
		if err != nil {
			return err
		}
		if err := cluster.Start(); err != nil {
			return err
		}
		defer cluster.Stop()
		pg.url = cluster.URL()
	}
	cairn := &target{name: "cairn", url: cfg.cairnURL}
	if cairn.url == "" {
		dir := filepath.Join(parent, "cairn")
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		bin := cfg.cairnBin
		if bin == "" {
			if bin, err = cairnserver.Build(dir); err != nil {
				return err
			}
		}
		server, err := cairnserver.StartBinary(bin, dir)
		if err != nil {
			return err
		}
		defer server.Stop()
		cairn.url = server.URL()
	}

	g := newGen(cfg.sf, cfg.seed)
	for _, t := range []*target{pg, cairn} {
		if t.conn, err = pgx.Connect(ctx, t.url); err != nil {
			return fmt.Errorf("connecting to %s: %w", t.name, err)
		}
		defer t.conn.Close(ctx)
		if (t == pg && cfg.noPGLoad) || (t == cairn && cfg.noCLoad) {
			continue
		}
		if err := load(ctx, t, g, cfg.fkIndexes); err != nil {
			return err
		}
	}
	for _, t := range []*target{pg, cairn} {
		if _, err := t.conn.Exec(ctx, fmt.Sprintf("SET statement_timeout = %d", cfg.timeout.Milliseconds())); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if cfg.loadOnly {
		return nil
	}
	return runQueries(ctx, cfg, pg, cairn)
}

// load creates the tables, copies the generated rows in, adds the keys
// and indexes, and analyzes.
func load(ctx context.Context, t *target, g *gen, fkIndexes bool) error {
	start := time.Now()
	exec := func(sql string) error {
		if _, err := t.conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %s: %w", t.name, firstLine(sql), err)
		}
		return nil
	}
	for _, table := range slices.Backward(tables) {
		if err := exec("DROP TABLE IF EXISTS " + table); err != nil {
			return err
		}
	}
	for _, ddl := range schema {
		if err := exec(ddl); err != nil {
			return err
		}
	}
	for _, table := range tables {
		began := time.Now()
		pr, pw := io.Pipe()
		go func() { pw.CloseWithError(g.write(table, pw)) }()
		tag, err := t.conn.PgConn().CopyFrom(ctx, pr, "COPY "+table+" FROM STDIN")
		pr.Close()
		if err != nil {
			return fmt.Errorf("%s: loading %s: %w", t.name, table, err)
		}
		fmt.Printf("# %s: %s %d rows in %.1fs\n", t.name, table, tag.RowsAffected(), time.Since(began).Seconds())
	}
	copied := time.Now()
	ddl := primaryKeys
	if fkIndexes {
		ddl = append(slices.Clone(ddl), foreignKeyIndexes...)
	}
	for _, s := range ddl {
		if err := exec(s); err != nil {
			return err
		}
	}
	indexed := time.Now()
	if err := exec("ANALYZE"); err != nil {
		return err
	}
	fmt.Printf("# %s: load %.1fs (copy %.1fs, keys and indexes %.1fs, analyze %.1fs)\n", t.name,
		time.Since(start).Seconds(), copied.Sub(start).Seconds(), indexed.Sub(copied).Seconds(), time.Since(indexed).Seconds())
	return nil
}

// outcome is one query's measurements against one target.
type outcome struct {
	times []float64 // seconds, one per round that finished
	rows  [][]string
	err   error
}

func runQueries(ctx context.Context, cfg *config, pg, cairn *target) error {
	qs := queries(cfg.sf)
	if cfg.only != nil {
		qs = slices.DeleteFunc(qs, func(q query) bool { return !cfg.only[q.n] })
	}
	targets := []*target{cairn, pg}
	results := make(map[int]map[string]*outcome)
	for _, q := range qs {
		results[q.n] = map[string]*outcome{"cairn": {}, "postgres": {}}
		for r := range cfg.rounds {
			for i := range targets {
				t := targets[(i+r+q.n)%len(targets)]
				o := results[q.n][t.name]
				if o.err != nil {
					continue
				}
				rows, secs, err := timeQuery(ctx, t, q.sql, cfg.timeout)
				if err != nil {
					o.err = err
					fmt.Printf("# Q%d r%d %-8s error: %v\n", q.n, r+1, t.name, err)
					continue
				}
				o.times = append(o.times, secs)
				o.rows = rows
				fmt.Printf("# Q%d r%d %-8s %.3fs %d rows\n", q.n, r+1, t.name, secs, len(rows))
			}
		}
	}

	fmt.Println()
	fmt.Println("Ratio: PostgreSQL's median time over cairn's; above 1, cairn is faster.")
	fmt.Println()
	fmt.Println("| query | PostgreSQL 15 (s) | cairn (s) | ratio | answer |")
	fmt.Println("|---|---:|---:|---:|---|")
	var pgSum, cairnSum float64
	complete, wrong, over2x := true, 0, 0
	type slow struct {
		q    query
		secs float64
	}
	var slowest []slow
	for _, q := range qs {
		p, c := results[q.n]["postgres"], results[q.n]["cairn"]
		answer := compareAnswers(p, c)
		if answer != "same" {
			wrong++
		}
		ps, cs := cell(p), cell(c)
		ratio := "–"
		if p.err == nil && c.err == nil {
			pm, cm := runstats.Median(p.times), runstats.Median(c.times)
			pgSum += pm
			cairnSum += cm
			ratio = fmt.Sprintf("%.2f", pm/cm)
			if cm > 2*pm {
				over2x++
			}
			slowest = append(slowest, slow{q, cm})
		} else {
			complete = false
			if c.err != nil {
				slowest = append(slowest, slow{q, cfg.timeout.Seconds()})
			}
		}
		fmt.Printf("| Q%d | %s | %s | %s | %s |\n", q.n, ps, cs, ratio, answer)
	}
	note := ""
	if !complete {
		note = " (over the queries both finished)"
	}
	fmt.Printf("| total%s | %.2f | %.2f | %.2f | %d of %d differ |\n", note, pgSum, cairnSum, pgSum/cairnSum, wrong, len(qs))
	fmt.Printf("\n%d queries take cairn more than twice PostgreSQL's time.\n", over2x)

	slices.SortFunc(slowest, func(a, b slow) int {
		switch {
		case a.secs > b.secs:
			return -1
		case a.secs < b.secs:
			return 1
		}
		return 0
	})
	for _, s := range slowest[:min(cfg.plans, len(slowest))] {
		fmt.Printf("\n### Q%d: cairn %.2fs\n\n", s.q.n, s.secs)
		for _, t := range []*target{cairn, pg} {
			plan, err := explain(ctx, t, s.q.sql)
			if err != nil {
				plan = "EXPLAIN failed: " + err.Error()
			}
			fmt.Printf("%s:\n\n```\n%s\n```\n\n", t.name, plan)
		}
	}
	return nil
}

// cell is a target's median time, or what went wrong.
func cell(o *outcome) string {
	if o.err != nil {
		if isTimeout(o.err) {
			return "timeout"
		}
		return "error"
	}
	return strings.TrimSpace(fmt.Sprintf("%.3f %s", runstats.Median(o.times), runstats.Spread(o.times)))
}

func isTimeout(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "57014")
}

// timeQuery runs sql with the simple protocol, so every value arrives as
// text, and returns the rows and the wall time until the last row.
func timeQuery(ctx context.Context, t *target, sql string, timeout time.Duration) ([][]string, float64, error) {
	// The server's statement_timeout ends the query; the context only
	// guards against a server that does not.
	ctx, cancel := context.WithTimeout(ctx, timeout+30*time.Second)
	defer cancel()
	start := time.Now()
	results, err := t.conn.PgConn().Exec(ctx, sql).ReadAll()
	secs := time.Since(start).Seconds()
	if err != nil {
		if ctx.Err() != nil {
			// The connection is broken once its context ends; reconnect.
			t.conn.Close(context.Background())
			if c, cerr := pgx.Connect(context.Background(), t.url); cerr == nil {
				t.conn = c
				c.Exec(context.Background(), fmt.Sprintf("SET statement_timeout = %d", timeout.Milliseconds()))
			}
		}
		return nil, secs, err
	}
	var rows [][]string
	for _, res := range results {
		for _, r := range res.Rows {
			row := make([]string, len(r))
			for i, v := range r {
				if v == nil {
					row[i] = "NULL"
				} else {
					row[i] = string(v)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, secs, nil
}

func explain(ctx context.Context, t *target, sql string) (string, error) {
	results, err := t.conn.PgConn().Exec(ctx, "EXPLAIN "+sql).ReadAll()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, res := range results {
		for _, r := range res.Rows {
			if len(r) > 0 {
				b.Write(r[0])
				b.WriteByte('\n')
			}
		}
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

// compareAnswers says whether cairn returned PostgreSQL's rows, in order
// (every query orders its result): "same", or what differs.
func compareAnswers(p, c *outcome) string {
	switch {
	case p.err != nil && c.err != nil:
		return "both failed"
	case p.err != nil:
		return "PostgreSQL failed: " + shortError(p.err)
	case c.err != nil:
		return "cairn failed: " + shortError(c.err)
	case len(p.rows) != len(c.rows):
		return fmt.Sprintf("%d rows, PostgreSQL %d", len(c.rows), len(p.rows))
	}
	for i := range p.rows {
		if len(p.rows[i]) != len(c.rows[i]) {
			return fmt.Sprintf("row %d has %d columns, PostgreSQL's %d", i+1, len(c.rows[i]), len(p.rows[i]))
		}
		for j := range p.rows[i] {
			if !sameValue(p.rows[i][j], c.rows[i][j]) {
				return fmt.Sprintf("row %d column %d: %q, PostgreSQL %q", i+1, j+1, c.rows[i][j], p.rows[i][j])
			}
		}
	}
	return "same"
}

func shortError(err error) string {
	if isTimeout(err) {
		return "timeout"
	}
	s := err.Error()
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// sameValue compares two text values; numbers are compared after
// rounding to two decimals (allowing one unit of the last place, for a
// value that rounds differently from a sum carried at another precision).
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, errA := strconv.ParseFloat(a, 64)
	y, errB := strconv.ParseFloat(b, 64)
	if errA != nil || errB != nil {
		return false
	}
	rx, ry := fmt.Sprintf("%.2f", x), fmt.Sprintf("%.2f", y)
	if rx == ry {
		return true
	}
	d := x - y
	return d <= 0.01+1e-12*max(abs(x), abs(y)) && d >= -0.01-1e-12*max(abs(x), abs(y))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
