package wal

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestPreallocatedSegments checks that every segment file has the segment
// size from its creation, so appending never grows a file.
func TestPreallocatedSegments(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 128, FlushInterval: -1}
	l := mustOpen(t, fs, opts)
	for i := range 20 {
		if _, err := l.AppendSync(bytes.Repeat([]byte{byte(i)}, 30)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range segmentFiles(t, fs) {
		size, err := fs.Stat(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if size != opts.SegmentSize {
			t.Fatalf("%s is %d bytes, want %d", name, size, opts.SegmentSize)
		}
	}
	if st := l.Stats(); st.Preallocated != uint64(len(segmentFiles(t, fs))) || st.Recycled != 0 {
		t.Fatalf("stats %+v with %d segments", st, len(segmentFiles(t, fs)))
	}
	l.Close()
}

// TestRecycledStaleNeverReplays fills segments with records of one size,
// recycles them, and writes fewer records into the reused files: the stale
// records that follow sit exactly where the next record would start and
// carry a valid checksum for their old LSN. They must never replay.
func TestRecycledStaleNeverReplays(t *testing.T) {
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 128, FlushInterval: -1}
	l := mustOpen(t, fs, opts)
	const recLen = 32 // four records fill a segment exactly
	mk := func(tag string, i int) []byte {
		return []byte(fmt.Sprintf("%s-%0*d", tag, recLen-headerSize-len(tag)-1, i))
	}
	for i := range 4 * sparesMax {
		appendAll(t, l, [][]byte{mk("old", i)})
	}
	// One more record starts a fifth segment, so the first four can go.
	want := appendAll(t, l, [][]byte{mk("new", 0)})
	if err := l.SyncTo(want[0].lsn); err != nil {
		t.Fatal(err)
	}
	if err := l.RemoveBefore(want[0].lsn); err != nil {
		t.Fatal(err)
	}
	if got := spareFiles(t, fs); len(got) != sparesMax {
		t.Fatalf("spares = %v, want %d", got, sparesMax)
	}
	// Fill the fifth segment; put two records into the sixth (recycled),
	// then one that does not fit there and fills the seventh, then one
	// into the eighth, which stays the last segment.
	want = append(want, appendAll(t, l, [][]byte{
		mk("new", 1), mk("new", 2), mk("new", 3),
		mk("new", 4), mk("new", 5),
		bytes.Repeat([]byte("x"), 128-headerSize),
		mk("new", 6),
	})...)
	if err := l.SyncTo(l.NextLSN()); err != nil {
		t.Fatal(err)
	}
	if st := l.Stats(); st.Recycled < 2 {
		t.Fatalf("stats %+v: want at least 2 recycled segments", st)
	}
	crashed := fs.CrashClone()
	l.Close()

	for name, f := range map[string]*vfs.MemFS{"clean close": fs, "crash": crashed} {
		t.Run(name, func(t *testing.T) {
			l := mustOpen(t, f, opts)
			defer l.Close()
			cut, ok := l.Cut()
			if !ok || cut.Bytes == 0 {
				t.Fatalf("no Cut: the stale tail of the last segment was not discarded")
			}
			if !cut.Stale || !strings.Contains(cut.String(), "stale data") {
				t.Fatalf("the stale tail of a recycled segment is reported as %+v (%v)", cut, cut)
			}
			got := replayAll(t, l, 0)
			for _, r := range got {
				if bytes.HasPrefix(r.payload, []byte("old")) {
					t.Fatalf("stale record replayed at LSN %d: %q", r.lsn, r.payload)
				}
			}
			equalRecs(t, got, want)
			// Appending after the discarded stale tail works and survives.
			lsn, err := l.AppendSync([]byte("after reopen"))
			if err != nil {
				t.Fatal(err)
			}
			l2 := mustOpen(t, f.CrashClone(), opts)
			defer l2.Close()
			equalRecs(t, replayAll(t, l2, 0), append(want[:len(want):len(want)], rec{lsn, []byte("after reopen")}))
		})
	}
}

// TestRecycleCrashPoints runs rounds of appends, syncs and removals on a
// log with tiny segments, so segments are preallocated, recycled and
// reused all the time, and crashes at a random file-system operation of
// each round (or at its end). Reopening must give exactly a contiguous run
// of what was appended that contains every acknowledged record and nothing
// appended after the crash, and no stale record.
func TestRecycleCrashPoints(t *testing.T) {
	rng := testRand(t)
	fs := vfs.NewMem()
	opts := Options{SegmentSize: 160, FlushInterval: -1}
	var history []rec // every surviving record, in LSN order
	var recycled uint64
	serial := 0
	for round := range 60 {
		l := mustOpen(t, fs, opts)
		got := replayAll(t, l, 0)
		history = checkSurvivors(t, round, got, history, 0, ^LSN(0))

		var crashed *vfs.MemFS
		var ackedAtCrash, nextAtCrash LSN
		var acked LSN
		ops, crashAt := 0, rng.Intn(120)
		fs.InjectError(func(op vfs.Op, name string) error {
			ops++
			if ops == crashAt && crashed == nil {
				crashed, ackedAtCrash, nextAtCrash = fs.CrashClone(), acked, l.NextLSN()
			}
			return nil
		})
		for range 1 + rng.Intn(25) {
			serial++
			p := bytes.Repeat([]byte(fmt.Sprintf("%06d|", serial)), 1+rng.Intn(12))
			lsn, err := l.Append(p)
			if err != nil {
				t.Fatal(err)
			}
			history = append(history, rec{lsn, p})
			switch rng.Intn(4) {
			case 0, 1:
				if err := l.SyncTo(lsn); err != nil {
					t.Fatal(err)
				}
				acked = lsn + LSN(headerSize+len(p))
			case 2:
				// A checkpoint: everything below some synced LSN goes.
				if acked > FirstLSN {
					if err := l.RemoveBefore(FirstLSN + LSN(rng.Int63n(int64(acked-FirstLSN)))); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		fs.InjectError(nil)
		if crashed == nil {
			crashed, ackedAtCrash, nextAtCrash = fs.CrashClone(), acked, l.NextLSN()
			if synced := l.SyncedLSN(); synced != ackedAtCrash && ackedAtCrash != 0 {
				t.Fatalf("round %d: SyncedLSN %d, acknowledged %d", round, synced, ackedAtCrash)
			}
		}
		recycled += l.Stats().Recycled
		l.Close()
		fs = crashed
		l = mustOpen(t, fs, opts)
		got = replayAll(t, l, 0)
		l.Close()
		history = checkSurvivors(t, round, got, history, ackedAtCrash, nextAtCrash)
	}
	if recycled == 0 {
		t.Fatalf("no segment was recycled")
	}
	t.Logf("%d segments recycled", recycled)
}

// checkSurvivors checks that got is a contiguous run of history that ends
// at or after acked (every acknowledged record survived) and at or before
// next (nothing appended after the crash), and returns history cut to it.
func checkSurvivors(t *testing.T, round int, got, history []rec, acked, next LSN) []rec {
	t.Helper()
	if len(got) == 0 {
		if acked > FirstLSN && len(history) > 0 && history[len(history)-1].lsn < acked {
			t.Fatalf("round %d: nothing survived, acknowledged through LSN %d", round, acked)
		}
		return history[:0]
	}
	i := sort.Search(len(history), func(i int) bool { return history[i].lsn >= got[0].lsn })
	if i == len(history) || history[i].lsn != got[0].lsn {
		t.Fatalf("round %d: first survivor at LSN %d was never appended (stale data?)", round, got[0].lsn)
	}
	if i+len(got) > len(history) {
		t.Fatalf("round %d: %d survivors from index %d, only %d appended", round, len(got), i, len(history))
	}
	equalRecs(t, got, history[i:i+len(got)])
	last := got[len(got)-1]
	end := last.lsn + LSN(headerSize+len(last.payload))
	if end < acked {
		t.Fatalf("round %d: survivors end at LSN %d, acknowledged through %d", round, end, acked)
	}
	if end > next {
		t.Fatalf("round %d: survivors end at LSN %d, past the log end %d at the crash", round, end, next)
	}
	return history[:i+len(got)]
}
