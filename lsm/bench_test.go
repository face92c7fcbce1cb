package lsm

import (
	"encoding/binary"
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
