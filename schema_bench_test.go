package cairn_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/sql/types"
)

// BenchmarkSchemaWrites runs schemabench's two statements embedded, on one
// session in autocommit, in memory (no fsync): fk-insert is a prepared
// INSERT into a child table with a serial key, a foreign key and two
// secondary indexes; upsert an INSERT ... ON CONFLICT DO UPDATE on keys
// drawn from 10,000, so that each key's version chain grows with the run.
// One op is one statement: allocs/op and a CPU profile show the
// per-statement cost without the server's network and disk waits. Use a
// fixed count (-benchtime 100000x) to compare builds, since the upsert's
// cost per op depends on how many versions its keys have gathered.
func BenchmarkSchemaWrites(b *testing.B) {
	const parents = 10_000
	for _, w := range []struct {
		name string
		sql  string
		args func(r *rand.Rand) []types.Datum
	}{
		{"fk-insert", `INSERT INTO child (parent_id, qty, note) VALUES ($1, $2, $3)`, func(r *rand.Rand) []types.Datum {
			return []types.Datum{int64(r.IntN(parents) + 1), int64(r.IntN(100)), fmt.Sprintf("note %d", r.IntN(1000))}
		}},
		{"upsert", `INSERT INTO counter (k, hits, updated) VALUES ($1, 1, now())
			ON CONFLICT (k) DO UPDATE SET hits = counter.hits + 1, updated = excluded.updated`, func(r *rand.Rand) []types.Datum {
			return []types.Datum{int64(r.IntN(parents) + 1)}
		}},
	} {
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			db, err := cairn.Open(cairn.MemoryDSN)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for _, q := range []string{
				`CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL)`,
				`INSERT INTO parent SELECT g, 'parent ' || g FROM generate_series(1, 10000) g`,
				`CREATE TABLE child (
					id bigserial PRIMARY KEY,
					parent_id int NOT NULL REFERENCES parent (id) ON DELETE CASCADE,
					qty int NOT NULL,
					note text,
					created timestamptz NOT NULL DEFAULT now())`,
				`CREATE INDEX child_parent ON child (parent_id)`,
				`CREATE INDEX child_qty_note ON child (qty, note)`,
				`CREATE TABLE counter (k int PRIMARY KEY, hits bigint NOT NULL, updated timestamptz NOT NULL)`,
			} {
				if err := db.Exec(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			s, err := db.NewSession()
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ps, err := s.PrepareAll(ctx, w.sql)
			if err != nil {
				b.Fatal(err)
			}
			stmt := ps[0]
			r := rand.New(rand.NewPCG(1, 42))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Execute(ctx, stmt, w.args(r)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
