package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The functions of numeric.c and int.c beyond arithmetic: scale,
// min_scale, trim_scale, div, the numeric forms of sqrt, exp, ln and log
// with PostgreSQL's result scales, factorial, gcd, lcm and width_bucket.

func init() {
	const (
		i4, i8, f8, num = types.Int4, types.Int8, types.Float8, types.Numeric
	)
	register("scale", &Overload{Args: []types.ID{num}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
		d := a[0].(*apd.Decimal)
		if d.Form != apd.Finite {
			return nil, nil
		}
		return int64(dscale(d)), nil
	}})
	register("min_scale", &Overload{Args: []types.ID{num}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
		d := a[0].(*apd.Decimal)
		if d.Form != apd.Finite {
			return nil, nil
		}
		return int64(dscale(trimScale(d))), nil
	}})
	register("trim_scale", &Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		d := a[0].(*apd.Decimal)
		if d.Form != apd.Finite {
			return d, nil
		}
		return trimScale(d), nil
	}})
	register("div", &Overload{Args: []types.ID{num, num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericDivTrunc(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
	}})
	register("sqrt", &Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericSqrt(a[0].(*apd.Decimal))
	}})
	register("exp", &Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericExp(a[0].(*apd.Decimal))
	}})
	register("ln", &Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericLn(a[0].(*apd.Decimal))
	}})
	log10 := func(a []types.Datum) (types.Datum, error) {
		return numericLog(apd.New(10, 0), a[0].(*apd.Decimal))
	}
	float8Log10 := func(a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		switch {
		case v == 0:
			return nil, pgerr.New(pgerr.InvalidArgumentForLogarithm, "cannot take logarithm of zero")
		case v < 0:
			return nil, pgerr.New(pgerr.InvalidArgumentForLogarithm, "cannot take logarithm of a negative number")
		}
		return math.Log10(v), nil
	}
	for _, name := range []string{"log", "log10"} {
		register(name,
			&Overload{Args: []types.ID{f8}, Result: f8, Fn: float8Log10},
			&Overload{Args: []types.ID{num}, Result: num, Fn: log10})
	}
	register("log", &Overload{Args: []types.ID{num, num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericLog(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
	}})
	register("numeric_inc", &Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		d := a[0].(*apd.Decimal)
		if d.Form != apd.Finite {
			return d, nil
		}
		r := new(apd.Decimal)
		if _, err := types.NumericContext().Add(r, d, apd.New(1, 0)); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric_inc")
		}
		return r, nil
	}})
	register("factorial", &Overload{Args: []types.ID{i8}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		n := a[0].(int64)
		switch {
		case n < 0:
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "factorial of a negative number is undefined")
		case n > 32177:
			return nil, overflowsNumeric()
		}
		r := apd.New(1, 0)
		for i := int64(2); i <= n; i++ {
			if _, err := types.NumericContext().Mul(r, r, apd.New(i, 0)); err != nil {
				return nil, overflowsNumeric()
			}
		}
		return r, nil
	}})
	for _, id := range []types.ID{i4, i8} {
		t := types.New(id)
		register("gcd", &Overload{Args: []types.ID{id, id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
			return intGCD(a[0].(int64), a[1].(int64), t)
		}})
		register("lcm", &Overload{Args: []types.ID{id, id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
			return intLCM(a[0].(int64), a[1].(int64), t)
		}})
	}
	register("gcd", &Overload{Args: []types.ID{num, num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericGCD(a[0].(*apd.Decimal), a[1].(*apd.Decimal), false)
	}})
	register("lcm", &Overload{Args: []types.ID{num, num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
		return numericGCD(a[0].(*apd.Decimal), a[1].(*apd.Decimal), true)
	}})
	register("width_bucket",
		&Overload{Args: []types.ID{f8, f8, f8, i4}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
			return widthBucketFloat(a[0].(float64), a[1].(float64), a[2].(float64), a[3].(int64))
		}},
		&Overload{Args: []types.ID{num, num, num, i4}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
			return widthBucketNumeric(a[0].(*apd.Decimal), a[1].(*apd.Decimal), a[2].(*apd.Decimal), a[3].(int64))
		}})
}

func overflowsNumeric() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value overflows numeric format")
}

func nan() *apd.Decimal { return &apd.Decimal{Form: apd.NaN} }

// trimScale drops the trailing zeros of d's fractional digits.
func trimScale(d *apd.Decimal) *apd.Decimal {
	r := new(apd.Decimal).Set(d)
	if r.IsZero() {
		r.Exponent = 0
		return r
	}
	ten := apd.NewBigInt(10)
	var q, m apd.BigInt
	for r.Exponent < 0 {
		q.QuoRem(&r.Coeff, ten, &m)
		if m.Sign() != 0 {
			break
		}
		r.Coeff.Set(&q)
		r.Exponent++
	}
	return r
}

// numericDivTrunc is div(x, y): x / y truncated to an integer.
func numericDivTrunc(x, y *apd.Decimal) (types.Datum, error) {
	switch {
	case x.Form == apd.NaN || y.Form == apd.NaN:
		return nan(), nil
	case y.IsZero():
		return nil, divByZero()
	case x.Form == apd.Infinite && y.Form == apd.Infinite:
		return nan(), nil
	case x.Form == apd.Infinite:
		return &apd.Decimal{Form: apd.Infinite, Negative: x.Negative != y.Negative}, nil
	case y.Form == apd.Infinite:
		return apd.New(0, 0), nil
	}
	r := new(apd.Decimal)
	if _, err := types.NumericContext().QuoInteger(r, x, y); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric div")
	}
	r.Exponent = min(r.Exponent, 0)
	if r.Exponent < 0 {
		return trimScale(r), nil
	}
	return r, nil
}

// roundTo rounds r half away from zero to scale fractional digits.
func roundTo(r *apd.Decimal, scale int32) (*apd.Decimal, error) {
	c := apd.BaseContext.WithPrecision(uint32(max(int32(r.NumDigits())+r.Exponent, 0) + scale + 2))
	c.Rounding = apd.RoundHalfUp
	if _, err := c.Quantize(r, r, -scale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric rounding")
	}
	return r, nil
}

// guardContext computes digits significant digits and more, truncating:
// the result is then rounded once, half away from zero, to its scale,
// and a value just below a half way point must not round up twice.
func guardContext(digits int32) *apd.Context {
	c := apd.BaseContext.WithPrecision(uint32(digits + 2*numericPowerGuardDigits))
	c.Rounding = apd.RoundDown
	return c
}

// clampScale bounds a result scale as PostgreSQL's functions do.
func clampScale(rscale int32, inputs ...*apd.Decimal) int32 {
	for _, d := range inputs {
		rscale = max(rscale, dscale(d))
	}
	return min(max(rscale, 0), numericMaxScale)
}

// numericSqrt is sqrt(numeric), with sqrt_var's result scale.
func numericSqrt(x *apd.Decimal) (types.Datum, error) {
	switch {
	case x.Form == apd.NaN:
		return nan(), nil
	case x.Negative && !x.IsZero():
		return nil, pgerr.New(invalidArgumentForPower, "cannot take square root of a negative number")
	case x.Form == apd.Infinite:
		return x, nil
	}
	weight, _ := base10000(x)
	sweight := (weight+1)*4/2 - 1
	rscale := clampScale(numericMinSigDigits-sweight, x)
	digits := max(sweight+1, 1) + rscale + numericPowerGuardDigits
	r := new(apd.Decimal)
	if _, err := guardContext(digits).Sqrt(r, x); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric sqrt")
	}
	return roundTo(r, rscale)
}

// numericExp is exp(numeric), with numeric_exp's result scale.
func numericExp(x *apd.Decimal) (types.Datum, error) {
	switch {
	case x.Form == apd.NaN:
		return nan(), nil
	case x.Form == apd.Infinite && x.Negative:
		return apd.New(0, 0), nil
	case x.Form == apd.Infinite:
		return x, nil
	}
	f, _ := x.Float64()
	val := f * 0.434294481903252
	val = min(max(val, -numericMaxResultScale), numericMaxResultScale)
	rscale := clampScale(numericMinSigDigits-int32(val), x)
	if math.Abs(f) >= numericMaxResultScale*3 {
		if f > 0 {
			return nil, overflowsNumeric()
		}
		return apd.New(0, -rscale), nil
	}
	digits := max(int32(val)+1, 1) + rscale + numericPowerGuardDigits
	r := new(apd.Decimal)
	if _, err := guardContext(digits).Exp(r, x); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric exp")
	}
	return roundTo(r, rscale)
}

// lnDWeight is estimate_ln_dweight: the decimal weight of ln(x).
func lnDWeight(x *apd.Decimal) int32 {
	if x.Negative || x.IsZero() {
		return 0
	}
	lo, hi := apd.New(9, -1), apd.New(11, -1)
	if x.Cmp(lo) >= 0 && x.Cmp(hi) <= 0 {
		var d apd.Decimal
		types.NumericContext().Sub(&d, x, apd.New(1, 0))
		if d.IsZero() {
			return 0
		}
		w, first := base10000(&d)
		return w*4 + int32(math.Log10(float64(first)))
	}
	w, first := base10000(x)
	digits := float64(first)
	dweight := w * 4
	// The second base-10000 digit, when there is one.
	var shifted, ip, rest apd.Decimal
	shifted.Abs(x)
	shifted.Exponent -= 4 * (w - 1)
	types.NumericContext().Floor(&ip, &shifted)
	types.NumericContext().Sub(&rest, &shifted, &ip)
	if both, err := ip.Int64(); err == nil && (both != first*10000 || !rest.IsZero()) {
		digits = float64(both)
		dweight -= 4
	}
	lnVar := math.Log(digits) + float64(dweight)*2.302585092994046
	return int32(math.Log10(math.Abs(lnVar)))
}

func lnArgCheck(x *apd.Decimal) error {
	if x.IsZero() {
		return pgerr.New(pgerr.InvalidArgumentForLogarithm, "cannot take logarithm of zero")
	}
	if x.Negative {
		return pgerr.New(pgerr.InvalidArgumentForLogarithm, "cannot take logarithm of a negative number")
	}
	return nil
}

// numericLn is ln(numeric), with numeric_ln's result scale.
func numericLn(x *apd.Decimal) (types.Datum, error) {
	if x.Form == apd.NaN {
		return nan(), nil
	}
	if err := lnArgCheck(x); err != nil {
		return nil, err
	}
	if x.Form == apd.Infinite {
		return x, nil
	}
	dw := lnDWeight(x)
	rscale := clampScale(numericMinSigDigits-dw, x)
	digits := max(dw+1, 1) + rscale + numericPowerGuardDigits
	r := new(apd.Decimal)
	if _, err := guardContext(digits).Ln(r, x); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric ln")
	}
	return roundTo(r, rscale)
}

// numericLog is log(base, x), with numeric_log's result scale.
func numericLog(base, x *apd.Decimal) (types.Datum, error) {
	if base.Form == apd.NaN || x.Form == apd.NaN {
		return nan(), nil
	}
	if err := lnArgCheck(base); err != nil {
		return nil, err
	}
	if err := lnArgCheck(x); err != nil {
		return nil, err
	}
	if base.Form == apd.Infinite {
		if x.Form == apd.Infinite {
			return nan(), nil
		}
		return apd.New(0, 0), nil
	}
	if x.Form == apd.Infinite {
		return x, nil
	}
	if base.Cmp(apd.New(1, 0)) == 0 {
		return nil, divByZero()
	}
	dw := lnDWeight(x) - lnDWeight(base)
	rscale := clampScale(numericMinSigDigits-dw, base, x)
	c := guardContext(max(dw+1, 1) + rscale + numericPowerGuardDigits)
	var lb, lx apd.Decimal
	if _, err := c.Ln(&lb, base); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric log")
	}
	if _, err := c.Ln(&lx, x); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric log")
	}
	r := new(apd.Decimal)
	if _, err := c.Quo(r, &lx, &lb); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric log")
	}
	return roundTo(r, rscale)
}

// intGCD is int4gcd and int8gcd: the greatest common divisor, positive;
// the most negative value has none that fits when the other is 0 or
// itself.
func intGCD(a, b int64, t types.T) (types.Datum, error) {
	lo, _ := intBounds(t)
	na, nb := a, b
	if na > 0 {
		na = -na
	}
	if nb > 0 {
		nb = -nb
	}
	if na > nb {
		a, b = b, a
	}
	if a == lo {
		if b == 0 || b == lo {
			return nil, types.IntOutOfRange(t)
		}
		if b == -1 {
			return int64(1), nil
		}
	}
	for b != 0 {
		a, b = b, a%b
	}
	if a < 0 {
		a = -a
	}
	return a, nil
}

// intLCM is int4lcm and int8lcm.
func intLCM(a, b int64, t types.T) (types.Datum, error) {
	if a == 0 || b == 0 {
		return int64(0), nil
	}
	g, err := intGCD(a, b, t)
	if err != nil {
		return nil, err
	}
	a /= g.(int64)
	r := a * b
	lo, hi := intBounds(t)
	if r/b != a || r < lo || r > hi || r == lo || (a == -1 && b == math.MinInt64) {
		return nil, types.IntOutOfRange(t)
	}
	if r < 0 {
		r = -r
	}
	return r, nil
}

func intBounds(t types.T) (int64, int64) {
	if t.ID == types.Int4 {
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// numericGCD is gcd(numeric, numeric), or lcm when lcm is set: NaN for
// NaN or an infinity, the result scale the larger input scale.
func numericGCD(a, b *apd.Decimal, lcm bool) (types.Datum, error) {
	if a.Form != apd.Finite || b.Form != apd.Finite {
		return nan(), nil
	}
	scale := max(dscale(a), dscale(b))
	// Work on integers: both scaled to the common scale.
	x, y := new(apd.Decimal).Abs(a), new(apd.Decimal).Abs(b)
	var xi, yi apd.BigInt
	scaleInt := func(d *apd.Decimal, out *apd.BigInt) {
		out.Set(&d.Coeff)
		for e := d.Exponent + scale; e > 0; e-- {
			out.Mul(out, apd.NewBigInt(10))
		}
	}
	scaleInt(x, &xi)
	scaleInt(y, &yi)
	var g apd.BigInt
	g.GCD(nil, nil, &xi, &yi)
	if !lcm {
		r := apd.NewWithBigInt(&g, -scale)
		return r, nil
	}
	if xi.Sign() == 0 || yi.Sign() == 0 {
		return apd.New(0, -scale), nil
	}
	var q apd.BigInt
	q.Quo(&xi, &g)
	q.Mul(&q, &yi)
	r := apd.NewWithBigInt(&q, -scale)
	if int64(r.NumDigits())-int64(scale) > numericMaxWeightDigits {
		return nil, overflowsNumeric()
	}
	return r, nil
}

func widthBucketError(msg string) error {
	return pgerr.New(pgerr.InvalidArgumentForWidthBucket, "%s", msg)
}

// widthBucketFloat is width_bucket(float8, float8, float8, int4).
func widthBucketFloat(op, b1, b2 float64, count int64) (types.Datum, error) {
	switch {
	case count <= 0:
		return nil, widthBucketError("count must be greater than zero")
	case math.IsNaN(op) || math.IsNaN(b1) || math.IsNaN(b2):
		return nil, widthBucketError("operand, lower bound, and upper bound cannot be NaN")
	case math.IsInf(b1, 0) || math.IsInf(b2, 0):
		return nil, widthBucketError("lower and upper bounds must be finite")
	case b1 == b2:
		return nil, widthBucketError("lower bound cannot equal upper bound")
	}
	lo, hi, o := b1, b2, op
	if b1 > b2 {
		// A reversed range counts from b1 down.
		lo, hi, o = -b1, -b2, -op
	}
	switch {
	case o < lo:
		return int64(0), nil
	case o >= hi:
		if count+1 > math.MaxInt32 {
			return nil, types.IntOutOfRange(types.New(types.Int4))
		}
		return count + 1, nil
	}
	var q float64
	if !math.IsInf(hi-lo, 0) {
		q = float64(count) * ((o - lo) / (hi - lo))
	} else {
		q = float64(count) * ((o/2 - lo/2) / (hi/2 - lo/2))
	}
	r := int64(q)
	if r >= count {
		r = count - 1
	}
	return r + 1, nil
}

// widthBucketNumeric is width_bucket(numeric, numeric, numeric, int4),
// computed exactly.
func widthBucketNumeric(op, b1, b2 *apd.Decimal, count int64) (types.Datum, error) {
	switch {
	case count <= 0:
		return nil, widthBucketError("count must be greater than zero")
	case op.Form == apd.NaN || b1.Form == apd.NaN || b2.Form == apd.NaN:
		return nil, widthBucketError("operand, lower bound, and upper bound cannot be NaN")
	case b1.Form != apd.Finite || b2.Form != apd.Finite:
		return nil, widthBucketError("lower and upper bounds must be finite")
	}
	c := b1.Cmp(b2)
	if c == 0 {
		return nil, widthBucketError("lower bound cannot equal upper bound")
	}
	below, above := op.Cmp(b1) < 0, op.Cmp(b2) >= 0
	if c > 0 {
		below, above = op.Cmp(b1) > 0, op.Cmp(b2) <= 0
	}
	switch {
	case below:
		return int64(0), nil
	case above:
		if count+1 > math.MaxInt32 {
			return nil, types.IntOutOfRange(types.New(types.Int4))
		}
		return count + 1, nil
	}
	ctx := types.NumericContext()
	var num, den, q apd.Decimal
	ctx.Sub(&num, op, b1)
	ctx.Sub(&den, b2, b1)
	ctx.Mul(&num, &num, apd.New(count, 0))
	if _, err := ctx.QuoInteger(&q, &num, &den); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "width_bucket")
	}
	r, err := q.Int64()
	if err != nil {
		return nil, types.IntOutOfRange(types.New(types.Int4))
	}
	return r + 1, nil
}

// NumericVariance is numeric_stddev_internal: the sample (or population)
// variance, or its square root, of n values whose sum is sumX and sum of
// squares sumX2, with PostgreSQL's result scale. It is NULL for n <= 1
// (sample) or n == 0 (population).
func NumericVariance(n int64, sumX, sumX2 *apd.Decimal, sample, stddev bool) (types.Datum, error) {
	if n == 0 || sample && n == 1 {
		return nil, nil
	}
	if sumX.Form == apd.NaN || sumX2.Form == apd.NaN || sumX.Form == apd.Infinite || sumX2.Form == apd.Infinite {
		return nan(), nil
	}
	ctx := types.NumericContext()
	var sq, num apd.Decimal
	if _, err := ctx.Mul(&sq, sumX, sumX); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "variance")
	}
	if _, err := ctx.Mul(&num, apd.New(n, 0), sumX2); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "variance")
	}
	if _, err := ctx.Sub(&num, &num, &sq); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "variance")
	}
	if num.Sign() <= 0 {
		// Rounding cannot make it negative in exact arithmetic; a zero
		// numerator is a zero variance.
		return apd.New(0, 0), nil
	}
	den := n * n
	if sample {
		den = n * (n - 1)
	}
	q, err := NumericDiv(&num, apd.New(den, 0))
	if err != nil {
		return nil, err
	}
	if !stddev {
		return q, nil
	}
	rscale := dscale(q.(*apd.Decimal))
	digits := int32(q.(*apd.Decimal).NumDigits()) + q.(*apd.Decimal).Exponent + rscale + numericPowerGuardDigits
	r := new(apd.Decimal)
	if _, err := guardContext(max(digits, 1)).Sqrt(r, q.(*apd.Decimal)); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "stddev")
	}
	return roundTo(r, rscale)
}

// Float8Accum is float8_accum: the Youngs-Cramer running count, sum and
// sum of squared differences of float8 values.
type Float8Accum struct{ N, Sx, Sxx float64 }

// Add folds x in.
func (a *Float8Accum) Add(x float64) {
	a.N++
	a.Sx += x
	if a.N > 1 {
		tmp := x*a.N - a.Sx
		a.Sxx += tmp * tmp / (a.N * (a.N - 1))
	} else if math.IsNaN(x) || math.IsInf(x, 0) {
		a.Sxx = math.NaN()
	}
}

// Variance is float8_var_samp and float8_var_pop, or the stddev forms.
func (a *Float8Accum) Variance(sample, stddev bool) types.Datum {
	if a.N == 0 || sample && a.N == 1 {
		return nil
	}
	den := a.N
	if sample {
		den = a.N - 1
	}
	v := a.Sxx / den
	if stddev {
		return math.Sqrt(v)
	}
	return v
}
