package checkpoint

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"path"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

var (
	seedFlag       = flag.Int64("seed", 0, "seed for randomized tests (0 = time-based)")
	crashSeedsFlag = flag.Int("crash.seeds", 50, "number of seeds TestRandomCrashRecovery runs")
)

const dataDir = "data"

func baseSeed(t *testing.T) int64 {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return seed
}

func open(t *testing.T, fs vfs.FS, opts Options) *Store {
	t.Helper()
	s, err := Open(fs, dataDir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// op is one operation of a batch; del means a delete of key.
type op struct {
	key, value string
	del        bool
}

func write(t *testing.T, s *Store, ops ...op) uint64 {
	t.Helper()
	var b lsm.Batch
	for _, o := range ops {
		if o.del {
			b.Delete([]byte(o.key))
		} else {
			b.Set([]byte(o.key), []byte(o.value))
		}
	}
	lsn, err := s.Write(&b)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return lsn
}

func mustSync(t *testing.T, s *Store, lsn uint64) {
	t.Helper()
	if err := s.Sync(lsn); err != nil {
		t.Fatalf("Sync(%d): %v", lsn, err)
	}
}

// dump returns every live key/value pair of the store.
func dump(t *testing.T, s *Store) map[string]string {
	t.Helper()
	got := make(map[string]string)
	it := s.NewIter(nil, nil)
	var prev []byte
	for ok := it.First(); ok; ok = it.Next() {
		if prev != nil && bytes.Compare(prev, it.Key()) >= 0 {
			t.Fatalf("iterator out of order: %q then %q", prev, it.Key())
		}
		prev = append(prev[:0], it.Key()...)
		got[string(it.Key())] = string(it.Value())
	}
	if err := it.Close(); err != nil {
		t.Fatalf("iterating: %v", err)
	}
	return got
}

func apply(state map[string]string, ops []op) {
	for _, o := range ops {
		if o.del {
			delete(state, o.key)
		} else {
			state[o.key] = o.value
		}
	}
}

func clone(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func diff(got, want map[string]string) string {
	keys := make(map[string]bool)
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var b strings.Builder
	for _, k := range sorted {
		g, gok := got[k]
		w, wok := want[k]
		if gok != wok || g != w {
			fmt.Fprintf(&b, "  %q: got %q (present %v), want %q (present %v)\n", k, g, gok, w, wok)
		}
	}
	return b.String()
}

// matchPrefix returns the largest n in [0, len(batches)] such that got equals
// base with batches[:n] applied, or -1 when no prefix matches.
func matchPrefix(got, base map[string]string, batches [][]op) int {
	state := clone(base)
	match := -1
	if equal(got, state) {
		match = 0
	}
	for i, b := range batches {
		apply(state, b)
		if equal(got, state) {
			match = i + 1
		}
	}
	return match
}

func batchKey(i int) string { return fmt.Sprintf("k%04d", i) }

func TestSyncedBatchesSurviveCrash(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		synced   int // batches written, then synced
		unsynced int // batches written after the sync
		ckptAt   int // checkpoint after this many batches (0: never)
	}{
		{name: "none synced", synced: 0, unsynced: 10},
		{name: "all synced", synced: 20, unsynced: 0},
		{name: "synced then unsynced", synced: 20, unsynced: 20},
		{name: "small segments", opts: Options{WALSegmentBytes: 128}, synced: 50, unsynced: 30},
		{name: "checkpoint midway", opts: Options{WALSegmentBytes: 256}, synced: 40, unsynced: 10, ckptAt: 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			s := open(t, fs, tc.opts)
			var batches [][]op
			var last uint64
			for i := 0; i < tc.synced+tc.unsynced; i++ {
				b := []op{{key: batchKey(i), value: fmt.Sprintf("v%d", i)}}
				batches = append(batches, b)
				last = write(t, s, b...)
				if i+1 == tc.ckptAt {
					if err := s.Checkpoint(); err != nil {
						t.Fatalf("Checkpoint: %v", err)
					}
				}
				if i+1 == tc.synced {
					mustSync(t, s, last)
				}
			}
			crashed := fs.CrashClone()
			s2 := open(t, crashed, tc.opts)
			defer s2.Close()
			got := dump(t, s2)
			n := matchPrefix(got, nil, batches)
			if n < 0 {
				t.Fatalf("recovered state is not a prefix of the writes:\n%s", diff(got, nil))
			}
			if n < tc.synced {
				t.Fatalf("recovered %d batches, want at least the %d synced ones", n, tc.synced)
			}
			if tc.synced == 0 && tc.ckptAt == 0 && n != 0 {
				t.Fatalf("recovered %d batches although nothing was synced", n)
			}
		})
	}
}

func TestCheckpointBoundsReplay(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{WALSegmentBytes: 512}
	s := open(t, fs, opts)
	want := make(map[string]string)
	var last uint64
	for i := 0; i < 200; i++ {
		b := []op{{key: batchKey(i % 50), value: fmt.Sprintf("v%d", i)}}
		if i%7 == 0 {
			b = append(b, op{key: batchKey((i + 3) % 50), del: true})
		}
		apply(want, b)
		last = write(t, s, b...)
	}
	mustSync(t, s, last)

	// Without a checkpoint every record is replayed.
	before := open(t, fs.CrashClone(), opts)
	if before.ReplayedRecords != 200 {
		t.Errorf("replayed %d records without a checkpoint, want 200", before.ReplayedRecords)
	}
	before.Close()

	if got := s.RedoLSN(); got != 0 {
		t.Fatalf("RedoLSN before any checkpoint = %d, want 0", got)
	}
	if err := s.Checkpoint(); err != nil {
		t.Fatalf("Checkpoint: %v", err)
	}
	redo := s.RedoLSN()
	if redo <= last {
		t.Fatalf("RedoLSN after checkpoint = %d, want past the last record's LSN %d", redo, last)
	}
	segs, err := fs.List(path.Join(dataDir, "wal"))
	if err != nil {
		t.Fatal(err)
	}
	var live []string // segments; removed ones may stay as ".spare" files
	for _, name := range segs {
		if strings.HasSuffix(name, ".wal") {
			live = append(live, name)
		}
	}
	if len(live) > 2 {
		t.Errorf("%d WAL segments left after checkpoint, want old ones removed: %v", len(live), segs)
	}

	const after = 5
	for i := 0; i < after; i++ {
		b := []op{{key: fmt.Sprintf("post%d", i), value: "x"}}
		apply(want, b)
		last = write(t, s, b...)
	}
	mustSync(t, s, last)

	s2 := open(t, fs.CrashClone(), opts)
	defer s2.Close()
	if s2.ReplayedRecords != after {
		t.Errorf("replayed %d records after the checkpoint, want %d", s2.ReplayedRecords, after)
	}
	if got := s2.RedoLSN(); got != redo {
		t.Errorf("RedoLSN after reopen = %d, want %d", got, redo)
	}
	if got := dump(t, s2); !equal(got, want) {
		t.Fatalf("recovered state differs:\n%s", diff(got, want))
	}
}

func TestReplayIdempotent(t *testing.T) {
	tests := []struct {
		name string
		// prepare writes to s (on fs) and leaves records to replay.
		prepare func(t *testing.T, fs *vfs.MemFS, s *Store) map[string]string
	}{
		{
			name: "wal only",
			prepare: func(t *testing.T, fs *vfs.MemFS, s *Store) map[string]string {
				want := make(map[string]string)
				var last uint64
				for i := 0; i < 100; i++ {
					b := []op{{key: batchKey(i % 17), value: fmt.Sprint(i)}, {key: batchKey((i * 5) % 17), del: true}}
					apply(want, b)
					last = write(t, s, b...)
				}
				mustSync(t, s, last)
				return want
			},
		},
		{
			name: "tables and wal",
			prepare: func(t *testing.T, fs *vfs.MemFS, s *Store) map[string]string {
				want := make(map[string]string)
				for round := 0; round < 3; round++ {
					var last uint64
					for i := 0; i < 40; i++ {
						b := []op{{key: batchKey(i % 13), value: fmt.Sprint(round, i)}}
						if i%4 == 0 {
							b = append(b, op{key: batchKey((i + round) % 13), del: true})
						}
						apply(want, b)
						last = write(t, s, b...)
					}
					mustSync(t, s, last)
					if round < 2 {
						if err := s.Checkpoint(); err != nil {
							t.Fatalf("Checkpoint: %v", err)
						}
					}
				}
				return want
			},
		},
		{
			// The memtable reaches a table but the control file is not
			// replaced, so recovery replays records the tables already hold.
			name: "flushed but control not written",
			prepare: func(t *testing.T, fs *vfs.MemFS, s *Store) map[string]string {
				want := make(map[string]string)
				var last uint64
				for i := 0; i < 60; i++ {
					b := []op{{key: batchKey(i % 11), value: fmt.Sprint(i)}}
					if i%3 == 0 {
						b = append(b, op{key: batchKey((i + 4) % 11), del: true})
					}
					apply(want, b)
					last = write(t, s, b...)
				}
				mustSync(t, s, last)
				fs.InjectError(func(o vfs.Op, name string) error {
					if o == vfs.OpCreate && path.Base(name) == controlName+".tmp" {
						return syscall.EIO
					}
					return nil
				})
				if err := s.Checkpoint(); !errors.Is(err, syscall.EIO) {
					t.Fatalf("Checkpoint with failing control write: got %v, want EIO", err)
				}
				fs.InjectError(nil)
				return want
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			s := open(t, fs, Options{WALSegmentBytes: 1024})
			want := tc.prepare(t, fs, s)
			crashed := fs.CrashClone()

			var first map[string]string
			for i := 0; i < 3; i++ {
				s2 := open(t, crashed, Options{WALSegmentBytes: 1024})
				got := dump(t, s2)
				if s2.ReplayedRecords == 0 {
					t.Errorf("open %d replayed nothing; the test should leave records to replay", i)
				}
				if err := s2.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				if i == 0 {
					first = got
					if !equal(got, want) {
						t.Fatalf("first recovery differs from the writes:\n%s", diff(got, want))
					}
					continue
				}
				if !equal(got, first) {
					t.Fatalf("open %d differs from the first:\n%s", i, diff(got, first))
				}
				crashed = crashed.CrashClone()
			}
		})
	}
}

func rewriteFile(t *testing.T, fs *vfs.MemFS, name string, edit func([]byte) []byte) {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	data = edit(data)
	w, err := fs.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	w.Close()
}

func TestCorruptControlFile(t *testing.T) {
	fs := vfs.NewMem()
	s := open(t, fs, Options{})
	mustSync(t, s, write(t, s, op{key: "a", value: "1"}))
	if err := s.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	control := path.Join(dataDir, controlName)

	type edit struct {
		name string
		fn   func([]byte) []byte
	}
	var edits []edit
	for i := 0; i < controlSize; i++ {
		edits = append(edits, edit{fmt.Sprintf("flip byte %d", i), func(b []byte) []byte {
			b[i] ^= 0x40
			return b
		}})
	}
	edits = append(edits,
		edit{"truncated", func(b []byte) []byte { return b[:controlSize-1] }},
		edit{"empty", func(b []byte) []byte { return nil }},
	)
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			c := fs.CrashClone()
			rewriteFile(t, c, control, e.fn)
			s, err := Open(c, dataDir, Options{})
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a corrupt control file")
			}
			if !errors.Is(err, ErrCorruptControl) {
				t.Fatalf("Open: got %v, want ErrCorruptControl", err)
			}
			// The failed Open released the directory's lock.
			l, err := c.Lock(path.Join(dataDir, lockName))
			if err != nil {
				t.Fatalf("lock after a failed Open: %v", err)
			}
			l.Close()
		})
	}

	// The unmodified file still opens, so the failures above come from the
	// edits.
	s2 := open(t, fs.CrashClone(), Options{})
	defer s2.Close()
	if got := dump(t, s2); got["a"] != "1" {
		t.Fatalf("intact store lost key a: %v", got)
	}
}

// TestRandomCrashRecovery runs random writes, syncs, checkpoints and crashes
// against a model. After every crash the recovered state must be the
// acknowledged state with some prefix (possibly empty) of the later writes
// applied, in order.
func TestRandomCrashRecovery(t *testing.T) {
	base := baseSeed(t)
	for i := 0; i < *crashSeedsFlag; i++ {
		seed := base + int64(i)
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			runCrashWorkload(t, seed)
		})
	}
}

func runCrashWorkload(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	opts := Options{WALSegmentBytes: int64(64 + rng.Intn(2048))}
	fs := vfs.NewMem()
	s, err := Open(fs, dataDir, opts)
	if err != nil {
		t.Fatalf("seed %d: Open: %v", seed, err)
	}
	defer func() { s.Close() }()

	acked := make(map[string]string) // state every acknowledged write reached
	var pending [][]op               // written after the last acknowledgement
	var pendingLSNs []uint64         // the LSN of each pending batch
	nkeys := 5 + rng.Intn(40)
	steps := 300 + rng.Intn(300)
	for step := 0; step < steps; step++ {
		switch r := rng.Intn(100); {
		case r < 60:
			var b []op
			for n := 1 + rng.Intn(4); n > 0; n-- {
				k := batchKey(rng.Intn(nkeys))
				if rng.Intn(4) == 0 {
					b = append(b, op{key: k, del: true})
				} else {
					b = append(b, op{key: k, value: fmt.Sprintf("s%d-%d", step, rng.Intn(1000))})
				}
			}
			pendingLSNs = append(pendingLSNs, write(t, s, b...))
			pending = append(pending, b)
		case r < 78:
			if len(pending) == 0 {
				continue
			}
			// Sync through a random pending batch: only the batches up to it
			// are acknowledged, although group commit may write more.
			n := 1 + rng.Intn(len(pending))
			mustSync(t, s, pendingLSNs[n-1])
			for _, b := range pending[:n] {
				apply(acked, b)
			}
			pending, pendingLSNs = pending[n:], pendingLSNs[n:]
		case r < 86:
			if err := s.Checkpoint(); err != nil {
				t.Fatalf("seed %d step %d: Checkpoint: %v", seed, step, err)
			}
			for _, b := range pending {
				apply(acked, b)
			}
			pending, pendingLSNs = nil, nil
		case r < 92:
			want := clone(acked)
			for _, b := range pending {
				apply(want, b)
			}
			if got := dump(t, s); !equal(got, want) {
				t.Fatalf("seed %d step %d: live state differs from all writes:\n%s", seed, step, diff(got, want))
			}
		default:
			crashed := fs.CrashClone()
			s.Close()
			fs = crashed
			s, err = Open(fs, dataDir, opts)
			if err != nil {
				t.Fatalf("seed %d step %d: reopen after crash: %v", seed, step, err)
			}
			got := dump(t, s)
			if matchPrefix(got, acked, pending) < 0 {
				t.Fatalf("seed %d step %d: recovered state is not the acknowledged state plus a prefix of %d later batches:\n%s",
					seed, step, len(pending), diff(got, acked))
			}
			// What recovery found is durable: it came from synced data.
			acked, pending, pendingLSNs = got, nil, nil
		}
	}
}

func TestSyncFailureIsFatal(t *testing.T) {
	fs := vfs.NewMem()
	s := open(t, fs, Options{})
	defer s.Close()
	acked := make(map[string]string)
	for i := 0; i < 20; i++ {
		b := []op{{key: batchKey(i), value: fmt.Sprint(i)}}
		apply(acked, b)
		mustSync(t, s, write(t, s, b...))
	}

	fs.InjectError(func(o vfs.Op, name string) error {
		if o == vfs.OpSync && strings.Contains(name, "/wal/") {
			return syscall.EIO
		}
		return nil
	})
	failed := []op{{key: "failed", value: "x"}}
	lsn := write(t, s, failed...)
	err := s.Sync(lsn)
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("Sync with failing fsync: got %v, want EIO", err)
	}
	checkSQLError(t, "Sync", err, pgerr.IOError, `could not fsync file "wal/0000000000000001.wal": Input/output error`, "")
	fs.InjectError(nil)
	if s.Failed() == nil {
		t.Fatal("Failed() = nil after a failed sync")
	}

	// The failure is sticky: no retry of the fsync, no further writes.
	var b lsm.Batch
	b.Set([]byte("after"), []byte("y"))
	_, err = s.Write(&b)
	checkSQLError(t, "Write after a failed sync", err, pgerr.IOError, `could not fsync file "wal/0000000000000001.wal": Input/output error`, "")
	if err := s.Sync(lsn); err == nil {
		t.Fatal("Sync succeeded after a failed sync")
	}
	if err := s.Checkpoint(); err == nil {
		t.Fatal("Checkpoint succeeded after a failed sync")
	}

	s2 := open(t, fs.CrashClone(), Options{})
	defer s2.Close()
	got := dump(t, s2)
	if matchPrefix(got, acked, [][]op{failed}) < 0 {
		t.Fatalf("recovered state is not the acknowledged writes (plus perhaps the failed one):\n%s", diff(got, acked))
	}
	if _, ok := got["after"]; ok {
		t.Fatal("a write refused after the failure was recovered")
	}
	// The reopened store accepts writes again.
	mustSync(t, s2, write(t, s2, op{key: "new", value: "z"}))
}

// checkSQLError checks that err carries code and is shown to a client as
// message (and hint), naming no absolute path.
func checkSQLError(t *testing.T, what string, err error, code, message, hint string) {
	t.Helper()
	if got := pgerr.Code(err); got != code {
		t.Fatalf("%s: SQLSTATE %s (%v), want %s", what, got, err, code)
	}
	pe := pgerr.Shown(err)
	if pe == nil || pe.Message != message || pe.Hint != hint {
		t.Fatalf("%s: shown %+v, want message %q hint %q", what, pe, message, hint)
	}
	if strings.Contains(pe.Message+pe.Detail+pe.Hint, dataDir+"/") {
		t.Fatalf("%s: the client sees a path under the data directory: %+v", what, pe)
	}
}

// TestFullDisk fills the disk so that the WAL cannot make its next
// segment: the write is refused with 53100 and not applied, the store does
// not fail, a checkpoint fails without dropping WAL, and once space is back
// writes and checkpoints succeed again. A crash then keeps every
// acknowledged write and never the refused one.
func TestFullDisk(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{WALSegmentBytes: 4096, WALWriterDelay: -1}
	s := open(t, fs, opts)
	defer func() { s.Close() }()
	acked := make(map[string]string)
	value := strings.Repeat("v", 200)
	for i := range 10 {
		b := []op{{key: batchKey(i), value: value}}
		apply(acked, b)
		mustSync(t, s, write(t, s, b...))
	}
	fs.SetQuota(fs.Used())
	var refused int
	for i := 10; refused == 0; i++ {
		if i > 100 {
			t.Fatal("the WAL never needed a new segment")
		}
		var b lsm.Batch
		b.Set([]byte(batchKey(i)), []byte(value))
		lsn, err := s.Write(&b)
		if err != nil {
			checkSQLError(t, "Write on a full disk", err, pgerr.DiskFull,
				`could not extend file "wal/spare.tmp": No space left on device`, "Check free disk space.")
			refused = i
			break
		}
		mustSync(t, s, lsn)
		acked[batchKey(i)] = value
	}
	if err := s.Failed(); err != nil {
		t.Fatalf("store failed on a full disk: %v", err)
	}
	if _, ok, _ := s.Get([]byte(batchKey(refused))); ok {
		t.Fatal("a refused write was applied")
	}
	redo := s.RedoLSN()
	if err := s.Checkpoint(); !vfs.IsNoSpace(err) {
		t.Fatalf("Checkpoint on a full disk: %v, want ENOSPC", err)
	}
	if s.RedoLSN() != redo {
		t.Fatal("a failed checkpoint moved the redo point")
	}
	if got := dump(t, s); !equal(got, acked) {
		t.Fatalf("after the failed checkpoint:\n%s", diff(got, acked))
	}

	fs.SetQuota(0)
	b := []op{{key: "after", value: "space"}}
	apply(acked, b)
	mustSync(t, s, write(t, s, b...))
	if err := s.Checkpoint(); err != nil {
		t.Fatalf("Checkpoint after space came back: %v", err)
	}
	b = []op{{key: "last", value: "one"}}
	apply(acked, b)
	mustSync(t, s, write(t, s, b...))

	crashed := fs.CrashClone()
	s.Close()
	s = open(t, crashed, opts)
	if got := dump(t, s); !equal(got, acked) {
		t.Fatalf("after a crash:\n%s", diff(got, acked))
	}
}
