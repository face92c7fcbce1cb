package catalog

// StorageID returns the heap id under which the table's rows are stored:
// every heap call that reads or writes the table's rows must pass it,
// never ID. A table starts with its rows under its OID; a rewrite (ALTER
// TABLE ... ADD PRIMARY KEY) writes them under a new id, as PostgreSQL
// gives the table a new relfilenode, and swaps the descriptor in the same
// transaction, so a snapshot reads the rows its own descriptor names.
// Locks, SSI targets of the SQL layer and pg_catalog keep using ID.
func (t *TableDesc) StorageID() uint32 {
	if t.Storage != 0 {
		return t.Storage
	}
	return t.ID
}

// StorageID returns the heap id under which the index's entries are
// stored: every heap call that reads or writes them must pass it, never
// ID. REINDEX writes the entries anew under a new id and swaps the
// descriptor, as PostgreSQL gives the index a new relfilenode.
func (d *IndexDesc) StorageID() uint32 {
	if d.Storage != 0 {
		return d.Storage
	}
	return d.ID
}
