package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
	"github.com/cairndb/cairn/bench/internal/runstats"
)

// pgbenchBin is PostgreSQL 15's pgbench.
var pgbenchBin = filepath.Join(pgcluster.BinDir, "pgbench")

// A workload is one of pgbench's built-in scripts with its options.
type workload struct {
	name string
	args []string // before the connection options; -T is added
}

var workloads = []workload{
	{"tpcb-1", []string{"-M", "prepared", "-c", "1", "-j", "1"}},
	{"tpcb-8", []string{"-M", "prepared", "-c", "8", "-j", "2"}},
	{"simple-8", []string{"-N", "-M", "prepared", "-c", "8", "-j", "2"}},
	{"select-8", []string{"-S", "-M", "prepared", "-c", "8", "-j", "2"}},
}

// A target is a server pgbench runs against.
type target struct {
	name     string
	postgres bool
	host     string
	port     string
	stop     func()
}

// binFlag collects -cairn name=path.
type binFlag []string

func (b *binFlag) String() string     { return strings.Join(*b, ",") }
func (b *binFlag) Set(v string) error { *b = append(*b, v); return nil }

type config struct {
	scale    int
	duration time.Duration
	rounds   int
	only     map[string]bool
	cairns   []string // name=path; empty: build cmd/cairn
}

func main() {
	var cfg config
	var bins binFlag
	var only string
	flag.IntVar(&cfg.scale, "scale", 10, "pgbench scale factor (-s) of the initial load")
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "duration of each run (-T)")
	flag.IntVar(&cfg.rounds, "rounds", 3, "runs of each workload per target")
	flag.StringVar(&only, "workloads", "init,tpcb-1,tpcb-8,simple-8,select-8", "comma-separated workloads to run (init always runs)")
	flag.Var(&bins, "cairn", "a cairn binary to measure, as `name=path` (repeatable); default: build cmd/cairn")
	flag.Parse()
	cfg.only = make(map[string]bool)
	for w := range strings.SplitSeq(only, ",") {
		w = strings.TrimSpace(w)
		if w != "init" && !slices.ContainsFunc(workloads, func(x workload) bool { return x.name == w }) {
			fmt.Fprintf(os.Stderr, "pgbenchvs: unknown workload %q\n", w)
			os.Exit(2)
		}
		cfg.only[w] = true
	}
	if cfg.scale <= 0 || cfg.duration < time.Second || cfg.rounds <= 0 {
		fmt.Fprintln(os.Stderr, "pgbenchvs: -scale and -rounds must be positive, -d at least 1s")
		os.Exit(2)
	}
	cfg.cairns = bins
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "pgbenchvs:", err)
		os.Exit(1)
	}
}

func run(cfg *config) error {
	if _, err := os.Stat(pgbenchBin); err != nil {
		return fmt.Errorf("pgbench of PostgreSQL 15 is not installed: %w", err)
	}
	parent, err := os.MkdirTemp("", "pgbenchvs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# pgbenchvs: scale %d, %s per run, %d rounds; go %s, %d CPUs; pgbench and the servers share the machine\n",
		cfg.scale, cfg.duration, cfg.rounds, runtime.Version(), runtime.NumCPU())

	targets, err := startTargets(cfg, parent)
	defer func() {
		for _, t := range targets {
			t.stop()
		}
	}()
	if err != nil {
		return err
	}

	var runs []string
	results := make(map[string]map[string][]float64) // workload -> target -> tps (or seconds, for init)
	results["init"] = make(map[string][]float64)
	for _, t := range targets {
		secs, line, err := initialize(t, cfg.scale)
		if err != nil {
			return err
		}
		results["init"][t.name] = []float64{secs}
		runs = append(runs, fmt.Sprintf("init %s: %s", t.name, line))
		fmt.Printf("# init %-10s %s\n", t.name, line)
	}
	for _, w := range workloads {
		if !cfg.only[w.name] {
			continue
		}
		results[w.name] = make(map[string][]float64)
		for r := range cfg.rounds {
			for i := range targets {
				t := targets[(i+r)%len(targets)]
				tps, line, err := measure(t, w, cfg.duration)
				if err != nil {
					return err
				}
				results[w.name][t.name] = append(results[w.name][t.name], tps)
				runs = append(runs, fmt.Sprintf("%s r%d %s: %s", w.name, r+1, t.name, line))
				fmt.Printf("# %s r%d %-10s %s\n", w.name, r+1, t.name, line)
			}
		}
	}
	printTable(targets, results)
	return nil
}

// startTargets starts PostgreSQL and each cairn, PostgreSQL first.
func startTargets(cfg *config, parent string) ([]*target, error) {
	var targets []*target
	// Not under parent: that is private to root, and postgres runs as
	// another user.
	pgDir, err := os.MkdirTemp("", "pgbenchvs-postgres-")
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
	pg, err := urlTarget("postgres", c.URL(), func() { c.Stop(); os.RemoveAll(pgDir) })
	if err != nil {
		c.Stop()
		os.RemoveAll(pgDir)
		return nil, err
	}
	pg.postgres = true
	targets = append(targets, pg)

	servers, startErr := cairnserver.StartNamed(parent, cfg.cairns)
	for i, s := range servers {
		t, err := urlTarget(s.Name, s.URL(), s.Stop)
		if err != nil {
			for _, rest := range servers[i:] {
				rest.Stop()
			}
			return targets, err
		}
		targets = append(targets, t)
	}
	if startErr != nil {
		return targets, startErr
	}
	for _, t := range targets {
		fmt.Printf("# %s on %s:%s\n", t.name, t.host, t.port)
	}
	return targets, nil
}

func urlTarget(name, rawURL string, stop func()) (*target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &target{name: name, host: u.Hostname(), port: u.Port(), stop: stop}, nil
}

func (t *target) pgbench(ctx context.Context, args ...string) (string, error) {
	args = append(args, "-h", t.host, "-p", t.port, "-U", "postgres", "postgres")
	cmd := exec.CommandContext(ctx, pgbenchBin, args...)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable", "PGAPPNAME=pgbench")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: pgbench %s: %w\n%s", t.name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

var doneRE = regexp.MustCompile(`(?m)^done in ([0-9.]+) s \((.*)\)\.?$`)

// initialize runs pgbench -i and returns its total time in seconds, as
// pgbench reports it, with pgbench's breakdown.
func initialize(t *target, scale int) (float64, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	out, err := t.pgbench(ctx, "-i", "-q", "-s", strconv.Itoa(scale))
	if err != nil {
		return 0, "", err
	}
	m := doneRE.FindStringSubmatch(out)
	if m == nil {
		return 0, "", fmt.Errorf("%s: pgbench -i printed no \"done in\" line:\n%s", t.name, out)
	}
	secs, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, "", err
	}
	return secs, fmt.Sprintf("%.2f s (%s)", secs, m[2]), nil
}

var (
	tpsRE     = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	latencyRE = regexp.MustCompile(`(?m)^latency average = ([0-9.]+) ms`)
	failedRE  = regexp.MustCompile(`(?m)^number of failed transactions: (\d+)`)
)

// measure runs workload w for d and returns its tps, as pgbench reports it,
// with a summary line.
func measure(t *target, w workload, d time.Duration) (float64, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d+5*time.Minute)
	defer cancel()
	args := append(slices.Clone(w.args), "-T", strconv.Itoa(int(d.Seconds())))
	out, err := t.pgbench(ctx, args...)
	if err != nil {
		return 0, "", err
	}
	m := tpsRE.FindStringSubmatch(out)
	if m == nil {
		return 0, "", fmt.Errorf("%s: pgbench printed no tps:\n%s", t.name, out)
	}
	tps, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, "", err
	}
	line := fmt.Sprintf("%.0f tps", tps)
	if m := latencyRE.FindStringSubmatch(out); m != nil {
		line += ", latency " + m[1] + " ms"
	}
	if m := failedRE.FindStringSubmatch(out); m != nil && m[1] != "0" {
		line += ", " + m[1] + " failed"
	}
	return tps, line, nil
}

func printTable(targets []*target, results map[string]map[string][]float64) {
	var pg *target
	var cairns []*target
	for _, t := range targets {
		if t.postgres {
			pg = t
		} else {
			cairns = append(cairns, t)
		}
	}
	if pg == nil {
		return // startTargets always starts PostgreSQL first
	}
	fmt.Println()
	fmt.Printf("| workload | PostgreSQL 15 |")
	for _, c := range cairns {
		fmt.Printf(" %s | ratio |", c.name)
	}
	fmt.Println()
	fmt.Printf("|---|---:|")
	for range cairns {
		fmt.Printf("---:|---:|")
	}
	fmt.Println()
	order := []string{"init"}
	for _, w := range workloads {
		order = append(order, w.name)
	}
	for _, w := range order {
		res, ok := results[w]
		if !ok {
			continue
		}
		p := runstats.Median(res[pg.name])
		if w == "init" {
			fmt.Printf("| init -s (seconds) | %.2f s |", p)
			for _, c := range cairns {
				v := runstats.Median(res[c.name])
				fmt.Printf(" %.2f s | **%.2f** |", v, p/v)
			}
		} else {
			fmt.Printf("| %s (tps) | %.0f %s |", w, p, runstats.Spread(res[pg.name]))
			for _, c := range cairns {
				v := runstats.Median(res[c.name])
				fmt.Printf(" %.0f %s | **%.2f** |", v, runstats.Spread(res[c.name]), v/p)
			}
		}
		fmt.Println()
	}
}
