package cairn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/pgwire"
)

// TestFailedMessageDoesNotLeakIntoNextSync: an error in any extended-protocol
// message (Parse, Bind, Execute) aborts the work up to its Sync and nothing
// after it. An INSERT acknowledged in the next Sync's pipeline is committed,
// and the rows of the failed one are not.
func TestFailedMessageDoesNotLeakIntoNextSync(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `create table leak (id int4 primary key, v varchar(3), d int4)`); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name string
		fail func(id int) error
	}{
		// The parameter's value does not fit the column: refused at Bind.
		{"bind", func(id int) error {
			_, err := c.Exec(ctx, `insert into leak values ($1, $2)`, id, "abcd")
			return err
		}},
		// A syntax error: refused at Parse.
		{"parse", func(int) error {
			_, err := c.Exec(ctx, `insert into leak valuez (1)`)
			return err
		}},
		// Division by zero while the row is computed: refused at Execute.
		{"execute", func(id int) error {
			_, err := c.Exec(ctx, `insert into leak values ($1, 'x', 1 / ($1 - $1))`, id)
			return err
		}},
	} {
		failed, ok := 1000+i, 2000+i
		var pe *pgconn.PgError
		if err := tc.fail(failed); err == nil || !errors.As(err, &pe) {
			t.Fatalf("%s: want a server error, got %v", tc.name, err)
		}
		tag, err := c.Exec(ctx, `insert into leak values ($1, $2)`, ok, "ok")
		if err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: insert after the failure: %v %v", tc.name, tag, err)
		}
		var n int
		if err := c.QueryRow(ctx, `select count(*) from leak where id in ($1, $2)`, failed, ok).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("after a failed %s: %d rows of the acknowledged insert and the failed one, want 1", tc.name, n)
		}
	}
}
