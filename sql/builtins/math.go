package builtins

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The mathematical functions, with PostgreSQL's overloads for cairn's
// numeric types (of float4, only abs: the others take it as float8, as
// PostgreSQL's do). sqrt, exp and ln have only their
// double precision forms here (PostgreSQL also has numeric ones), so a
// numeric argument is converted to float8 and the result is float8.

func init() {
	const (
		i2, i4, i8  = types.Int2, types.Int4, types.Int8
		f4, f8, num = types.Float4, types.Float8, types.Numeric
	)
	register("abs",
		&Overload{Args: []types.ID{i2}, Result: i2, Fn: absInt(i2)},
		&Overload{Args: []types.ID{i4}, Result: i4, Fn: absInt(i4)},
		&Overload{Args: []types.ID{i8}, Result: i8, Fn: absInt(i8)},
		&Overload{Args: []types.ID{f4}, Result: f4, Fn: float1(math.Abs)},
		&Overload{Args: []types.ID{f8}, Result: f8, Fn: float1(math.Abs)},
		&Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
			return new(apd.Decimal).Abs(a[0].(*apd.Decimal)), nil
		}},
	)
	for _, r := range []struct {
		names []string
		float func(float64) float64
		mode  apd.Rounder
		scale bool // also name(numeric, integer): to a number of decimal places
	}{
		{[]string{"round"}, math.RoundToEven, apd.RoundHalfUp, true},
		{[]string{"trunc"}, math.Trunc, apd.RoundDown, true},
		{[]string{"floor"}, math.Floor, apd.RoundFloor, false},
		{[]string{"ceil", "ceiling"}, math.Ceil, apd.RoundCeiling, false},
	} {
		for _, name := range r.names {
			register(name,
				&Overload{Args: []types.ID{f8}, Result: f8, Fn: float1(r.float)},
				&Overload{Args: []types.ID{num}, Result: num, Fn: roundNumeric(name, r.mode)})
			if r.scale {
				register(name, &Overload{Args: []types.ID{num, i4}, Result: num, Fn: roundNumeric(name, r.mode)})
			}
		}
	}
	register("sign",
		&Overload{Args: []types.ID{f8}, Result: f8, Fn: float1(func(f float64) float64 {
			switch {
			case f > 0:
				return 1
			case f < 0:
				return -1
			}
			return 0
		})},
		&Overload{Args: []types.ID{num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
			d := a[0].(*apd.Decimal)
			if d.Form != apd.Finite {
				return d, nil
			}
			return apd.New(int64(d.Sign()), 0), nil
		}},
	)
	register("sqrt", &Overload{Args: []types.ID{f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		if v < 0 {
			return nil, pgerr.New(invalidArgumentForPower, "cannot take square root of a negative number")
		}
		return math.Sqrt(v), nil
	}})
	register("exp", &Overload{Args: []types.ID{f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		r := math.Exp(v)
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
		case math.IsInf(r, 0):
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
		case r == 0:
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: underflow")
		}
		return r, nil
	}})
	register("ln", &Overload{Args: []types.ID{f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		switch {
		case v == 0:
			return nil, pgerr.New(invalidArgumentForLog, "cannot take logarithm of zero")
		case v < 0:
			return nil, pgerr.New(invalidArgumentForLog, "cannot take logarithm of a negative number")
		}
		return math.Log(v), nil
	}})
	for _, name := range []string{"power", "pow"} {
		register(name,
			&Overload{Args: []types.ID{f8, f8}, Result: f8, Fn: func(a []types.Datum) (types.Datum, error) {
				return float8Power(a[0].(float64), a[1].(float64))
			}},
			&Overload{Args: []types.ID{num, num}, Result: num, Fn: func(a []types.Datum) (types.Datum, error) {
				return numericPower(a[0].(*apd.Decimal), a[1].(*apd.Decimal))
			}})
	}
	register("mod",
		&Overload{Args: []types.ID{i2, i2}, Result: i2, Fn: IntArith("%", types.New(i2))},
		&Overload{Args: []types.ID{i4, i4}, Result: i4, Fn: IntArith("%", types.New(i4))},
		&Overload{Args: []types.ID{i8, i8}, Result: i8, Fn: IntArith("%", types.New(i8))},
		&Overload{Args: []types.ID{num, num}, Result: num, Fn: NumericArith("%")},
	)
}

// invalidArgumentForLog is SQLSTATE 2201E.
const invalidArgumentForLog = "2201E"

// float1 makes a function of one float8 argument.
func float1(f func(float64) float64) func([]types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (types.Datum, error) { return f(a[0].(float64)), nil }
}

// absInt is abs for the integer type id: the most negative value has no
// absolute value in its type.
func absInt(id types.ID) func([]types.Datum) (types.Datum, error) {
	t := types.New(id)
	return func(a []types.Datum) (types.Datum, error) {
		if v := a[0].(int64); v < 0 {
			if v == math.MinInt64 {
				return nil, types.IntOutOfRange(t)
			}
			return types.CheckInt(t, -v)
		}
		return a[0], nil
	}
}

// roundNumeric rounds a numeric with mode to the scale its second
// argument gives (0 without one). A negative scale rounds to tens,
// hundreds ...; NaN and the infinities stay as they are.
func roundNumeric(name string, mode apd.Rounder) func([]types.Datum) (types.Datum, error) {
	return func(a []types.Datum) (types.Datum, error) {
		d := a[0].(*apd.Decimal)
		if d.Form != apd.Finite {
			return d, nil
		}
		scale := int32(0)
		if len(a) == 2 {
			scale = int32(a[1].(int64))
		}
		r := new(apd.Decimal)
		c := *types.NumericContext()
		c.Rounding = mode
		if mode == apd.RoundCeiling || mode == apd.RoundFloor {
			// apd's Quantize does not round a value with fewer digits
			// than the shift (0.0000001) away from zero.
			var err error
			if mode == apd.RoundCeiling {
				_, err = c.Ceil(r, d)
			} else {
				_, err = c.Floor(r, d)
			}
			if err != nil {
				return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "%s", name)
			}
			if r.IsZero() {
				r.Negative = false
			}
			return r, nil
		}
		if _, err := c.Quantize(r, d, -scale); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "%s", name)
		}
		if scale < 0 {
			// round(1234, -2) = 1200: keep the value, drop the exponent.
			if _, err := c.Quantize(r, r, 0); err != nil {
				return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "%s", name)
			}
		}
		return r, nil
	}
}
