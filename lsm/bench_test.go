package lsm

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// BenchmarkScan iterates 100,000 keys (16-byte keys, 100-byte values)
// compacted into L1 and L2, as lsmbench's scan does.
func BenchmarkScan(b *testing.B) {
	d, err := Open(vfs.NewMem(), dir, Options{DisableAutoCompaction: true, L1TargetBytes: 4 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	const n = 100_000
	value := make([]byte, 100)
	for i := range n {
		var batch Batch
		key := binary.BigEndian.AppendUint64([]byte("user-key"), uint64(i*7919%n))
		batch.Set(key, value)
		if err := d.Apply(&batch, uint64(i+1)); err != nil {
			b.Fatal(err)
		}
		if d.MemtableSize() > 1<<20 {
			if err := d.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := d.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := d.Compact(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		it := d.NewIter(nil, nil)
		count := 0
		for ok := it.First(); ok; ok = it.Next() {
			count++
		}
		if err := it.Close(); err != nil || count != n {
			b.Fatal(count, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
}

// BenchmarkMemtable measures inserts into a memtable (16-byte keys,
// 100-byte values, in one batch of 16 per Apply as recovery replays them)
// in sequential and random key order, and point lookups in a memtable of
// 200,000 keys.
func BenchmarkMemtable(b *testing.B) {
	const n = 200_000
	value := make([]byte, 100)
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = binary.BigEndian.AppendUint64([]byte("user-key"), uint64(i))
	}
	shuffled := slices.Clone(keys)
	rand.New(rand.NewPCG(1, 2)).Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	batches := func(keys [][]byte) []*Batch {
		var out []*Batch
		for i := 0; i < len(keys); i += 16 {
			var batch Batch
			for _, k := range keys[i:min(i+16, len(keys))] {
				batch.Set(k, value)
			}
			out = append(out, &batch)
		}
		return out
	}
	for _, order := range []struct {
		name string
		keys [][]byte
	}{{"sequential", keys}, {"random", shuffled}} {
		bs := batches(order.keys)
		b.Run("insert-"+order.name, func(b *testing.B) {
			for range b.N {
				m := newMemtable()
				seq := uint64(1)
				for _, batch := range bs {
					m.apply(batch, seq)
					seq += uint64(batch.Len())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
		})
	}
	b.Run("get", func(b *testing.B) {
		m := newMemtable()
		seq := uint64(1)
		for _, batch := range batches(shuffled) {
			m.apply(batch, seq)
			seq += uint64(batch.Len())
		}
		lookups := make([][]byte, n)
		for i, k := range shuffled {
			lookups[i] = makeIKey(k, maxSeq)
		}
		b.ResetTimer()
		for i := range b.N {
			lookup := lookups[i%n]
			if _, ok := m.get(lookup, userPart(lookup)); !ok {
				b.Fatal("not found")
			}
		}
	})
}
