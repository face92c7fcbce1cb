package lsm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// skipEntry is one version for the skiplist tests: a user key at a
// sequence number.
type skipEntry struct {
	user    string
	seq     uint64
	value   string
	deleted bool
}

func (e skipEntry) ikey() []byte { return makeIKey([]byte(e.user), e.seq) }

func buildSkiplist(entries []skipEntry) *skiplist {
	l := newSkiplist()
	for _, e := range entries {
		l.add(e.ikey(), []byte(e.value), e.deleted)
	}
	return l
}

// sortedIKeys returns the entries' internal keys in order.
func sortedIKeys(entries []skipEntry) [][]byte {
	var keys [][]byte
	for _, e := range entries {
		keys = append(keys, e.ikey())
	}
	slices.SortFunc(keys, bytes.Compare)
	return keys
}

// checkWalk checks forward and backward walks and every entry's value and
// kind against the entries.
func checkWalk(t *testing.T, l *skiplist, entries []skipEntry) {
	t.Helper()
	want := sortedIKeys(entries)
	byKey := map[string]skipEntry{}
	for _, e := range entries {
		byKey[string(e.ikey())] = e
	}
	r := l.reader()
	var got [][]byte
	for x := r.first(); x != 0; x = r.next(x, 0) {
		k := r.key(x)
		e, ok := byKey[string(k)]
		if !ok {
			t.Fatalf("unknown key %q", k)
		}
		if string(r.value(x)) != e.value || r.deleted(x) != e.deleted {
			t.Fatalf("key %q: value %q deleted %v, want %q %v", k, r.value(x), r.deleted(x), e.value, e.deleted)
		}
		got = append(got, k)
	}
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("forward: got %q, want %q", got, want)
	}
	// Backward: last, then the predecessor of each, as memSource.prev.
	got = got[:0]
	s := memSource{r: l.reader()}
	for s.last(); s.valid(); s.prev() {
		got = append(got, s.key())
	}
	slices.Reverse(got)
	if !slices.EqualFunc(got, want, bytes.Equal) {
		t.Fatalf("backward: got %q, want %q", got, want)
	}
	if l.count != len(entries) {
		t.Fatalf("count %d, want %d", l.count, len(entries))
	}
}

// modelSeekGE and modelSeekLT answer seeks on a sorted slice: the index of
// the answer, or -1.
func modelSeekGE(keys [][]byte, k []byte) int {
	i, _ := slices.BinarySearchFunc(keys, k, bytes.Compare)
	if i == len(keys) {
		return -1
	}
	return i
}

func modelSeekLT(keys [][]byte, k []byte) int {
	i, _ := slices.BinarySearchFunc(keys, k, bytes.Compare)
	return i - 1
}

func keyAt(r *skipReader, x uint64) []byte {
	if x == 0 {
		return nil
	}
	return r.key(x)
}

func TestSkiplist(t *testing.T) {
	big := string(bytes.Repeat([]byte("v"), 8*skipMaxChunkWords+100))
	bigKey := string(bytes.Repeat([]byte("k"), 8*skipMaxChunkWords/2))
	// Above the first chunks' sizes, below a chunk of its own.
	medium := string(bytes.Repeat([]byte("m"), 8*skipMaxChunkWords/8))
	tests := []struct {
		name    string
		entries []skipEntry // inserted in this order
		seeks   []skipEntry // seekGE and seekLT targets (value unused)
	}{
		{name: "empty", seeks: []skipEntry{{"", maxSeq, "", false}, {"a", 1, "", false}, {"\xff", 0, "", false}}},
		{
			name:    "one",
			entries: []skipEntry{{"b", 5, "v", false}},
			seeks:   []skipEntry{{"a", 1, "", false}, {"b", maxSeq, "", false}, {"b", 5, "", false}, {"b", 4, "", false}, {"b", 6, "", false}, {"c", maxSeq, "", false}},
		},
		{
			name: "versions of one key, inserted oldest first",
			entries: []skipEntry{
				{"k", 1, "1", false}, {"k", 2, "2", true}, {"k", 3, "3", false}, {"k", 10, "10", false}, {"k", 11, "", true},
			},
			seeks: []skipEntry{{"k", maxSeq, "", false}, {"k", 11, "", false}, {"k", 10, "", false}, {"k", 9, "", false}, {"k", 2, "", false}, {"k", 1, "", false}, {"k", 0, "", false}, {"j", 0, "", false}, {"k\x00", maxSeq, "", false}},
		},
		{
			name: "versions of several keys, mixed order",
			entries: []skipEntry{
				{"b", 4, "b4", false}, {"a", 7, "a7", false}, {"c", 1, "c1", true}, {"b", 9, "b9", false},
				{"a", 2, "a2", false}, {"c", 8, "c8", false}, {"b", 6, "", true}, {"", 3, "empty", false},
			},
			seeks: []skipEntry{
				{"", maxSeq, "", false}, {"", 3, "", false}, {"", 0, "", false}, {"a", 8, "", false}, {"a", 7, "", false},
				{"a", 5, "", false}, {"b", maxSeq, "", false}, {"b", 6, "", false}, {"b", 5, "", false}, {"c", 0, "", false}, {"d", maxSeq, "", false},
			},
		},
		{
			name: "zero bytes in keys",
			entries: []skipEntry{
				{"a\x00", 1, "1", false}, {"a", 2, "2", false}, {"a\x00\x00", 3, "3", false}, {"a\x01", 4, "4", false}, {"\x00", 5, "5", false},
			},
			seeks: []skipEntry{{"a", maxSeq, "", false}, {"a\x00", 0, "", false}, {"a\x00", maxSeq, "", false}, {"\x00", 5, "", false}, {"", 0, "", false}},
		},
		{
			name: "big keys and values",
			entries: []skipEntry{
				{"c", 6, medium, false}, {medium, 7, medium, true}, {"m", 1, big, false}, {bigKey, 2, "small", false},
				{"a", 3, big, false}, {bigKey, 4, big, false}, {"z", 5, "", true}, {"d", 8, medium, false},
			},
			seeks: []skipEntry{{bigKey, maxSeq, "", false}, {bigKey, 3, "", false}, {"m", 0, "", false}, {"n", maxSeq, "", false}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := buildSkiplist(tc.entries)
			checkWalk(t, l, tc.entries)
			keys := sortedIKeys(tc.entries)
			r := l.reader()
			for _, s := range tc.seeks {
				target := s.ikey()
				var ge, lt []byte
				if i := modelSeekGE(keys, target); i >= 0 {
					ge = keys[i]
				}
				if i := modelSeekLT(keys, target); i >= 0 {
					lt = keys[i]
				}
				if got := keyAt(&r, r.seekGE(target)); !bytes.Equal(got, ge) {
					t.Errorf("seekGE(%q@%d) = %q, want %q", s.user, s.seq, got, ge)
				}
				if got := keyAt(&r, r.seekLT(target)); !bytes.Equal(got, lt) {
					t.Errorf("seekLT(%q@%d) = %q, want %q", s.user, s.seq, got, lt)
				}
			}
			if len(keys) == 0 {
				if r.first() != 0 || r.last() != 0 {
					t.Fatal("empty list has a first or last node")
				}
			} else if !bytes.Equal(r.key(r.last()), keys[len(keys)-1]) {
				t.Fatalf("last = %q", r.key(r.last()))
			}
		})
	}
}

// TestMemtableGet: the newest version at or below the lookup's sequence
// number, of the right user key only.
func TestMemtableGet(t *testing.T) {
	m := newMemtable()
	if m.size != 0 || m.len() != 0 {
		t.Fatalf("empty memtable: size %d, len %d", m.size, m.len())
	}
	var b Batch
	b.Set([]byte("a"), []byte("a1"))
	b.Set([]byte("b"), []byte("b2"))
	b.Delete([]byte("a"))
	b.Set([]byte("a"), []byte("a4"))
	b.Set([]byte("a\x00"), []byte("x5"))
	m.apply(&b, 1)
	if m.len() != 5 || m.maxSeq != 5 {
		t.Fatalf("len %d, maxSeq %d", m.len(), m.maxSeq)
	}
	if min := int64(5 * (2 + 2 + seqBytes)); m.size < min {
		t.Fatalf("size %d, below the %d bytes of keys and values", m.size, min)
	}
	tests := []struct {
		key     string
		seq     uint64
		value   string
		deleted bool
		found   bool
	}{
		{"a", maxSeq, "a4", false, true},
		{"a", 4, "a4", false, true},
		{"a", 3, "", true, true},
		{"a", 2, "a1", false, true},
		{"a", 1, "a1", false, true},
		{"a", 0, "", false, false},
		{"b", 1, "", false, false},
		{"b", 2, "b2", false, true},
		{"a\x00", maxSeq, "x5", false, true},
		{"a\x00", 4, "", false, false},
		{"", maxSeq, "", false, false},
		{"c", maxSeq, "", false, false},
	}
	for _, tc := range tests {
		lookup := makeIKey([]byte(tc.key), tc.seq)
		e, ok := m.get(lookup, userPart(lookup))
		if ok != tc.found || (ok && (string(e.value) != tc.value || e.deleted != tc.deleted)) {
			t.Errorf("get(%q@%d) = %q deleted %v found %v, want %q %v %v", tc.key, tc.seq, e.value, e.deleted, ok, tc.value, tc.deleted, tc.found)
		}
	}
}

// TestSkiplistRandom compares a skiplist with a sorted slice over random
// inserts, seeks and walks, with keys from a small alphabet so that user
// keys repeat at several sequence numbers.
func TestSkiplistRandom(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	randKey := func() []byte {
		k := make([]byte, rng.IntN(4))
		for i := range k {
			k[i] = "\x00ab\xff"[rng.IntN(4)]
		}
		return k
	}
	l := newSkiplist()
	var model [][]byte // sorted internal keys
	values := map[string][]byte{}
	r := l.reader()
	var seq uint64
	for step := range 20000 {
		switch op := rng.IntN(10); {
		case op < 5:
			seq++
			ik := makeIKey(randKey(), seq)
			v := make([]byte, rng.IntN(3)*rng.IntN(2000))
			for i := range v {
				v[i] = byte(rng.Uint32())
			}
			l.add(ik, v, len(v) == 0)
			i, _ := slices.BinarySearchFunc(model, ik, bytes.Compare)
			model = slices.Insert(model, i, ik)
			values[string(ik)] = v
		case op < 7:
			target := makeIKey(randKey(), rng.Uint64N(seq+2))
			var want []byte
			if i := modelSeekGE(model, target); i >= 0 {
				want = model[i]
			}
			x := r.seekGE(target)
			if got := keyAt(&r, x); !bytes.Equal(got, want) {
				t.Fatalf("step %d: seekGE(%q) = %q, want %q", step, target, got, want)
			}
			if x != 0 && !bytes.Equal(r.value(x), values[string(want)]) {
				t.Fatalf("step %d: value of %q differs", step, want)
			}
			// Walk forward a few steps.
			i := modelSeekGE(model, target)
			for n := 0; x != 0 && n < 5; n++ {
				x = r.next(x, 0)
				i++
				want = nil
				if i < len(model) {
					want = model[i]
				}
				if got := keyAt(&r, x); !bytes.Equal(got, want) {
					t.Fatalf("step %d: next = %q, want %q", step, got, want)
				}
			}
		case op < 9:
			target := makeIKey(randKey(), rng.Uint64N(seq+2))
			s := memSource{r: l.reader()}
			s.seekLT(target)
			for i := modelSeekLT(model, target); ; i-- {
				var want []byte
				if i >= 0 {
					want = model[i]
				}
				var got []byte
				if s.valid() {
					got = s.key()
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("step %d: backward from %q: %q, want %q", step, target, got, want)
				}
				if !s.valid() || i < modelSeekLT(model, target)-5 {
					break
				}
				s.prev()
			}
		default:
			var want, got []byte
			if len(model) > 0 {
				want = model[len(model)-1]
			}
			got = keyAt(&r, r.last())
			if !bytes.Equal(got, want) {
				t.Fatalf("step %d: last = %q, want %q", step, got, want)
			}
		}
	}
	var got [][]byte
	for x := r.first(); x != 0; x = r.next(x, 0) {
		got = append(got, r.key(x))
	}
	if !slices.EqualFunc(got, model, bytes.Equal) {
		t.Fatalf("final walk differs from the model (%d and %d keys)", len(got), len(model))
	}
}

// TestSkiplistConcurrent runs one writer and several readers without
// locks (run it with -race): every reader walk is in order, every entry it
// meets is whole, and it sees every entry inserted before it started.
func TestSkiplistConcurrent(t *testing.T) {
	const n = 30000
	l := newSkiplist()
	var done atomic.Uint64 // sequence numbers up to done are inserted
	value := func(seq uint64) []byte { return fmt.Appendf(nil, "value-%d", seq) }
	userKey := func(seq uint64) []byte {
		// Keys repeat (several versions each) and arrive in random order.
		return binary.BigEndian.AppendUint32(nil, uint32(seq*2654435761)%5000)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := uint64(1); seq <= n; seq++ {
			var v []byte
			if seq%7 != 0 {
				v = value(seq)
			}
			// Some values are large enough to need their own chunks.
			if seq%5000 == 0 {
				v = bytes.Repeat(v, 8*skipMaxChunkWords/len(v))
			}
			l.add(makeIKey(userKey(seq), seq), v, seq%7 == 0)
			done.Store(seq)
		}
	}()
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for walks := 0; walks < 3 || done.Load() < n; walks++ {
				upTo := done.Load()
				s := memSource{r: l.reader()}
				seen := uint64(0)
				var prev []byte
				check := func() error {
					k := s.key()
					if prev != nil {
						if c := bytes.Compare(prev, k); c == 0 || (c > 0) == (g%2 == 0) {
							return fmt.Errorf("reader %d: %q then %q", g, prev, k)
						}
					}
					prev = k
					seq := ikeySeq(k)
					if !bytes.Equal(userPart(k), userPart(makeIKey(userKey(seq), seq))) {
						return fmt.Errorf("reader %d: key %q has the wrong user key", g, k)
					}
					if seq%7 == 0 {
						if !s.deleted() || len(s.value()) != 0 {
							return fmt.Errorf("reader %d: seq %d should be a tombstone", g, seq)
						}
					} else if v := s.value(); s.deleted() || !bytes.HasPrefix(v, value(seq)) {
						return fmt.Errorf("reader %d: seq %d: value %.20q", g, seq, v)
					}
					if seq <= upTo {
						seen++
					}
					return nil
				}
				if g%2 == 0 {
					for s.first(); s.valid(); s.next() {
						if err := check(); err != nil {
							errs <- err
							return
						}
					}
				} else {
					// Backward, by predecessor searches, over part of it.
					steps := 0
					for s.last(); s.valid() && steps < 2000; s.prev() {
						if err := check(); err != nil {
							errs <- err
							return
						}
						steps++
					}
					continue
				}
				if seen != upTo {
					errs <- fmt.Errorf("reader %d: saw %d of the %d entries inserted before it started", g, seen, upTo)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
