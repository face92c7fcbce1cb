package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

type subqueryKind int

const (
	subScalar subqueryKind = iota
	subExists
	subIn
	subAny   // x op ANY (subquery)
	subAll   // x op ALL (subquery)
	subArray // ARRAY(subquery)
)

// subqueryExpr evaluates a nested query. A correlated subquery runs once per
// outer row, with that row pushed on the evaluation context's outer stack;
// an uncorrelated one runs once per statement.
type subqueryExpr struct {
	p          plan
	kind       subqueryKind
	correlated bool
	t          types.T
	// For IN: left is the tested value, conv converts the subquery's column
	// (colExpr 0 of its row) to the comparison type.
	left, conv expr
	not        bool
	// For ANY and ALL: the comparison, applied to types.Compare's result.
	cmp func(int) bool
	// stack is set for ARRAY(subquery) of arrays: the result has one
	// more dimension.
	stack bool
	// rowIn is set for a row IN (subqueryrow.go).
	rowIn *rowIn
}

func (e *subqueryExpr) Type() types.T {
	if e.kind == subScalar || e.kind == subArray {
		return e.t
	}
	return types.New(types.Bool)
}

func (e *subqueryExpr) rows(c *evalCtx, row []types.Datum) ([][]types.Datum, error) {
	if !e.correlated && c.exec != nil {
		if rows, ok := c.exec.subqueryCache[e]; ok {
			return rows, nil
		}
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > exprDepthMax {
		return nil, tooDeep()
	}
	from := c.exec.memMark()
	c.outer = append(c.outer, row)
	rows, err := e.run(c)
	c.outer = c.outer[:len(c.outer)-1]
	if err != nil {
		return nil, err
	}
	if !e.correlated && c.exec != nil {
		if c.exec.subqueryCache == nil {
			c.exec.subqueryCache = make(map[*subqueryExpr][][]types.Datum)
		}
		c.exec.subqueryCache[e] = rows
		// Cached to the statement's end, whatever range of it the
		// enclosing nodes drop.
		c.exec.memPin(from)
	}
	return rows, nil
}

// run runs the subquery, reading no more rows than its value needs: one
// for EXISTS, two for a scalar subquery (the second is an error).
func (e *subqueryExpr) run(c *evalCtx) ([][]types.Datum, error) {
	need := 0
	switch e.kind {
	case subExists:
		need = 1
	case subScalar:
		need = 2
	default:
		return e.p.run(c)
	}
	var rows [][]types.Datum
	stop := &stopStream{}
	err := streamUntil(c, e.p, stop, func(r []types.Datum) error {
		row := make([]types.Datum, len(r))
		copy(row, r)
		if err := c.addRow(row); err != nil {
			return err
		}
		if rows = append(rows, row); len(rows) == need {
			return stop
		}
		return nil
	})
	return rows, err
}

func (e *subqueryExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	if e.correlated {
		// A correlated subquery runs once per outer row; its rows are
		// garbage once its value is known (the value is counted by the
		// row that holds it).
		from := c.exec.memMark()
		defer func() { c.exec.memDrop(from, c.exec.memMark()) }()
	}
	rows, err := e.rows(c, row)
	if err != nil {
		return nil, err
	}
	switch e.kind {
	case subExists:
		return len(rows) > 0, nil
	case subArray:
		out := &types.Array{Elems: make([]types.Datum, len(rows))}
		for i, r := range rows {
			out.Elems[i] = r[0]
		}
		if e.stack && len(rows) > 0 {
			return accumArrays(out.Elems)
		}
		return out, nil
	case subScalar:
		switch len(rows) {
		case 0:
			return nil, nil
		case 1:
			return rows[0][0], nil
		}
		return nil, pgerr.New(pgerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
	}
	if e.rowIn != nil {
		return e.evalRowIn(c, row, rows)
	}
	x, err := e.left.Eval(c, row)
	if err != nil {
		return nil, err
	}
	if set, err := e.inSetFor(c, rows); err != nil || set != nil {
		if err != nil {
			return nil, err
		}
		return set.test(x, e.not), nil
	}
	vals := make([]types.Datum, len(rows))
	for i, r := range rows {
		if vals[i], err = e.conv.Eval(c, r); err != nil {
			return nil, err
		}
	}
	if e.kind == subIn {
		return inResult(x, vals, e.not), nil
	}
	return quantifiedResult(x, vals, e.cmp, e.kind == subAll), nil
}

// quantifiedResult is x op ANY (vals) or x op ALL (vals) under SQL's
// three-valued logic: ANY is true if some comparison is true, ALL false if
// some is false; otherwise a NULL comparison makes the answer NULL. Over
// no rows ANY is false and ALL true, even for a NULL x.
func quantifiedResult(x types.Datum, vals []types.Datum, cmp func(int) bool, all bool) types.Datum {
	sawNull := false
	for _, v := range vals {
		if x == nil || v == nil {
			sawNull = true
			continue
		}
		if cmp(types.Compare(x, v)) != all {
			return !all
		}
	}
	if sawNull {
		return nil
	}
	return all
}

func (b *binder) bindSubqueryPlan(q *ast.SelectStmt, sc *scope, pos int32) (*subqueryExpr, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	b.sublinks++
	defer func() { b.sublinks-- }()
	inner := &scope{parent: sc}
	p, err := b.bindSelect(q, inner)
	if err != nil {
		return nil, err
	}
	sub := &subqueryExpr{p: p, correlated: inner.correlated}
	if b.explain != nil {
		b.explain.subqueries[q] = sub
	}
	return sub, nil
}

func (b *binder) bindSubquery(x *ast.SubqueryExpr, sc *scope) (expr, error) {
	sub, err := b.bindSubqueryPlan(x.Query, sc, x.Pos)
	if err != nil {
		return nil, err
	}
	if x.Exists {
		sub.kind = subExists
		return sub, nil
	}
	cols := sub.p.columns()
	if len(cols) != 1 {
		return nil, pgerr.New(pgerr.SyntaxError, "subquery must return only one column").WithPosition(x.Pos)
	}
	sub.kind = subScalar
	sub.t = cols[0].Type
	if x.Array {
		sub.kind = subArray
		elem := cols[0].Type
		if elem.ID == types.Unknown {
			elem = types.New(types.Text)
		}
		t, ok := types.ArrayOf(elem)
		if elem.IsArray() {
			// ARRAY(SELECT array ...) stacks the arrays.
			t, ok, sub.stack = types.Base(elem), true, true
		}
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "could not find array type for data type %s", elem.Name()).WithPosition(x.Pos)
		}
		sub.t = t
	}
	return sub, nil
}
