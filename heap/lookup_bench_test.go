package heap

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/txn"
)

// BenchmarkScanKey looks rows up by primary key, as pgbench's select-only
// script does: rows of one version each, in tables (after a checkpoint)
// or in the memtable.
func BenchmarkScanKey(b *testing.B) {
	for _, flushed := range []bool{true, false} {
		name := "memtable"
		if flushed {
			name = "tables"
		}
		b.Run(name, func(b *testing.B) {
			const rows = 100_000
			store, err := checkpoint.Open(vfs.NewMem(), "data", checkpoint.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			tm, err := txn.Open(store)
			if err != nil {
				b.Fatal(err)
			}
			h := New(store, tm)
			key := func(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }
			tx, err := tm.Begin()
			if err != nil {
				b.Fatal(err)
			}
			for i := range rows {
				if err := h.Insert(Op{Tx: tx, Snap: tm.Snapshot(tx, 0)}, table, key(i), make([]byte, 90)); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			if flushed {
				if err := store.Checkpoint(); err != nil {
					b.Fatal(err)
				}
			}
			snap := tm.ReadSnapshot()
			r := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			for range b.N {
				found := false
				if err := h.ScanKey(snap, table, key(r.IntN(rows)), func(Tuple) error { found = true; return nil }); err != nil || !found {
					b.Fatal(err, found)
				}
			}
		})
	}
}
