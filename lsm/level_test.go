package lsm

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// compactAll runs what the background compaction would, until no level
// needs a compaction.
func compactAll(t *testing.T, d *DB) {
	t.Helper()
	for {
		ran, err := d.compactPicked(d.pickCompaction)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			return
		}
	}
}

// checkShape checks the leveled invariants: L0 below its threshold, every
// level from L1 to L5 within its target, L1+ sorted without overlaps, and
// every table's recorded key range its real one (Check).
func checkShape(t *testing.T, d *DB) {
	t.Helper()
	m := d.Metrics()
	if m.Levels[0].Tables >= d.opts.L0CompactionThreshold {
		t.Fatalf("L0 holds %d tables after compacting", m.Levels[0].Tables)
	}
	for l := 1; l < numLevels-1; l++ {
		if m.Levels[l].Bytes > d.levelTargetBytes(l) {
			t.Fatalf("L%d holds %d bytes, over its target %d", l, m.Levels[l].Bytes, d.levelTargetBytes(l))
		}
	}
	if _, err := d.Check(); err != nil {
		t.Fatal(err)
	}
}

func TestLeveledCompaction(t *testing.T) {
	tests := []struct {
		name       string
		sequential bool
		// wantMoveOnly: every compaction is a trivial move (no table is
		// rewritten), as for keys written in order.
		wantMoveOnly bool
		minLevel     int // the deepest level must reach at least this
	}{
		{"random", false, false, 3},
		{"sequential", true, true, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewSource(1))
			opts := Options{DisableAutoCompaction: true, L0CompactionThreshold: 4, L0StopWritesThreshold: 100,
				L1TargetBytes: 16 << 10, TargetFileBytes: 4 << 10, BlockCacheBytes: -1,
				// Level targets are in table bytes: repetitive values
				// compressed would not fill the levels.
				Compression: NoCompression}
			fs := vfs.NewMem()
			d, err := Open(fs, dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			model := map[string]string{}
			var lsn uint64
			const batches, perBatch = 200, 50
			for bi := range batches {
				var b Batch
				for i := range perBatch {
					n := rng.Intn(20000)
					if tc.sequential {
						n = bi*perBatch + i
					}
					k, v := fmt.Sprintf("k%06d", n), strings.Repeat(fmt.Sprint(bi%10), 100)
					b.Set([]byte(k), []byte(v))
					model[k] = v
				}
				lsn++
				if err := d.Apply(&b, lsn); err != nil {
					t.Fatal(err)
				}
				flush(t, d)
				compactAll(t, d)
			}
			checkShape(t, d)
			m := d.Metrics()
			deepest := 0
			for l := range numLevels {
				if m.Levels[l].Tables > 0 {
					deepest = l
				}
			}
			t.Logf("levels %s, write-amp %.2f, %d compactions (%d moves)", levelsOf(d), m.WriteAmp(), m.Compactions, m.TrivialMoves)
			if deepest < tc.minLevel {
				t.Fatalf("data reached only L%d", deepest)
			}
			if tc.wantMoveOnly {
				if m.BytesCompacted != 0 || m.TrivialMoves != m.Compactions || m.WriteAmp() != 1 {
					t.Fatalf("sequential keys rewrote tables: %+v", m)
				}
			} else if m.BytesCompacted == 0 || m.WriteAmp() <= 1 {
				t.Fatalf("random keys: no table rewritten? %+v", m)
			}
			if got, want := scan(t, d, nil, nil), modelScan(model, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatal("scan differs from the model")
			}
			// A Get reads one block of the one table per level whose range
			// holds the key, filters permitting: with no cache, about one
			// block per Get.
			before := d.Metrics().BlockReads
			const gets = 300
			for i := range gets {
				k := fmt.Sprintf("k%06d", rng.Intn(20000))
				if tc.sequential {
					k = fmt.Sprintf("k%06d", i*31)
				}
				v, ok, err := d.Get([]byte(k))
				want, wantOK := model[k]
				if err != nil || ok != wantOK || string(v) != want {
					t.Fatalf("Get(%s) = %q, %v, %v", k, v, ok, err)
				}
			}
			if reads := d.Metrics().BlockReads - before; reads > gets*12/10 {
				t.Fatalf("%d Gets read %d blocks", gets, reads)
			}
			// The compact pointers survive a reopen.
			d.mu.RLock()
			pointers := d.mu.compactPointer
			d.mu.RUnlock()
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			d, err = Open(fs, dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for l := range numLevels {
				if !bytes.Equal(pointers[l], d.mu.compactPointer[l]) {
					t.Fatalf("L%d compact pointer %q after reopen, was %q", l, d.mu.compactPointer[l], pointers[l])
				}
			}
			if pointers[1] == nil {
				t.Fatal("no L1 compaction recorded a compact pointer")
			}
			checkShape(t, d)
		})
	}
}

// TestLevelIteratorAcrossTables: a level split into many tables iterates
// as one, in both directions, with seeks landing between tables and
// bounds inside them.
func TestLevelIteratorAcrossTables(t *testing.T) {
	d, err := Open(vfs.NewMem(), dir, Options{DisableAutoCompaction: true, TargetFileBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	model := map[string]string{}
	var b Batch
	for i := range 2000 {
		k, v := fmt.Sprintf("k%05d", i*2), strings.Repeat("v", 40)
		b.Set([]byte(k), []byte(v))
		model[k] = v
	}
	if err := d.Apply(&b, 1); err != nil {
		t.Fatal(err)
	}
	flush(t, d)
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	if m := d.Metrics(); m.Levels[1].Tables < 10 {
		t.Fatalf("L1 has %d tables; the test wants many", m.Levels[1].Tables)
	}
	rng := rand.New(rand.NewSource(2))
	key := func() string { return fmt.Sprintf("k%05d", rng.Intn(4100)) }
	for range 50 {
		var lower, upper []byte
		if rng.Intn(2) == 0 {
			lower = []byte(key())
		}
		if rng.Intn(2) == 0 {
			upper = []byte(key())
		}
		want := modelScan(model, lower, upper)
		if got := scan(t, d, lower, upper); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("scan [%s, %s) differs", lower, upper)
		}
		if got := reverseScan(t, d, lower, upper); strings.Join(got, ",") != strings.Join(reversed(want), ",") {
			t.Fatalf("reverse scan [%s, %s) differs", lower, upper)
		}
		randomWalk(t, rng, d, lower, upper, want, key)
	}
}

// TestLevelCompactionSharedBoundaryKey: an Ln table whose smallest user key
// is the largest user key of an Ln+1 table (a newer version of the key
// above an older one) overlaps that table, which must be merged in, not
// left beside the output (or beside the table moved down).
func TestLevelCompactionSharedBoundaryKey(t *testing.T) {
	for _, tc := range []struct {
		name string
		l2   [][]string // L2 tables, by their keys
		l1   []string   // the one L1 table's keys; its first is the first L2 table's last
	}{
		// Missing the shared key, the L1 table overlaps nothing: a move.
		{"move", [][]string{{"a", "b", "c"}}, []string{"c", "d", "e"}},
		// Missing it, the merge leaves out the first L2 table only.
		{"merge", [][]string{{"a", "b", "c"}, {"x", "y", "z"}}, []string{"c", "m", "y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(vfs.NewMem(), dir, Options{DisableAutoCompaction: true, L0StopWritesThreshold: 100})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			model := map[string]string{}
			var lsn uint64
			apply := func(keys []string, v string) {
				t.Helper()
				var b Batch
				for _, k := range keys {
					b.Set([]byte(k), []byte(v))
					model[k] = v
				}
				lsn++
				if err := d.Apply(&b, lsn); err != nil {
					t.Fatal(err)
				}
				flush(t, d)
			}
			compact := func(pick func(*version, *[numLevels][]byte) *compaction) {
				t.Helper()
				if ran, err := d.compactPicked(pick); err != nil || !ran {
					t.Fatalf("compaction: ran %v, %v", ran, err)
				}
			}
			l0ToL1 := func(v *version, _ *[numLevels][]byte) *compaction { return pickL0(v) }
			l1ToL2 := func(v *version, p *[numLevels][]byte) *compaction { return pickLevel(v, 1, p[1]) }
			// Each L2 table: flushed, into L1 (empty), moved down.
			for _, keys := range tc.l2 {
				apply(keys, "old")
				compact(l0ToL1)
				compact(l1ToL2)
			}
			apply(tc.l1, "new")
			compact(l0ToL1)
			if got := levelsOf(d); got != fmt.Sprintf("L1:1 L2:%d", len(tc.l2)) {
				t.Fatalf("levels %s before the L1 compaction", got)
			}
			before := d.Metrics().TrivialMoves
			compact(l1ToL2)
			if moved := d.Metrics().TrivialMoves > before; moved {
				t.Fatal("the L1 table was moved over an L2 table holding its first key")
			}
			if got := levelsOf(d); got != "L2:1" {
				t.Fatalf("levels %s after the L1 compaction, want every table merged into one", got)
			}
			if _, err := d.Check(); err != nil {
				t.Fatal(err)
			}
			if got, want := scan(t, d, nil, nil), modelScan(model, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("scan %v, want %v", got, want)
			}
		})
	}
}
