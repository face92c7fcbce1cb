package types

import (
	"fmt"
	"strconv"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// ID identifies a SQL type by its PostgreSQL type OID, so the wire layer
// can report it without a mapping table. Each family's file declares its
// types' IDs.
type ID uint32

// T is a column or expression type: an OID plus a type modifier (the n of
// varchar(n); -1 when there is none), as PostgreSQL describes it on the wire.
type T struct {
	ID  ID
	Mod int32
	// Shape names and types the fields of an anonymous record type
	// (ID Record): a row constructor's, or a function's returning
	// record. nil for every other type.
	Shape *RecordShape `json:",omitempty"`
}

// Datum is one SQL value. Its dynamic type depends on the SQL type:
//
//	nil                       NULL, for every type
//	bool                      bool
//	int64                     int2, int4, int8
//	float64                   float8; float4 (a value a float32 holds)
//	*apd.Decimal              numeric
//	string                    text, varchar, unknown, bpchar (blank-padded);
//	                          bytea (its raw bytes, bytea.go)
//	UUIDValue                 uuid (uuid.go)
//	InetValue                 inet, cidr (network.go)
//	MacAddrValue              macaddr (network.go)
//	MacAddr8Value             macaddr8 (network.go)
//	Money                     money (money.go)
//	Point, Lseg, Line, Box,   point, lseg, line, box, path, polygon, circle
//	*Path, *Polygon, Circle   (geometry.go)
//	time.Time                 date (midnight UTC), timestamp (UTC), timestamptz
//	IntervalValue             interval (interval.go)
//	TimeOfDay, TimeTZValue    time, timetz (timeofday.go)
//	*Array                    arrays, int2vector (array.go, int2vector.go)
//	*RecordValue              record (record.go)
//	string, *JSON             json (its text), jsonb (json.go)
//	int64, string, *RegValue  oid; name and "char"; regclass and the other
//	                          object identifier types (catalog.go)
//	EnumValue                 user-defined enum types (enum.go)
type Datum = any

// New is the type id without a modifier.
func New(id ID) T { return T{ID: id, Mod: -1} }

// IsInteger reports whether t is int2, int4 or int8.
func (t T) IsInteger() bool {
	return t.ID == Int2 || t.ID == Int4 || t.ID == Int8
}

// IsNumeric reports whether t is an integer type, float4, float8 or
// numeric.
func (t T) IsNumeric() bool {
	return t.IsInteger() || t.ID == Float4 || t.ID == Float8 || t.ID == Numeric
}

// IsString reports whether values of t are strings compared as text:
// text, varchar, character, unknown, name and "char".
func (t T) IsString() bool {
	return t.ID == Text || t.ID == Varchar || t.ID == Bpchar || t.ID == Unknown ||
		t.ID == SysName || t.ID == Char
}

// IsTime reports whether t is date, timestamp or timestamptz.
func (t T) IsTime() bool {
	return t.ID == Date || t.ID == Timestamp || t.ID == TimestampTZ
}

// FormatText renders d in PostgreSQL's text output format for type t, in
// the default Style. NULL has no text form; callers send it as a NULL
// field.
func FormatText(t T, d Datum) string { return FormatTextStyle(t, d, Style{}) }

// formatPlain is FormatTextStyle for the values whose text the style
// changes only through bytea_output.
func formatPlain(t T, d Datum, o Style) string {
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
		if o.RoundFloats {
			return formatFloatRounded(v, t.ID == Float4, o.ExtraFloatDigits)
		}
		if t.ID == Float4 {
			return formatFloat4(v)
		}
		return formatFloat8(v)
	case *apd.Decimal:
		return FormatNumeric(v)
	case string:
		switch t.ID {
		case Char:
			return formatChar(v)
		case Bytea:
			if o.ByteaEscape {
				return FormatByteaEscape(v)
			}
			return FormatByteaHex(v)
		}
		return v
	case UUIDValue:
		return v.String()
	case InetValue, MacAddrValue, MacAddr8Value:
		s, _ := formatNetwork(t, v)
		return s
	case Money:
		return v.String()
	case Point, Lseg, Line, Box, *Path, *Polygon, Circle:
		s, _ := FormatGeometry(v, o)
		return s
	case time.Time:
		return formatTime(t.ID, v)
	case IntervalValue:
		return FormatInterval(v, "")
	case TimeOfDay:
		return FormatTimeOfDay(v)
	case TimeTZValue:
		return formatTimeTZ(v)
	case *RegValue:
		return v.Name
	case *Array:
		return formatArrayStyle(t, v, o)
	case *RecordValue:
		return formatRecord(t, v, o)
	case *JSON:
		return v.String()
	case EnumValue:
		return v.Label
	}
	return ""
}

func invalidInput(t T, s string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", t.Name(), s)
}

// Base drops type modifiers, as operator results have none; varchar
// becomes text.
func Base(t T) T {
	if t.ID == Varchar {
		return New(Text)
	}
	return T{ID: t.ID, Mod: -1, Shape: t.Shape}
}

// PGTypmod is t's modifier as PostgreSQL stores it (atttypmod): the n of
// varchar(n) and character(n) plus 4, numeric's as cairn keeps it.
func PGTypmod(t T) int32 {
	base := t
	if e, ok := t.Elem(); ok {
		base = e
	}
	if (base.ID == Varchar || base.ID == Bpchar) && t.Mod >= 0 {
		return t.Mod + 4
	}
	return t.Mod
}

// FromPGTypmod is PGTypmod's inverse for a type of t's kind.
func FromPGTypmod(t T, mod int32) int32 {
	base := t
	if e, ok := t.Elem(); ok {
		base = e
	}
	if (base.ID == Varchar || base.ID == Bpchar) && mod >= 4 {
		return mod - 4
	}
	if mod < 0 {
		return -1
	}
	return mod
}

// Format is format_type(type oid, typmod) for cairn's types.
func Format(t T) string {
	if e, ok := t.Elem(); ok && e.ID == Numeric {
		return Format(e) + "[]"
	}
	if t.ID == Bpchar && t.Mod < 0 {
		return "bpchar"
	}
	if t.ID == Numeric && t.Mod >= 4 {
		p, s := NumericPrecScale(t.Mod)
		return fmt.Sprintf("numeric(%d,%d)", p, s)
	}
	return t.Name()
}
