package types

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// Info is what cairn knows of one type. Each family's file registers its
// types (register, from an init function); everything that asks about a
// type by OID or by name asks the registry.
type Info struct {
	ID ID
	// Typname is the name pg_type lists ("int4"); an array type's is its
	// element's with a leading underscore ("_int4").
	Typname string
	// SQLName is the name format_type and error messages print when the
	// type has no modifier ("integer").
	SQLName string
	// Len is pg_type.typlen: the size of a value in bytes, -1 when it
	// varies.
	Len int16
	// Array is the array type pg_type lists for this type (typarray); 0
	// when there is none. Elem is, for an array type, its element type.
	Array, Elem ID
	// Category and Preferred are pg_type's typcategory and
	// typispreferred, which overload resolution weighs: 'N' numeric,
	// 'S' string, 'D' date and time, 'B' boolean, 'A' array, 'Z' "char",
	// 'X' unknown.
	Category  byte
	Preferred bool

	// aliases are the names a statement may write for the type in a cast
	// or a column definition. The catalog types have none: the binder
	// resolves those names itself.
	aliases []string
	// arrays says whether cairn supports arrays of the type; pg_type
	// still lists the array type (Array) when it does not.
	arrays bool
	// unlisted keeps the type out of pg_type (unknown).
	unlisted bool
	// vector marks a type with an element type (Elem) that pg_type lists
	// on its own and that is named as itself, not as an array: int2vector.
	vector bool
	// implicit are the types a value of this type converts to
	// implicitly: pg_cast's entries with castcontext 'i'.
	implicit []ID
	// assignment are the types a value of this type converts to in an
	// assignment (and explicitly) but not implicitly: pg_cast's entries
	// with castcontext 'a' other than the conversions to the string types.
	assignment []ID
	// modifiers resolves a written name with its modifiers (varchar(n));
	// nil when modifiers are ignored.
	modifiers func(tn ast.TypeName) (T, error)
	// nameMod prints the type with a modifier (character varying(n));
	// nil when a modifier does not show in the type's name.
	nameMod func(mod int32) string
	// input reads the text form into a value of type t (t carries the
	// modifier); nil when the type has no input of its own.
	input func(t T, s string) (Datum, error)
	// cast converts a non-NULL value of another type, or of the same type
	// with another modifier, to this type.
	cast func(d Datum, from, to T, explicit bool) (Datum, error)
}

var (
	byID   = map[ID]*Info{}
	byName = map[string]*Info{}
)

// register adds a family's types to the registry, and with each type
// whose arrays cairn supports, its array type.
func register(infos ...*Info) {
	add := func(in *Info) {
		if byID[in.ID] != nil {
			panic(fmt.Sprintf("types: type %d (%s) registered twice", in.ID, in.Typname))
		}
		byID[in.ID] = in
	}
	for _, in := range infos {
		add(in)
		for _, a := range in.aliases {
			byName[a] = in
		}
		if in.arrays {
			arr := &Info{ID: in.Array, Typname: "_" + in.Typname, Len: -1, Elem: in.ID, Category: 'A', input: parseArray, cast: castToArray}
			add(arr)
			// A statement may name an array type by its typname (_int4,
			// _name).
			byName[arr.Typname] = arr
		}
	}
}

// Lookup returns what cairn knows of the type with OID id.
func Lookup(id ID) (*Info, bool) {
	in, ok := byID[id]
	return in, ok
}

// Listed returns the types pg_type lists, in OID order: every type cairn
// has except unknown and the array types (pg_type lists those beside
// their element type, Info.Array).
func Listed() []*Info {
	var out []*Info
	for _, in := range byID {
		if (in.Elem == 0 || in.vector) && !in.unlisted {
			out = append(out, in)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByOID is the type pg_type lists under oid: a listed type, or the array
// type of one (whether cairn supports that array or not). ok is false for
// any other oid.
func ByOID(oid int64) (T, bool) {
	for _, in := range byID {
		if in.Elem != 0 && !in.vector || in.unlisted {
			continue
		}
		if int64(in.ID) == oid {
			return New(in.ID), true
		}
		if in.Array != 0 && int64(in.Array) == oid {
			return New(in.Array), true
		}
	}
	return T{}, false
}

// Size is the fixed length of the type in bytes, or -1 for variable length
// (pg_type.typlen).
func (t T) Size() int16 {
	if in, ok := byID[t.ID]; ok {
		return in.Len
	}
	if t.IsEnum() {
		return 4
	}
	return -1
}

// Name is the type's SQL name as PostgreSQL prints it in error messages.
func (t T) Name() string {
	if n, ok := t.compositeName(); ok {
		return n
	}
	in, ok := byID[t.ID]
	switch {
	case !ok:
		return "type " + strconv.Itoa(int(t.ID))
	case in.Elem != 0 && !in.vector:
		return T{ID: in.Elem, Mod: t.Mod}.Name() + "[]"
	case in.nameMod != nil && t.Mod >= 0:
		return in.nameMod(t.Mod)
	}
	return in.SQLName
}

// Elem is the element type of an array type; ok is false for other types.
func (t T) Elem() (T, bool) {
	in, ok := byID[t.ID]
	if !ok && t.IsUser() && t.ID&UserArrayBit != 0 {
		return T{ID: t.ID &^ UserArrayBit, Mod: t.Mod}, true
	}
	if !ok || in.Elem == 0 {
		return T{Mod: t.Mod}, false
	}
	if t.ID == RecordArray {
		return T{ID: in.Elem, Mod: t.Mod, Shape: t.Shape}, true
	}
	return T{ID: in.Elem, Mod: t.Mod}, true
}

// IsArray reports whether t is an array type.
func (t T) IsArray() bool {
	_, ok := t.Elem()
	return ok
}

// ArrayOf is the type of arrays of t; t's modifier applies to the
// elements, as varchar(10)[] keeps it. ok is false for a type that has no
// array type in cairn (an array, unknown, regtype, ...).
func ArrayOf(t T) (T, bool) {
	in, ok := byID[t.ID]
	if !ok && t.IsEnum() {
		return T{ID: t.ID | UserArrayBit, Mod: t.Mod}, true
	}
	if !ok || !in.arrays {
		return T{Mod: t.Mod}, false
	}
	if t.ID == Record {
		return T{ID: in.Array, Mod: t.Mod, Shape: t.Shape}, true
	}
	return T{ID: in.Array, Mod: t.Mod}, true
}

// ParseText converts a value in text input form to type t, as a cast from
// an untyped literal does ('42'::int4). Errors carry SQLSTATE 22P02, 22003,
// 22007 or 22001 as PostgreSQL's input functions do.
func ParseText(t T, s string) (Datum, error) {
	if in, ok := byID[t.ID]; ok && in.input != nil {
		return in.input(t, s)
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "type %s is not supported", t.Name())
}

// Resolve maps a type name as a statement writes it (int, varchar(10),
// numeric(10,2)[]) to a supported type.
func Resolve(tn ast.TypeName) (T, error) {
	if tn.Array {
		elem := tn
		elem.Array = false
		et, err := Resolve(elem)
		if err != nil {
			return T{}, err
		}
		at, ok := ArrayOf(et)
		if !ok {
			return T{}, pgerr.New(pgerr.UndefinedObject, "could not find array type for data type %s", et.Name()).WithPosition(tn.Pos)
		}
		return at, nil
	}
	in, ok := byName[tn.Name]
	if !ok {
		return T{}, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", tn.Name).WithPosition(tn.Pos)
	}
	if in.Elem != 0 && !in.vector {
		// _numeric(10,2): the modifiers are the element's.
		ein := byID[in.Elem]
		et := New(ein.ID)
		if ein.modifiers != nil {
			var err error
			if et, err = ein.modifiers(tn); err != nil {
				return T{}, err
			}
		}
		at, _ := ArrayOf(et)
		return at, nil
	}
	if in.modifiers != nil {
		return in.modifiers(tn)
	}
	return New(in.ID), nil
}

// badModifier is the error for modifiers a type does not take in that
// number.
func badModifier(tn ast.TypeName) error {
	return pgerr.New(pgerr.SyntaxError, "invalid type modifier for type %s", tn.Name).WithPosition(tn.Pos)
}

// ImplicitCast reports whether PostgreSQL converts a value of type from to
// type to implicitly, as in a function's argument: the same type, an
// untyped literal or parameter (unknown) to anything, pg_cast's implicit
// casts, and arrays whose elements convert implicitly.
func ImplicitCast(from, to ID) bool {
	if from == to || from == Unknown {
		return true
	}
	in, ok := byID[from]
	if !ok {
		return false
	}
	if slices.Contains(in.implicit, to) {
		return true
	}
	if out, ok := byID[to]; ok && in.Elem != 0 && out.Elem != 0 && !out.vector {
		return ImplicitCast(in.Elem, out.Elem)
	}
	return false
}

// AssignmentCast reports whether pg_cast has a cast from one type to the
// other that an assignment may use (castcontext 'a' or 'i') among the
// types whose families list them (Info.implicit, Info.assignment); the
// string types' conversions and the numeric ones are the binder's.
func AssignmentCast(from, to ID) bool {
	in, ok := byID[from]
	return ok && (slices.Contains(in.implicit, to) || slices.Contains(in.assignment, to))
}
