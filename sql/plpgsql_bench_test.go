package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// BenchmarkPLpgSQL times PL/pgSQL functions of bench/cmd/plvs, embedded
// (one op is one iteration of the function's loop): integer arithmetic
// alone, and with a primary-key lookup per iteration. Allocation counts,
// unlike timings, do not move with the machine's load.
func BenchmarkPLpgSQL(b *testing.B) {
	e := newTestEngine(b)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		`CREATE TABLE lookup (k int PRIMARY KEY, v int NOT NULL)`,
		`INSERT INTO lookup SELECT g, (g * 37) % 1000 FROM generate_series(0, 99) g`,
		`CREATE FUNCTION pl_loop(n int) RETURNS bigint LANGUAGE plpgsql AS $$
		DECLARE acc bigint := 0; x int;
		BEGIN
			FOR i IN 1..n LOOP
				acc := acc + (i * 7 + 3) % 11;
				SELECT v INTO x FROM lookup WHERE k = i % 100;
				acc := acc + x;
			END LOOP;
			RETURN acc;
		END $$`,
		`CREATE FUNCTION pl_arith(n int) RETURNS bigint LANGUAGE plpgsql AS $$
		DECLARE acc bigint := 0; x int;
		BEGIN
			FOR i IN 1..n LOOP
				acc := acc + (i * 7 + 3) % 11;
				x := i % 100;
				acc := acc + x;
			END LOOP;
			RETURN acc;
		END $$`,
	} {
		if _, err := run(s, q); err != nil {
			b.Fatal(err)
		}
	}
	for _, fn := range []string{"pl_arith", "pl_loop"} {
		b.Run(fn, func(b *testing.B) {
			ps, err := s.PrepareAll(context.Background(), "SELECT "+fn+"($1)")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			if _, err := s.Execute(context.Background(), ps[0], []types.Datum{int64(b.N)}); err != nil {
				b.Fatal(err)
			}
		})
	}
}
