package types

import (
	"math"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestFloat4Text reads and prints real values as PostgreSQL 15's float4in
// and float4out (shortest exact digits) do.
func TestFloat4Text(t *testing.T) {
	for _, tc := range []struct{ in, out, code string }{
		{in: "1.1", out: "1.1"},
		{in: "  1004.30  ", out: "1004.3"},
		{in: "1234567", out: "1.234567e+06"},
		{in: "123456", out: "123456"},
		{in: "999999", out: "999999"},
		{in: "0.0001", out: "0.0001"},
		{in: "0.00001234", out: "1.234e-05"},
		{in: "1e-40", out: "1e-40"},
		{in: "-0", out: "-0"},
		{in: "3.4e38", out: "3.4e+38"},
		{in: "12345678", out: "1.2345678e+07"},
		{in: "1.2345678901234e+20", out: "1.2345679e+20"},
		{in: "1.2345678901234e-20", out: "1.2345679e-20"},
		{in: " -INFINITY ", out: "-Infinity"},
		{in: "nan", out: "NaN"},
		{in: "1e39", code: pgerr.NumericValueOutOfRange},
		{in: "10e-70", code: pgerr.NumericValueOutOfRange},
		{in: "-10e400", code: pgerr.NumericValueOutOfRange},
		{in: "", code: pgerr.InvalidTextRepresentation},
		{in: "5.0.0", code: pgerr.InvalidTextRepresentation},
		{in: "0x10", code: pgerr.InvalidTextRepresentation},
		{in: "N A N", code: pgerr.InvalidTextRepresentation},
	} {
		d, err := ParseText(New(Float4), tc.in)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%q: %v, want %s", tc.in, err, tc.code)
			}
			continue
		}
		if err != nil || FormatText(New(Float4), d) != tc.out {
			t.Errorf("%q: %v %v, want %s", tc.in, d, err, tc.out)
		}
	}
}

// TestFloat4Casts converts to and from real as pg_cast's functions do.
func TestFloat4Casts(t *testing.T) {
	f4, f8 := New(Float4), New(Float8)
	one1 := float64(float32(1.1))
	for _, tc := range []struct {
		d        Datum
		from, to T
		out      string // the result's text form
		code     string
	}{
		{d: one1, from: f4, to: f8, out: "1.100000023841858"},
		{d: one1, from: f4, to: New(Numeric), out: "1.1"},
		{d: 1e20 * 1.0, from: f8, to: f4, out: "1e+20"},
		{d: 1e300, from: f8, to: f4, code: pgerr.NumericValueOutOfRange},
		{d: 1e-300, from: f8, to: f4, code: pgerr.NumericValueOutOfRange},
		{d: math.Inf(-1), from: f8, to: f4, out: "-Infinity"},
		{d: int64(16777217), from: New(Int4), to: f4, out: "1.6777216e+07"},
		{d: float64(float32(32767.6)), from: f4, to: New(Int2), code: pgerr.NumericValueOutOfRange},
		{d: float64(float32(2147483647)), from: f4, to: New(Int4), code: pgerr.NumericValueOutOfRange},
		{d: float64(float32(9223372036854775807)), from: f4, to: New(Int8), code: pgerr.NumericValueOutOfRange},
		{d: math.NaN(), from: f4, to: New(Int4), code: pgerr.NumericValueOutOfRange},
		{d: "1.5", from: New(Text), to: f4, out: "1.5"},
	} {
		v, err := Cast(tc.d, tc.from, tc.to, true)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%v %s to %s: %v, want %s", tc.d, tc.from.Name(), tc.to.Name(), err, tc.code)
			}
			continue
		}
		if err != nil || FormatText(tc.to, v) != tc.out {
			t.Errorf("%v %s to %s: %v %v, want %s", tc.d, tc.from.Name(), tc.to.Name(), v, err, tc.out)
		}
	}
	if _, err := Cast(ToDecimal(1e39), New(Numeric), f4, true); pgerr.Code(err) != pgerr.NumericValueOutOfRange {
		t.Errorf("1e39::numeric::real: %v", err)
	}
}
