package sql

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/ast"
)

// Join order. A FROM list's items (tables, subqueries, outer joins taken
// whole) run as a pipeline (joinexec.go): the first item's rows stream
// through one step per other item, each step a hash table of the item's
// rows probed with an equality to the items before it, or a nested loop
// over the item's rows when no equality connects them. Which item comes
// first and in what order the others follow is chosen by cost, as
// PostgreSQL's join search does: the rows of every set of items are
// estimated from the items' rows after their own conditions and the
// selectivity of the conditions between them (selectivity.go), and
//
//   - up to join_collapse_limit items (from_collapse_limit for a list of
//     tables without JOIN; both 8 by default; never above dpItemsMax),
//     dynamic programming over the sets of items finds the cheapest
//     order: the cheapest way to join a set is the cheapest way to join
//     the set without one of its items, plus the step that joins that
//     item;
//   - above, a greedy search: from each possible first item, repeatedly
//     the cheapest next item connected by a condition, the cheapest of
//     those orders.
//
// A step's cost is PostgreSQL's cost constants over the rows it handles:
// the item's rows hashed (or kept), the rows reaching it probed, the
// candidate pairs checked and the rows passed on. A LATERAL item comes
// after the items it reads. Only the order changes, never the result.
// With join_collapse_limit = 1, a FROM list written with JOIN keeps its
// written order, as PostgreSQL keeps explicit JOINs unreordered then. When
// the estimates cannot tell the cost-chosen order from the order cairn
// takes without costs (the first item with a condition of its own, then
// each item an equality connects), the latter is kept.

// joinEstimate is what ordering a multiJoinNode's items needs: each item's
// estimated rows before and after its own conditions, and the
// selectivity of each condition between items.
type joinEstimate struct {
	raw, rows []float64
	conds     []condSel
	// keyDistinct holds, for each equality (by conjunct), the distinct
	// values of its left and right side when a side is a column of one
	// item (0 when unknown): a hash table on that side has buckets of
	// rows / distinct entries.
	keyDistinct map[int][2]float64
}

// condSel is a condition between items: the items it reads and the
// fraction of their combinations it keeps.
type condSel struct {
	items uint64
	sel   float64
}

// card is the estimated rows of joining the items in set.
func (je *joinEstimate) card(set uint64) float64 {
	r := 1.0
	for s := set; s != 0; s &= s - 1 {
		r *= je.rows[bits.TrailingZeros64(s)]
	}
	for _, c := range je.conds {
		if c.items&^set == 0 {
			r *= c.sel
		}
	}
	return math.Max(r, 1)
}

// dpItemsMax bounds the items dynamic programming orders, whatever the
// collapse limits say: its work and memory double with each item (at
// PostgreSQL's geqo_threshold, 12, PostgreSQL turns to its genetic
// search).
const dpItemsMax = 12

// defaultItemRows is the rows assumed of a FROM item that is no table
// (a subquery or function), as PostgreSQL assumes of a function.
const defaultItemRows = 1000

// estimateJoin estimates the items and conditions of a FROM list.
func (b *binder) estimateJoin(items []fromItem, conjs []*conjunct, sc *scope) *joinEstimate {
	env := &selEnv{b: b, sc: sc, items: items, stats: make([]*relStats, len(items)), rows: make([]float64, len(items))}
	je := &joinEstimate{raw: env.rows, rows: make([]float64, len(items))}
	counts := b.s.e.heap.TableCounts()
	for i, it := range items {
		env.rows[i] = defaultItemRows
		switch p := it.p.(type) {
		case *scanNode:
			env.stats[i] = b.s.e.statisticsOf(b.snap, p.table)
			env.rows[i] = b.tableRows(p, env.stats[i], counts)
		case *valuesNode:
			env.rows[i] = math.Max(1, float64(len(p.rows)))
		}
		je.rows[i] = env.rows[i]
	}
	je.keyDistinct = make(map[int][2]float64)
	for k, c := range conjs {
		if be, ok := c.ast.(*ast.BinaryExpr); ok && c.eqL != nil {
			je.keyDistinct[k] = [2]float64{env.keyDistinct(be.L), env.keyDistinct(be.R)}
		}
	}
	own := make([][]ast.Expr, len(items))
	for _, c := range conjs {
		if c.complex || c.items == 0 {
			continue
		}
		if c.items&(c.items-1) == 0 {
			i := bits.TrailingZeros64(c.items)
			own[i] = append(own[i], c.ast)
			continue
		}
		je.conds = append(je.conds, condSel{items: c.items, sel: env.clauseSel(c.ast)})
	}
	for i, conds := range own {
		if len(conds) > 0 {
			je.rows[i] = math.Max(1, je.rows[i]*env.conjSel(conds))
		}
	}
	return je
}

// tableRows is the estimated live rows of a scanned table. Once
// analyzed: those the heap counted written since the server started,
// else those ANALYZE found. Never analyzed: as PostgreSQL, at least ten
// pages' worth of rows, so that a small table is not taken for an empty
// one that will stay empty.
func (b *binder) tableRows(x *scanNode, st *relStats, counts map[uint32]heap.TableCounts) float64 {
	live := -1.0
	if c, ok := counts[x.table.StorageID()]; ok && c.Inserted > 0 {
		live = math.Max(0, float64(c.Inserted)-float64(c.Deleted))
	}
	if st != nil {
		if live >= 0 {
			return live
		}
		return st.rows
	}
	width := float64(widthOf(x.cols[:len(x.table.Columns)]))
	return math.Max(live, defaultPages*math.Max(1, math.Floor(blockBytes/(width+tupleOverhead))))
}

// connects reports whether an equality joins item j to the items in set
// (the step would probe a hash table), and the selectivity of the first
// such equality.
func (n *multiJoinNode) connects(set uint64, j int) (bool, int) {
	for k, c := range n.conjs {
		if c.eqL == nil {
			continue
		}
		if (c.eqLItems&^set == 0 && c.eqRItems == 1<<uint(j)) || (c.eqRItems&^set == 0 && c.eqLItems == 1<<uint(j)) {
			return true, k
		}
	}
	return false, -1
}

// stepCost is the cost of joining item j to the rows of the items in set.
func (n *multiJoinNode) stepCost(je *joinEstimate, set uint64, j int) float64 {
	in := je.card(set)
	out := je.card(set | 1<<uint(j))
	rows := je.rows[j]
	cost := je.raw[j] * cpuOperatorCost // the item's own conditions
	if n.items[j].deps != 0 {
		// A LATERAL item runs once per row reaching it.
		return cost*in + in*rows*cpuTupleCost + out*cpuTupleCost
	}
	if ok, k := n.connects(set, j); ok {
		// Each row reaching the step meets a bucket of the hash table:
		// the item's rows over the distinct values of its key, unknown
		// as PostgreSQL's default number of distinct values.
		nd := je.keyDistinct[k][0]
		if n.conjs[k].eqLItems != 1<<uint(j) {
			nd = je.keyDistinct[k][1]
		}
		if nd <= 0 {
			nd = defaultNumDistinct
		}
		bucket := rows / math.Max(1, math.Min(nd, rows))
		cand := math.Max(in*bucket, out)
		// Hashing a row (an entry made and kept) costs more than
		// probing with one.
		return cost + rows*(2*cpuOperatorCost+cpuTupleCost) + in*cpuOperatorCost + cand*cpuOperatorCost + out*cpuTupleCost
	}
	// A nested loop keeps the item's rows and reads them per row.
	return cost + rows*(cpuTupleCost+2*cpuOperatorCost) + in*rows*cpuOperatorCost + out*cpuTupleCost
}

// firstCost is the cost of reading item i first: its own conditions
// checked on its rows, and the rows passed on.
func (n *multiJoinNode) firstCost(je *joinEstimate, i int) float64 {
	return je.raw[i]*cpuOperatorCost + je.rows[i]*cpuTupleCost
}

// orderCost is the cost of joining the items in the order seq.
func (n *multiJoinNode) orderCost(je *joinEstimate, seq []int) float64 {
	set := uint64(1) << uint(seq[0])
	cost := n.firstCost(je, seq[0])
	for _, j := range seq[1:] {
		cost += n.stepCost(je, set, j)
		set |= 1 << uint(j)
	}
	return cost
}

// heuristicOrder is the order cairn takes without costs.
func (n *multiJoinNode) heuristicOrder() []int {
	saved := n.seq
	n.seq = nil
	o := n.order()
	n.seq = saved
	seq := []int{o.first}
	for _, st := range o.steps {
		seq = append(seq, st.item)
	}
	return seq
}

// chooseOrder sets the order the items are joined in (n.seq).
func (n *multiJoinNode) chooseOrder(je *joinEstimate, limit int, syntactic bool) {
	n.est = je
	if len(n.items) < 2 {
		return
	}
	if syntactic {
		n.seq = make([]int, len(n.items))
		for i := range n.seq {
			n.seq[i] = i
		}
		return
	}
	var best []int
	if len(n.items) <= min(limit, dpItemsMax) {
		best = n.dpOrder(je)
	} else {
		best = n.greedyOrder(je)
	}
	heur := n.heuristicOrder()
	if best == nil || n.orderCost(je, best) >= n.orderCost(je, heur)*(1-1e-9) {
		return // keep the order taken without costs
	}
	n.seq = best
}

// dpOrder is the cheapest order, by dynamic programming over the sets of
// items; nil when none exists (LATERAL dependencies that cannot be met).
func (n *multiJoinNode) dpOrder(je *joinEstimate) []int {
	count := len(n.items)
	full := uint64(1)<<uint(count) - 1
	cost := make([]float64, full+1)
	last := make([]int8, full+1)
	for s := range cost {
		cost[s] = math.Inf(1)
	}
	for i, it := range n.items {
		if it.deps == 0 {
			cost[1<<uint(i)] = n.firstCost(je, i)
			last[1<<uint(i)] = int8(i)
		}
	}
	for set := uint64(1); set <= full; set++ {
		if set&(set-1) == 0 {
			continue
		}
		for s := set; s != 0; s &= s - 1 {
			j := bits.TrailingZeros64(s)
			rest := set &^ (1 << uint(j))
			if math.IsInf(cost[rest], 1) || n.items[j].deps&^rest != 0 {
				continue
			}
			if c := cost[rest] + n.stepCost(je, rest, j); c < cost[set] {
				cost[set], last[set] = c, int8(j)
			}
		}
	}
	if math.IsInf(cost[full], 1) {
		return nil
	}
	seq := make([]int, count)
	for set, k := full, count-1; k >= 0; k-- {
		seq[k] = int(last[set])
		set &^= 1 << uint(last[set])
	}
	return seq
}

// greedyOrder is the cheapest of the orders that start from each item and
// then take the cheapest next item, among those an equality connects when
// there are some.
func (n *multiJoinNode) greedyOrder(je *joinEstimate) []int {
	var best []int
	bestCost := math.Inf(1)
	for first, it := range n.items {
		if it.deps != 0 {
			continue
		}
		seq := []int{first}
		set := uint64(1) << uint(first)
		cost := n.firstCost(je, first)
		for len(seq) < len(n.items) {
			pick, pickCost, pickConnected := -1, math.Inf(1), false
			for j, jt := range n.items {
				if set&(1<<uint(j)) != 0 || jt.deps&^set != 0 {
					continue
				}
				connected, _ := n.connects(set, j)
				c := n.stepCost(je, set, j)
				if (connected && !pickConnected) || (connected == pickConnected && c < pickCost) {
					pick, pickCost, pickConnected = j, c, connected
				}
			}
			if pick < 0 {
				break
			}
			seq = append(seq, pick)
			set |= 1 << uint(pick)
			cost += pickCost
		}
		if len(seq) == len(n.items) && cost < bestCost {
			best, bestCost = seq, cost
		}
	}
	return best
}

// planJoinOrder estimates a FROM list's items and conditions and chooses
// the order they are joined in; explicit is whether the list was written
// with JOIN.
func (b *binder) planJoinOrder(n *multiJoinNode, sc *scope, explicit bool) {
	limitName := "from_collapse_limit"
	if explicit {
		limitName = "join_collapse_limit"
	}
	limit := b.intSetting(limitName, 8)
	syntactic := explicit && b.intSetting("join_collapse_limit", 8) == 1
	n.chooseOrder(b.estimateJoin(n.items, n.conjs, sc), limit, syntactic)
}

// intSetting is the session's integer setting name, or def.
func (b *binder) intSetting(name string, def int) int {
	if v, err := strconv.Atoi(b.s.settings[name]); err == nil {
		return v
	}
	return def
}
