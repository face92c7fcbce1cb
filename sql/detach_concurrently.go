package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
)

// DETACH PARTITION ... CONCURRENTLY. PostgreSQL detaches in two
// transactions so that queries on the partitioned table need not wait;
// cairn's detach is one catalog change either way. What the form adds is
// PostgreSQL's: it runs outside a transaction block only, it is refused
// while the partitioned table has a default partition (whose constraint
// would have to change), and the detached table keeps its partition
// constraint as a CHECK constraint, so that attaching it again needs no
// scan. The constraint is left out when one of the table's valid CHECK
// constraints is the very same condition (as pg_get_constraintdef prints
// both); PostgreSQL leaves it out also when its constraints imply it in
// other words, which cairn does not prove.

// detachConcurrently detaches child from parent and gives it its
// partition constraint as a CHECK constraint.
func detachConcurrently(x *execCtx, parent, child *catalog.TableDesc) error {
	for _, key := range parent.Children {
		part, _, err := x.s.e.cat.Lookup(x.snap, key)
		if err != nil {
			return err
		}
		if part != nil && part.PartBound != nil && part.PartBound.Default {
			return pgerr.New(pgerr.ObjectNotInPrerequisiteState, "cannot detach partitions concurrently when a default partition exists")
		}
	}
	r, err := x.Relations()
	if err != nil {
		return err
	}
	def, hasDef := r.PartitionConstraintDef(child)
	if err := unlinkParent(x, child, parent); err != nil {
		return err
	}
	if !hasDef {
		return nil
	}
	nextCommand(x)
	detached, tuple, err := x.s.e.cat.Lookup(x.snap, child.Key())
	if err != nil || detached == nil {
		return err
	}
	// The conditions compare as pg_get_constraintdef prints them.
	cols := make([]parser.ViewColumn, len(detached.Columns))
	for i, c := range detached.Columns {
		cols[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
	}
	canonical := parser.DeparseCheck(def, cols, false)
	for _, c := range detached.Checks {
		if !c.NotValid && parser.DeparseCheck(c.Expr, cols, false) == canonical {
			return nil
		}
	}
	b := &binder{s: x.s, snap: x.snap}
	e, err := b.parseCheck(def)
	if err != nil {
		return err
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return err
	}
	id, err := x.s.e.tm.NextOID()
	if err != nil {
		return err
	}
	updated := *detached
	updated.Checks = append(append([]catalog.CheckDesc(nil), detached.Checks...), catalog.CheckDesc{
		ID: id, Name: checkConstraintName(inSchema(all, detached.Schema), detached.Name, e, nil), Expr: def})
	return replaceTableDesc(x, tuple, &updated)
}
