package types

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Records. A record value is a row of fields: what a row constructor,
// ROW(1, 'a') or (1, 'a'), makes, and what a function returning record
// (information_schema._pg_expandarray) yields in a select list. Its type
// is record (2249) with a Shape naming and typing the fields, which field
// selection, (expr).name, reads when a statement is bound; PostgreSQL
// keeps the same description in its "blessed" record typmods. A value is a
// *RecordValue carrying the same Shape, so its output needs no catalog.
//
// The text form is record_out's: (1,"a b",) — fields separated by
// commas, a NULL field empty, a field quoted when it is empty or holds a
// quote, backslash, parenthesis, comma or blank, with quotes and
// backslashes doubled inside. Anonymous records have no input, as in
// PostgreSQL (0A000). Records compare field by field as record_cmp does,
// a NULL field after every value and equal to another NULL.
//
// A composite type (CREATE TYPE name AS (...)) is a record type whose
// Shape carries the type's oid and name (IsComposite, TypeOID): its
// values have text input (ParseRecord) and are stored, as their fields
// without the Shape, so output types them by the column's type; a stored
// value lacking fields its type gained since prints them as NULL.

// Record and RecordArray are the pseudo-type record and its array type.
const (
	Record      ID = 2249
	RecordArray ID = 2287
)

// RecordShape describes the fields of a record type.
type RecordShape struct {
	Names []string
	Types []T
	// OID and TypeName name a composite type (CREATE TYPE name AS
	// (...)) whose fields these are: its pg_type oid, which the wire
	// protocol reports, and its name; 0 and "" for an anonymous record.
	OID      uint32 `json:",omitempty"`
	TypeName string `json:",omitempty"`
}

// RecordOf is the record type of the given fields.
func RecordOf(names []string, ts []T) T {
	return T{ID: Record, Mod: -1, Shape: &RecordShape{Names: names, Types: ts}}
}

// Field returns the index of the field called name, or -1.
func (s *RecordShape) Field(name string) int {
	for i, n := range s.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// RecordValue is a record value; Fields holds one Datum per field of Shape
// (nil for NULL).
type RecordValue struct {
	Shape  *RecordShape
	Fields []Datum
}

func init() {
	register(&Info{ID: Record, Typname: "record", SQLName: "record", Len: -1, Array: RecordArray, arrays: true, Category: 'P',
		input: func(t T, s string) (Datum, error) {
			if t.IsComposite() {
				return ParseRecord(t.Shape, s)
			}
			return nil, pgerr.New(pgerr.FeatureNotSupported, "input of anonymous composite types is not implemented")
		}})
}

// IsComposite reports whether t is a named composite type (not an
// anonymous record, not an array).
func (t T) IsComposite() bool {
	return t.ID == Record && t.Shape != nil && t.Shape.OID != 0
}

// TypeOID is t's pg_type oid as the wire protocol and pg_typeof report
// it: a composite type's own (its array's with UserArrayBit set, as for
// the other user types), otherwise its id.
func (t T) TypeOID() uint32 {
	if t.Shape != nil && t.Shape.OID != 0 {
		switch t.ID {
		case Record:
			return t.Shape.OID
		case RecordArray:
			return t.Shape.OID | uint32(UserArrayBit)
		}
	}
	return uint32(t.ID)
}

// compositeName is the name of a composite type or its array type; ok is
// false for other types.
func (t T) compositeName() (string, bool) {
	if t.Shape == nil || t.Shape.OID == 0 {
		return "", false
	}
	switch t.ID {
	case Record:
		return t.Shape.TypeName, true
	case RecordArray:
		return t.Shape.TypeName + "[]", true
	}
	return "", false
}

func malformedRecord(s, detail string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "malformed record literal: \"%s\"", s).WithDetail(detail)
}

// ParseRecord is record_in for a composite type of the given shape:
// (1,"a b",) holds 1, "a b" and NULL. A field is NULL when nothing stands
// between its commas; double quotes protect commas, parentheses and
// blanks ("" inside them is a quote), and a backslash quotes the next
// character. Each field is read by its type's input.
func ParseRecord(shape *RecordShape, s string) (Datum, error) {
	i := 0
	for i < len(s) && arrayIsSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '(' {
		return nil, malformedRecord(s, "Missing left parenthesis.")
	}
	i++
	out := &RecordValue{Shape: shape, Fields: make([]Datum, len(shape.Types))}
	for f := range shape.Types {
		if f > 0 {
			if i >= len(s) || s[i] != ',' {
				return nil, malformedRecord(s, "Too few columns.")
			}
			i++
		}
		if i < len(s) && (s[i] == ',' || s[i] == ')') {
			continue // NULL
		}
		var b strings.Builder
		quoted := false
		for i < len(s) && (quoted || s[i] != ',' && s[i] != ')') {
			c := s[i]
			i++
			switch {
			case c == '\\':
				if i >= len(s) {
					return nil, malformedRecord(s, "Unexpected end of input.")
				}
				b.WriteByte(s[i])
				i++
			case c == '"' && quoted && i < len(s) && s[i] == '"':
				b.WriteByte('"')
				i++
			case c == '"':
				quoted = !quoted
			default:
				b.WriteByte(c)
			}
		}
		if i >= len(s) {
			return nil, malformedRecord(s, "Unexpected end of input.")
		}
		ft := shape.Types[f]
		bare := ft
		bare.Mod = -1
		v, err := ParseText(bare, b.String())
		if err != nil {
			return nil, err
		}
		if v, err = Cast(v, bare, ft, false); err != nil {
			return nil, err
		}
		out.Fields[f] = v
	}
	if i >= len(s) || s[i] != ')' {
		if i < len(s) && s[i] == ',' {
			return nil, malformedRecord(s, "Too many columns.")
		}
		return nil, malformedRecord(s, "Too few columns.")
	}
	for i++; i < len(s); i++ {
		if !arrayIsSpace(s[i]) {
			return nil, malformedRecord(s, "Junk after right parenthesis.")
		}
	}
	return out, nil
}

// formatRecord is record_out. The fields are typed by t's shape when it
// has one (a value read from storage carries none), else by the value's;
// fields the value lacks (added to its type after it was stored) are
// NULL.
func formatRecord(t T, r *RecordValue, st Style) string {
	shape := r.Shape
	if t.Shape != nil && t.ID == Record {
		shape = t.Shape
	}
	n := len(r.Fields)
	if shape != nil && len(shape.Types) > n {
		n = len(shape.Types)
	}
	var b strings.Builder
	b.WriteByte('(')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		var f Datum
		if i < len(r.Fields) {
			f = r.Fields[i]
		}
		if f == nil {
			continue
		}
		var t T
		if shape != nil && i < len(shape.Types) {
			t = shape.Types[i]
		}
		s := FormatTextStyle(t, f, st)
		if !recordNeedsQuotes(s) {
			b.WriteString(s)
			continue
		}
		b.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				b.WriteByte(s[j])
			}
			b.WriteByte(s[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte(')')
	return b.String()
}

func recordNeedsQuotes(s string) bool {
	if s == "" {
		return true
	}
	for j := 0; j < len(s); j++ {
		switch c := s[j]; c {
		case '"', '\\', '(', ')', ',':
			return true
		default:
			if arrayIsSpace(c) {
				return true
			}
		}
	}
	return false
}

// CompareRecords orders two records as record_cmp does: field by field, a
// NULL field after any value; a shorter record first when one is a
// prefix of the other.
func CompareRecords(x, y *RecordValue) int {
	for i := 0; i < len(x.Fields) && i < len(y.Fields); i++ {
		a, b := x.Fields[i], y.Fields[i]
		switch {
		case a == nil && b == nil:
			continue
		case a == nil:
			return 1
		case b == nil:
			return -1
		}
		if c := Compare(a, b); c != 0 {
			return c
		}
	}
	return cmpOrdered(int64(len(x.Fields)), int64(len(y.Fields)))
}
