package sql

import (
	"slices"
	"sort"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// A windowNode computes its functions one window at a time, as
// PostgreSQL stacks one WindowAgg per distinct window: the functions
// with the same PARTITION BY, ORDER BY and frame share a winClause. The
// windows run in PostgreSQL's order (select_active_windows), which puts
// windows whose sort order another window's extends next to each
// other, so that a window whose order the rows already have sorts
// nothing; the rows come out in the last window's order.

// winClause is one distinct window of a windowNode.
type winClause struct {
	funcs []int // indexes into the node's funcs
	// keys are the window's sort keys: the PARTITION BY values, then
	// the ORDER BY ones, each only once.
	keys []winKey
	// sorts is set when the rows must be sorted for this window;
	// presorted is how many leading keys the rows are already sorted by
	// (an incremental sort when more than zero).
	sorts     bool
	presorted int
	// runConds are the run conditions of the window's functions
	// (windowrun.go).
	runConds []*runCond
	// sortStats and aggStats count the rows of the window's Sort and
	// WindowAgg under EXPLAIN ANALYZE (nil otherwise, and aggStats for
	// the top window, which is counted around the node).
	sortStats, aggStats *nodeStats
}

// winKey is one sort key of a window.
type winKey struct {
	e                expr
	key              string // the expression's identity
	ref              int    // order of first appearance, as sortgroupref
	desc, nullsFirst bool
}

func (k winKey) sameAs(o winKey) bool {
	return k.key == o.key && k.desc == o.desc && k.nullsFirst == o.nullsFirst
}

// clauses returns the node's windows in the order they run, planning
// them on first use.
func (n *windowNode) clauseList() []*winClause {
	if n.clauses != nil {
		return n.clauses
	}
	refs := make(map[string]int)
	ref := func(k string) int {
		if r, ok := refs[k]; ok {
			return r
		}
		refs[k] = len(refs) + 1
		return refs[k]
	}
	byWindow := make(map[string]*winClause)
	var clauses []*winClause
	for i, f := range n.funcs {
		id := f.windowID()
		if c, ok := byWindow[id]; ok {
			c.funcs = append(c.funcs, i)
			continue
		}
		// PostgreSQL numbers a window's ORDER BY expressions before its
		// PARTITION BY ones (transformWindowDefinitions).
		for _, k := range f.orderKeys {
			ref(k)
		}
		c := &winClause{funcs: []int{i}}
		add := func(k winKey) {
			for _, have := range c.keys {
				if have.key == k.key || n.equalKeys(have.e, k.e) {
					return
				}
			}
			c.keys = append(c.keys, k)
		}
		for j, p := range f.partition {
			add(winKey{e: p, key: f.partKeys[j], ref: ref(f.partKeys[j])})
		}
		for j, o := range f.order {
			k := f.keys[j]
			add(winKey{e: o, key: f.orderKeys[j], ref: ref(f.orderKeys[j]), desc: k.desc, nullsFirst: k.nullsFirst})
		}
		byWindow[id] = c
		clauses = append(clauses, c)
	}
	// PostgreSQL's common_prefix_cmp: the later-referenced key first,
	// descending before ascending, NULLS FIRST before NULLS LAST; a
	// window whose keys extend another's before it.
	sort.SliceStable(clauses, func(a, b int) bool {
		ka, kb := clauses[a].keys, clauses[b].keys
		for i := 0; i < len(ka) && i < len(kb); i++ {
			x, y := ka[i], kb[i]
			switch {
			case x.ref != y.ref:
				return x.ref > y.ref
			case x.desc != y.desc:
				return x.desc
			case x.nullsFirst != y.nullsFirst:
				return x.nullsFirst
			}
		}
		return len(ka) > len(kb)
	})
	var cur []winKey
	for _, c := range clauses {
		common := 0
		for common < len(c.keys) && common < len(cur) && c.keys[common].sameAs(cur[common]) {
			common++
		}
		if common == len(c.keys) {
			continue
		}
		c.sorts, c.presorted = true, common
		cur = c.keys
	}
	n.clauses = clauses
	return clauses
}

// windowID identifies f's window: functions with equal ones share it.
func (f *winFunc) windowID() string {
	id := "P"
	for _, k := range f.partKeys {
		id += "\x00" + k
	}
	id += "\x01O"
	for i, k := range f.orderKeys {
		id += "\x00" + k
		if f.keys[i].desc {
			id += "d"
		}
		if f.keys[i].nullsFirst {
			id += "f"
		}
	}
	fr := f.frame
	id += "\x01F" + fr.Mode + "/" + fr.Start.Kind + "/" + fr.End.Kind + "/" + fr.Exclude
	if fr.Start.Offset != nil {
		id += "/" + exprKey(fr.Start.Offset)
	}
	if fr.End.Offset != nil {
		id += "/" + exprKey(fr.End.Offset)
	}
	return id
}

// sortForWindow sorts rows by c's keys: all of them, or, when the rows
// are already sorted by the first presorted ones, each run of rows equal
// on those in batches as PostgreSQL's Incremental Sort sorts them.
func (c *winClause) sortForWindow(ec *evalCtx, rows [][]types.Datum) ([][]types.Datum, error) {
	type keyed struct {
		vals []types.Datum
		row  []types.Datum
	}
	items := make([][]types.Datum, len(rows))
	for i, r := range rows {
		if err := ec.exec.tick(); err != nil {
			return nil, err
		}
		vals := make([]types.Datum, 0, len(c.keys)+1)
		for _, k := range c.keys {
			v, err := k.e.Eval(ec, r)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		items[i] = append(vals, int64(i))
	}
	keys := make([]sortKey, len(c.keys))
	for i, k := range c.keys {
		keys[i] = sortKey{idx: i, desc: k.desc, nullsFirst: k.nullsFirst}
	}
	if c.presorted == 0 {
		if err := sortRows(ec, items, keys); err != nil {
			return nil, err
		}
	} else {
		// Incremental Sort's full-sort batches: at least minGroupBatch
		// rows, ending where the presorted values change.
		const minGroupBatch = 32
		for lo := 0; lo < len(items); {
			hi := min(lo+minGroupBatch, len(items))
			for hi < len(items) && windowPeers(items[hi-1][:c.presorted], items[hi][:c.presorted]) {
				hi++
			}
			if err := sortRows(ec, items[lo:hi], keys); err != nil {
				return nil, err
			}
			lo = hi
		}
	}
	out := make([][]types.Datum, len(rows))
	for i, it := range items {
		out[i] = rows[it[len(it)-1].(int64)]
	}
	return out, nil
}

// partitionsOf splits rows, sorted for f's window, into its partitions.
func (f *winFunc) partitionsOf(ec *evalCtx, rows [][]types.Datum) ([][]winRow, error) {
	var parts [][]winRow
	var prev []types.Datum
	for i, r := range rows {
		if err := ec.exec.tick(); err != nil {
			return nil, err
		}
		part := make([]types.Datum, len(f.partition))
		for j, p := range f.partition {
			v, err := p.Eval(ec, r)
			if err != nil {
				return nil, err
			}
			part[j] = v
		}
		wr := winRow{row: r, keys: make([]types.Datum, len(f.order))}
		for j, o := range f.order {
			v, err := o.Eval(ec, r)
			if err != nil {
				return nil, err
			}
			wr.keys[j] = v
		}
		if i == 0 || !windowPeers(prev, part) {
			parts = append(parts, nil)
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], wr)
		prev = part
	}
	return parts, nil
}

// runClauses computes the node's functions window by window over rows
// (each already extended by the functions' columns) and returns the
// rows in the last window's order, without those a run condition
// stopped.
func (n *windowNode) runClauses(ec *evalCtx, rows [][]types.Datum) ([][]types.Datum, error) {
	width := n.width()
	clauses := n.clauseList()
	for ci, c := range clauses {
		if c.sorts {
			var err error
			if rows, err = c.sortForWindow(ec, rows); err != nil {
				return nil, err
			}
			if st := c.sortStats; st != nil {
				st.loops++
				st.rows += int64(len(rows))
			}
		}
		parts, err := n.funcs[c.funcs[0]].partitionsOf(ec, rows)
		if err != nil {
			return nil, err
		}
		top := ci == len(clauses)-1
		kept := rows[:0:0]
		for _, part := range parts {
			for _, k := range c.funcs {
				if err := n.funcs[k].compute(ec, part, width+k); err != nil {
					return nil, err
				}
			}
			stop := c.runStop(part, width)
			for i, wr := range part {
				if i < stop {
					kept = append(kept, wr.row)
					continue
				}
				if top {
					break
				}
				// Below the top window the rows still pass, for the
				// windows above, without this window's values; the top
				// window's filter drops them.
				for _, k := range c.funcs {
					wr.row[width+k] = nil
				}
				kept = append(kept, wr.row)
			}
		}
		rows = kept
		if st := c.aggStats; st != nil {
			st.loops++
			st.rows += int64(len(rows))
		}
		if top {
			rows = slices.DeleteFunc(rows, func(r []types.Datum) bool { return !n.lowerRunConds(r, width) })
		}
	}
	return rows, nil
}

// windowKeysOf returns the identities of a window's PARTITION BY and
// ORDER BY expressions.
func windowKeysOf(spec *ast.WindowSpec) (part, order []string) {
	for _, p := range spec.PartitionBy {
		part = append(part, exprKey(p))
	}
	for _, o := range spec.OrderBy {
		order = append(order, exprKey(o.Expr))
	}
	return part, order
}

// equalKeys reports whether the WHERE clause below the window makes two
// sort keys equal on every row: columns it compares with =, as
// PostgreSQL's equivalence classes make the later one's sort redundant.
func (n *windowNode) equalKeys(a, b expr) bool {
	ca, ok := a.(*colExpr)
	cb, ok2 := b.(*colExpr)
	if !ok || !ok2 || ca.level != 0 || cb.level != 0 {
		return false
	}
	// Follow the equalities until nothing new is reached.
	reached := map[int]bool{ca.idx: true}
	for grew := true; grew; {
		grew = false
		for _, eq := range n.equalCols {
			if reached[eq[0]] != reached[eq[1]] {
				reached[eq[0]], reached[eq[1]] = true, true
				grew = true
			}
		}
	}
	return reached[cb.idx]
}

// whereEqualColumns returns the pairs of columns a WHERE clause's
// conjuncts compare with =, both of one type (or both integers), as
// input columns of sc.
func whereEqualColumns(where ast.Expr, sc *scope) [][2]int {
	var out [][2]int
	for _, c := range splitAnd(where) {
		be, ok := c.(*ast.BinaryExpr)
		if !ok || be.Op != "=" {
			continue
		}
		l, ok := be.L.(*ast.ColumnRef)
		r, ok2 := be.R.(*ast.ColumnRef)
		if !ok || !ok2 {
			continue
		}
		li, ll, _, err := sc.resolve(l)
		if err != nil || ll != 0 {
			continue
		}
		ri, rl, _, err := sc.resolve(r)
		lt, rt := sc.cols[li].t, sc.cols[ri].t
		// The integer types compare in one operator family, as equals.
		if err != nil || rl != 0 || lt.ID != rt.ID && !(lt.IsInteger() && rt.IsInteger()) {
			continue
		}
		out = append(out, [2]int{li, ri})
	}
	return out
}
