package types

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Arrays. cairn's arrays are one-dimensional with lower bound 1, of any
// scalar type cairn supports; they appear in expressions, query results
// and the pg_catalog relations, not as table columns. An array value is an
// *Array whose elements are Datums of the element type (nil for a NULL
// element). The text form is PostgreSQL's: {1,2,NULL}, {"a b",c}.
//
// Multi-dimensional arrays and explicit lower bounds ([0:1]={1,2}) are
// refused with 0A000 rather than read wrongly. Each family registers the
// array types of its types (Info.arrays); they share this file's input,
// output, comparison and casts.

// Array is a one-dimensional array value.
type Array struct {
	Elems []Datum
}

// arrayIsSpace is array_isspace: the blanks array input skips.
func arrayIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func malformedArray(s, detail string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "malformed array literal: \"%s\"", s).WithDetail(detail)
}

// parseArray reads an array of type t from its text form, as array_in
// does, with the same errors (22P02 malformed array literal and the
// element type's own input errors).
func parseArray(t T, s string) (Datum, error) {
	elem, _ := t.Elem()
	texts, nulls, err := splitArrayText(s)
	if err != nil {
		return nil, err
	}
	// Elements are read without the modifier: Cast applies it to
	// what this returns, truncating for an explicit cast as PostgreSQL
	// does ('{abc}'::varchar(2)[] is {ab}).
	bare := elem
	bare.Mod = -1
	out := &Array{Elems: make([]Datum, len(texts))}
	for i, e := range texts {
		if nulls[i] {
			continue
		}
		if out.Elems[i], err = ParseText(bare, e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// splitArrayText splits the text form of a one-dimensional array into
// its element texts, de-quoted and unescaped; nulls marks unquoted NULLs.
func splitArrayText(s string) ([]string, []bool, error) {
	i := 0
	skip := func() {
		for i < len(s) && arrayIsSpace(s[i]) {
			i++
		}
	}
	skip()
	if i < len(s) && s[i] == '[' {
		return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "array dimension decorations are not supported: \"%s\"", s)
	}
	if i == len(s) || s[i] != '{' {
		return nil, nil, malformedArray(s, "Array value must start with \"{\" or dimension information.")
	}
	i++
	var texts []string
	var nulls []bool
	const (
		wantFirst = iota // after {: an element or }
		wantElem         // after ,: an element
		wantSep          // after an element: , or }
	)
	state := wantFirst
	eof := func() error { return malformedArray(s, "Unexpected end of input.") }
	unexpected := func(c byte) error { return malformedArray(s, "Unexpected \""+string(c)+"\" character.") }
	for {
		skip()
		if i == len(s) {
			return nil, nil, eof()
		}
		c := s[i]
		if state == wantSep {
			switch c {
			case ',':
				state = wantElem
				i++
				continue
			case '}':
				i++
				skip()
				if i < len(s) {
					return nil, nil, malformedArray(s, "Junk after closing right brace.")
				}
				return texts, nulls, nil
			}
			return nil, nil, malformedArray(s, "Unexpected array element.")
		}
		switch c {
		case '}':
			if state == wantFirst {
				i++
				skip()
				if i < len(s) {
					return nil, nil, malformedArray(s, "Junk after closing right brace.")
				}
				return nil, nil, nil
			}
			return nil, nil, unexpected(c)
		case ',':
			return nil, nil, unexpected(c)
		case '{':
			if state == wantFirst {
				return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "multidimensional arrays are not supported")
			}
			return nil, nil, unexpected(c)
		case '"':
			i++
			var b strings.Builder
			for {
				if i == len(s) {
					return nil, nil, eof()
				}
				if s[i] == '\\' {
					if i+1 == len(s) {
						return nil, nil, eof()
					}
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '"' {
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			texts = append(texts, b.String())
			nulls = append(nulls, false)
		default:
			var b strings.Builder
			escaped := false
			keep := 0 // length of b up to the last escaped or non-blank byte
			for i < len(s) && s[i] != ',' && s[i] != '}' {
				switch s[i] {
				case '"':
					return nil, nil, malformedArray(s, "Unexpected array element.")
				case '{':
					return nil, nil, unexpected('{')
				case '\\':
					if i+1 == len(s) {
						return nil, nil, eof()
					}
					b.WriteByte(s[i+1])
					i += 2
					escaped = true
					keep = b.Len()
					continue
				}
				b.WriteByte(s[i])
				if !arrayIsSpace(s[i]) {
					keep = b.Len()
				}
				i++
			}
			text := b.String()[:keep]
			texts = append(texts, text)
			nulls = append(nulls, !escaped && strings.EqualFold(text, "NULL"))
		}
		state = wantSep
	}
}

// formatArrayStyle renders an array as array_out does: elements in their
// text form in style st, double-quoted when they are empty, spell NULL, or
// hold a brace, comma, quote, backslash or blank.
func formatArrayStyle(t T, a *Array, st Style) string {
	if t.ID == Int2Vector {
		return formatInt2Vector(a)
	}
	elem, _ := t.Elem()
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range a.Elems {
		if i > 0 {
			b.WriteByte(',')
		}
		if e == nil {
			b.WriteString("NULL")
			continue
		}
		s := FormatTextStyle(elem, e, st)
		if !arrayNeedsQuotes(s) {
			b.WriteString(s)
			continue
		}
		b.WriteByte('"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func arrayNeedsQuotes(s string) bool {
	if s == "" || strings.EqualFold(s, "NULL") {
		return true
	}
	for j := 0; j < len(s); j++ {
		switch c := s[j]; c {
		case '{', '}', ',', '"', '\\':
			return true
		default:
			if arrayIsSpace(c) {
				return true
			}
		}
	}
	return false
}

// compareArrays orders arrays as btarraycmp does: element by element, a
// NULL element equal to another NULL and above any value, then the
// shorter array first.
func compareArrays(a, b *Array) int {
	for i := 0; i < len(a.Elems) && i < len(b.Elems); i++ {
		x, y := a.Elems[i], b.Elems[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		if c := Compare(x, y); c != 0 {
			return c
		}
	}
	return cmpOrdered(int64(len(a.Elems)), int64(len(b.Elems)))
}

// castArray converts an array element by element, as PostgreSQL's array
// coercion does.
func castArray(a *Array, from, to T, explicit bool) (Datum, error) {
	fe, _ := from.Elem()
	te, _ := to.Elem()
	out := &Array{Elems: make([]Datum, len(a.Elems))}
	for i, e := range a.Elems {
		v, err := Cast(e, fe, te, explicit)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = v
	}
	return out, nil
}

// ArraySubscript is a[i]: NULL when i is outside the array.
func ArraySubscript(a *Array, i int64) Datum {
	if i < 1 || i > int64(len(a.Elems)) {
		return nil
	}
	return a.Elems[i-1]
}

// castToArray converts an array element by element, and text through the
// array's input.
func castToArray(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case *Array:
		return castArray(v, from, to, explicit)
	case string:
		return castFromText(v, to, explicit)
	}
	return nil, cannotCast(from, to)
}
