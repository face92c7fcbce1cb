package sql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// notes renders the notifications s has, as channel:payload@sender, where
// the sender is a (the notifier) or b.
func notes(s *Session, a *Session) string {
	var out []string
	for _, n := range s.Notifications() {
		who := "b"
		if n.PID == a.BackendPID() {
			who = "a"
		}
		out = append(out, fmt.Sprintf("%s:%s@%s", n.Channel, n.Payload, who))
	}
	return strings.Join(out, " ")
}

// TestNotify: what a listening session b receives from a, and when, over
// PostgreSQL 15's rules (checked there with psql): delivery at the
// notifier's commit only, nothing on rollback or for a savepoint rolled
// back, duplicates within a transaction dropped, LISTEN and UNLISTEN
// effective at their commit, the notifier receiving its own.
func TestNotify(t *testing.T) {
	for _, tc := range []struct {
		name string
		// steps are "a: SQL" or "b: SQL"; "b?" checks what b holds now,
		// "a?" what a holds.
		steps []string
	}{
		{"autocommit", []string{"b: LISTEN c", "a: NOTIFY c, 'x'", "b? c:x@a", "a: SELECT pg_notify('c', 'y')", "b? c:y@a", "a? "}},
		{"not before commit", []string{"b: LISTEN c", "a: BEGIN", "a: NOTIFY c, 'x'", "b? ", "a: COMMIT", "b? c:x@a"}},
		{"not on rollback", []string{"b: LISTEN c", "a: BEGIN", "a: NOTIFY c, 'x'", "a: ROLLBACK", "b? "}},
		{"not after an error", []string{"b: LISTEN c", "a: BEGIN", "a: NOTIFY c, 'x'", "a: SELECT 1/0", "a: COMMIT", "b? "}},
		{"dedup in order", []string{"b: LISTEN c", "b: LISTEN d", "a: BEGIN", "a: NOTIFY c, 'x'", "a: NOTIFY d, 'x'", "a: NOTIFY c, 'x'",
			"a: NOTIFY c", "a: NOTIFY c, 'y'", "a: NOTIFY c, ''", "a: COMMIT", "b? c:x@a d:x@a c:@a c:y@a"}},
		{"no dedup across transactions", []string{"b: LISTEN c", "a: NOTIFY c, 'x'", "a: NOTIFY c, 'x'", "b? c:x@a c:x@a"}},
		{"savepoints", []string{"b: LISTEN c", "a: BEGIN", "a: NOTIFY c, 'x'", "a: SAVEPOINT s", "a: NOTIFY c, 'x'", "a: NOTIFY c, 'z'",
			"a: ROLLBACK TO s", "a: SAVEPOINT t", "a: NOTIFY c, 'w'", "a: RELEASE t", "a: NOTIFY c, 'y'", "a: COMMIT", "b? c:x@a c:w@a c:y@a"}},
		{"unlistened channel", []string{"b: LISTEN c", "a: NOTIFY d, 'x'", "b? "}},
		{"self", []string{"a: LISTEN c", "a: NOTIFY c, 'x'", "a? c:x@a"}},
		{"listen at commit", []string{"b: BEGIN", "b: LISTEN c", "a: NOTIFY c, 'x'", "b: COMMIT", "a: NOTIFY c, 'y'", "b? c:y@a"}},
		{"listen rolled back", []string{"b: BEGIN", "b: LISTEN c", "b: ROLLBACK", "a: NOTIFY c, 'x'", "b? "}},
		{"listen in a rolled back savepoint", []string{"b: BEGIN", "b: SAVEPOINT s", "b: LISTEN c", "b: ROLLBACK TO s", "b: COMMIT", "a: NOTIFY c, 'x'", "b? "}},
		{"listen and notify in one transaction", []string{"a: BEGIN", "a: LISTEN c", "a: NOTIFY c, 'x'", "a: COMMIT", "a? c:x@a"}},
		{"unlisten", []string{"b: LISTEN c", "b: LISTEN d", "b: UNLISTEN c", "a: NOTIFY c, 'x'", "a: NOTIFY d, 'y'", "b? d:y@a"}},
		{"unlisten all", []string{"b: LISTEN c", "b: LISTEN d", "b: UNLISTEN *", "a: NOTIFY c, 'x'", "a: NOTIFY d, 'y'", "b? "}},
		{"unlisten before reading", []string{"b: LISTEN c", "a: NOTIFY c, 'x'", "b: UNLISTEN c", "b? "}},
		{"pg_notify null payload", []string{"b: LISTEN c", "a: SELECT pg_notify('c', NULL)", "b? c:@a"}},
		{"pg_notify per row", []string{"b: LISTEN c", "a: SELECT pg_notify('c', g::text) FROM generate_series(1, 3) g", "b? c:1@a c:2@a c:3@a"}},
		{"read-only transaction", []string{"b: LISTEN c", "a: BEGIN READ ONLY", "a: NOTIFY c, 'x'", "a: COMMIT", "b? c:x@a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEngine(t)
			a, b := newTestSession(t, e), newTestSession(t, e)
			for _, step := range tc.steps {
				s := map[byte]*Session{'a': a, 'b': b}[step[0]]
				if step[1] == '?' {
					if got, want := notes(s, a), step[3:]; got != want {
						t.Fatalf("after %q: got %q, want %q", step, got, want)
					}
					continue
				}
				query := step[3:]
				_, err := run(s, query)
				if err != nil && !strings.Contains(query, "1/0") {
					t.Fatalf("%s: %v", step, err)
				}
			}
		})
	}
}

// TestNotifyErrors: PostgreSQL 15's checks of channel names and payloads,
// and the refusal to prepare a transaction that used notifications.
func TestNotifyErrors(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, tc := range []struct{ query, code, msg string }{
		{"SELECT pg_notify('', 'x')", pgerr.InvalidParameterValue, "channel name cannot be empty"},
		{"SELECT pg_notify(NULL, 'x')", pgerr.InvalidParameterValue, "channel name cannot be empty"},
		{"SELECT pg_notify(repeat('c', 64), 'x')", pgerr.InvalidParameterValue, "channel name too long"},
		{"SELECT pg_notify(repeat('c', 63), 'x')", "", ""},
		{"SELECT pg_notify('c', repeat('x', 7999))", "", ""},
		{"SELECT pg_notify('c', repeat('x', 8000))", pgerr.InvalidParameterValue, "payload string too long"},
		{"NOTIFY c, '" + strings.Repeat("x", 8000) + "'", pgerr.InvalidParameterValue, "payload string too long"},
		{"SELECT pg_notify('c', 1)", pgerr.UndefinedFunction, "function pg_notify(unknown, integer) does not exist"},
		{"BEGIN; NOTIFY c; PREPARE TRANSACTION 'p'", pgerr.FeatureNotSupported, "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY"},
		{"BEGIN; LISTEN c; SAVEPOINT s; ROLLBACK TO s; PREPARE TRANSACTION 'p'", pgerr.FeatureNotSupported, "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY"},
		{"BEGIN; SAVEPOINT s; UNLISTEN *; ROLLBACK TO s; PREPARE TRANSACTION 'p'", pgerr.FeatureNotSupported, "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY"},
	} {
		_, err := run(s, tc.query)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%.60s: %v", tc.query, err)
			}
			continue
		}
		if pgerr.Code(err) != tc.code || err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%.60s: got %v (%s), want %s %s", tc.query, err, pgerr.Code(err), tc.code, tc.msg)
		}
		run(s, "ROLLBACK")
	}
	if s.TxStatus() != TxIdle {
		t.Fatalf("session left in a transaction")
	}
}

// TestListeningChannels: pg_listening_channels() shows the committed
// LISTENs in their order, and a closed session stops receiving.
func TestListeningChannels(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, b, "LISTEN zz")
	mustRun(t, b, "LISTEN aa")
	mustRun(t, b, "LISTEN zz")
	mustRun(t, b, "BEGIN; LISTEN mm")
	if got := rowsText(mustRun(t, b, "SELECT pg_listening_channels()")); got != "[zz][aa]" {
		t.Errorf("in the transaction: %s", got)
	}
	mustRun(t, b, "COMMIT")
	if got := rowsText(mustRun(t, b, "SELECT c FROM pg_listening_channels() c")); got != "[zz][aa][mm]" {
		t.Errorf("after the commit: %s", got)
	}
	woken := 0
	b.SetNotifyWaker(func() { woken++ })
	// The waker is called when the first notification arrives, and again
	// after the session has taken what it had.
	mustRun(t, a, "NOTIFY aa")
	mustRun(t, a, "NOTIFY mm")
	if got := notes(b, a); woken != 1 || got != "aa:@a mm:@a" {
		t.Errorf("woken %d times, got %q", woken, got)
	}
	mustRun(t, a, "NOTIFY aa")
	if woken != 2 {
		t.Errorf("woken %d times, want 2", woken)
	}
	b.Close()
	if len(e.notify.listeners) != 0 {
		t.Errorf("a closed session still listens: %v", e.notify.listeners)
	}
	mustRun(t, a, "NOTIFY aa")
}

// TestNotifyQueueFull: a listener that does not read bounds what others
// can send it: the commit that would overflow its queue fails with 54000
// and rolls back (its writes too), and once the listener reads, notifying
// works again.
func TestNotifyQueueFull(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	e.notify.limit = 3 * notificationBytes(Notification{Channel: "c", Payload: "xxxx"})
	mustRun(t, a, "CREATE TABLE nq (i int)")
	mustRun(t, b, "LISTEN c")
	for i := range 3 {
		mustRun(t, a, fmt.Sprintf("NOTIFY c, 'xx%02d'", i))
	}
	mustRun(t, a, "NOTIFY unheard, 'a payload nobody listens to'")
	mustRun(t, a, "BEGIN; INSERT INTO nq VALUES (1); NOTIFY c, 'more'")
	_, err := run(a, "COMMIT")
	if pgerr.Code(err) != pgerr.ProgramLimitExceeded || !strings.Contains(err.Error(), "too many notifications in the NOTIFY queue") {
		t.Fatalf("commit into a full queue: %v", err)
	}
	if a.TxStatus() != TxIdle {
		t.Fatalf("transaction still open after the failed commit")
	}
	if got := rowsText(mustRun(t, a, "SELECT count(*) FROM nq")); got != "[0]" {
		t.Errorf("the failed commit's insert: %s", got)
	}
	if got := notes(b, a); got != "c:xx00@a c:xx01@a c:xx02@a" {
		t.Errorf("b got %q", got)
	}
	mustRun(t, a, "NOTIFY c, 'more'")
	if got := notes(b, a); got != "c:more@a" {
		t.Errorf("after reading, b got %q", got)
	}
}
