package sql

import "github.com/cairndb/cairn/sql/ast"

// Projection above LIMIT.
//
// A select list with a volatile function (nextval, random, ...) under
// ORDER BY and LIMIT is evaluated, as in PostgreSQL, only for the rows the
// LIMIT lets through: the rows are sorted on their input columns and sort
// keys, and the select list is computed between the Sort and the Limit, so
// that nextval runs once per returned row rather than once per input row.

// projectAfterSort returns the plan Sort -> projection for a query whose
// select list should be evaluated after its sort, or nil when the usual
// plan (projection below the sort) is the right one. exprs are the select
// list (cols wide) followed by any hidden sort-only expressions, all bound
// over from's columns; keys index exprs.
func projectAfterSort(q *ast.SelectStmt, targets []ast.Target, from plan, exprs []expr, cols []Column, keys []sortKey) plan {
	if q.Limit == nil && q.Offset == nil || q.WithTies || q.Distinct || len(q.DistinctOn) > 0 || len(keys) == 0 {
		return nil
	}
	if len(targets) != len(cols) {
		return nil
	}
	keyed := make(map[int]bool, len(keys))
	for _, k := range keys {
		keyed[k.idx] = true
	}
	// A volatile sort key is computed before the sort in either plan; keep
	// the usual one, where each target is evaluated once per row.
	for _, o := range q.OrderBy {
		if hasVolatileCall(o.Expr) {
			return nil
		}
	}
	volatile := false
	for i, t := range targets {
		if t.Expr == nil {
			continue
		}
		if hasVolatileCall(t.Expr) {
			if keyed[i] {
				return nil
			}
			volatile = true
		}
	}
	if !volatile {
		return nil
	}

	// The lower projection passes from's columns on unchanged, at the
	// same positions, so the select list's expressions read them as they
	// would have read from's rows; the sort keys follow.
	inCols := from.columns()
	lower := make([]expr, 0, len(inCols)+len(keys))
	lowerCols := make([]Column, 0, len(inCols)+len(keys))
	for i, c := range inCols {
		lower = append(lower, &colExpr{t: c.Type, idx: i})
		lowerCols = append(lowerCols, c)
	}
	// Where the select list or a key reads an input column as it is, the
	// lower projection passes it on with that very expression (the same
	// column), so that EXPLAIN prints it as the query names it.
	for _, e := range exprs {
		if c, ok := e.(*colExpr); ok && c.level == 0 && c.idx < len(inCols) {
			lower[c.idx] = e
		}
	}
	keyPos := make(map[int]int, len(keys))
	sorted := make([]sortKey, len(keys))
	for i, k := range keys {
		pos, ok := keyPos[k.idx]
		if c, isCol := exprs[k.idx].(*colExpr); !ok && isCol && c.level == 0 {
			// A key that is an input column sorts on the passed-on column.
			pos, ok = c.idx, true
			keyPos[k.idx] = pos
		}
		if !ok {
			pos = len(lower)
			keyPos[k.idx] = pos
			lower = append(lower, exprs[k.idx])
			name := "?sort?"
			if k.idx < len(cols) {
				name = cols[k.idx].Name
			}
			lowerCols = append(lowerCols, Column{Name: name, Type: exprs[k.idx].Type()})
		}
		sorted[i] = k
		sorted[i].idx = pos
	}
	upper := make([]expr, len(cols))
	for i := range cols {
		if pos, ok := keyPos[i]; ok {
			upper[i] = &colExpr{t: exprs[i].Type(), idx: pos}
			continue
		}
		upper[i] = exprs[i]
	}
	var p plan = &projectNode{in: from, exprs: lower, cols: lowerCols}
	p = &sortNode{in: p, keys: sorted}
	return &projectNode{in: p, exprs: upper, cols: append([]Column(nil), cols...), afterSort: true}
}

// hasVolatileCall reports whether e calls a built-in function whose value
// changes from call to call.
func hasVolatileCall(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && volatileFunction(f.Name) {
			found = true
		}
		return !found
	})
	return found
}

// resultProjection describes a select list computed above a Sort as
// PostgreSQL's Result node: a Sort cannot project, so the node that
// evaluates the list is a Result of its own.
func (d *describer) resultProjection(x *projectNode) (*explainNode, error) {
	child, in, err := d.plan(x.in)
	if err != nil {
		return nil, err
	}
	x.in = in
	n := d.node("Result", "Result")
	n.children = []*explainNode{child}
	for _, e := range x.exprs {
		if err := d.attachSubplans(n, d.originAST(e)); err != nil {
			return nil, err
		}
	}
	n.output = func() []string {
		d.tlist = true
		defer func() { d.tlist = false }()
		out := make([]string, len(x.exprs))
		for i := range x.exprs {
			out[i] = d.columnText(x, i)
		}
		return out
	}
	n.rows, n.width = child.rows, widthOf(x.cols)
	n.startup = child.startup
	n.total = child.total + child.rows*cpuOperatorCost*float64(len(x.exprs))
	return n, nil
}
