package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Rule DDL: CREATE [OR REPLACE] RULE and DROP RULE on tables, as
// PostgreSQL 15's DefineQueryRewrite and RemoveRewriteRuleById check
// them. A rule lives in its table's descriptor (catalog.RuleDesc), so it
// is transactional, durable and dropped with the table; applying it is
// rulefire.go's. Rules ON SELECT (which turn a table into a view) and
// rules on views are not supported (0A000).

// bindRuleDDL binds the rule statements; ok is false for any other
// statement.
func (b *binder) bindRuleDDL(st ast.Stmt) (boundStmt, bool) {
	switch x := st.(type) {
	case *ast.CreateRuleStmt:
		return &rulePlan{create: x, table: x.Table, tag: x.Tag()}, true
	case *ast.DropRuleStmt:
		return &rulePlan{drop: x, table: x.Table, tag: x.Tag()}, true
	}
	return nil, false
}

// rulePlan runs one rule statement.
type rulePlan struct {
	create *ast.CreateRuleStmt
	drop   *ast.DropRuleStmt
	table  ast.TableRef
	tag    string
}

func (p *rulePlan) columns() []Column { return nil }

func (p *rulePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	res := &Result{Tag: p.tag}
	table, _, err := x.s.lookupRel(x.snap, p.table.Name)
	if err != nil {
		return nil, err
	}
	if table == nil || table.IndexOf != "" {
		if p.drop != nil && p.drop.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + catalog.DisplayName(p.table.Name) + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(p.table.Name)).WithPosition(p.table.Pos)
	}
	if err := x.checkOwner(table); err != nil {
		return nil, err
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, err
	}
	table, tuple, err := x.s.e.cat.Lookup(x.snap, table.Key())
	if err != nil {
		return nil, err
	}
	if table == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(p.table.Name))
	}
	updated := *table
	updated.Rules = slices.Clone(table.Rules)
	if p.drop != nil {
		i := slices.IndexFunc(updated.Rules, func(r catalog.RuleDesc) bool { return r.Name == p.drop.Name })
		if i < 0 {
			if p.drop.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "rule \"" + p.drop.Name + "\" for relation \"" + table.Name + "\" does not exist, skipping"})
				return res, nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "rule \"%s\" for relation \"%s\" does not exist", p.drop.Name, table.Name)
		}
		updated.Rules = slices.Delete(updated.Rules, i, i+1)
	} else if err := x.createRule(p.create, table, &updated); err != nil {
		return nil, err
	}
	if len(updated.Rules) == 0 {
		updated.Rules = nil
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}

// createRule checks CREATE RULE c on table and adds (or replaces) the
// rule in updated.
func (x *execCtx) createRule(c *ast.CreateRuleStmt, table, updated *catalog.TableDesc) error {
	switch {
	case table.View != "":
		return pgerr.New(pgerr.FeatureNotSupported, "rules on views are not supported")
	case table.Kind() != "table":
		return pgerr.New(pgerr.WrongObjectType, "relation \"%s\" cannot have rules", table.Name).
			WithDetail("This operation is not supported for " + table.Kind() + "s.")
	case c.Event == "select":
		return pgerr.New(pgerr.FeatureNotSupported, "rules ON SELECT are not supported")
	}
	returning := 0
	for _, a := range c.Actions {
		if actionReturns(a) {
			returning++
		}
	}
	switch {
	case returning > 1:
		return pgerr.New(pgerr.FeatureNotSupported, "cannot have multiple RETURNING lists in a rule")
	case returning == 1 && c.Where != "":
		return pgerr.New(pgerr.FeatureNotSupported, "RETURNING lists are not supported in conditional rules")
	case returning == 1 && !c.Instead:
		return pgerr.New(pgerr.FeatureNotSupported, "RETURNING lists are not supported in non-INSTEAD rules")
	}
	r := catalog.RuleDesc{Name: c.Name, Event: c.Event, Instead: c.Instead, Where: c.Where, Actions: c.Actions}
	// The condition and actions must bind, NEW and OLD as the event has
	// them, now rather than when a statement meets the rule; the RETURNING
	// of an action lists the table's columns.
	rt := &sessionRuntime{x: x, volatile: true}
	names := &ruleNames{cols: table.Columns, new: c.Event != "delete", old: c.Event != "insert"}
	if c.Where != "" {
		q, err := bindRuleStmt(rt, "SELECT "+c.Where, &ruleNames{cols: names.cols, new: names.new, old: names.old, qual: true})
		if err != nil {
			return err
		}
		if cols := q.p.Columns; len(cols) != 1 || cols[0].Type.ID != types.Bool {
			return pgerr.New(pgerr.DatatypeMismatch, "argument of WHERE must be type boolean")
		}
	}
	for _, a := range c.Actions {
		rs, err := bindRuleStmt(rt, a, names)
		if err != nil {
			return err
		}
		if !actionReturns(a) {
			continue
		}
		live := table.Columns
		cols := rs.p.Columns
		switch {
		case len(cols) > len(live):
			return pgerr.New(pgerr.InvalidObjectDefinition, "RETURNING list has too many entries")
		case len(cols) < len(live):
			return pgerr.New(pgerr.InvalidObjectDefinition, "RETURNING list has too few entries")
		}
		for i, col := range live {
			if !sameType(cols[i].Type, col.Type) {
				return pgerr.New(pgerr.InvalidObjectDefinition, "RETURNING list's entry %d has different type from column \"%s\"", i+1, col.Name)
			}
		}
	}
	if old := updated.Rule(c.Name); old != nil {
		if !c.Replace {
			return pgerr.New(pgerr.DuplicateObject, "rule \"%s\" for relation \"%s\" already exists", c.Name, table.Name)
		}
		r.OID = old.OID
		*old = r
		return nil
	}
	oid, err := x.s.e.tm.NextOID()
	if err != nil {
		return err
	}
	r.OID = oid
	updated.Rules = append(updated.Rules, r)
	return nil
}
