package builtins

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestToCharNumber checks to_char of numbers against PostgreSQL 15's
// answers (int8.sql and numeric.sql of its regression tests, and psql).
func TestToCharNumber(t *testing.T) {
	for _, tc := range []struct {
		v    types.Datum // int64, float64 or a numeric's text
		f    string
		want string
		code string
	}{
		{v: int64(4567890123456789), f: "9G999G999G999G999G999", want: " 4,567,890,123,456,789"},
		{v: int64(-456), f: "9999999999999999.999PR", want: "             <456.000>"},
		{v: int64(456), f: "FM9999999999999999THPR", want: "456TH"},
		{v: int64(123), f: "SG9999999999999999th", want: "+             123rd"},
		{v: int64(456), f: "S0999999999999999", want: "+0000000000000456"},
		{v: int64(-4567890123456789), f: "999999SG9999999999", want: "456789-0123456789"},
		{v: int64(456), f: `99999 "text" 9999 "9999" 999 "\"text between quote marks\"" 9999`, want: "      text      9999     \"text between quote marks\"   456"},
		{v: "-34338492.215397047", f: "FMS9999999999999999.999999999999999", want: "-34338492.215397047"},
		{v: "0", f: "FM9999999999999999.999999999999999", want: "0."},
		{v: "0", f: "FM9999999999990999.990999999999999", want: "0000.000"},
		{v: "4.31", f: "9.999EEEE", want: " 4.310e+00"},
		{v: "-0.5", f: "FM9.99PR", want: "<.5>"},
		{v: "-1234.5", f: "L9G999D99S", want: " 1,234.50-"},
		{v: "100", f: "FM999.", want: "100"},
		{v: "100", f: `f"ool\"999`, want: `fool"999`},
		{v: "100", f: "99", want: " ##"},
		{v: "inf", f: "9.999EEEE", want: " #.#######"},
		{v: 4.2e9, f: "9.999EEEE", want: " 4.200e+09"},
		{v: -4.2, f: "MI99.99", want: "- 4.20"},
		{v: "1", f: "9.99EEEEPR", code: pgerr.SyntaxError},
		{v: "1", f: "9.9.9", code: pgerr.SyntaxError},
	} {
		var got types.Datum
		var err error
		switch v := tc.v.(type) {
		case int64:
			got, err = call(t, "to_char", v, tc.f)
		case float64:
			got, err = toCharFloat(v, tc.f, false)
		case string:
			got, err = toCharNumeric(dec(v), tc.f)
		}
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("to_char(%v, %q): got %v, %v; want SQLSTATE %s", tc.v, tc.f, got, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("to_char(%v, %q) = %q, %v; want %q", tc.v, tc.f, got, err, tc.want)
		}
	}
}
