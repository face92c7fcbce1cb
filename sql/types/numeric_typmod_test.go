package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// TestNumericTypmod checks numeric(p, s) as PostgreSQL 15 takes it: a
// negative scale rounds to tens, thousands ..., an infinity does not fit
// any precision, and the type prints its modifier back.
func TestNumericTypmod(t *testing.T) {
	for _, tc := range []struct {
		p, s  int32
		in    string
		want  string
		code  string
		tname string
	}{
		{p: 3, s: -6, in: "123456789", want: "123000000", tname: "numeric(3,-6)"},
		{p: 3, s: -3, in: "2345", want: "2000", tname: "numeric(3,-3)"},
		{p: 3, s: 6, in: "0.000000123", want: "0.000000", tname: "numeric(3,6)"},
		{p: 3, s: -6, in: "999500000", code: pgerr.NumericValueOutOfRange},
		{p: 4, s: 4, in: "Infinity", code: pgerr.NumericValueOutOfRange},
		{p: 4, s: 4, in: "NaN", want: "NaN"},
		{p: 3, s: 1001, code: pgerr.InvalidParameterValue},
	} {
		typ, err := Resolve(ast.TypeName{Name: "numeric", Mods: []int32{tc.p, tc.s}})
		if err != nil {
			if e := pgerr.Find(err); tc.code == "" || e == nil || e.Code != tc.code {
				t.Errorf("numeric(%d,%d): %v", tc.p, tc.s, err)
			}
			continue
		}
		if tc.tname != "" && Format(typ) != tc.tname {
			t.Errorf("numeric(%d,%d) prints as %s", tc.p, tc.s, Format(typ))
		}
		v, err := ParseText(New(Numeric), tc.in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Cast(v, New(Numeric), typ, false)
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%s::numeric(%d,%d): got %v, %v; want SQLSTATE %s", tc.in, tc.p, tc.s, got, err, tc.code)
			}
			continue
		}
		if err != nil || FormatText(typ, got) != tc.want {
			t.Errorf("%s::numeric(%d,%d) = %v, %v; want %s", tc.in, tc.p, tc.s, got, err, tc.want)
		}
	}
	if p, s := NumericPrecScale((1000<<16 | -1000&0x7ff) + 4); p != 1000 || s != -1000 {
		t.Errorf("NumericPrecScale: %d, %d", p, s)
	}
}
