package sql

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// numericCtx computes exactly for +, - and * (the precision covers any
// result of numeric's range) and with guard digits for division.
var numericCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(2000)
	c.Rounding = apd.RoundHalfUp
	return c
}()

const (
	numericMinSigDigits = 16
	numericMaxScale     = 1000 // NUMERIC_MAX_DISPLAY_SCALE
	// numericMaxResultScale is NUMERIC_MAX_RESULT_SCALE, which bounds
	// exp(); a power whose natural log exceeds three times it overflows.
	numericMaxResultScale = 2000
	// numericMaxWeightDigits bounds the integer digits of a numeric
	// ((NUMERIC_WEIGHT_MAX + 1) * DEC_DIGITS); a power estimated to be
	// larger fails before it is computed.
	numericMaxWeightDigits = 131072
	// numericPowerGuardDigits are computed beyond a power's result scale
	// before it is rounded.
	numericPowerGuardDigits = 10
)

func intOutOfRange(t Type) error {
	name := "integer"
	switch t.ID {
	case TypeInt2:
		name = "smallint"
	case TypeInt8:
		name = "bigint"
	}
	return pgerr.New(pgerr.NumericValueOutOfRange, "%s out of range", name)
}

func checkInt(t Type, v int64) (Datum, error) {
	lo, hi := intRange(t.ID)
	if v < lo || v > hi {
		return nil, intOutOfRange(t)
	}
	return v, nil
}

func divByZero() error { return pgerr.New(pgerr.DivisionByZero, "division by zero") }

// intArith applies op to two integers of result type t, checking overflow.
func intArith(op string, t Type) func([]Datum) (Datum, error) {
	return func(a []Datum) (Datum, error) {
		x, y := a[0].(int64), a[1].(int64)
		switch op {
		case "+":
			r := x + y
			if (x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0) {
				return nil, intOutOfRange(t)
			}
			return checkInt(t, r)
		case "-":
			r := x - y
			if (x >= 0 && y < 0 && r < 0) || (x < 0 && y > 0 && r >= 0) {
				return nil, intOutOfRange(t)
			}
			return checkInt(t, r)
		case "*":
			if x == 0 || y == 0 {
				return int64(0), nil
			}
			r := x * y
			if r/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
				return nil, intOutOfRange(t)
			}
			return checkInt(t, r)
		case "/":
			if y == 0 {
				return nil, divByZero()
			}
			if y == -1 {
				if x == math.MinInt64 {
					return nil, intOutOfRange(t)
				}
				return checkInt(t, -x)
			}
			return x / y, nil
		case "%":
			if y == 0 {
				return nil, divByZero()
			}
			if y == -1 {
				return int64(0), nil
			}
			return x % y, nil
		}
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", t.Name(), op, t.Name())
	}
}

func floatArith(op string) func([]Datum) (Datum, error) {
	return func(a []Datum) (Datum, error) {
		x, y := toFloat(a[0]), toFloat(a[1])
		var r float64
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
		case "/":
			if y == 0 {
				return nil, divByZero()
			}
			r = x / y
		case "%":
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: double precision %% double precision")
		case "^":
			if err := checkPowerArgs(x == 0, x < 0, y < 0, y == math.Trunc(y)); err != nil {
				return nil, err
			}
			r = math.Pow(x, y)
		}
		if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
		}
		return r, nil
	}
}

func numericArith(op string) func([]Datum) (Datum, error) {
	return func(a []Datum) (Datum, error) {
		x, y := toDecimal(a[0]), toDecimal(a[1])
		r := new(apd.Decimal)
		var err error
		switch op {
		case "+":
			_, err = numericCtx.Add(r, x, y)
		case "-":
			_, err = numericCtx.Sub(r, x, y)
		case "*":
			_, err = numericCtx.Mul(r, x, y)
		case "/":
			return numericDiv(x, y)
		case "%":
			if y.IsZero() {
				return nil, divByZero()
			}
			_, err = numericCtx.Rem(r, x, y)
		case "^":
			return numericPower(x, y)
		}
		if err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric %s", op)
		}
		return r, nil
	}
}

// numericDiv divides with PostgreSQL's result scale: at least 16
// significant digits and no fewer fractional digits than either input.
func numericDiv(x, y *apd.Decimal) (Datum, error) {
	if y.IsZero() {
		return nil, divByZero()
	}
	scale := divScale(x, y)
	q := new(apd.Decimal)
	if _, err := numericCtx.Quo(q, x, y); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric division")
	}
	if _, err := numericCtx.Quantize(q, q, -scale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric division")
	}
	return q, nil
}

// invalidArgumentForPower is SQLSTATE 2201F.
const invalidArgumentForPower = "2201F"

// checkPowerArgs rejects the powers SQL leaves undefined.
func checkPowerArgs(baseZero, baseNegative, expNegative, expInteger bool) error {
	if baseZero && expNegative {
		return pgerr.New(invalidArgumentForPower, "zero raised to a negative power is undefined")
	}
	if baseNegative && !expInteger {
		return pgerr.New(invalidArgumentForPower, "a negative number raised to a non-integer power yields a complex result")
	}
	return nil
}

// numericPower computes x ^ y with PostgreSQL 15's result scale
// (numeric.c, power_var). For an exponent that is an integer in int32
// range the scale is max(16, scale of x); otherwise it is chosen so the
// result has at least 16 significant digits, and no fewer fractional
// digits than either input: 16 - floor(log10(result)), estimated from
// y * ln(x). Scales are capped at 1000. The value is computed with a few
// guard digits beyond that and rounded half away from zero.
func numericPower(x, y *apd.Decimal) (Datum, error) {
	if x.Form != apd.Finite || y.Form != apd.Finite {
		r := new(apd.Decimal)
		if _, err := numericCtx.Pow(r, x, y); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric ^")
		}
		return r, nil
	}
	var frac apd.Decimal
	y.Modf(nil, &frac)
	integral := frac.IsZero()
	if err := checkPowerArgs(x.IsZero(), x.Negative && !x.IsZero(), y.Negative && !y.IsZero(), integral); err != nil {
		return nil, err
	}
	// Estimates of the natural and decimal logarithms of the result.
	lnResult, exp10 := 0.0, 0.0
	if !x.IsZero() {
		var ln, abs apd.Decimal
		abs.Abs(x)
		if _, err := apd.BaseContext.WithPrecision(20).Ln(&ln, &abs); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric ^")
		}
		lnF, _ := ln.Float64()
		yF, _ := y.Float64()
		lnResult = lnF * yF
		exp10 = lnResult * 0.434294481903252
	}
	var rscale int32
	if n, err := y.Int64(); integral && err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
		if exp10 > numericMaxWeightDigits {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		rscale = max(numericMinSigDigits, dscale(x))
	} else {
		if x.IsZero() {
			return apd.New(0, -numericMinSigDigits), nil
		}
		if math.Abs(lnResult) > numericMaxResultScale*3.01 {
			if lnResult > 0 {
				return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
			}
			return apd.New(0, -numericMaxScale), nil
		}
		rscale = numericMinSigDigits - int32(exp10)
		rscale = max(rscale, dscale(x), dscale(y), 0)
	}
	rscale = min(rscale, numericMaxScale)
	r := new(apd.Decimal)
	if y.IsZero() {
		// 0 ^ 0 is 1, as SQL:2003 requires.
		if _, err := numericCtx.Quantize(r, apd.New(1, 0), -rscale); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric ^")
		}
		return r, nil
	}
	digits := max(int32(exp10), 0) + rscale + numericPowerGuardDigits
	c := apd.BaseContext.WithPrecision(uint32(digits))
	c.Rounding = apd.RoundHalfUp
	if _, err := c.Pow(r, x, y); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric ^")
	}
	c.Precision = uint32(digits) + numericMaxScale
	if _, err := c.Quantize(r, r, -rscale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric ^")
	}
	return r, nil
}

func dscale(d *apd.Decimal) int32 {
	if d.Exponent < 0 {
		return -d.Exponent
	}
	return 0
}

// base10000 returns the weight and leading digit of d in base 10000, the
// representation PostgreSQL's scale rules are written in.
func base10000(d *apd.Decimal) (weight int32, first int64) {
	if d.IsZero() {
		return 0, 0
	}
	// adjusted exponent: d = c.ccc * 10^adj
	adj := int32(d.NumDigits()) + d.Exponent - 1
	weight = adj / 4
	if adj < 0 && adj%4 != 0 {
		weight--
	}
	var abs, shifted apd.Decimal
	abs.Abs(d)
	shifted.Set(&abs)
	shifted.Exponent -= 4 * weight
	var ip apd.Decimal
	numericCtx.Floor(&ip, &shifted)
	first, _ = ip.Int64()
	return weight, first
}

func divScale(x, y *apd.Decimal) int32 {
	w1, f1 := base10000(x)
	w2, f2 := base10000(y)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	scale := numericMinSigDigits - qweight*4
	scale = max(scale, dscale(x), dscale(y), 0)
	return min(scale, numericMaxScale)
}

func toFloat(d Datum) float64 {
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

func toDecimal(d Datum) *apd.Decimal {
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

// castDatum converts a non-NULL value of type from to type to. explicit
// says whether it is a CAST (which may truncate varchar) or an assignment.
func castDatum(d Datum, from, to Type, explicit bool) (Datum, error) {
	if d == nil {
		return nil, nil
	}
	if from.ID == to.ID && (to.Mod < 0 || from.Mod == to.Mod) {
		return d, nil
	}
	switch to.ID {
	case TypeText, TypeUnknown:
		return castText(from, d), nil
	case TypeSysName:
		return parseSysName(castText(from, d)), nil
	case TypeChar:
		return parseChar(castText(from, d)), nil
	case TypeOID:
		switch v := d.(type) {
		case int64:
			return oidFromInt(v, "")
		case *RegValue:
			return v.OID, nil
		}
	case TypeRegclass, TypeRegtype, TypeRegnamespace, TypeRegrole:
		// Only an implicit conversion gets here (casts written in the
		// query are bound by bindCatalogCast, which reads the catalog):
		// a relation is then shown by its oid.
		var oid int64
		switch v := d.(type) {
		case int64:
			o, err := oidFromInt(v, "")
			if err != nil {
				return nil, err
			}
			oid = o.(int64)
		case *RegValue:
			oid = v.OID
		default:
			return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name())
		}
		return regValue(to.ID, oid, func(int64) (string, bool) { return "", false }), nil
	case TypeVarchar:
		return checkVarchar(to, castText(from, d), explicit)
	case TypeBpchar:
		if from.ID == TypeBpchar {
			// Between character types the padding is kept, then
			// adjusted to the new length.
			return checkBpchar(to, d.(string), explicit)
		}
		return checkBpchar(to, castText(from, d), explicit)
	}
	if a, ok := d.(*Array); ok && to.isArray() {
		return castArray(a, from, to, explicit)
	}
	if s, ok := d.(string); ok {
		v, err := ParseText(to, s)
		if err != nil {
			return nil, err
		}
		return castDatum(v, Type{ID: to.ID, Mod: -1}, to, explicit)
	}
	switch to.ID {
	case TypeInt2, TypeInt4, TypeInt8:
		switch v := d.(type) {
		case int64:
			if from.ID == TypeOID && to.ID == TypeInt4 && v > math.MaxInt32 {
				// oid to integer keeps the bits, as in PostgreSQL.
				v -= 1 << 32
			}
			return checkInt(to, v)
		case *RegValue:
			return checkInt(to, v.OID)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) || v >= 9.3e18 || v <= -9.3e18 {
				return nil, intOutOfRange(to)
			}
			return checkInt(to, int64(math.RoundToEven(v)))
		case *apd.Decimal:
			var r apd.Decimal
			if v.Form != apd.Finite {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot convert %s to %s", formatNumeric(v), to.Name())
			}
			if _, err := numericCtx.RoundToIntegralValue(&r, v); err != nil {
				return nil, intOutOfRange(to)
			}
			i, err := r.Int64()
			if err != nil {
				return nil, intOutOfRange(to)
			}
			return checkInt(to, i)
		case bool:
			if to.ID == TypeInt4 {
				if v {
					return int64(1), nil
				}
				return int64(0), nil
			}
		}
	case TypeFloat8:
		switch v := d.(type) {
		case int64, *apd.Decimal:
			return toFloat(v), nil
		}
	case TypeNumeric:
		switch v := d.(type) {
		case int64:
			return applyNumericMod(apd.New(v, 0), to)
		case float64:
			if math.IsNaN(v) {
				return &apd.Decimal{Form: apd.NaN}, nil
			}
			if math.IsInf(v, 0) {
				return &apd.Decimal{Form: apd.Infinite, Negative: v < 0}, nil
			}
			r := new(apd.Decimal)
			if _, _, err := r.SetString(formatFloat8(v)); err != nil {
				return nil, pgerr.Wrapf(err, pgerr.InvalidTextRepresentation, "float to numeric")
			}
			return applyNumericMod(r, to)
		case *apd.Decimal:
			return applyNumericMod(v, to)
		}
	case TypeBool:
		if v, ok := d.(int64); ok && from.ID == TypeInt4 {
			return v != 0, nil
		}
	case TypeDate:
		if v, ok := d.(time.Time); ok {
			return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	case TypeTimestamp, TypeTimestampTZ:
		if v, ok := d.(time.Time); ok {
			return v, nil
		}
	}
	return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name())
}

// castText is the text a cast to a string type produces. It is the type's
// output form except for bool, whose cast spells out true and false (the
// output form, used by || and concat, is t and f).
func castText(from Type, d Datum) string {
	if v, ok := d.(bool); ok {
		return strconv.FormatBool(v)
	}
	if from.ID == TypeBpchar {
		// character's trailing blanks are padding, not data.
		return strings.TrimRight(d.(string), " ")
	}
	return FormatText(from, d)
}

// applyNumericMod rounds to numeric(p,s)'s scale and checks its precision.
func applyNumericMod(d *apd.Decimal, t Type) (Datum, error) {
	if t.Mod < 4 || d.Form != apd.Finite {
		return d, nil
	}
	prec := (t.Mod - 4) >> 16
	scale := (t.Mod - 4) & 0xffff
	r := new(apd.Decimal)
	if _, err := numericCtx.Quantize(r, d, -scale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric")
	}
	intDigits := int32(r.NumDigits()) + r.Exponent
	if !r.IsZero() && intDigits > prec-scale {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision " + itoa(int(prec)) + ", scale " + itoa(int(scale)) + " must round to an absolute value less than " + pow10Text(int(prec-scale)) + ".")
	}
	return r, nil
}

func pow10Text(n int) string {
	if n <= 0 {
		return "1"
	}
	return "10^" + itoa(n)
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// canCast reports whether a cast from one type to another exists at all.
func canCast(from, to Type) bool {
	if from.ID == to.ID || from.ID == TypeUnknown || to.isString() || from.isString() {
		return true
	}
	if fe, ok := from.Elem(); ok {
		te, ok := to.Elem()
		return ok && canCast(fe, te)
	}
	if from.isOIDLike() && (to.isOIDLike() || to.isInteger()) || to.isOIDLike() && from.isInteger() {
		return true
	}
	switch {
	case from.isNumeric() && to.isNumeric():
		return true
	case from.ID == TypeInt4 && to.ID == TypeBool, from.ID == TypeBool && to.ID == TypeInt4:
		return true
	case from.isTime() && to.isTime():
		return !(from.ID == TypeDate && to.ID == TypeDate)
	}
	return false
}

func upperASCII(s string) string { return strings.ToUpper(s) }
