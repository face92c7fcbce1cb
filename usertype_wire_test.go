package cairn_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/pgwire"
)

// TestEnumAndDomainThroughPgx writes and reads an enum column, an array
// of the enum and a domain column through pgx, over the extended protocol
// (parameters typed by the server, results in binary where pgx asks) and
// the simple one; pgx learns the enum's OIDs from pg_type (LoadType) as
// an application registering the type does. A domain violation keeps its
// SQLSTATE on the wire.
func TestEnumAndDomainThroughPgx(t *testing.T) {
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	ctx := context.Background()
	setup, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
		"CREATE DOMAIN score AS int CHECK (VALUE BETWEEN 0 AND 10) DEFAULT 5",
	} {
		if _, err := setup.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	setup.Close(ctx)
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{
		{"extended", pgx.QueryExecModeCacheStatement},
		{"describe-exec", pgx.QueryExecModeDescribeExec},
		{"simple", pgx.QueryExecModeSimpleProtocol},
	} {
		t.Run(m.name, func(t *testing.T) {
			cfg, err := pgx.ParseConfig(wireURL(addr))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = m.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			// Registering the enum and its array type reads pg_type.
			for _, name := range []string{"mood", "_mood"} {
				dt, err := conn.LoadType(ctx, name)
				if err != nil {
					t.Fatalf("LoadType %s: %v", name, err)
				}
				conn.TypeMap().RegisterType(dt)
			}
			table := "ud_" + m.name[:3]
			if _, err := conn.Exec(ctx, "CREATE TABLE "+table+" (id int PRIMARY KEY, m mood, ms mood[], s score)"); err != nil {
				t.Fatal(err)
			}
			ins := "INSERT INTO " + table + " VALUES ($1, $2, $3, $4)"
			if _, err := conn.Exec(ctx, ins, 1, "happy", []string{"sad", "ok"}, 7); err != nil {
				t.Fatalf("insert: %v", err)
			}
			if _, err := conn.Exec(ctx, "INSERT INTO "+table+" (id, m) VALUES ($1, $2)", 2, "sad"); err != nil {
				t.Fatalf("insert with the domain's default: %v", err)
			}
			_, err = conn.Exec(ctx, ins, 3, "meh", nil, 1)
			if code := sqlState(err); code != "22P02" {
				t.Errorf("unknown label: %v (SQLSTATE %s), want 22P02", err, code)
			}
			_, err = conn.Exec(ctx, ins, 3, "ok", nil, 11)
			if code := sqlState(err); code != "23514" {
				t.Errorf("domain violation: %v (SQLSTATE %s), want 23514", err, code)
			}
			rows, err := conn.Query(ctx, "SELECT id, m, ms, s FROM "+table+" WHERE m >= $1 ORDER BY m", "sad")
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				id int
				m  string
				ms []string
				s  int
			}
			var got []row
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.m, &r.ms, &r.s); err != nil {
					t.Fatalf("scan: %v", err)
				}
				got = append(got, r)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			want := []row{{2, "sad", nil, 5}, {1, "happy", []string{"sad", "ok"}, 7}}
			if !slices.EqualFunc(got, want, func(a, b row) bool {
				return a.id == b.id && a.m == b.m && slices.Equal(a.ms, b.ms) && a.s == b.s
			}) {
				t.Errorf("rows %v, want %v", got, want)
			}
			// COPY FROM in binary, as pgx's CopyFrom sends it: labels
			// checked, domain values checked.
			if m.mode != pgx.QueryExecModeSimpleProtocol {
				n, err := conn.CopyFrom(ctx, pgx.Identifier{table}, []string{"id", "m", "ms", "s"},
					pgx.CopyFromRows([][]any{{10, "ok", []string{"happy"}, 3}, {11, "sad", nil, 0}}))
				if err != nil || n != 2 {
					t.Errorf("CopyFrom: %d %v", n, err)
				}
				_, err = conn.CopyFrom(ctx, pgx.Identifier{table}, []string{"id", "m"}, pgx.CopyFromRows([][]any{{12, "nope"}}))
				if code := sqlState(err); code != "22P02" {
					t.Errorf("CopyFrom of an unknown label: %v", err)
				}
				_, err = conn.CopyFrom(ctx, pgx.Identifier{table}, []string{"id", "s"}, pgx.CopyFromRows([][]any{{12, 99}}))
				if code := sqlState(err); code != "23514" {
					t.Errorf("CopyFrom of a domain violation: %v", err)
				}
				var got string
				err = conn.QueryRow(ctx, "SELECT string_agg(m::text || ':' || coalesce(ms::text, '-') || ':' || s, ' ' ORDER BY id) FROM "+table+" WHERE id >= 10").Scan(&got)
				if err != nil || got != "ok:{happy}:3 sad:-:0" {
					t.Errorf("copied rows: %q %v", got, err)
				}
			}
			// Results in binary: an enum sends its label.
			var label string
			err = conn.QueryRow(ctx, "SELECT m FROM "+table+" WHERE id = 1", pgx.QueryResultFormats{pgx.BinaryFormatCode}).Scan(&label)
			if err != nil || label != "happy" {
				t.Errorf("binary enum: %q %v", label, err)
			}
		})
	}
}
