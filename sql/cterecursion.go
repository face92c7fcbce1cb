package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// The queries of one WITH RECURSIVE list all see each other, whatever
// their order. Before any is bound, the list is analyzed as PostgreSQL
// does (parse_cte.c): the references between its queries give an order
// in which each is bound after those it reads (a cycle through two or
// more queries is mutual recursion, which PostgreSQL does not implement);
// a query that refers to itself must have the form non-recursive term
// UNION [ALL] recursive term, with exactly one reference to itself, in
// the recursive term, outside subqueries, outer joins' nullable sides,
// INTERSECT ALL and EXCEPT.

// recursionContext is where a reference to the query being checked is
// found; each context but recursionOK refuses it with its own message.
type recursionContext int

const (
	recursionOK recursionContext = iota
	recursionNonRecursiveTerm
	recursionSublink
	recursionOuterJoin
	recursionIntersect
	recursionExcept
)

var recursionMessages = [...]string{
	recursionNonRecursiveTerm: "recursive reference to query \"%s\" must not appear within its non-recursive term",
	recursionSublink:          "recursive reference to query \"%s\" must not appear within a subquery",
	recursionOuterJoin:        "recursive reference to query \"%s\" must not appear within an outer join",
	recursionIntersect:        "recursive reference to query \"%s\" must not appear within INTERSECT",
	recursionExcept:           "recursive reference to query \"%s\" must not appear within EXCEPT",
}

// cteRefWalker finds the references a query makes to the names of one
// WITH list, names an inner WITH captures left out.
type cteRefWalker struct {
	names map[string]bool
	// inner holds the names of the WITH lists inside the walked query
	// that are in view at the current point.
	inner [][]string
	ctx   recursionContext
	found func(ref *ast.TableRef, ctx recursionContext) error
}

func (w *cteRefWalker) captured(name string) bool {
	for _, list := range w.inner {
		for _, n := range list {
			if n == name {
				return true
			}
		}
	}
	return false
}

// query walks a query with its WITH clause.
func (w *cteRefWalker) query(q *ast.SelectStmt) error {
	if q == nil {
		return nil
	}
	return w.with(q.With, func() error { return w.selectBody(q) })
}

// with walks a WITH list's queries, then body with the list's names in
// view: all of them for WITH RECURSIVE, else each after its definition.
func (w *cteRefWalker) with(list []*ast.CTE, body func() error) error {
	if len(list) == 0 {
		return body()
	}
	top := len(w.inner)
	if list[0].Recursive {
		var names []string
		for _, c := range list {
			names = append(names, c.Name)
		}
		w.inner = append(w.inner, names)
	} else {
		w.inner = append(w.inner, nil)
	}
	defer func() { w.inner = w.inner[:top] }()
	for _, c := range list {
		if err := w.cteBody(c); err != nil {
			return err
		}
		if !c.Recursive {
			w.inner[top] = append(w.inner[top], c.Name)
		}
	}
	return body()
}

func (w *cteRefWalker) cteBody(c *ast.CTE) error {
	if c.Query != nil {
		return w.query(c.Query)
	}
	switch x := c.DML.(type) {
	case *ast.InsertStmt:
		if err := w.with(x.With, func() error { return w.query(x.Query) }); err != nil {
			return err
		}
		return w.targets(x.Returning)
	case *ast.UpdateStmt:
		return w.with(x.With, func() error {
			for _, s := range x.Set {
				if err := w.expr(s.Expr); err != nil {
					return err
				}
				if s.Sub != nil {
					if err := w.expr(s.Sub); err != nil {
						return err
					}
				}
			}
			if err := w.from(x.From); err != nil {
				return err
			}
			if err := w.expr(x.Where); err != nil {
				return err
			}
			return w.targets(x.Returning)
		})
	case *ast.DeleteStmt:
		return w.with(x.With, func() error {
			if err := w.from(x.Using); err != nil {
				return err
			}
			if err := w.expr(x.Where); err != nil {
				return err
			}
			return w.targets(x.Returning)
		})
	}
	return nil
}

// selectBody walks a query without its WITH clause: a set operation's
// operands in the contexts INTERSECT ALL and EXCEPT impose.
func (w *cteRefWalker) selectBody(q *ast.SelectStmt) error {
	saved := w.ctx
	defer func() { w.ctx = saved }()
	switch {
	case q.Op == "INTERSECT" && saved == recursionOK:
		if q.All {
			w.ctx = recursionIntersect
		}
	case q.Op == "EXCEPT" && saved == recursionOK:
		if q.All {
			w.ctx = recursionExcept
		}
		if err := w.query(q.Left); err != nil {
			return err
		}
		w.ctx = recursionExcept
		if err := w.query(q.Right); err != nil {
			return err
		}
		w.ctx = saved
		return w.clauses(q)
	}
	if q.Op != "" {
		if err := w.query(q.Left); err != nil {
			return err
		}
		if err := w.query(q.Right); err != nil {
			return err
		}
		w.ctx = saved
		return w.clauses(q)
	}
	if err := w.targets(q.Targets); err != nil {
		return err
	}
	if err := w.from(q.From); err != nil {
		return err
	}
	for _, row := range q.Values {
		for _, e := range row {
			if err := w.expr(e); err != nil {
				return err
			}
		}
	}
	if err := w.expr(q.Where); err != nil {
		return err
	}
	for _, e := range q.GroupBy {
		if err := w.expr(e); err != nil {
			return err
		}
	}
	if err := w.expr(q.Having); err != nil {
		return err
	}
	return w.clauses(q)
}

// clauses walks ORDER BY, LIMIT and OFFSET.
func (w *cteRefWalker) clauses(q *ast.SelectStmt) error {
	for _, o := range q.OrderBy {
		if err := w.expr(o.Expr); err != nil {
			return err
		}
	}
	if err := w.expr(q.Limit); err != nil {
		return err
	}
	return w.expr(q.Offset)
}

func (w *cteRefWalker) targets(list []ast.Target) error {
	for _, t := range list {
		if err := w.expr(t.Expr); err != nil {
			return err
		}
	}
	return nil
}

func (w *cteRefWalker) from(items []ast.TableExpr) error {
	for _, it := range items {
		if err := w.fromItem(it); err != nil {
			return err
		}
	}
	return nil
}

func (w *cteRefWalker) fromItem(item ast.TableExpr) error {
	saved := w.ctx
	defer func() { w.ctx = saved }()
	switch x := item.(type) {
	case *ast.TableRef:
		if x.System || x.InfoSchema || strings.IndexByte(x.Name, 0) >= 0 || !w.names[x.Name] || w.captured(x.Name) {
			return nil
		}
		return w.found(x, w.ctx)
	case *ast.SubqueryRef:
		return w.query(x.Query)
	case *ast.FuncRef:
		return w.expr(x.Call)
	case *ast.JoinExpr:
		outer := recursionOK
		if saved == recursionOK {
			outer = recursionOuterJoin
		}
		switch x.Kind {
		case "LEFT":
			if err := w.fromItem(x.Left); err != nil {
				return err
			}
			w.ctx = outer
			if err := w.fromItem(x.Right); err != nil {
				return err
			}
		case "RIGHT":
			w.ctx = outer
			if err := w.fromItem(x.Left); err != nil {
				return err
			}
			w.ctx = saved
			if err := w.fromItem(x.Right); err != nil {
				return err
			}
		case "FULL":
			w.ctx = outer
			if err := w.fromItem(x.Left); err != nil {
				return err
			}
			if err := w.fromItem(x.Right); err != nil {
				return err
			}
		default:
			if err := w.fromItem(x.Left); err != nil {
				return err
			}
			if err := w.fromItem(x.Right); err != nil {
				return err
			}
		}
		w.ctx = saved
		return w.expr(x.On)
	}
	return nil
}

// expr walks an expression; the queries of its subquery expressions are
// in the sublink context.
func (w *cteRefWalker) expr(e ast.Expr) error {
	var err error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if err != nil {
			return false
		}
		var sub *ast.SelectStmt
		switch y := x.(type) {
		case *ast.SubqueryExpr:
			sub = y.Query
		case *ast.InExpr:
			sub = y.Query
		}
		if sub != nil {
			saved := w.ctx
			w.ctx = recursionSublink
			err = w.query(sub)
			w.ctx = saved
		}
		return err == nil
	})
	return err
}

// recursiveWithOrder analyzes a WITH RECURSIVE list: it returns the order
// in which to bind its queries (each after the ones it reads) and which
// refer to themselves, or PostgreSQL's error for mutual recursion or a
// badly formed recursive query.
func recursiveWithOrder(list []*ast.CTE) ([]int, []bool, error) {
	index := make(map[string]int, len(list))
	names := make(map[string]bool, len(list))
	for i, c := range list {
		index[c.Name] = i
		names[c.Name] = true
	}
	deps := make([]map[int]bool, len(list))
	self := make([]bool, len(list))
	for i, c := range list {
		deps[i] = make(map[int]bool)
		w := &cteRefWalker{names: names, found: func(ref *ast.TableRef, _ recursionContext) error {
			if j := index[ref.Name]; j == i {
				self[i] = true
			} else {
				deps[i][j] = true
			}
			return nil
		}}
		if err := w.cteBody(c); err != nil {
			return nil, nil, err
		}
	}
	// A topological sort that keeps the written order where it can, as
	// PostgreSQL's does.
	items := make([]int, len(list))
	for i := range items {
		items[i] = i
	}
	for i := range items {
		j := i
		for j < len(items) && len(deps[items[j]]) > 0 {
			j++
		}
		if j == len(items) {
			return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "mutual recursion between WITH items is not implemented").
				WithPosition(list[items[i]].Pos)
		}
		items[i], items[j] = items[j], items[i]
		for _, k := range items[i+1:] {
			delete(deps[k], items[i])
		}
	}
	for i, c := range list {
		if self[i] {
			if err := checkRecursion(c); err != nil {
				return nil, nil, err
			}
		}
	}
	return items, self, nil
}

// checkRecursion checks that c, a query that refers to itself, is
// non-recursive term UNION [ALL] recursive term with one reference to
// itself in a place PostgreSQL allows.
func checkRecursion(c *ast.CTE) error {
	q := c.Query
	if q == nil {
		return pgerr.New(pgerr.InvalidRecursion, "recursive query \"%s\" must not contain data-modifying statements", c.Name).WithPosition(c.Pos)
	}
	if q.Op != "UNION" {
		return pgerr.New(pgerr.InvalidRecursion, "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term", c.Name).WithPosition(c.Pos)
	}
	count := 0
	w := &cteRefWalker{names: map[string]bool{c.Name: true}, found: func(ref *ast.TableRef, ctx recursionContext) error {
		if ctx != recursionOK {
			return pgerr.New(pgerr.InvalidRecursion, recursionMessages[ctx], c.Name).WithPosition(ref.Pos)
		}
		if count++; count > 1 {
			return pgerr.New(pgerr.InvalidRecursion, "recursive reference to query \"%s\" must not appear more than once", c.Name).WithPosition(ref.Pos)
		}
		return nil
	}}
	w.ctx = recursionNonRecursiveTerm
	if err := w.query(q.Left); err != nil {
		return err
	}
	w.ctx = recursionOK
	if err := w.query(q.Right); err != nil {
		return err
	}
	if clause := recursiveRefused(q); clause != "" {
		return pgerr.New(pgerr.FeatureNotSupported, "%s in a recursive query is not implemented", clause).WithPosition(c.Pos)
	}
	if r := q.Right; r != nil && r.Op == "" {
		for _, t := range r.Targets {
			if pos, ok := aggregatePos(t.Expr); ok {
				return pgerr.New(pgerr.InvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term").WithPosition(pos)
			}
		}
		if pos, ok := aggregatePos(r.Having); ok {
			return pgerr.New(pgerr.InvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term").WithPosition(pos)
		}
	}
	return nil
}

// checkRecursiveTermAggregates refuses a user-defined aggregate in a
// recursive term (42P19), as checkRecursion refuses the built-in ones:
// which calls name one is known only once the catalog is read.
func (b *binder) checkRecursiveTermAggregates(r *ast.SelectStmt) error {
	if r == nil || r.Op != "" {
		return nil
	}
	if err := b.markUserAggregates(r); err != nil {
		return err
	}
	for _, t := range r.Targets {
		if pos, ok := aggregatePos(t.Expr); ok {
			return pgerr.New(pgerr.InvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term").WithPosition(pos)
		}
	}
	if pos, ok := aggregatePos(r.Having); ok {
		return pgerr.New(pgerr.InvalidRecursion, "aggregate functions are not allowed in a recursive query's recursive term").WithPosition(pos)
	}
	return nil
}

// aggregatePos is the position of the first aggregate call of e's query
// level.
func aggregatePos(e ast.Expr) (int32, bool) {
	var pos int32
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && (isAggregate(f.Name) || f.UserAgg) && f.Over == nil {
			pos, found = f.Pos, true
		}
		_, sub := x.(*ast.SubqueryExpr)
		return !found && !sub
	})
	return pos, found
}
