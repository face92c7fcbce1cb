package sql

import (
	"context"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestCopyReaderText checks the text format's rows, NULLs, escapes, line
// ends and end-of-data marker.
// readAllRows reads rows until the reader's first error (io.EOF at the end).
func readAllRows(r *copyReader) ([][]copyField, error) {
	var got [][]copyField
	for {
		row, err := r.next()
		if err != nil {
			return got, err
		}
		got = append(got, slices.Clone(row)) // valid until the next call
	}
}

func TestCopyReaderText(t *testing.T) {
	null := func() copyField { return copyField{null: true} }
	f := func(s string) copyField { return copyField{text: s} }
	tests := []struct {
		name, in string
		want     [][]copyField
		code     string // SQLSTATE of the error after the rows in want
	}{
		{"pgbench row", "1\t1\t0\t\n2\t1\t0\t\n\\.\n", [][]copyField{{f("1"), f("1"), f("0"), f("")}, {f("2"), f("1"), f("0"), f("")}}, ""},
		{"no final newline", "a\tb", [][]copyField{{f("a"), f("b")}}, ""},
		{"null", "\\N\tx\t\\\\N\n", [][]copyField{{null(), f("x"), f("\\N")}}, ""},
		{"escapes", "\\b\\f\\n\\r\\t\\v|\\101\\x41\\x4a\\xg\\q\\\\\n", [][]copyField{{f("\b\f\n\r\t\v|AAJxgq\\")}}, ""},
		{"escaped delimiter", "a\\\tb\tc\n", [][]copyField{{f("a\tb"), f("c")}}, ""},
		{"escaped newline", "a\\\nb\tc\n", [][]copyField{{f("a\nb"), f("c")}}, ""},
		{"empty line", "\n", [][]copyField{{f("")}}, ""},
		{"crlf", "a\tb\r\nc\td\r\n", [][]copyField{{f("a"), f("b")}, {f("c"), f("d")}}, ""},
		{"crlf then lf", "a\r\nb\n", [][]copyField{{f("a")}}, pgerr.BadCopyFileFormat},
		{"raw carriage return", "a\rb\n", nil, pgerr.BadCopyFileFormat},
		{"data after marker ignored", "a\n\\.\nb\tc\n", [][]copyField{{f("a")}}, ""},
		{"marker after data", "a\tb\\.\n", [][]copyField{{f("a"), f("b")}}, ""},
		{"corrupt marker", "\\.x\n", nil, pgerr.BadCopyFileFormat},
		{"nul byte", "\\0\n", nil, pgerr.CharacterNotInRepertoire},
		{"invalid utf8", "\\xff\n", nil, pgerr.CharacterNotInRepertoire},
		{"backslash dot escaped", "\\\\.\n", [][]copyField{{f("\\.")}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newCopyReader(strings.NewReader(tt.in), '\t', `\N`)
			got, err := readAllRows(r)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows = %+v, want %+v", got, tt.want)
			}
			switch {
			case tt.code == "" && err != io.EOF:
				t.Errorf("err = %v, want end of data", err)
			case tt.code != "" && pgerr.Code(err) != tt.code:
				t.Errorf("err = %v (%s), want %s", err, pgerr.Code(err), tt.code)
			}
		})
	}
}

// TestCopyReaderOptions checks a custom delimiter and NULL string.
func TestCopyReaderOptions(t *testing.T) {
	r := newCopyReader(strings.NewReader("1|NULL|\\|\n"), '|', "NULL")
	row, err := r.next()
	if err != nil {
		t.Fatal(err)
	}
	want := []copyField{{text: "1"}, {null: true}, {text: "|"}}
	if !reflect.DeepEqual(row, want) {
		t.Fatalf("row = %+v, want %+v", row, want)
	}
}

// copyData is a CopySource over a string.
type copyData struct {
	io.Reader
	columns int
	begun   bool
}

func (c *copyData) Begin(columns int, _ bool) error {
	c.columns, c.begun = columns, true
	return nil
}

func copyIn(t *testing.T, s *Session, query, data string) (*Result, *copyData, error) {
	t.Helper()
	ps, err := s.PrepareAll(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || !ps[0].CopyFromStdin() {
		t.Fatalf("%q is not one COPY FROM STDIN", query)
	}
	src := &copyData{Reader: strings.NewReader(data)}
	res, err := s.CopyIn(context.Background(), ps[0], src)
	return res, src, err
}

// TestCopyIn checks COPY FROM STDIN's conversion, defaults, constraints
// and atomicity.
func TestCopyIn(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE c (id int PRIMARY KEY, name varchar(5) NOT NULL, pad char(4), n numeric(5,1) DEFAULT 1.5)")

	res, src, err := copyIn(t, s, "COPY c (id, name, pad) FROM STDIN", "1\tab\tx\n2\tcd\t\\N\n\\.\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != "COPY 2" || src.columns != 3 {
		t.Fatalf("tag %q, %d columns", res.Tag, src.columns)
	}
	got := mustRun(t, s, "SELECT id, name, pad, n FROM c ORDER BY id")
	want := "[[1 ab x    1.5] [2 cd <nil> 1.5]]"
	if s := formatRows(got.Rows); s != want {
		t.Fatalf("rows = %s, want %s", s, want)
	}

	for _, tt := range []struct{ query, data, code string }{
		{"COPY c FROM STDIN", "3\tx\ty\t1\n1\tdup\t\\N\t1\n", pgerr.UniqueViolation},
		{"COPY c FROM STDIN", "3\t\\N\t\\N\t1\n", pgerr.NotNullViolation},
		{"COPY c FROM STDIN", "3\ttoolong\t\\N\t1\n", pgerr.StringDataRightTruncation},
		{"COPY c FROM STDIN", "x\ta\t\\N\t1\n", pgerr.InvalidTextRepresentation},
		{"COPY c FROM STDIN", "3\ta\n", pgerr.BadCopyFileFormat},
		{"COPY c FROM STDIN", "3\ta\tb\t1\t5\n", pgerr.BadCopyFileFormat},
		{"COPY c (id, nosuch) FROM STDIN", "", pgerr.UndefinedColumn},
		{"COPY nosuch FROM STDIN", "", pgerr.UndefinedTable},
	} {
		_, src, err := copyIn(t, s, tt.query, "3\tok\t\\N\t1\n"+tt.data)
		if pgerr.Code(err) != tt.code {
			t.Errorf("%s with %q: err = %v (%s), want %s", tt.query, tt.data, err, pgerr.Code(err), tt.code)
		}
		if tt.code == pgerr.UndefinedColumn || tt.code == pgerr.UndefinedTable {
			if src.begun {
				t.Errorf("%s: Begin called before the statement was checked", tt.query)
			}
		}
	}
	// Every failed COPY rolled back, its good first row included.
	if got := mustRun(t, s, "SELECT count(*) FROM c"); formatRows(got.Rows) != "[[2]]" {
		t.Fatalf("count after failed copies = %s", formatRows(got.Rows))
	}

	// Inside a transaction a failed COPY aborts it.
	mustRun(t, s, "BEGIN")
	if _, _, err := copyIn(t, s, "COPY c FROM STDIN", "9\tnine\t\\N\t1\n"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := copyIn(t, s, "COPY c FROM STDIN", "9\tagain\t\\N\t1\n"); pgerr.Code(err) != pgerr.UniqueViolation {
		t.Fatalf("err = %v", err)
	}
	if _, err := run(s, "SELECT 1"); pgerr.Code(err) != pgerr.InFailedSQLTransaction {
		t.Fatalf("after failed COPY in BEGIN: %v", err)
	}
	mustRun(t, s, "ROLLBACK")

	// A source failure (the client's CopyFail) fails the COPY with its error.
	ps, _ := s.PrepareAll(context.Background(), "COPY c FROM STDIN")
	fail := pgerr.New(pgerr.QueryCanceled, "COPY from stdin failed: no")
	_, err = s.CopyIn(context.Background(), ps[0], &copyData{Reader: io.MultiReader(strings.NewReader("5\tfive\t\\N\t1\n"), errReader{fail})})
	if !errors.Is(err, fail) {
		t.Fatalf("err = %v, want the source's", err)
	}
	// FREEZE needs the table created or truncated in the transaction,
	// since its latest savepoint.
	if _, _, err := copyIn(t, s, "COPY c FROM STDIN (FREEZE)", ""); pgerr.Code(err) != pgerr.ObjectNotInPrerequisiteState {
		t.Fatalf("COPY FREEZE outside the creating transaction: %v", err)
	}
	mustRun(t, s, "BEGIN; CREATE TABLE fz (a int); SAVEPOINT s1; TRUNCATE c")
	if _, _, err := copyIn(t, s, "COPY c FROM STDIN (FREEZE ON)", "7\tseven\t\\N\t1\n"); err != nil {
		t.Fatalf("COPY FREEZE after TRUNCATE: %v", err)
	}
	if _, _, err := copyIn(t, s, "COPY fz FROM STDIN (FREEZE)", "1\n"); pgerr.Code(err) != pgerr.ObjectNotInPrerequisiteState {
		t.Fatalf("COPY FREEZE of a table created before the savepoint: %v", err)
	}
	mustRun(t, s, "ROLLBACK")

	// Execute without a source, or a sink, refuses.
	if _, err := s.Execute(context.Background(), ps[0], nil); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Fatalf("Execute of COPY FROM STDIN: %v", err)
	}
	if to, err := s.PrepareAll(context.Background(), "COPY c TO STDOUT"); err != nil || len(to) != 1 || !to[0].CopyToStdout() || to[0].CopyFromStdin() {
		t.Fatalf("COPY TO STDOUT prepared as %v, %v", to, err)
	} else if _, err := s.Execute(context.Background(), to[0], nil); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Fatalf("Execute of COPY TO STDOUT: %v", err)
	}
	// Binary COPY needs the wire layer's binary forms of values.
	if _, _, err := copyIn(t, s, "COPY c FROM STDIN (FORMAT binary)", ""); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Errorf("binary COPY through a source without a decoder: %v, want 0A000", err)
	}
	for _, q := range []string{"COPY c TO '/tmp/x'", "COPY c FROM '/etc/passwd'"} {
		if _, err := s.PrepareAll(context.Background(), q); pgerr.Code(err) != pgerr.FeatureNotSupported {
			t.Errorf("%s: %v, want 0A000", q, err)
		}
	}
	for q, code := range map[string]string{
		"COPY c FROM STDIN (FORMAT nosuch)":  pgerr.InvalidParameterValue,
		"COPY c FROM STDIN (nosuch 1)":       pgerr.SyntaxError,
		"COPY c FROM STDIN (DELIMITER 'ab')": pgerr.FeatureNotSupported,
		"COPY c FROM STDIN (DELIMITER 'a')":  pgerr.InvalidParameterValue,
		"COPY c FROM STDIN (FREEZE, FREEZE)": pgerr.SyntaxError,
		"COPY c FROM STDIN (FREEZE maybe)":   pgerr.SyntaxError,
	} {
		if _, err := s.PrepareAll(context.Background(), q); pgerr.Code(err) != code {
			t.Errorf("%s: %v (%s), want %s", q, err, pgerr.Code(err), code)
		}
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestAlterTableForeignKey checks that the foreign keys pgbench -I f
// adds are added, and the constraints written on an added column.
func TestAlterTableForeignKey(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE p (a int PRIMARY KEY); CREATE TABLE ch (a int)")
	mustRun(t, s, "ALTER TABLE ch ADD CONSTRAINT ch_a_fkey FOREIGN KEY (a) REFERENCES p")
	mustRun(t, s, "ALTER TABLE ch ADD COLUMN c int REFERENCES p")
	if got := outcome(s, "SELECT count(DISTINCT oid), min(oid) > 0 FROM pg_constraint WHERE contype = 'f'"); got != "[2 t]" {
		t.Errorf("foreign keys added by ALTER TABLE: %s, want two distinct oids", got)
	}
	mustRun(t, s, "ALTER TABLE ch ADD COLUMN b int UNIQUE")
	if got := outcome(s, "SELECT conname FROM pg_constraint WHERE contype = 'u'"); got != "[ch_b_key]" {
		t.Errorf("UNIQUE written on an added column: %s, want [ch_b_key]", got)
	}
}

// formatRows renders rows compactly for comparisons in tests.
func formatRows(rows [][]types.Datum) string {
	var b strings.Builder
	b.WriteString("[")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString("[")
		for j, d := range r {
			if j > 0 {
				b.WriteString(" ")
			}
			if d == nil {
				b.WriteString("<nil>")
			} else {
				b.WriteString(types.FormatText(types.T{}, d))
			}
		}
		b.WriteString("]")
	}
	b.WriteString("]")
	return b.String()
}

func TestCopyReaderCSV(t *testing.T) {
	null := func() copyField { return copyField{null: true} }
	f := func(s string) copyField { return copyField{text: s} }
	q := func(s string) copyField { return copyField{text: s, quoted: true} }
	tests := []struct {
		name, in      string
		quote, escape byte
		want          [][]copyField
		code          string // SQLSTATE of the error after the rows in want
		lines         int    // lineNo at the end
	}{
		{"plain", "1,a,\n2,,x\n", '"', '"', [][]copyField{{f("1"), f("a"), null()}, {f("2"), null(), f("x")}}, "", 2},
		{"quoted empty is not null", "\"\",a\n", '"', '"', [][]copyField{{q(""), f("a")}}, "", 1},
		{"doubled quote", "\"a\"\"b\",c\n", '"', '"', [][]copyField{{q("a\"b"), f("c")}}, "", 1},
		{"newline in quotes", "\"a\nb\",c\nd,e\n", '"', '"', [][]copyField{{q("a\nb"), f("c")}, {f("d"), f("e")}}, "", 3},
		{"text after closing quote", "\"ab\"cd,e\n", '"', '"', [][]copyField{{q("abcd"), f("e")}}, "", 1},
		{"escape differs from quote", "'it\\'s','a\\\\b'\n", '\'', '\\', [][]copyField{{q("it's"), q("a\\b")}}, "", 1},
		{"crlf", "a,b\r\nc,d\r\n", '"', '"', [][]copyField{{f("a"), f("b")}, {f("c"), f("d")}}, "", 2},
		{"crlf in quotes is data", "\"a\r\nb\",c\r\n", '"', '"', [][]copyField{{q("a\r\nb"), f("c")}}, "", 2},
		{"end marker", "a\n\\.\nb\n", '"', '"', [][]copyField{{f("a")}}, "", 2},
		{"unterminated quote", "a\n\"b,c\n", '"', '"', [][]copyField{{f("a")}}, pgerr.BadCopyFileFormat, 3},
		{"unquoted carriage return", "a\rb,c\n", '"', '"', nil, pgerr.BadCopyFileFormat, 1},
		{"nul byte", "\"a\x00\"\n", '"', '"', nil, pgerr.CharacterNotInRepertoire, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newCSVReader(strings.NewReader(tt.in), ',', "", tt.quote, tt.escape)
			got, err := readAllRows(r)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows = %+v, want %+v", got, tt.want)
			}
			switch {
			case tt.code == "" && err != io.EOF:
				t.Errorf("err = %v, want end of data", err)
			case tt.code != "" && pgerr.Code(err) != tt.code:
				t.Errorf("err = %v (%s), want %s", err, pgerr.Code(err), tt.code)
			}
			if r.lineNo != tt.lines {
				t.Errorf("lineNo = %d, want %d", r.lineNo, tt.lines)
			}
		})
	}
}

func TestCopyOutFields(t *testing.T) {
	tests := []struct {
		v          string
		csv, force bool
		single     bool
		want       string
	}{
		{v: "plain", want: "plain"},
		{v: "a\tb\nc\\d\x07", want: `a\tb\nc\\d` + "\x07"},
		{v: "a|b", want: "a|b"},
		{v: "plain", csv: true, want: "plain"},
		{v: "", csv: true, want: `""`},
		{v: "a,b", csv: true, want: `"a,b"`},
		{v: `say "hi"`, csv: true, want: `"say ""hi"""`},
		{v: "two\nlines", csv: true, want: "\"two\nlines\""},
		{v: "x", csv: true, force: true, want: `"x"`},
		{v: `\.`, csv: true, want: `\.`},
		{v: `\.`, csv: true, single: true, want: `"\."`},
	}
	for _, tt := range tests {
		var got []byte
		if tt.csv {
			got = appendCSVField(nil, tt.v, ',', '"', '"', "", tt.force, tt.single)
		} else {
			got = appendTextField(nil, tt.v, '\t')
		}
		if string(got) != tt.want {
			t.Errorf("%q (csv %v, force %v, single %v) = %q, want %q", tt.v, tt.csv, tt.force, tt.single, got, tt.want)
		}
	}
}

// TestCopyFreezePartitioned checks that COPY FREEZE refuses a partitioned
// table (0A000) before its other conditions, as PostgreSQL does.
func TestCopyFreezePartitioned(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE pc (a int, b int) PARTITION BY LIST (b)")
	mustRun(t, s, "CREATE TABLE pc1 PARTITION OF pc FOR VALUES IN (1)")
	mustRun(t, s, "BEGIN")
	mustRun(t, s, "TRUNCATE pc")
	_, _, err := copyIn(t, s, "COPY pc FROM STDIN (FREEZE)", "5\t1\n")
	if got := pgerr.Code(err); got != pgerr.FeatureNotSupported {
		t.Fatalf("COPY FREEZE of a partitioned table: %v (%s), want 0A000", err, got)
	}
}

// TestCopyRoutesPartitionedRows: a COPY into a partitioned table with no
// index routes every row to its partition, where the partition and the
// parent both read it, rather than taking the bulk path that would store
// the rows in the parent itself.
func TestCopyRoutesPartitionedRows(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE pc (a int, b int, c text) PARTITION BY LIST (b)")
	mustRun(t, s, "CREATE TABLE pc1 (c text, b int, a int)")
	mustRun(t, s, "ALTER TABLE pc ATTACH PARTITION pc1 FOR VALUES IN (1)")
	mustRun(t, s, "CREATE TABLE pc2 PARTITION OF pc FOR VALUES IN (2)")
	res, _, err := copyIn(t, s, "COPY pc FROM STDIN", "1\t1\tone\n2\t2\ttwo\n3\t1\tthree\n")
	if err != nil || res.Tag != "COPY 3" {
		t.Fatalf("COPY: %v %+v", err, res)
	}
	for _, tc := range []struct{ q, want string }{
		{"SELECT tableoid::regclass, count(*), sum(a) FROM pc GROUP BY tableoid ORDER BY tableoid::regclass::text", "[pc1 2 4][pc2 1 2]"},
		{"SELECT a, c FROM pc1 ORDER BY a", "[1 one][3 three]"},
		{"SELECT count(*) FROM ONLY pc", "[0]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
