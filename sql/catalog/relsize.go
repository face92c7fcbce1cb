package catalog

// Accessors the size functions (pg_relation_size and the others) need.

// Table returns the table the index belongs to.
func (ix *IndexRelation) Table() *TableDesc { return ix.table }

// PrimaryKey reports whether the index is a primary key's, which cairn
// keeps as the table's own key order rather than as entries of its own.
func (ix *IndexRelation) PrimaryKey() bool { return ix.pk }

// IndexID is the id of a secondary index's entries in the heap; 0 for a
// primary key's.
func (ix *IndexRelation) IndexID() uint32 {
	if ix.pk {
		return 0
	}
	return ix.desc.ID
}

// StorageID is the heap id a secondary index's entries are under
// (IndexDesc.StorageID); 0 for a primary key's.
func (ix *IndexRelation) StorageID() uint32 {
	if ix.pk {
		return 0
	}
	return ix.desc.StorageID()
}

// Table returns the table, view or sequence with oid, or nil.
func (r *Relations) Table(oid int64) *TableDesc {
	for _, t := range r.Tables {
		if int64(t.ID) == oid {
			return t
		}
	}
	return nil
}

// IndexesOf returns the indexes of table t, its primary key's first.
func (r *Relations) IndexesOf(t *TableDesc) []*IndexRelation {
	var out []*IndexRelation
	for i := range r.indexes {
		if r.indexes[i].table == t {
			out = append(out, &r.indexes[i])
		}
	}
	return out
}
