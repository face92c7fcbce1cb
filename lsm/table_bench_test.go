package lsm

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// benchDB loads n keys of lsmbench's shape (16-byte decimal keys, 100-byte
// random values) into tables tables of a store in a temporary directory, with the
// default cache. Even-numbered keys only, so odd ones are misses inside
// the range.
func benchDB(b *testing.B, n, tables int) *DB {
	b.Helper()
	d, err := Open(vfs.Default, b.TempDir(), Options{DisableAutoCompaction: true})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	value := make([]byte, 100)
	lsn := uint64(0)
	for tbl := range tables {
		var batch Batch
		for i := tbl; i < n; i += tables {
			rng.Read(value)
			batch.Set([]byte(fmt.Sprintf("%016d", 2*i)), value)
		}
		lsn++
		if err := d.Apply(&batch, lsn); err != nil {
			b.Fatal(err)
		}
		if err := d.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	return d
}

func BenchmarkTableGet(b *testing.B) {
	const n = 200_000
	for _, tc := range []struct {
		name   string
		tables int
		odd    int
	}{{"hit-1table", 1, 0}, {"miss-1table", 1, 1}, {"hit-4tables", 4, 0}, {"miss-4tables", 4, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			d := benchDB(b, n, tc.tables)
			defer d.Close()
			rng := rand.New(rand.NewSource(2))
			keys := make([][]byte, 4096)
			for i := range keys {
				keys[i] = []byte(fmt.Sprintf("%016d", 2*rng.Intn(n)+tc.odd))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, ok, err := d.Get(keys[i%len(keys)]); err != nil || ok == (tc.odd == 1) {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

func BenchmarkTableScan(b *testing.B) {
	const n = 200_000
	for _, tables := range []int{1, 4} {
		b.Run(fmt.Sprintf("%dtables", tables), func(b *testing.B) {
			d := benchDB(b, n, tables)
			defer d.Close()
			b.ReportAllocs()
			b.ResetTimer()
			keys := 0
			for i := 0; i < b.N; i++ {
				it := d.NewIter(nil, nil)
				for ok := it.First(); ok; ok = it.Next() {
					keys++
				}
				if err := it.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(keys)/b.Elapsed().Seconds(), "keys/s")
		})
	}
}
