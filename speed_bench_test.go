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
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
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

// BenchmarkTPCB is pgbench's TPC-B transaction run embedded on one session
// with prepared statements: BEGIN, three updates by key, a select by key, an
// insert into history, COMMIT. One op is one transaction over 10,000
// accounts (one branch, ten tellers); the database is in memory, so the
// commit's sync costs little and the profile shows the statements' work.
func BenchmarkTPCB(b *testing.B) {
	ctx := context.Background()
	db, err := cairn.Open(cairn.MemoryDSN)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE pgbench_branches (bid int NOT NULL PRIMARY KEY, bbalance int, filler char(88))`,
		`CREATE TABLE pgbench_tellers (tid int NOT NULL PRIMARY KEY, bid int, tbalance int, filler char(84))`,
		`CREATE TABLE pgbench_accounts (aid int NOT NULL PRIMARY KEY, bid int, abalance int, filler char(84))`,
		`CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))`,
		`INSERT INTO pgbench_branches VALUES (1, 0, '')`,
		`INSERT INTO pgbench_tellers SELECT i, 1, 0, '' FROM generate_series(1, 10) i`,
		`INSERT INTO pgbench_accounts SELECT i, 1, 0, '' FROM generate_series(1, 10000) i`,
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
	var stmts []*sql.Prepared
	for _, q := range []string{
		`BEGIN`,
		`UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2`,
		`SELECT abalance FROM pgbench_accounts WHERE aid = $1`,
		`UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2`,
		`UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2`,
		`INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)`,
		`END`,
	} {
		ps, err := s.PrepareAll(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		stmts = append(stmts, ps[0])
	}
	b.ReportAllocs()
	n := int64(0)
	for b.Loop() {
		n++
		aid, tid, delta := n%10000+1, n%10+1, n%5000-2500
		for i, params := range [][]types.Datum{
			nil, {delta, aid}, {aid}, {delta, tid}, {delta, int64(1)}, {tid, int64(1), aid, delta}, nil,
		} {
			if _, err := s.Execute(ctx, stmts[i], params); err != nil {
				b.Fatal(err)
			}
		}
	}
}
