package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// likeOperators are the operator names LIKE and ILIKE go by, which x
// LIKE ANY (array) arrives with.
var likeOperators = map[string]string{"~~": "LIKE", "!~~": "NOT LIKE", "~~*": "ILIKE", "!~~*": "NOT ILIKE"}

// isComparisonOp reports whether op is one of the six comparisons, which
// anyArrayExpr evaluates by the types' order.
func isComparisonOp(op string) bool {
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// bindAnyArrayOp binds x op ANY|ALL (array) for an operator other than the
// comparisons (~, LIKE, &&, ...): op is bound between x and the array's
// element type, and must give boolean (42809 otherwise).
func (b *binder) bindAnyArrayOp(x *ast.InExpr, left, arr expr, elem types.T) (expr, error) {
	op := x.Op
	if o, ok := likeOperators[op]; ok {
		op = o
	}
	cmp, err := b.bindOperator(op, &colExpr{t: left.Type(), idx: 0}, &colExpr{t: elem, idx: 1}, x.Pos)
	if err != nil {
		return nil, err
	}
	if cmp.Type().ID != types.Bool {
		return nil, pgerr.New(pgerr.WrongObjectType, "op ANY/ALL (array) requires operator to yield boolean").WithPosition(x.Pos)
	}
	return &anyArrayOpExpr{left: left, arr: arr, cmp: cmp, all: x.All}, nil
}

// anyArrayOpExpr is x op ANY|ALL (array) for any boolean operator, with
// PostgreSQL's ScalarArrayOpExpr rules: ANY is true when op is true for
// an element, else NULL when it was NULL for one, else false; ALL the
// other way round; an empty array gives false (ANY) or true (ALL), a NULL
// array NULL.
type anyArrayOpExpr struct {
	left, arr expr
	// cmp is op over column 0 (x) and column 1 (an element).
	cmp expr
	all bool
}

func (e *anyArrayOpExpr) Type() types.T { return types.New(types.Bool) }
func (e *anyArrayOpExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	x, err := e.left.Eval(c, row)
	if err != nil {
		return nil, err
	}
	av, err := e.arr.Eval(c, row)
	if err != nil || av == nil {
		return nil, err
	}
	sawNull := false
	for _, el := range av.(*types.Array).Elems {
		v, err := e.cmp.Eval(c, []types.Datum{x, el})
		if err != nil {
			return nil, err
		}
		switch {
		case v == nil:
			sawNull = true
		case v.(bool) != e.all:
			return !e.all, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.all, nil
}
