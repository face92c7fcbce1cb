package sql

// Inner-unique hash joins. When the rows in a hash join's table come
// from a table with a unique index (or primary key) whose columns are all
// among the join's hash keys, a key finds at most one row (NULL keys are
// never hashed), so the probe stops at the first match. EXPLAIN VERBOSE
// says so as PostgreSQL does: "Inner Unique: true".

// uniqueOnKeys reports whether the rows of p, a table's rows (filtered
// or not), are unique on the columns keys read; off is where p's columns
// start among those the keys are bound over.
func uniqueOnKeys(p plan, keys []expr, off int) bool {
	var scan *scanNode
	for scan == nil {
		switch x := p.(type) {
		case *filterNode:
			p = x.in
		case *analyzedNode:
			p = x.in
		case *scanNode:
			scan = x
		default:
			return false
		}
	}
	if len(scan.inh) > 0 || len(scan.cols) < len(scan.table.Columns) {
		// A hierarchy's unique index holds in each of its tables alone.
		return false
	}
	cols := make(map[int]bool, len(keys))
	for _, k := range keys {
		if c, ok := k.(*colExpr); ok && c.level == 0 {
			cols[c.idx-off] = true
		}
	}
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

// innerUnique reports whether each left row of the join meets at most
// one right row with its hash key.
func (n *joinNode) innerUnique() bool {
	return len(n.rkeys) > 0 && n.lat == nil && uniqueOnKeys(n.right, n.rkeys, len(n.left.columns()))
}
