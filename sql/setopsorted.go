package sql

import (
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// Sorted set operations.
//
// PostgreSQL computes UNION, INTERSECT and EXCEPT by hashing unless
// enable_hashagg is off or a column's type cannot be hashed for them
// (money, records and composites, arrays of those); then it sorts the
// operands' rows on all columns and reads each run of equal rows once:
// Unique over Sort for UNION, SetOp over Sort for INTERSECT and EXCEPT.
// cairn does the same, so that its rows come out in the same (sorted)
// order and EXPLAIN shows the plan that runs.

// setOpSorted reports whether a UNION, INTERSECT or EXCEPT (not ALL for
// UNION) over columns of types cols runs sorted rather than hashed.
func (b *binder) setOpSorted(cols []Column) bool {
	if b.s != nil {
		if _, v, ok := b.s.settingValue("enable_hashagg"); ok && v == "off" {
			return true
		}
	}
	for _, c := range cols {
		if !setOpHashable(c.Type) {
			return true
		}
	}
	return false
}

// setOpHashable reports whether PostgreSQL hashes values of t in a set
// operation.
func setOpHashable(t types.T) bool {
	if e, ok := t.Elem(); ok {
		return setOpHashable(e)
	}
	return t.ID != types.MoneyType && t.ID != types.Record
}

// runSorted computes a set operation by sorting: all rows of both
// operands, each tagged with its side, sorted on every column, then each
// run of equal rows counted per side.
func (n *setOpNode) runSorted(ec *evalCtx) ([][]types.Datum, error) {
	l, err := n.left.run(ec)
	if err != nil {
		return nil, err
	}
	r, err := n.right.run(ec)
	if err != nil {
		return nil, err
	}
	width := len(n.cols)
	if err := ec.grow(int64(len(l)+len(r)) * sliceHeaderBytes); err != nil {
		return nil, err
	}
	// Each row carries its side after its columns; the sort keys are the
	// columns alone, and the sort is stable.
	all := make([][]types.Datum, 0, len(l)+len(r))
	for side, rows := range [][][]types.Datum{l, r} {
		for _, row := range rows {
			tagged := append(row[:width:width], side == 1)
			all = append(all, tagged)
		}
	}
	if width > 0 {
		keys := make([]sortKey, width)
		for i := range keys {
			keys[i] = sortKey{idx: i}
		}
		if err := sortRows(ec, all, keys); err != nil {
			return nil, err
		}
	}
	var out [][]types.Datum
	for start := 0; start < len(all); {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		key := string(groupKey(all[start][:width]))
		end := start
		left, right := 0, 0
		var first []types.Datum
		for end < len(all) && (end == start || string(groupKey(all[end][:width])) == key) {
			if all[end][width] == true {
				right++
			} else {
				if first == nil {
					first = all[end][:width]
				}
				left++
			}
			end++
		}
		if first == nil {
			first = all[start][:width]
		}
		for i := 0; i < n.sortedCopies(left, right); i++ {
			out = append(out, first)
		}
		start = end
	}
	return out, nil
}

// sortedCopies is how many copies of a run of equal rows, left of them
// from the left operand and right from the right, the operation returns.
func (n *setOpNode) sortedCopies(left, right int) int {
	switch {
	case n.op == "UNION":
		return 1
	case n.op == "INTERSECT" && n.all:
		return min(left, right)
	case n.op == "INTERSECT":
		if left > 0 && right > 0 {
			return 1
		}
	case n.all: // EXCEPT ALL
		return max(left-right, 0)
	case left > 0 && right == 0: // EXCEPT
		return 1
	}
	return 0
}

// sortedSetOp describes a sorted set operation: Unique or SetOp over a
// Sort on all columns (none when there are no columns) over app, the
// operands' Append.
func (d *describer) sortedSetOp(x *setOpNode, app *explainNode, op string) *explainNode {
	width := widthOf(x.cols)
	in := app
	if len(x.cols) > 0 {
		sort := d.node("Sort", "Sort")
		// The sort is done inside the operation's node, which counts no
		// rows of its own for it (as for the Append).
		sort.stats = nil
		sort.children = []*explainNode{app}
		if x.op == "UNION" {
			src := x.left
			keys := make([]sortKey, len(x.cols))
			for i := range keys {
				keys[i] = sortKey{idx: i}
			}
			d.propList(sort, "Sort Key", func() []string { return d.sortKeys(src, keys) })
		} else {
			// The operands are read through subquery scans named
			// "*SELECT* 1" and "*SELECT* 2"; the keys are the first's.
			cols := x.cols
			d.propList(sort, "Sort Key", func() []string {
				out := make([]string, len(cols))
				for i, c := range cols {
					out[i] = `"*SELECT* 1".` + parser.QuoteIdent(c.Name)
				}
				return out
			})
		}
		sortCost(sort, app)
		in = sort
	}
	var n *explainNode
	if x.op == "UNION" {
		n = d.node("Unique", "Unique")
	} else {
		n = d.node("SetOp", "SetOp "+op)
		n.strategy, n.command = "Sorted", op
	}
	n.children = []*explainNode{in}
	n.rows, n.width = in.rows, width
	n.startup, n.total = in.startup, in.total+in.rows*cpuOperatorCost
	return n
}
