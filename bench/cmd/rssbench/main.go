package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/lsm"
)

func main() {
	n := flag.Int("n", 2_000_000, "keys to load")
	memtable := flag.Int64("memtable", 64<<20, "memtable budget in bytes")
	cache := flag.Int64("cache", 8<<20, "block cache budget in bytes")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if err := run(*n, *memtable, *cache, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "rssbench:", err)
		os.Exit(1)
	}
}

func run(n int, memtable, cache int64, seed uint64) error {
	dir, err := os.MkdirTemp("", "rssbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	runtime.GC()
	base, err := peakRSS()
	if err != nil {
		return err
	}
	stopLive := make(chan struct{})
	liveDone := make(chan int64)
	go func() { liveDone <- peakLiveHeap(stopLive) }()
	db, err := lsm.OpenDir(dir, lsm.Options{MemtableBytes: memtable, BlockCacheBytes: cache})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	value := make([]byte, 100)
	for i := range value {
		value[i] = byte(rng.Uint32())
	}
	start := time.Now()
	key := make([]byte, 16)
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint64(key, rng.Uint64())
		binary.BigEndian.PutUint64(key[8:], uint64(i))
		var b lsm.Batch
		b.Set(key, value)
		if err := db.Apply(&b, uint64(i+1)); err != nil {
			return err
		}
		if db.MemtableSize() >= memtable {
			if err := db.Flush(); err != nil {
				return err
			}
		}
	}
	if err := db.Flush(); err != nil {
		return err
	}
	loaded := time.Since(start)
	// Read a sample through the block cache so the cache fills too.
	it := db.NewIter(nil, nil)
	read := 0
	for ok := it.First(); ok && read < 200_000; ok = it.Next() {
		read++
	}
	if err := it.Close(); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	close(stopLive)
	live := <-liveDone
	peak, err := peakRSS()
	if err != nil {
		return err
	}
	budget := 2*memtable + cache
	fmt.Printf("keys %d (16-byte keys, 100-byte values, %.0f MiB of data) loaded in %.1fs\n", n, float64(n*116)/(1<<20), loaded.Seconds())
	fmt.Printf("peak RSS %.1f MiB (process baseline %.1f MiB)\n", mib(peak), mib(base))
	fmt.Printf("budget: 2 memtables x %.0f MiB + block cache %.0f MiB = %.0f MiB\n", mib(memtable), mib(cache), mib(budget))
	fmt.Printf("peak above baseline and budget: %.1f MiB\n", mib(peak-base-budget))
	fmt.Printf("peak live heap (Go heap marked live by a GC cycle) %.1f MiB; GOGC=%s GOMEMLIMIT=%s\n",
		mib(live), envOr("GOGC", "100"), envOr("GOMEMLIMIT", "off"))
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// peakLiveHeap samples the live heap measured by the last GC cycle
// (runtime/metrics /gc/heap/live:bytes) every few milliseconds until stop
// is closed, and returns the largest value seen: the memory the store
// actually holds, without the collector's headroom that RSS includes.
func peakLiveHeap(stop <-chan struct{}) int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var peak int64
	for {
		metrics.Read(sample)
		peak = max(peak, int64(sample[0].Value.Uint64()))
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// peakRSS reads VmHWM, the process's peak resident set, in bytes.
func peakRSS() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}
