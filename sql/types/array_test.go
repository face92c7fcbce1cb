package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestArrayTextRoundTrip reads arrays in text form and prints them back;
// the outputs are PostgreSQL 15's for the same casts.
func TestArrayTextRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		t        ID
		in, want string
	}{
		{Int4Array, "{1,2,3}", "{1,2,3}"},
		{Int4Array, "{}", "{}"},
		{Int4Array, "  { 1 , 2 }  ", "{1,2}"},
		{Int8Array, "{NULL}", "{NULL}"},
		{Int2Array, "{-32768,32767}", "{-32768,32767}"},
		{TextArray, `{a,"b c","",NULL,"NULL",null,"x,y","q\"q","b\\s"}`, `{a,"b c","",NULL,"NULL",NULL,"x,y","q\"q","b\\s"}`},
		{TextArray, `{abc\,d, e\ }`, `{"abc,d","e "}`},
		{TextArray, `{"{",}}`, ""}, // malformed: see TestArrayTextErrors
		{TextArray, `{"{"}`, `{"{"}`},
		{TextArray, `{ a b }`, `{"a b"}`},
		{TextArray, `{\N\U\L\L}`, `{"NULL"}`},
		{TextArray, `{é,"\t"}`, `{é,t}`},
		{BoolArray, "{t,f,NULL,yes}", "{t,f,NULL,t}"},
		{NumericArray, "{1.50,-2,NaN}", "{1.50,-2,NaN}"},
		{Float8Array, "{1.5,1e20,-Infinity}", "{1.5,1e+20,-Infinity}"},
		{DateArray, "{2024-01-02}", "{2024-01-02}"},
		{TimestampArray, `{"2024-01-02 03:04:05"}`, `{"2024-01-02 03:04:05"}`},
		// Several dimensions and explicit bounds.
		{Int4Array, "{{1,2,3},{4,5,6}}", "{{1,2,3},{4,5,6}}"},
		{Int4Array, "{{{1},{2}},{{3},{4}}}", "{{{1},{2}},{{3},{4}}}"},
		{TextArray, `{ { "," } , { 3 } }`, `{{","},{3}}`},
		{TextArray, `  {   {  "  0 second  "   ,  0 second  }   }`, `{{"  0 second  ","0 second"}}`},
		{Int4Array, "[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}", "[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}"},
		{Int4Array, "[1:3]={1,2,3}", "{1,2,3}"},
		{Int4Array, "[3]={1,2,3}", "{1,2,3}"},
		{Int4Array, " [-2:-1] [1:1] = {{1},{2}}", "[-2:-1][1:1]={{1},{2}}"},
		{Float8Array, "[0:1]={1.1,2.2}", "[0:1]={1.1,2.2}"},
		{Int4Array, "{{{{{{1}}}}}}", "{{{{{{1}}}}}}"},
	} {
		typ := New(tc.t)
		d, err := ParseText(typ, tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s %q: no error", typ.Name(), tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v", typ.Name(), tc.in, err)
			continue
		}
		got := FormatText(typ, d)
		if got != tc.want {
			t.Errorf("%s %q printed %q, want %q", typ.Name(), tc.in, got, tc.want)
		}
		// The printed form reads back as the same array.
		back, err := ParseText(typ, got)
		if err != nil || compareArrays(back.(*Array), d.(*Array)) != 0 {
			t.Errorf("%s %q did not read back: %v", typ.Name(), got, err)
		}
	}
}

// TestArrayTextErrors checks the errors of array input against PostgreSQL
// 15's: code, message and detail.
func TestArrayTextErrors(t *testing.T) {
	for _, tc := range []struct {
		t                     ID
		in                    string
		code, message, detail string
	}{
		{Int4Array, "{1,2", "22P02", `malformed array literal: "{1,2"`, "Unexpected end of input."},
		{Int4Array, "{", "22P02", `malformed array literal: "{"`, "Unexpected end of input."},
		{TextArray, `{"a`, "22P02", `malformed array literal: "{"a"`, "Unexpected end of input."},
		{TextArray, `{a\`, "22P02", `malformed array literal: "{a\"`, "Unexpected end of input."},
		{Int4Array, "{1,,2}", "22P02", `malformed array literal: "{1,,2}"`, `Unexpected "," character.`},
		{Int4Array, "{,}", "22P02", `malformed array literal: "{,}"`, `Unexpected "," character.`},
		{Int4Array, "{1,}", "22P02", `malformed array literal: "{1,}"`, `Unexpected "}" character.`},
		{TextArray, `{"a"b}`, "22P02", `malformed array literal: "{"a"b}"`, "Unexpected array element."},
		{TextArray, `{a"b}`, "22P02", `malformed array literal: "{a"b}"`, "Unexpected array element."},
		{Int4Array, "{1}x", "22P02", `malformed array literal: "{1}x"`, "Junk after closing right brace."},
		{Int4Array, "{}x", "22P02", `malformed array literal: "{}x"`, "Junk after closing right brace."},
		{Int4Array, "x", "22P02", `malformed array literal: "x"`, `Array value must start with "{" or dimension information.`},
		{Int4Array, "", "22P02", `malformed array literal: ""`, `Array value must start with "{" or dimension information.`},
		{Int4Array, "{1,{2}}", "22P02", `malformed array literal: "{1,{2}}"`, `Unexpected "{" character.`},
		{Int4Array, "{a}", "22P02", `invalid input syntax for type integer: "a"`, ""},
		{Int4Array, `{""}`, "22P02", `invalid input syntax for type integer: ""`, ""},
		{Int2Array, "{99999}", "22003", `value "99999" is out of range for type smallint`, ""},
		{TextArray, "{{1,{2}},{2,3}}", "22P02", `malformed array literal: "{{1,{2}},{2,3}}"`, `Unexpected "{" character.`},
		{TextArray, "{{},{}}", "22P02", `malformed array literal: "{{},{}}"`, `Unexpected "}" character.`},
		{TextArray, `{{1,2},\{2,3}}`, "22P02", `malformed array literal: "{{1,2},\{2,3}}"`, `Unexpected "\" character.`},
		{TextArray, `{{"1 2" x},{3}}`, "22P02", `malformed array literal: "{{"1 2" x},{3}}"`, "Unexpected array element."},
		{TextArray, "{ }}", "22P02", `malformed array literal: "{ }}"`, "Junk after closing right brace."},
		{TextArray, "{{1,2},{3}}", "22P02", `malformed array literal: "{{1,2},{3}}"`, "Multidimensional arrays must have sub-arrays with matching dimensions."},
		{TextArray, "{{1,2},3}", "22P02", `malformed array literal: "{{1,2},3}"`, "Unexpected array element."},
		{TextArray, "{{a}x,{b}}", "22P02", `malformed array literal: "{{a}x,{b}}"`, "Unexpected array element."},
		{TextArray, "{{1}", "22P02", `malformed array literal: "{{1}"`, "Unexpected end of input."},
		{TextArray, "[1:2]={1}", "22P02", `malformed array literal: "[1:2]={1}"`, "Specified array dimensions do not match array contents."},
		{TextArray, "[1:1]={}", "22P02", `malformed array literal: "[1:1]={}"`, "Specified array dimensions do not match array contents."},
		{TextArray, "[1:3]={{1},{2},{3}}", "22P02", `malformed array literal: "[1:3]={{1},{2},{3}}"`, "Specified array dimensions do not match array contents."},
		{TextArray, "[1:2]{1,2}", "22P02", `malformed array literal: "[1:2]{1,2}"`, `Missing "=" after array dimensions.`},
		{TextArray, "[a]={1}", "22P02", `malformed array literal: "[a]={1}"`, `"[" must introduce explicitly-specified array dimensions.`},
		{TextArray, "[1:]={1}", "22P02", `malformed array literal: "[1:]={1}"`, "Missing array dimension value."},
		{TextArray, "[1:2={1,2}", "22P02", `malformed array literal: "[1:2={1,2}"`, `Missing "]" after array dimensions.`},
		{TextArray, "[1]=1", "22P02", `malformed array literal: "[1]=1"`, `Array contents must start with "{".`},
		{TextArray, "[2:1]={1}", "2202E", "upper bound cannot be less than lower bound", ""},
		{TextArray, "{{{{{{{1}}}}}}}", "54000", "number of array dimensions (7) exceeds the maximum allowed (6)", ""},
		{TextArray, "[1][1][1][1][1][1][1]={{{{{{{1}}}}}}}", "54000", "number of array dimensions (7) exceeds the maximum allowed (6)", ""},
	} {
		_, err := ParseText(New(tc.t), tc.in)
		pe := pgerr.Find(err)
		if pe == nil {
			t.Errorf("%q: got %v, want %s", tc.in, err, tc.message)
			continue
		}
		if pe.Code != tc.code || pe.Message != tc.message || pe.Detail != tc.detail {
			t.Errorf("%q: got %s %q (%q), want %s %q (%q)", tc.in, pe.Code, pe.Message, pe.Detail, tc.code, tc.message, tc.detail)
		}
	}
}

// TestCompareArrays checks btarraycmp's order: element by element, NULL
// equal to NULL and above values, a prefix first.
func TestCompareArrays(t *testing.T) {
	a := func(v ...Datum) *Array { return &Array{Elems: v} }
	for _, tc := range []struct {
		x, y *Array
		want int
	}{
		{a(int64(1), int64(2)), a(int64(1), int64(2)), 0},
		{a(int64(1), int64(2)), a(int64(1), int64(3)), -1},
		{a(int64(1)), a(int64(1), int64(0)), -1},
		{a(), a(), 0},
		{a(), a(nil), -1},
		{a(nil), a(nil), 0},
		{a(nil), a(int64(5)), 1},
		{a("b"), a("a", "z"), 1},
	} {
		if got := compareArrays(tc.x, tc.y); got != tc.want {
			t.Errorf("compare %v %v = %d, want %d", tc.x.Elems, tc.y.Elems, got, tc.want)
		}
		if got := compareArrays(tc.y, tc.x); got != -tc.want {
			t.Errorf("compare %v %v = %d, want %d", tc.y.Elems, tc.x.Elems, got, -tc.want)
		}
	}
}

// FuzzArrayText feeds arbitrary text to array input: it must fail with a
// SQLSTATE or read an array whose printed form reads back the same.
func FuzzArrayText(f *testing.F) {
	for _, s := range []string{"{}", "{1,2}", `{"a\"b",NULL,c d}`, "{{1}}", "[1:1]={1}", `{\`, "{,}", " { x } ", `{"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, id := range []ID{TextArray, Int4Array} {
			ty := New(id)
			d, err := ParseText(ty, s)
			if err != nil {
				if pgerr.Find(err) == nil {
					t.Fatalf("%q: error without SQLSTATE: %v", s, err)
				}
				continue
			}
			out := FormatText(ty, d)
			back, err := ParseText(ty, out)
			if err != nil {
				t.Fatalf("%q printed %q, which does not read back: %v", s, out, err)
			}
			if FormatText(ty, back) != out {
				t.Fatalf("%q printed %q, read back as %q", s, out, FormatText(ty, back))
			}
		}
	})
}

// TestArrayShapeOrderAndStorage checks that arrays of the same elements
// but different dimensions or bounds differ, ordered as btarraycmp orders
// them, and that their shape survives the row encoding and keys.
func TestArrayShapeOrderAndStorage(t *testing.T) {
	flat := NewArray([]Datum{int64(1), int64(2)}, []int{2}, nil)
	grid := NewArray([]Datum{int64(1), int64(2)}, []int{1, 2}, nil)
	from0 := NewArray([]Datum{int64(1), int64(2)}, []int{2}, []int{0})
	longer := &Array{Elems: []Datum{int64(1), int64(2), int64(0)}}
	for _, tc := range []struct {
		x, y *Array
		want int
	}{
		{flat, &Array{Elems: []Datum{int64(1), int64(2)}}, 0},
		{flat, grid, -1},   // fewer dimensions first
		{from0, flat, -1},  // then lower bounds
		{grid, longer, -1}, // element count before dimensions
		{NewArray([]Datum{int64(1), int64(2), int64(3), int64(4)}, []int{2, 2}, nil), NewArray([]Datum{int64(1), int64(2), int64(3), int64(4)}, []int{4, 1}, nil), -1},
	} {
		if got := compareArrays(tc.x, tc.y); got != tc.want {
			t.Errorf("compare %v %v = %d, want %d", tc.x, tc.y, got, tc.want)
		}
		if got := compareArrays(tc.y, tc.x); got != -tc.want {
			t.Errorf("compare %v %v = %d, want %d", tc.y, tc.x, got, -tc.want)
		}
		kx, ky := string(EncodeKey([]Datum{tc.x})), string(EncodeKey([]Datum{tc.y}))
		if (kx == ky) != (tc.want == 0) {
			t.Errorf("keys of %v and %v: equal %v, want %v", tc.x, tc.y, kx == ky, tc.want == 0)
		}
	}
	for _, a := range []*Array{flat, grid, from0, {}, NewArray([]Datum{nil, "x", int64(3)}, []int{3, 1}, []int{-5, 7})} {
		row, err := DecodeRow(EncodeRow([]Datum{a, int64(9)}))
		if err != nil {
			t.Fatal(err)
		}
		back := row[0].(*Array)
		if compareArrays(back, a) != 0 || len(back.Elems) != len(a.Elems) || row[1] != int64(9) {
			t.Errorf("%v stored as %v", a, back)
		}
	}
	// A shaped array whose element count does not match its dimensions
	// is a corrupt row, not a panic.
	enc := EncodeRow([]Datum{grid})
	enc[len(enc)-5]-- // the element count: 2 becomes 1
	if _, err := DecodeRow(enc); pgerr.Code(err) != "XX001" {
		t.Errorf("corrupt shaped array: got %v", err)
	}
}
