package cairn_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
)

// advisoryCases run advisory locks through the Hermitage harness, so
// that blocking and release are decided through pg_locks and compared
// with PostgreSQL's. Every case ends with its locks released, and each
// uses its own keys: a PostgreSQL backend lets go of its session's
// locks only once it has exited, after the client has gone.
var advisoryCases = []hcase{
	{"lock-waits-for-unlock", []hstep{s(0, "select pg_advisory_lock(101)"), s(1, "select pg_advisory_lock(101)"),
		s(2, "select pg_try_advisory_lock(101), pg_try_advisory_lock_shared(101)"),
		s(0, "select pg_advisory_unlock(101)"), s(1, "select pg_advisory_unlock(101)")}},
	{"counted", []hstep{s(0, "select pg_advisory_lock(102)"), s(0, "select pg_advisory_lock(102)"),
		s(1, "select pg_advisory_lock_shared(102)"), s(0, "select pg_advisory_unlock(102)"),
		s(0, "select pg_advisory_unlock(102)"), s(1, "select pg_advisory_unlock_all()")}},
	{"shared-then-exclusive-queue", []hstep{s(0, "select pg_advisory_lock_shared(103)"), s(1, "select pg_advisory_lock(103)"),
		s(2, "select pg_try_advisory_lock_shared(103)"), s(2, "select pg_advisory_lock_shared(103)"),
		s(0, "select pg_advisory_unlock_shared(103)"), s(1, "select pg_advisory_unlock(103)"),
		s(2, "select pg_advisory_unlock_shared(103)")}},
	{"xact-lock-goes-at-commit", []hstep{s(0, "B"), s(0, "select pg_advisory_xact_lock(104)"),
		s(1, "select pg_advisory_xact_lock(104)"), s(0, "commit")}},
	{"xact-lock-goes-at-rollback-to-savepoint", []hstep{s(0, "B"), s(0, "savepoint a"), s(0, "select pg_advisory_xact_lock(105)"),
		s(1, "B"), s(1, "select pg_advisory_xact_lock_shared(105)"), s(0, "rollback to a"), s(1, "commit"), s(0, "commit")}},
	{"job-queue-try-xact", []hstep{s(0, "B"), s(0, "select pg_try_advisory_xact_lock(106)"),
		s(1, "select pg_try_advisory_xact_lock(106)"), s(0, "commit"), s(1, "select pg_try_advisory_xact_lock(106)")}},
	{"session-lock-outlives-rollback", []hstep{s(0, "B"), s(0, "select pg_advisory_lock(107)"), s(0, "rollback"),
		s(1, "select pg_advisory_lock(107)"), s(0, "select pg_advisory_unlock(107)"), s(1, "select pg_advisory_unlock(107)")}},
	{"advisory-and-row-locks", []hstep{s(0, "B"), s(0, "update test set value = 11 where id = 1"),
		s(0, "select pg_advisory_xact_lock(108)"), s(1, "B"), s(1, "select pg_advisory_xact_lock(108)"),
		s(2, "update test set value = 12 where id = 1"), s(0, "commit"), s(1, "update test set value = 13 where id = 1"), s(1, "commit")}},
}

func TestAdvisoryLocks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each case on PostgreSQL and cairn")
	}
	pg := pgtest.Start(t)
	cairnURL := startCairnServer(t)
	for _, c := range advisoryCases {
		t.Run(c.name, func(t *testing.T) {
			want := runHermitage(t, pg.URL(), c, "read committed")
			got := runHermitage(t, cairnURL, c, "read committed")
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("trace differs\npostgres:\n  %s\ncairn:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
			} else {
				t.Logf("trace, as PostgreSQL's:\n  %s", strings.Join(got, "\n  "))
			}
		})
	}
}

// TestAdvisoryMigrateProtocol: golang-migrate's postgres driver locks with
// an int8 parameter over the extended protocol and unlocks the same way;
// a second migrator waits, and a disconnect releases the lock. The
// unlock of a lock not held reaches the client as a WARNING.
func TestAdvisoryMigrateProtocol(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := startCairnServer(t)
	var warnings []string
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		warnings = append(warnings, n.Severity+" "+n.Code+" "+n.Message)
	}
	first, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	second, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close(ctx)
	observer, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer observer.Close(ctx)

	id := int64(-3263117652045587567) // a key as migrate derives it, with the high bit set
	if _, err := first.Exec(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		t.Fatal(err)
	}
	var classid, objid uint32
	if err := observer.QueryRow(ctx, "SELECT classid, objid FROM pg_locks WHERE locktype = 'advisory' AND granted").Scan(&classid, &objid); err != nil {
		t.Fatal(err)
	}
	if classid != uint32(uint64(id)>>32) || objid != uint32(id) {
		t.Fatalf("pg_locks shows (%d, %d) for key %d", classid, objid, id)
	}
	done := make(chan error, 1)
	go func() { _, err := second.Exec(ctx, "SELECT pg_advisory_lock($1)", id); done <- err }()
	for {
		var n int
		if err := observer.QueryRow(ctx, "SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = $1", int32(second.PgConn().PID())).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the second lock ended (%v) before it was seen waiting", err)
		case <-time.After(time.Millisecond):
		}
	}
	var unlocked bool
	if err := first.QueryRow(ctx, "SELECT pg_advisory_unlock($1)", id+1).Scan(&unlocked); err != nil || unlocked {
		t.Fatalf("unlock of a key not held: %v, %v", unlocked, err)
	}
	if len(warnings) != 1 || warnings[0] != "WARNING 01000 you don't own a lock of type ExclusiveLock" {
		t.Fatalf("warnings: %q", warnings)
	}
	// The first migrator goes away without unlocking.
	first.Close(ctx)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := second.QueryRow(ctx, "SELECT pg_advisory_unlock($1)", id).Scan(&unlocked); err != nil || !unlocked {
		t.Fatalf("unlock: %v, %v", unlocked, err)
	}
}
