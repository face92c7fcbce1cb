package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// REINDEX rebuilds an index: it writes the entries of every row anew
// under a new heap id and swaps the index's descriptor to it, as
// PostgreSQL builds the index into a new relfilenode (pg_class shows the
// new id). A unique index is checked again as it is built (23505). The
// old entries become garbage when the old descriptor does, and VACUUM's
// reclaiming deletes them (vacuum.go). A primary key is the table's row
// storage itself: it has nothing to rebuild. CONCURRENTLY rebuilds the
// same way, holding the table's SHARE lock for the build.

// reindexTables rebuilds the indexes of the tables named by keys that
// which selects (nil: all of them), and of their partitions when a table
// is partitioned.
func reindexTables(x *execCtx, keys []string, which func(*catalog.IndexDesc) bool) error {
	for _, key := range keys {
		table, _, err := x.s.e.cat.Lookup(x.snap, key)
		if err != nil {
			return err
		}
		if table == nil || table.Kind() != "table" {
			continue
		}
		if table.IsPartitioned() {
			leaves, err := partitionLeaves(x, int64(table.ID))
			if err != nil {
				return err
			}
			var lk []string
			for _, t := range leaves {
				lk = append(lk, t.table.Key())
			}
			if err := reindexTables(x, lk, which); err != nil {
				return err
			}
			continue
		}
		if err := rebuildTableIndexes(x, table, which); err != nil {
			return err
		}
	}
	return nil
}

// leafIndex is a table of a partition tree and, for an index's tree, its
// index there.
type leafIndex struct {
	table *catalog.TableDesc
	index *catalog.IndexDesc
}

// partitionLeaves returns the leaves of the partition tree of the table
// or index with oid.
func partitionLeaves(x *execCtx, oid int64) ([]leafIndex, error) {
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	rows, err := catalog.PartitionTree(x, oid, partitionIndexParent(x, r))
	if err != nil {
		return nil, err
	}
	var out []leafIndex
	for _, row := range rows {
		if row[2] != true {
			continue
		}
		leaf := int64(regOID(row[0]))
		for _, t := range r.Tables {
			if int64(t.ID) == leaf {
				out = append(out, leafIndex{table: t})
			}
			for i := range t.Indexes {
				if int64(t.Indexes[i].ID) == leaf {
					out = append(out, leafIndex{table: t, index: &t.Indexes[i]})
				}
			}
		}
	}
	return out, nil
}

// reindexIndex rebuilds the index d names (its catalog entry), or the
// leaves of a partitioned index.
func reindexIndex(x *execCtx, d *catalog.TableDesc) error {
	table, _, err := x.s.e.cat.Lookup(x.snap, d.IndexOf)
	if err != nil {
		return err
	}
	if table == nil {
		return pgerr.New(pgerr.DataCorrupted, "table of index \"%s\" is missing from the catalog", d.Name)
	}
	if !table.IsPartitioned() {
		return rebuildTableIndexes(x, table, func(ix *catalog.IndexDesc) bool { return ix.ID == d.ID })
	}
	leaves, err := partitionLeaves(x, int64(d.ID))
	if err != nil {
		return err
	}
	for _, l := range leaves {
		if l.index == nil {
			continue
		}
		id := l.index.ID
		if err := rebuildTableIndexes(x, l.table, func(ix *catalog.IndexDesc) bool { return ix.ID == id }); err != nil {
			return err
		}
	}
	return nil
}

// reindexSchema rebuilds the indexes of every table in schema, or in
// every schema for "".
func reindexSchema(x *execCtx, schema string) error {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	var keys []string
	for _, t := range all {
		if t.Kind() == "table" && !t.IsPartitioned() && len(t.Indexes) > 0 && (schema == "" || t.SchemaName() == schema) {
			keys = append(keys, t.Key())
		}
	}
	return reindexTables(x, keys, nil)
}

// rebuildTableIndexes rebuilds the indexes of table (not partitioned)
// that which selects (nil: all), under a SHARE lock that keeps writers
// out until the transaction ends, and swaps the table's descriptor.
func rebuildTableIndexes(x *execCtx, table *catalog.TableDesc, which func(*catalog.IndexDesc) bool) error {
	if !slices.ContainsFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return which == nil || which(&ix) }) {
		return nil
	}
	e := x.s.e
	if err := x.lockTableForDDL(table.ID, txn.Share); err != nil {
		return err
	}
	table, tuple, err := e.cat.Lookup(x.snap, table.Key())
	if err != nil {
		return err
	}
	if table == nil {
		return nil // dropped while this statement waited
	}
	updated := *table
	updated.Indexes = slices.Clone(table.Indexes)
	for i := range updated.Indexes {
		idx := &updated.Indexes[i]
		if which != nil && !which(idx) {
			continue
		}
		if idx.Storage, err = e.tm.NextOID(); err != nil {
			return err
		}
		if err := buildIndex(x, table, idx); err != nil {
			return err
		}
	}
	if err := e.cat.Drop(x.op(), tuple); err != nil {
		return err
	}
	if err := e.cat.Create(x.op(), &updated); err != nil {
		return err
	}
	e.catalogChanged()
	x.s.wroteCatalog = true
	return nil
}
