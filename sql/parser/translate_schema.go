package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// This file translates CREATE, ALTER and DROP SCHEMA, ALTER ... SET
// SCHEMA, and the parts of CREATE TABLE that name a schema or make a
// temporary table.

// QualifiedName is the form an explicitly qualified relation name takes in
// ast.TableRef.Name: schema, a NUL byte, name. PostgreSQL identifiers
// cannot hold NUL, so it never collides with a bare name.
func QualifiedName(schema, name string) string { return schema + "\x00" + name }

// crossDatabaseRef is PostgreSQL's error for a name with a database part.
func crossDatabaseRef(items []*pg.Node) error {
	parts := make([]string, len(items))
	for i, n := range items {
		parts[i] = str(n)
	}
	if len(items) > 3 {
		return pgerr.New(pgerr.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, "."))
	}
	return pgerr.New(pgerr.FeatureNotSupported, "cross-database references are not implemented: %s", strings.Join(parts, "."))
}

// onCommit is the ON COMMIT action of a table being created, as
// ast.TableRef.OnCommit holds it.
func (t *translator) onCommit(a pg.OnCommitAction, ref ast.TableRef) (string, error) {
	switch a {
	case pg.OnCommitAction_ONCOMMIT_DELETE_ROWS:
		return "delete", nil
	case pg.OnCommitAction_ONCOMMIT_DROP:
		return "drop", nil
	case pg.OnCommitAction_ONCOMMIT_PRESERVE_ROWS:
		return "preserve", nil
	}
	return "", nil
}

// roleName is the role a RoleSpec names: CURRENT_USER and SESSION_USER
// are "" (the session's user).
func roleName(r *pg.RoleSpec) string {
	if r == nil || r.Roletype != pg.RoleSpecType_ROLESPEC_CSTRING {
		return ""
	}
	return r.Rolename
}

func (t *translator) createSchema(s *pg.CreateSchemaStmt) (ast.Stmt, error) {
	out := &ast.CreateSchemaStmt{Name: TruncateIdent(s.Schemaname), IfNotExists: s.IfNotExists}
	if s.Authrole != nil {
		out.Authorization = roleName(s.Authrole)
		out.HasAuthorization = true
		if s.Authrole.Roletype == pg.RoleSpecType_ROLESPEC_PUBLIC {
			return nil, pgerr.New(pgerr.ReservedName, "role name \"public\" is reserved").WithPosition(t.pos(s.Authrole.Location))
		}
	}
	for _, n := range s.SchemaElts {
		st, err := t.stmt(n)
		if err != nil {
			return nil, err
		}
		out.Elements = append(out.Elements, st)
	}
	return out, nil
}

func (t *translator) dropSchema(s *pg.DropStmt) (ast.Stmt, error) {
	out := &ast.DropSchemaStmt{IfExists: s.MissingOk, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE}
	for _, o := range s.Objects {
		out.Names = append(out.Names, str(o))
	}
	return out, nil
}

func (t *translator) setSchema(s *pg.AlterObjectSchemaStmt) (ast.Stmt, error) {
	kind := ""
	switch s.ObjectType {
	case pg.ObjectType_OBJECT_TABLE:
		kind = "table"
	case pg.ObjectType_OBJECT_SEQUENCE:
		kind = "sequence"
	case pg.ObjectType_OBJECT_VIEW:
		kind = "view"
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ALTER %s ... SET SCHEMA is not supported", strings.TrimPrefix(s.ObjectType.String(), "OBJECT_"))
	}
	ref, err := t.rangeVar(s.Relation)
	if err != nil {
		return nil, err
	}
	return &ast.SetSchemaStmt{Kind: kind, Table: ref, Schema: TruncateIdent(s.Newschema), IfExists: s.MissingOk}, nil
}
