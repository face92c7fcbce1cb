package sqltest

import (
	"bufio"
	"context"
	"os"
	"sort"
	"strings"
	"testing"
)

// expectedFailures reads the lines of records marked "# expect: fail".
func expectedFailures(t *testing.T, path string) []int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []int
	sc := bufio.NewScanner(f)
	n, pending := 0, false
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "# expect: fail":
			pending = true
		case pending && line != "" && !strings.HasPrefix(line, "#"):
			lines = append(lines, n)
			pending = false
		}
	}
	return lines
}

func TestDirectives(t *testing.T) {
	const path = "testdata/directives.slt"
	r := &Runner{}
	res := r.RunFile(context.Background(), path, Embedded{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var failed []int
	for _, f := range res.Failures {
		failed = append(failed, f.Line)
	}
	sort.Ints(failed)
	want := expectedFailures(t, path)
	if len(want) == 0 {
		t.Fatal("test file marks no failures")
	}
	if !equalInts(failed, want) {
		for _, f := range res.Failures {
			t.Log(f)
		}
		t.Fatalf("failed records at lines %v, want %v", failed, want)
	}
	// skipif postgresql and onlyif sqlite skip two records; halt stops
	// before the last one.
	if res.Skipped != 2 {
		t.Errorf("skipped = %d, want 2", res.Skipped)
	}
	if res.Passed != 15 {
		t.Errorf("passed = %d, want 15", res.Passed)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEngineNames(t *testing.T) {
	tests := []struct {
		engines []string
		conds   []Condition
		want    bool
	}{
		{nil, nil, true},
		{nil, []Condition{{Skip: true, Engine: "postgresql"}}, false},
		{nil, []Condition{{Skip: true, Engine: "mysql"}}, true},
		{nil, []Condition{{Skip: false, Engine: "cairn"}}, true},
		{nil, []Condition{{Skip: false, Engine: "sqlite"}}, false},
		{[]string{"postgresql"}, []Condition{{Skip: false, Engine: "cairn"}}, false},
		{nil, []Condition{{Skip: false, Engine: "postgresql"}, {Skip: true, Engine: "cairn"}}, false},
	}
	for _, tt := range tests {
		r := &Runner{Engines: tt.engines}
		if got := r.applies(tt.conds); got != tt.want {
			t.Errorf("engines %v, conditions %+v: applies = %v, want %v", tt.engines, tt.conds, got, tt.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    Value
		typ  byte
		want string
	}{
		{Value{Kind: ValueNull}, 'I', "NULL"},
		{Value{Kind: ValueNull}, 'T', "NULL"},
		{Value{Kind: ValueInt, Text: "-42"}, 'I', "-42"},
		{Value{Kind: ValueFloat, Text: "-7.9"}, 'I', "-7"},
		{Value{Kind: ValueFloat, Text: "2.5000000000000000"}, 'I', "2"},
		{Value{Kind: ValueText, Text: "12abc"}, 'I', "12"},
		{Value{Kind: ValueText, Text: "abc"}, 'I', "0"},
		{Value{Kind: ValueInt, Text: "3"}, 'R', "3.000"},
		{Value{Kind: ValueFloat, Text: "0.0005"}, 'R', "0.001"},
		{Value{Kind: ValueFloat, Text: "-0.0001"}, 'R', "0.000"},
		{Value{Kind: ValueText, Text: ""}, 'T', "(empty)"},
		{Value{Kind: ValueText, Text: "a\tb"}, 'T', "a@b"},
		{Value{Kind: ValueText, Text: "naïve"}, 'T', "na@ve"},
		{Value{Kind: ValueInt, Text: "5"}, 'T', "5"},
		{Value{Kind: ValueBool, Text: "t"}, 'I', "1"},
		{Value{Kind: ValueBool, Text: "f"}, 'I', "0"},
		{Value{Kind: ValueBool, Text: "t"}, 'T', "t"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.typ); got != tt.want {
			t.Errorf("formatValue(%+v, %c) = %q, want %q", tt.v, tt.typ, got, tt.want)
		}
	}
}

func TestParseRecords(t *testing.T) {
	src := `# comment
statement ok
CREATE TABLE t (a int)

skipif mysql # why
onlyif postgresql
query IT rowsort lbl
SELECT a,
  'x'
FROM t
----
1
x

hash-threshold 10

halt
`
	recs, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	q := recs[1]
	if q.Kind != KindQuery || q.Types != "IT" || q.Sort != "rowsort" || q.Label != "lbl" ||
		q.SQL != "SELECT a,\n  'x'\nFROM t" || len(q.Expected) != 2 || len(q.Conditions) != 2 || q.Line != 5 {
		t.Fatalf("query record = %+v", q)
	}
	if recs[2].Kind != KindHashThreshold || recs[2].Threshold != 10 || recs[3].Kind != KindHalt {
		t.Fatalf("records = %+v", recs[2:])
	}
	for _, bad := range []string{"statement maybe\nSELECT 1\n", "query I sideways\nSELECT 1\n", "frobnicate\n"} {
		if _, err := Parse(strings.NewReader(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestHash(t *testing.T) {
	// md5("1\n2\n") computed independently.
	if got, want := hashValues([]string{"1", "2"}), "6ddb4095eb719e2a9f0a3f95677d24e0"; got != want {
		t.Fatalf("hashValues = %s, want %s", got, want)
	}
	if got, want := hashLine([]string{"a"}), "1 values hashing to 60b725f10c9c85c70d97880dfe8191b3"; got != want {
		t.Fatalf("hashLine = %q, want %q", got, want)
	}
}

// TestReadStatements: a statement ends at a line ending in ';' only
// outside a dollar-quoted string, so a function body of several
// statements stays one statement.
func TestReadStatements(t *testing.T) {
	src := `-- a comment
select 1;
create function f() returns int language plpgsql as $$
begin
  perform 1;
  return 2;
end;
$$;
do $body$ begin
  raise notice 'x $$ y';
end $body$;
select $1, 'a' || $2;
create function g() returns text as $f$ select 'it''s;' $f$ language sql;
select 3;
`
	path := t.TempDir() + "/x.sql"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadStatements(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{2, 3, 9, 12, 13, 14}
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("line %d: %q", s.Line, s.SQL)
		}
		t.Fatalf("got %d statements, want %d", len(got), len(want))
	}
	for i, s := range got {
		if s.Line != want[i] {
			t.Errorf("statement %d starts at line %d, want %d: %q", i, s.Line, want[i], s.SQL)
		}
	}
	if !strings.HasSuffix(got[1].SQL, "end;\n$$;") {
		t.Errorf("function body split: %q", got[1].SQL)
	}
}
