package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// compositeStmt translates the statements that make and change composite
// types: CREATE TYPE name AS (...), ALTER TYPE name ADD|DROP|ALTER
// ATTRIBUTE and ALTER TYPE name RENAME ATTRIBUTE. ok is false for other
// statements.
func (t *translator) compositeStmt(n *pg.Node) (ast.Stmt, bool, error) {
	switch {
	case n.GetCompositeTypeStmt() != nil:
		s := n.GetCompositeTypeStmt()
		name, err := t.compositeName(s.Typevar)
		if err != nil {
			return nil, true, err
		}
		out := &ast.CreateCompositeStmt{Name: name, Pos: t.pos(s.Typevar.GetLocation())}
		for _, c := range s.Coldeflist {
			a, err := t.compositeAttr(c.GetColumnDef())
			if err != nil {
				return nil, true, err
			}
			out.Attrs = append(out.Attrs, a)
		}
		return out, true, nil
	case n.GetAlterTableStmt() != nil && n.GetAlterTableStmt().Objtype == pg.ObjectType_OBJECT_TYPE:
		s := n.GetAlterTableStmt()
		name, err := t.compositeName(s.Relation)
		if err != nil {
			return nil, true, err
		}
		out := &ast.AlterCompositeStmt{Name: name}
		for _, c := range s.Cmds {
			cmd := c.GetAlterTableCmd()
			act := ast.CompositeAction{IfExists: cmd.MissingOk, Cascade: cmd.Behavior == pg.DropBehavior_DROP_CASCADE}
			switch cmd.Subtype {
			case pg.AlterTableType_AT_AddColumn:
				act.Kind = "add"
				if act.Attr, err = t.compositeAttr(cmd.Def.GetColumnDef()); err != nil {
					return nil, true, err
				}
			case pg.AlterTableType_AT_DropColumn:
				act.Kind = "drop"
				act.Attr.Name = TruncateIdent(cmd.Name)
			case pg.AlterTableType_AT_AlterColumnType:
				act.Kind = "type"
				def := cmd.Def.GetColumnDef()
				if def == nil || def.TypeName == nil || def.RawDefault != nil || def.CollClause != nil {
					return nil, true, t.unsupported("this form of ALTER ATTRIBUTE", s.Relation.GetLocation())
				}
				act.Attr.Name = TruncateIdent(cmd.Name)
				if act.Attr.Type, err = t.typeName(def.TypeName); err != nil {
					return nil, true, err
				}
				act.Attr.Pos = t.pos(def.Location)
			default:
				return nil, true, t.unsupported("this ALTER TYPE action", s.Relation.GetLocation())
			}
			out.Actions = append(out.Actions, act)
		}
		return out, true, nil
	case n.GetRenameStmt() != nil && n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_ATTRIBUTE:
		r := n.GetRenameStmt()
		name, err := t.compositeName(r.Relation)
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterCompositeStmt{Name: name, Actions: []ast.CompositeAction{{Kind: "rename",
			Attr: ast.CompositeAttr{Name: TruncateIdent(r.Subname)}, NewName: TruncateIdent(r.Newname),
			IfExists: r.MissingOk, Cascade: r.Behavior == pg.DropBehavior_DROP_CASCADE}}}, true, nil
	}
	return nil, false, nil
}

// compositeName is the name of a composite type written as name or
// public.name.
func (t *translator) compositeName(rv *pg.RangeVar) (string, error) {
	var items []*pg.Node
	if rv.GetSchemaname() != "" {
		items = append(items, pg.MakeStrNode(rv.Schemaname))
	}
	items = append(items, pg.MakeStrNode(rv.GetRelname()))
	return t.qualifiedTypeName(items)
}

// compositeAttr translates one attribute definition.
func (t *translator) compositeAttr(cd *pg.ColumnDef) (ast.CompositeAttr, error) {
	if cd == nil || cd.TypeName == nil {
		return ast.CompositeAttr{}, t.unsupported("this attribute definition", 0)
	}
	if cd.CollClause != nil || len(cd.Constraints) > 0 {
		return ast.CompositeAttr{}, t.unsupported("COLLATE or constraints in a composite type", cd.Location)
	}
	tn, err := t.typeName(cd.TypeName)
	if err != nil {
		return ast.CompositeAttr{}, err
	}
	return ast.CompositeAttr{Name: TruncateIdent(cd.Colname), Type: tn, Pos: t.pos(cd.Location)}, nil
}

// assignPath translates the indirection of an assignment target, c.f,
// c[1] or c[1].f, into its steps.
func (t *translator) assignPath(rt *pg.ResTarget) ([]ast.PathStep, error) {
	var out []ast.PathStep
	for _, n := range rt.Indirection {
		if n.GetString_() != nil {
			out = append(out, ast.PathStep{Field: t.name(n), Pos: t.pos(rt.Location)})
			continue
		}
		idx := n.GetAIndices()
		if idx == nil || idx.IsSlice || idx.Uidx == nil {
			return nil, t.unsupported("this assignment target", rt.Location)
		}
		e, err := t.expr(idx.Uidx)
		if err != nil {
			return nil, err
		}
		out = append(out, ast.PathStep{Index: e, Pos: t.pos(rt.Location)})
	}
	return out, nil
}
