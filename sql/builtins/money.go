package builtins

import (
	"math"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The operators and functions of money (cash.c): + and - of two amounts,
// * and / by the integer and float types (rounding half to even, as rint
// does, for the floats; truncating for the integers), money / money as a
// float8 ratio, cashlarger, cashsmaller, cash_words and money() of
// numeric, int4 and int8. Results that do not fit are "money out of
// range" (22003). Comparisons go through the binder's, as money orders
// as its count of cents.

func init() {
	const m, f4, f8, i2, i4, i8, num = types.MoneyType, types.Float4, types.Float8, types.Int2, types.Int4, types.Int8, types.Numeric
	two := func(l, r, res types.ID, f func(x, y types.Datum) (types.Datum, error)) *Overload {
		return &Overload{Args: []types.ID{l, r}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) { return f(a[0], a[1]) }}
	}
	M := func(d types.Datum) int64 { return int64(d.(types.Money)) }
	registerOperator("+", two(m, m, m, func(x, y types.Datum) (types.Datum, error) {
		return MoneyAdd(x.(types.Money), y.(types.Money))
	}))
	registerOperator("-", two(m, m, m, func(x, y types.Datum) (types.Datum, error) {
		r := M(x) - M(y)
		if (r < M(x)) != (M(y) > 0) {
			return nil, types.MoneyOutOfRange()
		}
		return types.Money(r), nil
	}))
	registerOperator("/", two(m, m, f8, func(x, y types.Datum) (types.Datum, error) {
		if M(y) == 0 {
			return nil, pgerr.New(pgerr.DivisionByZero, "division by zero")
		}
		return float64(M(x)) / float64(M(y)), nil
	}))
	for _, it := range []types.ID{i2, i4, i8} {
		mul := func(x, y types.Datum) (types.Datum, error) { return MoneyMulInt(M(x), y.(int64)) }
		registerOperator("*", two(m, it, m, mul), two(it, m, m, func(x, y types.Datum) (types.Datum, error) { return mul(y, x) }))
		registerOperator("/", two(m, it, m, func(x, y types.Datum) (types.Datum, error) {
			i := y.(int64)
			if i == 0 {
				return nil, pgerr.New(pgerr.DivisionByZero, "division by zero")
			}
			return types.Money(M(x) / i), nil
		}))
	}
	for _, ft := range []types.ID{f4, f8} {
		mul := func(x, y types.Datum) (types.Datum, error) {
			return geoFn(func([]types.Datum) types.Datum { return moneyFromFloat(fmul(float64(M(x)), y.(float64))) })(nil)
		}
		registerOperator("*", two(m, ft, m, mul), two(ft, m, m, func(x, y types.Datum) (types.Datum, error) { return mul(y, x) }))
		registerOperator("/", two(m, ft, m, func(x, y types.Datum) (types.Datum, error) {
			return geoFn(func([]types.Datum) types.Datum { return moneyFromFloat(fdiv(float64(M(x)), y.(float64))) })(nil)
		}))
	}
	for sym, f := range map[string]func(a, b int64) bool{
		"=": func(a, b int64) bool { return a == b }, "<>": func(a, b int64) bool { return a != b },
		"<": func(a, b int64) bool { return a < b }, "<=": func(a, b int64) bool { return a <= b },
		">": func(a, b int64) bool { return a > b }, ">=": func(a, b int64) bool { return a >= b },
	} {
		registerOperator(sym, two(m, m, types.Bool, func(x, y types.Datum) (types.Datum, error) { return f(M(x), M(y)), nil }))
	}
	register("cashlarger", two(m, m, m, func(x, y types.Datum) (types.Datum, error) {
		if M(x) > M(y) {
			return x, nil
		}
		return y, nil
	}))
	register("cashsmaller", two(m, m, m, func(x, y types.Datum) (types.Datum, error) {
		if M(x) < M(y) {
			return x, nil
		}
		return y, nil
	}))
	register("cash_cmp", two(m, m, i4, func(x, y types.Datum) (types.Datum, error) {
		switch {
		case M(x) < M(y):
			return int64(-1), nil
		case M(x) > M(y):
			return int64(1), nil
		}
		return int64(0), nil
	}))
	register("cash_words", &Overload{Args: []types.ID{m}, Result: types.Text, Fn: func(a []types.Datum) (types.Datum, error) {
		return CashWords(a[0].(types.Money)), nil
	}})
	toMoney := func(arg types.ID) *Overload {
		return &Overload{Args: []types.ID{arg}, Result: m, Fn: func(a []types.Datum) (types.Datum, error) {
			return types.Cast(a[0], types.New(arg), types.New(m), true)
		}}
	}
	register("money", toMoney(num), toMoney(i4), toMoney(i8))
}

// MoneyAdd is cash_pl with its overflow check.
func MoneyAdd(x, y types.Money) (types.Money, error) {
	r := x + y
	if (r > x) != (y > 0) {
		return 0, types.MoneyOutOfRange()
	}
	return r, nil
}

// MoneyMulInt is cash_mul_int8 with its overflow check.
func MoneyMulInt(c, i int64) (types.Datum, error) {
	if c != 0 && i != 0 {
		r := c * i
		if r/i != c || (c == -1 && i == math.MinInt64) || (i == -1 && c == math.MinInt64) {
			return nil, types.MoneyOutOfRange()
		}
		return types.Money(r), nil
	}
	return types.Money(0), nil
}

// moneyFromFloat rounds a product or quotient to cents as rint does.
func moneyFromFloat(f float64) types.Datum {
	r := math.RoundToEven(f)
	if math.IsNaN(r) || r < -0x1p63 || r >= 0x1p63 {
		geoFail(types.MoneyOutOfRange())
	}
	return types.Money(int64(r))
}

var cashSmall = []string{"zero", "one", "two", "three", "four", "five", "six", "seven",
	"eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
	"fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
	"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}

// numWord is cash.c's num_word: a number below 1000 in words.
func numWord(v uint64) string {
	big := cashSmall[18:]
	tu := v % 100
	if v <= 20 {
		return cashSmall[v]
	}
	if tu == 0 {
		return cashSmall[v/100] + " hundred"
	}
	if v > 99 {
		switch {
		case v%10 == 0 && tu > 10:
			return cashSmall[v/100] + " hundred " + big[tu/10]
		case tu < 20:
			return cashSmall[v/100] + " hundred and " + cashSmall[tu]
		}
		return cashSmall[v/100] + " hundred " + big[tu/10] + " " + cashSmall[tu%10]
	}
	switch {
	case v%10 == 0 && tu > 10:
		return big[tu/10]
	case tu < 20:
		return cashSmall[tu]
	}
	return big[tu/10] + " " + cashSmall[tu%10]
}

// CashWords is cash_words: the amount in English words.
func CashWords(m types.Money) string {
	var b strings.Builder
	v := int64(m)
	if v < 0 {
		v = -v
		b.WriteString("minus ")
	}
	start := b.Len()
	val := uint64(v)
	parts := []struct {
		div  uint64
		name string
	}{{100000000000000000, " quadrillion "}, {100000000000000, " trillion "}, {100000000000, " billion "},
		{100000000, " million "}, {100000, " thousand "}}
	for _, p := range parts {
		if n := (val / p.div) % 1000; n != 0 {
			b.WriteString(numWord(n))
			b.WriteString(p.name)
		}
	}
	if n := (val / 100) % 1000; n != 0 {
		b.WriteString(numWord(n))
	}
	if b.Len() == start {
		b.WriteString("zero")
	}
	if val/100 == 1 {
		b.WriteString(" dollar and ")
	} else {
		b.WriteString(" dollars and ")
	}
	cents := val % 100
	b.WriteString(numWord(cents))
	if cents == 1 {
		b.WriteString(" cent")
	} else {
		b.WriteString(" cents")
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}
