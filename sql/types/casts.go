package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// numericCtx computes exactly for +, - and * (the precision covers any
// result of numeric's range) and with guard digits for division.
var NumericCtx = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(2000)
	c.Rounding = apd.RoundHalfUp
	return c
}()

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

func CheckInt(t T, v int64) (Datum, error) {
	lo, hi := intRange(t.ID)
	if v < lo || v > hi {
		return nil, IntOutOfRange(t)
	}
	return v, nil
}

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

// castDatum converts a non-NULL value of type from to type to. explicit
// says whether it is a CAST (which may truncate varchar) or an assignment.
func Cast(d Datum, from, to T, explicit bool) (Datum, error) {
	if d == nil {
		return nil, nil
	}
	if from.ID == to.ID && (to.Mod < 0 || from.Mod == to.Mod) {
		return d, nil
	}
	switch to.ID {
	case Text, Unknown:
		return castText(from, d), nil
	case SysName:
		return parseSysName(castText(from, d)), nil
	case Char:
		return parseChar(castText(from, d)), nil
	case OID:
		switch v := d.(type) {
		case int64:
			return OIDFromInt(v, "")
		case *RegValue:
			return v.OID, nil
		}
	case Regclass, Regtype, Regnamespace, Regrole:
		// Only an implicit conversion gets here (casts written in the
		// query are bound by bindCatalogCast, which reads the catalog):
		// a relation is then shown by its oid.
		var oid int64
		switch v := d.(type) {
		case int64:
			o, err := OIDFromInt(v, "")
			if err != nil {
				return nil, err
			}
			oid = o.(int64)
		case *RegValue:
			oid = v.OID
		default:
			return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name())
		}
		return NewReg(to.ID, oid, func(int64) (string, bool) { return "", false }), nil
	case Varchar:
		return checkVarchar(to, castText(from, d), explicit)
	case Bpchar:
		if from.ID == Bpchar {
			// Between character types the padding is kept, then
			// adjusted to the new length.
			return checkBpchar(to, d.(string), explicit)
		}
		return checkBpchar(to, castText(from, d), explicit)
	}
	if a, ok := d.(*Array); ok && to.IsArray() {
		return castArray(a, from, to, explicit)
	}
	if s, ok := d.(string); ok {
		v, err := ParseText(to, s)
		if err != nil {
			return nil, err
		}
		return Cast(v, T{ID: to.ID, Mod: -1}, to, explicit)
	}
	switch to.ID {
	case Int2, Int4, Int8:
		switch v := d.(type) {
		case int64:
			if from.ID == OID && to.ID == Int4 && v > math.MaxInt32 {
				// oid to integer keeps the bits, as in PostgreSQL.
				v -= 1 << 32
			}
			return CheckInt(to, v)
		case *RegValue:
			return CheckInt(to, v.OID)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) || v >= 9.3e18 || v <= -9.3e18 {
				return nil, IntOutOfRange(to)
			}
			return CheckInt(to, int64(math.RoundToEven(v)))
		case *apd.Decimal:
			var r apd.Decimal
			if v.Form != apd.Finite {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot convert %s to %s", FormatNumeric(v), to.Name())
			}
			if _, err := NumericCtx.RoundToIntegralValue(&r, v); err != nil {
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
	case Float8:
		switch v := d.(type) {
		case int64, *apd.Decimal:
			return ToFloat(v), nil
		}
	case Numeric:
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
	case Bool:
		if v, ok := d.(int64); ok && from.ID == Int4 {
			return v != 0, nil
		}
	case Date:
		if v, ok := d.(time.Time); ok {
			return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	case Timestamp, TimestampTZ:
		if v, ok := d.(time.Time); ok {
			return v, nil
		}
	}
	return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name())
}

// castText is the text a cast to a string type produces. It is the type's
// output form except for bool, whose cast spells out true and false (the
// output form, used by || and concat, is t and f).
func castText(from T, d Datum) string {
	if v, ok := d.(bool); ok {
		return strconv.FormatBool(v)
	}
	if from.ID == Bpchar {
		// character's trailing blanks are padding, not data.
		return strings.TrimRight(d.(string), " ")
	}
	return FormatText(from, d)
}

// applyNumericMod rounds to numeric(p,s)'s scale and checks its precision.
func applyNumericMod(d *apd.Decimal, t T) (Datum, error) {
	if t.Mod < 4 || d.Form != apd.Finite {
		return d, nil
	}
	prec := (t.Mod - 4) >> 16
	scale := (t.Mod - 4) & 0xffff
	r := new(apd.Decimal)
	if _, err := NumericCtx.Quantize(r, d, -scale); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "numeric")
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

// canCast reports whether a cast from one type to another exists at all.
func CanCast(from, to T) bool {
	if from.ID == to.ID || from.ID == Unknown || to.IsString() || from.IsString() {
		return true
	}
	if fe, ok := from.Elem(); ok {
		te, ok := to.Elem()
		return ok && CanCast(fe, te)
	}
	if from.IsOIDLike() && (to.IsOIDLike() || to.IsInteger()) || to.IsOIDLike() && from.IsInteger() {
		return true
	}
	switch {
	case from.IsNumeric() && to.IsNumeric():
		return true
	case from.ID == Int4 && to.ID == Bool, from.ID == Bool && to.ID == Int4:
		return true
	case from.IsTime() && to.IsTime():
		return !(from.ID == Date && to.ID == Date)
	}
	return false
}
