package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// ALTER TABLE's INHERIT, NO INHERIT, ATTACH PARTITION and DETACH
// PARTITION, and the way the other subcommands reach a table's children.
//
// INHERIT makes a table the child of another whose every column it has
// (same type, NOT NULL where the parent's is) and whose CHECK
// constraints it has under the same names; NO INHERIT undoes it, the
// inherited columns and constraints staying as the table's own. ATTACH
// PARTITION makes a table with exactly the partitioned table's columns a
// partition, after checking its rows against the bound (23514); DETACH
// PARTITION makes it a plain table again.

type inheritAlterPlan struct{ stmt *ast.AlterTableStmt }

func (p *inheritAlterPlan) columns() []Column { return nil }

func (p *inheritAlterPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	table, _, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	switch {
	case s.Inherit != nil:
		err = inherit(x, table, s.Inherit)
	case s.NoInherit != nil:
		err = noInherit(x, table, s.NoInherit)
	case s.Attach != nil:
		err = attachPartition(x, ec, table, s.Attach)
	case s.Detach != nil && s.Detach.Concurrently && x.s.inBlock():
		err = pgerr.New(pgerr.ActiveSQLTransaction, "ALTER TABLE ... DETACH CONCURRENTLY cannot run inside a transaction block")
	case s.Detach != nil:
		err = detachPartition(x, table, s.Detach)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// lockParentTable looks up the other table of INHERIT or ATTACH under an
// ACCESS EXCLUSIVE lock.
func lockParentTable(x *execCtx, ref ast.TableRef) (*catalog.TableDesc, error) {
	t, _, err := x.s.lookupRel(x.snap, ref.Name)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", ref.Name).WithPosition(ref.Pos)
	}
	if t.Kind() != "table" {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", ref.Name).WithPosition(ref.Pos)
	}
	if err := x.lockTableForDDL(t.ID, txn.AccessExclusive); err != nil {
		return nil, err
	}
	t, _, err = x.s.lookupRel(x.snap, ref.Name)
	return t, err
}

// matchParent checks that child has parent's columns and CHECK
// constraints, and returns child with them marked inherited once more.
// exact refuses columns parent lacks (a partition).
func matchParent(child, parent *catalog.TableDesc, exact bool) (*catalog.TableDesc, error) {
	updated := *child
	updated.Columns = slices.Clone(child.Columns)
	updated.Checks = slices.Clone(child.Checks)
	if exact {
		for _, c := range child.Columns {
			if parent.ColumnIndex(c.Name) < 0 {
				return nil, pgerr.New(pgerr.DatatypeMismatch, "table \"%s\" contains column \"%s\" not found in parent \"%s\"", child.Name, c.Name, parent.Name).
					WithDetail("The new partition may contain only the columns present in parent.")
			}
		}
	}
	for _, pc := range parent.Columns {
		i := child.ColumnIndex(pc.Name)
		if i < 0 {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "child table is missing column \"%s\"", pc.Name)
		}
		c := &updated.Columns[i]
		if !sameType(c.Type, pc.Type) {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "child table \"%s\" has different type for column \"%s\"", child.Name, pc.Name)
		}
		if pc.NotNull && !c.NotNull {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "column \"%s\" in child table must be marked NOT NULL", pc.Name)
		}
		c.InhCount++
		if exact {
			// A partition's columns are all inherited, as PostgreSQL
			// marks them (attislocal false): dropping the parent's
			// drops them.
			c.NotLocal = true
		}
	}
	for _, pk := range parent.Checks {
		if pk.NoInherit {
			continue
		}
		i := slices.IndexFunc(updated.Checks, func(c catalog.CheckDesc) bool { return c.Name == pk.Name })
		if i < 0 {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "child table is missing constraint \"%s\"", pk.Name)
		}
		if updated.Checks[i].Expr != pk.Expr {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "child table \"%s\" has different definition for check constraint \"%s\"", child.Name, pk.Name)
		}
		updated.Checks[i].InhCount++
	}
	return &updated, nil
}

// isAncestor reports whether a is b or one of b's ancestors.
func isAncestor(x *execCtx, a string, b *catalog.TableDesc, depth int) (bool, error) {
	if a == b.Name {
		return true, nil
	}
	if depth > inheritDepthMax {
		return false, pgerr.New(pgerr.ProgramLimitExceeded, "inheritance hierarchy of \"%s\" is too deep", b.Name)
	}
	for _, pn := range b.Inherits {
		p, _, err := x.s.e.cat.Lookup(x.snap, pn)
		if err != nil || p == nil {
			return false, err
		}
		if ok, err := isAncestor(x, a, p, depth+1); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

func inherit(x *execCtx, child *catalog.TableDesc, ref *ast.TableRef) error {
	if child.IsPartition() {
		return pgerr.New(pgerr.WrongObjectType, "cannot change inheritance of a partition")
	}
	if child.IsPartitioned() {
		return pgerr.New(pgerr.WrongObjectType, "cannot change inheritance of partitioned table")
	}
	parent, err := lockParentTable(x, *ref)
	if err != nil {
		return err
	}
	if parent.IsPartitioned() {
		return pgerr.New(pgerr.WrongObjectType, "cannot inherit from partitioned table \"%s\"", parent.Name)
	}
	if parent.IsPartition() {
		return pgerr.New(pgerr.WrongObjectType, "cannot inherit from a partition")
	}
	if slices.Contains(child.Inherits, parent.Key()) {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" would be inherited from more than once", parent.Name)
	}
	if circular, err := isAncestor(x, child.Name, parent, 0); err != nil || circular {
		if err != nil {
			return err
		}
		return pgerr.New(pgerr.DuplicateTable, "circular inheritance not allowed").
			WithDetail("\"" + parent.Name + "\" is already a child of \"" + child.Name + "\".")
	}
	if err := checkTransitionRowTriggers(child, false); err != nil {
		return err
	}
	updated, err := matchParent(child, parent, false)
	if err != nil {
		return err
	}
	updated.Inherits = append(slices.Clone(child.Inherits), parent.Key())
	if err := replaceChild(x, child.Key(), updated); err != nil {
		return err
	}
	return addChild(x, parent.Key(), child.Key())
}

// replaceChild stores updated as table name's descriptor and starts a new
// command, so the statement's next steps see it.
func replaceChild(x *execCtx, name string, updated *catalog.TableDesc) error {
	_, id, err := x.s.e.cat.Lookup(x.snap, name)
	if err != nil {
		return err
	}
	if err := replaceTableDesc(x, id, updated); err != nil {
		return err
	}
	nextCommand(x)
	return nil
}

// unlinkParent removes parent from child's parents: the columns and
// constraints inherited from it alone become child's own.
func unlinkParent(x *execCtx, child, parent *catalog.TableDesc) error {
	updated := *child
	updated.Columns = slices.Clone(child.Columns)
	updated.Checks = slices.Clone(child.Checks)
	updated.Inherits = slices.DeleteFunc(slices.Clone(child.Inherits), func(n string) bool { return n == parent.Key() })
	updated.PartBound = nil
	for _, pc := range parent.Columns {
		if i := updated.ColumnIndex(pc.Name); i >= 0 && updated.Columns[i].InhCount > 0 {
			c := &updated.Columns[i]
			c.InhCount--
			if c.InhCount == 0 {
				c.NotLocal = false
			}
		}
	}
	for _, pk := range parent.Checks {
		if i := slices.IndexFunc(updated.Checks, func(c catalog.CheckDesc) bool { return c.Name == pk.Name }); i >= 0 && updated.Checks[i].InhCount > 0 {
			c := &updated.Checks[i]
			c.InhCount--
			if c.InhCount == 0 {
				c.NotLocal = false
			}
		}
	}
	if err := replaceChild(x, child.Key(), &updated); err != nil {
		return err
	}
	return removeChild(x, parent.Key(), child.Key())
}

func noInherit(x *execCtx, child *catalog.TableDesc, ref *ast.TableRef) error {
	if child.IsPartition() {
		return pgerr.New(pgerr.WrongObjectType, "cannot change inheritance of a partition")
	}
	if child.IsPartitioned() {
		return pgerr.New(pgerr.WrongObjectType, "cannot change inheritance of partitioned table")
	}
	parent, err := lockParentTable(x, *ref)
	if err != nil {
		return err
	}
	if !slices.Contains(child.Inherits, parent.Key()) {
		return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" is not a parent of relation \"%s\"", parent.Name, child.Name)
	}
	return unlinkParent(x, child, parent)
}

func attachPartition(x *execCtx, ec *evalCtx, parent *catalog.TableDesc, cmd *ast.PartitionCmd) error {
	if !parent.IsPartitioned() {
		return pgerr.New(pgerr.InvalidObjectDefinition, "table \"%s\" is not partitioned", parent.Name)
	}
	child, err := lockParentTable(x, cmd.Table)
	if err != nil {
		return err
	}
	if err := x.checkOwner(child); err != nil {
		return err
	}
	switch {
	case parent.Temp() && !child.Temp():
		return pgerr.New(pgerr.WrongObjectType, "cannot attach a permanent relation as partition of temporary relation \"%s\"", parent.Name)
	case !parent.Temp() && child.Temp():
		return pgerr.New(pgerr.WrongObjectType, "cannot attach a temporary relation as partition of permanent relation \"%s\"", parent.Name)
	case child.IsPartition():
		return pgerr.New(pgerr.WrongObjectType, "\"%s\" is already a partition", child.Name)
	case child.OfType != 0:
		return pgerr.New(pgerr.WrongObjectType, "cannot attach a typed table as partition")
	case len(child.Inherits) > 0:
		return pgerr.New(pgerr.WrongObjectType, "cannot attach inheritance child as partition")
	case len(child.Children) > 0 && !child.IsPartitioned():
		return pgerr.New(pgerr.WrongObjectType, "cannot attach inheritance parent as partition")
	case child.Name == parent.Name:
		return pgerr.New(pgerr.DuplicateTable, "circular inheritance not allowed").
			WithDetail("\"" + child.Name + "\" is already a child of \"" + parent.Name + "\".")
	}
	if circular, err := isAncestor(x, child.Name, parent, 0); err != nil || circular {
		if err != nil {
			return err
		}
		return pgerr.New(pgerr.DuplicateTable, "circular inheritance not allowed").
			WithDetail("\"" + child.Name + "\" is already a child of \"" + parent.Name + "\".")
	}
	if err := checkTransitionRowTriggers(child, true); err != nil {
		return err
	}
	updated, err := matchParent(child, parent, true)
	if err != nil {
		return err
	}
	if len(parent.PK) > 0 {
		want := make([]int, len(parent.PK))
		for i, c := range parent.PK {
			want[i] = child.ColumnIndex(parent.Columns[c].Name)
		}
		if len(child.PK) > 0 && !slices.Equal(child.PK, want) {
			return pgerr.New(pgerr.FeatureNotSupported, "cannot attach a partition whose primary key differs from its partitioned table's")
		}
	}
	bound, err := placePartition(x, parent, child.Name, cmd.Bound)
	if err != nil {
		return err
	}
	// The table's rows must all satisfy the new partition's constraint,
	// and its ancestors' if the partitioned table is a partition itself.
	b := &binder{s: x.s, snap: x.snap}
	updated.PartBound = bound
	updated.Inherits = []string{parent.Key()}
	levels, err := b.partitionLevelsVia(updated, parent)
	if err != nil {
		return err
	}
	var leaves []*catalog.TableDesc
	if err := collectLeaves(x, child, &leaves, 0); err != nil {
		return err
	}
	for _, leaf := range leaves {
		cols := columnMap(updated, leaf)
		err := storedRows(x, leaf, func(row []types.Datum) error {
			if cols != nil {
				mapped := make([]types.Datum, len(cols))
				for i, c := range cols {
					if c >= 0 {
						mapped[i] = row[c]
					}
				}
				row = mapped
			}
			for i := range levels {
				if !levels[i].admits(row) {
					return pgerr.New(pgerr.CheckViolation, "partition constraint of relation \"%s\" is violated by some row", leaf.Name)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := validateAttachedFKs(x, parent, leaves); err != nil {
		return err
	}
	if err := replaceChild(x, child.Key(), updated); err != nil {
		return err
	}
	if err := addChild(x, parent.Key(), child.Key()); err != nil {
		return err
	}
	if err := x.cloneRowTriggers(parent, child); err != nil {
		return err
	}
	if len(parent.PK) > 0 && len(child.PK) == 0 {
		// The partition gets its partitioned table's primary key.
		var cols []string
		for _, c := range parent.PK {
			cols = append(cols, parent.Columns[c].Name)
		}
		pk := &addPrimaryKeyPlan{stmt: &ast.AlterTableStmt{Table: ast.TableRef{Name: child.Name}, PrimaryKey: cols}}
		if _, err := pk.execute(x, ec); err != nil {
			return err
		}
		nextCommand(x)
	}
	return inheritIndexes(x, parent, child)
}

// partitionLevelsVia is partitionLevels for desc about to become a
// partition of parent (its catalog entry not written yet).
func (b *binder) partitionLevelsVia(desc, parent *catalog.TableDesc) ([]partLevel, error) {
	lv, err := b.newPartLevel(desc, parent, desc.PartBound)
	if err != nil {
		return nil, err
	}
	up, err := b.partitionLevels(parent)
	if err != nil {
		return nil, err
	}
	out := []partLevel{lv}
	for _, l := range up {
		// Re-aim the ancestors' checks at desc's columns.
		for i, c := range l.keyCols {
			if c >= 0 {
				l.keyCols[i] = desc.ColumnIndex(parent.Columns[c].Name)
			}
		}
		if l.keyExprs != nil {
			if l.keyExprs, err = b.partKeyExprs(desc, l.parent); err != nil {
				return nil, err
			}
		}
		out = append(out, l)
	}
	return out, nil
}

func detachPartition(x *execCtx, parent *catalog.TableDesc, cmd *ast.PartitionCmd) error {
	if !parent.IsPartitioned() {
		return pgerr.New(pgerr.InvalidObjectDefinition, "table \"%s\" is not partitioned", parent.Name)
	}
	child, err := lockParentTable(x, cmd.Table)
	if err != nil {
		return err
	}
	if !child.IsPartition() || len(child.Inherits) != 1 || child.Inherits[0] != parent.Key() {
		return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" is not a partition of relation \"%s\"", child.Name, parent.Name)
	}
	if err := x.dropClonedTriggers(child); err != nil {
		return err
	}
	if child, err = lockParentTable(x, cmd.Table); err != nil {
		return err
	}
	if !cmd.Concurrently {
		return unlinkParent(x, child, parent)
	}
	return detachConcurrently(x, parent, child)
}

// indexAttachPlan is ALTER INDEX parent ATTACH PARTITION child, which
// pg_dump writes after a partitioned table's primary key or unique
// constraint and its partitions' own. cairn derives which partition
// index belongs to which partitioned index from their tables and
// columns, so the statement checks that child is such an index of a
// partition of parent's table and records nothing.
type indexAttachPlan struct{ stmt *ast.AlterTableStmt }

func (p *indexAttachPlan) columns() []Column { return nil }

func (p *indexAttachPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	r, err := x.Relations()
	if err != nil {
		return nil, err
	}
	find := func(ref ast.TableRef) (*catalog.IndexRelation, error) {
		ix := r.IndexNamed(ref.Name)
		if ix == nil {
			d, _, err := x.s.lookupRel(x.snap, ref.Name)
			if err != nil {
				return nil, err
			}
			if d != nil {
				return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not an index", d.Name)
			}
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name))
		}
		return ix, nil
	}
	parent, err := find(s.Table)
	if err != nil {
		return nil, err
	}
	child, err := find(s.Attach.Table)
	if err != nil {
		return nil, err
	}
	if r.ParentIndex(child) != parent && !samePartitionIndex(x, parent, child) {
		detail := "Index \"" + child.Name() + "\" is not an index on any partition of table \"" + r.IndexTable(parent).Name + "\"."
		if ct := child.Table(); len(ct.Inherits) == 1 && ct.PartBound != nil && ct.Inherits[0] == parent.Table().Key() {
			detail = "The index definitions do not match."
		}
		return nil, pgerr.New(pgerr.InvalidObjectDefinition, "cannot attach index \"%s\" as a partition of index \"%s\"", child.Name(), parent.Name()).
			WithDetail(detail)
	}
	return &Result{Tag: s.Tag()}, nil
}
