package lsm

import (
	"errors"
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

// BenchmarkTableWriter writes 200k entries of lsmbench's shape into a
// table in memory, with and without compression.
func BenchmarkTableWriter(b *testing.B) {
	const n = 200_000
	rng := rand.New(rand.NewSource(1))
	ents := make([]entry, n)
	for i := range ents {
		value := make([]byte, 100)
		rng.Read(value)
		ents[i] = entry{key: []byte(fmt.Sprintf("%016d", 2*i)), value: value}
	}
	for _, tc := range []struct {
		name        string
		compression byte
	}{{"none", compressionNone}, {"snappy", compressionSnappy}} {
		b.Run(tc.name, func(b *testing.B) {
			fs := vfs.NewMem()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				f, err := fs.Create("t.sst")
				if err != nil {
					b.Fatal(err)
				}
				tw := newTableWriter(f, tc.compression, n)
				for _, e := range ents {
					if err := tw.add(e); err != nil {
						b.Fatal(err)
					}
				}
				if err := errors.Join(tw.finish(), f.Close()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
		})
	}
}
