package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// ruleStmt translates CREATE RULE and DROP RULE; ok is false for any
// other statement.
func (t *translator) ruleStmt(n *pg.Node) (ast.Stmt, bool, error) {
	switch {
	case n.GetRuleStmt() != nil:
		s, err := t.createRule(n.GetRuleStmt())
		return s, true, err
	case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_RULE:
		s := n.GetDropStmt()
		name, table, err := t.dropOnTable(s, "RULE", "rules")
		if err != nil {
			return nil, true, err
		}
		return &ast.DropRuleStmt{Name: name, Table: table, IfExists: s.MissingOk}, true, nil
	}
	return nil, false, nil
}

var ruleEvents = map[pg.CmdType]string{
	pg.CmdType_CMD_SELECT: "select", pg.CmdType_CMD_INSERT: "insert",
	pg.CmdType_CMD_UPDATE: "update", pg.CmdType_CMD_DELETE: "delete",
}

// createRule translates CREATE RULE, keeping the condition and each
// action as SQL text.
func (t *translator) createRule(r *pg.RuleStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(r.Relation)
	if err != nil {
		return nil, err
	}
	event, ok := ruleEvents[r.Event]
	if !ok {
		return nil, pgerr.New(pgerr.SyntaxError, "unknown rule event")
	}
	out := &ast.CreateRuleStmt{Replace: r.Replace, Name: TruncateIdent(r.Rulename), Table: ref, Event: event, Instead: r.Instead}
	one := func(stmt *pg.Node) (string, error) {
		text, err := Deparse(&pg.ParseResult{Version: t.version, Stmts: []*pg.RawStmt{{Stmt: stmt}}})
		if err != nil {
			return "", pgerr.Wrapf(err, pgerr.InternalError, "printing a rule's action")
		}
		return text, nil
	}
	if r.WhereClause != nil {
		sel := &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
			TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: r.WhereClause}}}},
			Op:         pg.SetOperation_SETOP_NONE,
		}}}
		text, err := one(sel)
		if err != nil {
			return nil, err
		}
		out.Where = strings.TrimPrefix(text, "SELECT ")
	}
	for _, a := range r.Actions {
		switch {
		case a.GetSelectStmt() != nil, a.GetInsertStmt() != nil, a.GetUpdateStmt() != nil,
			a.GetDeleteStmt() != nil, a.GetNotifyStmt() != nil:
		default:
			return nil, pgerr.New(pgerr.SyntaxError, "rule actions must be SELECT, INSERT, UPDATE, DELETE or NOTIFY")
		}
		text, err := one(a)
		if err != nil {
			return nil, err
		}
		out.Actions = append(out.Actions, text)
	}
	return out, nil
}

// dropOnTable reads the object of DROP TRIGGER, DROP POLICY or DROP RULE:
// the one name and the table it is on (kind and plural name the object
// in errors).
func (t *translator) dropOnTable(s *pg.DropStmt, kind, plural string) (string, ast.TableRef, error) {
	if len(s.Objects) != 1 {
		return "", ast.TableRef{}, t.unsupported("DROP "+kind+" of several "+plural, 0)
	}
	items := s.Objects[0].GetList().GetItems()
	if len(items) < 2 {
		return "", ast.TableRef{}, t.unsupported("this DROP "+kind, 0)
	}
	table := TruncateIdent(str(items[len(items)-2]))
	switch len(items) {
	case 2:
	case 3:
		table = QualifiedName(TruncateIdent(str(items[0])), table)
	default:
		return "", ast.TableRef{}, crossDatabaseRef(items[:len(items)-1])
	}
	return TruncateIdent(str(items[len(items)-1])), ast.TableRef{Name: table}, nil
}
