package types

import (
	"github.com/cairndb/cairn/internal/pgerr"
)

// User-defined enum types (CREATE TYPE ... AS ENUM). Their labels live in
// the catalog, not in this registry: a value is self-describing, so that
// comparison, output and storage need no catalog.
//
//	EnumValue   a label and its sort position (pg_enum.enumsortorder)
//
// An enum type's id is the oid the catalog gave it, at or above
// FirstUserOID and not a registered type's; its array type's id is the
// same oid with UserArrayBit set, so T.Elem and ArrayOf know the pair
// without the catalog. Text input (ParseEnum) needs the type's labels,
// which the caller reads from the catalog and passes in an Enum.
//
// Values compare by Order, the position the label was declared at, and
// their keys encode Order only, so that renaming a label changes no key.
// Rows store both the order and the label; renaming a label rewrites the
// rows that hold it.

// FirstUserOID is the first oid the catalog gives an object, as in
// PostgreSQL.
const FirstUserOID = 16384

// UserArrayBit marks the array type of a user type: its id is the element
// type's with this bit set.
const UserArrayBit ID = 1 << 31

// EnumValue is a value of an enum type.
type EnumValue struct {
	Order float64
	Label string
}

// EnumLabelBytesMax is NAMEDATALEN-1, the longest enum label.
const EnumLabelBytesMax = 63

// Enum is an enum type as the catalog describes it: its name and its
// labels in sort order.
type Enum struct {
	ID     ID
	Name   string
	Labels []EnumValue
	// Unsafe are the labels the current transaction added, which it may
	// not use before it commits (55P04), as in PostgreSQL 15.
	Unsafe map[string]bool
}

// UnsafeEnumValue is the error for using a label of e that an uncommitted
// ALTER TYPE ... ADD VALUE added.
func UnsafeEnumValue(e *Enum, label string) error {
	return pgerr.New(pgerr.UnsafeNewEnumValueUsage, "unsafe use of new value \"%s\" of enum type %s", label, e.Name).
		WithHint("New enum values must be committed before they can be used.")
}

// IsUser reports whether t is a user-defined type or the array type of
// one: a type the registry does not know, whose labels and name are in
// the catalog.
func (t T) IsUser() bool {
	if _, ok := byID[t.ID]; ok {
		return false
	}
	return t.ID&^UserArrayBit >= FirstUserOID
}

// IsEnum reports whether t is a user-defined enum type (not its array).
func (t T) IsEnum() bool { return t.IsUser() && t.ID&UserArrayBit == 0 }

// ParseEnum is enum_in: the value of e whose label is s; an unknown label
// is 22P02.
func ParseEnum(e *Enum, s string) (Datum, error) {
	for _, l := range e.Labels {
		if l.Label == s {
			if e.Unsafe[s] {
				return nil, UnsafeEnumValue(e, s)
			}
			return l, nil
		}
	}
	return nil, pgerr.New(pgerr.InvalidTextRepresentation, "invalid input value for enum %s: \"%s\"", e.Name, s)
}

// ParseEnumArray is array_in for an array of e.
func ParseEnumArray(e *Enum, s string) (Datum, error) {
	texts, nulls, dims, lower, err := splitArrayText(s)
	if err != nil {
		return nil, err
	}
	out := NewArray(make([]Datum, len(texts)), dims, lower)
	for i, x := range texts {
		if nulls[i] {
			continue
		}
		if out.Elems[i], err = ParseEnum(e, x); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CastToEnum converts a non-NULL value of type from to e (or, when array
// is set, to an array of e): a string through e's input, an enum value of
// the same type as is, an array element by element.
func CastToEnum(e *Enum, d Datum, from T, array bool) (Datum, error) {
	if array {
		switch v := d.(type) {
		case string:
			return ParseEnumArray(e, v)
		case *Array:
			fe, _ := from.Elem()
			out := &Array{Elems: make([]Datum, len(v.Elems))}
			for i, x := range v.Elems {
				if x == nil {
					continue
				}
				y, err := CastToEnum(e, x, fe, false)
				if err != nil {
					return nil, err
				}
				out.Elems[i] = y
			}
			return out, nil
		}
		return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s[]", from.Name(), e.Name)
	}
	switch v := d.(type) {
	case string:
		return ParseEnum(e, v)
	case EnumValue:
		if from.ID == e.ID {
			return v, nil
		}
	}
	return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), e.Name)
}

// compareEnum orders two labels of one enum type.
func compareEnum(a, b EnumValue) int { return cmpFloat(a.Order, b.Order) }
