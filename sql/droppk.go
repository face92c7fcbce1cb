package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// ALTER TABLE ... DROP CONSTRAINT on a primary key. A table's rows are
// stored under their primary key, so dropping it moves every row to a
// row id and rebuilds the table's indexes, which name rows by their keys
// (rewriteTable, as dropping a key column does). The key's columns stay
// NOT NULL, as PostgreSQL 15 leaves attnotnull set.

// dropPrimaryKey drops the primary key of table, the descriptor the
// caller stores afterwards. Foreign keys referencing it make it fail
// with 2BP01, or with cascade are dropped first; a partition cannot drop
// the key its partitioned table gives it, and a partitioned table's
// partitions lose theirs with it.
func dropPrimaryKey(x *execCtx, table *catalog.TableDesc, cascade bool) ([]Notice, error) {
	name := table.PKConstraintName()
	if table.IsPartition() {
		parent, _, err := x.s.e.cat.Lookup(x.snap, table.Inherits[0])
		if err != nil {
			return nil, err
		}
		if parent != nil && len(parent.PK) > 0 {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot drop inherited constraint \"%s\" of relation \"%s\"", name, table.Name)
		}
	}
	for _, ev := range x.s.uniq.deferred {
		if ev.table == table.Key() {
			return nil, pgerr.New(pgerr.ObjectInUse, "cannot ALTER TABLE \"%s\" because it has pending trigger events", table.Name)
		}
	}
	notices, err := dropPKReferences(x, table, name, cascade)
	if err != nil {
		return nil, err
	}
	if err := unkeyTable(x, table); err != nil {
		return nil, err
	}
	for _, child := range table.Children {
		part, tuple, err := x.s.e.cat.Lookup(x.snap, child)
		if err != nil {
			return nil, err
		}
		if part == nil || !part.IsPartition() || len(part.PK) == 0 {
			continue
		}
		updated := *part
		if err := unkeyTable(x, &updated); err != nil {
			return nil, err
		}
		if err := replaceTableDesc(x, tuple, &updated); err != nil {
			return nil, err
		}
	}
	if len(notices) > 1 {
		detail := make([]string, len(notices))
		for i, n := range notices {
			detail[i] = n.Message
		}
		notices = []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
			Message: "drop cascades to " + itoa(len(notices)) + " other objects", Detail: strings.Join(detail, "\n")}}
	}
	return notices, nil
}

// unkeyTable removes table's primary key and moves its rows (and index
// entries) to row ids.
func unkeyTable(x *execCtx, table *catalog.TableDesc) error {
	old := *table
	if table.ClusterOn == old.PKConstraintName() {
		table.ClusterOn = ""
	}
	table.PK, table.PKName, table.PKComment, table.PKConstraintComment = nil, "", "", ""
	if table.PartKey != nil {
		return nil // no rows of its own
	}
	rebuild := make(map[uint32]bool, len(table.Indexes))
	for _, ix := range table.Indexes {
		rebuild[ix.ID] = true
	}
	if err := renumberIndexes(x, table, rebuild); err != nil {
		return err
	}
	same := func(row []types.Datum) ([]types.Datum, error) { return row, nil }
	return rewriteTable(x, &old, table, same, true, rebuild)
}

// dropPKReferences finds the foreign keys that reference table's primary
// key: without cascade it refuses, with it drops them (from table itself
// for a self-reference, from the other tables' descriptors otherwise).
func dropPKReferences(x *execCtx, table *catalog.TableDesc, name string, cascade bool) ([]Notice, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	var lines []string
	var notices []Notice
	for _, t := range all {
		var keep []catalog.ForeignKeyDesc
		var dropped bool
		fks := t.ForeignKeys
		if t.Key() == table.Key() {
			fks = table.ForeignKeys
		}
		for _, fk := range fks {
			if ix, ok := findReferenced(table, fk.RefColumns); fk.RefTable == table.Key() && ok && ix == nil {
				lines = append(lines, "constraint "+fk.Name+" on table "+t.Name+" depends on index "+name)
				notices = append(notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "drop cascades to constraint " + fk.Name + " on table " + t.Name})
				dropped = true
				continue
			}
			keep = append(keep, fk)
		}
		if !dropped || !cascade {
			continue
		}
		if t.Key() == table.Key() {
			table.ForeignKeys = keep
			continue
		}
		current, tuple, err := x.s.e.cat.Lookup(x.snap, t.Key())
		if err != nil {
			return nil, err
		}
		updated := *current
		updated.ForeignKeys = slices.Clip(keep)
		if err := replaceTableDesc(x, tuple, &updated); err != nil {
			return nil, err
		}
	}
	if len(lines) > 0 && !cascade {
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop constraint %s on table %s because other objects depend on it", name, table.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	if len(notices) > 1 {
		detail := make([]string, len(notices))
		for i, n := range notices {
			detail[i] = n.Message
		}
		notices = []Notice{{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
			Message: "drop cascades to " + itoa(len(notices)) + " other objects", Detail: strings.Join(detail, "\n")}}
	}
	return notices, nil
}
