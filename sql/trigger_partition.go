package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// Row triggers of partitioned tables, as PostgreSQL 15 has them
// (trigger.c, tablecmds.c). A partitioned table stores no rows, so its
// row triggers never fire themselves: each is cloned to every partition
// (recursively, and to the partitions created or attached later), and
// the clones fire. A clone names the trigger it was cloned from
// (TriggerDesc.Parent, pg_trigger.tgparentid) and has its name,
// definition and firing state. It cannot be dropped or renamed alone;
// dropping, renaming or enabling/disabling the partitioned table's
// trigger does the same to its clones (ALTER TABLE ONLY ... ENABLE
// does not recurse). A partition detached loses its clones.

// editTable locks table key and stores edit's change to a copy of its
// descriptor; the statement's next command sees it.
func (x *execCtx) editTable(key string, edit func(cur, updated *catalog.TableDesc) error) error {
	cur, _, err := x.s.e.cat.Lookup(x.snap, key)
	if err != nil || cur == nil {
		return err
	}
	if err := x.lockTableForDDL(cur.ID, txn.AccessExclusive); err != nil {
		return err
	}
	cur, tuple, err := x.s.e.cat.Lookup(x.snap, key)
	if err != nil || cur == nil {
		return err
	}
	updated := *cur
	updated.Triggers = slices.Clone(cur.Triggers)
	if err := edit(cur, &updated); err != nil {
		return err
	}
	if len(updated.Triggers) == 0 {
		updated.Triggers = nil
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return err
	}
	nextCommand(x)
	return nil
}

// partitions returns the partitions of table (none unless it is
// partitioned), as the statement sees them now.
func (x *execCtx) partitions(table *catalog.TableDesc) ([]*catalog.TableDesc, error) {
	if !table.IsPartitioned() {
		return nil, nil
	}
	cur, _, err := x.s.e.cat.Lookup(x.snap, table.Key())
	if err != nil || cur == nil {
		return nil, err
	}
	var out []*catalog.TableDesc
	for _, k := range cur.Children {
		p, _, err := x.s.e.cat.Lookup(x.snap, k)
		if err != nil {
			return nil, err
		}
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// cloneTrigger gives partition part a clone of src, a row trigger of
// its partitioned table, and its own partitions clones of that clone.
// A trigger of the same name on the partition is an error unless
// replace (CREATE OR REPLACE), which makes it the clone.
func (x *execCtx) cloneTrigger(part *catalog.TableDesc, src *catalog.TriggerDesc, replace bool) error {
	clone := *src
	clone.Parent, clone.Comment = src.OID, ""
	clone.Columns, clone.Args = slices.Clone(src.Columns), slices.Clone(src.Args)
	err := x.editTable(part.Key(), func(cur, updated *catalog.TableDesc) error {
		if old := updated.Trigger(src.Name); old != nil {
			if !replace {
				return pgerr.New(pgerr.DuplicateObject, "trigger \"%s\" for relation \"%s\" already exists", src.Name, cur.Name)
			}
			clone.OID = old.OID
			*old = clone
			return nil
		}
		oid, err := x.s.e.tm.NextOID()
		if err != nil {
			return err
		}
		clone.OID = oid
		if clone.Constraint {
			// A clone's constraint is a row of its own.
			if clone.ConstraintOID, err = x.s.e.tm.NextOID(); err != nil {
				return err
			}
		}
		updated.Triggers = append(updated.Triggers, clone)
		return nil
	})
	if err != nil {
		return err
	}
	return x.cloneToPartitions(part, &clone, replace)
}

// cloneToPartitions clones row trigger g of table to its partitions.
func (x *execCtx) cloneToPartitions(table *catalog.TableDesc, g *catalog.TriggerDesc, replace bool) error {
	parts, err := x.partitions(table)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if err := x.cloneTrigger(p, g, replace); err != nil {
			return err
		}
	}
	return nil
}

// cloneRowTriggers gives part, which has just become a partition of
// parent, clones of parent's row triggers.
func (x *execCtx) cloneRowTriggers(parent, part *catalog.TableDesc) error {
	cur, _, err := x.s.e.cat.Lookup(x.snap, parent.Key())
	if err != nil || cur == nil {
		return err
	}
	for _, g := range cur.TriggersByName() {
		if g.Level() != "ROW" {
			continue
		}
		if err := x.cloneTrigger(part, g, false); err != nil {
			return err
		}
	}
	return nil
}

// checkTransitionRowTriggers refuses to make table a partition or an
// inheritance child while it has a row trigger with transition tables.
func checkTransitionRowTriggers(table *catalog.TableDesc, partition bool) error {
	for _, g := range table.TriggersByName() {
		if g.Level() != "ROW" || g.OldTable == "" && g.NewTable == "" {
			continue
		}
		if partition {
			return pgerr.New(pgerr.FeatureNotSupported, "trigger \"%s\" prevents table \"%s\" from becoming a partition", g.Name, table.Name).
				WithDetail("ROW triggers with transition tables are not supported on partitions.")
		}
		return pgerr.New(pgerr.FeatureNotSupported, "trigger \"%s\" prevents table \"%s\" from becoming an inheritance child", g.Name, table.Name).
			WithDetail("ROW triggers with transition tables are not supported in inheritance hierarchies.")
	}
	return nil
}

// dropClones drops the clones of trigger oid from table's partitions,
// and theirs in turn.
func (x *execCtx) dropClones(table *catalog.TableDesc, oid uint32) error {
	parts, err := x.partitions(table)
	if err != nil {
		return err
	}
	for _, p := range parts {
		var dropped uint32
		err := x.editTable(p.Key(), func(_, updated *catalog.TableDesc) error {
			updated.Triggers = slices.DeleteFunc(updated.Triggers, func(g catalog.TriggerDesc) bool {
				if g.Parent == oid {
					dropped = g.OID
					return true
				}
				return false
			})
			return nil
		})
		if err != nil {
			return err
		}
		if dropped != 0 {
			if err := x.dropClones(p, dropped); err != nil {
				return err
			}
		}
	}
	return nil
}

// dropClonedTriggers drops the clones a partition being detached has,
// and their clones in its own partitions.
func (x *execCtx) dropClonedTriggers(part *catalog.TableDesc) error {
	var dropped []uint32
	err := x.editTable(part.Key(), func(_, updated *catalog.TableDesc) error {
		updated.Triggers = slices.DeleteFunc(updated.Triggers, func(g catalog.TriggerDesc) bool {
			if g.Parent != 0 {
				dropped = append(dropped, g.OID)
				return true
			}
			return false
		})
		return nil
	})
	if err != nil {
		return err
	}
	for _, oid := range dropped {
		if err := x.dropClones(part, oid); err != nil {
			return err
		}
	}
	return nil
}

// renameClones renames the clones of trigger oid in table's partitions.
func (x *execCtx) renameClones(table *catalog.TableDesc, oid uint32, name string) error {
	parts, err := x.partitions(table)
	if err != nil {
		return err
	}
	for _, p := range parts {
		var renamed uint32
		err := x.editTable(p.Key(), func(cur, updated *catalog.TableDesc) error {
			for i := range updated.Triggers {
				g := &updated.Triggers[i]
				if g.Parent != oid {
					continue
				}
				if other := updated.Trigger(name); other != nil && other != g {
					return pgerr.New(pgerr.DuplicateObject, "trigger \"%s\" for relation \"%s\" already exists", name, cur.Name)
				}
				g.Name, renamed = name, g.OID
			}
			return nil
		})
		if err != nil {
			return err
		}
		if renamed != 0 {
			if err := x.renameClones(p, renamed, name); err != nil {
				return err
			}
		}
	}
	return nil
}

// enableClones sets the firing state of the clones of trigger oid in
// table's partitions.
func (x *execCtx) enableClones(table *catalog.TableDesc, oid uint32, state string) error {
	parts, err := x.partitions(table)
	if err != nil {
		return err
	}
	for _, p := range parts {
		var changed uint32
		err := x.editTable(p.Key(), func(_, updated *catalog.TableDesc) error {
			for i := range updated.Triggers {
				if g := &updated.Triggers[i]; g.Parent == oid {
					g.Enabled, changed = state, g.OID
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if changed != 0 {
			if err := x.enableClones(p, changed, state); err != nil {
				return err
			}
		}
	}
	return nil
}

// parentTriggerTable returns the table of the trigger clone g of table
// was cloned from: table's partitioned table.
func (x *execCtx) parentTriggerTable(table *catalog.TableDesc) (*catalog.TableDesc, error) {
	if len(table.Inherits) == 0 {
		return nil, pgerr.New(pgerr.InternalError, "partition \"%s\" has no partitioned table", table.Name)
	}
	p, _, err := x.s.e.cat.Lookup(x.snap, table.Inherits[0])
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, pgerr.New(pgerr.InternalError, "partitioned table of \"%s\" not found", table.Name)
	}
	return p, nil
}

// setFKTriggersDisabled carries ENABLE / DISABLE TRIGGER ALL of a
// partitioned table to its partitions' foreign key triggers.
func (x *execCtx) setFKTriggersDisabled(table *catalog.TableDesc, disabled bool) error {
	parts, err := x.partitions(table)
	if err != nil {
		return err
	}
	for _, p := range parts {
		err := x.editTable(p.Key(), func(_, updated *catalog.TableDesc) error {
			updated.FKTriggersDisabled = disabled
			return nil
		})
		if err != nil {
			return err
		}
		if err := x.setFKTriggersDisabled(p, disabled); err != nil {
			return err
		}
	}
	return nil
}
