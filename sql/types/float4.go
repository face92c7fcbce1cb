package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// float4 (real). Its values are float64s holding a float32 exactly, so
// comparison, the key encoding and mixing with float8 need nothing of
// their own; arithmetic between two float4 values rounds to float32 and
// checks overflow and underflow (Float4Arith in sql/builtins).

// parseFloat4 is float4in: strtof's syntax, NaN and the infinities, and
// 22003 for a value outside float4's range, too large or so small that it
// rounds to zero (subnormals are accepted).
func parseFloat4(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	if strings.ContainsAny(trimmed, "xXpP_") {
		return nil, invalidInput(New(Float4), s)
	}
	f, err := strconv.ParseFloat(trimmed, 32)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, float4InputRange(s)
		}
		return nil, invalidInput(New(Float4), s)
	}
	if f == 0 && hasNonzeroMantissa(trimmed) {
		return nil, float4InputRange(s)
	}
	return f, nil
}

func float4InputRange(s string) error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type real", s)
}

// hasNonzeroMantissa reports whether a number's digits before its
// exponent are not all zero: a zero result then is an underflow.
func hasNonzeroMantissa(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'e' || c == 'E':
			return false
		case c >= '1' && c <= '9':
			return true
		}
	}
	return false
}

// formatFloat4 is float4out with extra_float_digits > 0: the shortest
// digits that read back to the same float32, in exponent form outside
// 1e-4 <= |f| < 1e6 (FLT_DIG).
func formatFloat4(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	e := strconv.FormatFloat(f, 'e', -1, 32)
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	if f == 0 || x >= -4 && x < 6 {
		return strconv.FormatFloat(f, 'f', -1, 32)
	}
	sign := exp[0]
	digits := strings.TrimLeft(exp[1:], "0")
	if len(digits) < 2 {
		digits = strings.Repeat("0", 2-len(digits)) + digits
	}
	return mant + "e" + string(sign) + digits
}

// ToFloat4 rounds a float8 to float4 as float8_to_float4 does: 22003 when
// a finite value overflows, or a nonzero one underflows to zero.
func ToFloat4(f float64) (Datum, error) {
	r := float32(f)
	if math.IsInf(float64(r), 0) && !math.IsInf(f, 0) {
		return nil, Float4Overflow()
	}
	if r == 0 && f != 0 {
		return nil, Float4Underflow()
	}
	return float64(r), nil
}

// Float4Overflow and Float4Underflow are float arithmetic's range errors.
func Float4Overflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
}

func Float4Underflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
}

// castToFloat4 converts text, the integers (rounding), float8 (checking
// the range) and numeric (through its text, as numeric_float4 does).
func castToFloat4(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case int64:
		return float64(float32(v)), nil
	case float64:
		return ToFloat4(v)
	case *apd.Decimal:
		return parseFloat4(FormatNumeric(v))
	}
	return nil, cannotCast(from, to)
}

// float4ToNumeric is float4_numeric: the value printed with FLT_DIG (6)
// significant digits.
func float4ToNumeric(v float64) (*apd.Decimal, error) {
	r := new(apd.Decimal)
	if _, _, err := r.SetString(strconv.FormatFloat(v, 'g', 6, 64)); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.InvalidTextRepresentation, "real to numeric")
	}
	return r, nil
}
