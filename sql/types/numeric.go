package types

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// The numeric types. int2, int4 and int8 values are Go int64s (checked
// against their type's range), float8 values float64s, float4 values
// float64s that a float32 holds exactly, and numeric values *apd.Decimal,
// with PostgreSQL's result-scale rules in arithmetic.
const (
	Int2    ID = 21
	Int4    ID = 23
	Int8    ID = 20
	Float4  ID = 700
	Float8  ID = 701
	Numeric ID = 1700

	Int2Array    ID = 1005
	Int4Array    ID = 1007
	Int8Array    ID = 1016
	Float4Array  ID = 1021
	Float8Array  ID = 1022
	NumericArray ID = 1231
)

func init() {
	parseInteger := func(t T, s string) (Datum, error) { return parseInt(t, s) }
	register(
		&Info{ID: Int2, Typname: "int2", SQLName: "smallint", Len: 2, Array: Int2Array, arrays: true, Category: 'N',
			implicit: []ID{Int4, Int8, Float4, Float8, Numeric, OID, Regclass, Regtype, Regnamespace, Regrole, Regproc, Regprocedure},
			aliases:  []string{"int2", "smallint"}, input: parseInteger, cast: castToInt},
		&Info{ID: Int4, Typname: "int4", SQLName: "integer", Len: 4, Array: Int4Array, arrays: true, Category: 'N',
			implicit: []ID{Int8, Float4, Float8, Numeric, OID, Regclass, Regtype, Regnamespace, Regrole, Regproc, Regprocedure},
			aliases:  []string{"int4", "int", "integer"}, input: parseInteger, cast: castToInt, assignment: []ID{MoneyType}},
		&Info{ID: Int8, Typname: "int8", SQLName: "bigint", Len: 8, Array: Int8Array, arrays: true, Category: 'N',
			implicit: []ID{Float4, Float8, Numeric, OID, Regclass, Regtype, Regnamespace, Regrole, Regproc, Regprocedure},
			aliases:  []string{"int8", "bigint"}, input: parseInteger, cast: castToInt, assignment: []ID{MoneyType}},
		&Info{ID: Float4, Typname: "float4", SQLName: "real", Len: 4, Array: Float4Array, arrays: true,
			Category: 'N', implicit: []ID{Float8},
			aliases: []string{"float4", "real"},
			input:   func(_ T, s string) (Datum, error) { return parseFloat4(s) }, cast: castToFloat4},
		&Info{ID: Float8, Typname: "float8", SQLName: "double precision", Len: 8, Array: Float8Array, arrays: true,
			Category: 'N', Preferred: true,
			aliases: []string{"float8", "double precision", "float"},
			input:   func(_ T, s string) (Datum, error) { return parseFloat8(s) }, cast: castToFloat8},
		&Info{ID: Numeric, Typname: "numeric", SQLName: "numeric", Len: -1, Array: NumericArray, arrays: true,
			Category: 'N', implicit: []ID{Float4, Float8}, assignment: []ID{MoneyType},
			aliases: []string{"numeric", "decimal"}, modifiers: numericModifiers,
			input: func(_ T, s string) (Datum, error) { return parseNumeric(s) }, cast: castToNumeric},
	)
}

// numericModifiers resolves numeric(p) and numeric(p, s): the modifier is
// (p<<16 | s) + 4, as PostgreSQL keeps it.
func numericModifiers(tn ast.TypeName) (T, error) {
	switch len(tn.Mods) {
	case 0:
		return New(Numeric), nil
	case 1, 2:
		p, s := tn.Mods[0], int32(0)
		if len(tn.Mods) == 2 {
			s = tn.Mods[1]
		}
		if p < 1 || p > 1000 {
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p).WithPosition(tn.Pos)
		}
		if s < -1000 || s > 1000 {
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "NUMERIC scale %d must be between -1000 and 1000", s).WithPosition(tn.Pos)
		}
		return T{ID: Numeric, Mod: (p<<16 | s&0x7ff) + 4}, nil
	}
	return T{}, badModifier(tn)
}

// NumericPrecScale decodes a numeric type modifier: PostgreSQL 15 keeps
// the scale, which may be negative, in its low 11 bits.
func NumericPrecScale(mod int32) (prec, scale int32) {
	m := mod - 4
	return m >> 16 & 0xffff, (m&0x7ff ^ 0x400) - 0x400
}

// formatFloatRounded is float8out and float4out with extra_float_digits
// of 0 or less: printf's %.*g with DBL_DIG (FLT_DIG for float4) plus
// extra digits, at least one.
func formatFloatRounded(f float64, float4 bool, extra int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	digits, bits := 15, 64
	if float4 {
		digits, bits = 6, 32
	}
	return strconv.FormatFloat(f, 'g', max(digits+extra, 1), bits)
}

func formatFloat8(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	// PostgreSQL 12+ prints the shortest exact representation, switching to
	// exponent form outside 1e-4 <= |f| < 1e15.
	abs := math.Abs(f)
	if f != 0 && (abs < 1e-4 || abs >= 1e15) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Go writes e+06 / e-05; PostgreSQL writes e+06 / e-05 too, but never
		// a single-digit exponent.
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// FormatNumeric is numeric_out.
func FormatNumeric(d *apd.Decimal) string {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return "NaN"
	case apd.Infinite:
		if d.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	if d.Negative && d.IsZero() {
		// numeric has no negative zero: -0.0 prints as 0.0.
		z := *d
		z.Negative = false
		return z.Text('f')
	}
	return d.Text('f')
}

func intRange(id ID) (int64, int64) {
	switch id {
	case Int2:
		return math.MinInt16, math.MaxInt16
	case Int4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func parseInt(t T, s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	n, err := strconv.ParseInt(trimmed, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.Name())
		}
		return nil, invalidInput(t, s)
	}
	lo, hi := intRange(t.ID)
	if n < lo || n > hi {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.Name())
	}
	return n, nil
}

func parseFloat8(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(trimmed, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type double precision", s)
		}
		return nil, invalidInput(New(Float8), s)
	}
	if strings.ContainsAny(trimmed, "xXpP_") {
		return nil, invalidInput(New(Float8), s)
	}
	if f == 0 && underflows(trimmed) {
		// strtod's ERANGE for a value too small even to be subnormal.
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type double precision", s)
	}
	return f, nil
}

// underflows reports whether a number that parsed as zero has a digit
// other than 0 before its exponent: a nonzero value too small for float8.
func underflows(s string) bool {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	return strings.ContainsAny(s, "123456789")
}

func parseNumeric(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "nan":
		return &apd.Decimal{Form: apd.NaN}, nil
	case "infinity", "+infinity", "inf", "+inf":
		return &apd.Decimal{Form: apd.Infinite}, nil
	case "-infinity", "-inf":
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	d, _, err := apd.NewFromString(trimmed)
	if err != nil || d.Form != apd.Finite {
		return nil, invalidInput(New(Numeric), s)
	}
	return d, nil
}

// numericParts converts a numeric to the wire layer's form: an integer
// mantissa and a base-10 exponent.
func numericParts(d *apd.Decimal) (*big.Int, int32) {
	b := new(big.Int).Set(d.Coeff.MathBigInt())
	if d.Negative {
		b.Neg(b)
	}
	return b, d.Exponent
}

// NumericParts exposes a numeric datum as mantissa and exponent, for binary
// encoding on the wire.
func NumericParts(d *apd.Decimal) (*big.Int, int32) { return numericParts(d) }

// NumericRank orders the numeric types for promotion.
func NumericRank(id ID) int {
	switch id {
	case Int2:
		return 1
	case Int4:
		return 2
	case Int8:
		return 3
	case Numeric:
		return 4
	case Float4:
		return 5
	case Float8:
		return 6
	}
	return 0
}

// numericCtx computes exactly for +, - and * (the precision covers any
// result of numeric's range) and with guard digits for division.
var numericCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(2000)
	c.Rounding = apd.RoundHalfUp
	return c
}()

// NumericContext is the context numeric arithmetic computes in: exact for
// +, - and * over numeric's whole range, with guard digits for division.
// It is shared: callers must not change it.
func NumericContext() *apd.Context { return numericCtx }

// IntOutOfRange is the error for an integer result outside t's range.
func IntOutOfRange(t T) error {
	name := "integer"
	switch t.ID {
	case Int2:
		name = "smallint"
	case Int8:
		name = "bigint"
	}
	return pgerr.New(pgerr.NumericValueOutOfRange, "%s out of range", name)
}

// CheckInt returns v if it is in the range of integer type t.
func CheckInt(t T, v int64) (Datum, error) {
	lo, hi := intRange(t.ID)
	if v < lo || v > hi {
		return nil, IntOutOfRange(t)
	}
	return v, nil
}

// ToFloat converts a numeric value of any of the numeric types to float64.
func ToFloat(d Datum) float64 {
	switch v := d.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	case *apd.Decimal:
		f, _ := v.Float64()
		return f
	}
	return math.NaN()
}

// ToDecimal converts an integer, float8 or numeric value to a decimal.
func ToDecimal(d Datum) *apd.Decimal {
	switch v := d.(type) {
	case int64:
		return apd.New(v, 0)
	case *apd.Decimal:
		return v
	case float64:
		r := new(apd.Decimal)
		r.SetFloat64(v)
		return r
	}
	return &apd.Decimal{Form: apd.NaN}
}

// applyNumericMod rounds to numeric(p,s)'s scale and checks its precision.
func applyNumericMod(d *apd.Decimal, t T) (Datum, error) {
	if t.Mod < 4 || d.Form == apd.NaN {
		return d, nil
	}
	prec, scale := NumericPrecScale(t.Mod)
	if d.Form == apd.Infinite {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision " + strconv.Itoa(int(prec)) + ", scale " + strconv.Itoa(int(scale)) + " cannot hold an infinite value.")
	}
	r := new(apd.Decimal)
	if _, err := numericCtx.Quantize(r, d, -scale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric")
	}
	if scale < 0 {
		// Rounded to tens, thousands ...; shown with no fractional
		// digits.
		if _, err := numericCtx.Quantize(r, r, 0); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric")
		}
	}
	intDigits := int32(r.NumDigits()) + r.Exponent
	if !r.IsZero() && intDigits > prec-scale {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision " + strconv.Itoa(int(prec)) + ", scale " + strconv.Itoa(int(scale)) + " must round to an absolute value less than " + pow10Text(int(prec-scale)) + ".")
	}
	return r, nil
}

func pow10Text(n int) string {
	if n <= 0 {
		return "1"
	}
	return "10^" + strconv.Itoa(n)
}

// cmpFloat orders NaN above every other value, as PostgreSQL does.
func cmpFloat(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpDecimal(a, b *apd.Decimal) int {
	an, bn := a.Form == apd.NaN, b.Form == apd.NaN
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return a.Cmp(b)
}

// castToInt converts to int2, int4 and int8: from text, the other numeric
// types (rounding to even), oid and reg values (their oid) and, for int4,
// boolean.
func castToInt(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case int64:
		if from.ID == OID && to.ID == Int4 && v > math.MaxInt32 {
			// oid to integer keeps the bits, as in PostgreSQL.
			v -= 1 << 32
		}
		return CheckInt(to, v)
	case *RegValue:
		return CheckInt(to, v.OID)
	case float64:
		r := math.RoundToEven(v)
		// -2^63 is the one power of two in range; 2^63 is not.
		if math.IsNaN(r) || r >= 0x1p63 || r < -0x1p63 {
			return nil, IntOutOfRange(to)
		}
		return CheckInt(to, int64(r))
	case *apd.Decimal:
		var r apd.Decimal
		if v.Form != apd.Finite {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot convert %s to %s", FormatNumeric(v), to.Name())
		}
		if _, err := numericCtx.RoundToIntegralValue(&r, v); err != nil {
			return nil, IntOutOfRange(to)
		}
		i, err := r.Int64()
		if err != nil {
			return nil, IntOutOfRange(to)
		}
		return CheckInt(to, i)
	case bool:
		if to.ID == Int4 {
			if v {
				return int64(1), nil
			}
			return int64(0), nil
		}
	}
	return nil, cannotCast(from, to)
}

// castToFloat8 converts text, the integers, float4 and numeric to float8.
func castToFloat8(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case int64, *apd.Decimal, float64:
		return ToFloat(v), nil
	}
	return nil, cannotCast(from, to)
}

// castToNumeric converts text, the integers and float8 to numeric, and
// applies numeric(p,s)'s modifier.
func castToNumeric(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case int64:
		return applyNumericMod(apd.New(v, 0), to)
	case float64:
		if math.IsNaN(v) {
			return &apd.Decimal{Form: apd.NaN}, nil
		}
		if math.IsInf(v, 0) {
			return &apd.Decimal{Form: apd.Infinite, Negative: v < 0}, nil
		}
		if from.ID == Float4 {
			r, err := float4ToNumeric(v)
			if err != nil {
				return nil, err
			}
			return applyNumericMod(r, to)
		}
		r := new(apd.Decimal)
		if _, _, err := r.SetString(formatFloat8(v)); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.InvalidTextRepresentation, "float to numeric")
		}
		return applyNumericMod(r, to)
	case *apd.Decimal:
		return applyNumericMod(v, to)
	case Money:
		return applyNumericMod(v.Numeric(), to)
	}
	return nil, cannotCast(from, to)
}

// NumberLiteral is the type and value PostgreSQL gives a numeric constant
// written in a statement: int4 when it fits, else int8, else numeric.
func NumberLiteral(text string) (T, Datum, error) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		if n >= math.MinInt32 && n <= math.MaxInt32 {
			return New(Int4), n, nil
		}
		return New(Int8), n, nil
	}
	d, _, err := apd.NewFromString(text)
	if err != nil {
		return T{}, nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type numeric: \"%s\"", text)
	}
	return New(Numeric), d, nil
}
