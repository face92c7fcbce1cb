package sql

import (
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// ALTER TABLE's constraint subcommands: ADD CONSTRAINT ... CHECK, DROP
// CONSTRAINT, VALIDATE CONSTRAINT and RENAME CONSTRAINT. Each takes the
// table's ACCESS EXCLUSIVE lock (lockAlterTarget) and replaces its
// descriptor in the statement's transaction.

// constraintPlan runs one of the constraint subcommands.
type constraintPlan struct{ stmt *ast.AlterTableStmt }

func (p *constraintPlan) columns() []Column { return nil }

func (p *constraintPlan) execute(x *execCtx, ec *evalCtx) (*Result, error) {
	s := p.stmt
	table, tuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	if s.DropConstraint != nil || s.AlterConstraint != nil {
		for _, ev := range x.s.riDeferred {
			if ev.rule.child.ID == table.ID || ev.rule.parent.ID == table.ID {
				return nil, pgerr.New(pgerr.ObjectInUse, "cannot ALTER TABLE \"%s\" because it has pending trigger events", table.Name)
			}
		}
	}
	updated := *table
	updated.Checks = slices.Clone(table.Checks)
	updated.ForeignKeys = slices.Clone(table.ForeignKeys)
	switch {
	case s.Check != nil:
		var merged *Notice
		if merged, err = mergeLocalCheck(&updated, s.Check); merged != nil {
			res.Notices = append(res.Notices, *merged)
			break
		}
		if err == nil {
			err = addCheck(x, ec, &updated, s.Check)
		}
	case s.ForeignKey != nil:
		if err = refusePartitionedFK(table, s.Table.Only, s.ForeignKey); err != nil {
			return nil, err
		}
		err = addForeignKey(x, ec, &updated, s.ForeignKey)
	case s.DropConstraint != nil && len(updated.PK) > 0 && updated.PKConstraintName() == s.DropConstraint.Name:
		var notices []Notice
		notices, err = dropPrimaryKey(x, &updated, s.DropConstraint.Cascade)
		res.Notices = append(res.Notices, notices...)
	case s.DropConstraint != nil:
		var notice *Notice
		if notice, err = dropConstraint(x, &updated, s.DropConstraint); notice != nil {
			res.Notices = append(res.Notices, *notice)
			return res, nil
		}
	case s.ValidateConstraint != "":
		if err = validateChildChecks(x, ec, &updated, s.ValidateConstraint, s.Table.Only); err == nil {
			err = validateConstraint(x, ec, &updated, s.ValidateConstraint)
		}
	case s.AlterConstraint != nil:
		err = alterConstraint(&updated, s.AlterConstraint)
	case s.RenameConstraint != nil:
		err = renameConstraint(x, &updated, s.RenameConstraint[0], s.RenameConstraint[1], s.Table.Only)
	}
	if err != nil {
		return nil, err
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// addCheck adds the statement's CHECK constraint to table, checking the
// rows already there unless it is NOT VALID.
func addCheck(x *execCtx, ec *evalCtx, table *catalog.TableDesc, c *ast.CheckConstraint) error {
	b := &binder{s: x.s, snap: x.snap}
	cond, err := b.bindCheckExpr(c.Expr, table)
	if err != nil {
		return err
	}
	name := c.Name
	if name == "" {
		all, err := x.s.e.cat.All(x.snap)
		if err != nil {
			return err
		}
		name = checkConstraintName(inSchema(all, table.Schema), table.Name, c.Expr, nil)
	} else if table.ConstraintNameUsed(name) {
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", name, table.Name)
	}
	if c.NoInherit && table.IsPartitioned() {
		return noInheritPartitioned(table.Name)
	}
	if !c.NotValid {
		if err := validateCheck(x, ec, table, boundCheck{name: name, cond: cond}); err != nil {
			return err
		}
	}
	id, err := x.s.e.tm.NextOID()
	if err != nil {
		return err
	}
	table.Checks = append(table.Checks, catalog.CheckDesc{ID: id, Name: name, Expr: c.SQL, NotValid: c.NotValid, NoInherit: c.NoInherit})
	return nil
}

// validateCheck fails when a row of table the statement sees violates c.
func validateCheck(x *execCtx, ec *evalCtx, table *catalog.TableDesc, c boundCheck) error {
	return scanTableRows(x, table, func(_ heap.TupleID, row []types.Datum) error {
		v, err := c.cond.Eval(ec, row)
		if err != nil {
			return err
		}
		if v == false {
			return pgerr.New(pgerr.CheckViolation, "check constraint \"%s\" of relation \"%s\" is violated by some row", c.name, table.Name).
				WithObject(table.SchemaName(), table.Name, "", c.name)
		}
		return nil
	})
}

// scanTableRows calls fn for every row of table the statement sees.
func scanTableRows(x *execCtx, table *catalog.TableDesc, fn func(heap.TupleID, []types.Datum) error) error {
	op := x.op()
	return x.s.e.heap.Scan(op.Snap, table.StorageID(), func(t heap.Tuple) error {
		if x.ctx.Err() != nil {
			return pgerr.FromContext(x.ctx)
		}
		row, err := types.DecodeRow(t.Data)
		if err != nil {
			return err
		}
		if len(row) != len(table.Columns) {
			return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", table.Name, len(row), len(table.Columns))
		}
		return fn(t.ID, row)
	})
}

// missingConstraint is PostgreSQL's error for a constraint table lacks.
func missingConstraint(name string, table *catalog.TableDesc) error {
	return pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" of relation \"%s\" does not exist", name, table.Name)
}

// dropConstraint removes a CHECK or FOREIGN KEY constraint from table;
// with IF EXISTS, a missing one gives the returned notice instead.
func dropConstraint(x *execCtx, table *catalog.TableDesc, d *ast.DropConstraint) (*Notice, error) {
	if i := slices.IndexFunc(table.Checks, func(c catalog.CheckDesc) bool { return c.Name == d.Name }); i >= 0 {
		table.Checks = slices.Delete(table.Checks, i, i+1)
		return nil, nil
	}
	if i := slices.IndexFunc(table.ForeignKeys, func(f catalog.ForeignKeyDesc) bool { return f.Name == d.Name }); i >= 0 {
		table.ForeignKeys = slices.Delete(table.ForeignKeys, i, i+1)
		return nil, nil
	}
	if inherited, err := (&binder{s: x.s, snap: x.snap}).ancestorFKs(table); err != nil {
		return nil, err
	} else if slices.ContainsFunc(inherited, func(f catalog.ForeignKeyDesc) bool { return f.Name == d.Name }) {
		return nil, pgerr.New(pgerr.InvalidTableDefinition, "cannot drop inherited constraint \"%s\" of relation \"%s\"", d.Name, table.Name)
	}
	if i := slices.IndexFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return ix.Constraint && ix.Name == d.Name }); i >= 0 {
		return nil, dropIndexConstraint(x, table, i)
	}
	if table.ConstraintNameUsed(d.Name) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "dropping a primary key or UNIQUE constraint is not supported (drop constraint \"%s\")", d.Name)
	}
	if d.IfExists {
		return &Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
			Message: "constraint \"" + d.Name + "\" of relation \"" + table.Name + "\" does not exist, skipping"}, nil
	}
	return nil, missingConstraint(d.Name, table)
}

// validateConstraint checks the rows of table against a NOT VALID
// constraint and marks it valid.
func validateConstraint(x *execCtx, ec *evalCtx, table *catalog.TableDesc, name string) error {
	for i, c := range table.Checks {
		if c.Name != name {
			continue
		}
		if !c.NotValid {
			return nil
		}
		b := &binder{s: x.s, snap: x.snap}
		e, err := b.parseCheck(c.Expr)
		if err != nil {
			return err
		}
		cond, err := b.bindCheckExpr(e, table)
		if err != nil {
			return err
		}
		if err := validateCheck(x, ec, table, boundCheck{name: c.Name, cond: cond}); err != nil {
			return err
		}
		table.Checks[i].NotValid = false
		return nil
	}
	for i, f := range table.ForeignKeys {
		if f.Name != name {
			continue
		}
		if !f.NotValid {
			return nil
		}
		if err := validateForeignKey(x, table, &f); err != nil {
			return err
		}
		table.ForeignKeys[i].NotValid = false
		return nil
	}
	if table.ConstraintNameUsed(name) {
		return pgerr.New(pgerr.WrongObjectType, "constraint \"%s\" of relation \"%s\" is not a foreign key or check constraint", name, table.Name)
	}
	return missingConstraint(name, table)
}

// alterConstraint changes whether a foreign key of table is deferrable
// and initially deferred.
func alterConstraint(table *catalog.TableDesc, a *ast.AlterConstraint) error {
	for i := range table.ForeignKeys {
		if fk := &table.ForeignKeys[i]; fk.Name == a.Name {
			fk.Deferrable, fk.Deferred = a.Deferrable, a.Deferred
			return nil
		}
	}
	if table.ConstraintNameUsed(a.Name) {
		return pgerr.New(pgerr.WrongObjectType, "constraint \"%s\" of relation \"%s\" is not a foreign key constraint", a.Name, table.Name)
	}
	return missingConstraint(a.Name, table)
}

// validateChildChecks validates a NOT VALID CHECK constraint of table on
// every table that inherits from it, before the table's own rows, as
// PostgreSQL does: the parent's constraint may be marked valid only when
// its descendants' are. A descendant whose constraint is valid already
// is not checked again. With ONLY, descendants make it fail.
func validateChildChecks(x *execCtx, ec *evalCtx, table *catalog.TableDesc, name string, only bool) error {
	i := slices.IndexFunc(table.Checks, func(c catalog.CheckDesc) bool { return c.Name == name })
	if i < 0 || !table.Checks[i].NotValid || table.Checks[i].NoInherit || len(table.Children) == 0 {
		return nil
	}
	if only {
		return pgerr.New(pgerr.InvalidTableDefinition, "constraint must be validated on child tables too")
	}
	seen := map[string]bool{table.Key(): true}
	queue := slices.Clone(table.Children)
	for len(queue) > 0 {
		key := queue[0]
		queue = queue[1:]
		if seen[key] {
			continue
		}
		seen[key] = true
		child, tuple, err := x.s.e.cat.Lookup(x.snap, key)
		if err != nil {
			return err
		}
		if child == nil {
			continue
		}
		queue = append(queue, child.Children...)
		updated := *child
		updated.Checks = slices.Clone(child.Checks)
		if !slices.ContainsFunc(child.Checks, func(c catalog.CheckDesc) bool { return c.Name == name && c.NotValid }) {
			continue
		}
		if err := validateConstraint(x, ec, &updated, name); err != nil {
			return err
		}
		if err := replaceTableDesc(x, tuple, &updated); err != nil {
			return err
		}
	}
	return nil
}

// mergeLocalCheck merges a CHECK constraint ADD CONSTRAINT gives table
// with a same-named one the table only inherits, as PostgreSQL does when
// the child's ADD comes after the parent's: the condition must be the
// same, and the constraint becomes the table's own too. It returns the
// notice when it merged; nil and no error when there is nothing to merge
// with (addCheck then adds the constraint, or refuses a name in use).
func mergeLocalCheck(table *catalog.TableDesc, c *ast.CheckConstraint) (*Notice, error) {
	i := slices.IndexFunc(table.Checks, func(d catalog.CheckDesc) bool { return d.Name == c.Name })
	if c.Name == "" || i < 0 {
		return nil, nil
	}
	have := table.Checks[i]
	if !have.NotLocal || have.InhCount == 0 || table.IsPartition() || have.Expr != c.SQL {
		return nil, nil
	}
	if err := checkMergeConflict(have, c.Name, table.Name, c.NotValid, c.NoInherit); err != nil {
		return nil, err
	}
	table.Checks[i].NotLocal = false
	return &Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "merging constraint \"" + c.Name + "\" with inherited definition"}, nil
}

// checkMergeConflict refuses to merge a CHECK constraint into have, a
// table's same-named one, as PostgreSQL's MergeWithExistingConstraint
// does: have may not be NO INHERIT, an inherited one may not become NO
// INHERIT, and a valid constraint may not merge into a NOT VALID one.
func checkMergeConflict(have catalog.CheckDesc, name, table string, notValid, noInherit bool) error {
	switch {
	case have.NoInherit:
		return pgerr.New(pgerr.InvalidObjectDefinition, "constraint \"%s\" conflicts with non-inherited constraint on relation \"%s\"", name, table)
	case have.InhCount > 0 && noInherit:
		return pgerr.New(pgerr.InvalidObjectDefinition, "constraint \"%s\" conflicts with inherited constraint on relation \"%s\"", name, table)
	case !notValid && have.NotValid:
		return pgerr.New(pgerr.InvalidObjectDefinition, "constraint \"%s\" conflicts with NOT VALID constraint on relation \"%s\"", name, table)
	}
	return nil
}
