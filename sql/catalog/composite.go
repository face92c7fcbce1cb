package catalog

import "github.com/cairndb/cairn/sql/types"

// Composite types, CREATE TYPE name AS (a int, b text): a user type whose
// Kind is TypeComposite, whose attributes are the desc's Columns (as
// PostgreSQL keeps them in pg_attribute, under a pg_class row of relkind
// 'c' whose oid is TypeDesc.RelOID). A value of the type is a record
// (types.RecordValue); the type in expressions and in the columns that
// hold it is a record type whose shape names the composite type
// (CompositeType), so that field selection, comparison and output work as
// for any record.

// TypeComposite is pg_type.typtype of a composite type.
const TypeComposite = "c"

// IsComposite reports whether t is a composite type.
func (t *TableDesc) IsComposite() bool { return t.Type != nil && t.Type.Kind == TypeComposite }

// CompositeType is the record type of composite type t: its fields are
// t's attributes.
func (t *TableDesc) CompositeType() types.T {
	names := make([]string, len(t.Columns))
	ts := make([]types.T, len(t.Columns))
	for i, c := range t.Columns {
		names[i], ts[i] = c.Name, c.Type
	}
	rt := types.RecordOf(names, ts)
	rt.Shape.OID, rt.Shape.TypeName = t.ID, t.Name
	return rt
}

// UsesComposite reports whether a value of type ct holds values of the
// composite type with oid id: ct is the type, an array of it, or a
// composite type or array with such a field.
func UsesComposite(ct types.T, id uint32) bool {
	if ct.Shape == nil || ct.ID != types.Record && ct.ID != types.RecordArray {
		return false
	}
	if ct.Shape.OID == id {
		return true
	}
	for _, ft := range ct.Shape.Types {
		if UsesComposite(ft, id) {
			return true
		}
	}
	return false
}

// compositeByRelOID is the composite type whose pg_class oid is oid, or
// nil.
func (r *Relations) compositeByRelOID(oid int64) *TableDesc {
	for _, d := range r.Types {
		if d.IsComposite() && int64(d.Type.RelOID) == oid {
			return d
		}
	}
	return nil
}
