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

// TypeID identifies a SQL type by its PostgreSQL type OID, so the wire layer
// can report it without a mapping table.
type TypeID uint32

// The types cairn supports, with PostgreSQL's OIDs.
const (
	TypeUnknown     TypeID = 705
	TypeBool        TypeID = 16
	TypeInt2        TypeID = 21
	TypeInt4        TypeID = 23
	TypeInt8        TypeID = 20
	TypeFloat8      TypeID = 701
	TypeNumeric     TypeID = 1700
	TypeText        TypeID = 25
	TypeVarchar     TypeID = 1043
	TypeBpchar      TypeID = 1042
	TypeDate        TypeID = 1082
	TypeTimestamp   TypeID = 1114
	TypeTimestampTZ TypeID = 1184
)

// Type is a column or expression type: an OID plus a type modifier (the n of
// varchar(n); -1 when there is none), as PostgreSQL describes it on the wire.
type Type struct {
	ID  TypeID
	Mod int32
}

// Datum is one SQL value. Its dynamic type depends on the SQL type:
//
//	nil                       NULL, for every type
//	bool                      bool
//	int64                     int2, int4, int8
//	float64                   float8
//	*apd.Decimal              numeric
//	string                    text, varchar, unknown, bpchar (blank-padded)
//	time.Time                 date (midnight UTC), timestamp (UTC), timestamptz
//	*Array                    arrays (array.go)
//	int64, string, *RegValue  oid; name and "char"; regclass and the other
//	                          object identifier types (catalogtypes.go)
type Datum = any

func typ(id TypeID) Type { return Type{ID: id, Mod: -1} }

// Size is the fixed length of the type in bytes, or -1 for variable length
// (pg_type.typlen).
func (t Type) Size() int16 {
	switch t.ID {
	case TypeBool, TypeChar:
		return 1
	case TypeInt2:
		return 2
	case TypeInt4, TypeDate, TypeOID, TypeRegclass, TypeRegtype, TypeRegnamespace, TypeRegrole:
		return 4
	case TypeSysName:
		return identifierBytesMax + 1
	case TypeInt8, TypeFloat8, TypeTimestamp, TypeTimestampTZ:
		return 8
	default:
		return -1
	}
}

// Name is the type's SQL name as PostgreSQL prints it in error messages.
func (t Type) Name() string {
	switch t.ID {
	case TypeBool:
		return "boolean"
	case TypeInt2:
		return "smallint"
	case TypeInt4:
		return "integer"
	case TypeInt8:
		return "bigint"
	case TypeFloat8:
		return "double precision"
	case TypeNumeric:
		return "numeric"
	case TypeText:
		return "text"
	case TypeVarchar:
		if t.Mod >= 0 {
			return "character varying(" + strconv.Itoa(int(t.Mod)) + ")"
		}
		return "character varying"
	case TypeBpchar:
		if t.Mod >= 0 {
			return "character(" + strconv.Itoa(int(t.Mod)) + ")"
		}
		return "character"
	case TypeDate:
		return "date"
	case TypeTimestamp:
		return "timestamp without time zone"
	case TypeTimestampTZ:
		return "timestamp with time zone"
	case TypeUnknown:
		return "unknown"
	}
	if n, ok := catalogTypeName(t.ID); ok {
		return n
	}
	if elem, ok := t.Elem(); ok {
		return elem.Name() + "[]"
	}
	return "type " + strconv.Itoa(int(t.ID))
}

func (t Type) isInteger() bool {
	return t.ID == TypeInt2 || t.ID == TypeInt4 || t.ID == TypeInt8
}

func (t Type) isNumeric() bool {
	return t.isInteger() || t.ID == TypeFloat8 || t.ID == TypeNumeric
}

func (t Type) isString() bool {
	return t.ID == TypeText || t.ID == TypeVarchar || t.ID == TypeBpchar || t.ID == TypeUnknown ||
		t.ID == TypeSysName || t.ID == TypeChar
}

func (t Type) isTime() bool {
	return t.ID == TypeDate || t.ID == TypeTimestamp || t.ID == TypeTimestampTZ
}

// FormatText renders d in PostgreSQL's text output format for type t.
// NULL has no text form; callers send it as a NULL field.
func FormatText(t Type, d Datum) string {
	switch v := d.(type) {
	case nil:
		return ""
	case bool:
		if v {
			return "t"
		}
		return "f"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return formatFloat8(v)
	case *apd.Decimal:
		return formatNumeric(v)
	case string:
		if t.ID == TypeChar {
			return formatChar(v)
		}
		return v
	case time.Time:
		return formatTime(t.ID, v)
	case *RegValue:
		return v.Name
	case *Array:
		return formatArray(t, v)
	}
	return ""
}

func formatFloat8(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	// PostgreSQL 12+ prints the shortest exact representation, switching to
	// exponent form outside 1e-4 <= |f| < 1e15.
	abs := math.Abs(f)
	if f != 0 && (abs < 1e-4 || abs >= 1e15) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Go writes e+06 / e-05; PostgreSQL writes e+06 / e-05 too, but never
		// a single-digit exponent.
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func formatNumeric(d *apd.Decimal) string {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return "NaN"
	case apd.Infinite:
		if d.Negative {
			return "-Infinity"
		}
		return "Infinity"
	}
	if d.Negative && d.IsZero() {
		// numeric has no negative zero: -0.0 prints as 0.0.
		z := *d
		z.Negative = false
		return z.Text('f')
	}
	return d.Text('f')
}

func formatTime(id TypeID, v time.Time) string {
	switch id {
	case TypeDate:
		return formatDate(v)
	case TypeTimestampTZ:
		v = v.UTC()
		return formatDate(v) + " " + formatClock(v) + "+00"
	default:
		return formatDate(v) + " " + formatClock(v)
	}
}

func formatDate(v time.Time) string {
	y := v.Year()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	s := pad(y, 4) + "-" + pad(int(v.Month()), 2) + "-" + pad(v.Day(), 2)
	if bc {
		s += " BC"
	}
	return s
}

func formatClock(v time.Time) string {
	s := pad(v.Hour(), 2) + ":" + pad(v.Minute(), 2) + ":" + pad(v.Second(), 2)
	if us := v.Nanosecond() / 1000; us != 0 {
		frac := pad(us, 6)
		s += "." + strings.TrimRight(frac, "0")
	}
	return s
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// ParseText converts a value in text input form to type t, as a cast from
// an untyped literal does ('42'::int4). Errors carry SQLSTATE 22P02, 22003,
// 22007 or 22001 as PostgreSQL's input functions do.
func ParseText(t Type, s string) (Datum, error) {
	switch t.ID {
	case TypeBool:
		return parseBool(s)
	case TypeInt2, TypeInt4, TypeInt8:
		return parseInt(t, s)
	case TypeFloat8:
		return parseFloat8(s)
	case TypeNumeric:
		return parseNumeric(s)
	case TypeText, TypeUnknown:
		return s, nil
	case TypeVarchar:
		return checkVarchar(t, s, false)
	case TypeBpchar:
		return checkBpchar(t, s, false)
	case TypeDate:
		return parseDate(s)
	case TypeTimestamp, TypeTimestampTZ:
		return parseTimestamp(t, s)
	case TypeOID:
		return parseOID(s)
	case TypeSysName:
		return parseSysName(s), nil
	case TypeChar:
		return parseChar(s), nil
	}
	if t.isArray() {
		return parseArray(t, s)
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "type %s is not supported", t.Name())
}

func invalidInput(t Type, s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", t.Name(), s)
}

func parseBool(s string) (Datum, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "tr", "tru", "true", "y", "ye", "yes", "on", "1":
		return true, nil
	case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
		return false, nil
	}
	return nil, invalidInput(typ(TypeBool), s)
}

func intRange(id TypeID) (int64, int64) {
	switch id {
	case TypeInt2:
		return math.MinInt16, math.MaxInt16
	case TypeInt4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func parseInt(t Type, s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	n, err := strconv.ParseInt(trimmed, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.Name())
		}
		return nil, invalidInput(t, s)
	}
	lo, hi := intRange(t.ID)
	if n < lo || n > hi {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.Name())
	}
	return n, nil
}

func parseFloat8(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(trimmed, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "\"%s\" is out of range for type double precision", s)
		}
		return nil, invalidInput(typ(TypeFloat8), s)
	}
	if strings.ContainsAny(trimmed, "xXpP_") {
		return nil, invalidInput(typ(TypeFloat8), s)
	}
	return f, nil
}

func parseNumeric(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "nan":
		return &apd.Decimal{Form: apd.NaN}, nil
	case "infinity", "+infinity", "inf", "+inf":
		return &apd.Decimal{Form: apd.Infinite}, nil
	case "-infinity", "-inf":
		return &apd.Decimal{Form: apd.Infinite, Negative: true}, nil
	}
	d, _, err := apd.NewFromString(trimmed)
	if err != nil || d.Form != apd.Finite {
		return nil, invalidInput(typ(TypeNumeric), s)
	}
	return d, nil
}

// checkVarchar enforces varchar(n). An explicit cast truncates silently; an
// assignment of a longer value fails with 22001, unless the excess is spaces.
func checkVarchar(t Type, s string, explicit bool) (Datum, error) {
	if t.Mod < 0 {
		return s, nil
	}
	n := int(t.Mod)
	if strings.Count(s, "")-1 <= n {
		return s, nil
	}
	runes := []rune(s)
	if explicit || strings.TrimRight(string(runes[n:]), " ") == "" {
		return string(runes[:n]), nil
	}
	return nil, pgerr.New(pgerr.StringDataRightTruncation, "value too long for type character varying(%d)", n)
}

var dateLayouts = []string{"2006-01-02", "2006-1-2", "20060102", "01/02/2006", "2006/01/02", "January 2, 2006", "Jan 2, 2006", "2-Jan-2006"}

func parseDate(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "epoch":
		return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), nil
	}
	bc := false
	if up := strings.ToUpper(trimmed); strings.HasSuffix(up, " BC") {
		bc = true
		trimmed = strings.TrimSpace(trimmed[:len(trimmed)-3])
	}
	for _, layout := range dateLayouts {
		if v, err := time.Parse(layout, trimmed); err == nil {
			if bc {
				v = v.AddDate(1-2*v.Year(), 0, 0)
			}
			return v, nil
		}
	}
	// A timestamp string is accepted as a date: the time part is dropped.
	if v, err := parseTimestamp(typ(TypeTimestamp), trimmed); err == nil {
		tv := v.(time.Time)
		return time.Date(tv.Year(), tv.Month(), tv.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	if looksLikeDate(trimmed) {
		return nil, pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return nil, pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type date: \"%s\"", s)
}

func looksLikeDate(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}

var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-1-2 15:04:05.999999999",
	"2006-1-2",
}

func parseTimestamp(t Type, s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "epoch":
		return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), nil
	case "infinity", "-infinity":
		return nil, pgerr.New(pgerr.FeatureNotSupported, "infinite timestamps are not supported")
	}
	trimmed = strings.TrimSuffix(trimmed, " UTC")
	for _, layout := range timestampLayouts {
		if v, err := time.Parse(layout, trimmed); err == nil {
			if t.ID == TypeTimestamp {
				// timestamp without time zone ignores a zone in its input.
				v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
			}
			return roundMicro(v.UTC()), nil
		}
	}
	return nil, pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", t.Name(), s)
}

func roundMicro(v time.Time) time.Time { return v.Round(time.Microsecond) }

// numericFromPG converts a numeric to the wire layer's form: an integer
// mantissa and a base-10 exponent.
func numericParts(d *apd.Decimal) (*big.Int, int32) {
	b := new(big.Int).Set(d.Coeff.MathBigInt())
	if d.Negative {
		b.Neg(b)
	}
	return b, d.Exponent
}

// NumericParts exposes a numeric datum as mantissa and exponent, for binary
// encoding on the wire.
func NumericParts(d *apd.Decimal) (*big.Int, int32) { return numericParts(d) }

// numericRank orders the numeric types for promotion.
func numericRank(id TypeID) int {
	switch id {
	case TypeInt2:
		return 1
	case TypeInt4:
		return 2
	case TypeInt8:
		return 3
	case TypeNumeric:
		return 4
	case TypeFloat8:
		return 5
	}
	return 0
}

// baseType drops type modifiers, as operator results have none.
func baseType(t Type) Type {
	if t.ID == TypeVarchar {
		return typ(TypeText)
	}
	return Type{ID: t.ID, Mod: -1}
}
