package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/bench/internal/cairnserver"
	"github.com/cairndb/cairn/bench/internal/pgcluster"
	"github.com/cairndb/cairn/bench/internal/runstats"
	"github.com/cairndb/cairn/shard"
)

type config struct {
	bin      string // cairn binary; empty: build cmd/cairn
	rows     int
	duration time.Duration
	rounds   int
	scale    int
	only     map[string]bool
}

func main() {
	var cfg config
	var only string
	flag.StringVar(&cfg.bin, "cairn", "", "the cairn binary to run (default: build cmd/cairn)")
	flag.IntVar(&cfg.rows, "rows", 1000000, "rows of the aggregate's table")
	flag.DurationVar(&cfg.duration, "d", 5*time.Second, "duration of each point-query and pgbench run")
	flag.IntVar(&cfg.rounds, "rounds", 3, "rounds of each workload")
	flag.IntVar(&cfg.scale, "scale", 5, "pgbench scale factor (-s)")
	flag.StringVar(&only, "workloads", "point,aggregate,tpcb", "comma-separated workloads to run")
	flag.Parse()
	cfg.only = make(map[string]bool)
	for w := range strings.SplitSeq(only, ",") {
		w = strings.TrimSpace(w)
		if !slices.Contains([]string{"point", "aggregate", "tpcb"}, w) {
			fmt.Fprintf(os.Stderr, "clustervs: unknown workload %q\n", w)
			os.Exit(2)
		}
		cfg.only[w] = true
	}
	if cfg.rows <= 0 || cfg.scale <= 0 || cfg.rounds <= 0 || cfg.duration < time.Second {
		fmt.Fprintln(os.Stderr, "clustervs: -rows, -scale and -rounds must be positive, -d at least 1s")
		os.Exit(2)
	}
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "clustervs:", err)
		os.Exit(1)
	}
}

// A target is a server clients connect to: the coordinator, one node, or
// the single node.
type target struct {
	name string
	url  string
}

func (t target) hostPort() (string, string) {
	u, _ := url.Parse(t.url)
	return u.Hostname(), u.Port()
}

type result struct {
	rows  [][3]string // workload, value, convention
	mu    sync.Mutex
	stops []func()
}

func (r *result) onStop(f func()) {
	r.mu.Lock()
	r.stops = append(r.stops, f)
	r.mu.Unlock()
}

func run(cfg *config) error {
	parent, err := os.MkdirTemp("", "clustervs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	var res result
	defer func() {
		for i := len(res.stops) - 1; i >= 0; i-- {
			res.stops[i]()
		}
	}()
	fmt.Printf("# clustervs: %d rows, %s per run, %d rounds, pgbench scale %d; go %s, %d CPUs; clients, coordinator and nodes share the machine\n",
		cfg.rows, cfg.duration, cfg.rounds, cfg.scale, runtime.Version(), runtime.NumCPU())

	bin := cfg.bin
	if bin == "" {
		if bin, err = cairnserver.Build(parent); err != nil {
			return err
		}
	}
	etcd, err := shard.StartEtcd(filepath.Join(parent, "etcd"), freeAddr(), freeAddr(), 30*time.Second)
	if err != nil {
		return err
	}
	res.onStop(etcd.Close)

	var nodes []target
	var members []string
	for i := range 3 {
		n, err := startNode(bin, parent, fmt.Sprintf("node-%d", i+1), &res)
		if err != nil {
			return err
		}
		nodes = append(nodes, n)
		u, _ := url.Parse(n.url)
		members = append(members, n.name+"="+u.Host)
	}
	single, err := startNode(bin, parent, "single", &res)
	if err != nil {
		return err
	}
	coord, err := startCoordinator(bin, parent, strings.Join(etcd.Endpoints(), ","), strings.Join(members, ","), &res)
	if err != nil {
		return err
	}
	fmt.Printf("# coordinator %s; nodes %s; single %s\n", coord.url, strings.Join(members, " "), single.url)

	ctx := context.Background()
	if cfg.only["point"] || cfg.only["aggregate"] {
		for _, t := range []target{coord, single} {
			start := time.Now()
			if err := loadKV(ctx, t, cfg.rows, t.name == "coordinator"); err != nil {
				return err
			}
			fmt.Printf("# load kv %-11s %d rows in %.2f s\n", t.name, cfg.rows, time.Since(start).Seconds())
		}
	}
	if cfg.only["point"] {
		if err := pointWorkload(ctx, cfg, coord, nodes[0], &res); err != nil {
			return err
		}
	}
	if cfg.only["aggregate"] {
		if err := aggregateWorkload(ctx, cfg, coord, single, &res); err != nil {
			return err
		}
	}
	if cfg.only["tpcb"] {
		if err := tpcbWorkload(ctx, cfg, coord, single, &res); err != nil {
			return err
		}
	}
	fmt.Println()
	fmt.Println("| workload | figures | ratio |")
	fmt.Println("|---|---|---:|")
	for _, r := range res.rows {
		fmt.Printf("| %s | %s | %s |\n", r[0], r[1], r[2])
	}
	return nil
}

// freeAddr is a loopback address with a port free right now.
func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "127.0.0.1:0"
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startNode(bin, parent, name string, res *result) (target, error) {
	dir := filepath.Join(parent, name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return target{}, err
	}
	s, err := cairnserver.StartBinary(bin, dir)
	if err != nil {
		return target{}, fmt.Errorf("%s: %w", name, err)
	}
	res.onStop(s.Stop)
	return target{name: name, url: s.URL()}, nil
}

var coordinatorRE = regexp.MustCompile(`^cairn coordinator on (\S+)$`)

// startCoordinator runs `cairn coordinator` for the nodes and waits until
// it serves clients.
func startCoordinator(bin, parent, etcd, members string, res *result) (target, error) {
	logf, err := os.Create(filepath.Join(parent, "coordinator.log"))
	if err != nil {
		return target{}, err
	}
	cmd := exec.Command(bin, "coordinator", "--listen", "127.0.0.1:0", "--etcd", etcd, "--node", members)
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return target{}, err
	}
	if err := cmd.Start(); err != nil {
		return target{}, fmt.Errorf("starting the coordinator: %w", err)
	}
	done := make(chan struct{})
	res.onStop(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := coordinatorRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		logf.Close()
		close(done)
	}()
	select {
	case a := <-addr:
		return target{name: "coordinator", url: fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", a)}, nil
	case <-done:
		b, _ := os.ReadFile(logf.Name())
		return target{}, fmt.Errorf("the coordinator exited during startup: %v\n%s", cmd.ProcessState, b)
	case <-time.After(60 * time.Second):
		return target{}, fmt.Errorf("the coordinator did not start within 60s")
	}
}

func connect(ctx context.Context, t target) (*pgx.Conn, error) {
	c, err := pgx.Connect(ctx, t.url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	return c, nil
}

// loadKV creates kv (distributed on k when distribute) and COPYs rows
// into it.
func loadKV(ctx context.Context, t target, rows int, distribute bool) error {
	c, err := connect(ctx, t)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	stmts := []string{"CREATE TABLE kv (k int8 PRIMARY KEY, g int4 NOT NULL, v int8 NOT NULL)"}
	if distribute {
		stmts = append(stmts, "SELECT create_distributed_table('kv', 'k')")
	}
	for _, s := range stmts {
		if _, err := c.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %s: %w", t.name, s, err)
		}
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == rows {
			return nil, nil
		}
		i++
		k := int64(i)
		return []any{k, int32(k % 100), k * 7 % 1000}, nil
	})
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"kv"}, []string{"k", "g", "v"}, src); err != nil {
		return fmt.Errorf("%s: COPY kv: %w", t.name, err)
	}
	if _, err := c.Exec(ctx, "ANALYZE kv"); err != nil {
		return fmt.Errorf("%s: ANALYZE kv: %w", t.name, err)
	}
	return nil
}

const pointSQL = "SELECT v FROM kv WHERE k = $1"

// pointWorkload compares prepared point queries for keys owned by node
// through the coordinator and directly on node.
func pointWorkload(ctx context.Context, cfg *config, coord, node target, res *result) error {
	c, err := connect(ctx, node)
	if err != nil {
		return err
	}
	var keys []int64
	rows, err := c.Query(ctx, "SELECT k FROM kv LIMIT 10000")
	if err == nil {
		keys, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	}
	c.Close(ctx)
	if err != nil {
		return fmt.Errorf("%s: keys it holds: %w", node.name, err)
	}
	if len(keys) == 0 {
		return fmt.Errorf("%s holds no rows of kv", node.name)
	}
	direct := target{name: "direct", url: node.url}
	sides := []target{coord, direct}
	p50 := map[string][]float64{}
	mean := map[string][]float64{}
	qps := map[string][]float64{}
	for r := range cfg.rounds {
		for i := range sides {
			t := sides[(i+r)%2]
			lat, err := pointLatency(ctx, t, keys, cfg.duration)
			if err != nil {
				return err
			}
			slices.Sort(lat)
			var sum time.Duration
			for _, l := range lat {
				sum += l
			}
			m := float64(sum.Microseconds()) / float64(len(lat))
			p := float64(lat[len(lat)/2].Nanoseconds()) / 1e3
			p50[t.name] = append(p50[t.name], p)
			mean[t.name] = append(mean[t.name], m)
			fmt.Printf("# point-1 r%d %-11s %d queries, p50 %.0f µs, mean %.0f µs\n", r+1, t.name, len(lat), p, m)
		}
		for i := range sides {
			t := sides[(i+r)%2]
			n, err := pointThroughput(ctx, t, keys, 8, cfg.duration)
			if err != nil {
				return err
			}
			qps[t.name] = append(qps[t.name], n)
			fmt.Printf("# point-8 r%d %-11s %.0f queries/s\n", r+1, t.name, n)
		}
	}
	cp, dp := runstats.Median(p50["coordinator"]), runstats.Median(p50["direct"])
	cm, dm := runstats.Median(mean["coordinator"]), runstats.Median(mean["direct"])
	cq, dq := runstats.Median(qps["coordinator"]), runstats.Median(qps["direct"])
	res.rows = append(res.rows,
		[3]string{"point SELECT by key, 1 client, p50", fmt.Sprintf("coordinator %.0f µs, direct %.0f µs", cp, dp), fmt.Sprintf("**%+.0f%%** added latency", (cp/dp-1)*100)},
		[3]string{"point SELECT by key, 1 client, mean", fmt.Sprintf("coordinator %.0f µs %s, direct %.0f µs %s", cm, runstats.Spread(mean["coordinator"]), dm, runstats.Spread(mean["direct"])), fmt.Sprintf("**%+.0f%%** added latency", (cm/dm-1)*100)},
		[3]string{"point SELECT by key, 8 clients", fmt.Sprintf("coordinator %.0f q/s %s, direct %.0f q/s %s", cq, runstats.Spread(qps["coordinator"]), dq, runstats.Spread(qps["direct"])), fmt.Sprintf("**%.2f** (coordinator / direct)", cq/dq)},
	)
	return nil
}

// pointLatency runs the point query on one connection for d and returns
// each query's latency.
func pointLatency(ctx context.Context, t target, keys []int64, d time.Duration) ([]time.Duration, error) {
	c, err := connect(ctx, t)
	if err != nil {
		return nil, err
	}
	defer c.Close(ctx)
	if _, err := c.Prepare(ctx, "point", pointSQL); err != nil {
		return nil, fmt.Errorf("%s: prepare: %w", t.name, err)
	}
	var lat []time.Duration
	var v int64
	end := time.Now().Add(d)
	for i := 0; ; i++ {
		start := time.Now()
		if start.After(end) {
			break
		}
		if err := c.QueryRow(ctx, "point", keys[i%len(keys)]).Scan(&v); err != nil {
			return nil, fmt.Errorf("%s: point query: %w", t.name, err)
		}
		lat = append(lat, time.Since(start))
	}
	return lat, nil
}

// pointThroughput runs the point query on clients connections for d and
// returns the queries per second of all of them.
func pointThroughput(ctx context.Context, t target, keys []int64, clients int, d time.Duration) (float64, error) {
	conns := make([]*pgx.Conn, clients)
	for i := range conns {
		c, err := connect(ctx, t)
		if err != nil {
			return 0, err
		}
		defer c.Close(ctx)
		if _, err := c.Prepare(ctx, "point", pointSQL); err != nil {
			return 0, fmt.Errorf("%s: prepare: %w", t.name, err)
		}
		conns[i] = c
	}
	counts := make([]int, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for i, c := range conns {
		wg.Go(func() {
			var v int64
			for j := i * 997; time.Now().Before(end); j++ {
				if err := c.QueryRow(ctx, "point", keys[j%len(keys)]).Scan(&v); err != nil {
					errs[i] = fmt.Errorf("%s: point query: %w", t.name, err)
					return
				}
				counts[i]++
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds()
	total := 0
	for i := range counts {
		if errs[i] != nil {
			return 0, errs[i]
		}
		total += counts[i]
	}
	return float64(total) / elapsed, nil
}

const aggregateSQL = "SELECT g, count(*), sum(v), min(v), max(v) FROM kv GROUP BY g ORDER BY g"

// aggregateWorkload times the GROUP BY aggregate on the cluster and on the
// single node, checking that both give the same answer.
func aggregateWorkload(ctx context.Context, cfg *config, coord, single target, res *result) error {
	sides := []target{coord, single}
	secs := map[string][]float64{}
	answers := map[string]string{}
	for r := range cfg.rounds {
		for i := range sides {
			t := sides[(i+r)%2]
			c, err := connect(ctx, t)
			if err != nil {
				return err
			}
			start := time.Now()
			rows, err := c.Query(ctx, aggregateSQL)
			var out strings.Builder
			n := 0
			if err == nil {
				for rows.Next() {
					vals, verr := rows.Values()
					if verr != nil {
						err = verr
						break
					}
					fmt.Fprintln(&out, vals...)
					n++
				}
				rows.Close()
				if err == nil {
					err = rows.Err()
				}
			}
			s := time.Since(start).Seconds()
			c.Close(ctx)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", t.name, aggregateSQL, err)
			}
			answers[t.name] = out.String()
			secs[t.name] = append(secs[t.name], s)
			fmt.Printf("# aggregate r%d %-11s %d groups in %.3f s\n", r+1, t.name, n, s)
		}
	}
	if answers["coordinator"] != answers["single"] {
		return fmt.Errorf("the cluster and the single node disagree on %s", aggregateSQL)
	}
	cs, ss := runstats.Median(secs["coordinator"]), runstats.Median(secs["single"])
	res.rows = append(res.rows, [3]string{
		fmt.Sprintf("count/sum/min/max GROUP BY g (100 groups) over %d rows, 3 nodes vs 1", cfg.rows),
		fmt.Sprintf("cluster %.3f s %s, single %.3f s %s", cs, runstats.Spread(secs["coordinator"]), ss, runstats.Spread(secs["single"])),
		fmt.Sprintf("**%.2f** (single time / cluster time; above 1 the cluster is faster)", ss/cs),
	})
	return nil
}

func pgbenchBin() string {
	p := filepath.Join(pgcluster.BinDir, "pgbench")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p
	}
	return p
}

func pgbench(ctx context.Context, t target, args ...string) (string, error) {
	host, port := t.hostPort()
	args = append(args, "-h", host, "-p", port, "-U", "postgres", "postgres")
	cmd := exec.CommandContext(ctx, pgbenchBin(), args...)
	cmd.Env = append(os.Environ(), "PGSSLMODE=disable")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: pgbench %s: %w\n%s", t.name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

var (
	tpsRE    = regexp.MustCompile(`(?m)^tps = ([0-9.]+) \(without initial connection time\)`)
	failedRE = regexp.MustCompile(`(?m)^number of failed transactions: (\d+)`)
)

// tpcbWorkload loads pgbench's tables, distributed on the cluster, and
// runs TPC-B on both in alternating rounds.
func tpcbWorkload(ctx context.Context, cfg *config, coord, single target, res *result) error {
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	scale := strconv.Itoa(cfg.scale)
	start := time.Now()
	if _, err := pgbench(ctx, coord, "-i", "-I", "dt"); err != nil {
		return err
	}
	c, err := connect(ctx, coord)
	if err != nil {
		return err
	}
	for _, d := range [][2]string{{"pgbench_accounts", "aid"}, {"pgbench_branches", "bid"}, {"pgbench_tellers", "tid"}, {"pgbench_history", "aid"}} {
		if _, err := c.Exec(ctx, fmt.Sprintf("SELECT create_distributed_table('%s', '%s')", d[0], d[1])); err != nil {
			c.Close(ctx)
			return fmt.Errorf("coordinator: distributing %s: %w", d[0], err)
		}
	}
	c.Close(ctx)
	if _, err := pgbench(ctx, coord, "-i", "-I", "gvp", "-q", "-s", scale); err != nil {
		return err
	}
	fmt.Printf("# pgbench -i -s %s coordinator  %.2f s\n", scale, time.Since(start).Seconds())
	start = time.Now()
	if _, err := pgbench(ctx, single, "-i", "-q", "-s", scale); err != nil {
		return err
	}
	fmt.Printf("# pgbench -i -s %s single       %.2f s\n", scale, time.Since(start).Seconds())

	sides := []target{coord, single}
	tps := map[string][]float64{}
	for r := range cfg.rounds {
		for i := range sides {
			t := sides[(i+r)%2]
			out, err := pgbench(ctx, t, "-M", "prepared", "-c", "8", "-j", "2", "-T", strconv.Itoa(int(cfg.duration.Seconds())))
			if err != nil {
				return err
			}
			m := tpsRE.FindStringSubmatch(out)
			if m == nil {
				return fmt.Errorf("%s: pgbench printed no tps:\n%s", t.name, out)
			}
			v, _ := strconv.ParseFloat(m[1], 64)
			note := ""
			if f := failedRE.FindStringSubmatch(out); f != nil && f[1] != "0" {
				note = ", " + f[1] + " failed"
			}
			tps[t.name] = append(tps[t.name], v)
			fmt.Printf("# tpcb-8 r%d %-11s %.0f tps%s\n", r+1, t.name, v, note)
		}
	}
	ct, st := runstats.Median(tps["coordinator"]), runstats.Median(tps["single"])
	res.rows = append(res.rows, [3]string{
		fmt.Sprintf("pgbench TPC-B -M prepared -c 8 -j 2, scale %d, 3 nodes vs 1", cfg.scale),
		fmt.Sprintf("cluster %.0f tps %s, single %.0f tps %s", ct, runstats.Spread(tps["coordinator"]), st, runstats.Spread(tps["single"])),
		fmt.Sprintf("**%.2f** (cluster tps / single tps)", ct/st),
	})
	return nil
}
