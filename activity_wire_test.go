package cairn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// TestWireStatActivity watches sessions through pg_stat_activity on
// PostgreSQL 15 and on cairn and compares what each shows: one session
// idle in a transaction, one idle in an aborted one, one in pg_sleep, one
// waiting for a row another transaction updated, and what a role that is
// not a superuser sees of the superuser's sessions.
func TestWireStatActivity(t *testing.T) {
	if testing.Short() {
		t.Skip("runs against PostgreSQL")
	}
	pg := pgtest.Start(t)
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	want := statActivityScenario(t, func(user string) string {
		return strings.Replace(pg.URL(), "postgres@", user+"@", 1)
	})
	got := statActivityScenario(t, func(user string) string {
		return "postgres://" + user + "@" + addr + "/postgres?sslmode=disable"
	})
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Errorf("line %d:\n got  %q\n want %q", i, at(got, i), want[i])
		}
	}
	if len(got) > len(want) {
		t.Errorf("extra lines: %q", got[len(want):])
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<none>"
}

// statActivityScenario runs the sessions against the server urlFor
// reaches and describes what pg_stat_activity showed, one line each.
func statActivityScenario(t *testing.T, urlFor func(user string) string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin := dialDB(t, urlFor("postgres"))
	pgxExec(t, admin, "create role watcher login")
	pgxExec(t, admin, "create table acct (id int primary key, v int)")
	pgxExec(t, admin, "insert into acct values (1, 0)")
	t.Cleanup(func() {
		// The PostgreSQL server is thrown away; cairn's is in memory.
		admin.Exec(context.Background(), "drop table acct")
	})
	var out []string
	pidOf := func(c *pgx.Conn) int32 { return int32(c.PgConn().PID()) }
	// describe shows one session's row as the admin sees it.
	describe := func(label string, viewer *pgx.Conn, pid int32) {
		t.Helper()
		var line string
		err := viewer.QueryRow(ctx, `select concat_ws(' | ', datname, usename, coalesce(state, '<null>'), query,
			coalesce(wait_event_type, '<null>'), coalesce(wait_event, '<null>'), coalesce(backend_type, '<null>'),
			coalesce(host(client_addr), '<null>'), (client_port is not null and client_port > 0)::text,
			(backend_start is not null)::text, coalesce((xact_start <= query_start)::text, '<null>'),
			coalesce((state_change >= query_start)::text, '<null>'), (leader_pid is null)::text,
			(client_hostname is null)::text)
			from pg_stat_activity where pid = $1`, pid).Scan(&line)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		out = append(out, label+": "+line)
	}
	// waitFor polls until the session shows the wait event. PostgreSQL
	// shows ClientRead once an idle backend blocks reading, a moment
	// after it sent ReadyForQuery.
	waitFor := func(pid int32, event string) {
		t.Helper()
		for {
			var n int
			if err := admin.QueryRow(ctx, "select count(*) from pg_stat_activity where pid = $1 and wait_event = $2", pid, event).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 1 {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("session %d never waited on %s", pid, event)
			case <-time.After(5 * time.Millisecond):
			}
		}
	}

	describe("self", admin, pidOf(admin))

	idleTx := dialDB(t, urlFor("postgres"))
	pgxExec(t, idleTx, "begin")
	pgxExec(t, idleTx, "select v from acct where id = 1")
	waitFor(pidOf(idleTx), "ClientRead")
	describe("idle in transaction", admin, pidOf(idleTx))

	aborted := dialDB(t, urlFor("postgres"))
	pgxExec(t, aborted, "begin")
	aborted.Exec(ctx, "select 1/0")
	waitFor(pidOf(aborted), "ClientRead")
	describe("aborted", admin, pidOf(aborted))
	pgxExec(t, aborted, "rollback")
	waitFor(pidOf(aborted), "ClientRead")
	describe("idle", admin, pidOf(aborted))

	sleeper := dialDB(t, urlFor("postgres"))
	sleepDone := make(chan error, 1)
	go func() { _, err := sleeper.Exec(ctx, "select pg_sleep(60)"); sleepDone <- err }()
	waitFor(pidOf(sleeper), "PgSleep")
	describe("sleeping", admin, pidOf(sleeper))

	locker := dialDB(t, urlFor("postgres"))
	pgxExec(t, locker, "begin")
	pgxExec(t, locker, "update acct set v = 1 where id = 1")
	blocked := dialDB(t, urlFor("postgres"))
	blockedDone := make(chan error, 1)
	go func() { _, err := blocked.Exec(ctx, "update acct set v = 2 where id = 1"); blockedDone <- err }()
	waitFor(pidOf(blocked), "transactionid")
	describe("blocked", admin, pidOf(blocked))

	watcher := dialDB(t, urlFor("watcher"))
	describe("watcher sees itself", watcher, pidOf(watcher))
	describe("watcher sees postgres", watcher, pidOf(idleTx))
	var hidden string
	if err := watcher.QueryRow(ctx, `select concat_ws(',', datid is not null, usesysid is not null, xact_start is null,
		query_start is null, state_change is null, backend_start is null, client_addr is null, client_port is null,
		backend_xid is not null, query_id is null) from pg_stat_activity where pid = $1`, pidOf(locker)).Scan(&hidden); err != nil {
		t.Fatal(err)
	}
	out = append(out, "watcher's view of postgres: "+hidden)

	var conn string
	if err := admin.QueryRow(ctx, `select concat_ws(',', host(inet_client_addr()), inet_client_port() = client_port,
		host(inet_server_addr()), inet_server_port() > 0, family(inet_client_addr()))
		from pg_stat_activity where pid = pg_backend_pid()`).Scan(&conn); err != nil {
		t.Fatal(err)
	}
	out = append(out, "connection: "+conn)

	pgxExec(t, admin, fmt.Sprintf("select pg_cancel_backend(%d)", pidOf(sleeper)))
	if err := <-sleepDone; err == nil {
		t.Fatal("pg_sleep was not cancelled")
	}
	pgxExec(t, locker, "rollback")
	if err := <-blockedDone; err != nil {
		t.Fatal(err)
	}
	waitFor(pidOf(blocked), "ClientRead")
	describe("after the wait", admin, pidOf(blocked))
	var n int
	if err := admin.QueryRow(ctx, "select count(*) from pg_stat_activity where backend_type = 'client backend'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	out = append(out, fmt.Sprintf("client backends: %d", n))
	return out
}
