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

// Record and RecordArray are the pseudo-type record and its array type.
const (
	Record      ID = 2249
	RecordArray ID = 2287
)

// RecordShape describes the fields of a record type.
type RecordShape struct {
	Names []string
	Types []T
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
			return nil, pgerr.New(pgerr.FeatureNotSupported, "input of anonymous composite types is not implemented")
		}})
}

// formatRecord is record_out.
func formatRecord(r *RecordValue, st Style) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, f := range r.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if f == nil {
			continue
		}
		var t T
		if r.Shape != nil && i < len(r.Shape.Types) {
			t = r.Shape.Types[i]
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
