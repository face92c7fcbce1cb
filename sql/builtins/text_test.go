package builtins

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// call runs the overload of name that the argument types resolve to, as
// the binder does for arguments already of those types.
func call(t *testing.T, name string, args ...types.Datum) (types.Datum, error) {
	t.Helper()
	f, ok := Lookup(name)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	ts := make([]types.T, len(args))
	for i, a := range args {
		switch a.(type) {
		case int64:
			ts[i] = types.New(types.Int4)
		case bool:
			ts[i] = types.New(types.Bool)
		default:
			ts[i] = types.New(types.Text)
		}
	}
	o, err := f.Resolve(ts)
	if err != nil {
		return nil, err
	}
	if o.VariadicAny {
		return o.AnyFn(&AnyCall{Args: args, Types: ts})
	}
	if !o.CalledOnNull {
		for _, a := range args {
			if a == nil {
				return nil, nil
			}
		}
	}
	return o.Fn(args)
}

// TestTextFunctions checks the string functions against PostgreSQL 15's
// answers for the same calls (text.sql and strings.sql of its
// regression tests, and psql).
func TestTextFunctions(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []types.Datum
		want types.Datum
		code string
	}{
		{name: "concat", args: []types.Datum{"a", nil, int64(3), true}, want: "a3t"},
		{name: "concat_ws", args: []types.Datum{",", int64(10), nil, int64(30)}, want: "10,30"},
		{name: "concat_ws", args: []types.Datum{nil, int64(10)}, want: nil},
		{name: "format", args: []types.Datum{"Hello %s", "World"}, want: "Hello World"},
		{name: "format", args: []types.Datum{"Hello %%%%"}, want: "Hello %%"},
		{name: "format", args: []types.Datum{"Hello %s %s", "World"}, code: pgerr.InvalidParameterValue},
		{name: "format", args: []types.Datum{"Hello %x", int64(20)}, code: pgerr.InvalidParameterValue},
		{name: "format", args: []types.Datum{"INSERT INTO %I VALUES(%L,%L)", "mytab", int64(10), nil}, want: "INSERT INTO mytab VALUES('10',NULL)"},
		{name: "format", args: []types.Datum{"%I", nil}, code: pgerr.NullValueNotAllowed},
		{name: "format", args: []types.Datum{"%I", "select"}, want: `"select"`},
		{name: "format", args: []types.Datum{"%1$s %3$s", int64(1), int64(2), int64(3)}, want: "1 3"},
		{name: "format", args: []types.Datum{"%0$s", "x"}, code: pgerr.InvalidParameterValue},
		{name: "format", args: []types.Datum{"%1$", int64(1)}, code: pgerr.InvalidParameterValue},
		{name: "format", args: []types.Datum{"Hello %s %1$s %s", "World", "again"}, want: "Hello World World again"},
		{name: "format", args: []types.Datum{">>%-10s<<", "Hello"}, want: ">>Hello     <<"},
		{name: "format", args: []types.Datum{">>%2$*1$L<<", int64(-10), nil}, want: ">>NULL      <<"},
		{name: "format", args: []types.Datum{">>%*s<<", int64(10), "Hello"}, want: ">>     Hello<<"},
		{name: "left", args: []types.Datum{"ahoj", int64(-3)}, want: "a"},
		{name: "right", args: []types.Datum{"ahoj", int64(-3)}, want: "j"},
		{name: "right", args: []types.Datum{"ahoj", int64(5)}, want: "ahoj"},
		{name: "lpad", args: []types.Datum{"hi", int64(5), "xy"}, want: "xyxhi"},
		{name: "rpad", args: []types.Datum{"hi", int64(5), "xy"}, want: "hixyx"},
		{name: "lpad", args: []types.Datum{"hello", int64(2)}, want: "he"},
		{name: "rpad", args: []types.Datum{"hi", int64(-5), "xy"}, want: ""},
		{name: "split_part", args: []types.Datum{"@joeuser@mydatabase@", "@", int64(-2)}, want: "mydatabase"},
		{name: "split_part", args: []types.Datum{"joeuser@mydatabase", "", int64(-1)}, want: "joeuser@mydatabase"},
		{name: "split_part", args: []types.Datum{"a@b", "@", int64(0)}, code: pgerr.InvalidParameterValue},
		{name: "translate", args: []types.Datum{"12345", "14", "ax"}, want: "a23x5"},
		{name: "translate", args: []types.Datum{"12345", "14", "a"}, want: "a235"},
		{name: "ascii", args: []types.Datum{""}, want: int64(0)},
		{name: "chr", args: []types.Datum{int64(0)}, code: pgerr.ProgramLimitExceeded},
		{name: "chr", args: []types.Datum{int64(65)}, want: "A"},
		{name: "chr", args: []types.Datum{int64(-1)}, code: pgerr.InvalidParameterValue},
		{name: "initcap", args: []types.Datum{"hi THOMAS o'neil"}, want: "Hi Thomas O'Neil"},
		{name: "to_hex", args: []types.Datum{int64(-1)}, want: "ffffffff"},
		{name: "overlay", args: []types.Datum{"babosa", "ubb", int64(2), int64(4)}, want: "bubba"},
		{name: "overlay", args: []types.Datum{"yabadoo", "daba", int64(5)}, want: "yabadaba"},
		{name: "unistr", args: []types.Datum{`d\u0061t\U000000610`}, want: "data0"},
		{name: "unistr", args: []types.Datum{`wrong: \db99\0061`}, code: pgerr.SyntaxError},
		{name: "unistr", args: []types.Datum{`wrong: \+2FFFFF`}, code: pgerr.InvalidParameterValue},
		{name: "unistr", args: []types.Datum{`wrong: \xyz`}, code: pgerr.SyntaxError},
		{name: "like_escape", args: []types.Datum{"m%a%%a", "%"}, want: `m\a\%a`},
		{name: "like_escape", args: []types.Datum{`a\b`, ""}, want: `a\\b`},
		{name: "like_escape", args: []types.Datum{"a", "##"}, code: pgerr.InvalidEscapeSequence},
		{name: "similar_to_escape", args: []types.Datum{`a#"(b_d)#"%`, "#"}, want: `^(?:a){1,1}?((?:b.d)){1,1}(?:.*)$`},
		{name: "substring", args: []types.Datum{"abcdefg", `a*#"%#"g*`, "#"}, want: "abcdefg"},
		{name: "substring", args: []types.Datum{"abcdefg", `a|b#"%#"g`, "#"}, want: "bcdef"},
		{name: "substring", args: []types.Datum{"abcdefg", `a*#"%#"g*#"x`, "#"}, code: pgerr.InvalidUseOfEscapeCharacter},
		{name: "substring", args: []types.Datum{"abcdefg", "b(.*)f"}, want: "cde"},
		{name: "substring", args: []types.Datum{"foo", "foo(bar)?"}, want: nil},
		{name: "substring", args: []types.Datum{"string", int64(-10), int64(-2)}, code: pgerr.SubstringError},
		{name: "quote_nullable", args: []types.Datum{nil}, want: "NULL"},
		{name: "quote_literal", args: []types.Datum{`a'\b`}, want: `E'a''\\b'`},
	} {
		got, err := call(t, tc.name, tc.args...)
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%s%v: got %v, %v; want SQLSTATE %s", tc.name, tc.args, got, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s%v = %#v, %v; want %#v", tc.name, tc.args, got, err, tc.want)
		}
	}
}
