package cairn_test

import (
	"context"
	stdsql "database/sql"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/pgwire"
)

// BenchmarkBulkInsert is sqlitevs's bulk workload in process: prepared
// INSERTs through database/sql into a database on disk, all in one
// transaction committed at the end. One op is one row, so
// -benchtime=100000x is exactly sqlitevs's 100k rows; allocs/op is then the
// per-row allocation count, which does not move with the machine's load.
func BenchmarkBulkInsert(b *testing.B) {
	ctx := context.Background()
	db, err := stdsql.Open("cairn", filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id bigint PRIMARY KEY, a bigint NOT NULL, b text NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	padding := strings.Repeat("x", 40)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO t (id, a, b) VALUES ($1, $2, $3)`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		if _, err := stmt.ExecContext(ctx, i, i*7, padding); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if err := stmt.Close(); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkWireSelectOnly is pgbench -S's statement over pgwire: a prepared
// SELECT abalance FROM pgbench_accounts WHERE aid = $1 with a binary
// parameter, one client, client and server in this process. One op is one
// round trip (Bind, Execute, Sync); a profile of it shows the per-statement
// cost of the wire and sql layers.
func BenchmarkWireSelectOnly(b *testing.B) {
	ctx := context.Background()
	db, err := cairn.Open(cairn.MemoryDSN)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE pgbench_accounts (aid int NOT NULL PRIMARY KEY, bid int, abalance int, filler char(84))`,
		`INSERT INTO pgbench_accounts SELECT i, 1, 0, '' FROM generate_series(1, 10000) i`,
	} {
		if err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := pgwire.NewServer(pgwire.SQLEngine(db.Engine()), pgwire.Options{})
	go srv.Serve(ln)
	defer srv.Shutdown(ctx)
	conn, err := pgx.Connect(ctx, "postgres://postgres@"+ln.Addr().String()+"/postgres?sslmode=disable")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	pc := conn.PgConn()
	sd, err := pc.Prepare(ctx, "select", `SELECT abalance FROM pgbench_accounts WHERE aid = $1`, nil)
	if err != nil {
		b.Fatal(err)
	}
	param := make([]byte, 4)
	formats := []int16{1}
	b.ReportAllocs()
	aid := uint32(0)
	for b.Loop() {
		aid = aid%10000 + 1
		param[0], param[1], param[2], param[3] = byte(aid>>24), byte(aid>>16), byte(aid>>8), byte(aid)
		res := pc.ExecPrepared(ctx, sd.Name, [][]byte{param}, formats, nil).Read()
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		if len(res.Rows) != 1 {
			b.Fatalf("aid %d: %d rows", aid, len(res.Rows))
		}
	}
}
