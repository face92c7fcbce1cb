package sql

import (
	"strings"

	"github.com/cairndb/cairn/sql/ast"
)

// EXPLAIN names the columns of a simple FROM subquery as PostgreSQL does
// once its planner has pulled the subquery up into the query above
// (pull_up_subqueries): a condition or output column reading ss.x, where
// ss is (SELECT t.a AS x FROM t ...), prints as t.a, the column the
// value is read from. cairn runs a FROM subquery as the plan of its
// query, which EXPLAIN shows without a Subquery Scan node of its own (as
// PostgreSQL shows a subquery scan it finds trivial, whose references
// print as the subquery's columns too); the value ss.x is t.a's, so
// printing t.a describes what runs. A computed column keeps its name.

// itemRange places a FROM item's columns among those of the scope the
// query's conditions are bound in.
type itemRange struct {
	off, width int
	p          plan
}

// recordItems notes, for EXPLAIN, which FROM item gives each column of sc.
func (b *binder) recordItems(sc *scope, items ...itemRange) {
	if b.explain == nil {
		return
	}
	if b.explain.items == nil {
		b.explain.items = make(map[*scope][]itemRange)
	}
	b.explain.items[sc] = append(b.explain.items[sc], items...)
}

// markFromSubquery notes, for EXPLAIN, that p is a FROM subquery's plan.
func (b *binder) markFromSubquery(p plan) {
	if b.explain == nil {
		return
	}
	if b.explain.fromSubqueries == nil {
		b.explain.fromSubqueries = make(map[plan]bool)
	}
	b.explain.fromSubqueries[p] = true
}

// pulledUpColumn prints column idx of scope sc as the column of a
// pulled-up subquery it is read from, when it is one.
func (d *describer) pulledUpColumn(sc *scope, idx int) (string, bool) {
	for _, r := range d.rec.items[sc] {
		if idx < r.off || idx >= r.off+r.width {
			continue
		}
		e, ok := d.pulledColumn(r.p, idx-r.off)
		if !ok {
			return "", false
		}
		return d.exprText(e, ""), true
	}
	return "", false
}

// pulledColumn finds the expression of a pulled-up subquery that column
// idx of p's rows is, through the joins that pass it on.
func (d *describer) pulledColumn(p plan, idx int) (expr, bool) {
	for depth := 0; depth < 64; depth++ {
		switch x := p.(type) {
		case *analyzedNode:
			p = x.in
		case *joinNode:
			if lw := len(x.left.columns()); idx < lw {
				p = x.left
			} else {
				p, idx = x.right, idx-lw
			}
		case *multiJoinNode:
			found := false
			for _, it := range x.items {
				if idx >= it.off && idx < it.off+it.width {
					p, idx, found = it.p, idx-it.off, true
					break
				}
			}
			if !found {
				return nil, false
			}
		default:
			if !d.rec.fromSubqueries[p] {
				return nil, false
			}
			e, ok := d.outputExpr(p, idx)
			if !ok || !d.printableColumn(e) {
				return nil, false
			}
			return e, true
		}
	}
	return nil, false
}

// printableColumn reports whether e is a column whose name EXPLAIN knows.
func (d *describer) printableColumn(e expr) bool {
	if _, ok := e.(*namedColumn); ok {
		return true
	}
	if o, ok := d.rec.exprs[e]; ok {
		_, col := o.ast.(*ast.ColumnRef)
		return col
	}
	return false
}

// usingKeys prints the hash condition of a JOIN ... USING (or NATURAL
// JOIN), whose equalities have no text of their own: each pair of
// columns the join hashes on, the left side's first.
func (d *describer) usingKeys(x *joinNode) (func() string, bool) {
	if len(x.lkeys) == 0 || len(x.lkeys) != len(x.rkeys) {
		return nil, false
	}
	lw := len(x.left.columns())
	for i := range x.lkeys {
		l, lok := x.lkeys[i].(*colExpr)
		r, rok := x.rkeys[i].(*colExpr)
		if !lok || !rok || l.level != 0 || r.level != 0 || l.idx >= lw || r.idx < lw {
			return nil, false
		}
	}
	return func() string {
		parts := make([]string, len(x.lkeys))
		for i := range x.lkeys {
			l, r := x.lkeys[i].(*colExpr), x.rkeys[i].(*colExpr)
			lt, lok := d.inputColumn(x.left, l.idx)
			rt, rok := d.inputColumn(x.right, r.idx-lw)
			if !lok || !rok {
				return "?"
			}
			parts[i] = "(" + lt + " = " + rt + ")"
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " AND ") + ")"
	}, true
}
