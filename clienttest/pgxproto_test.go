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
	"github.com/jackc/pgx/v5/pgproto3"
)

// TestPgxProtocol runs, against PostgreSQL 15 and cairn's binary, and
// compares line by line: notifications through pgx's WaitForNotification
// in the order their transactions commit (payloads in the order they
// were sent within one, from two notifiers committing out of the order
// they began), none delivered while the listener is inside a transaction
// of its own, pg_notify with a computed channel and payload; and the
// extended protocol's row-limited Execute on a hijacked pgx connection,
// every message the server answers written down: PortalSuspended after
// each full batch, the last batch's CommandComplete, a named portal
// living across Sync inside a transaction and gone after Close, the
// unnamed one gone after Sync outside one, Execute on a cursor DECLAREd
// in SQL, and a query that fails part way through its rows.
func TestPgxProtocol(t *testing.T) {
	out := make(map[string]string)
	for name, u := range servers(t) {
		var b strings.Builder
		pgxNotifyOrder(t, u, &b)
		pgxPortals(t, u, &b)
		out[name] = b.String()
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
	if t.Failed() {
		t.Logf("cairn's transcript:\n%s", out["cairn"])
	}
}

func pgxNotifyOrder(t *testing.T, u string, w *strings.Builder) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	line := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	connect := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	mustExec := func(c *pgx.Conn, q string) {
		t.Helper()
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	listener, a, b := connect(), connect(), connect()
	pids := map[uint32]string{a.PgConn().PID(): "a", b.PgConn().PID(): "b", listener.PgConn().PID(): "listener"}
	// drain writes down the notifications that arrive within wait.
	drain := func(what string, wait time.Duration) {
		var got []string
		for {
			wctx, wcancel := context.WithTimeout(ctx, wait)
			n, err := listener.WaitForNotification(wctx)
			wcancel()
			if err != nil {
				break
			}
			got = append(got, fmt.Sprintf("%s:%s from %s", n.Channel, n.Payload, pids[n.PID]))
		}
		if got == nil {
			got = []string{"none"}
		}
		line("%s: %s", what, strings.Join(got, ", "))
	}
	mustExec(listener, `listen ord`)
	mustExec(listener, `listen "Mixed Case"`)

	// Two transactions, begun a then b, committed b then a.
	mustExec(a, `begin`)
	mustExec(a, `notify ord, 'a1'`)
	mustExec(b, `begin`)
	mustExec(b, `notify ord, 'b1'`)
	mustExec(a, `notify ord, 'a2'`)
	mustExec(a, `notify "Mixed Case", 'a3'`)
	mustExec(b, `select pg_notify('ord', 'b' || 2)`)
	mustExec(a, `notify ord, 'a1'`) // a duplicate within a: sent once
	mustExec(b, `commit`)
	mustExec(a, `commit`)
	drain("in commit order", time.Second)

	// A listener inside a transaction hears nothing until it ends.
	mustExec(listener, `begin`)
	mustExec(a, `notify ord, 'while busy'`)
	mustExec(listener, `select 1`)
	drain("inside the listener's transaction", 300*time.Millisecond)
	mustExec(listener, `commit`)
	drain("after its commit", time.Second)

	// A listener notifying itself hears it at its own commit.
	mustExec(listener, `begin`)
	mustExec(listener, `notify ord, 'self'`)
	drain("own notify before commit", 300*time.Millisecond)
	mustExec(listener, `commit`)
	drain("own notify after commit", time.Second)

	// A rolled-back savepoint takes its notifications with it.
	mustExec(a, `begin`)
	mustExec(a, `notify ord, 'kept'`)
	mustExec(a, `savepoint s`)
	mustExec(a, `notify ord, 'undone'`)
	mustExec(a, `rollback to savepoint s`)
	mustExec(a, `select pg_notify(c, p) from (values ('ord', 'v1'), ('ord', 'v2')) v(c, p)`)
	mustExec(a, `commit`)
	drain("after a savepoint's rollback", time.Second)
	var one int
	if err := listener.QueryRow(ctx, `select 1`).Scan(&one); err != nil {
		t.Fatal(err)
	}
}

// pgxPortals drives the extended protocol by hand on a hijacked pgx
// connection.
func pgxPortals(t *testing.T, u string, w *strings.Builder) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	line := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	pc, err := pgconn.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	hc, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	defer hc.Conn.Close()
	fe := hc.Frontend
	hc.Conn.SetDeadline(time.Now().Add(time.Minute))
	// exchange sends msgs and writes down every message up to
	// ReadyForQuery.
	exchange := func(title string, msgs ...pgproto3.FrontendMessage) {
		line("== %s", title)
		ready := 0 // ReadyForQuery messages to wait for: one per Sync or Query
		for _, m := range msgs {
			fe.Send(m)
			switch m.(type) {
			case *pgproto3.Sync, *pgproto3.Query:
				ready++
			}
		}
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		for {
			m, err := fe.Receive()
			if err != nil {
				t.Fatalf("%s: %v", title, err)
			}
			switch m := m.(type) {
			case *pgproto3.ParseComplete:
				line("ParseComplete")
			case *pgproto3.BindComplete:
				line("BindComplete")
			case *pgproto3.CloseComplete:
				line("CloseComplete")
			case *pgproto3.NoData:
				line("NoData")
			case *pgproto3.PortalSuspended:
				line("PortalSuspended")
			case *pgproto3.EmptyQueryResponse:
				line("EmptyQueryResponse")
			case *pgproto3.RowDescription:
				var cols []string
				for _, f := range m.Fields {
					cols = append(cols, fmt.Sprintf("%s:%d/%d", f.Name, f.DataTypeOID, f.Format))
				}
				line("RowDescription %s", strings.Join(cols, " "))
			case *pgproto3.DataRow:
				var vals []string
				for _, v := range m.Values {
					if v == nil {
						vals = append(vals, "NULL")
					} else {
						vals = append(vals, fmt.Sprintf("%q", v))
					}
				}
				line("DataRow %s", strings.Join(vals, " "))
			case *pgproto3.CommandComplete:
				line("CommandComplete %s", m.CommandTag)
			case *pgproto3.ErrorResponse:
				line("ErrorResponse %s %s", m.Code, m.Message)
			case *pgproto3.NoticeResponse:
				line("NoticeResponse %s %s", m.Code, m.Message)
			case *pgproto3.ParameterStatus:
				line("ParameterStatus %s", m.Name)
			case *pgproto3.ReadyForQuery:
				line("ReadyForQuery %c", m.TxStatus)
				if ready--; ready == 0 {
					return
				}
			default:
				line("%T", m)
			}
		}
	}
	series := `select g, 'r' || g as r from generate_series(1, $1::int) g`
	bind := func(portal string, n int, resultFormats ...int16) *pgproto3.Bind {
		return &pgproto3.Bind{DestinationPortal: portal, PreparedStatement: "s", Parameters: [][]byte{[]byte(fmt.Sprint(n))},
			ResultFormatCodes: resultFormats}
	}
	exchange("prepare", &pgproto3.Parse{Name: "s", Query: series}, &pgproto3.Describe{ObjectType: 'S', Name: "s"}, &pgproto3.Sync{})
	exchange("batches of 3 over 7 rows",
		bind("", 7), &pgproto3.Describe{ObjectType: 'P'},
		&pgproto3.Execute{MaxRows: 3}, &pgproto3.Execute{MaxRows: 3}, &pgproto3.Execute{MaxRows: 3},
		&pgproto3.Execute{MaxRows: 3}, &pgproto3.Sync{})
	exchange("batches that end with the rows",
		bind("", 4, 1, 0), &pgproto3.Execute{MaxRows: 2}, &pgproto3.Execute{MaxRows: 2}, &pgproto3.Execute{MaxRows: 2},
		&pgproto3.Sync{})
	exchange("the unnamed portal after Sync outside a transaction",
		bind("", 5), &pgproto3.Execute{MaxRows: 2}, &pgproto3.Sync{}, &pgproto3.Execute{MaxRows: 2}, &pgproto3.Sync{})
	exchange("begin", &pgproto3.Query{String: "begin"})
	exchange("a named portal across Sync in a transaction",
		bind("p", 6), &pgproto3.Execute{Portal: "p", MaxRows: 2}, &pgproto3.Sync{},
		&pgproto3.Execute{Portal: "p", MaxRows: 1}, &pgproto3.Execute{Portal: "p"}, &pgproto3.Execute{Portal: "p"},
		&pgproto3.Close{ObjectType: 'P', Name: "p"}, &pgproto3.Execute{Portal: "p", MaxRows: 1}, &pgproto3.Sync{})
	exchange("after the error", &pgproto3.Query{String: "rollback"})
	exchange("begin", &pgproto3.Query{String: "begin"})
	exchange("declare", &pgproto3.Query{String: "declare c cursor for select g from generate_series(1, 5) g"})
	exchange("Execute on a SQL cursor",
		&pgproto3.Describe{ObjectType: 'P', Name: "c"},
		&pgproto3.Execute{Portal: "c", MaxRows: 2}, &pgproto3.Execute{Portal: "c", MaxRows: 2},
		&pgproto3.Execute{Portal: "c", MaxRows: 2}, &pgproto3.Execute{Portal: "c"}, &pgproto3.Sync{})
	exchange("commit", &pgproto3.Query{String: "commit"})
	exchange("all rows of a query that fails part way",
		&pgproto3.Parse{Query: `select 10 / (3 - g) from generate_series(1, 5) g`}, &pgproto3.Bind{},
		&pgproto3.Execute{}, &pgproto3.Sync{})
	exchange("the simple protocol, failing part way",
		&pgproto3.Query{String: `select 10 / (3 - g) from generate_series(1, 5) g`})
	exchange("still usable", &pgproto3.Query{String: `select 'ok'`})
	exchange("terminate", &pgproto3.Query{String: "select 1"})
	if err := errors.Join(fe.Flush()); err != nil {
		t.Fatal(err)
	}
}
