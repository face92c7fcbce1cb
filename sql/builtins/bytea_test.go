package builtins

import (
	"math"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestByteaFunctions checks encode, decode, get_byte and set_byte against
// PostgreSQL 15's answers.
func TestByteaFunctions(t *testing.T) {
	long := string(make([]byte, 60))
	for _, tc := range []struct {
		fn   func([]types.Datum) (types.Datum, error)
		args []types.Datum
		want types.Datum
		code string
	}{
		{fn: encode, args: []types.Datum{"\x00\xffA\\", "hex"}, want: "00ff415c"},
		{fn: encode, args: []types.Datum{"\x00\xffA\\\n", "escape"}, want: "\\000\\377A\\\\\n"},
		{fn: encode, args: []types.Datum{"\n\xff", "BASE64"}, want: "Cv8="},
		{fn: encode, args: []types.Datum{long, "base64"}, want: strings.Repeat("A", 76) + "\nAAAA"},
		{fn: encode, args: []types.Datum{"x", "nope"}, code: pgerr.InvalidParameterValue},
		{fn: decode, args: []types.Datum{"0a FF", "hex"}, want: "\n\xff"},
		{fn: decode, args: []types.Datum{"C v 8 =", "base64"}, want: "\n\xff"},
		{fn: decode, args: []types.Datum{`a\000\\b`, "escape"}, want: "a\x00\\b"},
		{fn: decode, args: []types.Datum{"0af", "hex"}, code: pgerr.InvalidParameterValue},
		{fn: decode, args: []types.Datum{"Cv8", "base64"}, code: pgerr.InvalidParameterValue},
		{fn: decode, args: []types.Datum{"C!8=", "base64"}, code: pgerr.InvalidParameterValue},
		{fn: decode, args: []types.Datum{`\x41`, "escape"}, code: pgerr.InvalidTextRepresentation},
		{fn: getByte, args: []types.Datum{"\x01\x02\xff", int64(2)}, want: int64(255)},
		{fn: getByte, args: []types.Datum{"\x01\x02", int64(2)}, code: arraySubscriptError},
		{fn: setByte, args: []types.Datum{"\x01\x02", int64(0), int64(65)}, want: "A\x02"},
		{fn: setByte, args: []types.Datum{"\x01\x02", int64(-1), int64(0)}, code: arraySubscriptError},
		{fn: digestFn, args: []types.Datum{"abc", "SHA1"}, want: "\xa9\x99\x3e\x36\x47\x06\x81\x6a\xba\x3e\x25\x71\x78\x50\xc2\x6c\x9c\xd0\xd8\x9d"},
		{fn: digestFn, args: []types.Datum{"abc", "nope"}, code: pgerr.InvalidParameterValue},
		{fn: randomBytes, args: []types.Datum{int64(1025)}, code: externalRoutineInvocation},
	} {
		got, err := tc.fn(tc.args)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%q: %v, want %s", tc.args, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q %v, want %q", tc.args, got, err, tc.want)
		}
	}
	u, err := RandomUUID()
	if err != nil {
		t.Fatal(err)
	}
	if s := types.FormatText(types.New(types.UUID), u); s[14] != '4' || s[19] < '8' || s[19] > 'b' {
		t.Errorf("random uuid %s is not version 4, variant 1", s)
	}
}

// TestFloat4Arith computes in float4 with float4pl's, float4mul's and
// float4div's range checks.
func TestFloat4Arith(t *testing.T) {
	f := func(x float32) types.Datum { return float64(x) }
	for _, tc := range []struct {
		op   string
		x, y float32
		want float32
		code string
	}{
		{op: "+", x: 0.1, y: 0.2, want: 0.1 + float32(0.2)},
		{op: "*", x: 1.1, y: 3, want: 3.3000002},
		{op: "/", x: 1, y: 3, want: float32(1) / 3},
		{op: "-", x: 1.5, y: 1.5, want: 0},
		{op: "*", x: 3e38, y: 10, code: pgerr.NumericValueOutOfRange},
		{op: "+", x: 3e38, y: 3e38, code: pgerr.NumericValueOutOfRange},
		{op: "*", x: 1e-30, y: 1e-30, code: pgerr.NumericValueOutOfRange},
		{op: "/", x: 1e-30, y: 1e30, code: pgerr.NumericValueOutOfRange},
		{op: "/", x: 1, y: 0, code: pgerr.DivisionByZero},
		{op: "+", x: float32(math.Inf(1)), y: 100, want: float32(math.Inf(1))},
		{op: "*", x: 0, y: 1e-30, want: 0},
	} {
		got, err := Float4Arith(tc.op)([]types.Datum{f(tc.x), f(tc.y)})
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%v %s %v: %v, want %s", tc.x, tc.op, tc.y, err, tc.code)
			}
			continue
		}
		if err != nil || got != f(tc.want) {
			t.Errorf("%v %s %v = %v %v, want %v", tc.x, tc.op, tc.y, got, err, tc.want)
		}
	}
}
