package sql

import (
	"github.com/cairndb/cairn/sql/ast"
)

// Removing a useless LEFT JOIN, as PostgreSQL's planner does
// (remove_useless_joins): a FROM item a LEFT JOIN b ON ... gives each row
// of a exactly once when at most one row of b can match it, and when the
// query reads no column of b the join changes nothing: the item becomes
// a's rows (b's columns NULL, and never read), and b is not read at all.
//
// At most one row of b matches when ON equates, each with an expression
// of a's columns, the columns of a unique index (or the primary key) of
// table b, or every output column of a subquery b that removes
// duplicates (DISTINCT, a GROUP BY of its output columns, or UNION,
// INTERSECT or EXCEPT without ALL). The other conditions of ON do not
// matter: they can only turn a match into a NULL-extended row. The check
// that the query reads no column of b is made on the query's text: any
// subquery in it, any * that includes b's columns or any reference to b
// keeps the join.

// removeUselessJoins replaces the FROM items of q that are removable
// LEFT JOINs by their left side's rows; tes are the items' expressions.
func (b *binder) removeUselessJoins(q *ast.SelectStmt, items []fromItem, tes []ast.TableExpr, ons []ast.Expr, sc *scope) {
	if b.dmlTarget != nil || q.Locking != nil {
		// FOR UPDATE OF b locks b's rows: b is read.
		return
	}
	var reads []ast.Expr
	for _, t := range q.Targets {
		if t.Star {
			if t.Table == "" {
				return // every column is read
			}
			reads = append(reads, &ast.ColumnRef{Table: t.Table, Column: "*"})
			continue
		}
		reads = append(reads, t.Expr)
	}
	reads = append(reads, q.Where, q.Having)
	reads = append(reads, q.GroupBy...)
	reads = append(reads, q.DistinctOn...)
	reads = append(reads, ons...)
	for _, o := range q.OrderBy {
		reads = append(reads, o.Expr)
	}
	for _, r := range reads {
		if r != nil && hasSublink(r) {
			return
		}
	}
	for i := range items {
		j, ok := tes[i].(*ast.JoinExpr)

		if !ok || j.Kind != "LEFT" || j.On == nil || len(j.Using) > 0 || j.Natural || j.Alias != "" || items[i].deps != 0 {
			continue
		}
		jn, ok := items[i].p.(*joinNode)
		if !ok || jn.lat != nil || hasSublink(j.On) || readByLateral(items, i) {
			continue
		}
		it := items[i]
		lw := len(jn.left.columns())
		if readsColumns(reads, sc, it.off+lw, it.off+it.width) {
			continue
		}
		joinScope := &scope{cols: sc.cols[it.off : it.off+it.width], parent: sc.parent}
		equated := b.equatedInner(j.On, joinScope, lw)

		if !distinctOn(jn.right, j.Right, equated) {
			continue
		}
		exprs := make([]expr, it.width)
		for c := range exprs {
			if c < lw {
				exprs[c] = &colExpr{t: jn.cols[c].Type, idx: c}
			} else {
				exprs[c] = &constExpr{t: jn.cols[c].Type}
			}
		}
		items[i].p = &projectNode{in: jn.left, exprs: exprs, cols: jn.cols}
	}
}

// readByLateral reports whether a LATERAL item reads item i's columns.
func readByLateral(items []fromItem, i int) bool {
	for _, it := range items {
		if it.deps&(1<<uint(i)) != 0 {
			return true
		}
	}
	return false
}

// readsColumns reports whether any of exprs reads a column of sc in
// [lo, hi), by name, by a t.* or as a whole-row reference t.
func readsColumns(exprs []ast.Expr, sc *scope, lo, hi int) bool {
	inRange := func(table string) bool {
		for i := lo; i < hi; i++ {
			if sc.cols[i].table == table {
				return true
			}
		}
		return false
	}
	found := false
	for _, e := range exprs {
		if e == nil {
			continue
		}
		ast.WalkExpr(e, func(x ast.Expr) bool {
			r, ok := x.(*ast.ColumnRef)
			if !ok || found {
				return !found
			}
			if r.Column == "*" {
				found = r.Table == "" || inRange(r.Table)
				return !found
			}
			idx, level, _, err := sc.resolve(r)
			switch {
			case err != nil:
				// A table's name as a whole-row reference, or a name
				// that fails to bind anyway.
				found = r.Table == "" && inRange(r.Column) || r.Table != "" && inRange(r.Table)
			case level == 0:
				found = idx >= lo && idx < hi
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// equatedInner returns the right side's columns (counted from the right
// side's first) that a conjunct of on equates with an expression of the
// left side's columns only, in the join's scope sc (left's lw first).
// The comparison must be made in the column's own type, or in a wider
// integer type: then two of its values equal to one left value are
// equal.
func (b *binder) equatedInner(on ast.Expr, sc *scope, lw int) map[int]bool {
	out := make(map[int]bool)
	side := func(e ast.Expr) (left, right bool) {
		ast.WalkExpr(e, func(x ast.Expr) bool {
			if r, ok := x.(*ast.ColumnRef); ok {
				idx, level, _, err := sc.resolve(r)
				switch {
				case err != nil:
					left, right = true, true
				case level == 0 && idx < lw:
					left = true
				case level == 0:
					right = true
				}
			}
			return true
		})
		return left, right
	}
	for _, c := range splitAnd(on) {
		be, ok := c.(*ast.BinaryExpr)
		if !ok || be.Op != "=" || hasVolatileCall(c) {
			continue
		}
		for _, pair := range [][2]ast.Expr{{be.L, be.R}, {be.R, be.L}} {
			col, ok := pair[1].(*ast.ColumnRef)
			if !ok {
				continue
			}
			idx, level, _, err := sc.resolve(col)
			if err != nil || level != 0 || idx < lw {
				continue
			}
			if l, r := side(pair[0]); l && !r && b.exactEquality(pair[0], col, sc) {
				out[idx-lw] = true
			}
		}
	}
	return out
}

// exactEquality reports whether outer = col compares col's values as
// they are: in col's type, or col's integer type widened.
func (b *binder) exactEquality(outer ast.Expr, col *ast.ColumnRef, sc *scope) bool {
	l, err := b.bindExpr(outer, sc)
	if err != nil {
		return false
	}
	r, err := b.bindExpr(col, sc)
	if err != nil {
		return false
	}
	colType := r.Type()
	_, _, t, err := b.unify(l, r, "=", 0)
	if err != nil || !hashableEq(t) {
		return false
	}
	return t.ID == colType.ID || colType.IsInteger() && t.IsInteger()
}

// distinctOn reports whether the rows of p, the plan of FROM item te,
// are unique on the columns in equated.
func distinctOn(p plan, te ast.TableExpr, equated map[int]bool) bool {
	switch x := te.(type) {
	case *ast.TableRef:
		scan, ok := p.(*scanNode)
		if !ok || len(scan.inh) > 0 || len(scan.cols) < len(scan.table.Columns) || scan.withID {
			return false
		}
		return uniqueOnCols(scan, equated)
	case *ast.SubqueryRef:
		if x.Lateral {
			return false
		}
		keys, ok := distinctKeys(x.Query, p.columns())
		if !ok {
			return false
		}
		for _, c := range keys {
			if !equated[c] {
				return false
			}
		}
		return true
	}
	return false
}

// distinctKeys returns output columns (of cols) on which q's rows are
// distinct, ok false when it cannot tell.
func distinctKeys(q *ast.SelectStmt, cols []Column) ([]int, bool) {
	all := make([]int, len(cols))
	for i := range all {
		all[i] = i
	}
	if q.Op != "" {
		return all, !q.All
	}
	if q.Distinct {
		return all, true
	}
	if len(q.GroupBy) == 0 || q.Having != nil {
		return nil, false
	}
	// Grouped by output columns: each GROUP BY item a column the select
	// list gives under its own name, or one of the one table's columns
	// that * gives.
	star := len(q.Targets) == 1 && q.Targets[0].Star && q.Targets[0].Table == "" && len(q.From) == 1
	var table string
	if star {
		t, ok := q.From[0].(*ast.TableRef)
		if !ok {
			return nil, false
		}
		if table = t.Alias; table == "" {
			table = t.RelName()
		}
	} else {
		for _, t := range q.Targets {
			c, ok := t.Expr.(*ast.ColumnRef)
			if t.Star || !ok || t.Alias != "" && t.Alias != c.Column {
				return nil, false
			}
		}
	}
	var keys []int
	for _, g := range q.GroupBy {
		c, ok := g.(*ast.ColumnRef)
		if !ok || c.Column == "*" || star && c.Table != "" && c.Table != table {
			return nil, false
		}
		found := -1
		for i, col := range cols {
			if col.Name == c.Column {
				if found >= 0 {
					return nil, false
				}
				found = i
			}
		}
		if found < 0 {
			return nil, false
		}
		keys = append(keys, found)
	}
	return keys, true
}

// uniqueOnCols reports whether scan's rows are unique on cols (the
// table's column numbers): a unique index or the primary key has all its
// columns among them.
func uniqueOnCols(scan *scanNode, cols map[int]bool) bool {
	covers := func(ix []int) bool {
		for _, c := range ix {
			if !cols[c] {
				return false
			}
		}
		return len(ix) > 0
	}
	if covers(scan.table.PK) {
		return true
	}
	for _, ix := range scan.table.Indexes {
		if ix.Unique && !ix.Exclusion && !ix.NullsNotDistinct && !ix.Computed() && covers(ix.Columns) {
			return true
		}
	}
	return false
}
