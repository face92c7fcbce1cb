package parser

import (
	"reflect"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// ExplainSource prints the expressions of an EXPLAIN's statement as
// PostgreSQL's EXPLAIN does (ruleutils.c's deparse_expression without the
// pretty flag): every operator expression in parentheses, constants typed
// ('x'::text), implicit casts a comparison needs shown ((b)::text). It
// keeps the parse node each expression of the statement was translated
// from; the binder, which knows what each column reference resolves to,
// supplies the columns' printed names and types.
type ExplainSource struct {
	nodes   map[ast.Expr]*pg.Node
	version int32
	// queries maps each subquery expression's parse node to the query
	// it was translated to, built on first use.
	queries map[*pg.SubLink]*ast.SelectStmt
}

// SublinkPrinter prints a subquery expression, given its query, as
// EXPLAIN refers to the subplan that runs it.
type SublinkPrinter func(q *ast.SelectStmt) (string, bool)

// ColumnResolver tells how the column reference qual.name (qual empty
// when unqualified) prints and its type; ok is false when it resolves to
// nothing the caller knows.
type ColumnResolver func(qual, name string) (sql string, t types.T, ok bool)

// note records that e was translated from n. A wrapper that returns an
// inner node's expression as its own overwrites the inner record, so
// that the outermost parse node is printed.
func (s *ExplainSource) note(e ast.Expr, n *pg.Node, err error) {
	if err != nil || e == nil || n == nil {
		return
	}
	if v := reflect.ValueOf(e); v.Kind() != reflect.Pointer || v.IsNil() {
		return // only expressions with identity can be looked up again
	}
	s.nodes[e] = n
}

// Known reports whether e is one of the statement's expressions.
func (s *ExplainSource) Known(e ast.Expr) bool {
	if s == nil {
		return false
	}
	_, ok := s.nodes[e]
	return ok
}

// Deparse prints e. An expression the typed printer does not know is
// printed as PostgreSQL's own deparser writes the parse tree, which is
// how it was written, normalized; ok is false only when e is not one of
// the statement's expressions.
func (s *ExplainSource) Deparse(e ast.Expr, col ColumnResolver, sub SublinkPrinter) (string, bool) {
	if s == nil {
		return "", false
	}
	n, ok := s.nodes[e]
	if !ok {
		return "", false
	}
	if s.queries == nil {
		s.queries = make(map[*pg.SubLink]*ast.SelectStmt)
		for a, n := range s.nodes {
			if l := n.GetSubLink(); l != nil {
				switch x := a.(type) {
				case *ast.SubqueryExpr:
					s.queries[l] = x.Query
				case *ast.InExpr:
					s.queries[l] = x.Query
				}
			}
		}
	}
	sublink := func(l *pg.SubLink) (string, bool) {
		q, ok := s.queries[l]
		if !ok || q == nil || sub == nil {
			return "", false
		}
		return sub(q)
	}
	dp := deparser{full: true, folded: true, sublink: sublink, col: func(ref *pg.ColumnRef) (deparsed, bool) {
		if col == nil {
			return deparsed{}, false
		}
		var qual, name string
		switch len(ref.Fields) {
		case 1:
			name = str(ref.Fields[0])
		case 2:
			qual, name = str(ref.Fields[0]), str(ref.Fields[1])
		default:
			return deparsed{}, false
		}
		if ref.Fields[len(ref.Fields)-1].GetAStar() != nil {
			return deparsed{}, false
		}
		sql, t, ok := col(qual, name)
		if !ok {
			return deparsed{}, false
		}
		return deparsed{sql: sql, t: t}, true
	}}
	if d, ok := dp.node(n, 0); ok {
		if d.lit != nil {
			return quoteLiteral(*d.lit) + "::text", true
		}
		return d.sql, true
	}
	return s.written(n), true
}

// written is n as PostgreSQL's deparser prints the parse tree.
func (s *ExplainSource) written(n *pg.Node) string {
	tree := &pg.ParseResult{Version: s.version, Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}},
	}}}}}}
	text, err := Deparse(tree)
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(text, "SELECT ")
}

func (t *translator) explainStmt(s *pg.ExplainStmt) (ast.Stmt, error) {
	out := &ast.ExplainStmt{}
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		opt := ast.ExplainOption{Name: strings.ToLower(d.Defname), Pos: t.pos(d.Location)}
		if a := d.Arg; a != nil {
			switch {
			case a.GetString_() != nil:
				opt.Value = a.GetString_().Sval
			case a.GetInteger() != nil:
				opt.Value = strconv.Itoa(int(a.GetInteger().Ival))
			case a.GetFloat() != nil:
				opt.Value = a.GetFloat().Fval
			case a.GetBoolean() != nil:
				opt.Value = strconv.FormatBool(a.GetBoolean().Boolval)
			}
		}
		out.Options = append(out.Options, opt)
	}
	src := &ExplainSource{nodes: make(map[ast.Expr]*pg.Node), version: t.version}
	saved := t.explain
	t.explain = src
	defer func() { t.explain = saved }()
	inner, err := t.stmt(s.Query)
	if err != nil {
		return nil, err
	}
	out.Stmt, out.Source = inner, src
	return out, nil
}

// foldedConst is a numeric literal converted to t as the planner folds
// it, when dp prints folded expressions.
func (dp *deparser) foldedConst(d deparsed, t types.T) (string, bool) {
	if !dp.folded || d.num == nil {
		return "", false
	}
	s, err := constSQL(*d.num, types.T{ID: t.ID, Mod: -1})
	return s, err == nil
}

// inList prints x IN (constants) as the planner turns it into
// x = ANY ('{...}'::type[]), and NOT IN into <> ALL.
func (dp *deparser) inList(a *pg.A_Expr, depth int) (deparsed, bool) {
	l, ok := dp.node(a.Lexpr, depth+1)
	if !ok || l.lit != nil {
		return deparsed{}, false
	}
	items := a.Rexpr.GetList().GetItems()
	if len(items) == 0 {
		return deparsed{}, false
	}
	if len(items) == 1 {
		// x IN (v) is x = v to PostgreSQL's parser, x NOT IN (v) x <> v.
		op := &pg.A_Expr{Kind: pg.A_Expr_Kind_AEXPR_OP, Name: a.Name, Lexpr: a.Lexpr, Rexpr: items[0], Location: a.Location}
		return dp.operator(op, depth)
	}
	elems := make([]deparsed, len(items))
	nulls := make([]bool, len(items))
	t := types.Base(l.t)
	for i, it := range items {
		if c := it.GetAConst(); c != nil && c.Isnull {
			// A NULL element prints bare in the array literal.
			nulls[i] = true
			continue
		}
		e, ok := dp.node(it, depth+1)
		if !ok || (e.lit == nil && e.num == nil) {
			return deparsed{}, false
		}
		if e.num != nil && e.t.IsNumeric() && t.IsNumeric() && types.NumericRank(e.t.ID) > types.NumericRank(t.ID) {
			t = e.t
		}
		elems[i] = e
	}
	if t.ID == types.Unknown {
		return deparsed{}, false
	}
	t.Mod = -1
	left := l.sql
	if t.ID == types.Varchar {
		t = types.New(types.Text)
	}
	if l.t.ID == types.Varchar {
		left = dp.castOperand(l) + "::text"
	} else if t.IsNumeric() && l.t.ID != t.ID && !(l.t.IsInteger() && t.IsInteger()) {
		left = dp.castOperand(l) + "::" + types.Format(t)
	} else if l.t.IsInteger() && t.IsInteger() {
		t = types.Base(l.t)
		t.Mod = -1
	}
	vals := make([]string, len(elems))
	for i, e := range elems {
		if nulls[i] {
			vals[i] = "NULL"
			continue
		}
		text := ""
		if e.lit != nil {
			text = *e.lit
		} else {
			text = *e.num
		}
		v, err := types.ParseText(t, text)
		if err != nil {
			return deparsed{}, false
		}
		vals[i] = arrayElement(types.FormatText(t, v))
	}
	op, quant := "=", "ANY"
	if str(a.Name[0]) == "<>" {
		op, quant = "<>", "ALL"
	}
	arr := quoteLiteral("{"+strings.Join(vals, ",")+"}") + "::" + types.Format(t) + "[]"
	return deparsed{sql: dp.whole(left + " " + op + " " + quant + " (" + arr + ")"), t: types.New(types.Bool), op: op}, true
}

// arrayElement quotes an element of an array literal as array_out does.
func arrayElement(s string) string {
	if s != "" && !strings.EqualFold(s, "NULL") && !strings.ContainsAny(s, "{},\"\\ \t\n") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// between prints x BETWEEN lo AND hi as PostgreSQL's parser leaves it,
// (x >= lo) AND (x <= hi); x NOT BETWEEN lo AND hi as (x < lo) OR (x > hi).
func (dp *deparser) between(a *pg.A_Expr, depth int) (deparsed, bool) {
	bounds := a.Rexpr.GetList().GetItems()
	if len(bounds) != 2 {
		return deparsed{}, false
	}
	cmp := func(op string, bound *pg.Node) *pg.Node {
		name := []*pg.Node{{Node: &pg.Node_String_{String_: &pg.String{Sval: op}}}}
		return &pg.Node{Node: &pg.Node_AExpr{AExpr: &pg.A_Expr{Kind: pg.A_Expr_Kind_AEXPR_OP, Name: name, Lexpr: a.Lexpr, Rexpr: bound, Location: a.Location}}}
	}
	if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN {
		or := &pg.BoolExpr{Boolop: pg.BoolExprType_OR_EXPR, Args: []*pg.Node{cmp("<", bounds[0]), cmp(">", bounds[1])}}
		return dp.boolExpr(or, depth)
	}
	and := &pg.BoolExpr{Boolop: pg.BoolExprType_AND_EXPR, Args: []*pg.Node{cmp(">=", bounds[0]), cmp("<=", bounds[1])}}
	return dp.boolExpr(and, depth)
}
