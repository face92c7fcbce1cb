package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The arithmetic operators +, -, *, /, % and ^ on the numeric types, which
// the binder uses for operators and mod uses as a function.

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

func divByZero() error { return pgerr.New(pgerr.DivisionByZero, "division by zero") }

// IntArith applies op to two integers of result type t, checking overflow.
func IntArith(op string, t types.T) func([]types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (types.Datum, error) {
		x, y := a[0].(int64), a[1].(int64)
		switch op {
		case "+":
			r := x + y
			if (x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0) {
				return nil, types.IntOutOfRange(t)
			}
			return types.CheckInt(t, r)
		case "-":
			r := x - y
			if (x >= 0 && y < 0 && r < 0) || (x < 0 && y > 0 && r >= 0) {
				return nil, types.IntOutOfRange(t)
			}
			return types.CheckInt(t, r)
		case "*":
			if x == 0 || y == 0 {
				return int64(0), nil
			}
			r := x * y
			if r/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
				return nil, types.IntOutOfRange(t)
			}
			return types.CheckInt(t, r)
		case "/":
			if y == 0 {
				return nil, divByZero()
			}
			if y == -1 {
				if x == math.MinInt64 {
					return nil, types.IntOutOfRange(t)
				}
				return types.CheckInt(t, -x)
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

// FloatArith applies op to two float8 values (the integers and numeric
// converted), failing on overflow as PostgreSQL does.
func FloatArith(op string) func([]types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (types.Datum, error) {
		x, y := types.ToFloat(a[0]), types.ToFloat(a[1])
		var r float64
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
		case "/":
			if y == 0 && !math.IsNaN(x) {
				return nil, divByZero()
			}
			r = x / y
		case "%":
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: double precision %% double precision")
		case "^":
			return float8Power(x, y)
		}
		if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
		}
		return r, nil
	}
}

// Float4Arith applies op to two float4 values in float4 arithmetic, with
// float4pl's, float4mul's and float4div's overflow and underflow checks.
func Float4Arith(op string) func([]types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (types.Datum, error) {
		x, y := float32(a[0].(float64)), float32(a[1].(float64))
		var r float32
		zeroOK := true
		switch op {
		case "+":
			r = x + y
		case "-":
			r = x - y
		case "*":
			r = x * y
			zeroOK = x == 0 || y == 0
		case "/":
			if y == 0 && !math.IsNaN(float64(x)) {
				return nil, divByZero()
			}
			r = x / y
			zeroOK = x == 0 || math.IsInf(float64(y), 0)
		default:
			return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: real %s real", op)
		}
		inf := func(f float32) bool { return math.IsInf(float64(f), 0) }
		if inf(r) && !inf(x) && !inf(y) {
			return nil, types.Float4Overflow()
		}
		if r == 0 && !zeroOK {
			return nil, types.Float4Underflow()
		}
		return float64(r), nil
	}
}

// NumericArith applies op to two numeric values (the integers
// converted), with PostgreSQL's result scales.
func NumericArith(op string) func([]types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (types.Datum, error) {
		x, y := types.ToDecimal(a[0]), types.ToDecimal(a[1])
		if x.Form != apd.Finite || y.Form != apd.Finite {
			return numericSpecialArith(op, x, y)
		}
		r := new(apd.Decimal)
		var err error
		switch op {
		case "+":
			_, err = types.NumericContext().Add(r, x, y)
		case "-":
			_, err = types.NumericContext().Sub(r, x, y)
		case "*":
			_, err = types.NumericContext().Mul(r, x, y)
		case "/":
			return NumericDiv(x, y)
		case "%":
			if y.IsZero() {
				return nil, divByZero()
			}
			_, err = types.NumericContext().Rem(r, x, y)
		case "^":
			return numericPower(x, y)
		}
		if err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric %s", op)
		}
		return r, nil
	}
}

// NumericDiv divides with PostgreSQL's result scale: at least 16
// significant digits and no fewer fractional digits than either input.
func NumericDiv(x, y *apd.Decimal) (types.Datum, error) {
	if y.IsZero() {
		return nil, divByZero()
	}
	scale := divScale(x, y)
	q := new(apd.Decimal)
	if _, err := types.NumericContext().Quo(q, x, y); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric division")
	}
	if _, err := types.NumericContext().Quantize(q, q, -scale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric division")
	}
	return q, nil
}

// invalidArgumentForPower is SQLSTATE 2201F.
const invalidArgumentForPower = "2201F"

// CheckPowerArgs rejects the powers SQL leaves undefined.
func CheckPowerArgs(baseZero, baseNegative, expNegative, expInteger bool) error {
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
func numericPower(x, y *apd.Decimal) (types.Datum, error) {
	if x.Form != apd.Finite || y.Form != apd.Finite {
		return numericSpecialArith("^", x, y)
	}
	var frac apd.Decimal
	y.Modf(nil, &frac)
	integral := frac.IsZero()
	if err := CheckPowerArgs(x.IsZero(), x.Negative && !x.IsZero(), y.Negative && !y.IsZero(), integral); err != nil {
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
		if exp10+1 < -float64(rscale) {
			// The result rounds to zero at its scale.
			return apd.New(0, -rscale), nil
		}
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
		if _, err := types.NumericContext().Quantize(r, apd.New(1, 0), -rscale); err != nil {
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
	types.NumericContext().Floor(&ip, &shifted)
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

// float8Power is dpow: NaN ^ 0 and 1 ^ NaN are 1, the powers SQL leaves
// undefined are 2201F (-Inf to a non-integer included), and a finite
// result too large is 22003.
func float8Power(x, y float64) (types.Datum, error) {
	switch {
	case math.IsNaN(x):
		if math.IsNaN(y) || y != 0 {
			return math.NaN(), nil
		}
		return 1.0, nil
	case math.IsNaN(y):
		if x != 1 {
			return math.NaN(), nil
		}
		return 1.0, nil
	}
	if err := CheckPowerArgs(x == 0, x < 0, y < 0, y == math.Floor(y)); err != nil {
		return nil, err
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
	}
	if r == 0 && x != 0 && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
	}
	return r, nil
}

// numericSpecialArith is op on numerics of which one at least is NaN or
// infinite, with numeric.c's rules.
func numericSpecialArith(op string, x, y *apd.Decimal) (types.Datum, error) {
	isNaN := func(d *apd.Decimal) bool { return d.Form == apd.NaN }
	isInf := func(d *apd.Decimal) bool { return d.Form == apd.Infinite }
	inf := func(neg bool) *apd.Decimal { return &apd.Decimal{Form: apd.Infinite, Negative: neg} }
	sign := func(d *apd.Decimal) int {
		switch {
		case isInf(d) && d.Negative:
			return -1
		case isInf(d):
			return 1
		}
		return d.Sign()
	}
	if op == "^" {
		return numericSpecialPower(x, y, sign)
	}
	if isNaN(x) || isNaN(y) {
		return nan(), nil
	}
	switch op {
	case "+":
		if isInf(x) && isInf(y) && x.Negative != y.Negative {
			return nan(), nil
		}
		if isInf(x) {
			return x, nil
		}
		return y, nil
	case "-":
		if isInf(x) && isInf(y) && x.Negative == y.Negative {
			return nan(), nil
		}
		if isInf(x) {
			return x, nil
		}
		return inf(!y.Negative), nil
	case "*":
		if sign(x) == 0 || sign(y) == 0 {
			return nan(), nil
		}
		return inf(sign(x) != sign(y)), nil
	case "/":
		if sign(y) == 0 {
			return nil, divByZero()
		}
		if isInf(x) && isInf(y) {
			return nan(), nil
		}
		if isInf(x) {
			return inf(sign(x) != sign(y)), nil
		}
		return apd.New(0, 0), nil
	case "%":
		if sign(y) == 0 {
			return nil, divByZero()
		}
		if isInf(x) {
			return nan(), nil
		}
		return x, nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: numeric %s numeric", op)
}

// numericSpecialPower is numeric_power when an argument is NaN or
// infinite.
func numericSpecialPower(x, y *apd.Decimal, sign func(*apd.Decimal) int) (types.Datum, error) {
	one := apd.New(1, 0)
	switch {
	case x.Form == apd.NaN:
		if y.Form == apd.Finite && y.IsZero() {
			return one, nil
		}
		return nan(), nil
	case y.Form == apd.NaN:
		if x.Form == apd.Finite && x.Cmp(one) == 0 {
			return one, nil
		}
		return nan(), nil
	}
	integral := true
	if y.Form == apd.Finite {
		var frac apd.Decimal
		y.Modf(nil, &frac)
		integral = frac.IsZero()
	}
	s1, s2 := sign(x), sign(y)
	if err := CheckPowerArgs(s1 == 0, s1 < 0, s2 < 0, integral); err != nil {
		return nil, err
	}
	pinf := &apd.Decimal{Form: apd.Infinite}
	if y.Form == apd.Infinite {
		absGtOne := true
		if x.Form == apd.Finite {
			if x.Cmp(apd.New(-1, 0)) == 0 || x.Cmp(one) == 0 {
				return one, nil
			}
			var abs apd.Decimal
			abs.Abs(x)
			absGtOne = abs.Cmp(one) > 0
		}
		if absGtOne == (s2 > 0) {
			return pinf, nil
		}
		return apd.New(0, 0), nil
	}
	// x is infinite, y finite.
	switch {
	case s2 == 0:
		return one, nil
	case s1 > 0 && s2 < 0, s1 < 0 && s2 < 0:
		return apd.New(0, 0), nil
	case s1 > 0:
		return pinf, nil
	}
	var half, frac apd.Decimal
	types.NumericContext().Quo(&half, y, apd.New(2, 0))
	half.Modf(nil, &frac)
	return &apd.Decimal{Form: apd.Infinite, Negative: !frac.IsZero()}, nil
}
