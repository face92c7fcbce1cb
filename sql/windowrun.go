package sql

import (
	"strconv"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Run conditions, as PostgreSQL 15 derives them from a query over a
// FROM subquery with window functions: a WHERE condition comparing a
// window function's result with a constant, when the function's result
// only grows (or only shrinks) along its partition, stays false for the
// rest of the partition once it is false. The window then stops
// returning the partition's rows there instead of computing them all
// for the filter to drop. The monotonic functions are row_number, rank
// and dense_rank (growing) and count(*), growing when its frame starts
// at the partition's start, shrinking when it ends at the partition's
// end, and constant over a whole partition without ORDER BY.

// runCond is one run condition of a window: function k's value op v,
// or v op the value when the function stands on the right.
type runCond struct {
	k         int
	op        string
	v         int64
	funcRight bool
	// text is how EXPLAIN prints the function call.
	text string
}

// holds evaluates the condition on one row's value of the function.
func (c *runCond) holds(v types.Datum) bool {
	x, ok := v.(int64)
	if !ok {
		return false
	}
	cmp := types.Compare(x, c.v)
	if c.funcRight {
		cmp = -cmp
	}
	return comparison(c.op)(cmp)
}

// textAs prints the condition as PostgreSQL's EXPLAIN does; operand
// parenthesizes the call, as a column read above its window.
func (c *runCond) textAs(operand bool) string {
	call := c.text + " OVER (?)"
	if operand {
		call = "(" + call + ")"
	}
	v := strconv.FormatInt(c.v, 10)
	if c.funcRight {
		return v + " " + c.op + " " + call
	}
	return call + " " + c.op + " " + v
}

// runStop returns the index of the first row of part at which a run
// condition of c fails: the rows from there on are not returned.
func (c *winClause) runStop(part []winRow, width int) int {
	for i, wr := range part {
		for _, rc := range c.runConds {
			if !rc.holds(wr.row[width+rc.k]) {
				return i
			}
		}
	}
	return len(part)
}

// lowerRunConds reports whether a row passes the run conditions of the
// windows below the top one, which the top window checks as a filter.
func (n *windowNode) lowerRunConds(row []types.Datum, width int) bool {
	clauses := n.clauseList()
	for _, c := range clauses[:len(clauses)-1] {
		for _, rc := range c.runConds {
			if !rc.holds(row[width+rc.k]) {
				return false
			}
		}
	}
	return true
}

// monotonic reports whether f's value only grows (inc) or only shrinks
// (dec) along its partition.
func (f *winFunc) monotonic() (inc, dec bool) {
	switch f.name {
	case "row_number", "rank", "dense_rank":
		return true, false
	case "count":
		if f.agg == nil || f.agg.arg != nil || f.agg.filter != nil {
			return false, false
		}
		if len(f.order) == 0 {
			return true, true
		}
		fr := f.frame
		startsAtStart := fr.Mode == "" || fr.Start.Kind == "unbounded preceding"
		endsAtEnd := fr.Mode != "" && fr.End.Kind == "unbounded following"
		return startsAtStart, endsAtEnd
	}
	return false, false
}

// windowRunConditions turns the WHERE conditions over a FROM subquery
// with window functions into run conditions of its windows where
// PostgreSQL does, and returns the conditions the filter still checks.
func (b *binder) windowRunConditions(from plan, conds []ast.Expr, sc *scope) []ast.Expr {
	proj, ok := from.(*projectNode)
	if !ok || proj.afterSort {
		return conds
	}
	win, ok := proj.in.(*windowNode)
	if !ok {
		return conds
	}
	var rest []ast.Expr
	for _, c := range conds {
		keep := true
		if rc, keepOriginal, ok := runCondOf(c, proj, win, sc); ok {
			win.addRunCond(rc)
			keep = keepOriginal
		}
		if keep {
			rest = append(rest, c)
		}
	}
	return rest
}

// runCondOf returns the run condition a WHERE condition gives, and
// whether the filter must still check the condition itself.
func runCondOf(c ast.Expr, proj *projectNode, win *windowNode, sc *scope) (*runCond, bool, bool) {
	be, ok := c.(*ast.BinaryExpr)
	if !ok {
		return nil, false, false
	}
	switch be.Op {
	case "<", "<=", ">", ">=", "=":
	default:
		return nil, false, false
	}
	ref, lit, funcRight := be.L, be.R, false
	if _, isCol := ref.(*ast.ColumnRef); !isCol {
		ref, lit, funcRight = be.R, be.L, true
	}
	col, ok := ref.(*ast.ColumnRef)
	l, isLit := lit.(*ast.Literal)
	if !ok || !isLit || l.Kind != "int" {
		return nil, false, false
	}
	v, err := strconv.ParseInt(l.Text, 10, 64)
	if err != nil {
		return nil, false, false
	}
	idx, level, _, err := sc.resolve(col)
	if err != nil || level != 0 || idx >= len(proj.exprs) {
		return nil, false, false
	}
	wr, ok := proj.exprs[idx].(*winRefExpr)
	if !ok || wr.node != win {
		return nil, false, false
	}
	f := win.funcs[wr.k]
	inc, dec := f.monotonic()
	rc := &runCond{k: wr.k, op: be.Op, v: v, funcRight: funcRight, text: f.name + "()"}
	if f.name == "count" {
		rc.text = "count(*)"
	}
	// Written with the function on the left: < and <= for a growing
	// function, > and >= for a shrinking one; mirrored on the right.
	less := be.Op == "<" || be.Op == "<="
	greater := be.Op == ">" || be.Op == ">="
	if funcRight {
		less, greater = greater, less
	}
	switch {
	case inc && less, dec && greater:
		return rc, false, true
	case be.Op == "=" && inc && dec:
		return rc, false, true
	case be.Op == "=" && inc:
		rc.op = "<="
		if funcRight {
			rc.op = ">="
		}
		return rc, true, true
	case be.Op == "=" && dec:
		rc.op = ">="
		if funcRight {
			rc.op = "<="
		}
		return rc, true, true
	}
	return nil, false, false
}

// addRunCond adds a run condition to the window of its function.
func (n *windowNode) addRunCond(rc *runCond) {
	for _, c := range n.clauseList() {
		for _, k := range c.funcs {
			if k == rc.k {
				c.runConds = append(c.runConds, rc)
				return
			}
		}
	}
}
