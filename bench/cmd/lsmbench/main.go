package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/lsm"
	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
)

const (
	keyBytes   = 16
	valueBytes = 100
	// valuePoolBytes is the random buffer values are cut from, so values
	// are incompressible and neither store gains from compression.
	valuePoolBytes = 1 << 20
	// settleTimeout bounds the wait for Pebble's background compactions.
	settleTimeout = 2 * time.Minute
	// bloomBitsPerKey is Pebble's filter size, set to what cairn's lsm
	// writes (lsm/limits.go), so that both stores skip tables alike.
	bloomBitsPerKey = 10
)

// store is what a workload needs from an engine.
type store interface {
	// set writes one key; the store flushes when its memtable is full.
	set(key, value []byte) error
	// flush writes the memtable to table files and returns when done.
	flush() error
	// settle waits until background work (compactions) is finished.
	settle() error
	get(key []byte) (found bool, err error)
	// scan iterates over every key in order and returns how many it saw.
	scan() (int, error)
	// compactions is the number of compactions completed so far.
	compactions() int64
	close() error
}

type config struct {
	n, reads     int
	memtable     int64
	dir          string
	seed         uint64
	values       []byte
	perm, lookup []int
}

// result is one engine's figures.
type result struct {
	opsPerSec  map[string]float64
	writeAmp   map[string]float64 // NaN when /proc/self/io is unavailable
	spaceAmp   map[string]float64
	tableFiles map[string]int
	compacts   map[string]int64
}

var workloads = []string{"fillseq", "fillrandom", "readrandom-hits", "readrandom-misses", "scan"}

func main() {
	var cfg config
	flag.IntVar(&cfg.n, "n", 200_000, "number of keys (the issue's target is 1000000)")
	flag.IntVar(&cfg.reads, "reads", 0, "point reads per readrandom workload (0: -n)")
	flag.Int64Var(&cfg.memtable, "memtable", 64<<20, "memtable budget in bytes, for both stores")
	flag.StringVar(&cfg.dir, "dir", "", "parent of the data directories (default: OS temp dir)")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed for key order, reads and values")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if cfg.n <= 0 || cfg.memtable <= 0 {
		fmt.Fprintln(os.Stderr, "lsmbench: -n and -memtable must be positive")
		os.Exit(2)
	}
	if cfg.reads <= 0 {
		cfg.reads = cfg.n
	}
	stop := func() {}
	if *cpuProfile != "" {
		var err error
		if stop, err = startCPUProfile(*cpuProfile); err != nil {
			fmt.Fprintln(os.Stderr, "lsmbench:", err)
			os.Exit(1)
		}
	}
	err := run(&cfg)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lsmbench:", err)
		os.Exit(1)
	}
}

// startCPUProfile starts profiling into path and returns the function that
// stops it and closes the file.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "lsmbench: cpu profile:", err)
		}
	}, nil
}

func run(cfg *config) error {
	rng := rand.New(rand.NewPCG(cfg.seed, 0x6c736d62656e6368))
	cfg.values = make([]byte, valuePoolBytes)
	for i := range cfg.values {
		cfg.values[i] = byte(rng.Uint32())
	}
	cfg.perm = rng.Perm(cfg.n)
	cfg.lookup = make([]int, cfg.reads)
	for i := range cfg.lookup {
		cfg.lookup[i] = rng.IntN(cfg.n)
	}
	parent, err := os.MkdirTemp(cfg.dir, "lsmbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)

	fmt.Printf("# lsmbench: n=%d keys of %d B, values %d B (incompressible), reads=%d, memtable=%d MiB, seed=%d\n",
		cfg.n, keyBytes, valueBytes, cfg.reads, cfg.memtable>>20, cfg.seed)
	fmt.Printf("# pebble %s with DisableWAL=true (cairn's lsm has no WAL of its own, so neither store logs or fsyncs per write), bloom filters %d bits/key on every level as cairn's\n",
		moduleVersion("github.com/cockroachdb/pebble/v2"), bloomBitsPerKey)
	fmt.Printf("# go %s, %d CPUs, GOMAXPROCS=%d, dir %s\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0), parent)

	engines := []struct {
		name string
		open func(dir string, memtable int64) (store, error)
	}{{"cairn", openCairn}, {"pebble", openPebble}}
	results := map[string]*result{}
	for _, e := range engines {
		r, err := runEngine(cfg, filepath.Join(parent, e.name), e.open)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		results[e.name] = r
		runtime.GC()
	}
	c, p := results["cairn"], results["pebble"]
	for _, w := range workloads {
		fmt.Printf("%s: cairn %.0f ops/s, pebble %.0f ops/s, ratio %.2f\n",
			w, c.opsPerSec[w], p.opsPerSec[w], c.opsPerSec[w]/p.opsPerSec[w])
	}
	for _, w := range []string{"fillseq", "fillrandom"} {
		fmt.Printf("write-amp %s: cairn %.2f, pebble %.2f\n", w, c.writeAmp[w], p.writeAmp[w])
		fmt.Printf("space-amp %s: cairn %.2f, pebble %.2f\n", w, c.spaceAmp[w], p.spaceAmp[w])
		fmt.Printf("sst files %s: cairn %d, pebble %d\n", w, c.tableFiles[w], p.tableFiles[w])
		fmt.Printf("compactions %s: cairn %d, pebble %d\n", w, c.compacts[w], p.compacts[w])
	}
	return nil
}

// runEngine runs every workload on one engine, in a fresh directory per fill.
func runEngine(cfg *config, dir string, open func(string, int64) (store, error)) (*result, error) {
	r := &result{
		opsPerSec:  map[string]float64{},
		writeAmp:   map[string]float64{},
		spaceAmp:   map[string]float64{},
		tableFiles: map[string]int{},
		compacts:   map[string]int64{},
	}
	userBytes := float64(cfg.n * (keyBytes + valueBytes))
	fill := func(name string, order func(i int) int) (store, error) {
		d := filepath.Join(dir, name)
		before, ioErr := writtenBytes()
		s, err := open(d, cfg.memtable)
		if err != nil {
			return nil, err
		}
		key := make([]byte, keyBytes)
		start := time.Now()
		for i := range cfg.n {
			k := order(i)
			if err := s.set(makeKey(key, 2*k), value(cfg.values, k)); err != nil {
				return nil, errors.Join(err, s.close())
			}
		}
		if err := s.flush(); err != nil {
			return nil, errors.Join(err, s.close())
		}
		r.opsPerSec[name] = float64(cfg.n) / time.Since(start).Seconds()
		if err := s.settle(); err != nil {
			return nil, errors.Join(err, s.close())
		}
		after, ioErr2 := writtenBytes()
		r.writeAmp[name] = float64(after-before) / userBytes
		if ioErr != nil || ioErr2 != nil {
			r.writeAmp[name] = nan()
		}
		size, files, err := dirUsage(d)
		if err != nil {
			return nil, errors.Join(err, s.close())
		}
		r.spaceAmp[name] = float64(size) / userBytes
		r.tableFiles[name] = files
		r.compacts[name] = s.compactions()
		fmt.Fprintf(os.Stderr, "  %s %s: %.0f ops/s\n", filepath.Base(dir), name, r.opsPerSec[name])
		if d, ok := s.(interface{ describe() string }); ok {
			fmt.Printf("# %s %s: %s\n", filepath.Base(dir), name, d.describe())
		}
		return s, nil
	}

	s, err := fill("fillseq", func(i int) int { return i })
	if err != nil {
		return nil, err
	}
	if err := s.close(); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(filepath.Join(dir, "fillseq")); err != nil {
		return nil, err
	}
	runtime.GC()

	s, err = fill("fillrandom", func(i int) int { return cfg.perm[i] })
	if err != nil {
		return nil, err
	}
	err = readWorkloads(cfg, s, r, filepath.Base(dir))
	return r, errors.Join(err, s.close())
}

// readWorkloads runs the point reads and the scan on a filled store, and
// fails if a store returns a wrong answer.
func readWorkloads(cfg *config, s store, r *result, engine string) error {
	key := make([]byte, keyBytes)
	for _, w := range []struct {
		name string
		hit  bool
	}{{"readrandom-hits", true}, {"readrandom-misses", false}} {
		offset := 0
		if !w.hit {
			offset = 1 // odd numbers are never written
		}
		start := time.Now()
		for _, k := range cfg.lookup {
			found, err := s.get(makeKey(key, 2*k+offset))
			if err != nil {
				return err
			}
			if found != w.hit {
				return fmt.Errorf("%s: key %q: found=%t", w.name, key, found)
			}
		}
		r.opsPerSec[w.name] = float64(cfg.reads) / time.Since(start).Seconds()
		fmt.Fprintf(os.Stderr, "  %s %s: %.0f ops/s\n", engine, w.name, r.opsPerSec[w.name])
	}
	start := time.Now()
	got, err := s.scan()
	if err != nil {
		return err
	}
	if got != cfg.n {
		return fmt.Errorf("scan: saw %d keys, want %d", got, cfg.n)
	}
	r.opsPerSec["scan"] = float64(got) / time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "  %s scan: %.0f ops/s\n", engine, r.opsPerSec["scan"])
	return nil
}

// makeKey writes i as 16 zero-padded decimal digits, so byte order is
// numeric order.
func makeKey(buf []byte, i int) []byte {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], uint64(i), 10)
	pad := keyBytes - len(d)
	for j := range pad {
		buf[j] = '0'
	}
	copy(buf[pad:], d)
	return buf
}

// value returns the value of key number k: a window of the random pool.
func value(pool []byte, k int) []byte {
	off := (k * 7919) % (len(pool) - valueBytes)
	return pool[off : off+valueBytes]
}

// writtenBytes is the number of bytes this process has passed to write
// system calls (wchar in /proc/self/io, Linux only).
func writtenBytes() (int64, error) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	return 0, errors.New("no wchar in /proc/self/io")
}

// dirUsage walks dir and returns the total size of its files and the number
// of .sst files.
func dirUsage(dir string) (size int64, tables int, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		if strings.HasSuffix(path, ".sst") {
			tables++
		}
		return nil
	})
	return size, tables, err
}

func moduleVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == path {
				return m.Version
			}
		}
	}
	return "(unknown version)"
}

func nan() float64 {
	var zero float64
	return zero / zero
}

// cairnStore drives lsm.DB the way cairn's node does, minus the WAL: one
// batch per write, an increasing LSN, and a Flush on another goroutine when
// the memtable is full, as the node's checkpointer does. Writers go on into
// a new memtable during that flush; if it fills too before the flush ends,
// the writer waits for the flush (two memtables at most, as Pebble's
// default of two memtables before a write stall).
type cairnStore struct {
	db       *lsm.DB
	lsn      uint64
	memtable int64
	flushing chan error // the running background flush's result; nil when none
}

func openCairn(dir string, memtable int64) (store, error) {
	db, err := lsm.OpenDir(dir, lsm.Options{MemtableBytes: memtable})
	if err != nil {
		return nil, err
	}
	return &cairnStore{db: db, memtable: memtable}, nil
}

func (s *cairnStore) set(key, value []byte) error {
	var b lsm.Batch
	b.Set(key, value)
	s.lsn++
	if err := s.db.Apply(&b, s.lsn); err != nil {
		return err
	}
	if s.flushing != nil {
		select {
		case err := <-s.flushing:
			s.flushing = nil
			if err != nil {
				return err
			}
		default:
		}
	}
	if s.db.MemtableSize() < s.memtable {
		return nil
	}
	if err := s.waitFlush(); err != nil {
		return err
	}
	done := make(chan error, 1)
	s.flushing = done
	go func() { done <- s.db.Flush() }()
	return nil
}

// waitFlush waits for the background flush, if one is running.
func (s *cairnStore) waitFlush() error {
	if s.flushing == nil {
		return nil
	}
	err := <-s.flushing
	s.flushing = nil
	return err
}

func (s *cairnStore) flush() error {
	if err := s.waitFlush(); err != nil {
		return err
	}
	return s.db.Flush()
}

func (s *cairnStore) close() error {
	return errors.Join(s.waitFlush(), s.db.Close())
}

func (s *cairnStore) compactions() int64 { return int64(s.db.Metrics().Compactions) }

// settle waits until L0 is below the compaction threshold and no
// compaction has finished for three polls in a row (lsm has no in-progress
// gauge).
func (s *cairnStore) settle() error {
	threshold := s.db.Options().L0CompactionThreshold
	deadline := time.Now().Add(settleTimeout)
	last := s.db.Metrics().Compactions
	for quiet := 0; quiet < 3; {
		time.Sleep(100 * time.Millisecond)
		m := s.db.Metrics()
		if m.LastCompactionError != nil {
			return m.LastCompactionError
		}
		if m.Levels[0].Tables < threshold && m.Compactions == last {
			quiet++
		} else {
			quiet = 0
		}
		last = m.Compactions
		if time.Now().After(deadline) {
			return errors.New("lsm: compactions did not settle")
		}
	}
	return nil
}

// describe reports the shape of the levels and the table write
// amplification lsm counts itself (table bytes written per byte flushed).
func (s *cairnStore) describe() string {
	m := s.db.Metrics()
	var levels []string
	for l, lm := range m.Levels {
		if lm.Tables > 0 {
			levels = append(levels, fmt.Sprintf("L%d %d tables %.1f MiB", l, lm.Tables, float64(lm.Bytes)/(1<<20)))
		}
	}
	return fmt.Sprintf("levels [%s]; %d compactions (%d trivial moves); flushed %.1f MiB, compacted %.1f MiB written, %.1f MiB read; table write-amp %.2f",
		strings.Join(levels, ", "), m.Compactions, m.TrivialMoves, float64(m.BytesFlushed)/(1<<20),
		float64(m.BytesCompacted)/(1<<20), float64(m.BytesCompactedIn)/(1<<20), m.WriteAmp())
}

func (s *cairnStore) get(key []byte) (bool, error) {
	_, ok, err := s.db.Get(key)
	return ok, err
}

func (s *cairnStore) scan() (int, error) {
	it := s.db.NewIter(nil, nil)
	n := 0
	var last []byte
	for ok := it.First(); ok; ok = it.Next() {
		if last != nil && bytes.Compare(last, it.Key()) >= 0 {
			return n, errors.Join(fmt.Errorf("scan out of order at %q", it.Key()), it.Close())
		}
		last = it.Key()
		n++
	}
	return n, errors.Join(it.Err(), it.Close())
}

// pebbleStore is Pebble with the WAL off and its own background flushes
// and compactions.
type pebbleStore struct {
	db *pebble.DB
}

func openPebble(dir string, memtable int64) (store, error) {
	opts := &pebble.Options{
		DisableWAL:   true,
		MemTableSize: uint64(memtable),
		Logger:       quietLogger{},
	}
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(bloomBitsPerKey)
	}
	db, err := pebble.Open(dir, opts)
	if err != nil {
		return nil, err
	}
	return &pebbleStore{db: db}, nil
}

func (s *pebbleStore) set(key, value []byte) error { return s.db.Set(key, value, pebble.NoSync) }
func (s *pebbleStore) flush() error                { return s.db.Flush() }
func (s *pebbleStore) close() error                { return s.db.Close() }
func (s *pebbleStore) compactions() int64          { return s.db.Metrics().Compact.Count }

// settle waits until no flush or compaction has run for three polls in a
// row.
func (s *pebbleStore) settle() error {
	deadline := time.Now().Add(settleTimeout)
	for quiet := 0; quiet < 3; {
		m := s.db.Metrics()
		if m.Compact.NumInProgress == 0 && m.Flush.NumInProgress == 0 {
			quiet++
		} else {
			quiet = 0
		}
		if time.Now().After(deadline) {
			return errors.New("pebble: compactions did not settle")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

func (s *pebbleStore) get(key []byte) (bool, error) {
	_, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, closer.Close()
}

func (s *pebbleStore) scan() (int, error) {
	it, err := s.db.NewIter(nil)
	if err != nil {
		return 0, err
	}
	n := 0
	var last []byte
	for ok := it.First(); ok; ok = it.Next() {
		if last != nil && bytes.Compare(last, it.Key()) >= 0 {
			return n, errors.Join(fmt.Errorf("scan out of order at %q", it.Key()), it.Close())
		}
		last = append(last[:0], it.Key()...)
		n++
	}
	return n, errors.Join(it.Error(), it.Close())
}

// quietLogger drops Pebble's informational messages, which would interleave
// with the results, and keeps its errors.
type quietLogger struct{}

var _ pebble.Logger = quietLogger{}

func (quietLogger) Infof(string, ...any) {}

func (quietLogger) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pebble: "+format+"\n", args...)
}

func (quietLogger) Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pebble: fatal: "+format+"\n", args...)
	os.Exit(1)
}
