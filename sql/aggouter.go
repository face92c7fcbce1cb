package sql

import (
	"errors"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// Outer-level aggregates. As in PostgreSQL, an aggregate call belongs to
// the innermost query level whose columns its arguments, FILTER or ORDER
// BY name: in
//
//	SELECT (SELECT max(o.x) FROM t i) FROM t o
//
// max(o.x) aggregates the outer query's rows (which makes the outer query
// an aggregating one), and the subquery sees its result as an outer
// reference. An aggregate naming no column belongs to the level it is
// written in.

// outerAggState is the binder's state for outer-level aggregates.
type outerAggState struct {
	// refSeen, while an aggregate's level is being found, hears of the
	// scope each column reference resolves in. A column of an
	// aggregating level need not be grouped then: whether it must be
	// depends on the level found.
	refSeen func(found *scope, pos int32)
	// forced marks the query levels (by the scope bindSelect was given)
	// that aggregate because a subquery holds an aggregate of theirs.
	forced map[*scope]bool
}

// aggRestart asks bindSelect of the level whose scope is level to bind its
// query again, now as an aggregating query: an aggregate of that level was
// found in a subquery after its select list's binding had begun.
type aggRestart struct{ level *scope }

func (*aggRestart) Error() string { return "query level must aggregate" }

// noteColumnScope tells a running aggregateLevel of a column resolved in found.
func (b *binder) noteColumnScope(found *scope, pos int32) {
	if b.outerAgg.refSeen != nil {
		b.outerAgg.refSeen(found, pos)
	}
}

// sameLevel reports whether scopes a and b see the same query level's
// columns: the scopes of one level are copies sharing its columns.
func sameLevel(a, b *scope) bool {
	return len(a.cols) > 0 && len(b.cols) > 0 && &a.cols[0] == &b.cols[0]
}

// aggregateLevel is how many query levels above sc's the aggregate call x
// belongs to: 0 unless sc has enclosing levels and every column x names
// is of one of those. An ordered-set aggregate's direct arguments do not
// count; they may not name a column of a level below the aggregate's.
func (b *binder) aggregateLevel(x *ast.FuncCall, sc *scope) (int, error) {
	if sc == nil || sc.parent == nil {
		return 0, nil
	}
	aggregated := x.Args
	if x.WithinGroup {
		aggregated = nil
	}
	for _, o := range x.OrderBy {
		aggregated = append(aggregated, o.Expr)
	}
	if x.Filter != nil {
		aggregated = append(aggregated, x.Filter)
	}
	if namesOwnColumn(aggregated, sc) {
		// The common case, found without binding anything.
		return 0, nil
	}
	level, _ := b.lowestLevel(aggregated, sc)
	if level <= 0 {
		return 0, nil
	}
	if x.WithinGroup && len(x.Args) > 0 {
		if direct, pos := b.lowestLevel(x.Args, sc); direct >= 0 && direct < level {
			return 0, pgerr.New(pgerr.GroupingError, "outer-level aggregate cannot contain a lower-level variable in its direct arguments").WithPosition(pos)
		}
	}
	return level, nil
}

// namesOwnColumn reports whether es name, outside subqueries, a column
// of sc's own query level.
func namesOwnColumn(es []ast.Expr, sc *scope) bool {
	plain := &scope{cols: sc.cols}
	found := false
	for _, e := range es {
		ast.WalkExpr(e, func(x ast.Expr) bool {
			if ref, ok := x.(*ast.ColumnRef); ok && ref.Column != "*" {
				if _, _, _, err := plain.resolve(ref); err == nil {
					found = true
				}
			}
			_, sub := x.(*ast.SubqueryExpr)
			return !found && !sub
		})
	}
	return found
}

// lowestLevel is the lowest query level, counted up from sc's, of the
// columns es name (outside their own subqueries' levels), and where the
// first column of it stands; -1 when they name none.
func (b *binder) lowestLevel(es []ast.Expr, sc *scope) (int, int32) {
	var chain []*scope
	for s := sc; s != nil; s = s.parent {
		chain = append(chain, s)
	}
	level, at := -1, int32(0)
	saved := b.outerAgg.refSeen
	b.outerAgg.refSeen = func(found *scope, pos int32) {
		if saved != nil {
			saved(found, pos)
		}
		for i, s := range chain {
			if found == s || sameLevel(found, s) {
				if level < 0 || i < level {
					level, at = i, pos
				}
				return
			}
		}
	}
	savedWin := b.windowArgs
	b.windowArgs = nil
	plain := &scope{cols: sc.cols, parent: sc.parent}
	for _, e := range es {
		// Errors are the real binding's to report.
		_, _ = b.bindExpr(e, plain)
	}
	b.windowArgs = savedWin
	b.outerAgg.refSeen = saved
	return level, at
}

// containsOwnAggregate reports whether e calls an aggregate (outside
// subqueries) that belongs to sc's query level.
func (b *binder) containsOwnAggregate(e ast.Expr, sc *scope) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && isAggregateCall(f) && f.Over == nil {
			if level, err := b.aggregateLevel(f, sc); level == 0 || err != nil {
				found = true
			}
			return false
		}
		_, sub := x.(*ast.SubqueryExpr)
		return !found && !sub
	})
	return found
}

// bindOuterAggregate binds x as an aggregate of an enclosing query level
// when it belongs to one; ok is false when it belongs to sc's own level
// or its level cannot aggregate it there (the caller reports that).
func (b *binder) bindOuterAggregate(x *ast.FuncCall, sc *scope) (e expr, ok bool, err error) {
	level, err := b.aggregateLevel(x, sc)
	if err != nil {
		return nil, true, err
	}
	if level == 0 {
		return nil, false, nil
	}
	target := sc
	for range level {
		target = target.parent
	}
	a := target.agg
	if a == nil {
		if target.level == nil {
			return nil, false, nil
		}
		// The level's select list: it aggregates after all.
		if b.outerAgg.forced == nil {
			b.outerAgg.forced = make(map[*scope]bool)
		}
		b.outerAgg.forced[target.level] = true
		return nil, true, &aggRestart{level: target.level}
	}
	key := exprKey(x)
	j, have := a.aggKey[key]
	if !have {
		savedWin := b.windowArgs
		b.windowArgs = nil
		spec, err := b.bindAggregate(x, a.from)
		b.windowArgs = savedWin
		if err != nil {
			return nil, true, err
		}
		a.aggs = append(a.aggs, spec)
		j = len(a.aggs) - 1
		a.aggKey[key] = j
	}
	for s := sc; s != target; s = s.parent {
		s.correlated = true
	}
	return &colExpr{t: a.aggs[j].t, idx: len(a.groups) + j, level: level}, true, nil
}

// bindSelectLevel binds q by bindSelectOnce, and once more as an
// aggregating query when a subquery of its select list turns out to hold
// one of its aggregates.
func (b *binder) bindSelectLevel(q *ast.SelectStmt, sc *scope, once func() (plan, error)) (plan, error) {
	if sc == nil {
		return once()
	}
	n, correlated := len(sc.cols), sc.correlated
	p, err := once()
	var r *aggRestart
	if err != nil && errors.As(err, &r) && r.level == sc {
		sc.cols, sc.correlated = sc.cols[:n], correlated
		p, err = once()
		if errors.As(err, &r) && r.level == sc {
			return nil, pgerr.New(pgerr.InternalError, "aggregate level of a subquery could not be settled")
		}
	}
	return p, err
}

// nestedAggregate reports whether e, an argument of an aggregate of the
// level of sc, calls an aggregate of that same level: aggregate calls
// cannot be nested, but an aggregate of an enclosing level may stand in
// one's arguments.
func (b *binder) nestedAggregate(e ast.Expr, sc *scope) bool {
	return containsAggregate(e) && b.containsOwnAggregate(e, sc)
}
