package builtins

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestRegexpFunctions checks the regexp functions against PostgreSQL
// 15's answers (strings.sql of its regression tests, and psql).
func TestRegexpFunctions(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []types.Datum
		want string // the text form; "NULL" for NULL
		code string
	}{
		{name: "regexp_replace", args: []types.Datum{"1112223333", `(\d{3})(\d{3})(\d{4})`, `(\1) \2-\3`}, want: "(111) 222-3333"},
		{name: "regexp_replace", args: []types.Datum{"AAA", "^|$", "Z", "g"}, want: "ZAAAZ"},
		{name: "regexp_replace", args: []types.Datum{"AAA aaa", "A+", "Z", "gi"}, want: "Z Z"},
		{name: "regexp_replace", args: []types.Datum{"ab  cd", `\s*`, "X", "g"}, want: "XaXbXXcXdX"},
		{name: "regexp_replace", args: []types.Datum{"foo", "o", `X\&Y\\\q\`}, want: `fXoY\\q\o`},
		{name: "regexp_replace", args: []types.Datum{"AAA aaa", "A+", "Z", "z"}, code: pgerr.InvalidParameterValue},
		{name: "regexp_replace", args: []types.Datum{"A PostgreSQL function", "a|e|i|o|u", "X", int64(1), int64(2), "i"}, want: "A PXstgreSQL function"},
		{name: "regexp_replace", args: []types.Datum{"A PostgreSQL function", "A|e|i|o|u", "X", int64(7), int64(0), "i"}, want: "A PostgrXSQL fXnctXXn"},
		{name: "regexp_replace", args: []types.Datum{"A PostgreSQL function", "a|e|i|o|u", "X", int64(1), int64(1), "g"}, want: "A PXstgreSQL function"},
		{name: "regexp_replace", args: []types.Datum{"abc", "a", "X", int64(-1), int64(0), "i"}, code: pgerr.InvalidParameterValue},
		{name: "regexp_replace", args: []types.Datum{"aa", `(.)\1`, "X"}, code: pgerr.FeatureNotSupported},
		{name: "regexp_count", args: []types.Datum{"123123123123", "123", int64(3)}, want: "3"},
		{name: "regexp_count", args: []types.Datum{"ABCABCABCABC", "Abc", int64(1), "i"}, want: "4"},
		{name: "regexp_count", args: []types.Datum{"123", "1", int64(0)}, code: pgerr.InvalidParameterValue},
		{name: "regexp_like", args: []types.Datum{"a\nd", "a.d", "n"}, want: "false"},
		{name: "regexp_like", args: []types.Datum{"a\nd", "a.d", "s"}, want: "true"},
		{name: "regexp_like", args: []types.Datum{"abc", " a . c ", "x"}, want: "true"},
		{name: "regexp_like", args: []types.Datum{"abc", "a.c", "g"}, code: pgerr.InvalidParameterValue},
		{name: "regexp_instr", args: []types.Datum{"abcabcabc", "A.C", int64(1), int64(2), int64(0), "i"}, want: "4"},
		{name: "regexp_instr", args: []types.Datum{"1234567890", "(123)(4(56)(78))", int64(1), int64(1), int64(1), "i", int64(3)}, want: "7"},
		{name: "regexp_instr", args: []types.Datum{"foo", "foo(bar)?", int64(1), int64(1), int64(0), "", int64(1)}, want: "0"},
		{name: "regexp_instr", args: []types.Datum{"abc", "a.c", int64(1), int64(1), int64(2)}, code: pgerr.InvalidParameterValue},
		{name: "regexp_substr", args: []types.Datum{"1234567890", "(123)(4(56)(78))", int64(1), int64(1), "i", int64(2)}, want: "45678"},
		{name: "regexp_substr", args: []types.Datum{"abcabcabc", "a.c", int64(1), int64(4)}, want: "NULL"},
		{name: "regexp_match", args: []types.Datum{"foobarbequebaz", "(bar)(.+)?(beque)"}, want: "{bar,NULL,beque}"},
		{name: "regexp_match", args: []types.Datum{"abc", "(b", ""}, code: pgerr.InvalidRegularExpression},
		{name: "regexp_match", args: []types.Datum{"abc", "b{2,1}"}, code: pgerr.InvalidRegularExpression},
		{name: "regexp_match", args: []types.Datum{"abc", "b", "g"}, code: pgerr.InvalidParameterValue},
		{name: "regexp_match", args: []types.Datum{"a bc", `\mbc\M`}, want: "{bc}"},
		{name: "regexp_match", args: []types.Datum{"ab", "a|ab"}, want: "{ab}"},
		{name: "regexp_match", args: []types.Datum{"aaa", "a+?"}, want: "{a}"},
		{name: "regexp_match", args: []types.Datum{"Ünïcödé x", "[[:alpha:]]+"}, want: "{Ünïcödé}"},
		{name: "regexp_match", args: []types.Datum{"é1_z!", `\w+`}, want: "{é1_z}"},
		{name: "regexp_split_to_array", args: []types.Datum{"the quick", `\s*`}, want: "{t,h,e,q,u,i,c,k}"},
		{name: "regexp_split_to_array", args: []types.Datum{"123456", "."}, want: `{"","","","","","",""}`},
		{name: "regexp_split_to_array", args: []types.Datum{"123456", "(?:)"}, want: "{1,2,3,4,5,6}"},
		{name: "regexp_split_to_array", args: []types.Datum{"thE QUick", "e", "i"}, want: `{th," QUick"}`},
	} {
		got, err := call(t, tc.name, tc.args...)
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%s%q: got %v, %v; want SQLSTATE %s", tc.name, tc.args, got, err, tc.code)
			}
			continue
		}
		text := "NULL"
		switch v := got.(type) {
		case *types.Array:
			text = types.FormatText(types.New(types.TextArray), v)
		case nil:
		default:
			text = types.FormatText(types.New(types.Text), v)
			if b, ok := v.(bool); ok {
				text = map[bool]string{true: "true", false: "false"}[b]
			}
		}
		if err != nil || text != tc.want {
			t.Errorf("%s%q = %s, %v; want %s", tc.name, tc.args, text, err, tc.want)
		}
	}
}

// TestRegexpMatchesWalk checks the way the g flag walks a string: an
// empty match right after a match counts, as PostgreSQL's does and Go's
// FindAll does not, and ^ sees the text before the search start.
func TestRegexpMatchesWalk(t *testing.T) {
	for _, tc := range []struct {
		s, pattern, flags string
		want              string
	}{
		{"ab  cd", `\s*`, "g", `{""} {""} {"  "} {""} {""} {""}`},
		{"\n1\n2\n3\n4\n", ".?$", "mg", `{""} {1} {""} {2} {""} {3} {""} {4} {""} {""}`},
		{"1\n2\n3\n4\n", "^.?", "mg", `{1} {2} {3} {4} {""}`},
		{"aXbX", "^.", "g", `{a}`},
	} {
		rows, err := RegexpMatches(tc.s, tc.pattern, tc.flags)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, types.FormatText(types.New(types.TextArray), r))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("regexp_matches(%q, %q, %q) = %s; want %s", tc.s, tc.pattern, tc.flags, g, tc.want)
		}
	}
}
