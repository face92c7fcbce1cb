package sql

import (
	"time"

	"github.com/cairndb/cairn/sql/types"
)

// nodeStats are what EXPLAIN ANALYZE counts for a plan node: the rows it
// produced, how many times it was started, and the time spent in it,
// from its first row (startup) and in all (total), summed over loops.
type nodeStats struct {
	rows, loops    int64
	startup, total time.Duration
}

// analyzedNode counts the rows and loops of the plan it wraps, and times
// it when the clock is given. Only EXPLAIN ANALYZE builds it, so a
// statement run otherwise pays nothing. countIf, when set, counts only
// the rows that satisfy those conditions (a join item's own conditions,
// applied by the join as it reads the item).
type analyzedNode struct {
	in      plan
	stats   *nodeStats
	countIf []*conjunct
	// countOff and countWidth place the node's row among the columns
	// countIf reads.
	countOff, countWidth int
	clock                func() time.Time
}

// wrap returns p wrapped to count into stats, or p when nothing is
// counted.
func (d *describer) wrap(p plan, stats *nodeStats, countIf []*conjunct) plan {
	if stats == nil || !d.opts.analyze {
		return p
	}
	n := &analyzedNode{in: p, stats: stats, countIf: countIf}
	if d.opts.timing {
		n.clock = d.b.s.e.now
	}
	return n
}

func (n *analyzedNode) columns() []Column { return n.in.columns() }

func (n *analyzedNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

// stream counts each row handed on. The time spent by the consumer of a
// row (the nodes above) is not this node's: it is taken out of the total.
func (n *analyzedNode) stream(ec *evalCtx, fn rowFn) error {
	st := n.stats
	st.loops++
	var scratch []types.Datum
	if n.countIf != nil {
		scratch = make([]types.Datum, n.countWidth)
	}
	var start, first time.Time
	var above time.Duration
	if n.clock != nil {
		start = n.clock()
	}
	count := func(r []types.Datum) error {
		if n.countIf != nil {
			// The conditions read the row at its place among the
			// join's columns.
			copy(scratch[n.countOff:], r)
			ok, err := passesAll(ec, n.countIf, scratch)
			if err != nil {
				return err
			}
			if !ok {
				return fn(r)
			}
		}
		st.rows++
		if n.clock == nil {
			return fn(r)
		}
		now := n.clock()
		if first.IsZero() {
			first = now
			st.startup += now.Sub(start)
		}
		err := fn(r)
		above += n.clock().Sub(now)
		return err
	}
	err := streamRows(ec, n.in, count)
	if n.clock != nil {
		if first.IsZero() {
			st.startup += n.clock().Sub(start)
		}
		st.total += n.clock().Sub(start) - above
	}
	return err
}

// countingExpr stands for the WHERE condition of an UPDATE or DELETE
// under EXPLAIN ANALYZE, which reads its table itself: it counts the
// rows the condition is evaluated on and those it passes. With no
// condition (in is nil) every row passes.
type countingExpr struct {
	in           expr
	read, passed *nodeStats
}

func (e *countingExpr) Type() types.T { return types.New(types.Bool) }

func (e *countingExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	e.passed.loops = 1
	e.read.rows++
	if e.in == nil {
		e.passed.rows++
		return true, nil
	}
	v, err := e.in.Eval(c, row)
	if v == true {
		e.passed.rows++
	}
	return v, err
}
