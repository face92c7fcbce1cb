package builtins

import (
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// pg_size_pretty(bigint | numeric) and pg_size_bytes(text): sizes in
// bytes to and from the units psql prints (bytes, kB, MB, GB, TB, PB;
// powers of 1024), with PostgreSQL 15's rounding and errors.

// sizeUnit is one of size_pretty_units: a unit is used for values whose
// magnitude is below limit (in that unit, with the extra bit of the
// units that round kept); bits is the unit's power of two.
type sizeUnit struct {
	name  string
	limit int64
	round bool
	bits  uint
}

var sizeUnits = []sizeUnit{
	{"bytes", 10 * 1024, false, 0},
	{"kB", 20*1024 - 1, true, 10},
	{"MB", 20*1024 - 1, true, 20},
	{"GB", 20*1024 - 1, true, 30},
	{"TB", 20*1024 - 1, true, 40},
	{"PB", 20*1024 - 1, true, 50},
}

// sizeShift is how far a value in unit i is divided down to unit i+1:
// one bit less when the next unit rounds (it keeps a bit for that), one
// more when this one did.
func sizeShift(i int) uint {
	s := sizeUnits[i+1].bits - sizeUnits[i].bits
	if sizeUnits[i+1].round {
		s--
	}
	if sizeUnits[i].round {
		s++
	}
	return s
}

func init() {
	register("pg_size_pretty",
		&Overload{Args: []types.ID{types.Int8}, Result: types.Text, Fn: func(a []types.Datum) (types.Datum, error) {
			return SizePretty(a[0].(int64)), nil
		}},
		&Overload{Args: []types.ID{types.Numeric}, Result: types.Text, Fn: func(a []types.Datum) (types.Datum, error) {
			return sizePrettyNumeric(a[0].(*apd.Decimal))
		}})
	register("pg_size_bytes",
		&Overload{Args: []types.ID{types.Text}, Result: types.Int8, Fn: func(a []types.Datum) (types.Datum, error) {
			return sizeBytes(a[0].(string))
		}})
}

// SizePretty is pg_size_pretty(bigint).
func SizePretty(size int64) string {
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	for i, u := range sizeUnits {
		if i == len(sizeUnits)-1 || abs(size) < u.limit {
			if u.round {
				size = halfRounded(size)
			}
			return itoa64(size) + " " + u.name
		}
		size /= int64(1) << sizeShift(i)
	}
	panic("unreachable")
}

func halfRounded(v int64) int64 {
	if v > 0 {
		return (v + 1) / 2
	}
	return (v - 1) / 2
}

func itoa64(v int64) string { return types.FormatText(types.New(types.Int8), v) }

// sizePrettyNumeric is pg_size_pretty(numeric): the same steps, each
// division truncating.
func sizePrettyNumeric(d *apd.Decimal) (types.Datum, error) {
	if d.Form != apd.Finite {
		return types.FormatNumeric(d) + " bytes", nil
	}
	ctx := types.NumericContext()
	size := new(apd.Decimal).Set(d)
	for i, u := range sizeUnits {
		var abs apd.Decimal
		abs.Abs(size)
		if i == len(sizeUnits)-1 || abs.Cmp(apd.New(u.limit, 0)) < 0 {
			if u.round {
				one := apd.New(1, 0)
				if size.Negative {
					one.Negative = true
				}
				if _, err := ctx.Add(size, size, one); err != nil {
					return nil, err
				}
				if _, err := ctx.QuoInteger(size, size, apd.New(2, 0)); err != nil {
					return nil, err
				}
			}
			return types.FormatNumeric(size) + " " + u.name, nil
		}
		if _, err := ctx.QuoInteger(size, size, apd.New(int64(1)<<sizeShift(i), 0)); err != nil {
			return nil, err
		}
	}
	panic("unreachable")
}

func isSizeSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// sizeBytes is pg_size_bytes: a number (sign, digits, fraction,
// exponent), blanks, then an optional unit, case-insensitive.
func sizeBytes(str string) (types.Datum, error) {
	invalid := func() *pgerr.Error {
		return pgerr.New(pgerr.InvalidParameterValue, "invalid size: \"%s\"", str)
	}
	i := 0
	for i < len(str) && isSizeSpace(str[i]) {
		i++
	}
	start, end := i, i
	if end < len(str) && (str[end] == '-' || str[end] == '+') {
		end++
	}
	digits := false
	for end < len(str) && isDigit(str[end]) {
		end, digits = end+1, true
	}
	if end < len(str) && str[end] == '.' {
		end++
		for end < len(str) && isDigit(str[end]) {
			end, digits = end+1, true
		}
	}
	if !digits {
		return nil, invalid()
	}
	if end < len(str) && (str[end] == 'e' || str[end] == 'E') {
		// strtol's exponent: blanks, a sign, then at least one digit.
		j := end + 1
		for j < len(str) && isSizeSpace(str[j]) {
			j++
		}
		if j < len(str) && (str[j] == '-' || str[j] == '+') {
			j++
		}
		if j < len(str) && isDigit(str[j]) {
			for j < len(str) && isDigit(str[j]) {
				j++
			}
			end = j
		}
	}
	v, err := types.ParseText(types.New(types.Numeric), str[start:end])
	if err != nil {
		return nil, err
	}
	num := v.(*apd.Decimal)
	unit := strings.TrimRight(strings.TrimLeft(str[end:], " \t\n\r\v\f"), " \t\n\r\v\f")
	if unit != "" {
		found := false
		for _, u := range sizeUnits {
			if strings.EqualFold(unit, u.name) {
				found = true
				if u.bits > 0 {
					if _, err := types.NumericContext().Mul(num, num, apd.New(int64(1)<<u.bits, 0)); err != nil {
						return nil, err
					}
				}
				break
			}
		}
		if !found {
			return nil, invalid().WithDetail(fmt.Sprintf("Invalid size unit: \"%s\".", unit)).
				WithHint("Valid units are \"bytes\", \"kB\", \"MB\", \"GB\", \"TB\", and \"PB\".")
		}
	}
	return types.Cast(num, types.New(types.Numeric), types.New(types.Int8), true)
}
