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

// BenchmarkPLTrigger inserts rows one statement at a time into plvs's
// table with a BEFORE and an AFTER row trigger in PL/pgSQL (one op is one
// INSERT, which fires both and writes an audit row).
func BenchmarkPLTrigger(b *testing.B) {
	e := newTestEngine(b)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{
		`CREATE TABLE events (id bigserial PRIMARY KEY, account int NOT NULL, amount int NOT NULL, note text, updated_at timestamptz)`,
		`CREATE TABLE events_audit (id bigserial PRIMARY KEY, event_id bigint NOT NULL, op text NOT NULL, at timestamptz NOT NULL)`,
		`CREATE FUNCTION events_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$`,
		`CREATE FUNCTION events_log() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO events_audit (event_id, op, at) VALUES (NEW.id, TG_OP, NEW.updated_at); RETURN NULL; END $$`,
		`CREATE TRIGGER events_touch BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_touch()`,
		`CREATE TRIGGER events_log AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_log()`,
	} {
		if _, err := run(s, q); err != nil {
			b.Fatal(err)
		}
	}
	ps, err := s.PrepareAll(context.Background(), `INSERT INTO events (account, amount, note) VALUES ($1, $2, $3)`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := s.Execute(context.Background(), ps[0], []types.Datum{int64(i % 1000), int64(i), "note"}); err != nil {
			b.Fatal(err)
		}
	}
}
