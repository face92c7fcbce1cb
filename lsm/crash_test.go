package lsm

import (
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"strings"
	"syscall"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

var verboseFlag = flag.Bool("lsm.verbose", false, "log every step of TestMetamorphicCrash")

var seedsFlag = flag.Int("lsm.seeds", 24, "seeds TestMetamorphicCrash runs (from -seed, or 1)")

// TestMetamorphicCrash runs a seeded random workload of sets, deletes,
// range deletes, snapshots, flushes, compactions, clean reopens, simulated power losses and injected
// EIO/ENOSPC failures on the in-memory FS, under options drawn from the
// seed (memtable, level and table sizes, L0 thresholds, cache, manifest
// log size), and checks
// the store against two models: live (every applied batch) and durable (the
// state as of the last flush that completed). The test keeps no WAL: after
// a crash or a reopen, the store must hold exactly the durable model, or,
// when the crash or the failure hit a flush, exactly the model that flush
// would have made durable; FlushedLSN says which. Gets, full scans both
// ways and random walks with seeks and bounds are compared with the model
// after every reopen and at random steps, and reads through an open
// snapshot with the model as of its creation.
//
// Each run is reproducible: -seed=S -lsm.seeds=1 replays seed S.
func TestMetamorphicCrash(t *testing.T) {
	first := *seedFlag
	if first == 0 {
		first = 1
	}
	n := *seedsFlag
	if testing.Short() {
		n = min(n, 4)
	}
	for seed := first; seed < first+int64(n); seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { runMetamorphic(t, seed) })
	}
}

// crashState is a model of the store's contents and the flush LSN it is
// recorded under.
type crashState struct {
	kv  map[string]string
	lsn uint64
}

func runMetamorphic(t *testing.T, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	opts := Options{
		DisableAutoCompaction: true,
		L0CompactionThreshold: 1 + rng.Intn(4),
		L1TargetBytes:         int64(4<<10) << rng.Intn(4),
		TargetFileBytes:       int64(1<<10) << rng.Intn(4),
		BlockCacheBytes:       []int64{-1, 16 << 10, 0}[rng.Intn(3)],
		manifestRotateBytes:   int64(128) << rng.Intn(8),
	}
	opts.L0StopWritesThreshold = opts.L0CompactionThreshold + 1 + rng.Intn(4)
	memtableBytes := int64(2<<10) << rng.Intn(4)
	keySpace := 50 + rng.Intn(400)
	t.Logf("seed %d: %+v, memtable %d, %d keys", seed, opts, memtableBytes, keySpace)

	fs := vfs.NewMem()
	d, err := Open(fs, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { d.Close() }()

	live := map[string]string{}
	durable := crashState{kv: map[string]string{}}
	// Open snapshots and the model each must keep showing.
	type snapModel struct {
		s  *Snapshot
		kv map[string]string
	}
	var snaps []snapModel
	var lsn uint64
	// pending is the state a flush in progress would make durable.
	var pending *crashState
	// kept is the state a memtable left frozen by a flush that met a full
	// disk holds: the next flush makes it durable first.
	var kept *crashState

	// The armed fault: at the countdown-th matching file operation, take a
	// crash image (before the operation runs) or fail the operation.
	var (
		countdown  = -1
		crashMode  bool
		cause      error
		crashed    *vfs.MemFS
		candidates []crashState
		faulted    bool
	)
	hook := func(op vfs.Op, name string) error {
		if countdown < 0 {
			return nil
		}
		if crashMode && op != vfs.OpSync && op != vfs.OpSyncDir {
			return nil
		}
		if !crashMode && op != vfs.OpCreate && op != vfs.OpWrite && op != vfs.OpSync && op != vfs.OpSyncDir && op != vfs.OpRename {
			return nil
		}
		if countdown > 0 {
			countdown--
			return nil
		}
		countdown = -1
		candidates = []crashState{durable}
		if kept != nil {
			candidates = append(candidates, *kept)
		}
		if pending != nil {
			candidates = append(candidates, *pending)
		}
		if crashMode {
			crashed = fs.CrashClone()
			return nil
		}
		faulted = true
		if *verboseFlag {
			t.Logf("fault: %v on %s %s", cause, op, name)
		}
		return cause
	}
	fs.InjectError(hook)

	key := func() string { return fmt.Sprintf("k%04d", rng.Intn(keySpace)) }
	check := func(step int, what string, want map[string]string) {
		t.Helper()
		for range 20 {
			k := key()
			v, ok, err := d.Get([]byte(k))
			w, wok := want[k]
			if err != nil || ok != wok || string(v) != w {
				t.Fatalf("step %d (%s): Get(%s) = %q, %v, %v; want %q, %v", step, what, k, v, ok, err, w, wok)
			}
		}
		all := modelScan(want, nil, nil)
		if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(all, ",") {
			t.Fatalf("step %d (%s): scan:\n got %v\nwant %v", step, what, got, all)
		}
		if got := reverseScan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(reversed(all), ",") {
			t.Fatalf("step %d (%s): reverse scan differs", step, what)
		}
		for range 3 {
			var lower, upper []byte
			if rng.Intn(2) == 0 {
				lower = []byte(key())
			}
			if rng.Intn(2) == 0 {
				upper = []byte(key())
			}
			randomWalk(t, rng, d, lower, upper, modelScan(want, lower, upper), key)
		}
	}
	// reopen closes the store and opens img, which must hold one of
	// candidates: the one FlushedLSN names.
	reopen := func(step int, img *vfs.MemFS, candidates []crashState, why string) {
		t.Helper()
		fs.InjectError(nil)
		d.Close()
		fs = img
		snaps = nil // snapshots do not survive their DB
		var err error
		if d, err = Open(fs, dir, opts); err != nil {
			t.Fatalf("step %d: reopen after %s: %v", step, why, err)
		}
		var got *crashState
		for i := range candidates {
			if candidates[i].lsn == d.FlushedLSN() {
				got = &candidates[i]
			}
		}
		if got == nil {
			var lsns []uint64
			for _, c := range candidates {
				lsns = append(lsns, c.lsn)
			}
			t.Fatalf("step %d: after %s: FlushedLSN %d, want one of %v", step, why, d.FlushedLSN(), lsns)
		}
		durable = crashState{kv: copyModel(got.kv), lsn: got.lsn}
		kept = nil
		live = copyModel(got.kv)
		lsn = got.lsn
		check(step, "after "+why, live)
		if _, err := d.Check(); err != nil {
			t.Fatalf("step %d: after %s: %v", step, why, err)
		}
		fs.InjectError(hook)
	}

	const steps = 600
	for step := range steps {
		crashed, candidates, faulted = nil, nil, false
		if countdown < 0 && rng.Intn(8) == 0 {
			crashMode = rng.Intn(2) == 0
			countdown = rng.Intn(20)
			cause = []error{syscall.EIO, syscall.ENOSPC}[rng.Intn(2)]
		}
		var opErr error
		op := ""
		rotationFailures := d.Metrics().ManifestRotationFailures
		if *verboseFlag {
			t.Logf("step %d: lsn %d durable %d countdown %d crash %v; %s", step, lsn, durable.lsn, countdown, crashMode, levelsOf(d))
		}
		switch r := rng.Intn(100); {
		case r < 50:
			op = "apply"
			var b Batch
			for range 1 + rng.Intn(8) {
				k := key()
				if rng.Intn(12) == 0 {
					// A range delete over a few dozen keys.
					end := fmt.Sprintf("k%04d", rng.Intn(keySpace+10))
					b.DeleteRange([]byte(k), []byte(end))
					for mk := range live {
						if mk >= k && mk < end {
							delete(live, mk)
						}
					}
					continue
				}
				if rng.Intn(4) == 0 {
					b.Delete([]byte(k))
					delete(live, k)
				} else {
					v := fmt.Sprintf("%d-%s", step, strings.Repeat("x", rng.Intn(100)))
					b.Set([]byte(k), []byte(v))
					live[k] = v
				}
			}
			lsn++
			if err := d.Apply(&b, lsn); err != nil {
				t.Fatal(err)
			}
		case r < 65:
			op = "flush"
		case r < 75:
			op = "compact"
			if rng.Intn(4) == 0 {
				opErr = d.Compact()
				break
			}
			for {
				ran, err := d.compactPicked(d.pickCompaction)
				if err != nil || !ran {
					opErr = err
					break
				}
			}
		case r < 80:
			check(step, "live", live)
		case r < 83:
			snaps = append(snaps, snapModel{d.NewSnapshot(), copyModel(live)})
			continue
		case r < 85:
			if len(snaps) == 0 {
				continue
			}
			i := rng.Intn(len(snaps))
			sn := snaps[i]
			for range 10 {
				k := key()
				v, ok, err := sn.s.Get([]byte(k))
				w, wok := sn.kv[k]
				if err != nil || ok != wok || string(v) != w {
					t.Fatalf("step %d: snapshot at %d: Get(%s) = %q, %v, %v; want %q, %v", step, sn.s.Seq(), k, v, ok, err, w, wok)
				}
			}
			var lower, upper []byte
			if rng.Intn(2) == 0 {
				lower = []byte(key())
			}
			if rng.Intn(2) == 0 {
				upper = []byte(key())
			}
			want := modelScan(sn.kv, lower, upper)
			it := sn.s.NewIter(lower, upper)
			var got, back []string
			for ok := it.First(); ok; ok = it.Next() {
				got = append(got, string(it.Key())+"="+string(it.Value()))
			}
			for ok := it.Last(); ok; ok = it.Prev() {
				back = append(back, string(it.Key())+"="+string(it.Value()))
			}
			if err := it.Close(); err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") || strings.Join(back, ",") != strings.Join(reversed(want), ",") {
				t.Fatalf("step %d: snapshot at %d: scan [%q, %q):\n got %v\nback %v\nwant %v", step, sn.s.Seq(), lower, upper, got, back, want)
			}
			if rng.Intn(3) == 0 {
				if err := sn.s.Close(); err != nil {
					t.Fatal(err)
				}
				snaps = append(snaps[:i], snaps[i+1:]...)
			}
			continue
		case r < 90:
			reopen(step, fs, []crashState{durable}, "clean reopen")
			continue
		default:
			reopen(step, fs.CrashClone(), []crashState{durable}, "power loss between operations")
			continue
		}
		if op == "flush" || d.MemtableSize() >= memtableBytes {
			pending = &crashState{kv: copyModel(live), lsn: lsn}
			opErr = d.Flush()
			switch {
			case opErr == nil:
				durable, kept = *pending, nil
			case !errors.Is(opErr, ErrFailed):
				// A full disk kept a memtable frozen: the one kept before
				// if its retry failed, else the one this flush froze.
				if kept == nil || d.FlushedLSN() == kept.lsn {
					if kept != nil {
						durable = *kept
					}
					kept = pending
				}
			}
			pending = nil
		}
		if *verboseFlag && faulted {
			t.Logf("%s: %v", op, opErr)
		}
		switch {
		case faulted && opErr == nil:
			// Only the compaction a stalled Flush runs first, and the start
			// of a new manifest log after an edit, may fail without
			// failing the operation.
			if m := d.Metrics(); m.ManifestRotationFailures == rotationFailures && !errors.Is(m.LastCompactionError, cause) {
				t.Fatalf("step %d: %s: an injected %v went unreported", step, op, cause)
			}
			// A new manifest log whose directory sync failed fails the
			// store though the edit took effect: start again.
			reopen(step, fs, []crashState{durable}, "a failure after "+op)
		case crashed != nil:
			reopen(step, crashed, candidates, "power loss during "+op)
		case opErr != nil:
			if !faulted || !errors.Is(opErr, cause) {
				t.Fatalf("step %d: %s: %v (injected: %v)", step, op, opErr, faulted)
			}
			// The contents in memory are unchanged by a failed flush or
			// compaction.
			check(step, "failed "+op, live)
			if errors.Is(opErr, ErrFailed) || rng.Intn(2) == 0 {
				reopen(step, fs, candidates, fmt.Sprintf("failed %s (%v)", op, opErr))
			}
		}
	}
	check(steps, "end", live)
}
