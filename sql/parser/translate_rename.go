package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// renamedRelationKinds maps the object words of ALTER ... RENAME TO that
// rename a relation to RenameRelationStmt's Kind.
var renamedRelationKinds = map[pg.ObjectType]string{
	pg.ObjectType_OBJECT_TABLE:    "table",
	pg.ObjectType_OBJECT_VIEW:     "view",
	pg.ObjectType_OBJECT_INDEX:    "index",
	pg.ObjectType_OBJECT_SEQUENCE: "sequence",
}

// renamesRelation reports whether a RenameStmt of type k renames a
// relation itself (not one of its columns or constraints).
func renamesRelation(k pg.ObjectType) bool {
	_, ok := renamedRelationKinds[k]
	return ok
}

// renameRelation translates ALTER TABLE|VIEW|INDEX|SEQUENCE [IF EXISTS]
// name RENAME TO new.
func (t *translator) renameRelation(r *pg.RenameStmt) (ast.Stmt, error) {
	ref, err := t.rangeVar(r.Relation)
	if err != nil {
		return nil, err
	}
	return &ast.RenameRelationStmt{Kind: renamedRelationKinds[r.RenameType], Name: ref, IfExists: r.MissingOk,
		NewName: TruncateIdent(r.Newname)}, nil
}
