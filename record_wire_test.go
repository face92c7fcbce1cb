package cairn_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// TestRecordWire reads record and int2vector values in binary and in text
// over the extended protocol from cairn and from PostgreSQL 15 and
// requires the same bytes and type oids: record_send's field count, each
// field's type oid and value, and int2vector's array form from subscript
// 0.
func TestRecordWire(t *testing.T) {
	pg := pgtest.Start(t)
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	queries := []string{
		"select row(1, 'a b'::text, null::int, 2.5::numeric, true)",
		"select information_schema._pg_expandarray(array[5, 6])",
		"select row(row(1, 'x'::text), array[1, 2])",
		"select '1 3'::int2vector",
		"select (row(1, 'q'::text)).f2",
	}
	run := func(url string) []string {
		ctx := context.Background()
		conn, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var out []string
		for _, q := range queries {
			for _, format := range []int16{0, 1} {
				res := conn.ExecParams(ctx, q, nil, nil, nil, []int16{format}).Read()
				if res.Err != nil {
					out = append(out, fmt.Sprintf("%s: %v", q, res.Err))
					continue
				}
				var b bytes.Buffer
				for _, f := range res.FieldDescriptions {
					fmt.Fprintf(&b, "%s:%d ", f.Name, f.DataTypeOID)
				}
				for _, r := range res.Rows {
					fmt.Fprintf(&b, "%q ", r)
				}
				out = append(out, fmt.Sprintf("%s (format %d): %s", q, format, b.String()))
			}
		}
		return out
	}
	want, got := run(pg.URL()), run(wireURL(addr))
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("\n cairn:      %s\n PostgreSQL: %s", got[i], want[i])
		}
	}
}
