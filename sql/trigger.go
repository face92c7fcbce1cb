package sql

import (
	"slices"
	"strings"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Trigger DDL, as PostgreSQL 15 has it (trigger.c, tablecmds.c): CREATE
// [OR REPLACE] TRIGGER, DROP TRIGGER, ALTER TRIGGER ... RENAME TO and
// ALTER TABLE ... ENABLE / DISABLE TRIGGER. Triggers live in their
// table's descriptor (catalog.TriggerDesc), so they are transactional,
// durable and dropped with the table; firing them is trigger_fire.go's.

// bindTriggerStmt binds the trigger statements; ok is false for any
// other statement.
func (b *binder) bindTriggerStmt(st ast.Stmt) (boundStmt, bool) {
	switch x := st.(type) {
	case *ast.CreateTriggerStmt:
		return &triggerPlan{create: x, table: x.Table, tag: x.Tag()}, true
	case *ast.DropTriggerStmt:
		return &triggerPlan{drop: x, table: x.Table, tag: x.Tag()}, true
	case *ast.AlterTriggerStmt:
		return &triggerPlan{alter: x, table: x.Table, tag: x.Tag()}, true
	}
	return nil, false
}

// triggerPlan runs one trigger statement.
type triggerPlan struct {
	create *ast.CreateTriggerStmt
	drop   *ast.DropTriggerStmt
	alter  *ast.AlterTriggerStmt
	table  ast.TableRef
	tag    string
}

func (p *triggerPlan) columns() []Column { return nil }

func (p *triggerPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	res := &Result{Tag: p.tag}
	ifExists := (p.drop != nil && p.drop.IfExists) || (p.alter != nil && p.alter.IfExists)
	table, tuple, err := x.lockTriggerTable(p.table, ifExists, p.create != nil, res)
	if table == nil {
		return res, err
	}
	updated := *table
	updated.Triggers = slices.Clone(table.Triggers)
	// after, run once the table's descriptor is stored, carries the
	// change to the clones in its partitions.
	var after func() error
	switch {
	case p.create != nil:
		if err := x.createTrigger(p.create, table, &updated, res); err != nil {
			return nil, err
		}
		if g := updated.Trigger(p.create.Name); table.IsPartitioned() && g.Level() == "ROW" {
			g := *g
			after = func() error { return x.cloneToPartitions(table, &g, p.create.Replace) }
		}
	case p.drop != nil:
		d := p.drop
		i := slices.IndexFunc(updated.Triggers, func(g catalog.TriggerDesc) bool { return g.Name == d.Name })
		if i < 0 {
			if d.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "trigger \"" + d.Name + "\" for relation \"" + table.Name + "\" does not exist, skipping"})
				return res, nil
			}
			return nil, triggerNotFound(d.Name, table)
		}
		if g := updated.Triggers[i]; g.Parent != 0 {
			parent, err := x.parentTriggerTable(table)
			if err != nil {
				return nil, err
			}
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop trigger %s on table %s because trigger %s on table %s requires it",
				g.Name, table.Name, g.Name, parent.Name).
				WithHint("You can drop trigger " + g.Name + " on table " + parent.Name + " instead.")
		}
		oid := updated.Triggers[i].OID
		updated.Triggers = slices.Delete(updated.Triggers, i, i+1)
		after = func() error { return x.dropClones(table, oid) }
	default:
		a := p.alter
		recurse := !p.table.Only
		if a.Enable != "" && a.Name == "" {
			if a.All {
				updated.FKTriggersDisabled = a.Enable == "D"
			}
			var rows []uint32
			for i := range updated.Triggers {
				updated.Triggers[i].Enabled = a.Enable
				if updated.Triggers[i].Level() == "ROW" {
					rows = append(rows, updated.Triggers[i].OID)
				}
			}
			if recurse {
				after = func() error {
					for _, oid := range rows {
						if err := x.enableClones(table, oid, a.Enable); err != nil {
							return err
						}
					}
					return nil
				}
			}
			break
		}
		g := updated.Trigger(a.Name)
		if g == nil {
			return nil, triggerNotFound(a.Name, table)
		}
		oid := g.OID
		if a.Enable != "" {
			g.Enabled = a.Enable
			if recurse && g.Level() == "ROW" {
				after = func() error { return x.enableClones(table, oid, a.Enable) }
			}
			break
		}
		if g.Parent != 0 {
			parent, err := x.parentTriggerTable(table)
			if err != nil {
				return nil, err
			}
			return nil, pgerr.New(pgerr.InternalError, "cannot rename trigger \"%s\" on table \"%s\"", g.Name, table.Name).
				WithHint("Rename the trigger on the partitioned table \"" + parent.Name + "\" instead.")
		}
		if updated.Trigger(a.RenameTo) != nil {
			return nil, pgerr.New(pgerr.DuplicateObject, "trigger \"%s\" for relation \"%s\" already exists", a.RenameTo, table.Name)
		}
		g.Name = a.RenameTo
		after = func() error { return x.renameClones(table, oid, a.RenameTo) }
	}
	if len(updated.Triggers) == 0 {
		updated.Triggers = nil
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	if p.alter != nil && p.alter.All && !p.table.Only && table.IsPartitioned() {
		// The foreign keys of the partitions are theirs to disable.
		prev := after
		after = func() error {
			if prev != nil {
				if err := prev(); err != nil {
					return err
				}
			}
			return x.setFKTriggersDisabled(table, p.alter.Enable == "D")
		}
	}
	if after != nil && table.IsPartitioned() {
		nextCommand(x)
		if err := after(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func triggerNotFound(name string, table *catalog.TableDesc) error {
	return pgerr.New(pgerr.UndefinedObject, "trigger \"%s\" for table \"%s\" does not exist", name, table.Name)
}

// lockTriggerTable finds the table or view a trigger statement names,
// checks that the current role owns it and locks it (ACCESS EXCLUSIVE,
// stronger than CREATE TRIGGER's SHARE ROW EXCLUSIVE, which cairn's
// lock manager lacks). A missing relation with ifExists adds the notice to res
// and returns nil.
func (x *execCtx) lockTriggerTable(ref ast.TableRef, ifExists, create bool, res *Result) (*catalog.TableDesc, heap.TupleID, error) {
	table, _, err := x.s.lookupRel(x.snap, ref.Name)
	if err != nil {
		return nil, heap.TupleID{}, err
	}
	if table == nil || table.IndexOf != "" && !create {
		if ifExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + catalog.DisplayName(ref.Name) + "\" does not exist, skipping"})
			return nil, heap.TupleID{}, nil
		}
		return nil, heap.TupleID{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name)).WithPosition(ref.Pos)
	}
	if kind := table.Kind(); kind != "table" && kind != "view" {
		what := kind + "s"
		if kind == "index" {
			what = "indexes"
		}
		return nil, heap.TupleID{}, pgerr.New(pgerr.WrongObjectType, "relation \"%s\" cannot have triggers", table.Name).
			WithDetail("This operation is not supported for " + what + ".")
	}
	if err := x.checkOwner(table); err != nil {
		return nil, heap.TupleID{}, err
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, heap.TupleID{}, err
	}
	table, tuple, err := x.s.e.cat.Lookup(x.snap, table.Key())
	if err != nil {
		return nil, heap.TupleID{}, err
	}
	if table == nil {
		return nil, heap.TupleID{}, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(ref.Name))
	}
	return table, tuple, nil
}

// createTrigger checks CREATE TRIGGER c on table, in PostgreSQL's
// order, and adds the trigger to updated.
func (x *execCtx) createTrigger(c *ast.CreateTriggerStmt, table, updated *catalog.TableDesc, res *Result) error {
	g := catalog.TriggerDesc{Name: c.Name, Type: c.Type, Enabled: "O", Args: c.Args, When: c.WhenSQL,
		OldTable: c.OldTable, NewTable: c.NewTable, Constraint: c.Constraint, Deferrable: c.Deferrable, InitDeferred: c.InitDeferred}
	row := g.Has(ast.TriggerRow)
	view := table.View != ""
	switch {
	case view && (g.Has(ast.TriggerBefore) || !g.Has(ast.TriggerInstead)) && row:
		return pgerr.New(pgerr.WrongObjectType, "\"%s\" is a view", table.Name).
			WithDetail("Views cannot have row-level BEFORE or AFTER triggers.")
	case view && g.Has(ast.TriggerTruncate):
		return pgerr.New(pgerr.WrongObjectType, "\"%s\" is a view", table.Name).
			WithDetail("Views cannot have TRUNCATE triggers.")
	case !view && g.Has(ast.TriggerInstead):
		return pgerr.New(pgerr.WrongObjectType, "\"%s\" is a table", table.Name).
			WithDetail("Tables cannot have INSTEAD OF triggers.")
	}
	if table.IsPartitioned() && row && (c.OldTable != "" || c.NewTable != "") {
		return pgerr.New(pgerr.FeatureNotSupported, "\"%s\" is a partitioned table", table.Name).
			WithDetail("ROW triggers with transition tables are not supported on partitioned tables.")
	}
	if c.From != nil {
		from, _, err := x.s.lookupRel(x.snap, c.From.Name)
		if err != nil {
			return err
		}
		if from == nil {
			return pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(c.From.Name)).WithPosition(c.From.Pos)
		}
		g.ConstrRel = from.ID
	}
	if g.Has(ast.TriggerTruncate) && row {
		return pgerr.New(pgerr.FeatureNotSupported, "TRUNCATE FOR EACH ROW triggers are not supported")
	}
	if g.Has(ast.TriggerInstead) {
		switch {
		case !row:
			return pgerr.New(pgerr.FeatureNotSupported, "INSTEAD OF triggers must be FOR EACH ROW")
		case c.When != nil:
			return pgerr.New(pgerr.FeatureNotSupported, "INSTEAD OF triggers cannot have WHEN conditions")
		case len(c.Columns) > 0:
			return pgerr.New(pgerr.FeatureNotSupported, "INSTEAD OF triggers cannot have column lists")
		}
	}
	if c.OldTable != "" || c.NewTable != "" {
		if err := checkTransitionTables(c, table); err != nil {
			return err
		}
	}
	if c.When != nil {
		if err := x.checkTriggerWhen(c, table); err != nil {
			return err
		}
	}
	fn, err := x.triggerFunction(c)
	if err != nil {
		return err
	}
	g.Func = fn.OID
	for _, col := range c.Columns {
		if table.ColumnIndex(col) < 0 {
			return pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, table.Name)
		}
		if slices.Contains(g.Columns, col) {
			return pgerr.New(pgerr.DuplicateColumn, "column \"%s\" specified more than once", col)
		}
		g.Columns = append(g.Columns, col)
	}
	if old := updated.Trigger(c.Name); old != nil {
		if !c.Replace {
			return pgerr.New(pgerr.DuplicateObject, "trigger \"%s\" for relation \"%s\" already exists", c.Name, table.Name)
		}
		if old.Parent != 0 {
			return pgerr.New(pgerr.DuplicateObject, "trigger \"%s\" for relation \"%s\" is an internal or a child trigger", c.Name, table.Name)
		}
		// CREATE OR REPLACE keeps the trigger's oid and its place.
		g.OID = old.OID
		*old = g
		return nil
	}
	oid, err := x.s.e.tm.NextOID()
	if err != nil {
		return err
	}
	g.OID = oid
	if g.Constraint {
		if g.ConstraintOID, err = x.s.e.tm.NextOID(); err != nil {
			return err
		}
	}
	updated.Triggers = append(updated.Triggers, g)
	return nil
}

// checkTransitionTables checks a REFERENCING clause as
// CreateTriggerFiringOn does.
func checkTransitionTables(c *ast.CreateTriggerStmt, table *catalog.TableDesc) error {
	invalid := func(msg string) error { return pgerr.New(pgerr.InvalidObjectDefinition, "%s", msg) }
	switch {
	case table.View != "":
		return pgerr.New(pgerr.WrongObjectType, "\"%s\" is a view", table.Name).
			WithDetail("Triggers on views cannot have transition tables.")
	case c.Type&ast.TriggerTruncate != 0:
		return pgerr.New(pgerr.FeatureNotSupported, "TRUNCATE triggers with transition tables are not supported")
	case c.Type&(ast.TriggerBefore|ast.TriggerInstead) != 0:
		return invalid("transition table name can only be specified for an AFTER trigger")
	case c.Type&ast.TriggerRow != 0 && table.IsPartition():
		return pgerr.New(pgerr.FeatureNotSupported, "ROW triggers with transition tables are not supported on partitions")
	case c.Type&ast.TriggerRow != 0 && len(table.Inherits) > 0:
		return pgerr.New(pgerr.FeatureNotSupported, "ROW triggers with transition tables are not supported on inheritance children")
	case c.Type&(ast.TriggerInsert|ast.TriggerUpdate|ast.TriggerDelete) != ast.TriggerInsert &&
		c.Type&(ast.TriggerInsert|ast.TriggerUpdate|ast.TriggerDelete) != ast.TriggerUpdate &&
		c.Type&(ast.TriggerInsert|ast.TriggerUpdate|ast.TriggerDelete) != ast.TriggerDelete:
		return pgerr.New(pgerr.FeatureNotSupported, "transition tables cannot be specified for triggers with more than one event")
	case len(c.Columns) > 0:
		return pgerr.New(pgerr.FeatureNotSupported, "transition tables cannot be specified for triggers with column lists")
	case c.OldTable != "" && c.Type&(ast.TriggerUpdate|ast.TriggerDelete) == 0:
		return invalid("OLD TABLE can only be specified for a DELETE or UPDATE trigger")
	case c.NewTable != "" && c.Type&(ast.TriggerInsert|ast.TriggerUpdate) == 0:
		return invalid("NEW TABLE can only be specified for an INSERT or UPDATE trigger")
	case c.OldTable != "" && c.OldTable == c.NewTable:
		return invalid("OLD TABLE name and NEW TABLE name cannot be the same")
	}
	return nil
}

// checkTriggerWhen checks a WHEN condition: it reads old and new of the
// events that have them, no subquery, and binds as a boolean.
func (x *execCtx) checkTriggerWhen(c *ast.CreateTriggerStmt, table *catalog.TableDesc) error {
	var err error
	ast.WalkExpr(c.When, func(e ast.Expr) bool {
		if err != nil {
			return false
		}
		switch r := e.(type) {
		case *ast.SubqueryExpr:
			err = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in trigger WHEN condition")
		case *ast.InExpr:
			if r.Query != nil {
				err = pgerr.New(pgerr.FeatureNotSupported, "cannot use subquery in trigger WHEN condition")
			}
		case *ast.ColumnRef:
			switch {
			case r.Table != "old" && r.Table != "new":
			case c.Type&ast.TriggerRow == 0:
				err = pgerr.New(pgerr.InvalidObjectDefinition, "statement trigger's WHEN condition cannot reference column values").WithPosition(r.Pos)
			case r.Table == "old" && c.Type&ast.TriggerInsert != 0:
				err = pgerr.New(pgerr.InvalidObjectDefinition, "INSERT trigger's WHEN condition cannot reference OLD values").WithPosition(r.Pos)
			case r.Table == "new" && c.Type&ast.TriggerDelete != 0:
				err = pgerr.New(pgerr.InvalidObjectDefinition, "DELETE trigger's WHEN condition cannot reference NEW values").WithPosition(r.Pos)
			case r.Table == "new" && r.Column == "tableoid" && c.Type&ast.TriggerBefore != 0:
				err = pgerr.New(pgerr.FeatureNotSupported, "BEFORE trigger's WHEN condition cannot reference NEW system columns").WithPosition(r.Pos)
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	b := &binder{s: x.s, snap: x.snap}
	_, err = b.bindTriggerWhen(table, c.When)
	return err
}

// triggerScope is the scope a WHEN condition is bound in: the table's
// columns as old, then as new, then the tableoid system column of each
// (a row is old's values, new's, and the table's oid twice).
func triggerScope(table *catalog.TableDesc) *scope {
	n := len(table.Columns)
	sc := &scope{cols: make([]scopeCol, 2*n, 2*n+2)}
	for i, c := range table.Columns {
		sc.cols[i] = scopeCol{table: "old", name: c.Name, t: c.Type}
		sc.cols[n+i] = scopeCol{table: "new", name: c.Name, t: c.Type}
	}
	sc.cols = append(sc.cols, scopeCol{table: "old", name: "tableoid", t: oidT, system: true},
		scopeCol{table: "new", name: "tableoid", t: oidT, system: true})
	return sc
}

// bindTriggerWhen binds a WHEN condition over triggerScope.
func (b *binder) bindTriggerWhen(table *catalog.TableDesc, when ast.Expr) (expr, error) {
	e, err := b.bindExpr(when, triggerScope(table))
	if err != nil {
		return nil, err
	}
	switch e.Type().ID {
	case types.Bool:
	case types.Unknown:
		return b.cast(e, types.New(types.Bool), false, when.Position())
	default:
		return nil, pgerr.New(pgerr.DatatypeMismatch, "argument of WHEN must be type boolean, not type %s", types.Format(e.Type())).WithPosition(when.Position())
	}
	return e, nil
}

// triggerFunction finds CREATE TRIGGER's function, which takes no
// arguments and must return trigger.
func (x *execCtx) triggerFunction(c *ast.CreateTriggerStmt) (*catalog.FuncDesc, error) {
	b := &binder{s: x.s, snap: x.snap}
	cands, err := b.visibleRoutines(c.FuncSchema, c.FuncName)
	if err != nil {
		return nil, err
	}
	name := c.FuncName
	if c.FuncSchema != "" {
		name = c.FuncSchema + "." + name
	}
	for _, f := range cands {
		if len(f.InputArgs()) != 0 || f.Kind != catalog.KindFunc {
			continue
		}
		if f.Result.ID != types.Trigger {
			return nil, pgerr.New(pgerr.InvalidObjectDefinition, "function %s must return type trigger", name)
		}
		return f, nil
	}
	return nil, pgerr.New(pgerr.UndefinedFunction, "function %s() does not exist", name)
}

// triggerArgumentError is CREATE FUNCTION's error for a parameter of
// type trigger.
func triggerArgumentError(lang string) error {
	if lang == "plpgsql" {
		return pgerr.New(pgerr.FeatureNotSupported, "PL/pgSQL functions cannot accept type trigger")
	}
	return pgerr.New(pgerr.InvalidFunctionDefinition, "SQL functions cannot have arguments of type trigger")
}

// checkTriggerResult refuses RETURNS trigger where PostgreSQL's
// validators do: only PL/pgSQL functions are trigger functions here.
func checkTriggerResult(lang string, setOf bool) error {
	switch {
	case lang == "sql":
		return pgerr.New(pgerr.InvalidFunctionDefinition, "SQL functions cannot return type trigger")
	case lang != "plpgsql":
		return pgerr.New(pgerr.FeatureNotSupported, "trigger functions in LANGUAGE %s are not supported", lang)
	case setOf:
		return pgerr.New(pgerr.FeatureNotSupported, "PL/pgSQL functions cannot return type trigger set")
	}
	return nil
}

// dropColumnTriggers finds the triggers of table whose UPDATE OF list
// or WHEN condition names column name: without cascade it refuses
// (2BP01), with it removes them from updated and returns the notices'
// lines.
func dropColumnTriggers(table, updated *catalog.TableDesc, name string, cascade bool) ([]string, error) {
	var dependent []string
	keep := updated.Triggers[:0:0]
	for _, g := range updated.Triggers {
		if slices.Contains(g.Columns, name) || g.When != "" && parser.MentionsColumn(g.When, name) {
			dependent = append(dependent, g.Name)
			continue
		}
		keep = append(keep, g)
	}
	if len(dependent) == 0 {
		return nil, nil
	}
	var lines []string
	if !cascade {
		for _, g := range dependent {
			lines = append(lines, "trigger "+g+" on table "+table.Name+" depends on column "+name+" of table "+table.Name)
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop column %s of table %s because other objects depend on it", name, table.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	for _, g := range dependent {
		lines = append(lines, "drop cascades to trigger "+g+" on table "+table.Name)
	}
	if len(keep) == 0 {
		keep = nil
	}
	updated.Triggers = keep
	return lines, nil
}

// dropFunctionTriggers finds the triggers that run function f: without
// cascade it refuses (2BP01), with it drops them and adds the notices
// to res.
func (x *execCtx) dropFunctionTriggers(f *catalog.FuncDesc, cascade bool, res *Result) error {
	lines, err := x.functionTriggers(f, cascade, "")
	if err != nil || len(lines) == 0 {
		return err
	}
	n := Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: lines[0]}
	if len(lines) > 1 {
		n.Message, n.Detail = "drop cascades to "+itoa(len(lines))+" other objects", strings.Join(lines, "\n")
	}
	res.Notices = append(res.Notices, n)
	return nil
}

// functionTriggers finds the triggers that run function f, outside
// schema skip (whose relations the statement drops): without cascade
// it refuses (2BP01), with it drops them and returns the notices'
// lines.
func (x *execCtx) functionTriggers(f *catalog.FuncDesc, cascade bool, skip string) ([]string, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, t := range all {
		if skip != "" && t.SchemaName() == skip {
			continue
		}
		uses := slices.ContainsFunc(t.Triggers, func(g catalog.TriggerDesc) bool { return g.Func == f.OID })
		if !uses {
			continue
		}
		updated := *t
		updated.Triggers = nil
		for _, g := range t.Triggers {
			if g.Func != f.OID {
				updated.Triggers = append(updated.Triggers, g)
				continue
			}
			if cascade {
				lines = append(lines, "drop cascades to trigger "+g.Name+" on table "+t.Name)
			} else {
				lines = append(lines, "trigger "+g.Name+" on table "+t.Name+" depends on function "+f.Name+"()")
			}
		}
		if !cascade {
			continue
		}
		if err := x.lockTableForDDL(t.ID, txn.AccessExclusive); err != nil {
			return nil, err
		}
		_, tuple, err := x.s.e.cat.Lookup(x.snap, t.Key())
		if err != nil {
			return nil, err
		}
		if err := replaceTableDesc(x, tuple, &updated); err != nil {
			return nil, err
		}
	}
	if len(lines) > 0 && !cascade {
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop function %s() because other objects depend on it", f.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	return lines, nil
}

// commentOnTrigger is COMMENT ON TRIGGER name ON table.
func commentOnTrigger(x *execCtx, s *ast.CommentStmt) (*Result, error) {
	res := &Result{Tag: s.Tag()}
	table, tuple, err := x.lockTriggerTable(s.Relation, false, false, res)
	if err != nil {
		return nil, err
	}
	updated := *table
	updated.Triggers = slices.Clone(table.Triggers)
	g := updated.Trigger(s.Constraint)
	if g == nil {
		return nil, triggerNotFound(s.Constraint, table)
	}
	g.Comment = ""
	if s.Comment != nil {
		g.Comment = *s.Comment
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// renameInTriggers carries a column rename into updated's triggers:
// their UPDATE OF lists and WHEN conditions.
func renameInTriggers(b *binder, updated *catalog.TableDesc, from, to string) error {
	if len(updated.Triggers) == 0 {
		return nil
	}
	updated.Triggers = slices.Clone(updated.Triggers)
	for i := range updated.Triggers {
		g := &updated.Triggers[i]
		if j := slices.Index(g.Columns, from); j >= 0 {
			g.Columns = slices.Clone(g.Columns)
			g.Columns[j] = to
		}
		if g.When == "" {
			continue
		}
		out, err := renameColumnRefs(b, g.When, from, to)
		if err != nil {
			return err
		}
		g.When = out
	}
	return nil
}
