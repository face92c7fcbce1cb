package catalog

import "github.com/cairndb/cairn/sql/types"

// Row types of relations. In PostgreSQL every table and view has a
// composite type of its own name (pg_type.typrelid the relation's
// oid, pg_class.reltype the type's), with an array type _name beside it.
// cairn keeps no entry for it: the type follows from the relation's
// descriptor. Its oid is the relation's with RowTypeBit set (and its
// array type's that with types.UserArrayBit set too), so that it never
// meets an oid the catalog hands out, and its fields are the relation's
// columns as they are now. In expressions and in the columns that hold
// its values it is a record type whose shape names it, as for the
// composite types of CREATE TYPE ... AS (composite.go).

// RowTypeBit marks the oid of a relation's row type: the relation's oid
// with this bit set.
const RowTypeBit uint32 = 1 << 30

// HasRowType reports whether t is a relation with a row type: a table or
// a view (an index, a sequence and a user type have none, as in
// PostgreSQL 15).
func (t *TableDesc) HasRowType() bool { return t.Type == nil && t.IndexOf == "" && t.Sequence == nil }

// RowTypeOID is the oid of relation t's row type (pg_class.reltype).
func (t *TableDesc) RowTypeOID() uint32 { return t.ID | RowTypeBit }

// RowType is relation t's row type: a record type whose fields are t's
// columns and whose shape names the type.
func (t *TableDesc) RowType() types.T {
	names := make([]string, len(t.Columns))
	ts := make([]types.T, len(t.Columns))
	for i, c := range t.Columns {
		names[i], ts[i] = c.Name, c.Type
	}
	rt := types.RecordOf(names, ts)
	rt.Shape.OID, rt.Shape.TypeName = t.RowTypeOID(), t.Name
	return rt
}

// rowTypeRelation is the relation whose row type (or, with array set, its
// array type) has oid oid; nil if none.
func (r *Relations) rowTypeRelation(oid int64) (d *TableDesc, array bool) {
	id := uint32(oid)
	if int64(id) != oid || id&RowTypeBit == 0 {
		return nil, false
	}
	if types.ID(id)&types.UserArrayBit != 0 {
		id &^= uint32(types.UserArrayBit)
		array = true
	}
	id &^= RowTypeBit
	for _, t := range r.Tables {
		if t.ID == id && t.HasRowType() {
			return t, array
		}
	}
	return nil, false
}

// rowTypeRows are the pg_type rows of the relations' row types and their
// array types.
func rowTypeRows(r *Relations) [][]types.Datum {
	var out [][]types.Datum
	for _, t := range r.Tables {
		if !t.HasRowType() {
			continue
		}
		oid := int64(t.RowTypeOID())
		arr := oid | int64(types.UserArrayBit)
		ns, owner := r.NamespaceOID(t.Schema), int64(t.OwnerOID())
		out = append(out,
			[]types.Datum{oid, t.Name, ns, int64(-1), "c",
				int64(0), int64(0), arr, int64(t.ID),
				int64(0), false, int64(-1), ",", nil, owner, true, "x", "d",
				"C", false, nil, false},
			[]types.Datum{arr, arrayTypeName(t.Name), ns, int64(-1), "b",
				int64(0), oid, int64(0), int64(0),
				int64(0), false, int64(-1), ",", nil, owner, true, "x", "d",
				"A", false, nil, false})
	}
	return out
}

// rowTypeByName is the oid of the row type named name (with array, or
// when name is _rel, its array type's) of the relation the search path
// finds first; 0 if none.
func (r *Relations) rowTypeByName(name string, array bool) int64 {
	find := func(name string) *TableDesc {
		var found *TableDesc
		rank := len(r.Search) + 1
		for _, t := range r.Tables {
			if t.Name != name || !t.HasRowType() {
				continue
			}
			at := len(r.Search)
			for i, s := range r.Search {
				if s == SchemaOrPublic(t.Schema) {
					at = i
					break
				}
			}
			if at < rank {
				found, rank = t, at
			}
		}
		return found
	}
	t := find(name)
	if t == nil && !array && len(name) > 1 && name[0] == '_' {
		t, array = find(name[1:]), true
	}
	if t == nil {
		return 0
	}
	if array {
		return int64(t.RowTypeOID()) | int64(types.UserArrayBit)
	}
	return int64(t.RowTypeOID())
}
