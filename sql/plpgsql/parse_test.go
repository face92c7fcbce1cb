package plpgsql

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cairndb/cairn/sql/parser"
)

func build(t *testing.T, head, body string) *Function {
	t.Helper()
	js, err := parser.ParsePLpgSQL(head + "$body$" + body + "$body$")
	if err != nil {
		t.Fatalf("parse %q: %v", body, err)
	}
	fn, err := Build("f", body, js)
	if err != nil {
		t.Fatalf("build %q: %v", body, err)
	}
	return fn
}

const doHead = "CREATE FUNCTION inline_code_block() RETURNS void LANGUAGE plpgsql AS "

// TestParseErrors checks that compile errors come back with PostgreSQL's
// message, SQLSTATE and line (the parser's: where it was when it
// noticed, which can be the line before the token).
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		head, body string
		msg, code  string
		line       int
	}{
		{doHead, "begin\n foo bar; end", `syntax error at or near "foo"`, "42601", 1},
		{doHead, "begin\n x := 1; end", `"x" is not a known variable`, "42601", 1},
		{doHead, "declare x constant int := 1; begin\n x := 2; end", `variable "x" is declared CONSTANT`, "22005", 1},
		{doHead, "begin return next 1; end", "cannot use RETURN NEXT in a non-SETOF function", "42804", 1},
		{doHead, "begin if true then end", "syntax error at end of input", "42601", 1},
		{doHead, "begin raise notice '% %', 1; end", "too few parameters specified for RAISE", "42601", 1},
		{doHead, "begin exception when no_such_condition then null; end", `unrecognized exception condition "no_such_condition"`, "42704", 1},
	} {
		_, err := parser.ParsePLpgSQL(tc.head + "$b$" + tc.body + "$b$")
		pe, ok := err.(*parser.PLpgSQLError)
		if !ok {
			t.Errorf("%q: got %v, want a PLpgSQLError", tc.body, err)
			continue
		}
		if pe.Message != tc.msg || pe.SQLState() != tc.code || pe.Line != tc.line {
			t.Errorf("%q: got %q %s line %d, want %q %s line %d", tc.body, pe.Message, pe.SQLState(), pe.Line, tc.msg, tc.code, tc.line)
		}
	}
}

// TestBlockScopes checks that each block gets the datums its DECLARE
// section declares, shadowing included, and that loop variables, handler
// variables and RETURN NEXT's variable are found.
func TestBlockScopes(t *testing.T) {
	fn := build(t, doHead, `
<<outer>>
declare x int := 1; y text; "Mixed" int;
begin
  for i in 1..2 loop
    declare x text := 'inner'; z int;
    begin
      z := i;
    end;
  end loop;
  declare q int; begin null; exception when others then raise notice '%', sqlerrm; end;
end`)
	names := func(b *Block) []string {
		var out []string
		for _, d := range b.Decls {
			out = append(out, fn.Datums[d].Name)
		}
		return out
	}
	if got := names(fn.Body); !reflect.DeepEqual(got, []string{"x", "y", "Mixed"}) {
		t.Fatalf("outer declares %v", got)
	}
	if fn.Body.Label != "outer" || fn.Body.Scope.Names["Mixed"] == 0 {
		t.Errorf("outer scope %+v", fn.Body.Scope)
	}
	loop := fn.Body.Body[0].(*ForInt)
	if fn.Datums[loop.Var].Name != "i" {
		t.Errorf("loop variable %q", fn.Datums[loop.Var].Name)
	}
	inner := loop.Body[0].(*Block)
	if got := names(inner); !reflect.DeepEqual(got, []string{"x", "z"}) {
		t.Fatalf("inner declares %v", got)
	}
	if inner.Decls[0] == fn.Body.Decls[0] {
		t.Errorf("inner x is the outer x")
	}
	if d, _ := lookupName(inner.Scope, "i"); d != loop.Var {
		t.Errorf("i in the inner block is datum %d, want %d", d, loop.Var)
	}
	h := fn.Body.Body[1].(*Block)
	if got := names(h); !reflect.DeepEqual(got, []string{"q"}) || h.SQLErrm < 0 || fn.Datums[h.SQLErrm].Name != "sqlerrm" {
		t.Errorf("handler block declares %v, sqlerrm datum %d", got, h.SQLErrm)
	}

	set := build(t, "CREATE FUNCTION f() RETURNS SETOF int LANGUAGE plpgsql AS ", `
declare v int := 1; w int;
begin
  return next v; return next w + 1;
  return next "w";
end`)
	var vars []string
	for _, s := range set.Body.Body {
		r := s.(*Return)
		if !r.Next {
			continue
		}
		if r.Var >= 0 {
			vars = append(vars, set.Datums[r.Var].Name)
		} else {
			vars = append(vars, "expr:"+r.Value.Query)
		}
	}
	if !reflect.DeepEqual(vars, []string{"v", "expr:w + 1", "w"}) {
		t.Errorf("RETURN NEXT targets %v", vars)
	}
}

func TestSplitAssign(t *testing.T) {
	f := func(name string) assignStep { return assignStep{field: name} }
	sub := func(text string) assignStep { return assignStep{sub: text, isSub: true} }
	for _, tc := range []struct {
		in    string
		steps []assignStep
		value string
	}{
		{"x := x + 1", []assignStep{f("x")}, "x + 1"},
		{"x = 2", []assignStep{f("x")}, "2"},
		{"arr[i + 1] := 'a'", []assignStep{f("arr"), sub("i + 1")}, "'a'"},
		{"r.f := (select 1)", []assignStep{f("r"), f("f")}, "(select 1)"},
		{`"My Var" := a = b`, []assignStep{f("My Var")}, "a = b"},
		{"m[1][g(2)] := 3", []assignStep{f("m"), sub("1"), sub("g(2)")}, "3"},
		{"R.X.a := 9", []assignStep{f("r"), f("x"), f("a")}, "9"},
		{"r.ar[2] := 'replace'", []assignStep{f("r"), f("ar"), sub("2")}, "'replace'"},
		{"a[1:2] := v", []assignStep{f("a"), sub("'1:2'")}, "v"},
		{"$1 := -1", []assignStep{f("$1")}, "-1"},
	} {
		steps, value := splitAssign(tc.in)
		if !reflect.DeepEqual(steps, tc.steps) || value != tc.value {
			t.Errorf("%q: got %+v %q, want %+v %q", tc.in, steps, value, tc.steps, tc.value)
		}
	}
}

func TestBlockDeclsDollarQuotes(t *testing.T) {
	got := blockDecls("declare p1 int := $1; p3 text := $a$'x; y'$a$; p4 text := $$z;$$; begin end")
	want := [][]decl{{{name: "p1"}, {name: "p3"}, {name: "p4"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestBlockDecls(t *testing.T) {
	got := blockDecls(`declare a int; b text := 'begin; declare'; c alias for $1; d int[] := '{1}';
	begin /* begin */ -- declare x
	  declare e int := (select 1; ); begin null; end;
	  begin null; end;
	end`)
	want := [][]decl{{{name: "a"}, {name: "b"}, {name: "c", alias: "$1"}, {name: "d"}}, {{name: "e"}}, nil}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestHandles(t *testing.T) {
	for _, tc := range []struct {
		conds []string
		code  string
		want  bool
	}{
		{[]string{"division_by_zero"}, "22012", true},
		{[]string{"unique_violation", "division_by_zero"}, "22012", true},
		{[]string{"data_exception"}, "22012", true}, // a class catches its codes
		{[]string{"22000"}, "22012", true},
		{[]string{"22012"}, "22012", true},
		{[]string{"unique_violation"}, "22012", false},
		{[]string{"others"}, "P0001", true},
		{[]string{"others"}, "57014", false},
		{[]string{"others"}, "P0004", false},
		{[]string{"query_canceled"}, "57014", true},
		{[]string{"string_data_right_truncation"}, "22001", true},
	} {
		if got := handles(&Handler{Conditions: tc.conds}, tc.code); got != tc.want {
			t.Errorf("%v catches %s: %v, want %v", tc.conds, tc.code, got, tc.want)
		}
	}
	if !strings.HasPrefix(conditions["raise_exception"], "P0001") {
		t.Errorf("raise_exception is %q", conditions["raise_exception"])
	}
}

// TestCheckReturns: RETURN's checks that pg_query's grammar leaves out,
// with PostgreSQL's messages.
func TestCheckReturns(t *testing.T) {
	for _, tc := range []struct {
		kind ResultKind
		head string
		body string
		want string
	}{
		{ResultValue, "RETURNS int", "begin return ; end", `missing expression at or near ";"`},
		{ResultValue, "RETURNS int", "begin if true then return 1; end if; return 2; end", ""},
		{ResultVoid, "RETURNS void", "begin loop return 5; end loop; end", "RETURN cannot have a parameter in function returning void"},
		{ResultVoid, "RETURNS void", "begin return; end", ""},
		{ResultOut, "RETURNS int", "begin return 1; end", "RETURN cannot have a parameter in function with OUT parameters"},
		{ResultSet, "RETURNS SETOF int", "begin begin return 1; exception when others then null; end; end", "RETURN cannot have a parameter in function returning set"},
		{ResultSet, "RETURNS SETOF int", "begin return next 1; return; end", ""},
		{ResultProcedure, "RETURNS void", "begin return 1; end", "RETURN cannot have a parameter in a procedure"},
	} {
		fn := build(t, "CREATE FUNCTION f() "+tc.head+" LANGUAGE plpgsql AS ", tc.body)
		err := fn.CheckReturns(tc.kind, "f")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.body, got, tc.want)
		}
	}
}
