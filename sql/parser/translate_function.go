package parser

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// functionStmt translates the statements about user-defined functions
// and procedures: CREATE, DROP, ALTER, COMMENT ON and CALL. ok is false
// for any other statement.
func (t *translator) functionStmt(n *pg.Node) (ast.Stmt, bool, error) {
	isFunc := func(o pg.ObjectType) bool {
		return o == pg.ObjectType_OBJECT_FUNCTION || o == pg.ObjectType_OBJECT_PROCEDURE || o == pg.ObjectType_OBJECT_ROUTINE ||
			o == pg.ObjectType_OBJECT_AGGREGATE
	}
	switch {
	case n.GetDefineStmt() != nil && n.GetDefineStmt().Kind == pg.ObjectType_OBJECT_AGGREGATE:
		s, err := t.createAggregate(n.GetDefineStmt())
		return s, true, err
	case n.GetCreateFunctionStmt() != nil:
		s, err := t.createFunction(n.GetCreateFunctionStmt())
		return s, true, err
	case n.GetCallStmt() != nil:
		c := n.GetCallStmt()
		e, err := t.funcCall(c.Funccall)
		if err != nil {
			return nil, true, err
		}
		call, ok := e.(*ast.FuncCall)
		if !ok {
			return nil, true, t.unsupported("this CALL", 0)
		}
		return &ast.CallStmt{Call: call}, true, nil
	case n.GetDropStmt() != nil && isFunc(n.GetDropStmt().RemoveType):
		s := n.GetDropStmt()
		out := &ast.DropFunctionStmt{Kind: funcKind(s.RemoveType), IfExists: s.MissingOk, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE}
		for _, o := range s.Objects {
			f, err := t.funcSig(o.GetObjectWithArgs())
			if err != nil {
				return nil, true, err
			}
			out.Funcs = append(out.Funcs, f)
		}
		return out, true, nil
	case n.GetAlterFunctionStmt() != nil:
		s := n.GetAlterFunctionStmt()
		f, err := t.funcSig(s.Func)
		if err != nil {
			return nil, true, err
		}
		opts, err := t.funcOptions(s.Actions, nil)
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterFunctionStmt{Kind: funcKind(s.Objtype), Func: f, Options: opts}, true, nil
	case n.GetRenameStmt() != nil && isFunc(n.GetRenameStmt().RenameType):
		r := n.GetRenameStmt()
		f, err := t.funcSig(r.Object.GetObjectWithArgs())
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterFunctionStmt{Kind: funcKind(r.RenameType), Func: f, RenameTo: TruncateIdent(r.Newname)}, true, nil
	case n.GetAlterOwnerStmt() != nil && isFunc(n.GetAlterOwnerStmt().ObjectType):
		o := n.GetAlterOwnerStmt()
		f, err := t.funcSig(o.Object.GetObjectWithArgs())
		if err != nil {
			return nil, true, err
		}
		owner := roleName(o.Newowner)
		if o.Newowner != nil && o.Newowner.Roletype == pg.RoleSpecType_ROLESPEC_PUBLIC {
			owner = "public"
		}
		return &ast.AlterFunctionStmt{Kind: funcKind(o.ObjectType), Func: f, Owner: &owner}, true, nil
	case n.GetAlterObjectSchemaStmt() != nil && isFunc(n.GetAlterObjectSchemaStmt().ObjectType):
		o := n.GetAlterObjectSchemaStmt()
		f, err := t.funcSig(o.Object.GetObjectWithArgs())
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterFunctionStmt{Kind: funcKind(o.ObjectType), Func: f, SetSchema: TruncateIdent(o.Newschema)}, true, nil
	case n.GetCommentStmt() != nil && isFunc(n.GetCommentStmt().Objtype):
		c := n.GetCommentStmt()
		f, err := t.funcSig(c.Object.GetObjectWithArgs())
		if err != nil {
			return nil, true, err
		}
		return &ast.AlterFunctionStmt{Kind: funcKind(c.Objtype), Func: f, IsComment: true, Comment: commentText(c.Comment)}, true, nil
	}
	return nil, false, nil
}

func funcKind(o pg.ObjectType) string {
	switch o {
	case pg.ObjectType_OBJECT_PROCEDURE:
		return "procedure"
	case pg.ObjectType_OBJECT_ROUTINE:
		return "routine"
	case pg.ObjectType_OBJECT_AGGREGATE:
		return "aggregate"
	}
	return "function"
}

func (t *translator) createFunction(s *pg.CreateFunctionStmt) (ast.Stmt, error) {
	out := &ast.CreateFunctionStmt{Procedure: s.IsProcedure, Replace: s.Replace}
	names := t.names(s.Funcname)
	switch len(names) {
	case 1:
		out.Name = names[0]
	case 2:
		out.Schema, out.Name = names[0], names[1]
	default:
		return nil, crossDatabaseRef(s.Funcname)
	}
	for _, p := range s.Parameters {
		fp := p.GetFunctionParameter()
		if fp == nil {
			return nil, t.unsupported("this function parameter", 0)
		}
		tn, err := t.typeName(fp.ArgType)
		if err != nil {
			return nil, err
		}
		if fp.ArgType != nil && fp.ArgType.PctType {
			tn = t.pctType(fp.ArgType)
		}
		par := ast.FuncParam{Name: TruncateIdent(fp.Name), Type: tn}
		switch fp.Mode {
		case pg.FunctionParameterMode_FUNC_PARAM_OUT:
			par.Mode = ast.ParamOut
		case pg.FunctionParameterMode_FUNC_PARAM_INOUT:
			par.Mode = ast.ParamInOut
		case pg.FunctionParameterMode_FUNC_PARAM_VARIADIC:
			par.Mode = ast.ParamVariadic
		case pg.FunctionParameterMode_FUNC_PARAM_TABLE:
			par.Mode = ast.ParamTable
		default:
			par.Mode = ast.ParamIn
		}
		if fp.Defexpr != nil {
			if par.Default, par.DefaultSQL, err = t.defaultExpr(fp.Defexpr); err != nil {
				return nil, err
			}
		}
		out.Params = append(out.Params, par)
	}
	if s.ReturnType != nil {
		tn, err := t.typeName(s.ReturnType)
		if err != nil {
			return nil, err
		}
		if s.ReturnType.PctType {
			tn = t.pctType(s.ReturnType)
		}
		out.Returns, out.SetOf = &tn, s.ReturnType.Setof
	}
	var rest []*pg.Node
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "as":
			items := d.Arg.GetList().GetItems()
			if len(items) != 1 {
				// AS 'obj_file', 'link_symbol' is LANGUAGE C's.
				return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "only one AS item needed for language")
			}
			out.Body, out.HasBody = str(items[0]), true
		case "language":
			out.Language = strings.ToLower(str(d.Arg))
		default:
			rest = append(rest, o)
		}
	}
	opts, err := t.funcOptions(rest, out)
	if err != nil {
		return nil, err
	}
	out.Options = *opts
	if s.SqlBody != nil {
		if out.HasBody {
			return nil, pgerr.New(pgerr.InvalidFunctionDefinition, "duplicate function body specified")
		}
		if err := t.sqlBody(s.SqlBody, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sqlBody renders the statements of a SQL-standard body as text: RETURN
// expr as "SELECT expr", BEGIN ATOMIC's statements one by one.
func (t *translator) sqlBody(n *pg.Node, out *ast.CreateFunctionStmt) error {
	var stmts []*pg.Node
	if l := n.GetList(); l != nil {
		for _, item := range l.Items {
			if inner := item.GetList(); inner != nil {
				stmts = append(stmts, inner.Items...)
			} else if item.Node != nil {
				stmts = append(stmts, item)
			}
		}
	} else {
		stmts = append(stmts, n)
	}
	out.SQLBody = []string{}
	for i, st := range stmts {
		if r := st.GetReturnStmt(); r != nil {
			if n.GetList() != nil {
				out.ReturnStmts = append(out.ReturnStmts, i)
			}
			st = &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
				TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: r.Returnval}}}},
			}}}
			out.Return = n.GetList() == nil
		}
		text, err := Deparse(&pg.ParseResult{Version: t.version, Stmts: []*pg.RawStmt{{Stmt: st}}})
		if err != nil {
			return pgerr.Wrapf(err, pgerr.SyntaxError, "rendering a function's body")
		}
		out.SQLBody = append(out.SQLBody, text)
	}
	return nil
}

// funcOptions translates the clauses CREATE FUNCTION and ALTER FUNCTION
// share. create is the CREATE statement (nil for ALTER), which a WINDOW
// clause marks.
func (t *translator) funcOptions(list []*pg.Node, create *ast.CreateFunctionStmt) (*ast.FuncOptions, error) {
	out := &ast.FuncOptions{}
	seen := map[string]bool{}
	for _, o := range list {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		if d.Defname != "set" && seen[d.Defname] {
			return nil, pgerr.New(pgerr.SyntaxError, "conflicting or redundant options").WithPosition(t.pos(d.Location))
		}
		seen[d.Defname] = true
		switch d.Defname {
		case "volatility":
			v := map[string]string{"immutable": "i", "stable": "s", "volatile": "v"}[str(d.Arg)]
			out.Volatility = &v
		case "strict":
			b := boolArg(d.Arg)
			out.Strict = &b
		case "security":
			b := boolArg(d.Arg)
			out.SecDef = &b
		case "leakproof":
			b := boolArg(d.Arg)
			out.Leakproof = &b
		case "parallel":
			v := map[string]string{"safe": "s", "restricted": "r", "unsafe": "u"}[strings.ToLower(str(d.Arg))]
			if v == "" {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "parameter \"parallel\" must be SAFE, RESTRICTED, or UNSAFE")
			}
			out.Parallel = &v
		case "cost", "rows":
			f, err := numArg(d.Arg)
			if err != nil {
				return nil, err
			}
			if d.Defname == "cost" {
				if f <= 0 {
					return nil, pgerr.New(pgerr.InvalidParameterValue, "COST must be positive")
				}
				out.Cost = &f
			} else {
				if f <= 0 {
					return nil, pgerr.New(pgerr.InvalidParameterValue, "ROWS must be positive")
				}
				out.Rows = &f
			}
		case "window":
			out.Window = true
		case "support":
			return nil, t.unsupported("SUPPORT functions", d.Location)
		case "set":
			vs := d.Arg.GetVariableSetStmt()
			if vs == nil {
				continue
			}
			name := strings.ToLower(vs.Name)
			switch vs.Kind {
			case pg.VariableSetKind_VAR_RESET:
				out.Reset = append(out.Reset, name)
			case pg.VariableSetKind_VAR_RESET_ALL:
				out.Reset = append(out.Reset, "all")
			case pg.VariableSetKind_VAR_SET_CURRENT:
				out.Set = append(out.Set, ast.FuncSetting{Name: name, FromCurrent: true})
			case pg.VariableSetKind_VAR_SET_DEFAULT:
				out.Reset = append(out.Reset, name)
			default:
				st, err := t.setStmt(vs)
				if err != nil {
					return nil, err
				}
				out.Set = append(out.Set, ast.FuncSetting{Name: name, Value: strings.Join(st.(*ast.SetStmt).Value, ", ")})
			}
		default:
			return nil, t.unsupported("the function option "+d.Defname, d.Location)
		}
	}
	return out, nil
}

func boolArg(n *pg.Node) bool {
	if n == nil {
		return true
	}
	if b := n.GetBoolean(); b != nil {
		return b.Boolval
	}
	if c := n.GetAConst(); c != nil && c.GetBoolval() != nil {
		return c.GetBoolval().Boolval
	}
	if i := n.GetInteger(); i != nil {
		return i.Ival != 0
	}
	return true
}

func numArg(n *pg.Node) (float64, error) {
	switch {
	case n.GetInteger() != nil:
		return float64(n.GetInteger().Ival), nil
	case n.GetFloat() != nil:
		return strconv.ParseFloat(n.GetFloat().Fval, 64)
	}
	return 0, pgerr.New(pgerr.SyntaxError, "a number is required")
}

// pctType is a column's type reference, name%TYPE, of a routine's
// declaration.
func (t *translator) pctType(tn *pg.TypeName) ast.TypeName {
	out := ast.TypeName{Pos: t.pos(tn.Location), Array: len(tn.ArrayBounds) > 0}
	for _, n := range tn.Names {
		out.TypeOf = append(out.TypeOf, TruncateIdent(str(n)))
	}
	return out
}
