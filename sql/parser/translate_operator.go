package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// operatorStmt translates CREATE OPERATOR and DROP OPERATOR; ok is false
// for any other statement.
func (t *translator) operatorStmt(n *pg.Node) (ast.Stmt, bool, error) {
	if d := n.GetDefineStmt(); d != nil && d.Kind == pg.ObjectType_OBJECT_OPERATOR {
		s, err := t.createOperator(d)
		return s, true, err
	}
	if d := n.GetDropStmt(); d != nil && d.RemoveType == pg.ObjectType_OBJECT_OPERATOR {
		out := &ast.DropOperatorStmt{IfExists: d.MissingOk, Cascade: d.Behavior == pg.DropBehavior_DROP_CASCADE}
		for _, o := range d.Objects {
			owa := o.GetObjectWithArgs()
			if owa == nil {
				return nil, true, t.unsupported("this DROP OPERATOR", 0)
			}
			var sig ast.OperatorSig
			names := t.names(owa.Objname)
			switch len(names) {
			case 1:
				sig.Name = names[0]
			case 2:
				sig.Schema, sig.Name = names[0], names[1]
			default:
				return nil, true, crossDatabaseRef(owa.Objname)
			}
			if len(owa.Objargs) != 2 {
				return nil, true, t.unsupported("this DROP OPERATOR", 0)
			}
			for i, a := range owa.Objargs {
				tn := a.GetTypeName()
				if tn == nil {
					continue // NONE
				}
				typ, err := t.typeName(tn)
				if err != nil {
					return nil, true, err
				}
				if i == 0 {
					sig.Left = &typ
				} else {
					sig.Right = &typ
				}
			}
			out.Ops = append(out.Ops, sig)
		}
		return out, true, nil
	}
	return nil, false, nil
}

func (t *translator) createOperator(s *pg.DefineStmt) (ast.Stmt, error) {
	out := &ast.CreateOperatorStmt{}
	names := t.names(s.Defnames)
	switch len(names) {
	case 1:
		out.Name = names[0]
	case 2:
		out.Schema, out.Name = names[0], names[1]
	default:
		return nil, crossDatabaseRef(s.Defnames)
	}
	for _, o := range s.Definition {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		opt := ast.AggOption{Name: strings.ToLower(d.Defname)}
		switch {
		case d.Arg == nil:
		case d.Arg.GetTypeName() != nil:
			tn := d.Arg.GetTypeName()
			typ, err := t.typeName(tn)
			if err != nil {
				return nil, err
			}
			opt.Type = &typ
			for _, n := range tn.Names {
				opt.Func = append(opt.Func, str(n))
			}
			opt.HasValue = true
		case d.Arg.GetList() != nil:
			// COMMUTATOR = op and OPERATOR(schema.op) arrive as a name list.
			opt.Func = t.names(d.Arg.GetList().Items)
			opt.Value, opt.HasValue = strings.Join(opt.Func, "."), true
		default:
			opt.Value, opt.HasValue = defArg(d)
		}
		out.Options = append(out.Options, opt)
	}
	return out, nil
}
