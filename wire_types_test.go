package cairn_test

import (
	"bytes"
	"context"
	stdsql "database/sql"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cairndb/cairn/pgwire"
)

// TestByteaUUIDFloat4ThroughPgx stores and reads bytea, uuid and real
// values, and arrays of them, through pgx: parameters and results in
// binary (the extended protocol) and in text (the simple protocol, and
// text result formats), as an application sends them.
func TestByteaUUIDFloat4ThroughPgx(t *testing.T) {
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	ctx := context.Background()
	blob := []byte{0, 1, '\\', 'x', 0x7f, 0x80, 0xff}
	id := [16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}
	pid := pgtype.UUID{Bytes: id, Valid: true}
	low := pgtype.UUID{Bytes: [16]byte{15: 1}, Valid: true}
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
			table := "wire_" + m.name[:3]
			if _, err := conn.Exec(ctx, "CREATE TABLE "+table+" (id uuid PRIMARY KEY, b bytea UNIQUE, f real)"); err != nil {
				t.Fatal(err)
			}
			ins := "INSERT INTO " + table + " VALUES ($1, $2, $3)"
			if _, err := conn.Exec(ctx, ins, pid, blob, float32(1.1)); err != nil {
				t.Fatalf("insert: %v", err)
			}
			if _, err := conn.Exec(ctx, ins, low, []byte{}, float32(-0.1)); err != nil {
				t.Fatalf("insert: %v", err)
			}
			var (
				gotID  [16]byte
				gotB   []byte
				gotF   float32
				gotFs  []float32
				gotBs  [][]byte
				lowest pgtype.UUID
			)
			q := "SELECT id, b, f, $4::real[], $5::bytea[] FROM " + table + " WHERE id = $1 AND b = $2 AND f = $3"
			err = conn.QueryRow(ctx, q, pid, blob, float32(1.1), []float32{0.5, -3.4e38}, [][]byte{{1}, {}}).Scan(&gotID, &gotB, &gotF, &gotFs, &gotBs)
			if err != nil {
				t.Fatalf("select: %v", err)
			}
			if gotID != id || !bytes.Equal(gotB, blob) || gotF != float32(1.1) ||
				!slices.Equal(gotFs, []float32{0.5, -3.4e38}) || len(gotBs) != 2 || !bytes.Equal(gotBs[0], []byte{1}) || len(gotBs[1]) != 0 {
				t.Errorf("read back %x %x %v %v %x", gotID, gotB, gotF, gotFs, gotBs)
			}
			if err := conn.QueryRow(ctx, "SELECT id FROM "+table+" ORDER BY id LIMIT 1").Scan(&lowest); err != nil || lowest != low {
				t.Errorf("lowest id: %v %v", lowest, err)
			}
			// The text forms, as psql reads them.
			var idText, bText, fText string
			err = conn.QueryRow(ctx, "SELECT id, b, f FROM "+table+" WHERE id = $1", pgx.QueryResultFormats{pgx.TextFormatCode}, pid).
				Scan(&idText, &bText, &fText)
			if err != nil {
				t.Fatal(err)
			}
			if idText != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" || bText != `\x00015c787f80ff` || fText != "1.1" {
				t.Errorf("text forms %q %q %q", idText, bText, fText)
			}
			if _, err := conn.Exec(ctx, ins, pid, []byte{9}, float32(0)); err == nil {
				t.Errorf("a duplicate uuid was stored")
			}
		})
	}
}

// TestByteaUUIDFloat4ThroughDatabaseSQL passes and reads the same values
// through the embedded database/sql driver: a []byte is a bytea's bytes,
// a uuid reads as its text, a real as a float64 that a float32 holds.
func TestByteaUUIDFloat4ThroughDatabaseSQL(t *testing.T) {
	db, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec(t, db, "CREATE TABLE v (id uuid PRIMARY KEY, b bytea, f real)")
	blob := []byte{0, '\\', 'x', 0xff}
	mustExec(t, db, "INSERT INTO v VALUES ($1, $2, $3)", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", blob, float32(1.1))
	var (
		id string
		b  []byte
		f  float64
	)
	if err := db.QueryRow("SELECT id, b, f FROM v WHERE b = $1", blob).Scan(&id, &b, &f); err != nil {
		t.Fatal(err)
	}
	if id != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" || !bytes.Equal(b, blob) || f != float64(float32(1.1)) {
		t.Errorf("read back %q %x %v", id, b, f)
	}
}
