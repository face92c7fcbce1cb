package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Semi and anti joins: EXISTS, NOT EXISTS and IN (subquery) as joins.
//
// A WHERE (or inner-join ON) conjunct EXISTS (SELECT ... FROM t WHERE
// c1 AND c2 ...) whose conditions read the outer query's columns would
// otherwise run its subquery once per outer row. As PostgreSQL's
// pull_up_sublinks does, such a conjunct becomes a semi join (NOT EXISTS
// an anti join) of the outer rows with t's rows: the conditions reading
// only t filter t's rows once; an equality between an expression of t
// and one of the outer row keys a hash table of those rows; the other
// correlated conditions decide, per candidate, as the join filter. An
// outer row passes a semi join when some candidate satisfies them all,
// an anti join when none does; it passes once, however many match.
//
// x IN (subquery), with a subquery that does not read the outer query
// and an x that does, becomes a semi join of the outer rows with the
// subquery's rows, keyed on x and the subquery's column: in WHERE, a NULL
// or false IN rejects the row alike, so only a match matters.
//
// Only what PostgreSQL converts is converted: a conjunct at the top of
// WHERE (not under OR or NOT other than NOT EXISTS itself), a subquery
// of one FROM item with no aggregates, grouping, window functions,
// set operations, OFFSET, non-constant or zero LIMIT or locking, whose
// FROM item does not read the outer query and whose WHERE does and holds
// no volatile call. NOT IN is never an anti join (NULLs make it differ);
// it stays a subquery.

// semiJoin is one semi or anti join applied to a join's rows.
type semiJoin struct {
	anti bool
	// p are the subquery's rows, its own conditions applied.
	p plan
	// innerKeys read p's row; outerKeys the outer row, pushed as the
	// innermost outer row (both are bound in the subquery's scope).
	innerKeys, outerKeys []expr
	// filter are the other correlated conditions, read as innerKeys.
	filter []expr
	// For EXPLAIN: the equalities (each with its outer side; the inner
	// side is nil for IN, whose subquery's column it is) and the filter's
	// conditions, in the subquery's scope (the outer one for IN).
	eqASTs, eqOuter []ast.Expr
	filterASTs      []ast.Expr
	sc              *scope
	// stats counts the rows it passes on, under EXPLAIN ANALYZE.
	stats *nodeStats
	// reusable is set when p reads no outer row: its rows, once read,
	// serve the whole statement, however often the join runs.
	reusable bool
}

// pullUpSublinks takes the conjuncts of where that become semi and anti
// joins of a query with items FROM items out of it, returning the rest.
func (b *binder) pullUpSublinks(where ast.Expr, sc *scope, items int) (ast.Expr, []*semiJoin, error) {
	if where == nil || items == 0 || b.dmlTarget != nil {
		return where, nil, nil
	}
	var rest []ast.Expr
	var semis []*semiJoin
	for _, c := range splitAnd(where) {
		sj, err := b.semiJoinOf(c, sc)
		if err != nil {
			return nil, nil, err
		}
		if sj == nil {
			rest = append(rest, c)
			continue
		}
		semis = append(semis, sj)
	}
	if len(semis) == 0 {
		return where, nil, nil
	}
	if len(rest) == 0 {
		return nil, semis, nil
	}
	return joinAnd(rest), semis, nil
}

// semiJoinOf returns the semi or anti join conjunct a converts to, nil
// when it stays a subquery.
func (b *binder) semiJoinOf(a ast.Expr, sc *scope) (*semiJoin, error) {
	if in, ok := a.(*ast.InExpr); ok {
		return b.semiJoinOfIn(in, sc)
	}
	anti := false
	if u, ok := a.(*ast.UnaryExpr); ok && u.Op == "NOT" {
		anti, a = true, u.X
	}
	x, ok := a.(*ast.SubqueryExpr)
	if !ok || !x.Exists || !simpleExistsQuery(x.Query) {
		return nil, nil
	}
	// Bound whole first, for the errors the subquery has whatever its
	// plan: its select list, which the join never evaluates, included.
	if _, err := b.bindExpr(x, sc); err != nil {
		return nil, err
	}
	q := x.Query
	inner := &scope{parent: sc}
	p, err := b.bindFromWhere(&ast.SelectStmt{From: q.From}, inner)
	if err != nil || inner.correlated {
		// The FROM item reads the outer query (LATERAL), or fails to
		// bind: the subquery reports its own errors.
		return nil, nil
	}
	var local, correlated []ast.Expr
	reusable := true
	for _, c := range splitAnd(q.Where) {
		if hasSublink(c) || hasVolatileCall(c) {
			return nil, nil
		}
		_, outer, deeper := refLevelsDeep(c, inner)
		if outer {
			correlated = append(correlated, c)
		} else {
			local = append(local, c)
			reusable = reusable && !deeper
		}
	}
	if len(correlated) == 0 {
		return nil, nil
	}
	sj := &semiJoin{anti: anti, sc: inner, reusable: reusable}
	if len(local) > 0 {
		where := joinAnd(local)
		pred, err := b.bindExpr(where, inner)
		if err != nil {
			return nil, nil
		}
		if pred, err = b.coerce(pred, types.New(types.Bool), "argument of WHERE", where.Position()); err != nil {
			return nil, nil
		}
		if scan, ok := p.(*scanNode); ok {
			b.planScan(scan, []ast.Expr{where}, inner, 0)
		}
		p = &filterNode{in: p, pred: pred}
	}
	sj.p = p
	for _, c := range correlated {
		if l, r, lAST, rAST, ok := b.semiKey(c, inner); ok {
			sj.innerKeys, sj.outerKeys = append(sj.innerKeys, l), append(sj.outerKeys, r)
			sj.eqASTs, sj.eqOuter = append(sj.eqASTs, lAST), append(sj.eqOuter, rAST)
			continue
		}
		pred, err := b.bindExpr(c, inner)
		if err != nil {
			return nil, nil
		}
		if pred, err = b.coerce(pred, types.New(types.Bool), "argument of WHERE", c.Position()); err != nil {
			return nil, nil
		}
		sj.filter = append(sj.filter, pred)
		sj.filterASTs = append(sj.filterASTs, c)
	}
	return sj, nil
}

// semiJoinOfIn returns the semi join x IN (subquery), or x = ANY
// (subquery), converts to, nil when it stays a subquery: the subquery
// must not read the outer query, and x must read its FROM items (else
// it is a constant test, better run once). The subquery's rows are the
// join's inner rows, keyed on their one column cast to the comparison's
// type.
func (b *binder) semiJoinOfIn(x *ast.InExpr, sc *scope) (*semiJoin, error) {
	if x.Query == nil || x.Not || x.All || x.Op != "" && x.Op != "=" || hasSublink(x.X) || hasVolatileCall(x.X) {
		return nil, nil
	}
	if r, ok := x.X.(*ast.RowExpr); ok && len(r.Items) > 1 {
		return nil, nil
	}
	if own, _ := refLevels(x.X, sc); !own {
		return nil, nil
	}
	e, err := b.bindExpr(x, sc)
	if err != nil {
		return nil, err
	}
	sub, ok := e.(*subqueryExpr)
	if !ok || sub.correlated || sub.kind != subIn && sub.kind != subAny || sub.rowIn != nil || !hashableEq(sub.left.Type()) {
		return nil, nil
	}
	return &semiJoin{
		p:         sub.p,
		innerKeys: []expr{sub.conv},
		outerKeys: []expr{sub.left},
		eqASTs:    []ast.Expr{nil},
		eqOuter:   []ast.Expr{x.X},
		sc:        sc,
		reusable:  true,
	}, nil
}

// simpleExistsQuery reports whether an EXISTS subquery is one a semi
// join can stand for: its rows' number is all that matters and they come
// from one FROM item filtered by WHERE.
func simpleExistsQuery(q *ast.SelectStmt) bool {
	if q.Op != "" || len(q.From) != 1 || len(q.Values) > 0 || len(q.GroupBy) > 0 || q.Having != nil ||
		q.Offset != nil || q.Locking != nil || len(q.DistinctOn) > 0 || len(q.With) > 0 || q.Where == nil {
		return false
	}
	if _, ok := q.From[0].(*ast.TableRef); !ok {
		return false
	}
	if q.Limit != nil {
		// A constant positive or NULL LIMIT leaves EXISTS as it is.
		lit, ok := q.Limit.(*ast.Literal)
		if !ok {
			return false
		}
		if lit.Kind != "null" {
			n, err := strconv.ParseInt(lit.Text, 10, 64)
			if lit.Kind != "int" || err != nil || n <= 0 {
				return false
			}
		}
	}
	for _, t := range q.Targets {
		found := false
		ast.WalkExpr(t.Expr, func(x ast.Expr) bool {
			switch x.(type) {
			case *ast.FuncCall, *ast.SubqueryExpr:
				// An aggregate makes one row of none, a set-returning
				// function none of one: the number of rows changes.
				found = true
			}
			return !found
		})
		if found {
			return false
		}
	}
	return true
}

// hasSublink reports whether e holds a subquery.
func hasSublink(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch r := x.(type) {
		case *ast.SubqueryExpr:
			found = true
		case *ast.InExpr:
			found = found || r.Query != nil
		}
		return !found
	})
	return found
}

// refLevels reports whether e reads columns of sc itself (own) and of
// the scope enclosing it (outer). A name that does not resolve counts as
// own: binding it fails later, as it would in the subquery. Columns of
// scopes further out are constants here, as they are for PostgreSQL.
func refLevels(e ast.Expr, sc *scope) (own, outer bool) {
	own, outer, _ = refLevelsDeep(e, sc)
	return own, outer
}

// refLevelsDeep is refLevels, also reporting whether e reads columns of
// scopes beyond the enclosing one (deeper).
func refLevelsDeep(e ast.Expr, sc *scope) (own, outer, deeper bool) {
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if r, ok := x.(*ast.ColumnRef); ok {
			_, level, _, err := sc.resolve(r)
			switch {
			case err != nil || level == 0:
				own = true
			case level == 1:
				outer = true
			default:
				deeper = true
			}
		}
		return true
	})
	return own, outer, deeper
}

// semiKey returns the two sides of a correlated equality that can key a
// hash table: the side reading only the subquery's columns, bound, and
// the side reading only outer columns, both cast to a common type.
func (b *binder) semiKey(c ast.Expr, sc *scope) (innerKey, outerKey expr, innerAST, outerAST ast.Expr, ok bool) {
	be, isEq := c.(*ast.BinaryExpr)
	if !isEq || be.Op != "=" {
		return nil, nil, nil, nil, false
	}
	lOwn, lOuter := refLevels(be.L, sc)
	rOwn, rOuter := refLevels(be.R, sc)
	innerAST, outerAST = be.L, be.R
	switch {
	case lOwn && !lOuter && rOuter && !rOwn:
	case rOwn && !rOuter && lOuter && !lOwn:
		innerAST, outerAST = be.R, be.L
	default:
		return nil, nil, nil, nil, false
	}
	l, err := b.bindExpr(innerAST, sc)
	if err != nil {
		return nil, nil, nil, nil, false
	}
	r, err := b.bindExpr(outerAST, sc)
	if err != nil {
		return nil, nil, nil, nil, false
	}
	var t types.T
	if innerAST == be.R {
		r, l, t, err = b.unify(r, l, "=", be.Pos)
	} else {
		l, r, t, err = b.unify(l, r, "=", be.Pos)
	}
	if err != nil || !hashableEq(t) {
		return nil, nil, nil, nil, false
	}
	return l, r, innerAST, outerAST, true
}

// semiState is a semi join's rows as read at run time.
type semiState struct {
	built bool
	rows  [][]types.Datum
	table map[string][][]types.Datum
	key   []byte
}

// passes reports whether the outer row passes the semi (or anti) join.
func (sj *semiJoin) passes(ec *evalCtx, st *semiState, outer []types.Datum, held *int64) (bool, error) {
	// Pushed before the rows are read too: the subquery's own conditions
	// find the columns of the queries further out one level up.
	ec.outer = append(ec.outer, outer)
	defer func() { ec.outer = ec.outer[:len(ec.outer)-1] }()
	if sj.reusable && ec.exec != nil {
		shared := ec.exec.semiStates[sj]
		if shared == nil {
			shared = &semiState{}
			// Kept to the statement's end, as an uncorrelated subquery's
			// rows are.
			from := ec.exec.memMark()
			var pinned int64
			if err := sj.build(ec, shared, &pinned); err != nil {
				return false, err
			}
			ec.exec.memPin(from)
			if ec.exec.semiStates == nil {
				ec.exec.semiStates = make(map[*semiJoin]*semiState)
			}
			ec.exec.semiStates[sj] = shared
		}
		st = shared
	}
	if !st.built {
		if err := sj.build(ec, st, held); err != nil {
			return false, err
		}
	}
	cands := st.rows
	if st.table != nil {
		st.key = st.key[:0]
		for _, k := range sj.outerKeys {
			v, err := k.Eval(ec, outer)
			if err != nil {
				return false, err
			}
			if v == nil {
				// NULL equals nothing: no row matches.
				return sj.anti, nil
			}
			st.key = appendGroupKey(st.key, v)
		}
		cands = st.table[string(st.key)]
	}
	for _, r := range cands {
		if err := ec.tick(); err != nil {
			return false, err
		}
		ok := true
		for _, f := range sj.filter {
			v, err := f.Eval(ec, r)
			if err != nil {
				return false, err
			}
			if v != true {
				ok = false
				break
			}
		}
		if ok {
			return !sj.anti, nil
		}
	}
	return sj.anti, nil
}

// build reads the subquery's rows, into a hash table by key when the
// join has keys (a row with a NULL key can match nothing and is left
// out).
func (sj *semiJoin) build(ec *evalCtx, st *semiState, held *int64) error {
	st.built = true
	if len(sj.innerKeys) > 0 {
		st.table = make(map[string][][]types.Datum)
	}
	return streamRows(ec, sj.p, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		row := make([]types.Datum, len(r))
		copy(row, r)
		size := rowBytes(row)
		if st.table == nil {
			if err := ec.grow(size); err != nil {
				return err
			}
			*held += size
			st.rows = append(st.rows, row)
			return nil
		}
		st.key = st.key[:0]
		for _, k := range sj.innerKeys {
			v, err := k.Eval(ec, row)
			if err != nil {
				return err
			}
			if v == nil {
				return nil
			}
			st.key = appendGroupKey(st.key, v)
		}
		bucket, seen := st.table[string(st.key)]
		if !seen {
			size += hashEntryBytes + int64(len(st.key))
		}
		if err := ec.grow(size); err != nil {
			return err
		}
		*held += size
		st.table[string(st.key)] = append(bucket, row)
		return nil
	})
}

// semiJoin describes a semi or anti join of the rows described by outer
// as it runs: a hash join with the subquery's rows in the hash table
// when a correlated equality keys it, else a nested loop over those rows
// kept in memory.
func (d *describer) semiJoin(sj *semiJoin, outer *explainNode) (*explainNode, error) {
	inner, in, err := d.plan(sj.p)
	if err != nil {
		return nil, err
	}
	sj.p = in
	kind := "Semi"
	if sj.anti {
		kind = "Anti"
	}
	var n *explainNode
	if len(sj.innerKeys) > 0 {
		n = d.node("Hash Join", "Hash "+kind+" Join")
		hash := d.node("Hash", "Hash")
		hash.stats = inner.stats
		hash.rows, hash.width = inner.rows, inner.width
		hash.startup, hash.total = inner.total, inner.total
		hash.children = []*explainNode{inner}
		hash.parent, inner.parent = "Inner", "Outer"
		d.prop(n, "Hash Cond", func() string {
			parts := make([]string, len(sj.eqASTs))
			for i := range sj.eqASTs {
				innerText := d.columnText(sj.p, 0) // IN's subquery column
				if sj.eqASTs[i] != nil {
					innerText = d.astText(sj.eqASTs[i], sj.sc)
				}
				parts[i] = "(" + d.astText(sj.eqOuter[i], sj.sc) + " = " + innerText + ")"
			}
			if len(parts) == 1 {
				return parts[0]
			}
			return "(" + strings.Join(parts, " AND ") + ")"
		})
		n.children = []*explainNode{outer, hash}
		n.startup = hash.total
		n.total = hash.total + outer.total + outer.rows*cpuOperatorCost
	} else {
		n = d.node("Nested Loop", "Nested Loop "+kind+" Join")
		mat := d.node("Materialize", "Materialize")
		mat.stats = inner.stats
		mat.rows, mat.width = inner.rows, inner.width
		mat.total = inner.total + inner.rows*cpuOperatorCost*2
		mat.children = []*explainNode{inner}
		mat.parent, inner.parent = "Inner", "Outer"
		n.children = []*explainNode{outer, mat}
		n.total = outer.total + mat.total + outer.rows*mat.rows*cpuTupleCost/2
	}
	outer.parent = "Outer"
	n.joinType = kind
	if len(sj.filterASTs) > 0 {
		n.filterLabel = "Join Filter"
		d.prop(n, "Join Filter", func() string { return d.conjText(qualOrder(sj.filterASTs), sj.sc) })
	}
	n.rows = clampRows(outer.rows * 0.5)
	n.width = outer.width
	return n, nil
}
