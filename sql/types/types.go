package types

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
type ID uint32

// The types cairn supports, with PostgreSQL's OIDs.
const (
	Unknown     ID = 705
	Bool        ID = 16
	Int2        ID = 21
	Int4        ID = 23
	Int8        ID = 20
	Float8      ID = 701
	Numeric     ID = 1700
	Text        ID = 25
	Varchar     ID = 1043
	Bpchar      ID = 1042
	Date        ID = 1082
	Timestamp   ID = 1114
	TimestampTZ ID = 1184
)

// Type is a column or expression type: an OID plus a type modifier (the n of
// varchar(n); -1 when there is none), as PostgreSQL describes it on the wire.
type T struct {
	ID  ID
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

func New(id ID) T { return T{ID: id, Mod: -1} }

// Size is the fixed length of the type in bytes, or -1 for variable length
// (pg_type.typlen).
func (t T) Size() int16 {
	switch t.ID {
	case Bool, Char:
		return 1
	case Int2:
		return 2
	case Int4, Date, OID, Regclass, Regtype, Regnamespace, Regrole:
		return 4
	case SysName:
		return IdentifierBytesMax + 1
	case Int8, Float8, Timestamp, TimestampTZ:
		return 8
	default:
		return -1
	}
}

// Name is the type's SQL name as PostgreSQL prints it in error messages.
func (t T) Name() string {
	switch t.ID {
	case Bool:
		return "boolean"
	case Int2:
		return "smallint"
	case Int4:
		return "integer"
	case Int8:
		return "bigint"
	case Float8:
		return "double precision"
	case Numeric:
		return "numeric"
	case Text:
		return "text"
	case Varchar:
		if t.Mod >= 0 {
			return "character varying(" + strconv.Itoa(int(t.Mod)) + ")"
		}
		return "character varying"
	case Bpchar:
		if t.Mod >= 0 {
			return "character(" + strconv.Itoa(int(t.Mod)) + ")"
		}
		return "character"
	case Date:
		return "date"
	case Timestamp:
		return "timestamp without time zone"
	case TimestampTZ:
		return "timestamp with time zone"
	case Unknown:
		return "unknown"
	}
	if n, ok := CatalogTypeName(t.ID); ok {
		return n
	}
	if elem, ok := t.Elem(); ok {
		return elem.Name() + "[]"
	}
	return "type " + strconv.Itoa(int(t.ID))
}

func (t T) IsInteger() bool {
	return t.ID == Int2 || t.ID == Int4 || t.ID == Int8
}

func (t T) IsNumeric() bool {
	return t.IsInteger() || t.ID == Float8 || t.ID == Numeric
}

func (t T) IsString() bool {
	return t.ID == Text || t.ID == Varchar || t.ID == Bpchar || t.ID == Unknown ||
		t.ID == SysName || t.ID == Char
}

func (t T) IsTime() bool {
	return t.ID == Date || t.ID == Timestamp || t.ID == TimestampTZ
}

// FormatText renders d in PostgreSQL's text output format for type t.
// NULL has no text form; callers send it as a NULL field.
func FormatText(t T, d Datum) string {
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
		return FormatNumeric(v)
	case string:
		if t.ID == Char {
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

func FormatNumeric(d *apd.Decimal) string {
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

func formatTime(id ID, v time.Time) string {
	switch id {
	case Date:
		return formatDate(v)
	case TimestampTZ:
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
func ParseText(t T, s string) (Datum, error) {
	switch t.ID {
	case Bool:
		return parseBool(s)
	case Int2, Int4, Int8:
		return parseInt(t, s)
	case Float8:
		return parseFloat8(s)
	case Numeric:
		return parseNumeric(s)
	case Text, Unknown:
		return s, nil
	case Varchar:
		return checkVarchar(t, s, false)
	case Bpchar:
		return checkBpchar(t, s, false)
	case Date:
		return parseDate(s)
	case Timestamp, TimestampTZ:
		return parseTimestamp(t, s)
	case OID:
		return parseOID(s)
	case SysName:
		return parseSysName(s), nil
	case Char:
		return parseChar(s), nil
	}
	if t.IsArray() {
		return parseArray(t, s)
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "type %s is not supported", t.Name())
}

func invalidInput(t T, s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", t.Name(), s)
}

func parseBool(s string) (Datum, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "tr", "tru", "true", "y", "ye", "yes", "on", "1":
		return true, nil
	case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
		return false, nil
	}
	return nil, invalidInput(New(Bool), s)
}

func intRange(id ID) (int64, int64) {
	switch id {
	case Int2:
		return math.MinInt16, math.MaxInt16
	case Int4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func parseInt(t T, s string) (Datum, error) {
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
		return nil, invalidInput(New(Float8), s)
	}
	if strings.ContainsAny(trimmed, "xXpP_") {
		return nil, invalidInput(New(Float8), s)
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
		return nil, invalidInput(New(Numeric), s)
	}
	return d, nil
}

// checkVarchar enforces varchar(n). An explicit cast truncates silently; an
// assignment of a longer value fails with 22001, unless the excess is spaces.
func checkVarchar(t T, s string, explicit bool) (Datum, error) {
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
	if v, err := parseTimestamp(New(Timestamp), trimmed); err == nil {
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

func parseTimestamp(t T, s string) (Datum, error) {
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
			if t.ID == Timestamp {
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
func NumericRank(id ID) int {
	switch id {
	case Int2:
		return 1
	case Int4:
		return 2
	case Int8:
		return 3
	case Numeric:
		return 4
	case Float8:
		return 5
	}
	return 0
}

// baseType drops type modifiers, as operator results have none.
func Base(t T) T {
	if t.ID == Varchar {
		return New(Text)
	}
	return T{ID: t.ID, Mod: -1}
}
