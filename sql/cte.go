package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// WITH queries are bound where they are referenced, like a subquery in
// FROM: each reference binds and runs the query again. Without volatile
// functions that gives the same rows as PostgreSQL, which computes a query
// referenced more than once a single time.
//
// A query of WITH RECURSIVE that refers to itself is a non-recursive term
// UNION [ALL] a recursive term, evaluated as PostgreSQL does: the
// non-recursive term's rows are the result and the first working table;
// the recursive term is run again and again with its references to the
// query reading the working table, each run's new rows (for UNION, those
// not produced before) joining the result and becoming the next working
// table, until a run produces none. The columns have the non-recursive
// term's types. Rows are handed on as each run produces them
// (recursiveUnionNode.stream), so that a LIMIT above the query ends the
// recursion as in PostgreSQL; a recursion that never ends otherwise runs
// until the statement is canceled or times out or its rows exceed the
// memory budget.

// cteEnv is the list of WITH queries in view, innermost first. Each entry
// also records what its own body sees: the queries defined before it, and
// itself only for WITH RECURSIVE. work is set in the entry a recursive
// term's references find: they read the working table.
type cteEnv struct {
	def    *ast.CTE
	parent *cteEnv
	work   *workTable
	// dml is the bound statement of a data-modifying WITH query
	// (dmlcte.go).
	dml *dmlCTE
	// env, when set, is what the query's body sees: for WITH RECURSIVE,
	// every query of the list. Otherwise it sees parent.
	env *cteEnv
	// selfRef marks a query of WITH RECURSIVE that refers to itself;
	// binding is set while its body is bound.
	selfRef, binding bool
	// shared is set for a query its statement refers to more than once,
	// computed once (cteshared.go); refs is that count.
	shared *sharedCTE
	refs   int
	// owner is the scope of the query level the WITH belongs to, when
	// known: the body sees the columns of the levels around it.
	owner *scope
}

// bodyEnv is the list of WITH queries e's body sees.
func (e *cteEnv) bodyEnv() *cteEnv {
	if e.env != nil {
		return e.env
	}
	return e.parent
}

// pushWith brings q's WITH queries into view and returns the environment
// to restore when q is bound.
func (b *binder) pushWith(q *ast.SelectStmt) (*cteEnv, error) {
	return b.pushWithAt(q, nil)
}

// pushWithAt is pushWith for q bound at the query level of scope owner.
func (b *binder) pushWithAt(q *ast.SelectStmt, owner *scope) (*cteEnv, error) {
	saved := b.ctes
	defer func() {
		for e := b.ctes; e != saved && e != nil; e = e.parent {
			e.owner = owner
		}
	}()
	for i, c := range q.With {
		for _, prev := range q.With[:i] {
			if prev.Name == c.Name {
				return nil, pgerr.New(duplicateAlias, "WITH query name \"%s\" specified more than once", c.Name).WithPosition(c.Pos)
			}
		}
	}
	if len(q.With) > 0 && q.With[0].Recursive {
		if err := b.pushRecursiveWith(q); err != nil {
			b.ctes = saved
			return nil, err
		}
		return saved, nil
	}
	for _, c := range q.With {
		refs, err := countCTERefs(q, c)
		if err != nil {
			b.ctes = saved
			return nil, err
		}
		e := &cteEnv{def: c, parent: b.ctes, refs: refs}
		if c.DML != nil {
			// Bound here, where the queries before it are in view, and
			// run whether or not anything reads it.
			if err := b.bindDMLCTE(q, e); err != nil {
				b.ctes = saved
				return nil, err
			}
		}
		b.ctes = e
	}
	return saved, nil
}

// pushRecursiveWith brings the queries of q's WITH RECURSIVE into view,
// each seeing all of them, and binds the data-modifying ones in the order
// of their references to each other.
func (b *binder) pushRecursiveWith(q *ast.SelectStmt) error {
	order, self, err := recursiveWithOrder(q.With)
	if err != nil {
		return err
	}
	entries := make([]*cteEnv, len(q.With))
	for i, c := range q.With {
		refs, err := countCTERefs(q, c)
		if err != nil {
			return err
		}
		entries[i] = &cteEnv{def: c, parent: b.ctes, selfRef: self[i], refs: refs}
		b.ctes = entries[i]
	}
	for _, e := range entries {
		e.env = b.ctes
	}
	for _, i := range order {
		if q.With[i].DML != nil {
			if err := b.bindDMLCTE(q, entries[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *binder) lookupCTE(name string) *cteEnv {
	for e := b.ctes; e != nil; e = e.parent {
		if e.def.Name == name {
			return e
		}
	}
	return nil
}

// bindCTERef binds a FROM reference to a WITH query.
func (b *binder) bindCTERef(e *cteEnv, ref *ast.TableRef, sc *scope) (plan, []scopeCol, error) {
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	var p plan
	if e.dml != nil {
		if e.dml.stmt == nil {
			return nil, nil, pgerr.New(pgerr.InvalidRecursion, "recursive query \"%s\" must not contain data-modifying statements", e.def.Name).WithPosition(e.def.Pos)
		}
		if e.dml.stmt.columns() == nil {
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "WITH query \"%s\" does not have a RETURNING clause", e.def.Name).WithPosition(ref.Pos)
		}
		p = &dmlCTEScan{c: e.dml}
	} else if e.work != nil {
		if b.sublinks != e.work.sublinks {
			// An uncorrelated subquery's rows are computed once per
			// statement, and would miss the later iterations.
			return nil, nil, pgerr.New(pgerr.InvalidRecursion, "recursive reference to query \"%s\" must not appear within a subquery", e.def.Name).WithPosition(ref.Pos)
		}
		e.work.referenced = true
		b.workRefs++
		p = &workTableScan{w: e.work}
	} else if e.shared != nil {
		p = &sharedCTEScan{s: e.shared}
	} else {
		if e.binding {
			// Only a reference from inside a WITH of the query's own
			// body comes back here.
			return nil, nil, pgerr.New(pgerr.InvalidRecursion, "recursive reference to query \"%s\" must not appear within a subquery", e.def.Name).WithPosition(ref.Pos)
		}
		if !e.selfRef && (e.def.Search != nil || e.def.Cycle != nil) {
			return nil, nil, pgerr.New(pgerr.SyntaxError, "WITH query is not recursive").WithPosition(e.def.Pos)
		}
		saved := b.ctes
		b.ctes = e.bodyEnv()
		e.binding = true
		// The body sees the columns of the levels around its WITH's
		// query, not the referencing query's (cteouter.go).
		outer := e.outerScope(sc)
		body := &scope{parent: outer.chain}
		workRefs := b.workRefs
		var err error
		if e.selfRef {
			p, err = b.bindRecursive(e)
		} else {
			p, err = b.bindSelect(e.def.Query, body)
			if err == nil {
				b.markFromSubquery(p)
			}
		}
		e.binding = false
		b.ctes = saved
		if err != nil {
			return nil, nil, err
		}
		outer.propagate()
		if body.correlated && sc != nil {
			sc.correlated = true
		}
		// A body that reads a recursive query's working table changes
		// from one iteration to the next.
		if e.refs > 1 && !e.selfRef && !body.correlated && b.workRefs == workRefs {
			e.shared = &sharedCTE{p: p}
			p = &sharedCTEScan{s: e.shared}
		}
	}
	cols := make([]scopeCol, len(p.columns()))
	for i, c := range p.columns() {
		// The working table's hidden columns (ctesearch.go) are left out
		// of *.
		cols[i] = scopeCol{table: name, name: c.Name, t: c.Type, system: isHiddenCTEName(c.Name)}
	}
	if e.work == nil {
		if len(e.def.Columns) > len(cols) {
			return nil, nil, pgerr.New(pgerr.InvalidColumnReference, "WITH query \"%s\" has %d columns available but %d columns specified", e.def.Name, len(cols), len(e.def.Columns)).WithPosition(e.def.Pos)
		}
		for i, n := range e.def.Columns {
			cols[i].name = n
		}
	}
	if err := renameColumns(cols, name, ref.Columns); err != nil {
		return nil, nil, err
	}
	return p, cols, nil
}

// bindRecursive binds a WITH RECURSIVE query of the form non-recursive
// UNION [ALL] recursive, with b.ctes what its body sees besides itself.
// When the right-hand term does not refer to the query, it is an
// ordinary UNION.
func (b *binder) bindRecursive(e *cteEnv) (plan, error) {
	q := e.def.Query
	if len(q.With) > 0 {
		saved, err := b.pushWith(q)
		if err != nil {
			return nil, err
		}
		defer func() { b.ctes = saved }()
	}
	if err := checkSearchCycleForm(e.def); err != nil {
		return nil, err
	}
	left, err := b.bindSelect(q.Left, &scope{setOpLeaf: true})
	if err != nil {
		return nil, err
	}
	cols := append([]Column(nil), left.columns()...)
	if len(e.def.Columns) > len(cols) {
		return nil, pgerr.New(pgerr.InvalidColumnReference, "WITH query \"%s\" has %d columns available but %d columns specified", e.def.Name, len(cols), len(e.def.Columns)).WithPosition(e.def.Pos)
	}
	for i, n := range e.def.Columns {
		cols[i].Name = n
	}
	for i := range cols {
		if cols[i].Type.ID == types.Unknown {
			cols[i].Type = textT
		}
	}
	sc, err := b.newSearchCycle(e.def, cols)
	if err != nil {
		return nil, err
	}
	var lextra []expr
	workCols, rightQuery := cols, q.Right
	if sc != nil {
		if lextra, err = b.leftExtras(sc, left); err != nil {
			return nil, err
		}
		workCols = append([]Column(nil), cols...)
		for i, n := range sc.extra {
			cols = append(cols, Column{Name: n, Type: lextra[i].Type()})
			workCols = append(workCols, Column{Name: hiddenCTEName(n), Type: lextra[i].Type()})
		}
		rightQuery = sc.recursiveTerm(q.Right)
	}
	if err := b.checkRecursiveTermAggregates(q.Right); err != nil {
		return nil, err
	}
	w := &workTable{cols: workCols, sublinks: b.sublinks}
	saved := b.ctes
	b.ctes = &cteEnv{def: e.def, parent: saved, work: w}
	right, err := b.bindSelect(rightQuery, &scope{setOpLeaf: true})
	b.ctes = saved
	if err != nil {
		return nil, err
	}
	if !w.referenced {
		return b.bindSelect(q, &scope{})
	}
	if !q.All {
		// PostgreSQL removes a recursive UNION's duplicates with a hash
		// table only; money and the geometric types have no hash opclass.
		for _, c := range cols {
			if c.Type.ID == types.MoneyType || c.Type.IsGeometric() {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "could not implement recursive UNION").
					WithDetail("All column datatypes must be hashable.")
			}
		}
	}
	rc := right.columns()
	if len(rc) != len(cols) {
		return nil, pgerr.New(pgerr.SyntaxError, "each UNION query must have the same number of columns").WithPosition(e.def.Pos)
	}
	own := len(cols) - len(lextra)
	lexprs := make([]expr, own, len(cols))
	rexprs := make([]expr, own, len(cols))
	for i := range cols[:own] {
		if lexprs[i], err = b.cast(&colExpr{t: left.columns()[i].Type, idx: i}, cols[i].Type, false, e.def.Pos); err != nil {
			return nil, err
		}
		rt := rc[i].Type
		// The union's column type is the terms' common type (an
		// implicit cast may bring the recursive term's to the other's:
		// oid to regclass), with a modifier only both terms share.
		overall, _, err := b.commonType([]expr{&colExpr{t: cols[i].Type, idx: i}, &colExpr{t: rt, idx: i}}, "UNION", e.def.Pos)
		if err != nil {
			return nil, err
		}
		if (overall.ID != cols[i].Type.ID || overall.Mod != cols[i].Type.Mod) && rt.ID != types.Unknown {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall",
				e.def.Name, i+1, cols[i].Type.Name(), overall.Name()).WithPosition(e.def.Pos).
				WithHint("Cast the output of the non-recursive term to the correct type.")
		}
		if rexprs[i], err = b.cast(&colExpr{t: rt, idx: i}, cols[i].Type, false, e.def.Pos); err != nil {
			return nil, err
		}
	}
	if sc != nil {
		rextra, err := b.rightExtras(sc, right, cols[own:])
		if err != nil {
			return nil, err
		}
		lexprs = append(lexprs, lextra...)
		rexprs = append(rexprs, rextra...)
	}
	return &recursiveUnionNode{
		left:  &projectNode{in: left, exprs: lexprs, cols: cols},
		right: &projectNode{in: right, exprs: rexprs, cols: cols},
		work:  w, all: q.All, cols: cols,
	}, nil
}

// workTable is the working table of a recursive query: the rows of the
// previous iteration, which the recursive term's references read.
type workTable struct {
	cols       []Column
	rows       [][]types.Datum
	referenced bool
	// sublinks is the binder's count of enclosing subquery expressions
	// for the recursive term: a reference may not be inside another.
	sublinks int
}

type workTableScan struct{ w *workTable }

func (n *workTableScan) columns() []Column                     { return n.w.cols }
func (n *workTableScan) run(*evalCtx) ([][]types.Datum, error) { return n.w.rows, nil }

type recursiveUnionNode struct {
	left, right plan
	work        *workTable
	all         bool
	cols        []Column
}

func (n *recursiveUnionNode) columns() []Column { return n.cols }

func (n *recursiveUnionNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

// stream hands on the rows as the iterations produce them, so that a
// consumer that has enough (LIMIT, EXISTS) ends the recursion: an
// iteration runs only when the rows before it have been taken. Each
// iteration's rows are the working table of the next and are held until
// it has run; for UNION the keys of all rows produced are held too.
func (n *recursiveUnionNode) stream(ec *evalCtx, fn rowFn) error {
	var held int64
	defer func() { ec.exec.memForget(held) }()
	var seen map[string]bool
	if !n.all {
		seen = make(map[string]bool)
	}
	// next collects an input's rows not seen before (all of them for
	// UNION ALL), handing each on.
	next := func(p plan) ([][]types.Datum, error) {
		var out [][]types.Datum
		err := streamRows(ec, p, func(r []types.Datum) error {
			if err := ec.tick(); err != nil {
				return err
			}
			size := rowBytes(r)
			if seen != nil {
				k := string(groupKey(r))
				if seen[k] {
					return nil
				}
				seen[k] = true
				size += hashEntryBytes + int64(len(k))
			}
			row := make([]types.Datum, len(r))
			copy(row, r)
			if err := ec.grow(size); err != nil {
				return err
			}
			held += size
			out = append(out, row)
			return fn(row)
		})
		return out, err
	}
	work, err := next(n.left)
	for err == nil && len(work) > 0 {
		if err = ec.exec.cancelled(); err != nil {
			break
		}
		n.work.rows = work
		prev := work
		work, err = next(n.right)
		// The previous working table is garbage once the iteration ran
		// (the keys of UNION stay).
		for _, r := range prev {
			size := rowBytes(r)
			held -= size
			ec.exec.memForget(size)
		}
	}
	n.work.rows = nil
	return err
}

// recursiveRefused names the first clause of a recursive query that
// PostgreSQL does not implement there, or "".
func recursiveRefused(q *ast.SelectStmt) string {
	switch {
	case len(q.OrderBy) > 0:
		return "ORDER BY"
	case q.Offset != nil:
		return "OFFSET"
	case q.Limit != nil:
		return "LIMIT"
	case q.Locking != nil:
		return "FOR UPDATE/SHARE"
	}
	return ""
}
