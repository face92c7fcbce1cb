package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// triggerStmt translates CREATE TRIGGER, DROP TRIGGER, ALTER TRIGGER
// ... RENAME TO and ALTER TABLE ... ENABLE / DISABLE TRIGGER; ok is
// false for any other statement.
func (t *translator) triggerStmt(n *pg.Node) (ast.Stmt, bool, error) {
	switch {
	case n.GetCreateTrigStmt() != nil:
		s, err := t.createTrigger(n.GetCreateTrigStmt())
		return s, true, err
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_TRIGGER:
		r := n.GetRenameStmt()
		ref, err := t.rangeVar(r.Relation)
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterTriggerStmt{Name: TruncateIdent(r.Subname), Table: ref, RenameTo: TruncateIdent(r.Newname)}, true, nil
	case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_TRIGGER:
		s := n.GetDropStmt()
		name, table, err := t.dropOnTable(s, "TRIGGER", "triggers")
		if err != nil {
			return nil, true, err
		}
		return &ast.DropTriggerStmt{Name: name, Table: table, IfExists: s.MissingOk}, true, nil
	case n.GetAlterTableStmt() != nil && isTriggerToggle(n.GetAlterTableStmt()):
		s := n.GetAlterTableStmt()
		ref, err := t.rangeVar(s.Relation)
		if err != nil {
			return nil, true, err
		}
		cmd := s.Cmds[0].GetAlterTableCmd()
		all := cmd.Subtype == pg.AlterTableType_AT_EnableTrigAll || cmd.Subtype == pg.AlterTableType_AT_DisableTrigAll
		return &ast.AlterTriggerStmt{Name: TruncateIdent(cmd.Name), Table: ref, Enable: triggerToggles[cmd.Subtype], All: all,
			IfExists: s.MissingOk, AlterTable: true}, true, nil
	}
	return nil, false, nil
}

// commentOnTrigger translates COMMENT ON TRIGGER name ON table.
func (t *translator) commentOnTrigger(s *pg.CommentStmt) (ast.Stmt, error) {
	items := s.Object.GetList().GetItems()
	if len(items) < 2 {
		return nil, t.unsupported("this COMMENT ON TRIGGER", 0)
	}
	var names []string
	for _, n := range items[:len(items)-1] {
		names = append(names, str(n))
	}
	out, err := t.commentTarget("trigger", names)
	if err != nil {
		return nil, err
	}
	out.Constraint, out.Comment = TruncateIdent(str(items[len(items)-1])), commentText(s.Comment)
	return out, nil
}

// triggerToggles maps ALTER TABLE's trigger subcommands to the
// tgenabled value they set; the ALL and USER forms have no name.
var triggerToggles = map[pg.AlterTableType]string{
	pg.AlterTableType_AT_EnableTrig: "O", pg.AlterTableType_AT_EnableAlwaysTrig: "A",
	pg.AlterTableType_AT_EnableReplicaTrig: "R", pg.AlterTableType_AT_DisableTrig: "D",
	pg.AlterTableType_AT_EnableTrigAll: "O", pg.AlterTableType_AT_DisableTrigAll: "D",
	pg.AlterTableType_AT_EnableTrigUser: "O", pg.AlterTableType_AT_DisableTrigUser: "D",
}

// isTriggerToggle reports whether s is ALTER TABLE with one ENABLE or
// DISABLE TRIGGER subcommand.
func isTriggerToggle(s *pg.AlterTableStmt) bool {
	if len(s.Cmds) != 1 || s.Cmds[0].GetAlterTableCmd() == nil {
		return false
	}
	_, ok := triggerToggles[s.Cmds[0].GetAlterTableCmd().Subtype]
	return ok
}

func (t *translator) createTrigger(s *pg.CreateTrigStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	out := &ast.CreateTriggerStmt{Name: TruncateIdent(s.Trigname), Table: ref, Replace: s.Replace,
		Constraint: s.Isconstraint, Deferrable: s.Deferrable, InitDeferred: s.Initdeferred,
		Type: int16(s.Timing) | int16(s.Events), Pos: ref.Pos}
	if s.Row {
		out.Type |= ast.TriggerRow
	}
	if s.Constrrel != nil {
		from, err := t.rangeVar(s.Constrrel)
		if err != nil {
			return nil, err
		}
		out.From = &from
	}
	names := t.names(s.Funcname)
	switch len(names) {
	case 1:
		out.FuncName = names[0]
	case 2:
		out.FuncSchema, out.FuncName = names[0], names[1]
	default:
		return nil, crossDatabaseRef(s.Funcname)
	}
	for _, a := range s.Args {
		out.Args = append(out.Args, str(a))
	}
	for _, c := range s.Columns {
		out.Columns = append(out.Columns, TruncateIdent(str(c)))
	}
	for _, n := range s.TransitionRels {
		tr := n.GetTriggerTransition()
		if tr == nil {
			continue
		}
		if !tr.IsTable {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ROW variable naming in the REFERENCING clause is not supported").
				WithHint("Use OLD TABLE or NEW TABLE for naming transition tables.")
		}
		name := TruncateIdent(tr.Name)
		if tr.IsNew {
			if out.NewTable != "" {
				return nil, pgerr.New(pgerr.SyntaxError, "NEW TABLE cannot be specified multiple times")
			}
			out.NewTable = name
		} else {
			if out.OldTable != "" {
				return nil, pgerr.New(pgerr.SyntaxError, "OLD TABLE cannot be specified multiple times")
			}
			out.OldTable = name
		}
	}
	if s.WhenClause != nil {
		if out.When, out.WhenSQL, err = t.defaultExpr(s.WhenClause); err != nil {
			return nil, err
		}
	}
	return out, nil
}
