package types

import (
	"math"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestGeometryTextRoundTrip reads each geometric type's input forms and
// prints them as PostgreSQL 15 does (outputs checked against it).
func TestGeometryTextRoundTrip(t *testing.T) {
	cases := []struct {
		typ     ID
		in, out string
	}{
		{PointType, "(1,2)", "(1,2)"},
		{PointType, " ( Nan , NaN ) ", "(NaN,NaN)"},
		{PointType, "1e-300,-1e-300", "(1e-300,-1e-300)"},
		{PointType, "(1e+300,Inf)", "(1e+300,Infinity)"},
		{PointType, "(0.1,-0)", "(0.1,-0)"},
		{LsegType, "[(1,2),(3,4)]", "[(1,2),(3,4)]"},
		{LsegType, "(0,0),(6,6)", "[(0,0),(6,6)]"},
		{LsegType, "10,-10 ,-3,-4", "[(10,-10),(-3,-4)]"},
		{LsegType, "[-1e6,2e2,3e5, -4e1]", "[(-1000000,200),(300000,-40)]"},
		{BoxType, "(2.0,2.0,0.0,0.0)", "(2,2),(0,0)"},
		{BoxType, "(1.0,1.0,3.0,3.0)", "(3,3),(1,1)"},
		{BoxType, "((-8, 2), (-2, -10))", "(-2,2),(-8,-10)"},
		{BoxType, "(0,0)(0,100)", "(0,100),(0,0)"},
		{PathType, "[(1,2),(3,4)]", "[(1,2),(3,4)]"},
		{PathType, " ( ( 1 , 2 ) , ( 3 , 4 ) ) ", "((1,2),(3,4))"},
		{PathType, "1,2 ,3,4 ", "((1,2),(3,4))"},
		{PathType, " [1,2,3, 4] ", "[(1,2),(3,4)]"},
		{PathType, "((10,20))", "((10,20))"},
		{PathType, "( 11,12,13,14) ", "((11,12),(13,14))"},
		{PolygonType, "(2.0,0.0),(2.0,4.0),(0.0,0.0)", "((2,0),(2,4),(0,0))"},
		{PolygonType, "(0.0,0.0)", "((0,0))"},
		{LineType, "{1,-1,1}", "{1,-1,1}"},
		{LineType, "(0,0),(6,6)", "{1,-1,0}"},
		{LineType, "[(1,3),(2,3)]", "{0,-1,3}"},
		{LineType, "[(3,1),(3,2)]", "{-1,0,3}"},
		{CircleType, "<(5,1),3>", "<(5,1),3>"},
		{CircleType, "1,3,5", "<(1,3),5>"},
		{CircleType, "((1,2),3)", "<(1,2),3>"},
		{CircleType, " < ( 100 , 1 ) , 115 > ", "<(100,1),115>"},
		{CircleType, "<(3,5),NaN>", "<(3,5),NaN>"},
	}
	for _, c := range cases {
		d, err := ParseText(New(c.typ), c.in)
		if err != nil {
			t.Errorf("%s %q: %v", New(c.typ).Name(), c.in, err)
			continue
		}
		if got := FormatText(New(c.typ), d); got != c.out {
			t.Errorf("%s %q prints %q, want %q", New(c.typ).Name(), c.in, got, c.out)
		}
		// The row encoding keeps the value.
		row, err := DecodeRow(EncodeRow([]Datum{d}))
		if err != nil || FormatText(New(c.typ), row[0]) != c.out {
			t.Errorf("%s %q: row round trip %v %v", New(c.typ).Name(), c.in, row, err)
		}
	}
}

// TestGeometryInputErrors checks the SQLSTATEs and messages of bad input.
func TestGeometryInputErrors(t *testing.T) {
	cases := []struct {
		typ        ID
		in, code   string
		wantSubstr string
	}{
		{PointType, "asdfasdf", pgerr.InvalidTextRepresentation, `invalid input syntax for type point: "asdfasdf"`},
		{PointType, "(10.0 10.0)", pgerr.InvalidTextRepresentation, "point"},
		{PointType, "(10.0, 10.0) x", pgerr.InvalidTextRepresentation, "point"},
		{PointType, "(10.0,10.0", pgerr.InvalidTextRepresentation, "point"},
		{PointType, "(10.0, 1e+500)", pgerr.NumericValueOutOfRange, `"1e+500" is out of range for type double precision`},
		{LsegType, "[(1,2),(3,4)", pgerr.InvalidTextRepresentation, "lseg"},
		{LsegType, "(3asdf,2 ,3,4r2)", pgerr.InvalidTextRepresentation, "lseg"},
		{BoxType, "(2.3, 4.5)", pgerr.InvalidTextRepresentation, "box"},
		{BoxType, "[1, 2, 3, 4)", pgerr.InvalidTextRepresentation, "box"},
		{BoxType, "(1, 2, 3, 4) x", pgerr.InvalidTextRepresentation, "box"},
		{PathType, "[]", pgerr.InvalidTextRepresentation, "path"},
		{PathType, "(1,2,3,4", pgerr.InvalidTextRepresentation, "path"},
		{PathType, "(1,2),(3,4)]", pgerr.InvalidTextRepresentation, "path"},
		{PolygonType, "0.0", pgerr.InvalidTextRepresentation, "polygon"},
		{PolygonType, "(0,1,2)", pgerr.InvalidTextRepresentation, "polygon"},
		{PolygonType, "(0,1,2,3", pgerr.InvalidTextRepresentation, "polygon"},
		{LineType, "{0,0,1}", pgerr.InvalidTextRepresentation, "A and B cannot both be zero"},
		{LineType, "[(1,2),(1,2)]", pgerr.InvalidTextRepresentation, "must be two distinct points"},
		{LineType, "{0,0,1} x", pgerr.InvalidTextRepresentation, "line"},
		{CircleType, "<(-100,0),-100>", pgerr.InvalidTextRepresentation, "circle"},
		{CircleType, "<(100,200),10", pgerr.InvalidTextRepresentation, "circle"},
		{CircleType, "(3,(1,2),3)", pgerr.InvalidTextRepresentation, "circle"},
	}
	for _, c := range cases {
		_, err := ParseText(New(c.typ), c.in)
		e := pgerr.Find(err)
		if e == nil || e.Code != c.code || !contains(e.Message, c.wantSubstr) {
			t.Errorf("%s %q: got %v, want %s %q", New(c.typ).Name(), c.in, err, c.code, c.wantSubstr)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestGeometryRoundedOutput prints coordinates as float8 does under
// extra_float_digits of 0 and less.
func TestGeometryRoundedOutput(t *testing.T) {
	c := Circle{Center: Point{X: 1.0 / 3, Y: 2}, R: math.Pi}
	for _, tc := range []struct {
		st   Style
		want string
	}{
		{Style{}, "<(0.3333333333333333,2),3.141592653589793>"},
		{Style{RoundFloats: true}, "<(0.333333333333333,2),3.14159265358979>"},
		{Style{RoundFloats: true, ExtraFloatDigits: -3}, "<(0.333333333333,2),3.14159265359>"},
	} {
		if got := FormatTextStyle(New(CircleType), c, tc.st); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.st, got, tc.want)
		}
	}
}

// TestBoxArrayDelimiter writes and reads box arrays with box's ';'.
func TestBoxArrayDelimiter(t *testing.T) {
	d, err := ParseText(New(BoxArray), "{(1,1),(0,0);(3,4),(1,2)}")
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatText(New(BoxArray), d); got != "{(1,1),(0,0);(3,4),(1,2)}" {
		t.Errorf("box[] prints %s", got)
	}
	d, err = ParseText(New(PointArray), `{"(1,2)","(3,4)"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatText(New(PointArray), d); got != `{"(1,2)","(3,4)"}` {
		t.Errorf("point[] prints %s", got)
	}
}

// TestMoneyTextAndCasts reads money as cash_in does in the C locale and
// prints it as cash_out.
func TestMoneyTextAndCasts(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"123", "$123.00"},
		{"$123.45", "$123.45"},
		{"$123.451", "$123.45"},
		{"$123.455", "$123.46"},
		{"$1,000.00", "$1,000.00"},
		{"-1", "-$1.00"},
		{"(1)", "-$1.00"},
		{"($123,456.78)", "-$123,456.78"},
		{"-92233720368547758.08", "-$92,233,720,368,547,758.08"},
		{"92233720368547758.07", "$92,233,720,368,547,758.07"},
		{"0.05", "$0.05"},
		{" $ 12 ", "$12.00"},
	} {
		m, err := ParseMoney(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if m.String() != c.out {
			t.Errorf("%q prints %s, want %s", c.in, m, c.out)
		}
	}
	for _, c := range []struct{ in, code string }{
		{"1e300", pgerr.InvalidTextRepresentation},
		{"12x", pgerr.InvalidTextRepresentation},
		{"92233720368547758.08", pgerr.NumericValueOutOfRange},
		{"-92233720368547758.09", pgerr.NumericValueOutOfRange},
		{"123456789012345678", pgerr.NumericValueOutOfRange},
	} {
		_, err := ParseMoney(c.in)
		if e := pgerr.Find(err); e == nil || e.Code != c.code {
			t.Errorf("%q: %v, want %s", c.in, err, c.code)
		}
	}
	v, err := Cast(int64(-12345), New(Int4), New(MoneyType), false)
	if err != nil || v.(Money).String() != "-$12,345.00" {
		t.Errorf("int4 to money: %v %v", v, err)
	}
	n, err := Cast(Money(-1234), New(MoneyType), New(Numeric), true)
	if err != nil || FormatText(New(Numeric), n) != "-12.34" {
		t.Errorf("money to numeric: %v %v", n, err)
	}
}
