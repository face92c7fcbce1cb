package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/lsm"
)

func main() {
	mibList := flag.String("mib", "64,256", "comma-separated WAL sizes to recover, in MiB")
	parent := flag.String("dir", "", "parent of the data directories (default: OS temp dir)")
	keysPerBatch := flag.Int("keys", 16, "keys per WAL record (batch); rows per PostgreSQL transaction")
	valueBytes := flag.Int("value-bytes", 100, "bytes per value")
	withPostgres := flag.Bool("postgres", true, "also measure PostgreSQL 15's crash recovery of the same WAL volume")
	keep := flag.Bool("keep", false, "keep the data directories")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of each cairn recovery to `PREFIX`-cairn-N.pprof (N MiB)")
	writeDir := flag.String("write-child", "", "internal: write -write-mib MiB of WAL into this directory and exit without closing")
	writeMiB := flag.Int("write-mib", 0, "internal: see -write-child")
	flag.Parse()

	if *writeDir != "" {
		if err := writeWAL(*writeDir, *writeMiB, *keysPerBatch, *valueBytes); err != nil {
			fmt.Fprintln(os.Stderr, "recoverybench child:", err)
			os.Exit(1)
		}
		// Exit without Close or checkpoint: recovery must replay it all.
		os.Exit(0)
	}

	var mibs []int
	for f := range strings.SplitSeq(*mibList, ",") {
		mib, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || mib <= 0 {
			fatal(fmt.Errorf("bad -mib entry %q", f))
		}
		mibs = append(mibs, mib)
	}

	fmt.Printf("# recoverybench: records of %d keys x (16 B key, %d B value), WAL segments %d MiB\n",
		*keysPerBatch, *valueBytes, 16)
	fmt.Println("# page cache warm: the files were just written, and sync(2) ran before each timed recovery")
	fmt.Printf("# go %s, %d CPUs, GOMAXPROCS=%d\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	for i, mib := range mibs {
		dir, err := os.MkdirTemp(*parent, "recoverybench-")
		if err != nil {
			fatal(err)
		}
		profile := ""
		if *cpuProfile != "" {
			profile = fmt.Sprintf("%s-cairn-%d.pprof", *cpuProfile, mib)
		}
		c, err := runCairn(dir, mib, *keysPerBatch, *valueBytes, profile)
		if err != nil {
			fatal(err)
		}
		if !*keep {
			os.RemoveAll(dir)
		}
		if !*withPostgres {
			fmt.Printf("recover %d MiB: cairn %.3f s\n", mib, c.secs)
			fmt.Printf("  cairn: %s\n", c)
			continue
		}
		// A directory of its own: postgres runs as another user when
		// recoverybench runs as root.
		pgDir, err := os.MkdirTemp(*parent, "recoverybench-postgres-")
		if err != nil {
			fatal(err)
		}
		p, err := runPostgres(pgDir, mib, *keysPerBatch, *valueBytes, i == 0)
		if err != nil {
			fatal(err)
		}
		if !*keep {
			os.RemoveAll(pgDir)
		}
		fmt.Printf("recover %d MiB: cairn %.3f s, postgres redo %.2f s (start to ready %.3f s), ratio %.2f\n",
			mib, c.secs, p.redoSecs, p.readySecs, p.redoSecs/c.secs)
		fmt.Printf("  cairn: %s\n", c)
		fmt.Printf("  postgres: %s\n", p)
	}
}

// cairnResult is one recovery of cairn's store.
type cairnResult struct {
	mib      int
	keys     int // per record
	records  int
	secs     float64
	walBytes int64 // size of the segment files
}

func (r cairnResult) String() string {
	return fmt.Sprintf("%d records, %.3f s, %.0f MiB/s (%d MiB of segment files), %.2f M rows/s",
		r.records, r.secs, float64(r.mib)/r.secs, r.walBytes>>20, float64(r.records*r.keys)/r.secs/1e6)
}

func runCairn(dir string, mib, keys, valueBytes int, profile string) (cairnResult, error) {
	r := cairnResult{mib: mib, keys: keys}
	self, err := os.Executable()
	if err != nil {
		return r, err
	}
	child := exec.Command(self, "-write-child", dir, "-write-mib", strconv.Itoa(mib),
		"-keys", strconv.Itoa(keys), "-value-bytes", strconv.Itoa(valueBytes))
	child.Stdout, child.Stderr = os.Stdout, os.Stderr
	if err := child.Run(); err != nil {
		return r, fmt.Errorf("writing %d MiB: %w", mib, err)
	}
	if r.walBytes, err = dirSize(filepath.Join(dir, "wal"), ".wal"); err != nil {
		return r, err
	}
	// The child synced its WAL already; this only makes both engines
	// start from the same state: nothing dirty in the page cache.
	syscall.Sync()
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return r, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return r, err
		}
	}
	start := time.Now()
	s, err := checkpoint.OpenDir(dir, checkpoint.Options{MemtableBytes: 1 << 40})
	if err != nil {
		return r, fmt.Errorf("recovering: %w", err)
	}
	r.secs = time.Since(start).Seconds()
	if profile != "" {
		pprof.StopCPUProfile()
	}
	r.records = s.ReplayedRecords
	return r, s.Close()
}

// writeWAL writes batches until the WAL has grown by mib MiB, syncs, and
// returns without closing the store.
func writeWAL(dir string, mib, keys, valueBytes int) error {
	s, err := checkpoint.OpenDir(dir, checkpoint.Options{MemtableBytes: 1 << 40})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(1))
	value := make([]byte, valueBytes)
	target := uint64(mib) << 20
	var first, lsn uint64
	for n := 0; lsn-first < target; n++ {
		var b lsm.Batch
		for k := range keys {
			rng.Read(value)
			b.Set(recordKey(n, k), value)
		}
		if lsn, err = s.Write(&b); err != nil {
			return err
		}
		if first == 0 {
			first = lsn
		}
	}
	return s.Sync(lsn)
}

// recordKey is the key of the k'th row of the n'th record: 16 bytes.
func recordKey(n, k int) []byte {
	return fmt.Appendf(nil, "k%012d/%02d", n, k)
}

func dirSize(dir, suffix string) (int64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), suffix) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return 0, err
		}
		total += fi.Size()
	}
	return total, nil
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "recoverybench:", err)
	os.Exit(1)
}
