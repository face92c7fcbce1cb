package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestUpsertConcurrent: an upsert waits for a concurrent insert of its key
// and then updates the row that insert committed, instead of failing with
// 23505; if that insert rolls back, it inserts. Under REPEATABLE READ the
// row committed after its snapshot is a serialization failure.
func TestUpsertConcurrent(t *testing.T) {
	e := newTestEngine(t)
	a, b, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE kv (k int PRIMARY KEY, v int NOT NULL)")
	const upsert = "INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v"

	mustRun(t, a, "BEGIN")
	mustRun(t, a, "INSERT INTO kv VALUES (1, 1) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v")
	done := runAsync(b, upsert)
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("upsert after a concurrent insert committed: %v", err)
	}
	if got := rowsText(mustRun(t, observer, "SELECT k, v FROM kv")); got != "[1 11]" {
		t.Errorf("after insert and upsert: %s, want [1 11]", got)
	}

	mustRun(t, a, "BEGIN")
	mustRun(t, a, "INSERT INTO kv VALUES (2, 1)")
	done = runAsync(b, "INSERT INTO kv VALUES (2, 5) ON CONFLICT (k) DO UPDATE SET v = 0")
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "ROLLBACK")
	if err := <-done; err != nil {
		t.Fatalf("upsert after a concurrent insert rolled back: %v", err)
	}
	if got := rowsText(mustRun(t, observer, "SELECT k, v FROM kv WHERE k = 2")); got != "[2 5]" {
		t.Errorf("after a rolled back insert and an upsert: %s, want [2 5]", got)
	}

	// The same through a unique index: the later upsert waits for the
	// index key, takes its own row back and updates the committed one.
	mustRun(t, a, "CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE, n int NOT NULL)")
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "INSERT INTO users VALUES (1, 'x@y', 1)")
	done = runAsync(b, "INSERT INTO users VALUES (2, 'x@y', 1) ON CONFLICT (email) DO UPDATE SET n = users.n + excluded.n")
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("upsert on a unique index after a concurrent insert: %v", err)
	}
	if got := rowsText(mustRun(t, observer, "SELECT id, email, n FROM users")); got != "[1 x@y 2]" {
		t.Errorf("after insert and upsert on email: %s, want [1 x@y 2]", got)
	}

	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SELECT count(*) FROM kv")
	mustRun(t, a, "INSERT INTO kv VALUES (3, 1)")
	if _, err := run(b, "INSERT INTO kv VALUES (3, 2) ON CONFLICT (k) DO UPDATE SET v = 9"); pgerr.Code(err) != pgerr.SerializationFailure {
		t.Errorf("REPEATABLE READ upsert of a row committed after its snapshot: %v, want 40001", err)
	}
	mustRun(t, b, "ROLLBACK")
	if _, err := run(b, "INSERT INTO kv VALUES (3, 2) ON CONFLICT (k) DO NOTHING"); err != nil {
		t.Fatal(err)
	}
}

// TestUpsertMeetsConcurrentChange: an upsert whose key's row is being
// updated or deleted by a running transaction waits for it, then under
// READ COMMITTED updates the newest version, or inserts when the row was
// deleted (DO NOTHING too: it inserts rather than skip a row whose
// deletion commits), or updates the row when the deleter rolled back.
func TestUpsertMeetsConcurrentChange(t *testing.T) {
	tests := []struct {
		name   string
		change string // what session a does to row 1 (1, 1)
		end    string
		upsert string
		want   string
	}{
		{"update committed", "UPDATE kv SET v = 100 WHERE k = 1", "COMMIT",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v", "[1 110]"},
		{"update rolled back", "UPDATE kv SET v = 100 WHERE k = 1", "ROLLBACK",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v", "[1 11]"},
		{"delete committed", "DELETE FROM kv WHERE k = 1", "COMMIT",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v", "[1 10]"},
		{"delete rolled back", "DELETE FROM kv WHERE k = 1", "ROLLBACK",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v", "[1 11]"},
		{"delete committed, DO NOTHING", "DELETE FROM kv WHERE k = 1", "COMMIT",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO NOTHING", "[1 10]"},
		{"delete rolled back, DO NOTHING", "DELETE FROM kv WHERE k = 1", "ROLLBACK",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO NOTHING", "[1 1]"},
		{"key changed", "UPDATE kv SET k = 2 WHERE k = 1", "COMMIT",
			"INSERT INTO kv VALUES (1, 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v", "[1 10][2 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEngine(t)
			a, b, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
			mustRun(t, a, "CREATE TABLE kv (k int PRIMARY KEY, v int NOT NULL)")
			mustRun(t, a, "INSERT INTO kv VALUES (1, 1)")
			mustRun(t, a, "BEGIN")
			mustRun(t, a, tc.change)
			done := runAsync(b, tc.upsert)
			awaitWaiting(t, observer, b.BackendPID(), done)
			mustRun(t, a, tc.end)
			if err := <-done; err != nil {
				t.Fatalf("upsert: %v", err)
			}
			if got := rowsText(mustRun(t, observer, "SELECT k, v FROM kv ORDER BY k")); got != tc.want {
				t.Errorf("rows %s, want %s", got, tc.want)
			}
		})
	}
}
