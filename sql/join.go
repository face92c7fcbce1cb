package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// This file plans FROM and WHERE together. A FROM list (and INNER JOINs in
// it) is flattened into items; WHERE and ON are split into conjuncts; each
// conjunct is applied as soon as the items it names are joined, equalities
// between the joined set and the next item become hash joins, and the next
// item is chosen among those such an equality connects. Rows keep every
// item's columns at fixed offsets (the FROM order), so expressions bound
// against the whole FROM scope evaluate at any stage.

// fromItem is one FROM entry: a table, subquery or outer join.
type fromItem struct {
	p     plan
	off   int
	width int
	// deps, when set, are the items a LATERAL item reads (bit i: item
	// i): it is joined after them, run once per row of theirs.
	deps uint64
}

// conjunct is one AND-ed condition with the set of items it reads.
type conjunct struct {
	ast   ast.Expr
	pred  expr
	items uint64 // bit i: reads item i
	// complex conditions (subqueries) run after all joins.
	complex bool
	// for an equality a = b: each side, bound and cast to a common type.
	eqL, eqR           expr
	eqLItems, eqRItems uint64
}

// itemsMax bounds how many FROM items a query may join (bit sets above).
const itemsMax = 64

func (b *binder) bindFromWhere(q *ast.SelectStmt, sc *scope) (plan, error) {
	return b.bindFromWhereOf(q, sc, false)
}

// bindFromWhereOf is bindFromWhere; whole is set when q is the whole
// query (its select list, GROUP BY, ORDER BY ... are all there is to read
// the FROM items' columns), which allows removing useless joins.
func (b *binder) bindFromWhereOf(q *ast.SelectStmt, sc *scope, whole bool) (plan, error) {
	var items []fromItem
	var tes []ast.TableExpr // each item's expression
	var ons []ast.Expr
	explicit := false             // the list was written with JOIN
	seen := make(map[string]bool) // the FROM items' names, which must differ
	var flatten func(te ast.TableExpr) error
	flatten = func(te ast.TableExpr) error {
		if j, ok := te.(*ast.JoinExpr); ok && j.Flattenable() {
			explicit = true
			if err := flatten(j.Left); err != nil {
				return err
			}
			if err := flatten(j.Right); err != nil {
				return err
			}
			if j.On != nil {
				ons = append(ons, j.On)
			}
			return nil
		}
		ctx := newLateralCtx(sc.cols, nil)
		if b.dmlTarget != nil && len(items) > 0 {
			// A LATERAL item of UPDATE ... FROM or DELETE ... USING may not
			// read the target (item 0), as in PostgreSQL.
			ctx.hidden = items[0].width
		}
		saved := b.lat
		b.lat = ctx
		p, cols, err := b.bindFromItem(te, sc)
		b.lat = saved
		if err != nil {
			return err
		}
		for _, name := range refNames(te, nil) {
			if seen[name] {
				return pgerr.New(duplicateAlias, "table name \"%s\" specified more than once", name)
			}
			seen[name] = true
		}
		items = append(items, fromItem{p: p, off: len(sc.cols), width: len(cols), deps: lateralDeps(ctx, items)})
		b.recordItems(sc, itemRange{len(sc.cols), len(cols), p})
		tes = append(tes, te)
		sc.cols = append(sc.cols, cols...)
		return nil
	}
	for _, te := range q.From {
		if err := flatten(te); err != nil {
			return nil, err
		}
	}
	if len(items) > itemsMax {
		return nil, pgerr.New(pgerr.ProgramLimitExceeded, "a query can join at most %d tables", itemsMax)
	}
	if q.Where != nil && containsAggregate(q.Where) && b.containsOwnAggregate(q.Where, sc) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in WHERE").WithPosition(q.Where.Position())
	}
	for _, on := range ons {
		if containsAggregate(on) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in JOIN conditions").WithPosition(on.Position())
		}
	}

	if whole {
		b.removeUselessJoins(q, items, tes, ons, sc)
	}
	// EXISTS, NOT EXISTS and IN conjuncts of WHERE and of inner joins'
	// ON that read the FROM items become semi and anti joins of them
	// (semijoin.go).
	where, semis, err := b.pullUpSublinks(q.Where, sc, len(items))
	if err != nil {
		return nil, err
	}
	kept := ons[:0:0]
	for _, on := range ons {
		rest, onSemis, err := b.pullUpSublinks(on, sc, len(items))
		if err != nil {
			return nil, err
		}
		semis = append(semis, onSemis...)
		if rest != nil {
			kept = append(kept, rest)
		}
	}
	ons = kept
	if len(items) <= 1 && len(ons) == 0 && len(semis) == 0 {
		var from plan = oneRowNode{}
		if len(items) == 1 {
			from = items[0].p
		}
		if where == nil {
			return from, nil
		}
		rest, never := b.foldWhere(splitAnd(where), sc)
		if !never {
			rest = b.windowRunConditions(from, rest, sc)
		}
		switch {
		case len(rest) == 0 && never:
			return emptyResult(from), nil
		case len(rest) == 0:
			return from, nil
		case len(rest) < len(splitAnd(where)):
			where = joinAnd(rest)
		}
		pred, err := b.bindExpr(where, sc)
		if err != nil {
			return nil, err
		}
		if pred, err = b.coerce(pred, types.New(types.Bool), "argument of WHERE", where.Position()); err != nil {
			return nil, err
		}
		if never {
			return emptyResult(from), nil
		}
		if scan, ok := from.(*scanNode); ok {
			b.planScan(scan, []ast.Expr{where}, sc, 0)
		}
		return &filterNode{in: from, pred: pred}, nil
	}

	var asts []ast.Expr
	for _, on := range ons {
		asts = append(asts, splitAnd(on)...)
	}
	asts = append(asts, splitAnd(where)...)
	asts, never := b.foldWhere(factorOrs(asts), sc)
	conjs := make([]*conjunct, 0, len(asts))
	for _, a := range asts {
		c, err := b.bindConjunct(a, sc, items)
		if err != nil {
			return nil, err
		}
		conjs = append(conjs, c)
	}
	// An item's own conditions narrow its scan (itemRows applies them).
	for i, it := range items {
		scan, ok := it.p.(*scanNode)
		if !ok {
			continue
		}
		var own []ast.Expr
		for _, c := range conjs {
			if c.items == 1<<uint(i) && !c.complex {
				own = append(own, c.ast)
			}
		}
		b.planScan(scan, own, sc, it.off)
	}
	cols := make([]Column, 0, len(sc.cols))
	for _, it := range items {
		cols = append(cols, it.p.columns()...)
	}
	n := &multiJoinNode{items: items, conjs: conjs, width: len(sc.cols), cols: cols, semis: semis}
	b.planJoinOrder(n, sc, explicit)
	if never {
		return emptyResult(n), nil
	}
	return n, nil
}

// duplicateAlias is SQLSTATE 42712.
const duplicateAlias = "42712"

// refNames appends the names te's tables and subqueries are known by in
// the query.
func refNames(te ast.TableExpr, out []string) []string {
	switch x := te.(type) {
	case *ast.TableRef:
		if x.Alias != "" {
			return append(out, x.Alias)
		}
		return append(out, x.RelName())
	case *ast.SubqueryRef:
		if x.Alias != "" {
			return append(out, x.Alias)
		}
	case *ast.FuncRef:
		return append(out, x.TableName())
	case *ast.JoinExpr:
		if x.Alias != "" {
			return append(out, x.Alias)
		}
		if x.UsingAlias != "" {
			out = append(out, x.UsingAlias)
		}
		return refNames(x.Right, refNames(x.Left, out))
	}
	return out
}

func splitAnd(e ast.Expr) []ast.Expr {
	if e == nil {
		return nil
	}
	if be, ok := e.(*ast.BinaryExpr); ok && be.Op == "AND" {
		return append(splitAnd(be.L), splitAnd(be.R)...)
	}
	return []ast.Expr{e}
}

// itemsOf returns the FROM items whose columns e reads at this query level,
// and whether e holds a subquery.
func (b *binder) itemsOf(e ast.Expr, sc *scope, items []fromItem) (uint64, bool) {
	var set uint64
	complex := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch r := x.(type) {
		case *ast.ColumnRef:
			idx, level, _, err := sc.resolve(r)
			if err == nil && level == 0 {
				for i, it := range items {
					if idx >= it.off && idx < it.off+it.width {
						set |= 1 << uint(i)
					}
				}
			}
		case *ast.SubqueryExpr:
			complex = true
			return false
		case *ast.InExpr:
			if r.Query != nil {
				complex = true
			}
		}
		return true
	})
	return set, complex
}

func (b *binder) bindConjunct(a ast.Expr, sc *scope, items []fromItem) (*conjunct, error) {
	pred, err := b.bindExpr(a, sc)
	if err != nil {
		return nil, err
	}
	if pred, err = b.coerce(pred, types.New(types.Bool), "argument of WHERE", a.Position()); err != nil {
		return nil, err
	}
	c := &conjunct{ast: a, pred: pred}
	c.items, c.complex = b.itemsOf(a, sc, items)
	if be, ok := a.(*ast.BinaryExpr); ok && be.Op == "=" && !c.complex {
		lset, _ := b.itemsOf(be.L, sc, items)
		rset, _ := b.itemsOf(be.R, sc, items)
		if lset != 0 && rset != 0 && lset&rset == 0 {
			l, err := b.bindExpr(be.L, sc)
			if err != nil {
				return nil, err
			}
			r, err := b.bindExpr(be.R, sc)
			if err != nil {
				return nil, err
			}
			var t types.T
			if l, r, t, err = b.unify(l, r, "=", be.Pos); err == nil && hashableEq(t) {
				c.eqL, c.eqR, c.eqLItems, c.eqRItems = l, r, lset, rset
			}
		}
	}
	return c, nil
}

// multiJoinNode joins FROM items, applying each conjunct as early as it can.
type multiJoinNode struct {
	items []fromItem
	conjs []*conjunct
	width int
	cols  []Column
	// stepRows, set only by EXPLAIN ANALYZE, counts the rows each join
	// step but the last passes on (explain_analyze.go).
	stepRows []*nodeStats
	// seq, when set, is the order the items are joined in, chosen by
	// cost (joinorder.go); est the estimates it was chosen by.
	seq []int
	est *joinEstimate
	// semis are the semi and anti joins the joined rows pass through
	// after the last item is joined (semijoin.go).
	semis []*semiJoin
}

func (n *multiJoinNode) columns() []Column { return n.cols }

// startItem picks the item to begin with: one with a filter of its own,
// else the first.
func (n *multiJoinNode) startItem() int {
	for _, c := range n.conjs {
		if !c.complex && c.items != 0 && c.items&(c.items-1) == 0 {
			for i := range n.items {
				if c.items == 1<<uint(i) && n.items[i].deps == 0 {
					return i
				}
			}
		}
	}
	return 0
}

type equiJoin struct {
	index    int
	accSide  expr
	itemSide expr
}

// nextItem picks an item connected to the joined set by an unapplied
// equality, else the first item not joined yet.
func (n *multiJoinNode) nextItem(joined uint64, applied []bool) (int, *equiJoin) {
	for j, c := range n.conjs {
		if applied[j] || c.eqL == nil {
			continue
		}
		for _, side := range []struct {
			acc, item   expr
			accS, itemS uint64
		}{{c.eqL, c.eqR, c.eqLItems, c.eqRItems}, {c.eqR, c.eqL, c.eqRItems, c.eqLItems}} {
			if side.accS&^joined == 0 && side.itemS&joined == 0 && side.itemS&(side.itemS-1) == 0 {
				for i := range n.items {
					if side.itemS == 1<<uint(i) && n.items[i].deps == 0 {
						return i, &equiJoin{index: j, accSide: side.acc, itemSide: side.item}
					}
				}
			}
		}
	}
	// A LATERAL item whose items are joined runs next: it narrows the
	// rows no more than a cross join would, and may connect others.
	for i, it := range n.items {
		if joined&(1<<uint(i)) == 0 && it.deps != 0 && it.deps&^joined == 0 {
			return i, nil
		}
	}
	for i, it := range n.items {
		if joined&(1<<uint(i)) == 0 && it.deps&^joined == 0 {
			return i, nil
		}
	}
	return -1, nil
}

// equalityTo finds an unapplied equality between the joined items and
// item i, for a hash join of i's rows.
func (n *multiJoinNode) equalityTo(joined uint64, i int, applied []bool) *equiJoin {
	if n.items[i].deps != 0 {
		return nil
	}
	for j, c := range n.conjs {
		if applied[j] || c.eqL == nil {
			continue
		}
		if c.eqLItems&^joined == 0 && c.eqRItems == 1<<uint(i) {
			return &equiJoin{index: j, accSide: c.eqL, itemSide: c.eqR}
		}
		if c.eqRItems&^joined == 0 && c.eqLItems == 1<<uint(i) {
			return &equiJoin{index: j, accSide: c.eqR, itemSide: c.eqL}
		}
	}
	return nil
}
