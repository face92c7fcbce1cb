package cairn_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/pgwire"
)

// TestDescribeCursorPortal: a cursor DECLAREd in SQL is a portal that
// Describe P describes, in text format, as in PostgreSQL (psycopg 3's
// server-side cursors ask for it); an unknown name is still 34000.
func TestDescribeCursorPortal(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "BEGIN; DECLARE cur CURSOR FOR SELECT 1 AS a, 'x'::text AS b"); err != nil {
		t.Fatal(err)
	}
	fe := c.PgConn().Frontend()
	for _, tc := range []struct{ name, want string }{
		{"cur", "a:23:0 b:25:0"},
		{"nope", "ERROR 34000"},
	} {
		fe.Send(&pgproto3.Describe{ObjectType: 'P', Name: tc.name})
		fe.Send(&pgproto3.Sync{})
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		got := ""
		for done := false; !done; {
			m, err := fe.Receive()
			if err != nil {
				t.Fatal(err)
			}
			switch m := m.(type) {
			case *pgproto3.RowDescription:
				for i, f := range m.Fields {
					if i > 0 {
						got += " "
					}
					got += fmt.Sprintf("%s:%d:%d", f.Name, f.DataTypeOID, f.Format)
				}
			case *pgproto3.ErrorResponse:
				got = "ERROR " + m.Code
			case *pgproto3.ReadyForQuery:
				done = true
			}
		}
		if got != tc.want {
			t.Errorf("Describe P %q: got %s, want %s", tc.name, got, tc.want)
		}
	}
}
