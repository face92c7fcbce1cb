package clienttest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestPgx runs pgx against PostgreSQL 15 and cairn's binary and compares
// the transcripts line by line: parameters of the Go types applications
// pass (bytes, UUIDs, JSON documents, durations as interval, int2 and text
// arrays, numerics, timestamps), CopyFrom in binary COPY, LISTEN/NOTIFY
// (idle delivery, delivery at commit, pg_notify, UNLISTEN), and SQL
// cursors (DECLARE, FETCH forward and backward, MOVE, WITH HOLD across a
// commit, the errors of a missing cursor and of a non-scrollable one).
func TestPgx(t *testing.T) {
	out := make(map[string]string)
	for name, u := range servers(t) {
		var b strings.Builder
		pgxTranscript(t, u, &b)
		out[name] = b.String()
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
	if t.Failed() {
		t.Logf("cairn's transcript:\n%s", out["cairn"])
	}
}

func pgxTranscript(t *testing.T, u string, w *strings.Builder) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	line := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	outcome := func(what string, err error) {
		var pe *pgconn.PgError
		switch {
		case errors.As(err, &pe):
			line("%s: ERROR %s %s", what, pe.Code, pe.Message)
		case err != nil:
			line("%s: %v", what, err)
		default:
			line("%s: ok", what)
		}
	}
	connect := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	conn := connect()
	mustExec := func(c *pgx.Conn, q string, args ...any) {
		t.Helper()
		if _, err := c.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	// Parameters of the types Go programs pass.
	mustExec(conn, `create table pgx_t (id int4 primary key, b bytea, u uuid, j jsonb, js json,
		iv interval, sa int2[], ta text[], n numeric(10,3), ts timestamptz, d date, f float8)`)
	uuid := [16]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}
	var num pgtype.Numeric
	if err := num.Scan("1234.5"); err != nil {
		t.Fatal(err)
	}
	ts := time.Date(2024, 2, 29, 13, 14, 15, 250000000, time.UTC)
	tag, err := conn.Exec(ctx, `insert into pgx_t values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		1, []byte{0, 1, 0xfe, 0xff}, uuid, map[string]any{"k": []any{1, "two", nil}}, []int{3, 4},
		90*time.Minute+1500*time.Millisecond, []int16{-1, 0, 32767}, []string{"a", "b c", `q"t`, ""},
		num, ts, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 0.1)
	outcome("insert with every type", err)
	line("insert tag: %s", tag)
	var (
		b  []byte
		gu [16]byte
		j  map[string]any
		js string
		iv time.Duration
		sa []int16
		ta []string
		n  string
		gt time.Time
		d  time.Time
		f  float64
	)
	err = conn.QueryRow(ctx, `select b, u, j, js::text, iv, sa, ta, n::text, ts, d, f from pgx_t where id = $1`, 1).
		Scan(&b, &gu, &j, &js, &iv, &sa, &ta, &n, &gt, &d, &f)
	outcome("select back", err)
	line("values: %x %x %v %s %v %v %q %s %s %s %v", b, gu, j, js, iv, sa, ta, n,
		gt.UTC().Format(time.RFC3339Nano), d.Format("2006-01-02"), f)
	var matched int
	err = conn.QueryRow(ctx, `select count(*) from pgx_t where u = $1 and sa = $2 and iv > $3`,
		uuid, []int16{-1, 0, 32767}, time.Hour).Scan(&matched)
	outcome("typed comparisons", err)
	line("matched: %d", matched)
	_, err = conn.Exec(ctx, `insert into pgx_t (id, sa) values ($1, $2)`, 2, []int32{1, 70000})
	outcome("int2[] out of range", err)

	// Parameters take the column's type modifier, as a cast to it would.
	mustExec(conn, `create table pgx_mod (id int4, v varchar(3), c char(4), n numeric(5,2), ts timestamp(0))`)
	for i, args := range [][]any{
		{"ab", "x", "1.005", "2024-01-01 10:00:00.6"},
		{"abcd", "x", "1", "2024-01-01 10:00:00.6"},
		{"abc   ", "x", "1", "2024-01-01 10:00:00.6"},
		{"a", "xxxxx", "1", "2024-01-01 10:00:00.6"},
		{"a", "x", "1234.5", "2024-01-01 10:00:00.6"},
		{"a", "x", "1", "2024-01-01 10:00:00.4"},
	} {
		_, err = conn.Exec(ctx, `insert into pgx_mod values ($1, $2, $3, $4, $5)`, append([]any{i}, args...)...)
		outcome(fmt.Sprintf("insert %v", args), err)
		_, err = conn.Exec(ctx, `update pgx_mod set v = $2, c = $3, n = $4, ts = $5 where id = $1 * 0`, append([]any{i}, args...)...)
		outcome(fmt.Sprintf("update %v", args), err)
	}
	var mods []string
	rs, err := conn.Query(ctx, `select id, v || '|', c || '|', n::text, ts::text from pgx_mod order by id`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var id int32
		var v, c, ns, bs string
		if err := rs.Scan(&id, &v, &c, &ns, &bs); err != nil {
			t.Fatal(err)
		}
		mods = append(mods, fmt.Sprintf("%d:%s%s%s/%s", id, v, c, ns, bs))
	}
	outcome("typmod rows", rs.Err())
	line("typmod rows: %s", strings.Join(mods, " "))

	// CopyFrom: the binary COPY protocol.
	rows := make([][]any, 0, 500)
	for i := range 500 {
		rows = append(rows, []any{int32(100 + i), []byte{byte(i)}, fmt.Sprintf("row %d", i), int64(i) * 1_000_000_007})
	}
	mustExec(conn, `create table pgx_copy (id int4 primary key, b bytea, t text, big int8)`)
	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"pgx_copy"}, []string{"id", "b", "t", "big"}, pgx.CopyFromRows(rows))
	outcome("CopyFrom", err)
	line("copied: %d", copied)
	var sum int64
	var last string
	err = conn.QueryRow(ctx, `select sum(big), max(t) from pgx_copy`).Scan(&sum, &last)
	outcome("copied rows", err)
	line("sum %d max %s", sum, last)
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"pgx_copy"}, []string{"id", "t"}, pgx.CopyFromRows([][]any{{int32(100), "dup"}}))
	outcome("CopyFrom duplicate key", err)

	// LISTEN/NOTIFY between two connections.
	listener, notifier := connect(), connect()
	mustExec(listener, `listen jobs`)
	wait := func(what string) {
		wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
		defer wcancel()
		note, err := listener.WaitForNotification(wctx)
		if err != nil {
			line("%s: %v", what, err)
			return
		}
		line("%s: channel %s payload %q from notifier %v", what, note.Channel, note.Payload,
			note.PID == notifier.PgConn().PID())
	}
	mustExec(notifier, `notify jobs, 'idle'`)
	wait("idle delivery")
	tx, err := notifier.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(notifier, `select pg_notify('jobs', 'in tx')`)
	mustExec(notifier, `notify jobs, 'in tx'`)
	mustExec(notifier, `notify other, 'not listened'`)
	outcome("commit", tx.Commit(ctx))
	wait("after commit (deduplicated)")
	mustExec(notifier, `notify jobs, 'second'`)
	wait("second")
	mustExec(listener, `unlisten *`)
	mustExec(notifier, `notify jobs, 'unheard'`)
	var one int
	outcome("listener still works", listener.QueryRow(ctx, `select 1`).Scan(&one))
	_, err = notifier.Exec(ctx, `select pg_notify('', 'x')`)
	outcome("empty channel", err)
	_, err = notifier.Exec(ctx, `select pg_notify('jobs', repeat('x', 8000))`)
	outcome("payload too long", err)

	// SQL cursors.
	tx, err = conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(conn, `declare c scroll cursor for select id, t from pgx_copy order by id`)
	fetch := func(q string) {
		rs, err := conn.Query(ctx, q)
		if err != nil {
			outcome(q, err)
			return
		}
		var got []string
		for rs.Next() {
			var id int32
			var s string
			if err := rs.Scan(&id, &s); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%d=%s", id, s))
		}
		if err := rs.Err(); err != nil {
			outcome(q, err)
			return
		}
		line("%s: %s (%s)", q, strings.Join(got, ", "), rs.CommandTag())
	}
	fetch(`fetch 3 from c`)
	fetch(`fetch next from c`)
	tag, err = conn.Exec(ctx, `move forward 10 in c`)
	outcome("move", err)
	line("move tag: %s", tag)
	fetch(`fetch backward 2 from c`)
	fetch(`fetch absolute 1 from c`)
	fetch(`fetch relative 498 from c`)
	fetch(`fetch 5 from c`)
	mustExec(conn, `close c`)
	fetch(`fetch 1 from c`)
	outcome("rollback", tx.Rollback(ctx))

	tx, err = conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(conn, `declare h cursor with hold for select id, t from pgx_copy where id < 105 order by id`)
	mustExec(conn, `declare f no scroll cursor for select id, t from pgx_copy order by id`)
	fetch(`fetch 2 from f`)
	fetch(`fetch backward 1 from f`)
	outcome("rollback after cursor error", tx.Rollback(ctx))
	fetch(`fetch all from h`)
	tx, err = conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(conn, `declare h cursor with hold for select id, t from pgx_copy where id < 103 order by id desc`)
	outcome("commit with hold", tx.Commit(ctx))
	fetch(`fetch all from h`)
	fetch(`fetch all from h`)
	mustExec(conn, `close h`)
	_, err = conn.Exec(ctx, `declare outside cursor for select 1`)
	outcome("declare outside a transaction", err)
}
