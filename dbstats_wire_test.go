package cairn_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cairndb/cairn/pgwire"
)

// TestWireSessionEnds: pg_stat_database counts the sessions of the
// database and how they ended: by Terminate, by the client going away
// (abandoned), by a FATAL error (the idle session timeout) and by
// pg_terminate_backend (killed).
func TestWireSessionEnds(t *testing.T) {
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	url := "postgres://postgres@" + addr + "/postgres?sslmode=disable"
	ctx := context.Background()
	admin := dialDB(t, url)

	normal := dialDB(t, url)
	if err := normal.Close(ctx); err != nil {
		t.Fatal(err)
	}
	abandoned := dialDB(t, url)
	abandoned.PgConn().Conn().Close() // no Terminate
	timedOut := dialDB(t, url)
	pgxExec(t, timedOut, "SET idle_session_timeout = '50ms'")
	killed := dialDB(t, url)
	pgxExec(t, admin, "SELECT pg_terminate_backend($1)", int32(killed.PgConn().PID()))

	// The server sees the ends as they happen: wait for them, bounded.
	const want = "5 1 1 1"
	var got string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var sessions, ab, fatal, kill int64
		if err := admin.QueryRow(ctx, "SELECT sessions, sessions_abandoned, sessions_fatal, sessions_killed FROM pg_stat_database WHERE datname = 'postgres'").
			Scan(&sessions, &ab, &fatal, &kill); err != nil {
			t.Fatal(err)
		}
		if got = fmt.Sprintf("%d %d %d %d", sessions, ab, fatal, kill); got == want {
			break
		}
	}
	if got != want {
		t.Fatalf("sessions, abandoned, fatal, killed: %s, want %s", got, want)
	}
	var numbackends int64
	var sessionTime, activeTime float64
	if err := admin.QueryRow(ctx, "SELECT numbackends, session_time, active_time FROM pg_stat_database WHERE datname = 'postgres'").
		Scan(&numbackends, &sessionTime, &activeTime); err != nil {
		t.Fatal(err)
	}
	if numbackends != 1 || activeTime <= 0 || sessionTime < activeTime {
		t.Fatalf("numbackends %d, session_time %v, active_time %v", numbackends, sessionTime, activeTime)
	}
}
