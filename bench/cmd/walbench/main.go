package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/wal"
)

// recordHeaderBytes is the wal record header (length, CRC and LSN): the raw
// loop writes header+payload so both write the same bytes per commit.
const recordHeaderBytes = 16

type config struct {
	duration   time.Duration
	dir        string
	recordSize int
	committers []int
}

func main() {
	var cfg config
	var committers string
	flag.DurationVar(&cfg.duration, "d", 3*time.Second, "duration of each measurement")
	flag.StringVar(&cfg.dir, "dir", "", "parent of the log directories (default: OS temp dir)")
	flag.IntVar(&cfg.recordSize, "record", 100, "payload bytes per commit")
	flag.StringVar(&committers, "committers", "1,8,64", "comma-separated committer counts")
	flag.Parse()
	for f := range strings.SplitSeq(committers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "walbench: bad committer count %q\n", f)
			os.Exit(2)
		}
		cfg.committers = append(cfg.committers, n)
	}
	if cfg.duration <= 0 || cfg.recordSize <= 0 || cfg.recordSize > wal.MaxPayload {
		fmt.Fprintln(os.Stderr, "walbench: -d and -record must be positive (and -record at most wal.MaxPayload)")
		os.Exit(2)
	}
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "walbench:", err)
		os.Exit(1)
	}
}

func run(cfg *config) error {
	parent, err := os.MkdirTemp(cfg.dir, "walbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(parent)
	fmt.Printf("# walbench: %d-byte records, %s per measurement, dir %s\n", cfg.recordSize, cfg.duration, parent)
	fmt.Printf("# go %s, %d CPUs, GOMAXPROCS=%d\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	rawSync, err := rawSyncRate(filepath.Join(parent, "raw-fsync"), cfg, (*os.File).Sync)
	if err != nil {
		return err
	}
	fmt.Printf("raw write+fsync: %.0f syncs/s (the call the log makes)\n", rawSync)
	// The disk's rate drifts with other load on the machine, so the bound
	// is measured again right before each committer count.
	for _, n := range cfg.committers {
		rawData, err := rawSyncRate(filepath.Join(parent, "raw-fdatasync-"+strconv.Itoa(n)), cfg, fdatasync)
		if err != nil {
			return err
		}
		fmt.Printf("raw write+fdatasync: %.0f syncs/s (the bound for one committer)\n", rawData)
		commits, syncs, elapsed, err := groupCommit(filepath.Join(parent, "wal-"+strconv.Itoa(n)), cfg, n)
		if err != nil {
			return fmt.Errorf("%d committers: %w", n, err)
		}
		rate := float64(commits) / elapsed.Seconds()
		fmt.Printf("committers=%d: %.0f commits/s, %.0f fsyncs/s, %.2f commits/fsync, ratio to raw fdatasync %.2f\n",
			n, rate, float64(syncs)/elapsed.Seconds(), float64(commits)/float64(max(syncs, 1)), rate/rawData)
	}
	return nil
}

// groupCommit runs n committers doing AppendSync for cfg.duration on a fresh
// log, and returns the records the log synced and its sync rounds.
func groupCommit(dir string, cfg *config, n int) (commits, syncs uint64, elapsed time.Duration, err error) {
	l, err := wal.OpenDir(dir, wal.Options{})
	if err != nil {
		return 0, 0, 0, err
	}
	payload := make([]byte, cfg.recordSize)
	for i := range payload {
		payload[i] = byte(i)
	}
	before := l.Stats()
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := time.Now()
	timer := time.AfterFunc(cfg.duration, func() { stop.Store(true) })
	defer timer.Stop()
	for i := range n {
		wg.Go(func() {
			for !stop.Load() {
				if _, err := l.AppendSync(payload); err != nil {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed = time.Since(start)
	after := l.Stats()
	err = errors.Join(errors.Join(errs...), l.Close())
	return after.SyncedRecords - before.SyncedRecords, after.Syncs - before.Syncs, elapsed, err
}

// rawSyncRate appends one record's worth of bytes and syncs, in a loop for
// cfg.duration, and returns syncs per second.
func rawSyncRate(name string, cfg *config, sync func(*os.File) error) (float64, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, recordHeaderBytes+cfg.recordSize)
	n := 0
	start := time.Now()
	for time.Since(start) < cfg.duration {
		if _, err := f.Write(buf); err != nil {
			return 0, errors.Join(err, f.Close())
		}
		if err := sync(f); err != nil {
			return 0, errors.Join(err, f.Close())
		}
		n++
	}
	rate := float64(n) / time.Since(start).Seconds()
	return rate, f.Close()
}
