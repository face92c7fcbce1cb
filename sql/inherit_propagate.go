package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
)

// How ALTER TABLE's column and CHECK subcommands reach a table's
// children, as in PostgreSQL: ADD COLUMN adds the column to every
// descendant (merging it into one that has it), DROP COLUMN drops it
// from those that have it only by inheritance, RENAME COLUMN and ALTER
// COLUMN TYPE change it everywhere, ADD CONSTRAINT CHECK adds the
// constraint to every descendant and DROP CONSTRAINT drops it from those
// that have it only by inheritance. An inherited column or constraint
// cannot be dropped, renamed or retyped on the child alone (42P16), nor
// a partition key column at all.

// inheritedAlterPlan wraps such a subcommand's plan.
type inheritedAlterPlan struct {
	stmt  *ast.AlterTableStmt
	inner boundStmt
	// recursing is set for a child's part of its parent's command.
	recursing bool
	// family holds the keys of the table the command names and of all
	// its descendants (set when a child is reached); retyped those a
	// column type change reached already, which a table inheriting
	// through two paths is not given twice.
	family, retyped map[string]bool
}

func (p *inheritedAlterPlan) columns() []Column { return nil }

// wrapInherited wraps the plan of a subcommand that reaches children.
func wrapInherited(s *ast.AlterTableStmt, inner boundStmt, recursing bool) boundStmt {
	if s.DropColumn == nil && s.RenameColumn == nil && s.AddColumn == nil && s.AlterType == nil && s.Check == nil && s.DropConstraint == nil &&
		s.PrimaryKey == nil && s.Unique == nil {
		return inner
	}
	return &inheritedAlterPlan{stmt: s, inner: inner, recursing: recursing}
}

func (p *inheritedAlterPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	table, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil {
		return nil, err
	}
	if table == nil || table.Kind() != "table" {
		return p.inner.execute(x, ec)
	}
	if err := p.refuse(table); err != nil {
		return nil, err
	}
	before := table
	res, err := p.inner.execute(x, ec)
	if err != nil || res == nil || len(res.Notices) > 0 && isSkipNotice(res.Notices[len(res.Notices)-1].Message) {
		return res, err
	}
	nextCommand(x)
	after, _, err := x.s.lookupRel(x.snap, s.Table.Name)
	if err != nil || after == nil {
		return res, err
	}
	if s.DropColumn != nil && after.PartKey != nil {
		// The key's columns shift over the dropped one.
		gone := before.ColumnIndex(s.DropColumn.Name)
		key := &catalog.PartitionKey{Strategy: after.PartKey.Strategy, Exprs: before.PartKey.Exprs, ExprTypes: before.PartKey.ExprTypes}
		for _, c := range before.PartKey.Columns {
			if c > gone {
				c--
			}
			key.Columns = append(key.Columns, c)
		}
		updated := *after
		updated.PartKey = key
		if err := replaceChild(x, after.Key(), &updated); err != nil {
			return nil, err
		}
	}
	for _, cn := range before.Children {
		notices, err := p.child(x, ec, before, after, cn)
		if err != nil {
			return nil, err
		}
		res.Notices = append(res.Notices, notices...)
		if notices, err = p.childColumnChecks(x, ec, before, after, cn); err != nil {
			return nil, err
		}
		res.Notices = append(res.Notices, notices...)
	}
	return res, nil
}

// childColumnChecks gives child cn the CHECK constraints ADD COLUMN
// wrote on the column it added to the parent, once the child has the
// column: each as ADD CONSTRAINT on the parent would give it (merged
// with a same one the child has).
func (p *inheritedAlterPlan) childColumnChecks(x *execCtx, ec *evalCtx, before, after *catalog.TableDesc, cn string) ([]Notice, error) {
	s := p.stmt
	if s.AddColumn == nil || len(s.AddColumn.Checks) == 0 {
		return nil, nil
	}
	nextCommand(x)
	var notices []Notice
	for i := range s.AddColumn.Checks {
		c := s.AddColumn.Checks[i]
		j := slices.IndexFunc(after.Checks, func(d catalog.CheckDesc) bool {
			return d.Expr == c.SQL && (c.Name == "" || d.Name == c.Name) &&
				!slices.ContainsFunc(before.Checks, func(b catalog.CheckDesc) bool { return b.Name == d.Name })
		})
		if j < 0 {
			continue
		}
		// The parent as it was but for this one constraint, which child
		// then finds as the one added.
		others := *after
		others.Checks = slices.Delete(slices.Clone(after.Checks), j, j+1)
		q := &inheritedAlterPlan{stmt: &ast.AlterTableStmt{Table: s.Table, Pos: s.Pos, Check: &c},
			recursing: p.recursing, family: p.family, retyped: p.retyped}
		more, err := q.child(x, ec, &others, after, cn)
		if err != nil {
			return nil, err
		}
		notices = append(notices, more...)
	}
	return notices, nil
}

// refuse rejects the subcommand on an inherited column or constraint
// of a child, or on a partition key column.
func (p *inheritedAlterPlan) refuse(t *catalog.TableDesc) error {
	s := p.stmt
	keyCol := func(name string) bool {
		i := t.ColumnIndex(name)
		if t.PartKey == nil || i < 0 {
			return false
		}
		// A key expression that reads the column counts too.
		return slices.Contains(t.PartKey.Columns, i) ||
			slices.ContainsFunc(t.PartKey.Exprs, func(e string) bool { return e != "" && parser.MentionsColumn(e, name) })
	}
	inherited := func(name string) bool {
		i := t.ColumnIndex(name)
		return !p.recursing && i >= 0 && t.Columns[i].InhCount > 0
	}
	onlyPartitioned := s.Table.Only && t.IsPartitioned() && len(t.Children) > 0
	switch {
	case s.AddColumn != nil && t.IsPartition() && !p.recursing:
		return pgerr.New(pgerr.WrongObjectType, "cannot add column to a partition")
	case s.DropColumn != nil && onlyPartitioned && t.ColumnIndex(s.DropColumn.Name) >= 0:
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot drop column from only the partitioned table when partitions exist").
			WithHint("Do not specify the ONLY keyword.")
	case s.Check != nil && !s.Check.NoInherit && s.Table.Only && len(t.Children) > 0:
		return pgerr.New(pgerr.InvalidTableDefinition, "constraint must be added to child tables too")
	case s.DropConstraint != nil && onlyPartitioned &&
		slices.ContainsFunc(t.Checks, func(c catalog.CheckDesc) bool { return c.Name == s.DropConstraint.Name }):
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot remove constraint from only the partitioned table when partitions exist").
			WithHint("Do not specify the ONLY keyword.")
	case s.DropColumn != nil && inherited(s.DropColumn.Name):
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot drop inherited column \"%s\"", s.DropColumn.Name)
	case s.DropColumn != nil && keyCol(s.DropColumn.Name):
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot drop column \"%s\" because it is part of the partition key of relation \"%s\"", s.DropColumn.Name, t.Name)
	case s.RenameColumn != nil && inherited(s.RenameColumn.Old):
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot rename inherited column \"%s\"", s.RenameColumn.Old)
	case s.AlterType != nil && inherited(s.AlterType.Column):
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot alter inherited column \"%s\"", s.AlterType.Column)
	case s.AlterType != nil && keyCol(s.AlterType.Column):
		return pgerr.New(pgerr.InvalidTableDefinition, "cannot alter column \"%s\" because it is part of the partition key of relation \"%s\"", s.AlterType.Column, t.Name)
	case s.AddColumn != nil && s.Table.Only && len(t.Children) > 0 && t.ColumnIndex(s.AddColumn.Name) < 0:
		return pgerr.New(pgerr.InvalidTableDefinition, "column must be added to child tables too")
	case s.RenameColumn != nil && s.Table.Only && len(t.Children) > 0:
		return pgerr.New(pgerr.InvalidTableDefinition, "inherited column \"%s\" must be renamed in child tables too", s.RenameColumn.Old)
	case s.AlterType != nil && s.Table.Only && len(t.Children) > 0:
		return pgerr.New(pgerr.InvalidTableDefinition, "type of inherited column \"%s\" must be changed in child tables too", s.AlterType.Column)
	case s.PrimaryKey != nil && t.PartKey != nil:
		return lacksKey(t, "PRIMARY KEY", s.PrimaryKey)
	case s.Unique != nil && t.PartKey != nil:
		return lacksKey(t, "UNIQUE", s.Unique.Columns)
	case s.DropConstraint != nil && !p.recursing:
		if i := slices.IndexFunc(t.Checks, func(c catalog.CheckDesc) bool { return c.Name == s.DropConstraint.Name }); i >= 0 && t.Checks[i].InhCount > 0 {
			return pgerr.New(pgerr.InvalidTableDefinition, "cannot drop inherited constraint \"%s\" of relation \"%s\"", s.DropConstraint.Name, t.Name)
		}
	}
	return nil
}

// child carries the subcommand to the child table cn of before (the
// table as it was; after is the table as the subcommand left it).
func (p *inheritedAlterPlan) child(x *execCtx, ec *evalCtx, before, after *catalog.TableDesc, cn string) ([]Notice, error) {
	s := p.stmt
	child, _, err := x.s.e.cat.Lookup(x.snap, cn)
	if err != nil || child == nil {
		return nil, err
	}
	if p.family == nil {
		if p.family, err = familyOf(x, before); err != nil {
			return nil, err
		}
		p.retyped = make(map[string]bool)
	}
	sub := &ast.AlterTableStmt{Table: ast.TableRef{Name: cn}, Pos: s.Pos}
	run := func(inner boundStmt) ([]Notice, error) {
		res, err := (&inheritedAlterPlan{stmt: sub, inner: inner, recursing: true, family: p.family, retyped: p.retyped}).execute(x, ec)
		nextCommand(x)
		if err != nil || res == nil {
			return nil, err
		}
		return res.Notices, nil
	}
	updated := *child
	updated.Columns = slices.Clone(child.Columns)
	updated.Checks = slices.Clone(child.Checks)
	switch {
	case (s.PrimaryKey != nil || s.Unique != nil) && (s.Table.Only || !child.IsPartition()):
		// Keys reach partitions only; pg_dump adds each partition's
		// with ALTER TABLE ONLY.
		return nil, nil
	case s.PrimaryKey != nil:
		if len(child.PK) > 0 {
			return nil, nil
		}
		sub.PrimaryKey = s.PrimaryKey
		return run(&addPrimaryKeyPlan{stmt: sub})
	case s.Unique != nil:
		u := *s.Unique
		u.Name = ""
		sub.Unique = &u
		return run(&addUniquePlan{stmt: sub})
	case s.DropColumn != nil:
		i := child.ColumnIndex(s.DropColumn.Name)
		if i < 0 {
			return nil, nil
		}
		c := &updated.Columns[i]
		if !s.Table.Only && c.InhCount == 1 && c.NotLocal {
			sub.DropColumn = &ast.DropColumn{Name: c.Name, Cascade: s.DropColumn.Cascade}
			return run(&dropColumnPlan{stmt: sub})
		}
		c.InhCount--
		if s.Table.Only || c.InhCount == 0 {
			c.NotLocal = false
		}
		return nil, replaceChild(x, cn, &updated)
	case s.RenameColumn != nil:
		i := child.ColumnIndex(s.RenameColumn.Old)
		if i < 0 {
			return nil, nil
		}
		if child.Columns[i].InhCount > p.parentsIn(child) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot rename inherited column \"%s\"", s.RenameColumn.Old)
		}
		sub.RenameColumn = s.RenameColumn
		return run(&renameColumnPlan{stmt: sub})
	case s.AlterType != nil:
		i := child.ColumnIndex(s.AlterType.Column)
		if i < 0 || p.retyped[cn] {
			return nil, nil
		}
		p.retyped[cn] = true
		if child.Columns[i].InhCount > p.parentsIn(child) {
			return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot alter inherited column \"%s\" of relation \"%s\"", s.AlterType.Column, child.Name)
		}
		sub.AlterType = s.AlterType
		return run(&alterTypePlan{stmt: sub})
	case s.AddColumn != nil:
		col := after.Columns[after.ColumnIndex(s.AddColumn.Name)]
		if i := child.ColumnIndex(col.Name); i >= 0 {
			if !sameType(child.Columns[i].Type, col.Type) {
				return nil, pgerr.New(pgerr.DatatypeMismatch, "child table \"%s\" has different type for column \"%s\"", cn, col.Name)
			}
			updated.Columns[i].InhCount++
			return []Notice{{Severity: "NOTICE", Code: "00000", Message: "merging definition of column \"" + col.Name + "\" for child \"" + cn + "\""}},
				replaceChild(x, cn, &updated)
		}
		col.InhCount, col.NotLocal, col.Identity, col.IdentitySeq, col.Comment = 1, true, "", "", ""
		sub.AddColumn = &ast.ColumnDef{Name: col.Name}
		plan := &addColumnPlan{stmt: sub, col: col, value: &constExpr{t: col.Type}}
		b := &binder{s: x.s, snap: x.snap}
		if col.Generated != "" {
			with := *child
			with.Columns = append(slices.Clone(child.Columns), col)
			gens, err := b.bindGenerated(&with)
			if err != nil {
				return nil, err
			}
			plan.value, plan.generated = gens[len(gens)-1].expr, true
		} else if col.Default != "" {
			if plan.value, err = b.defaultExpr(col); err != nil {
				return nil, err
			}
		}
		return run(plan)
	case s.Check != nil:
		var added *catalog.CheckDesc
		for i := range after.Checks {
			if !slices.ContainsFunc(before.Checks, func(c catalog.CheckDesc) bool { return c.Name == after.Checks[i].Name }) {
				added = &after.Checks[i]
			}
		}
		if added == nil || added.NoInherit {
			return nil, nil
		}
		if i := slices.IndexFunc(child.Checks, func(c catalog.CheckDesc) bool { return c.Name == added.Name }); i >= 0 {
			if child.Checks[i].Expr != added.Expr {
				return nil, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", added.Name, cn)
			}
			if err := checkMergeConflict(child.Checks[i], added.Name, child.Name, added.NotValid, false); err != nil {
				return nil, err
			}
			updated.Checks[i].InhCount++
			// A partition's constraints are all its parent's: the
			// merged one is no longer its own.
			updated.Checks[i].NotLocal = updated.Checks[i].NotLocal || child.IsPartition()
			return []Notice{{Severity: "NOTICE", Code: "00000", Message: "merging constraint \"" + added.Name + "\" with inherited definition"}},
				replaceChild(x, cn, &updated)
		}
		ck := *s.Check
		ck.Name = added.Name
		sub.Check = &ck
		notices, err := run(&constraintPlan{stmt: sub})
		if err != nil {
			return nil, err
		}
		// The constraint just added is the child's by inheritance.
		fresh, _, err := x.s.e.cat.Lookup(x.snap, cn)
		if err != nil || fresh == nil {
			return notices, err
		}
		marked := *fresh
		marked.Checks = slices.Clone(fresh.Checks)
		if i := slices.IndexFunc(marked.Checks, func(c catalog.CheckDesc) bool { return c.Name == added.Name }); i >= 0 {
			marked.Checks[i].InhCount, marked.Checks[i].NotLocal = 1, true
		}
		return notices, replaceChild(x, cn, &marked)
	case s.DropConstraint != nil:
		i := slices.IndexFunc(child.Checks, func(c catalog.CheckDesc) bool { return c.Name == s.DropConstraint.Name })
		if i < 0 {
			return nil, nil
		}
		c := &updated.Checks[i]
		if !s.Table.Only && c.InhCount == 1 && c.NotLocal {
			sub.DropConstraint = &ast.DropConstraint{Name: c.Name}
			return run(&constraintPlan{stmt: sub})
		}
		c.InhCount--
		if s.Table.Only || c.InhCount == 0 {
			c.NotLocal = false
		}
		return nil, replaceChild(x, cn, &updated)
	}
	return nil, nil
}

// lacksKey refuses a primary key or unique constraint on partitioned
// table t that does not hold every partition key column.
func lacksKey(t *catalog.TableDesc, kind string, cols []string) error {
	if t.PartKey.HasExprs() {
		return pgerr.New(pgerr.FeatureNotSupported, "unsupported %s constraint with partition key definition", kind).
			WithDetail(kind + " constraints cannot be used when partition keys include expressions.")
	}
	for _, k := range t.PartKey.Columns {
		if !slices.Contains(cols, t.Columns[k].Name) {
			return pgerr.New(pgerr.FeatureNotSupported, "unique constraint on partitioned table must include all partitioning columns").
				WithDetail(kind + " constraint on table \"" + t.Name + "\" lacks column \"" + t.Columns[k].Name + "\" which is part of the partition key.")
		}
	}
	return nil
}

// familyOf returns the keys of t and all its descendants.
func familyOf(x *execCtx, t *catalog.TableDesc) (map[string]bool, error) {
	family := map[string]bool{t.Key(): true}
	queue := slices.Clone(t.Children)
	for len(queue) > 0 {
		key := queue[0]
		queue = queue[1:]
		if family[key] {
			continue
		}
		family[key] = true
		d, _, err := x.s.e.cat.Lookup(x.snap, key)
		if err != nil {
			return nil, err
		}
		if d != nil {
			queue = append(queue, d.Children...)
		}
	}
	return family, nil
}

// parentsIn counts child's parents that the command reaches: a column
// child inherits from more of its parents than these also comes from a
// table the command leaves alone, so renaming or retyping it is refused,
// as PostgreSQL refuses it.
func (p *inheritedAlterPlan) parentsIn(child *catalog.TableDesc) int {
	n := 0
	for _, parent := range child.Inherits {
		if p.family[parent] {
			n++
		}
	}
	return n
}
