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

// TestToNumber checks to_number against PostgreSQL 15's answers
// (numeric.sql of its regression tests, and psql).
func TestToNumber(t *testing.T) {
	for _, tc := range []struct {
		s, f, want, code string
	}{
		{s: "-34,338,492.654,878", f: "99G999G999D999G999", want: "-34338492.654878"},
		{s: "<564646.654564>", f: "999999.999999PR", want: "-564646.654564"},
		{s: "0.00001-", f: "9.999999S", want: "-0.00001"},
		{s: "5.01-", f: "FM9.999999MI", want: "-5.01"},
		{s: "5 4 4 4 4 8 . 7 8", f: "9 9 9 9 9 9 . 9 9", want: "544448.78"},
		{s: ".-01", f: "S99.99", want: "-0.01"},
		{s: "34,50", f: "999,99", want: "3450"},
		{s: "123,000", f: "999G", want: "123"},
		{s: "$1234.56", f: "L9,999.99", want: "1234.56"},
		{s: "$1234.56", f: "9999.99", want: "1234.5"},
		{s: "..1234.56", f: "L9999.99", want: "0.12"},
		{s: "42nd", f: "99th", want: "42"},
		{s: "1234.56", f: "999.99", code: pgerr.NumericValueOutOfRange},
		{s: "1", f: "9EEEE", code: pgerr.FeatureNotSupported},
	} {
		got, err := toNumber(tc.s, tc.f)
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("to_number(%q, %q): got %v, %v; want SQLSTATE %s", tc.s, tc.f, got, err, tc.code)
			}
			continue
		}
		if err != nil || types.FormatText(types.New(types.Numeric), got) != tc.want {
			t.Errorf("to_number(%q, %q) = %v, %v; want %s", tc.s, tc.f, got, err, tc.want)
		}
	}
}
