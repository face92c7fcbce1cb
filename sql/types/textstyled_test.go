package types

import (
	"reflect"
	"testing"
	"time"
)

// TestTextStyledCoversParseTextStyle checks that ParseTextStyle ignores the
// Style for every type TextStyled says no to, and that each type it says
// yes to can read differently under a Style (so callers may skip
// computing the session's Style for the others).
func TestTextStyledCoversParseTextStyle(t *testing.T) {
	zone := time.FixedZone("x", 5*3600)
	odd := Style{ByteaEscape: true, IntervalStyle: IntervalStyleSQLStandard, Zone: zone, DateOrder: "DMY", RoundFloats: true, ExtraFloatDigits: -3}
	for _, tc := range []struct {
		id     ID
		text   string
		styled bool
	}{
		{Int2, "12", false},
		{Int4, "-7", false},
		{Int8, "9000000000", false},
		{Float8, "1.2345678901234567", false},
		{Numeric, "3.14", false},
		{Bool, "t", false},
		{Text, "01/02/2003", false},
		{Varchar, "-1 day", false},
		{Bytea, "\\x0102", false},
		{Time, "12:34:56", false},
		{Interval, "-1 2:03:04", true},
		{TimestampTZ, "2003-01-02 03:04:05", true},
		{Timestamp, "01/02/2003 03:04:05", true},
		{Date, "01/02/2003", true},
		{TimeTZ, "12:34:56", true},
	} {
		typ := New(tc.id)
		if got := TextStyled(typ); got != tc.styled {
			t.Errorf("TextStyled(%v) = %v, want %v", tc.id, got, tc.styled)
		}
		plain, err1 := ParseTextStyle(typ, tc.text, Style{})
		styled, err2 := ParseTextStyle(typ, tc.text, odd)
		if err1 != nil || err2 != nil {
			t.Fatalf("%v %q: %v, %v", tc.id, tc.text, err1, err2)
		}
		if differ := !reflect.DeepEqual(plain, styled); differ != tc.styled {
			t.Errorf("%v %q: %v without a style, %v with one", tc.id, tc.text, plain, styled)
		}
	}
}
