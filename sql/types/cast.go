package types

import (
	"github.com/cairndb/cairn/internal/pgerr"
)

// Cast converts a value of type from to type to, as a cast or an
// assignment does: explicit says whether it is a CAST (which may truncate
// varchar) or an assignment. NULL stays NULL. The target type's family
// does the conversion (Info.cast).
func Cast(d Datum, from, to T, explicit bool) (Datum, error) {
	if d == nil {
		return nil, nil
	}
	if from.ID == to.ID && (to.Mod < 0 || from.Mod == to.Mod) {
		return d, nil
	}
	if j, ok := d.(*JSON); ok && (to.ID == Bool || to.IsNumeric()) {
		return JSONBToScalar(j, to)
	}
	if in, ok := byID[to.ID]; ok && in.cast != nil {
		return in.cast(d, from, to, explicit)
	}
	if s, ok := d.(string); ok {
		return castFromText(s, to, explicit)
	}
	return nil, cannotCast(from, to)
}

// castFromText converts a string (text, varchar, unknown...) to a type
// that is not a string type: through the type's text input, then its
// modifier.
func castFromText(s string, to T, explicit bool) (Datum, error) {
	v, err := ParseText(to, s)
	if err != nil {
		return nil, err
	}
	return Cast(v, T{ID: to.ID, Mod: -1}, to, explicit)
}

// cannotCast is the error for a conversion that does not exist.
func cannotCast(from, to T) error {
	return pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), to.Name())
}

// CanCast reports whether a cast from one type to another exists at all.
func CanCast(from, to T) bool {
	if can, ok := jsonCanCast(from, to); ok && from.ID != Unknown {
		return can
	}
	if from.ID == to.ID || from.ID == Unknown || to.IsString() || from.IsString() || AssignmentCast(from.ID, to.ID) || geoExplicitCast(from.ID, to.ID) ||
		from.ID == XID8 && to.ID == XID {
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
	case from.ID == Interval && to.ID == Time, from.ID == Time && to.ID == Interval:
		return true
	case (from.ID == Time || from.ID == TimeTZ) && (to.ID == Time || to.ID == TimeTZ):
		return true
	case (from.ID == Timestamp || from.ID == TimestampTZ) && to.ID == Time, from.ID == TimestampTZ && to.ID == TimeTZ:
		return true
	}
	return false
}
