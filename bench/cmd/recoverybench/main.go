package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/lsm"
)

func main() {
	mibList := flag.String("mib", "64,256", "comma-separated WAL sizes to recover, in MiB")
	parent := flag.String("dir", "", "parent of the data directories (default: OS temp dir)")
	keysPerBatch := flag.Int("keys", 16, "keys per WAL record (batch)")
	valueBytes := flag.Int("value-bytes", 100, "bytes per value")
	keep := flag.Bool("keep", false, "keep the data directories")
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

	fmt.Printf("# recoverybench: records of %d keys x (16 B key, %d B value), WAL segments %d MiB\n",
		*keysPerBatch, *valueBytes, 16)
	fmt.Println("# page cache warm: the child process just wrote the files")
	fmt.Printf("# go %s, %d CPUs, GOMAXPROCS=%d\n", runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	for f := range strings.SplitSeq(*mibList, ",") {
		mib, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || mib <= 0 {
			fatal(fmt.Errorf("bad -mib entry %q", f))
		}
		dir, err := os.MkdirTemp(*parent, "recoverybench-")
		if err != nil {
			fatal(err)
		}
		if err := runOne(dir, mib, *keysPerBatch, *valueBytes); err != nil {
			fatal(err)
		}
		if !*keep {
			os.RemoveAll(dir)
		}
	}
}

func runOne(dir string, mib, keys, valueBytes int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.Command(self, "-write-child", dir, "-write-mib", strconv.Itoa(mib),
		"-keys", strconv.Itoa(keys), "-value-bytes", strconv.Itoa(valueBytes))
	child.Stdout, child.Stderr = os.Stdout, os.Stderr
	if err := child.Run(); err != nil {
		return fmt.Errorf("writing %d MiB: %w", mib, err)
	}
	walBytes, err := dirSize(filepath.Join(dir, "wal"), ".wal")
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := checkpoint.OpenDir(dir, checkpoint.Options{MemtableBytes: 1 << 40})
	if err != nil {
		return fmt.Errorf("recovering: %w", err)
	}
	secs := time.Since(start).Seconds()
	records := s.ReplayedRecords
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Printf("recover %d MiB: %d records, %.3f s, %.0f MiB/s (%d MiB of segment files)\n",
		mib, records, secs, float64(mib)/secs, walBytes>>20)
	return nil
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
