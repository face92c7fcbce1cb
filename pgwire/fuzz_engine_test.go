package pgwire

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// Bounds of FuzzSQLEngine's server.
const (
	fuzzEngineMemoryBytes = 64 << 20 // the engine's and the server's budget
	fuzzEngineMessageMax  = 1 << 16
	// fuzzEngineCheckEvery is how often a running statement looks for its
	// client: the fuzz client shuts its side once it has sent its input,
	// so a long statement (pg_sleep, a huge generate_series) ends soon.
	fuzzEngineCheckEvery = 20 * time.Millisecond
)

// FuzzSQLEngine drives cairn's real SQL engine, on an in-memory store,
// through the server: each input is what a client sends after a fixed
// startup packet (role fuzz, which owns a schema of its own and nothing
// else, statement_timeout 1s), so that the bytes reach the simple and
// extended query protocols, COPY and the SQL engine behind them rather
// than the startup parser. After every input the server must not have
// panicked (a panic would end the fuzzing process) nor hung (the client
// reads the whole answer within a deadline), must have ended the session
// and given back every byte of its memory budget (no leak), and must go
// on serving: a superuser session open since the start updates a table
// of its own (a lock or transaction the fuzz session left behind would
// block it), and a fresh client runs a query.
func FuzzSQLEngine(f *testing.F) {
	query := func(q string) []byte { return frame('Q', int32(4+len(q)+1), append([]byte(q), 0)) }
	cstr := func(s string) []byte { return append([]byte(s), 0) }
	parse := func(name, q string) []byte {
		body := append(append(cstr(name), cstr(q)...), 0, 0)
		return frame('P', int32(4+len(body)), body)
	}
	bind := func(stmt string, params ...string) []byte {
		body := append(cstr(""), cstr(stmt)...)
		body = append(body, 0, 0) // no parameter formats
		body = binary.BigEndian.AppendUint16(body, uint16(len(params)))
		for _, p := range params {
			body = binary.BigEndian.AppendUint32(body, uint32(len(p)))
			body = append(body, p...)
		}
		body = append(body, 0, 0) // no result formats
		return frame('B', int32(4+len(body)), body)
	}
	execute := frame('E', 4+1+4, []byte{0, 0, 0, 0, 0})
	sync := frame('S', 4, nil)
	cat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, seed := range [][]byte{
		query("select 1"),
		query("create table t (a int primary key, b text); insert into t values (1, 'x'), (2, 'y'); select * from t order by a"),
		query("begin; create table u (a int); insert into u select generate_series(1, 100); declare c cursor for select * from u; fetch 5 from c"),
		query("begin; select 1/0; select 2; commit"),
		query("select pg_sleep(30)"),
		query("select count(*) from generate_series(1, 100000000)"),
		query("select repeat('x', 100000000)"),
		query("prepare p(int) as select $1 + 1; execute p(41); deallocate p"),
		query("create table c (a int); copy c from stdin"),
		cat(query("create table c (a int); copy c from stdin"), frame('d', 4+4, []byte("1\n2\n")), frame('c', 4, nil), query("select sum(a) from c")),
		cat(parse("s", "select $1::int * 2"), bind("s", "21"), execute, sync),
		cat(parse("", "select $1::text"), bind("", "\xff"), execute, sync),
		cat(parse("", "begin"), bind(""), execute, parse("", "select 1/0"), bind(""), execute, sync, query("select 1")),
		query("with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"),
		query("select * from obs; update obs set n = 0; lock table obs"),
		query("set role postgres; create role x superuser; alter role postgres nologin"),
		query("select pg_advisory_lock(1); listen ch; notify ch, 'x'"),
		query("begin isolation level serializable; select 1; prepare transaction 'g'"),
		query("\xff\xfe"),
	} {
		f.Add(seed)
	}

	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	budget := membudget.New(fuzzEngineMemoryBytes, membudget.Options{})
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := sql.NewEngine(store, sql.Options{Memory: budget, Logger: discard})
	if err != nil {
		f.Fatal(err)
	}
	setup, err := eng.NewSession("postgres", "postgres", nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, q := range []string{"create role fuzz login", "create schema fuzz authorization fuzz",
		"create table obs (n int)", "insert into obs values (0)"} {
		ps, err := setup.PrepareAll(context.Background(), q)
		if err == nil {
			_, err = setup.Execute(context.Background(), ps[0], nil)
		}
		if err != nil {
			f.Fatalf("%s: %v", q, err)
		}
	}
	setup.Close()

	srv := NewServer(SQLEngine(eng), Options{MaxMessageBytes: fuzzEngineMessageMax, Memory: budget,
		ClientCheckInterval: fuzzEngineCheckEvery, Logger: discard})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	addr := ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			f.Errorf("Shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			f.Errorf("Serve returned %v", err)
		}
	})
	ctx := context.Background()
	observer, err := pgx.Connect(ctx, "postgres://postgres@"+addr+"/postgres?sslmode=disable")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { observer.Close(context.Background()) })
	startup := startupPacket(196608, "user", "fuzz", "database", "postgres",
		"search_path", "fuzz", "statement_timeout", "1000")

	f.Fuzz(func(t *testing.T, input []byte) {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		if err := nc.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
		_, _ = nc.Write(append(append([]byte(nil), startup...), input...))
		_ = nc.(*net.TCPConn).CloseWrite()
		answer, err := io.ReadAll(nc)
		if err != nil && !isConnReset(err) {
			t.Fatalf("reading the server's answer to %q: %v", input, err)
		}
		if testing.Verbose() {
			// What followed the startup's ReadyForQuery.
			if i := bytes.Index(answer, []byte("Z\x00\x00\x00\x05I")); i >= 0 {
				answer = answer[i+6:]
			}
			t.Logf("answer: %q", answer)
		}
		nc.Close()
		// The observer's session is the only one left, and the fuzz
		// session gave its memory back.
		deadline := time.Now().Add(10 * time.Second)
		for srv.Sessions() != 1 || budget.Used() != 0 {
			if time.Now().After(deadline) {
				t.Fatalf("after %q: %d sessions (want the observer's alone), %d bytes of the memory budget held", input, srv.Sessions(), budget.Used())
			}
			time.Sleep(time.Millisecond)
		}
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		var n int
		if err := observer.QueryRow(qctx, "update obs set n = n + 1 returning n").Scan(&n); err != nil {
			t.Fatalf("after %q the observer's session failed: %v", input, err)
		}
		checkServes(t, addr)
	})
}
