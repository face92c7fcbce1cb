package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// exprNode parses an expression stored as SQL text.
func exprNode(text string) *pg.Node {
	tree, err := parseOne("SELECT " + text)
	if err != nil || len(tree.Stmts) != 1 {
		return nil
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil || len(sel.TargetList) != 1 {
		return nil
	}
	return sel.TargetList[0].GetResTarget().GetVal()
}

// LooksLikeCall reports whether the expression stored as text is printed
// without parentheses as an index key: a function call, COALESCE,
// GREATEST or LEAST, or a SQL value function (ruleutils.c's
// looks_like_function).
func LooksLikeCall(text string) bool {
	n := exprNode(text)
	switch {
	case n == nil:
		return false
	case n.GetFuncCall() != nil:
		return n.GetFuncCall().Funcformat != pg.CoercionForm_COERCE_SQL_SYNTAX
	case n.GetCoalesceExpr() != nil, n.GetMinMaxExpr() != nil, n.GetSqlvalueFunction() != nil:
		return true
	}
	return false
}

// IndexColumnName names an index column computed by the expression
// stored as text, as PostgreSQL's FigureIndexColname does: a function's
// name, a cast's column or type, "coalesce", "greatest", "least", else
// "expr".
func IndexColumnName(text string) string {
	if name := figureColname(exprNode(text), 0); name != "" {
		return name
	}
	return "expr"
}

func figureColname(n *pg.Node, depth int) string {
	if n == nil || depth > ExprDepthMax {
		return ""
	}
	switch {
	case n.GetColumnRef() != nil:
		f := n.GetColumnRef().Fields
		if len(f) > 0 && f[len(f)-1].GetString_() != nil {
			return TruncateIdent(str(f[len(f)-1]))
		}
	case n.GetFuncCall() != nil:
		f := n.GetFuncCall().Funcname
		return strings.ToLower(str(f[len(f)-1]))
	case n.GetTypeCast() != nil:
		tc := n.GetTypeCast()
		if name := figureColname(tc.Arg, depth+1); name != "" {
			return name
		}
		if names := tc.TypeName.Names; len(names) > 0 {
			return str(names[len(names)-1])
		}
	case n.GetCoalesceExpr() != nil:
		return "coalesce"
	case n.GetMinMaxExpr() != nil:
		if n.GetMinMaxExpr().Op == pg.MinMaxOp_IS_LEAST {
			return "least"
		}
		return "greatest"
	case n.GetCaseExpr() != nil:
		return "case"
	}
	return ""
}
