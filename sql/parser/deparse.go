package parser

import (
	"context"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// This file renders a stored column default as PostgreSQL's pg_get_expr
// prints it (ruleutils.c, pretty mode). PostgreSQL stores the default
// after analysis: literals typed, unknown-type strings coerced to the type
// that needed them, implicit casts to the column's type added (and not
// printed). cairn stores the default's SQL text, so it parses it again
// and redoes the part of that analysis the printed form shows, for the
// expressions defaults are usually made of: constants, casts, operators,
// function calls and CURRENT_DATE and its kin. Anything else is printed as
// it was written.

// deparser renders expressions. col, when set, resolves column
// references (a view's query); without it a column reference is not
// rendered.
type deparser struct {
	col func(ref *pg.ColumnRef) (deparsed, bool)
	// full prints as PostgreSQL does without its pretty flag: every
	// operator, boolean and IS NULL expression in parentheses, and the
	// operand of every cast.
	full bool
	// folded prints an expression as the planner leaves it, as EXPLAIN
	// shows it: a constant converted to another type is a constant of
	// that type ('1'::numeric), an IN list is = ANY of an array.
	folded bool
	// sublink, when set, prints a subquery expression (EXPLAIN's
	// "(SubPlan 1)"); without it a subquery is not rendered.
	sublink func(n *pg.SubLink) (string, bool)
}

// wrap parenthesizes an operand that needs it: when pretty, an operator
// expression; in full mode, none (they come parenthesized).
func (dp *deparser) wrap(d deparsed) string {
	if d.op != "" && !dp.full {
		return "(" + d.sql + ")"
	}
	return d.sql
}

// castOperand is the operand of a cast as printed: parenthesized in full
// mode, and when pretty if it is an operator expression.
func (dp *deparser) castOperand(d deparsed) string {
	if dp.full {
		return "(" + d.sql + ")"
	}
	return dp.wrap(d)
}

// whole is an operator, boolean or IS NULL expression as printed: in
// parentheses in full mode.
func (dp *deparser) whole(s string) string {
	if dp.full {
		return "(" + s + ")"
	}
	return s
}

// deparsed is one rendered subexpression.
type deparsed struct {
	sql string
	t   types.T // types.Unknown for an untyped string literal, or when cairn cannot tell
	// lit is set for an untyped string literal: its value.
	lit *string
	// op is the operator of an operator expression, "" for other nodes.
	op string
	// num is set for a numeric literal: its text.
	num *string
}

// DeparseDefault renders a column default stored as SQL text, for a column
// of type col, as pg_get_expr prints it. A default it cannot read is
// returned as written.
func DeparseDefault(text string, col types.T) (string, error) {
	tree, err := parseOne("SELECT " + text)
	if err != nil {
		return "", pgerr.Wrapf(err, pgerr.InternalError, "parsing a stored default")
	}
	if len(tree.Stmts) != 1 {
		return text, nil
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return text, nil
	}
	var dp deparser
	d, ok := dp.node(sel.TargetList[0].GetResTarget().GetVal(), 0)
	if !ok {
		return text, nil
	}
	if d.lit != nil {
		return constSQL(*d.lit, types.T{ID: col.ID, Mod: -1})
	}
	// A default of another type, or a modifier to apply, gets an implicit
	// cast, which is not printed; an operator under it is parenthesized.
	if d.op != "" && d.t.ID != types.Unknown && (types.Base(d.t).ID != col.ID || col.Mod >= 0) {
		return "(" + d.sql + ")", nil
	}
	return d.sql, nil
}

// constSQL is get_const_expr: a constant of type t with the value the
// text reads as.
func constSQL(text string, t types.T) (string, error) {
	v, err := types.ParseText(t, text)
	if err != nil {
		return "", err
	}
	out := types.FormatText(t, v)
	switch t.ID {
	case types.Int4:
		if !strings.HasPrefix(out, "-") {
			return out, nil
		}
	case types.Numeric:
		// Printed bare when it reads back as numeric: a float-looking
		// constant without a sign.
		if out != "" && out[0] >= '0' && out[0] <= '9' && strings.ContainsAny(out, ".eE") && t.Mod < 0 {
			return out, nil
		}
	case types.Bool:
		if v == true {
			return "true", nil
		}
		return "false", nil
	}
	return quoteLiteral(out) + "::" + types.Format(t), nil
}

// quoteLiteral is simple_quote_literal with standard_conforming_strings
// on: quotes doubled, backslashes kept.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// deparseNode renders n; ok is false for a node it does not know, whose
// default is then printed as written.
func (dp *deparser) node(n *pg.Node, depth int) (deparsed, bool) {
	if n == nil || depth > ExprDepthMax {
		return deparsed{}, false
	}
	switch {
	case n.GetAConst() != nil:
		c := n.GetAConst()
		var text string
		var t types.T
		switch {
		case c.Isnull:
			return deparsed{sql: "NULL", t: types.New(types.Unknown)}, true
		case c.GetIval() != nil:
			text, t = strconv.Itoa(int(c.GetIval().Ival)), types.New(types.Int4)
		case c.GetFval() != nil:
			text = c.GetFval().Fval
			var err error
			if t, _, err = types.NumberLiteral(text); err != nil {
				return deparsed{}, false
			}
		case c.GetSval() != nil:
			s := c.GetSval().Sval
			return deparsed{sql: quoteLiteral(s), t: types.New(types.Unknown), lit: &s}, true
		case c.GetBoolval() != nil:
			text, t = "false", types.New(types.Bool)
			if c.GetBoolval().Boolval {
				text = "true"
			}
		default:
			return deparsed{}, false
		}
		s, err := constSQL(text, t)
		d := deparsed{sql: s, t: t}
		if c.GetIval() != nil || c.GetFval() != nil {
			d.num = &text
		}
		return d, err == nil
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		t, ok := deparseType(tc.TypeName)
		if !ok {
			return deparsed{}, false
		}
		inner, ok := dp.node(tc.Arg, depth+1)
		if !ok {
			return deparsed{}, false
		}
		if inner.lit != nil {
			// A string literal cast to a type is a constant of it.
			s, err := constSQL(*inner.lit, t)
			return deparsed{sql: s, t: t}, err == nil
		}
		if tc.Arg.GetColumnRef() != nil && inner.t.ID == t.ID && inner.t.ID != types.Unknown && t.Mod == inner.t.Mod {
			// A column cast to its own type is the column: PostgreSQL's
			// coerce_type adds no node for it.
			return inner, true
		}
		return deparsed{sql: dp.castOperand(inner) + "::" + types.Format(t), t: t}, true
	case n.GetCollateClause() != nil:
		// ruleutils.c's CollateExpr: "arg COLLATE name", in parentheses
		// in full mode; the collation's name alone, as the ones cairn
		// knows are all visible.
		cc := n.GetCollateClause()
		inner, ok := dp.node(cc.Arg, depth+1)
		if !ok || len(cc.Collname) == 0 {
			return deparsed{}, false
		}
		if inner.lit != nil {
			// A string literal under COLLATE resolves to text.
			s, err := constSQL(*inner.lit, types.New(types.Text))
			if err != nil {
				return deparsed{}, false
			}
			inner = deparsed{sql: s, t: types.New(types.Text)}
		}
		s := dp.wrap(inner) + " COLLATE " + QuoteIdent(str(cc.Collname[len(cc.Collname)-1]))
		// op makes a pretty operator parenthesize it as an operand, as
		// ruleutils.c does for a node that is not "simple".
		return deparsed{sql: dp.whole(s), t: inner.t, op: "COLLATE"}, true
	case n.GetAExpr() != nil:
		return dp.operator(n.GetAExpr(), depth)
	case n.GetColumnRef() != nil:
		if dp.col == nil {
			return deparsed{}, false
		}
		return dp.col(n.GetColumnRef())
	case n.GetBoolExpr() != nil:
		return dp.boolExpr(n.GetBoolExpr(), depth)
	case n.GetSubLink() != nil:
		if dp.sublink == nil {
			return deparsed{}, false
		}
		text, ok := dp.sublink(n.GetSubLink())
		t := types.New(types.Unknown)
		if st := n.GetSubLink().SubLinkType; st != pg.SubLinkType_EXPR_SUBLINK && st != pg.SubLinkType_ARRAY_SUBLINK {
			t = types.New(types.Bool)
		}
		return deparsed{sql: text, t: t}, ok
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		x, ok := dp.node(nt.Arg, depth+1)
		if !ok || x.lit != nil {
			return deparsed{}, false
		}
		what := " IS NULL"
		if nt.Nulltesttype == pg.NullTestType_IS_NOT_NULL {
			what = " IS NOT NULL"
		}
		return deparsed{sql: dp.whole(dp.wrap(x) + what), t: types.New(types.Bool), op: "IS"}, true
	case n.GetFuncCall() != nil:
		f := n.GetFuncCall()
		if len(f.AggOrder) > 0 || f.AggFilter != nil || f.Funcformat == pg.CoercionForm_COERCE_SQL_SYNTAX {
			// SQL syntax such as POSITION(a IN b) has no call form to
			// print: the expression shows as written.
			return deparsed{}, false
		}
		name := strings.ToLower(str(f.Funcname[len(f.Funcname)-1]))
		if f.AggStar {
			if name != "count" || len(f.Args) > 0 {
				return deparsed{}, false
			}
			call := "count(*)"
			if f.Over != nil {
				over, ok := dp.overClause(f.Over, depth)
				if !ok {
					return deparsed{}, false
				}
				call += " OVER " + over
			}
			return deparsed{sql: call, t: types.New(types.Int8)}, true
		}
		distinct := ""
		if f.AggDistinct {
			distinct = "DISTINCT "
		}
		args := make([]string, len(f.Args))
		var first types.T
		for i, a := range f.Args {
			d, ok := dp.node(a, depth+1)
			if !ok {
				return deparsed{}, false
			}
			if d.lit != nil {
				// An untyped argument takes the parameter's type: a
				// sequence function's first is regclass, the other
				// functions cairn prints take text.
				cast := "::text"
				if i == 0 && (name == "nextval" || name == "currval" || name == "setval") {
					cast = "::regclass"
				}
				d.sql = quoteLiteral(*d.lit) + cast
				d.t = types.New(types.Text)
			}
			if (d.t.ID == types.Varchar || d.t.ID == types.Bpchar) && textFunction(name) {
				// The implicit cast to the text parameter shows.
				d.sql, d.t = dp.castOperand(d)+"::text", types.New(types.Text)
			}
			if i == 0 {
				first = d.t
			}
			args[i] = d.sql
		}
		t := types.New(types.Unknown)
		switch name {
		case "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp":
			t = types.New(types.TimestampTZ)
		case "upper", "lower", "concat", "md5", "replace", "repeat", "substr", "trim", "btrim", "ltrim", "rtrim", "reverse":
			t = types.New(types.Text)
		case "abs", "min", "max":
			t = first
		case "count":
			t = types.New(types.Int8)
		case "sum":
			t = types.New(types.Numeric)
			if first.ID == types.Int2 || first.ID == types.Int4 {
				t = types.New(types.Int8)
			}
		case "avg":
			t = types.New(types.Numeric)
		}
		call := funcNameText(name) + "(" + distinct + strings.Join(args, ", ") + ")"
		if f.Over != nil {
			over, ok := dp.overClause(f.Over, depth)
			if !ok {
				return deparsed{}, false
			}
			call += " OVER " + over
		}
		return deparsed{sql: call, t: t}, true
	case n.GetCoalesceExpr() != nil, n.GetMinMaxExpr() != nil:
		name, list := "COALESCE", n.GetCoalesceExpr().GetArgs()
		if m := n.GetMinMaxExpr(); m != nil {
			name, list = "GREATEST", m.Args
			if m.Op == pg.MinMaxOp_IS_LEAST {
				name = "LEAST"
			}
		}
		args := make([]string, len(list))
		var t types.T
		for i, a := range list {
			d, ok := dp.node(a, depth+1)
			if !ok {
				return deparsed{}, false
			}
			if d.lit != nil {
				return deparsed{}, false // its type comes from the others
			}
			if i == 0 {
				t = d.t
			}
			args[i] = d.sql
		}
		return deparsed{sql: name + "(" + strings.Join(args, ", ") + ")", t: t}, true
	case n.GetSqlvalueFunction() != nil:
		switch n.GetSqlvalueFunction().Op {
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
			return deparsed{sql: "CURRENT_DATE", t: types.New(types.Date)}, true
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:
			return deparsed{sql: "CURRENT_TIMESTAMP", t: types.New(types.TimestampTZ)}, true
		case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:
			return deparsed{sql: "LOCALTIMESTAMP", t: types.New(types.Timestamp)}, true
		case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:
			return deparsed{sql: "CURRENT_USER", t: types.New(types.SysName)}, true
		case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
			return deparsed{sql: "SESSION_USER", t: types.New(types.SysName)}, true
		}
	}
	return deparsed{}, false
}

// textFunction names the functions cairn prints whose parameters are
// text, so that a varchar or character argument is printed with its
// implicit cast, as ruleutils.c prints it.
func textFunction(name string) bool {
	switch name {
	case "upper", "lower", "md5", "replace", "repeat", "substr", "btrim", "ltrim", "rtrim", "reverse", "initcap":
		return true
	}
	return false
}

// deparseType maps a type name in a default to cairn's type.
func deparseType(tn *pg.TypeName) (types.T, bool) {
	tr := translator{}
	name, err := tr.typeName(tn)
	if err != nil {
		return types.T{}, false
	}
	t, err := types.Resolve(name)
	return t, err == nil
}

// deparseOperator renders a binary or prefix operator with PostgreSQL's
// pretty-printing parentheses: an operand that is itself an operator
// expression is parenthesized unless it binds tighter (* / % under + -),
// or is the left operand of an operator of the same priority.
func (dp *deparser) operator(a *pg.A_Expr, depth int) (deparsed, bool) {
	if a.Kind == pg.A_Expr_Kind_AEXPR_IN && dp.folded {
		return dp.inList(a, depth)
	}
	if (a.Kind == pg.A_Expr_Kind_AEXPR_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN) && dp.folded {
		return dp.between(a, depth)
	}
	if a.Kind == pg.A_Expr_Kind_AEXPR_DISTINCT || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT {
		return dp.distinct(a, depth)
	}
	if a.Kind != pg.A_Expr_Kind_AEXPR_OP || len(a.Name) != 1 {
		return deparsed{}, false
	}
	op := str(a.Name[0])
	r, ok := dp.node(a.Rexpr, depth+1)
	if !ok {
		return deparsed{}, false
	}
	if a.Lexpr == nil {
		if r.lit != nil {
			return deparsed{}, false
		}
		return deparsed{sql: dp.whole(op + " " + dp.wrap(r)), t: r.t, op: op}, true
	}
	l, ok := dp.node(a.Lexpr, depth+1)
	if !ok {
		return deparsed{}, false
	}
	// Untyped literals take the other operand's type, or text.
	switch {
	case l.lit != nil && r.lit != nil:
		l.t, r.t = types.New(types.Text), types.New(types.Text)
	case l.lit != nil:
		l.t = types.Base(r.t)
	case r.lit != nil:
		r.t = types.Base(l.t)
	}
	for _, d := range []*deparsed{&l, &r} {
		if d.lit != nil {
			if d.t.ID == types.Unknown {
				d.t = types.New(types.Text)
			}
			s, err := constSQL(*d.lit, d.t)
			if err != nil {
				return deparsed{}, false
			}
			d.sql, d.lit = s, nil
		}
	}
	if op == "!=" {
		op = "<>"
	}
	cmp := op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">="
	// t is the type the operands are compared or computed in.
	t := types.New(types.Unknown)
	switch {
	case op == "||":
		t = types.New(types.Text)
	case l.t.IsNumeric() && r.t.IsNumeric():
		t = l.t
		if types.NumericRank(r.t.ID) > types.NumericRank(l.t.ID) {
			t = r.t
		}
		t.Mod = -1
	case cmp && l.t.IsString() && r.t.IsString():
		t = types.New(types.Text)
		if l.t.ID == r.t.ID {
			t = l.t
		}
	case cmp && l.t.ID == r.t.ID:
		t = l.t
	}
	// varchar and name compare as text: the operand shows its cast.
	if cmp && t.ID == types.Text {
		for _, d := range []*deparsed{&l, &r} {
			if d.t.ID != types.Text {
				d.sql = dp.castOperand(*d) + "::text"
			}
		}
	}
	// A varchar operand of || is concatenated as text, shown as its cast.
	if op == "||" {
		for _, d := range []*deparsed{&l, &r} {
			if d.t.ID == types.Varchar {
				d.sql = dp.castOperand(*d) + "::text"
			}
		}
	}
	ls, rs := l.sql, r.sql
	if l.op != "" && !dp.full && !operandBare(l.op, op, true) {
		ls = "(" + ls + ")"
	}
	if r.op != "" && !dp.full && !operandBare(r.op, op, false) {
		rs = "(" + rs + ")"
	}
	// An operand converted to the operator's type shows its cast (the
	// operand of a cast is parenthesized when it is an operator); the
	// integer types have cross-type operators and need none.
	if t.IsNumeric() && !(l.t.IsInteger() && r.t.IsInteger()) {
		if l.t.ID != t.ID {
			if c, ok := dp.foldedConst(l, t); ok {
				ls = c
			} else {
				if dp.full || l.op != "" && ls[0] != '(' {
					ls = "(" + ls + ")"
				}
				ls += "::" + types.Format(t)
			}
		}
		if r.t.ID != t.ID {
			if c, ok := dp.foldedConst(r, t); ok {
				rs = c
			} else {
				if dp.full || r.op != "" && rs[0] != '(' {
					rs = "(" + rs + ")"
				}
				rs += "::" + types.Format(t)
			}
		}
	}
	if cmp {
		t = types.New(types.Bool)
	}
	return deparsed{sql: dp.whole(ls + " " + op + " " + rs), t: t, op: op}, true
}

// distinct renders l IS [NOT] DISTINCT FROM r of operands that are not
// untyped literals; IS NOT DISTINCT FROM prints as PostgreSQL analyzes
// it, NOT (l IS DISTINCT FROM r) (without the parentheses when pretty).
func (dp *deparser) distinct(a *pg.A_Expr, depth int) (deparsed, bool) {
	l, ok := dp.node(a.Lexpr, depth+1)
	if !ok || l.lit != nil {
		return deparsed{}, false
	}
	r, ok := dp.node(a.Rexpr, depth+1)
	if !ok || r.lit != nil {
		return deparsed{}, false
	}
	inner := dp.wrap(l) + " IS DISTINCT FROM " + dp.wrap(r)
	out := deparsed{sql: dp.whole(inner), t: types.New(types.Bool), op: "IS DISTINCT FROM"}
	if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT {
		out.sql, out.op = "NOT "+inner, "NOT"
		if dp.full {
			out.sql = "(NOT (" + inner + "))"
		}
	}
	return out, true
}

// boolExpr renders AND, OR and NOT; a nested AND or OR of the other kind
// is parenthesized.
func (dp *deparser) boolExpr(b *pg.BoolExpr, depth int) (deparsed, bool) {
	op := map[pg.BoolExprType]string{pg.BoolExprType_AND_EXPR: "AND", pg.BoolExprType_OR_EXPR: "OR", pg.BoolExprType_NOT_EXPR: "NOT"}[b.Boolop]
	if op == "" {
		return deparsed{}, false
	}
	parts := make([]string, len(b.Args))
	for i, a := range b.Args {
		d, ok := dp.node(a, depth+1)
		if !ok {
			return deparsed{}, false
		}
		if d.lit != nil {
			s, err := constSQL(*d.lit, types.New(types.Bool))
			if err != nil {
				return deparsed{}, false
			}
			d.sql = s
		}
		// isSimpleNode: NOT and AND need no parentheses under AND or
		// OR, nor OR under OR; other expressions none under a boolean.
		if (d.op == "AND" || d.op == "OR" || d.op == "NOT") && !dp.full {
			simple := (d.op == "NOT" || d.op == "AND") && op != "NOT" || d.op == "OR" && op == "OR"
			if !simple {
				d.sql = "(" + d.sql + ")"
			}
		}
		parts[i] = d.sql
	}
	if op == "NOT" {
		return deparsed{sql: dp.whole("NOT " + parts[0]), t: types.New(types.Bool), op: "NOT"}, true
	}
	return deparsed{sql: dp.whole(strings.Join(parts, " "+op+" ")), t: types.New(types.Bool), op: op}, true
}

// operandBare is isSimpleNode for an operator under an operator.
func operandBare(child, parent string, left bool) bool {
	lo := func(o string) bool { return o == "+" || o == "-" }
	hi := func(o string) bool { return o == "*" || o == "/" || o == "%" }
	if !(lo(child) || hi(child)) || !(lo(parent) || hi(parent)) {
		return false
	}
	if hi(child) && lo(parent) {
		return true
	}
	if lo(child) && hi(parent) {
		return false
	}
	return left
}

// parseOne parses text that the caller stored or built (a view's query, a
// column default), with the same limits as a client's query.
func parseOne(text string) (*pg.ParseResult, error) {
	var tree *pg.ParseResult
	_, err := Parse(context.Background(), text, Config{}, func(c Chunk) error {
		if tree == nil {
			tree = c.Tree
		} else {
			tree.Stmts = append(tree.Stmts, c.Tree.Stmts...)
		}
		return nil
	})
	return tree, err
}

// DeparseCheck renders a CHECK condition stored as SQL text, over a table
// with columns cols, as pg_get_constraintdef prints it inside CHECK (...):
// constants typed, columns unqualified, and without pretty every operator
// expression parenthesized. A condition it cannot read is returned as
// written (in parentheses when not pretty).
func DeparseCheck(text string, cols []ViewColumn, pretty bool) string {
	fallback := "(" + text + ")"
	if pretty {
		fallback = text
	}
	tree, err := parseOne("SELECT " + text)
	if err != nil || len(tree.Stmts) != 1 {
		return fallback
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return fallback
	}
	table := &ViewTable{Columns: cols}
	dp := deparser{full: !pretty, col: func(ref *pg.ColumnRef) (deparsed, bool) {
		if len(ref.Fields) != 1 {
			return deparsed{}, false
		}
		name := str(ref.Fields[0])
		i := table.column(name)
		if i < 0 {
			return deparsed{}, false
		}
		return deparsed{sql: QuoteIdent(name), t: cols[i].Type}, true
	}}
	d, ok := dp.node(sel.TargetList[0].GetResTarget().GetVal(), 0)
	if !ok {
		return fallback
	}
	return d.sql
}

// MentionsColumn reports whether the expression stored as SQL text reads
// the column named name.
func MentionsColumn(text, name string) bool {
	tree, err := parseOne("SELECT " + text)
	if err != nil {
		return false
	}
	found := false
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if ref, ok := m.Interface().(*pg.ColumnRef); ok && len(ref.Fields) > 0 && str(ref.Fields[len(ref.Fields)-1]) == name {
			found = true
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			case fd.Message() != nil:
				walk(v.Message())
			}
			return !found
		})
	}
	walk(tree.ProtoReflect())
	return found
}
