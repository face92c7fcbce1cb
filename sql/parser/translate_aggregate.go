package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// createAggregate translates CREATE AGGREGATE, both the form with an
// argument list and the old form naming BASETYPE in the definition.
func (t *translator) createAggregate(s *pg.DefineStmt) (ast.Stmt, error) {
	out := &ast.CreateAggregateStmt{Replace: s.Replace, OldStyle: s.Oldstyle}
	names := t.names(s.Defnames)
	switch len(names) {
	case 1:
		out.Name = names[0]
	case 2:
		out.Schema, out.Name = names[0], names[1]
	default:
		return nil, crossDatabaseRef(s.Defnames)
	}
	if !s.Oldstyle && len(s.Args) > 0 {
		// Args is (parameter list, number of direct arguments); an
		// ordered-set aggregate's WITHIN GROUP form has a count >= 0.
		if len(s.Args) > 1 && s.Args[1].GetInteger() != nil && s.Args[1].GetInteger().Ival >= 0 {
			return nil, t.unsupported("ordered-set aggregates (WITHIN GROUP)", 0)
		}
		if l := s.Args[0].GetList(); l != nil {
			for _, p := range l.Items {
				fp := p.GetFunctionParameter()
				if fp == nil {
					return nil, t.unsupported("this aggregate argument", 0)
				}
				if fp.Mode == pg.FunctionParameterMode_FUNC_PARAM_VARIADIC {
					return nil, t.unsupported("VARIADIC aggregate arguments", 0)
				}
				tn, err := t.typeName(fp.ArgType)
				if err != nil {
					return nil, err
				}
				out.Args = append(out.Args, tn)
			}
		}
	}
	for _, o := range s.Definition {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		opt := ast.AggOption{Name: strings.ToLower(d.Defname)}
		if tn := d.Arg.GetTypeName(); tn != nil {
			// SFUNC = f(int8, int4) arrives as a type name with
			// modifiers; as defGetQualifiedName, only the name counts.
			if len(tn.Typmods) == 0 {
				typ, err := t.typeName(tn)
				if err != nil {
					return nil, err
				}
				opt.Type = &typ
			}
			for _, n := range tn.Names {
				opt.Func = append(opt.Func, str(n))
			}
			opt.HasValue = true
		} else {
			opt.Value, opt.HasValue = defArg(d)
		}
		out.Options = append(out.Options, opt)
	}
	return out, nil
}
