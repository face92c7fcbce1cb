package builtins

import (
	"math"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The double precision functions of float.c: trigonometry in radians and
// in degrees, the hyperbolic functions, cbrt, pi, degrees and radians.
// The degree forms compute as PostgreSQL does, so that sind(30) is 0.5
// exactly and tand(45) is 1.

func init() {
	f8 := types.Float8
	one := func(name string, fn func(float64) (float64, error)) {
		register(name, &Overload{Args: []types.ID{f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
			return fn(a[0].(float64))
		}})
	}
	two := func(name string, fn func(y, x float64) (float64, error)) {
		register(name, &Overload{Args: []types.ID{f8, f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
			return fn(a[0].(float64), a[1].(float64))
		}})
	}
	// Radians.
	one("sin", periodic(math.Sin))
	one("cos", periodic(math.Cos))
	one("tan", periodic(math.Tan))
	one("cot", periodic(func(x float64) float64 { return 1 / math.Tan(x) }))
	one("asin", inverse(math.Asin))
	one("acos", inverse(math.Acos))
	one("atan", func(x float64) (float64, error) { return math.Atan(x), nil })
	two("atan2", func(y, x float64) (float64, error) { return math.Atan2(y, x), nil })
	// Degrees.
	one("sind", sind)
	one("cosd", cosd)
	one("tand", func(x float64) (float64, error) { return tandCotd(x, false) })
	one("cotd", func(x float64) (float64, error) { return tandCotd(x, true) })
	one("asind", asind)
	one("acosd", acosd)
	one("atand", func(x float64) (float64, error) {
		if math.IsNaN(x) {
			return x, nil
		}
		return math.Atan(x) / atan1 * 45, nil
	})
	two("atan2d", func(y, x float64) (float64, error) {
		if math.IsNaN(x) || math.IsNaN(y) {
			return math.NaN(), nil
		}
		return math.Atan2(y, x) / atan1 * 45, nil
	})
	// Hyperbolic.
	one("sinh", func(x float64) (float64, error) { return math.Sinh(x), nil })
	one("cosh", func(x float64) (float64, error) { return math.Cosh(x), nil })
	one("tanh", func(x float64) (float64, error) { return math.Tanh(x), nil })
	one("asinh", func(x float64) (float64, error) { return math.Asinh(x), nil })
	one("acosh", func(x float64) (float64, error) {
		if x < 1 {
			return 0, inputOutOfRange()
		}
		return math.Acosh(x), nil
	})
	one("atanh", func(x float64) (float64, error) {
		if x < -1 || x > 1 {
			return 0, inputOutOfRange()
		}
		return math.Atanh(x), nil
	})
	one("cbrt", func(x float64) (float64, error) { return math.Cbrt(x), nil })
	one("degrees", func(x float64) (float64, error) { return x * (180 / math.Pi), nil })
	one("radians", func(x float64) (float64, error) { return x * (math.Pi / 180), nil })
	register("pi", &Overload{Result: f8, Fn: func([]types.Datum) (types.Datum, error) { return math.Pi, nil }})
}

func inputOutOfRange() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "input is out of range")
}

// periodic is a trigonometric function of radians: an infinite argument
// is out of range, NaN gives NaN.
func periodic(f func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) {
		if math.IsNaN(x) {
			return x, nil
		}
		if math.IsInf(x, 0) {
			return 0, inputOutOfRange()
		}
		return f(x), nil
	}
}

// inverse is asin or acos: outside [-1, 1] is out of range.
func inverse(f func(float64) float64) func(float64) (float64, error) {
	return func(x float64) (float64, error) {
		if math.IsNaN(x) {
			return x, nil
		}
		if x < -1 || x > 1 {
			return 0, inputOutOfRange()
		}
		return f(x), nil
	}
}

// radiansPerDegree is a variable so that products with it round as
// PostgreSQL's do at run time, not exactly at compile time.
var radiansPerDegree = 0.0174532925199432957692

// The constants PostgreSQL's init_degree_constants computes: dividing by
// them makes the degree functions exact at 30, 45, 60 and 90 degrees.
var (
	sin30         = math.Sin(radiansPerDegree * 30)
	oneMinusCos60 = 1 - math.Cos(radiansPerDegree*60)
	asin05        = math.Asin(0.5)
	acos05        = math.Acos(0.5)
	atan1         = math.Atan(1)
	tan45         = sindQ1(45) / cosdQ1(45)
	cot45         = cosdQ1(45) / sindQ1(45)
)

func sind0To30(x float64) float64 { return math.Sin(x*radiansPerDegree) / sin30 / 2 }

func cosd0To60(x float64) float64 {
	return 1 - (1-math.Cos(x*radiansPerDegree))/oneMinusCos60/2
}

func sindQ1(x float64) float64 {
	if x <= 30 {
		return sind0To30(x)
	}
	return cosd0To60(90 - x)
}

func cosdQ1(x float64) float64 {
	if x <= 60 {
		return cosd0To60(x)
	}
	return sind0To30(90 - x)
}

func degreeArg(x float64) error {
	if math.IsInf(x, 0) {
		return inputOutOfRange()
	}
	return nil
}

func sind(x float64) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	if err := degreeArg(x); err != nil {
		return 0, err
	}
	sign := 1.0
	x = math.Mod(x, 360)
	if x < 0 {
		x, sign = -x, -sign
	}
	if x > 180 {
		x, sign = 360-x, -sign
	}
	if x > 90 {
		x = 180 - x
	}
	return sign * sindQ1(x), nil
}

func cosd(x float64) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	if err := degreeArg(x); err != nil {
		return 0, err
	}
	sign := 1.0
	x = math.Mod(x, 360)
	if x < 0 {
		x = -x
	}
	if x > 180 {
		x = 360 - x
	}
	if x > 90 {
		x, sign = 180-x, -sign
	}
	return sign * cosdQ1(x), nil
}

func tandCotd(x float64, cot bool) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	if err := degreeArg(x); err != nil {
		return 0, err
	}
	sign := 1.0
	x = math.Mod(x, 360)
	if x < 0 {
		x, sign = -x, -sign
	}
	if x > 180 {
		x, sign = 360-x, -sign
	}
	if x > 90 {
		x, sign = 180-x, -sign
	}
	var r float64
	if cot {
		r = sign * (cosdQ1(x) / sindQ1(x) / cot45)
	} else {
		r = sign * (sindQ1(x) / cosdQ1(x) / tan45)
	}
	if r == 0 {
		// No minus zero.
		r = 0
	}
	return r, nil
}

func asindQ1(x float64) float64 {
	if x <= 0.5 {
		return math.Asin(x) / asin05 * 30
	}
	return 90 - math.Acos(x)/acos05*60
}

func acosdQ1(x float64) float64 {
	if x <= 0.5 {
		return 90 - math.Asin(x)/asin05*30
	}
	return math.Acos(x) / acos05 * 60
}

func asind(x float64) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	if x < -1 || x > 1 {
		return 0, inputOutOfRange()
	}
	if x >= 0 {
		return asindQ1(x), nil
	}
	return -asindQ1(-x), nil
}

func acosd(x float64) (float64, error) {
	if math.IsNaN(x) {
		return x, nil
	}
	if x < -1 || x > 1 {
		return 0, inputOutOfRange()
	}
	if x >= 0 {
		return acosdQ1(x), nil
	}
	return 90 + asindQ1(-x), nil
}

// float8(x) is a function in pg_catalog for each numeric type, which
// calls of the form float8(x) find before any cast.
func init() {
	for _, id := range []types.ID{types.Int2, types.Int4, types.Int8, types.Float4, types.Numeric} {
		from := types.New(id)
		register("float8", &Overload{Args: []types.ID{id}, Result: types.Float8, Fn: func(a []types.Datum) (types.Datum, error) {
			return types.Cast(a[0], from, types.New(types.Float8), true)
		}})
	}
}
