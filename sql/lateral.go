package sql

import (
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// LATERAL: a subquery marked LATERAL, and any function in FROM, may name
// the FROM items to its left. Such an item is bound in a scope whose
// columns are those items' (laid out as the joined row holds them), one
// level above the item's own query; at run time the join that holds it
// runs it once per row of those items, pushing that row where the item's
// outer references read it (lateralLeaf).
//
// Binding tracks which of the visible columns an item reads
// (lateralCtx), so that the FROM list's join (multiJoinNode) joins the
// items it depends on first and the other items freely, and an explicit
// JOIN (joinNode) reruns only a right side that reads its left.
//
// At run time the row of the items to the left travels in
// evalCtx.lateralRow: the join sets it before it streams an item that
// depends on it; a lateralLeaf pushes it on the outer-row stack for the
// item's expressions, and a joinNode extends it with its left row for a
// lateral right side. Each reads it when its stream starts, so a join
// further down the pipeline setting it for its own items does no harm.

// lateralCtx is the columns a FROM item may read laterally, and which of
// them it does read.
type lateralCtx struct {
	cols []scopeCol
	used []bool
	// parent, when set, holds a prefix of cols: the items to the left of
	// an enclosing JOIN, which a read of them concerns too.
	parent *lateralCtx
	// hidden is how many leading columns may not be read: those of the
	// target of UPDATE ... FROM or DELETE ... USING.
	hidden int
}

func newLateralCtx(cols []scopeCol, parent *lateralCtx) *lateralCtx {
	return &lateralCtx{cols: cols[:len(cols):len(cols)], used: make([]bool, len(cols)), parent: parent}
}

func (c *lateralCtx) mark(idx int) error {
	if idx < 0 || idx >= len(c.used) {
		return nil
	}
	if idx < c.hidden {
		return pgerr.New(pgerr.InvalidColumnReference, "invalid reference to FROM-clause entry for table \"%s\"", c.cols[idx].table).
			WithHint(fmt.Sprintf("There is an entry for table \"%s\", but it cannot be referenced from this part of the query.", c.cols[idx].table))
	}
	c.used[idx] = true
	if c.parent != nil && idx < len(c.parent.cols) {
		return c.parent.mark(idx)
	}
	return nil
}

// usesFrom reports the first column at or after from that is read, -1 if
// none.
func (c *lateralCtx) usesFrom(from int) int {
	for i := from; i < len(c.used); i++ {
		if c.used[i] {
			return i
		}
	}
	return -1
}

// scope is the scope a lateral item's query (or a function's arguments)
// sees as its parent: the visible columns, then the enclosing query.
func (c *lateralCtx) scope(sc *scope) *scope {
	return &scope{cols: c.cols, parent: sc.parent, onOuterRef: c.mark}
}

// currentLateral is the context of the FROM item being bound: what the
// caller set, or none visible.
func (b *binder) currentLateral() *lateralCtx {
	if b.lat != nil {
		return b.lat
	}
	return newLateralCtx(nil, nil)
}

// bindLateralSubquery binds LATERAL (subquery).
func (b *binder) bindLateralSubquery(x *ast.SubqueryRef, sc *scope) (plan, []scopeCol, error) {
	lat := b.currentLateral().scope(sc)
	inner := &scope{parent: lat}
	saved := b.lat
	p, err := b.bindSelect(x.Query, inner)
	b.lat = saved
	if err != nil {
		return nil, nil, err
	}
	if lat.correlated {
		sc.correlated = true
	}
	if inner.correlated {
		p = &lateralLeaf{in: p}
	}
	cols := make([]scopeCol, len(p.columns()))
	for i, c := range p.columns() {
		cols[i] = scopeCol{table: x.Alias, name: c.Name, t: c.Type}
	}
	if err := renameColumns(cols, x.Alias, x.Columns); err != nil {
		return nil, nil, err
	}
	return p, cols, nil
}

// bindFromFunc binds a function in FROM, whose arguments may name the
// FROM items to its left.
func (b *binder) bindFromFunc(x *ast.FuncRef, sc *scope) (plan, []scopeCol, error) {
	if b.srfArgs != nil {
		return b.bindTableFunc(x, sc)
	}
	lat := b.currentLateral().scope(sc)
	args := &scope{parent: lat}
	savedArgs, savedLat, wasCorrelated := b.latArgs, b.lat, sc.correlated
	b.latArgs = args
	p, cols, err := b.bindTableFunc(x, sc)
	b.latArgs, b.lat = savedArgs, savedLat
	if err != nil {
		return nil, nil, err
	}
	// Reading the items to the left does not make the query correlated.
	sc.correlated = wasCorrelated || lat.correlated
	if args.correlated {
		p = &lateralLeaf{in: p}
	}
	return p, cols, nil
}

// bindJoinSides binds the two sides of an explicit JOIN: the right side
// sees the left's columns after those visible to the join itself. It
// returns how the join must run them (nil when neither reads anything to
// its left).
func (b *binder) bindJoinSides(x *ast.JoinExpr, sc *scope) (lp, rp plan, lcols, rcols []scopeCol, lat *joinLateral, err error) {
	outer := b.lat
	defer func() { b.lat = outer }()
	var base []scopeCol
	if outer != nil {
		base = outer.cols
	}
	lctx := newLateralCtx(base, outer)
	b.lat = lctx
	if lp, lcols, err = b.bindFromItem(x.Left, sc); err != nil {
		return
	}
	rctx := newLateralCtx(append(append([]scopeCol(nil), base...), lcols...), outer)
	b.lat = rctx
	if rp, rcols, err = b.bindFromItem(x.Right, sc); err != nil {
		return
	}
	leftUses, rightUses := lctx.usesFrom(0) >= 0, rctx.usesFrom(0) >= 0
	if !leftUses && !rightUses {
		return
	}
	if i := rctx.usesFrom(len(base)); i >= 0 {
		if x.Kind == "RIGHT" || x.Kind == "FULL" {
			return nil, nil, nil, nil, nil, pgerr.New(pgerr.InvalidColumnReference, "invalid reference to FROM-clause entry for table \"%s\"", rctx.cols[i].table).
				WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
		}
		if len(lcols) != len(lp.columns()) {
			return nil, nil, nil, nil, nil, pgerr.New(pgerr.FeatureNotSupported, "a LATERAL reference across this join is not supported")
		}
	}
	lat = &joinLateral{prefix: len(base), right: rightUses}
	return
}

// lateralDeps is the set of items (bit i: item i) whose columns ctx read.
func lateralDeps(ctx *lateralCtx, items []fromItem) uint64 {
	var deps uint64
	for i, it := range items {
		for c := it.off; c < it.off+it.width && c < len(ctx.used); c++ {
			if ctx.used[c] {
				deps |= 1 << uint(i)
				break
			}
		}
	}
	return deps
}

// lateralLeaf runs a LATERAL subquery or function: the row of the items
// to its left (evalCtx.lateralRow when its stream starts) is the
// innermost outer row while it computes a row, and not while the
// consumer handles it.
type lateralLeaf struct {
	in plan
}

func (n *lateralLeaf) columns() []Column { return n.in.columns() }

func (n *lateralLeaf) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *lateralLeaf) stream(ec *evalCtx, fn rowFn) error {
	row := ec.lateralRow
	depth := len(ec.outer)
	ec.outer = append(ec.outer, row)
	defer func() { ec.outer = ec.outer[:depth] }()
	return streamRows(ec, n.in, func(r []types.Datum) error {
		ec.outer = ec.outer[:depth]
		err := fn(r)
		ec.outer = append(ec.outer, row)
		return err
	})
}

// joinLateral is how a joinNode whose sides read to their left runs.
type joinLateral struct {
	// prefix is how many columns of the items to the join's left precede
	// the left row in the row its right side reads.
	prefix int
	// right is set when the right side reads the left row (or the items
	// to the join's left): it runs once per left row.
	right bool
}

// streamLateral runs a join whose right side reads its left row: a nested
// loop that reruns the right side for each left row. Only INNER, CROSS
// and LEFT joins get here.
func (n *joinNode) streamLateral(ec *evalCtx, fn rowFn) error {
	prefix := ec.lateralRow
	lw, rw := len(n.left.columns()), len(n.right.columns())
	row := make([]types.Datum, lw+rw)
	latRow := make([]types.Datum, n.lat.prefix+lw)
	copy(latRow[:n.lat.prefix], prefix)
	return streamRows(ec, n.left, func(l []types.Datum) error {
		copy(row, l)
		copy(latRow[n.lat.prefix:], l)
		matched := false
		ec.lateralRow = latRow
		err := streamRows(ec, n.right, func(r []types.Datum) error {
			if err := ec.tick(); err != nil {
				return err
			}
			copy(row[lw:], r)
			if n.on != nil {
				v, err := n.on.Eval(ec, row)
				if err != nil || v != true {
					return err
				}
			}
			matched = true
			return fn(row)
		})
		if err != nil {
			return err
		}
		if !matched && n.kind == "LEFT" {
			clear(row[lw:])
			return fn(row)
		}
		return nil
	})
}

// probeLateral joins a LATERAL item to the row in buf: it runs the item
// for that row and continues (next) with each of its rows that passes the
// step's conditions.
func (n *multiJoinNode) probeLateral(ec *evalCtx, st *joinStep, buf []types.Datum, next func() error) error {
	it := n.items[st.item]
	ec.lateralRow = buf
	return streamRows(ec, it.p, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		copy(buf[it.off:it.off+it.width], r)
		if ok, err := passesAll(ec, st.own, buf); err != nil || !ok {
			return err
		}
		if ok, err := passesAll(ec, st.after, buf); err != nil || !ok {
			return err
		}
		return next()
	})
}

// outerStarTargets expands t.* where t is a table of an enclosing query
// (or of the FROM items a LATERAL item sees): the columns of t in the
// nearest scope that has it, nil if none does.
func outerStarTargets(t ast.Target, sc *scope) []ast.Target {
	for cur := sc.parent; cur != nil; cur = cur.parent {
		if !cur.hasTable(t.Table) {
			continue
		}
		var out []ast.Target
		for _, i := range starOrderIndexes(cur.cols) {
			c := cur.cols[i]
			if c.table != t.Table || c.system {
				continue
			}
			out = append(out, ast.Target{Expr: &ast.ColumnRef{Table: c.table, Column: c.name, Pos: t.Pos}, Alias: c.name, Pos: t.Pos})
		}
		return out
	}
	return nil
}

// checkLateralAggregate refuses an aggregate whose arguments read only
// columns of the FROM items to the left of the LATERAL item it is in: in
// PostgreSQL it belongs to the query level whose FROM holds that item,
// where aggregates are not allowed.
func (b *binder) checkLateralAggregate(x *ast.FuncCall, from *scope) error {
	lateral := false
	for cur := from.parent; cur != nil && !lateral; cur = cur.parent {
		lateral = cur.onOuterRef != nil
	}
	if !lateral {
		return nil
	}
	plain := &scope{cols: from.cols, parent: from.parent}
	minLevel, var0 := -1, false
	var minScope *scope
	visit := func(e ast.Expr) {
		ast.WalkExpr(e, func(n ast.Expr) bool {
			if _, sub := n.(*ast.SubqueryExpr); sub {
				return false
			}
			ref, ok := n.(*ast.ColumnRef)
			if !ok || ref.Column == "*" {
				return true
			}
			_, level, sc, err := plain.resolve(ref)
			if err != nil {
				return true
			}
			if level == 0 {
				var0 = true
			} else if minLevel < 0 || level < minLevel {
				minLevel, minScope = level, sc
			}
			return true
		})
	}
	for _, a := range x.Args {
		visit(a)
	}
	if x.Filter != nil {
		visit(x.Filter)
	}
	for _, o := range x.OrderBy {
		visit(o.Expr)
	}
	if var0 || minScope == nil || minScope.onOuterRef == nil {
		return nil
	}
	return pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in FROM clause of their own query level").WithPosition(x.Pos)
}
