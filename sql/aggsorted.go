package sql

import (
	"github.com/cairndb/cairn/sql/types"
)

// Sorted aggregation (PostgreSQL's GroupAggregate). With enable_hashagg
// off, PostgreSQL does not hash GROUP BY: it sorts the input on the
// grouping columns and aggregates each run of equal keys as it ends.
// cairn does the same, so that EXPLAIN shows the plan that runs and the
// groups come out in the sort's order. Only plain GROUP BY of columns of
// the query level is sorted this way (not grouping sets, and not
// expressions, which the sort below would first have to compute).

// planSortedAggregate makes n a sorted aggregation when enable_hashagg is
// off and its groups allow: its input sorted on the groups written in
// GROUP BY (columns grouped because a primary key is depend on it, and
// need no sorting). When the query's ORDER BY (keys, over the select
// list exprs) names exactly those groups, the input is sorted in its
// order and directions, as PostgreSQL reorders GROUP BY to match ORDER
// BY, and it reports that the aggregation's output needs no sort of its
// own.
func (b *binder) planSortedAggregate(n *aggNode, a *aggScope, order []sortKey, exprs []expr) (ordered bool) {
	if len(n.groups) == 0 || n.sets != nil || b.s == nil {
		return false
	}
	if _, v, ok := b.s.settingValue("enable_hashagg"); !ok || v != "off" {
		return false
	}
	var keys []sortKey
	written := map[int]bool{} // positions in groups
	for i, g := range n.groups {
		c, ok := g.(*colExpr)
		if !ok || c.level != 0 {
			return false
		}
		if checkOrderable(c.Type(), "ordering", 0) != nil {
			return false
		}
		if a.keys[i] != dependentKey {
			keys = append(keys, sortKey{idx: c.idx})
			written[i] = true
		}
	}
	n.sorted = true
	if byOrder, positions := groupsInOrder(n, order, exprs, written); byOrder != nil {
		n.in = &sortNode{in: n.in, keys: byOrder}
		n.keyOrder = positions
		return true
	}
	n.in = &sortNode{in: n.in, keys: keys}
	return false
}

// groupsInOrder is the sort of n's input that yields its groups in the
// order of ORDER BY keys order (over exprs, whose group columns read
// n's output), and the groups' positions in that order: nil unless the
// keys name the written groups, each once, and nothing else.
func groupsInOrder(n *aggNode, order []sortKey, exprs []expr, written map[int]bool) ([]sortKey, []int) {
	if len(order) != len(written) {
		return nil, nil
	}
	var out []sortKey
	var positions []int
	seen := map[int]bool{}
	for _, k := range order {
		if k.idx >= len(exprs) {
			return nil, nil
		}
		c, ok := exprs[k.idx].(*colExpr)
		if !ok || c.level != 0 || !written[c.idx] || seen[c.idx] {
			return nil, nil
		}
		positions = append(positions, c.idx)
		seen[c.idx] = true
		in := n.groups[c.idx].(*colExpr)
		out = append(out, sortKey{idx: in.idx, desc: k.desc, nullsFirst: k.nullsFirst})
	}
	return out, positions
}

// aggregateSorted runs a sorted aggregation: each run of rows of equal
// group values is one group, handed to out when the next begins.
func (n *aggNode) aggregateSorted(ec *evalCtx, out rowFn) error {
	p := n.newPass(ec)
	defer p.close()
	var current string
	vals := make([]types.Datum, len(n.groups))
	err := streamRows(ec, n.in, func(r []types.Datum) error {
		if err := ec.exec.tick(); err != nil {
			return err
		}
		for i, e := range n.groups {
			v, err := e.Eval(ec, r)
			if err != nil {
				return err
			}
			vals[i] = v
		}
		key := string(groupKey(vals))
		if len(p.order) > 0 && key != current {
			if err := p.emit(out); err != nil {
				return err
			}
			p.close()
			p.groups = make(map[string]*aggGroup)
		}
		if len(p.order) == 0 {
			current = key
			if _, err := p.newGroup(append([]types.Datum(nil), vals...), key); err != nil {
				return err
			}
		}
		return p.feed(p.order[0], r)
	})
	if err != nil {
		return err
	}
	return p.emit(out)
}
