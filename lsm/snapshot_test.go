package lsm

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestIKeyOrder: bytewise order of internal keys is user key ascending,
// then sequence number descending, for keys with zero bytes and prefixes
// of each other; the user key and sequence number decode back.
func TestIKeyOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte{0x00, 0x01, 0xff, 'a'}
	key := func() []byte {
		k := make([]byte, rng.Intn(4))
		for i := range k {
			k[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return k
	}
	seqs := []uint64{0, 1, 2, 255, 256, 1 << 40, maxSeq - 1, maxSeq}
	for range 20000 {
		a, b := key(), key()
		sa, sb := seqs[rng.Intn(len(seqs))], seqs[rng.Intn(len(seqs))]
		ia, ib := makeIKey(a, sa), makeIKey(b, sb)
		want := bytes.Compare(a, b)
		if want == 0 {
			want = cmp.Compare(sb, sa)
		}
		if got := bytes.Compare(ia, ib); got != want {
			t.Fatalf("compare(ikey(%x, %d), ikey(%x, %d)) = %d, want %d", a, sa, b, sb, got, want)
		}
		if got := appendUserKey(nil, userPart(ia)); !bytes.Equal(got, a) || ikeySeq(ia) != sa || !validIKey(ia) {
			t.Fatalf("ikey(%x, %d) decodes to %x, %d", a, sa, got, ikeySeq(ia))
		}
		if (bytes.Equal(userPart(ia), userPart(ib))) != bytes.Equal(a, b) {
			t.Fatalf("user parts of %x and %x", a, b)
		}
	}
	for _, bad := range [][]byte{nil, []byte("short"), append([]byte("a\x00b\x00\x01"), make([]byte, 8)...), append([]byte("ab\x00\x02"), make([]byte, 8)...)} {
		if validIKey(bad) {
			t.Errorf("validIKey(%x) = true", bad)
		}
		appendUserKey(nil, bad) // must not panic
	}
}

// TestSnapshot: a snapshot keeps reading the state as of its creation
// through overwrites, deletes, flushes and compactions; compactions keep
// the newest version each open snapshot sees and, once the snapshots are
// closed, only the newest.
func TestSnapshot(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	type snap struct {
		s     *Snapshot
		model map[string]string
	}
	model := map[string]string{}
	var snaps []snap
	var lsn uint64
	for round := range 6 {
		var b Batch
		for i := range 40 {
			k := fmt.Sprintf("k%03d", i)
			switch {
			case (i+round)%5 == 0:
				b.Delete([]byte(k))
				delete(model, k)
			case i%(round+1) == 0:
				v := fmt.Sprintf("v%d", round)
				b.Set([]byte(k), []byte(v))
				model[k] = v
			}
		}
		lsn++
		if err := d.Apply(&b, lsn); err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snap{d.NewSnapshot(), copyModel(model)})
		if round%2 == 1 {
			flush(t, d)
		}
		if round == 3 {
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(what string) {
		t.Helper()
		for i, sn := range snaps {
			if sn.s == nil {
				continue
			}
			want := modelScan(sn.model, nil, nil)
			it := sn.s.NewIter(nil, nil)
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
				t.Fatalf("%s: snapshot %d:\n got %v\nback %v\nwant %v", what, i, got, back, want)
			}
			for j := range 40 {
				k := fmt.Sprintf("k%03d", j)
				v, ok, err := sn.s.Get([]byte(k))
				w, wok := sn.model[k]
				if err != nil || ok != wok || string(v) != w {
					t.Fatalf("%s: snapshot %d: Get(%s) = %q, %v, %v; want %q, %v", what, i, k, v, ok, err, w, wok)
				}
			}
		}
	}
	check("before flushing")
	flush(t, d)
	check("after flushing")
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	check("after compacting")
	versions := func() int {
		live, tomb := tableEntries(t, d)
		return live + tomb
	}
	withSnaps := versions()
	// Close every other snapshot: fewer versions survive a compaction.
	for i := 0; i < len(snaps); i += 2 {
		if err := snaps[i].s.Close(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := snaps[i].s.Get([]byte("k000")); err != ErrClosed {
			t.Fatalf("Get on a closed snapshot: %v", err)
		}
		snaps[i].s = nil
	}
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	check("after closing half the snapshots and compacting")
	fewer := versions()
	for _, sn := range snaps {
		if sn.s != nil {
			sn.s.Close()
		}
	}
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	live, tomb := tableEntries(t, d)
	if tomb != 0 || live != len(model) {
		t.Fatalf("with no snapshot: %d values and %d tombstones, want %d and 0", live, tomb, len(model))
	}
	if !(withSnaps > fewer && fewer > live) {
		t.Fatalf("versions kept: %d with 6 snapshots, %d with 3, %d with none", withSnaps, fewer, live)
	}
	if got := strings.Join(scan(t, d, nil, nil), ","); got != strings.Join(modelScan(model, nil, nil), ",") {
		t.Fatalf("scan: %s", got)
	}
}

// TestSequenceSurvivesReopen: versions written after a reopen are newer
// than those in tables: sequence numbers continue from the manifest's.
func TestSequenceSurvivesReopen(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	for i := range 3 {
		set(t, d, uint64(i+1), "k", fmt.Sprint(i), "other", "x")
		flush(t, d)
	}
	seq := d.mu.seq
	d.Close()
	d = mustOpen(t, fs)
	defer d.Close()
	if d.mu.seq != seq {
		t.Fatalf("sequence number %d after reopen, was %d", d.mu.seq, seq)
	}
	set(t, d, 4, "k", "new")
	flush(t, d)
	for _, when := range []string{"before", "after"} {
		if v, ok, err := d.Get([]byte("k")); string(v) != "new" || !ok || err != nil {
			t.Fatalf("%s compacting: Get = %q, %v, %v", when, v, ok, err)
		}
		if err := d.Compact(); err != nil {
			t.Fatal(err)
		}
	}
}
