package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgtest"
)

// copyConns connects to PostgreSQL 15 and to a cairn server, and runs
// setup on both.
func copyConns(t *testing.T, setup ...string) map[string]*pgx.Conn {
	t.Helper()
	pg := pgtest.Start(t)
	s := startServer(t, t.TempDir())
	ctx := context.Background()
	conns := make(map[string]*pgx.Conn)
	for name, url := range map[string]string{"postgres": pg.URL(), "cairn": s.url} {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		for _, q := range setup {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %s: %v", name, q, err)
			}
		}
		conns[name] = c
	}
	return conns
}

// copyOutcome renders a COPY's result: its tag, or its SQLSTATE, message
// and CONTEXT.
func copyOutcome(tag pgconn.CommandTag, err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("ERROR %s %s [%s]", pe.Code, pe.Message, pe.Where)
	}
	if err != nil {
		return "ERROR " + err.Error()
	}
	return tag.String()
}

// compareSteps reports each step whose outcome differs.
func compareSteps(t *testing.T, results map[string][]string) {
	t.Helper()
	want, got := results["postgres"], results["cairn"]
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("step %d:\n  postgres: %s\n  cairn:    %s", i, w, g)
		}
	}
}

// TestCopyToDifferential runs COPY ... TO STDOUT in text and CSV with
// their options on cairn and PostgreSQL 15 and compares the bytes sent,
// or the errors.
func TestCopyToDifferential(t *testing.T) {
	conns := copyConns(t,
		`CREATE TABLE ct (id int PRIMARY KEY, name text, n numeric(6,2), d date, ok bool)`,
		`INSERT INTO ct VALUES (1, 'plain', 1.5, '2024-02-29', true),
			(2, E'tab\there, new\nline', NULL, NULL, false),
			(3, 'back\slash "quoted", comma', -0.25, '1999-12-31', NULL),
			(4, '', 0, '2000-01-01', true),
			(5, E'\\.', 100, NULL, NULL),
			(6, E'cr\rbell\x07|pipe', 7, '2024-01-01', false)`,
		`CREATE VIEW cv AS SELECT id, name FROM ct`,
	)
	steps := []string{
		`COPY ct TO STDOUT`,
		`COPY ct (name, id) TO STDOUT`,
		`COPY ct TO STDOUT WITH (DELIMITER '|', NULL 'nil')`,
		`COPY ct TO STDOUT WITH (HEADER)`,
		`COPY ct TO STDOUT (FORMAT csv)`,
		`COPY ct TO STDOUT (FORMAT csv, HEADER, NULL 'NULL')`,
		`COPY ct TO STDOUT (FORMAT csv, DELIMITER ';', QUOTE '''', ESCAPE '\')`,
		`COPY ct TO STDOUT (FORMAT csv, FORCE_QUOTE (id, d))`,
		`COPY ct TO STDOUT (FORMAT csv, FORCE_QUOTE *)`,
		`COPY ct (name) TO STDOUT (FORMAT csv)`,
		`COPY (SELECT id * 2 AS twice, upper(name) FROM ct WHERE id < 4 ORDER BY id DESC) TO STDOUT (FORMAT csv, HEADER true)`,
		`COPY (VALUES (1, 'a'), (2, NULL)) TO STDOUT`,
		`COPY (SELECT 1 WHERE false) TO STDOUT`,
		`COPY cv TO STDOUT`,
		`COPY nosuch TO STDOUT`,
		`COPY ct (nosuch) TO STDOUT`,
		`COPY ct (id, id) TO STDOUT`,
		`COPY ct TO STDOUT (FORMAT csv, FORCE_QUOTE (nosuch))`,
		`COPY ct TO STDOUT (FORCE_QUOTE (id))`,
		`COPY ct TO STDOUT (FORMAT csv, FORCE_NOT_NULL (id))`,
		`COPY ct TO STDOUT (QUOTE '"')`,
		`COPY ct TO STDOUT (FORMAT csv, QUOTE ',')`,
		`COPY ct TO STDOUT (FORMAT csv, NULL '"')`,
		`COPY ct TO STDOUT (DELIMITER 'ab')`,
		`COPY ct TO STDOUT (FORMAT xml)`,
		`COPY ct TO STDOUT (HEADER match)`,
		`COPY ct TO STDOUT (FORMAT csv, FORMAT text)`,
		`COPY ct TO STDOUT (bogus 1)`,
	}
	ctx := context.Background()
	results := make(map[string][]string)
	for name, c := range conns {
		for _, st := range steps {
			var out bytes.Buffer
			tag, err := c.PgConn().CopyTo(ctx, &out, st)
			results[name] = append(results[name], fmt.Sprintf("%s: %s %q", st, copyOutcome(tag, err), out.String()))
			var one int
			if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
				t.Fatalf("%s: connection unusable after %q: %v", name, st, err)
			}
		}
	}
	compareSteps(t, results)
}

// TestCopyFromCSVDifferential loads CSV (and text with HEADER) through
// COPY FROM STDIN on cairn and PostgreSQL 15 and compares the outcomes,
// the CONTEXT of each failure (the line, and the column), and the rows.
func TestCopyFromCSVDifferential(t *testing.T) {
	conns := copyConns(t, `CREATE TABLE cc (id int PRIMARY KEY, name varchar(8), note text NOT NULL DEFAULT 'dflt', n numeric(4,1))`)
	steps := []struct{ sql, data string }{
		{`COPY cc FROM STDIN (FORMAT csv)`, "1,one,x,1.5\n2,,\"\",\n3,\"q\"\"uote\",\"multi\nline\",2\n"},
		{`COPY cc FROM STDIN (FORMAT csv, HEADER)`, "id,name,note,n\n4,four,y,\n"},
		{`COPY cc FROM STDIN (FORMAT csv, HEADER match)`, "id,name,note,n\n5,five,z,\n"},
		{`COPY cc FROM STDIN (FORMAT csv, HEADER match)`, "id,nom,note,n\n6,six,z,\n"},
		{`COPY cc FROM STDIN (FORMAT csv, HEADER match)`, "id,name\n6,six,z,\n"},
		{`COPY cc (id, name, note) FROM STDIN (FORMAT csv, DELIMITER ';', QUOTE '''', ESCAPE '\', NULL 'N')`, "7;'it\\'s';'a;b'\n8;N;'N'\n"},
		{`COPY cc (id, name, note) FROM STDIN (FORMAT csv, FORCE_NOT_NULL (note))`, "9,nine,\n"},
		{`COPY cc (id, name, n) FROM STDIN (FORMAT csv, FORCE_NULL (name, n))`, "10,\"\",\"\"\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "11,x,y,1\r\n12,x,y,2\r\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "13,x,y,1\n\\.\n14,x,y,2\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,y,1\n21,\"open,y,1\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,y,1\n21,toolongname,y,1\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,y,1\n21,x,y,bad\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,y,1\n21,x,y\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,y,1\n21,x,y,1,extra\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,y,1\n1,dup,y,1\n"},
		{`COPY cc FROM STDIN (FORMAT csv)`, "20,x,,1\n"},
		{`COPY cc FROM STDIN`, "20\tx\ty\t1\n21\tx\ty\tbad\n"},
		{`COPY cc FROM STDIN (HEADER)`, "id\tname\tnote\tn\n30\tthirty\tz\t\\N\n"},
		{`COPY cc FROM STDIN (FORMAT csv, FORCE_QUOTE (id))`, "1\n"},
		{`COPY cc FROM STDIN (FORMAT csv, FORCE_NULL (nosuch))`, "1\n"},
		{`COPY cc (id) FROM STDIN (FORMAT csv, FORCE_NOT_NULL (name))`, "1\n"},
		{`COPY cc FROM STDIN (FORCE_NULL (name))`, "1\n"},
	}
	ctx := context.Background()
	results := make(map[string][]string)
	for name, c := range conns {
		for _, st := range steps {
			tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(st.data), st.sql)
			results[name] = append(results[name], st.sql+": "+copyOutcome(tag, err))
		}
		var out bytes.Buffer
		if _, err := c.PgConn().CopyTo(ctx, &out, `COPY (SELECT * FROM cc ORDER BY id) TO STDOUT (FORMAT csv, NULL 'NULL')`); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		results[name] = append(results[name], out.String())
	}
	compareSteps(t, results)
}

// TestCopyBinaryDifferential: COPY ... TO STDOUT (FORMAT binary) sends
// the same bytes as PostgreSQL 15; pgx's CopyFrom (binary COPY FROM STDIN)
// stores the same rows; damaged binary streams fail with the same
// SQLSTATEs and CONTEXT.
func TestCopyBinaryDifferential(t *testing.T) {
	conns := copyConns(t,
		`CREATE TABLE cb (id int8 PRIMARY KEY, s int2, i int4, f float8, n numeric(10,3), t text, v varchar(5), b bool, d date, ts timestamp, tz timestamptz)`,
		`INSERT INTO cb VALUES
			(1, 1, -2, 1.5, 12.345, 'text', 'abc', true, '2024-02-29', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56+00'),
			(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			(3, -32768, 2147483647, -0.5, -0.001, '', '', false, '1999-12-31', '2000-01-01 00:00:00', '1970-01-01 00:00:00+00')`,
		`CREATE TABLE cbin (id int8 PRIMARY KEY, i int4, t text, v varchar(3), d date, n numeric)`,
	)
	ctx := context.Background()
	results := make(map[string][]string)
	int4 := func(v int32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }
	header := "PGCOPY\n\377\r\n\x00" + "\x00\x00\x00\x00" + "\x00\x00\x00\x00"
	row := func(fields ...[]byte) string {
		out := []byte{0, byte(len(fields))}
		for _, f := range fields {
			if f == nil {
				out = append(out, int4(-1)...)
				continue
			}
			out = append(append(out, int4(int32(len(f)))...), f...)
		}
		return string(out)
	}
	int8b := func(v int64) []byte { return append(int4(int32(v>>32)), int4(int32(v))...) }
	trailer := "\xff\xff"
	damaged := []struct{ name, sql, data string }{
		{"bad signature", `COPY cbin (id) FROM STDIN (FORMAT binary)`, "PGCOPX\n\377\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00"},
		{"oids flag", `COPY cbin (id) FROM STDIN (FORMAT binary)`, "PGCOPY\n\377\r\n\x00\x00\x01\x00\x00\x00\x00\x00\x00"},
		{"field count", `COPY cbin (id) FROM STDIN (FORMAT binary)`, header + row(int8b(50), int8b(51)) + trailer},
		{"int8 of 4 bytes", `COPY cbin (id, i) FROM STDIN (FORMAT binary)`, header + row(int8b(52), int4(1)) + row(int4(53), int4(1)) + trailer},
		{"varchar too long", `COPY cbin (id, v) FROM STDIN (FORMAT binary)`, header + row(int8b(54), []byte("long")) + trailer},
		{"data after trailer", `COPY cbin (id) FROM STDIN (FORMAT binary)`, header + row(int8b(55)) + trailer + "x"},
		{"truncated row", `COPY cbin (id, i) FROM STDIN (FORMAT binary)`, header + row(int8b(56), int4(1))[:9]},
		{"no trailer", `COPY cbin (id) FROM STDIN (FORMAT binary)`, header + row(int8b(57))},
		{"header option", `COPY cbin (id) FROM STDIN (FORMAT binary, HEADER)`, header + trailer},
		{"delimiter option", `COPY cbin (id) FROM STDIN (FORMAT binary, DELIMITER ',')`, header + trailer},
	}
	for name, c := range conns {
		for _, st := range []string{
			`COPY cb TO STDOUT (FORMAT binary)`,
			`COPY (SELECT id, t, ARRAY[s, i] AS a FROM cb WHERE id > 1 ORDER BY id) TO STDOUT (FORMAT binary)`,
			`COPY cb TO STDOUT (FORMAT binary, NULL 'x')`,
		} {
			var out bytes.Buffer
			tag, err := c.PgConn().CopyTo(ctx, &out, st)
			results[name] = append(results[name], fmt.Sprintf("%s: %s %q", st, copyOutcome(tag, err), out.String()))
		}
		// How the stream is cut into CopyData messages: psycopg 3 reads
		// the header and the first row from the first one.
		for _, st := range []string{`COPY cb TO STDOUT (FORMAT binary)`, `COPY (SELECT 1 WHERE false) TO STDOUT (FORMAT binary)`} {
			results[name] = append(results[name], st+": CopyData sizes "+copyDataSizes(t, c.PgConn(), st))
		}
		n, err := c.CopyFrom(ctx, pgx.Identifier{"cbin"}, []string{"id", "i", "t", "v", "d", "n"}, pgx.CopyFromRows([][]any{
			{int64(10), int32(-5), "ten", "abc", "2024-01-02", "1.25"},
			{int64(11), nil, nil, nil, nil, nil},
			{int64(12), int32(7), "multi\nline\ttab", "", "1999-12-31", "-100.001"},
		}))
		results[name] = append(results[name], fmt.Sprintf("CopyFrom: %d %v", n, err))
		for _, d := range damaged {
			tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(d.data), d.sql)
			results[name] = append(results[name], d.name+": "+copyOutcome(tag, err))
		}
		var out bytes.Buffer
		if _, err := c.PgConn().CopyTo(ctx, &out, `COPY (SELECT * FROM cbin ORDER BY id) TO STDOUT`); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		results[name] = append(results[name], out.String())
	}
	compareSteps(t, results)
}

// copyDataSizes runs a COPY TO STDOUT through the raw protocol and returns
// the sizes of its CopyData messages.
func copyDataSizes(t *testing.T, c *pgconn.PgConn, query string) string {
	t.Helper()
	fe := c.Frontend()
	fe.Send(&pgproto3.Query{String: query})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var sizes []string
	for {
		m, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		switch m := m.(type) {
		case *pgproto3.CopyData:
			sizes = append(sizes, fmt.Sprint(len(m.Data)))
		case *pgproto3.ReadyForQuery:
			return strings.Join(sizes, " ")
		}
	}
}

// TestIntegrityErrorFields: a not-null or unique violation names its
// schema, table, column and constraint in the ErrorResponse as PostgreSQL
// 15 does (drivers read them from there).
func TestIntegrityErrorFields(t *testing.T) {
	conns := copyConns(t, `CREATE TABLE ef (id int PRIMARY KEY, email text UNIQUE, name text NOT NULL)`,
		`INSERT INTO ef VALUES (1, 'a@x', 'a')`)
	ctx := context.Background()
	results := make(map[string][]string)
	for name, c := range conns {
		for _, q := range []string{
			`INSERT INTO ef VALUES (2, 'b@x', NULL)`,
			`INSERT INTO ef VALUES (1, 'c@x', 'c')`,
			`INSERT INTO ef VALUES (3, 'a@x', 'd')`,
			`UPDATE ef SET name = NULL`,
		} {
			_, err := c.Exec(ctx, q)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Fatalf("%s: %s: %v, want an error", name, q, err)
			}
			results[name] = append(results[name], fmt.Sprintf("%s: %s schema=%q table=%q column=%q constraint=%q",
				q, pe.Code, pe.SchemaName, pe.TableName, pe.ColumnName, pe.ConstraintName))
		}
	}
	compareSteps(t, results)
}
