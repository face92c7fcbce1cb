package builtins

import (
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

func dec(s string) *apd.Decimal {
	d, err := types.ParseText(types.New(types.Numeric), s)
	if err != nil {
		panic(err)
	}
	return d.(*apd.Decimal)
}

// TestNumericFunctions checks the numeric functions against PostgreSQL
// 15's answers (numeric.sql of its regression tests, and psql).
func TestNumericFunctions(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []types.Datum
		want string
		code string
	}{
		{name: "scale", args: []types.Datum{dec("-13.000000000000000")}, want: "15"},
		{name: "ceil", args: []types.Datum{dec("0.0000001")}, want: "1"},
		{name: "floor", args: []types.Datum{dec("-0.000001")}, want: "-1"},
		{name: "ceil", args: []types.Datum{dec("-0.5")}, want: "0"},
		{name: "scale", args: []types.Datum{dec("NaN")}, want: "NULL"},
		{name: "min_scale", args: []types.Datum{dec("1.1000")}, want: "1"},
		{name: "min_scale", args: []types.Datum{dec("1e100")}, want: "0"},
		{name: "trim_scale", args: []types.Datum{dec("-1123.124718561280000000")}, want: "-1123.12471856128"},
		{name: "trim_scale", args: []types.Datum{dec("0.00")}, want: "0"},
		{name: "div", args: []types.Datum{dec("-9999999999999999999999"), dec("1000000000000000000000")}, want: "-9"},
		{name: "div", args: []types.Datum{dec("70.0"), dec("70")}, want: "1"},
		{name: "div", args: []types.Datum{dec("inf"), dec("0")}, code: pgerr.DivisionByZero},
		{name: "div", args: []types.Datum{dec("nan"), dec("0")}, want: "NaN"},
		{name: "sqrt", args: []types.Datum{dec("1.000000000000003")}, want: "1.000000000000001"},
		{name: "sqrt", args: []types.Datum{dec("8015491789940783531003294973900306")}, want: "89529278953540017"},
		{name: "sqrt", args: []types.Datum{dec("-1")}, code: "2201F"},
		{name: "exp", args: []types.Datum{dec("1.0")}, want: "2.7182818284590452"},
		{name: "exp", args: []types.Datum{dec("-32.999")}, want: "0.000000000000004663547361468248"},
		{name: "exp", args: []types.Datum{dec("-inf")}, want: "0"},
		{name: "ln", args: []types.Datum{dec("0.0456789")}, want: "-3.0861187944847439"},
		{name: "ln", args: []types.Datum{dec("1.2345678e-28")}, want: "-64.26166165451762991204894255882820859"},
		{name: "ln", args: []types.Datum{dec("0")}, code: pgerr.InvalidArgumentForLogarithm},
		{name: "log", args: []types.Datum{dec("1.000016"), dec("8.452010e18")}, want: "2723830.2877097365"},
		{name: "log", args: []types.Datum{dec("1.0"), dec("12.34")}, code: pgerr.DivisionByZero},
		{name: "log", args: []types.Datum{dec("inf"), dec("2")}, want: "0"},
		{name: "log", args: []types.Datum{dec("9.999999999999999999")}, want: "1.000000000000000000"},
		{name: "factorial", args: []types.Datum{int64(15)}, want: "1307674368000"},
		{name: "numeric_inc", args: []types.Datum{dec("-7.777")}, want: "-6.777"},
		{name: "numeric_inc", args: []types.Datum{dec("-inf")}, want: "-Infinity"},
		{name: "factorial", args: []types.Datum{int64(-4)}, code: pgerr.NumericValueOutOfRange},
		{name: "gcd", args: []types.Datum{dec("330"), dec("462")}, want: "66"},
		{name: "gcd", args: []types.Datum{dec("0.5"), dec("-0.75")}, want: "0.25"},
		{name: "lcm", args: []types.Datum{dec("0.5"), dec("0.75")}, want: "1.50"},
		{name: "width_bucket", args: []types.Datum{dec("5.0"), dec("3.0"), dec("4.0"), int64(0)}, code: pgerr.InvalidArgumentForWidthBucket},
		{name: "width_bucket", args: []types.Datum{dec("3.5"), dec("3.0"), dec("3.0"), int64(888)}, code: pgerr.InvalidArgumentForWidthBucket},
		{name: "width_bucket", args: []types.Datum{dec("5.5"), dec("10"), dec("0"), int64(4)}, want: "2"},
		{name: "width_bucket", args: []types.Datum{dec("-inf"), dec("1"), dec("10"), int64(10)}, want: "0"},
	} {
		f, _ := Lookup(tc.name)
		ts := make([]types.T, len(tc.args))
		for i, a := range tc.args {
			ts[i] = types.New(types.Numeric)
			if _, ok := a.(int64); ok {
				ts[i] = types.New(types.Int8)
				if tc.name == "width_bucket" {
					ts[i] = types.New(types.Int4)
				}
			}
		}
		o, err := f.Resolve(ts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := o.Fn(tc.args)
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%s%v: got %v, %v; want SQLSTATE %s", tc.name, tc.args, got, err, tc.code)
			}
			continue
		}
		text := "NULL"
		if got != nil {
			text = types.FormatText(types.New(o.Result), got)
		}
		if err != nil || text != tc.want {
			t.Errorf("%s%v = %s, %v; want %s", tc.name, tc.args, text, err, tc.want)
		}
	}
}

// TestNumericSpecialArith checks NaN and the infinities in numeric
// arithmetic and powers.
func TestNumericSpecialArith(t *testing.T) {
	for _, tc := range []struct {
		op, x, y, want, code string
	}{
		{op: "/", x: "nan", y: "0", want: "NaN"},
		{op: "%", x: "nan", y: "0", want: "NaN"},
		{op: "/", x: "inf", y: "0", code: pgerr.DivisionByZero},
		{op: "/", x: "4.2", y: "-inf", want: "0"},
		{op: "%", x: "-7.777", y: "inf", want: "-7.777"},
		{op: "*", x: "inf", y: "0", want: "NaN"},
		{op: "-", x: "inf", y: "inf", want: "NaN"},
		{op: "+", x: "-inf", y: "4.2", want: "-Infinity"},
		{op: "^", x: "nan", y: "0", want: "1"},
		{op: "^", x: "1", y: "nan", want: "1"},
		{op: "^", x: "0", y: "-inf", code: "2201F"},
		{op: "^", x: "-2", y: "inf", want: "Infinity"},
		{op: "^", x: "-2", y: "-inf", want: "0"},
		{op: "^", x: "-inf", y: "4.5", code: "2201F"},
		{op: "^", x: "-inf", y: "3", want: "-Infinity"},
		{op: "^", x: "10.0", y: "-2147483648", want: "0.0000000000000000"},
		{op: "^", x: "1", y: "inf", want: "1"},
	} {
		got, err := NumericArith(tc.op)([]types.Datum{dec(tc.x), dec(tc.y)})
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%s %s %s: got %v, %v; want SQLSTATE %s", tc.x, tc.op, tc.y, got, err, tc.code)
			}
			continue
		}
		if err != nil || types.FormatText(types.New(types.Numeric), got) != tc.want {
			t.Errorf("%s %s %s = %v, %v; want %s", tc.x, tc.op, tc.y, got, err, tc.want)
		}
	}
}

// TestFloat8Functions checks the double precision functions, the degree
// forms' exact values included.
func TestFloat8Functions(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name string
		args []float64
		want float64
		code string
	}{
		{name: "sind", args: []float64{30}, want: 0.5},
		{name: "sind", args: []float64{210}, want: -0.5},
		{name: "cosd", args: []float64{60}, want: 0.5},
		{name: "cosd", args: []float64{240}, want: -0.5},
		{name: "tand", args: []float64{45}, want: 1},
		{name: "tand", args: []float64{90}, want: inf},
		{name: "cotd", args: []float64{135}, want: -1},
		{name: "asind", args: []float64{0.5}, want: 30},
		{name: "acosd", args: []float64{-0.5}, want: 120},
		{name: "atand", args: []float64{1}, want: 45},
		{name: "atan2d", args: []float64{1, -1}, want: 135},
		{name: "sind", args: []float64{inf}, code: pgerr.NumericValueOutOfRange},
		{name: "acosh", args: []float64{-inf}, code: pgerr.NumericValueOutOfRange},
		{name: "atanh", args: []float64{inf}, code: pgerr.NumericValueOutOfRange},
		{name: "exp", args: []float64{-1e200}, code: pgerr.NumericValueOutOfRange},
		{name: "power", args: []float64{0, -inf}, code: "2201F"},
		{name: "power", args: []float64{-inf, 3.5}, code: "2201F"},
		{name: "power", args: []float64{math.NaN(), 0}, want: 1},
		{name: "width_bucket", args: []float64{0, -inf, 4, 888}, code: pgerr.InvalidArgumentForWidthBucket},
		{name: "width_bucket", args: []float64{5.5, 10, 0, 4}, want: 2},
	} {
		f, _ := Lookup(tc.name)
		ts := make([]types.T, len(tc.args))
		args := make([]types.Datum, len(tc.args))
		for i, a := range tc.args {
			ts[i], args[i] = types.New(types.Float8), a
		}
		if tc.name == "width_bucket" {
			ts[3], args[3] = types.New(types.Int4), int64(tc.args[3])
		}
		o, err := f.Resolve(ts)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := o.Fn(args)
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%s%v: got %v, %v; want SQLSTATE %s", tc.name, tc.args, got, err, tc.code)
			}
			continue
		}
		if err != nil || types.ToFloat(got) != tc.want {
			t.Errorf("%s%v = %v, %v; want %v", tc.name, tc.args, got, err, tc.want)
		}
	}
}

// TestIntOperators checks the bitwise operators and gcd and lcm at the
// edges of the integer types.
func TestIntOperators(t *testing.T) {
	i4, i8 := types.New(types.Int4), types.New(types.Int8)
	for _, tc := range []struct {
		op   string
		t    types.T
		x, y int64
		want int64
		code string
	}{
		{op: "<<", t: i4, x: -1, y: 31, want: math.MinInt32},
		{op: "<<", t: i8, x: -1, y: 63, want: math.MinInt64},
		{op: ">>", t: i8, x: 4567890123456789, y: 3, want: 570986265432098},
		{op: "#", t: i8, x: 123, y: 456, want: 435},
		{op: "gcd", t: i4, x: math.MinInt32, y: 0, code: pgerr.NumericValueOutOfRange},
		{op: "gcd", t: i4, x: math.MinInt32, y: 1073741824, want: 1073741824},
		{op: "gcd", t: i8, x: math.MinInt64, y: -1, want: 1},
		{op: "lcm", t: i4, x: 330, y: -462, want: 2310},
		{op: "lcm", t: i4, x: math.MinInt32, y: 1, code: pgerr.NumericValueOutOfRange},
		{op: "lcm", t: i8, x: math.MaxInt64, y: math.MaxInt64 - 1, code: pgerr.NumericValueOutOfRange},
	} {
		f, ok := LookupOperator(tc.op, false)
		if !ok {
			f, _ = Lookup(tc.op)
		}
		ts := []types.T{tc.t, tc.t}
		if tc.op == "<<" || tc.op == ">>" {
			ts[1] = i4
		}
		o, err := f.Resolve(ts)
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		got, err := o.Fn([]types.Datum{tc.x, tc.y})
		if tc.code != "" {
			if e := pgerr.Find(err); e == nil || e.Code != tc.code {
				t.Errorf("%d %s %d: got %v, %v; want SQLSTATE %s", tc.x, tc.op, tc.y, got, err, tc.code)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%d %s %d = %v, %v; want %d", tc.x, tc.op, tc.y, got, err, tc.want)
		}
	}
}

// TestNumericVariance checks the variance and stddev finish of numeric
// sums against PostgreSQL 15's answers for the same values.
func TestNumericVariance(t *testing.T) {
	// 1.5, 2.25, 7, -3.125
	sum, sumSq := dec("7.625"), dec("66.078125")
	for _, tc := range []struct {
		sample, stddev bool
		want           string
	}{
		{true, false, "17.1809895833333333"},
		{true, true, "4.1449957277822776"},
		{false, false, "12.8857421875000000"},
		{false, true, "3.5896715988374201"},
	} {
		got, err := NumericVariance(4, sum, sumSq, tc.sample, tc.stddev)
		if err != nil || types.FormatText(types.New(types.Numeric), got) != tc.want {
			t.Errorf("NumericVariance(sample %v, stddev %v) = %v, %v; want %s", tc.sample, tc.stddev, got, err, tc.want)
		}
	}
	if got, _ := NumericVariance(1, dec("1"), dec("1"), true, false); got != nil {
		t.Errorf("variance of one value = %v, want NULL", got)
	}
}
