package types

import (
	"math"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// money (cash.c) in the C locale, which is the only lc_monetary cairn
// has: a Money is a count of cents; its text is "$1,000.00", negatives
// "-$1.00". It orders as its count does.
const (
	MoneyType  ID = 790
	MoneyArray ID = 791
)

// Money is the Go form of a money value: cents.
type Money int64

func init() {
	register(&Info{ID: MoneyType, Typname: "money", SQLName: "money", Len: 8, Array: MoneyArray, arrays: true,
		Category: 'N', aliases: []string{"money"}, assignment: []ID{Numeric},
		input: func(_ T, s string) (Datum, error) { return ParseMoney(s) }, cast: castToMoney})
}

// MoneyOutOfRange is the error of money arithmetic that overflows.
func MoneyOutOfRange() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "money out of range")
}

// ParseMoney is cash_in with the C locale's symbols: an optional sign or
// opening parenthesis, an optional "$", digits with "," separators and up
// to two decimals (a third rounds), then blanks, ")", a sign or "$".
func ParseMoney(str string) (Money, error) {
	outOfRange := func() error {
		return pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type money", str)
	}
	s, i := str, 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	sgn := 1
	switch {
	case strings.HasPrefix(s[i:], "-"):
		sgn = -1
		i++
	case strings.HasPrefix(s[i:], "("):
		sgn = -1
		i++
	case strings.HasPrefix(s[i:], "+"):
		i++
	}
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if strings.HasPrefix(s[i:], "$") {
		i++
	}
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	var value int64 // built negative, as cash_in does
	seenDot, dec := false, 0
	for ; i < len(s); i++ {
		c := s[i]
		if isDigit(c) && (!seenDot || dec < 2) {
			if value < (math.MinInt64+int64(c-'0'))/10 {
				return 0, outOfRange()
			}
			value = value*10 - int64(c-'0')
			if seenDot {
				dec++
			}
		} else if c == '.' && !seenDot {
			seenDot = true
		} else if c == ',' {
		} else {
			break
		}
	}
	if i < len(s) && isDigit(s[i]) && s[i] >= '5' {
		if value == math.MinInt64 {
			return 0, outOfRange()
		}
		value--
	}
	for ; dec < 2; dec++ {
		if value < math.MinInt64/10 {
			return 0, outOfRange()
		}
		value *= 10
	}
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	for i < len(s) {
		switch c := s[i]; {
		case isSpace(c) || c == ')':
		case c == '-':
			sgn = -1
		case c == '+', c == '$':
		default:
			return 0, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type money: \"%s\"", str)
		}
		i++
	}
	if sgn > 0 {
		if value == math.MinInt64 {
			return 0, outOfRange()
		}
		value = -value
	}
	return Money(value), nil
}

// String is cash_out in the C locale.
func (m Money) String() string {
	u := uint64(m)
	if m < 0 {
		u = uint64(-m)
	}
	var buf [32]byte
	p := len(buf)
	pos := 2
	for {
		if pos == 0 {
			p--
			buf[p] = '.'
		} else if pos < 0 && pos%3 == 0 {
			p--
			buf[p] = ','
		}
		p--
		buf[p] = byte('0' + u%10)
		u /= 10
		pos--
		if u == 0 && pos < 0 {
			break
		}
	}
	if m < 0 {
		return "-$" + string(buf[p:])
	}
	return "$" + string(buf[p:])
}

// MoneyFromNumeric is numeric_cash: the amount in cents, rounded.
func MoneyFromNumeric(d *apd.Decimal) (Money, error) {
	var c apd.Decimal
	c.Set(d)
	c.Exponent += 2
	var r apd.Decimal
	if _, err := apd.BaseContext.WithPrecision(1000).RoundToIntegralValue(&r, &c); err != nil || r.Form != apd.Finite {
		return 0, pgerr.New(pgerr.NumericValueOutOfRange, "bigint out of range")
	}
	v, err := r.Int64()
	if err != nil {
		return 0, pgerr.New(pgerr.NumericValueOutOfRange, "bigint out of range")
	}
	return Money(v), nil
}

// Numeric is cash_numeric: the amount with two decimals.
func (m Money) Numeric() *apd.Decimal {
	return apd.New(int64(m), -2)
}

// castToMoney converts to money: from the string types through cash_in,
// from numeric, int4 and int8 (the amount in dollars).
func castToMoney(d Datum, from, to T, explicit bool) (Datum, error) {
	if s, ok := d.(string); ok && from.IsString() {
		return castFromText(s, to, explicit)
	}
	switch v := d.(type) {
	case Money:
		return v, nil
	case int64:
		if v > math.MaxInt64/100 || v < math.MinInt64/100 {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "bigint out of range")
		}
		return Money(v * 100), nil
	case *apd.Decimal:
		return MoneyFromNumeric(v)
	}
	return nil, cannotCast(from, to)
}
