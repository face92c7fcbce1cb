package sql

// windowAggs describes a windowNode as PostgreSQL's plan: one WindowAgg
// per distinct window, in the order they run, each above the Sort (or
// Incremental Sort) its window needs, the top one filtering by the run
// conditions of the windows below it.
func (d *describer) windowAggs(x *windowNode) (*explainNode, error) {
	child, in, err := d.plan(x.in)
	if err != nil {
		return nil, err
	}
	x.in = in
	if x.fromSubquery != "" {
		// The subquery stays a relation of PostgreSQL's range table.
		d.relations++
	}
	clauses := x.clauseList()
	for i, c := range clauses {
		var sortStats, aggStats *nodeStats
		if c.sorts {
			sort := d.node("Sort", "Sort")
			if c.presorted > 0 {
				sort = d.node("Incremental Sort", "Incremental Sort")
			}
			sort.children = []*explainNode{child}
			keys, presorted := c.keys, c.presorted
			d.propList(sort, "Sort Key", func() []string { return d.windowKeyTexts(keys) })
			if presorted > 0 {
				d.propList(sort, "Presorted Key", func() []string { return d.windowKeyTexts(keys[:presorted]) })
			}
			sortCost(sort, child)
			child = sort
			sortStats = sort.stats
		}
		n := d.node("WindowAgg", "WindowAgg")
		n.children = []*explainNode{child}
		n.rows, n.width = child.rows, child.width+8*len(c.funcs)
		n.startup, n.total = child.startup, child.total+child.rows*cpuOperatorCost*float64(len(c.funcs))
		if len(c.runConds) > 0 {
			conds := c.runConds
			d.prop(n, "Run Condition", func() string { return runCondsText(conds, false) })
		}
		if i == len(clauses)-1 {
			var lower []*runCond
			for _, lc := range clauses[:i] {
				lower = append(lower, lc.runConds...)
			}
			if len(lower) > 0 {
				d.prop(n, "Filter", func() string { return runCondsText(lower, true) })
			}
		}
		if i < len(clauses)-1 {
			// The top WindowAgg is counted around the node; the others
			// and the sorts by the node as it runs each window.
			aggStats = n.stats
		}
		if d.opts.analyze {
			c.sortStats, c.aggStats = sortStats, aggStats
		}
		child = n
	}
	return child, nil
}

// windowKeyTexts prints a window's sort keys as a Sort Key.
func (d *describer) windowKeyTexts(keys []winKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		s := d.groupText(k.e)
		if k.desc {
			s += " DESC"
			if !k.nullsFirst {
				s += " NULLS LAST"
			}
		} else if k.nullsFirst {
			s += " NULLS FIRST"
		}
		out[i] = s
	}
	return out
}

// runCondsText prints run conditions as a qual list; above their
// window, the function's value is a column of the rows, which
// PostgreSQL parenthesizes.
func runCondsText(conds []*runCond, above bool) string {
	texts := make([]string, len(conds))
	for i, c := range conds {
		texts[i] = "(" + c.textAs(above) + ")"
	}
	if len(texts) == 1 {
		return texts[0]
	}
	out := "("
	for i, t := range texts {
		if i > 0 {
			out += " AND "
		}
		out += t
	}
	return out + ")"
}

// windowSubqueryScan describes a WHERE over a FROM subquery with window
// functions: PostgreSQL never pulls such a subquery up, so the filter
// is a Subquery Scan's, above the subquery's WindowAgg.
func (d *describer) windowSubqueryScan(x *filterNode) (*explainNode, bool, error) {
	proj, w := windowSubquery(x.in)
	if w == nil {
		return nil, false, nil
	}
	n, in, err := d.subqueryScan(proj, w, x.pred)
	if err != nil {
		return nil, true, err
	}
	x.in = in
	return n, true, nil
}

// windowSubquery returns the select list and the windowNode of a FROM
// subquery with window functions, when p is one.
func windowSubquery(p plan) (*projectNode, *windowNode) {
	proj, ok := p.(*projectNode)
	if !ok || proj.afterSort {
		return nil, nil
	}
	w, ok := proj.in.(*windowNode)
	if !ok || w.fromSubquery == "" {
		return nil, nil
	}
	return proj, w
}

// keepsSubqueryScan reports whether PostgreSQL keeps the Subquery Scan
// of a window subquery whose rows outer projects without a filter: it
// removes it only when the scan passes the subquery's rows on as they
// are, all its columns in order and no window key computed besides them.
func keepsSubqueryScan(outer, proj *projectNode, w *windowNode) bool {
	if w.subqueryJunk || len(outer.exprs) != len(proj.exprs) {
		return true
	}
	for i, e := range outer.exprs {
		c, ok := e.(*colExpr)
		if !ok || c.level != 0 || c.idx != i {
			return true
		}
	}
	return false
}

// subqueryScan describes a window subquery as a Subquery Scan, with
// pred as its filter when it has one, and returns the subquery's plan
// as EXPLAIN ANALYZE counts it.
func (d *describer) subqueryScan(proj *projectNode, w *windowNode, pred expr) (*explainNode, plan, error) {
	inner, in, err := d.plan(proj)
	if err != nil {
		return nil, nil, err
	}
	n := d.node("Subquery Scan", "Subquery Scan")
	n.alias = d.uniqueName(w.fromSubquery)
	n.subquery = w.fromSubquery
	n.children = []*explainNode{inner}
	n.rows, n.width, n.startup, n.total = inner.rows, inner.width, inner.startup, inner.total
	if pred == nil {
		return n, in, nil
	}
	if err := d.addFilter(n, pred, "Filter"); err != nil {
		return nil, nil, err
	}
	// The filter reads the rows the subquery's top WindowAgg returns.
	n.filtered = inner.stats
	n.rows = clampRows(n.rows * d.filterSelectivity(nil, pred))
	return n, in, nil
}

// windowKeysJunk reports whether a window of w sorts by a value its
// subquery's select list proj does not return, which PostgreSQL
// computes as an extra (junk) column of the subquery's rows.
func windowKeysJunk(proj *projectNode, w *windowNode) bool {
	for _, c := range w.clauseList() {
		for _, k := range c.keys {
			col, ok := k.e.(*colExpr)
			if !ok || col.level != 0 {
				return true
			}
			found := false
			for _, e := range proj.exprs {
				if pc, ok := e.(*colExpr); ok && pc.level == 0 && pc.idx == col.idx {
					found = true
				}
			}
			if !found {
				return true
			}
		}
	}
	return false
}
