package clienttest

import (
	"context"
	dbsql "database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
)

// TestLibPQ runs lib/pq through database/sql against PostgreSQL 15 and
// cairn and compares the transcripts line by line: the default DSN
// (sslmode=prefer... lib/pq's default requires TLS, which neither test
// server offers), queries with and without arguments of common types
// (text parameters, the unnamed statement surviving a Sync), prepared
// statements (named "1", "2", ..., closed with Close S), transactions with
// isolation levels, errors as *pq.Error, COPY through pq.CopyIn, the
// binary_parameters mode, and LISTEN/NOTIFY through pq.Listener.
func TestLibPQ(t *testing.T) {
	out := make(map[string]string)
	for name, u := range servers(t) {
		var b strings.Builder
		libpqTranscript(t, u, &b)
		out[name] = b.String()
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
}

func libpqTranscript(t *testing.T, u string, w *strings.Builder) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	line := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	fail := func(what string, err error) {
		var pe *pq.Error
		if errors.As(err, &pe) {
			line("%s: ERROR %s %s", what, pe.Code, pe.Message)
		} else if err != nil {
			line("%s: %v", what, err)
		}
	}

	// lib/pq's default sslmode wants TLS; a server without it says N.
	noSSL := strings.Replace(u, "?sslmode=disable", "", 1)
	if db, err := dbsql.Open("postgres", noSSL); err == nil {
		fail("default sslmode", db.PingContext(ctx))
		db.Close()
	}

	db, err := dbsql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	mustExec := func(q string, args ...any) {
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	fail("ping", db.PingContext(ctx))
	mustExec(`create table pq_t (i4 int4 primary key, i8 int8, t text, b bool, f8 float8, n numeric(12,4),
		ts timestamptz, d date, by bytea, u uuid, j jsonb, ta text[])`)

	ts := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	d := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	res, err := db.ExecContext(ctx, `insert into pq_t values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		42, int64(1)<<40, "héllo 'q'", true, 3.14159, "12345.6789", ts, d, []byte{0, 1, 0xff},
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", `{"k": [1, 2]}`, pq.Array([]string{"a", "b c", `q"t`}))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := res.RowsAffected()
	line("insert: %d", n)
	mustExec(`insert into pq_t (i4, t) values (43, null)`)

	row := db.QueryRowContext(ctx, `select i4, i8, t, b, f8, n, ts, d, by, u, j, ta from pq_t where i4 = $1`, 42)
	var (
		i4, i8   int64
		s        string
		bo       bool
		f8       float64
		num      string
		gotTS    time.Time
		gotD     time.Time
		by       []byte
		uu, js   string
		ta       []string
		nullText dbsql.NullString
	)
	if err := row.Scan(&i4, &i8, &s, &bo, &f8, &num, &gotTS, &gotD, &by, &uu, &js, pq.Array(&ta)); err != nil {
		t.Fatal(err)
	}
	line("row: %d %d %q %v %v %s %s %s %x %s %s %q", i4, i8, s, bo, f8, num, gotTS.UTC().Format(time.RFC3339Nano),
		gotD.Format("2006-01-02"), by, uu, js, ta)
	fail("null", db.QueryRowContext(ctx, `select t from pq_t where i4 = 43`).Scan(&nullText))
	line("null: %v", nullText.Valid)
	var sum int64
	fail("int4 result", db.QueryRowContext(ctx, `select $1::int4 + 1`, 41).Scan(&sum))
	line("int4 result: %d", sum)

	// Several rows, no arguments (simple protocol).
	rows, err := db.QueryContext(ctx, `select g, g * 2 from generate_series(1, 3) g`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	line("columns: %v", cols)
	for rows.Next() {
		var a, b int
		rows.Scan(&a, &b)
		line("  %d %d", a, b)
	}
	rows.Close()

	// A prepared statement, run several times.
	st, err := db.PrepareContext(ctx, `insert into pq_t (i4, t) values ($1, $2)`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 100; i < 103; i++ {
		if _, err := st.ExecContext(ctx, i, fmt.Sprint("p", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.ExecContext(ctx, 100, "dup")
	fail("duplicate", err)
	st.Close()
	sel, err := db.PrepareContext(ctx, `select t from pq_t where i4 >= $1 order by i4`)
	if err != nil {
		t.Fatal(err)
	}
	for _, from := range []int{101, 102} {
		rows, err := sel.QueryContext(ctx, from)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			got = append(got, s)
		}
		rows.Close()
		line("prepared from %d: %v", from, got)
	}
	sel.Close()

	// Transactions.
	tx, err := db.BeginTx(ctx, &dbsql.TxOptions{Isolation: dbsql.LevelSerializable})
	if err != nil {
		t.Fatal(err)
	}
	var iso string
	fail("isolation", tx.QueryRowContext(ctx, `show transaction_isolation`).Scan(&iso))
	line("isolation: %s", iso)
	tx.ExecContext(ctx, `insert into pq_t (i4) values (200)`)
	fail("rollback", tx.Rollback())
	tx, err = db.BeginTx(ctx, &dbsql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = tx.ExecContext(ctx, `insert into pq_t (i4) values (201)`)
	fail("read only", err)
	tx.Rollback()
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx.ExecContext(ctx, `insert into pq_t (i4) values (202)`)
	fail("commit", tx.Commit())
	var count int
	fail("count", db.QueryRowContext(ctx, `select count(*) from pq_t where i4 >= 200`).Scan(&count))
	line("after the transactions: %d", count)

	// COPY FROM STDIN through pq.CopyIn.
	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := tx.PrepareContext(ctx, pq.CopyIn("pq_t", "i4", "t", "ta", "by"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 300; i < 303; i++ {
		if _, err := cp.ExecContext(ctx, i, fmt.Sprintf("copied\t%d\n", i), pq.Array([]string{"x", "y z"}), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cp.ExecContext(ctx, 303, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	res, err = cp.ExecContext(ctx)
	fail("copy end", err)
	if err == nil {
		n, _ := res.RowsAffected()
		line("copy: %d", n)
	}
	cp.Close()
	fail("copy commit", tx.Commit())
	rows, err = db.QueryContext(ctx, `select i4, t, ta, by from pq_t where i4 >= 300 order by i4`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var i int
		var s dbsql.NullString
		var arr []dbsql.NullString
		var by []byte
		rows.Scan(&i, &s, pq.Array(&arr), &by)
		line("  %d %q %v %x", i, s.String, arr, by)
	}
	rows.Close()
	// A COPY whose data is bad fails the statement.
	tx, _ = db.BeginTx(ctx, nil)
	cp, err = tx.PrepareContext(ctx, pq.CopyIn("pq_t", "i4"))
	if err == nil {
		cp.ExecContext(ctx, "not a number")
		_, err = cp.ExecContext(ctx)
		fail("bad copy", err)
		cp.Close()
	}
	tx.Rollback()

	// binary_parameters=yes: []byte arguments go in binary, one round trip.
	bdb, err := dbsql.Open("postgres", u+"&binary_parameters=yes")
	if err != nil {
		t.Fatal(err)
	}
	var blen int
	var echoed []byte
	fail("binary parameters", bdb.QueryRowContext(ctx, `select length($1::bytea), $1::bytea`, []byte{0, 0xfe, 'x'}).Scan(&blen, &echoed))
	line("binary parameters: %d %x", blen, echoed)
	bdb.Close()

	// LISTEN through pq.Listener, NOTIFY from database/sql.
	events := make(chan string, 10)
	l := pq.NewListener(u, 10*time.Millisecond, time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			events <- fmt.Sprintf("event %d: %v", ev, err)
		}
	})
	defer l.Close()
	fail("listen", l.Listen("pq_ch"))
	fail("listen again", l.Listen("pq_ch"))
	mustExec(`notify pq_ch, 'one'`)
	mustExec(`select pg_notify('pq_ch', $1)`, "two")
	tx, _ = db.BeginTx(ctx, nil)
	tx.ExecContext(ctx, `notify pq_ch, 'rolled back'`)
	tx.Rollback()
	mustExec(`notify pq_ch, 'three'`)
	for range 3 {
		select {
		case n := <-l.Notify:
			line("notification: %s %q", n.Channel, n.Extra)
		case ev := <-events:
			line("listener %s", ev)
		case <-ctx.Done():
			line("no notification")
		}
	}
	fail("ping listener", l.Ping())
	fail("unlisten", l.Unlisten("pq_ch"))
	fail("unlisten unknown", l.Unlisten("pq_none"))
}
