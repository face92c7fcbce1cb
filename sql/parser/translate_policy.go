package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// policyStmt translates CREATE, ALTER and DROP POLICY and ALTER POLICY
// ... RENAME TO; ok is false for any other statement.
func (t *translator) policyStmt(n *pg.Node) (ast.Stmt, bool, error) {
	switch {
	case n.GetCreatePolicyStmt() != nil:
		s, err := t.createPolicy(n.GetCreatePolicyStmt())
		return s, true, err
	case n.GetAlterPolicyStmt() != nil:
		s, err := t.alterPolicy(n.GetAlterPolicyStmt())
		return s, true, err
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_POLICY:
		r := n.GetRenameStmt()
		ref, err := t.rangeVar(r.Relation)
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterPolicyStmt{Name: TruncateIdent(r.Subname), Table: ref, RenameTo: TruncateIdent(r.Newname)}, true, nil
	case n.GetDropStmt() != nil && n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_POLICY:
		s := n.GetDropStmt()
		name, table, err := t.dropOnTable(s, "POLICY", "policies")
		if err != nil {
			return nil, true, err
		}
		return &ast.DropPolicyStmt{Name: name, Table: table, IfExists: s.MissingOk}, true, nil
	}
	return nil, false, nil
}

// policyCommands maps CREATE POLICY's FOR clause to pg_policy.polcmd.
var policyCommands = map[string]string{"all": "*", "select": "r", "insert": "a", "update": "w", "delete": "d"}

func (t *translator) createPolicy(s *pg.CreatePolicyStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Table)
	if err != nil {
		return nil, err
	}
	out := &ast.CreatePolicyStmt{Name: TruncateIdent(s.PolicyName), Table: ref, Command: policyCommands[s.CmdName],
		Restrictive: !s.Permissive, Pos: ref.Pos}
	if out.Command == "" {
		return nil, t.unsupported("CREATE POLICY FOR "+s.CmdName, s.Table.Location)
	}
	out.Roles = t.policyRoles(s.Roles)
	if out.Using, out.USQL, err = t.policyExpr(s.Qual); err != nil {
		return nil, err
	}
	if out.WithCheck, out.CSQL, err = t.policyExpr(s.WithCheck); err != nil {
		return nil, err
	}
	return out, nil
}

func (t *translator) alterPolicy(s *pg.AlterPolicyStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(s.Table)
	if err != nil {
		return nil, err
	}
	out := &ast.AlterPolicyStmt{Name: TruncateIdent(s.PolicyName), Table: ref, Roles: t.policyRoles(s.Roles)}
	if out.Using, out.USQL, err = t.policyExpr(s.Qual); err != nil {
		return nil, err
	}
	if out.WithCheck, out.CSQL, err = t.policyExpr(s.WithCheck); err != nil {
		return nil, err
	}
	return out, nil
}

// policyRoles translates a policy's TO list; TO PUBLIC alone is nil, as
// is no TO clause.
func (t *translator) policyRoles(list []*pg.Node) []ast.RoleSpec {
	var out []ast.RoleSpec
	for _, n := range list {
		out = append(out, t.roleSpec(n.GetRoleSpec()))
	}
	return out
}

// policyExpr translates a USING or WITH CHECK expression with its
// canonical text; nil for none.
func (t *translator) policyExpr(n *pg.Node) (ast.Expr, string, error) {
	if n == nil {
		return nil, "", nil
	}
	return t.defaultExpr(n)
}
