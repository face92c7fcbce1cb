package sql

import (
	"bytes"
	"container/heap"
	"math"
	"slices"

	cheap "github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Nearest-first GiST scans: ORDER BY column <-> point over one table with
// a GiST index on the column reads the index's entries, orders them by
// the distance from the point to each entry's box (a lower bound of the
// value's distance, exact for a point), and reads rows in that order.
// Each row's exact distance is computed from the row; a row waits in a
// queue until no entry still to be read can be nearer (its lower bound is
// not smaller), as PostgreSQL's GiST reorders rows whose distance the
// index knows only approximately. Rows at one distance come in row key
// order, and rows whose distance is NULL last, as a stable sort of a
// sequential scan orders them, so the plan changes no result.

// amOrder is the ORDER BY of a nearest-first scan.
type amOrder struct {
	point expr     // the point the distances are measured from
	dist  expr     // the ORDER BY expression, over the table's row
	src   ast.Expr // the ORDER BY expression, for EXPLAIN
	sc    *scope
}

// orderByDistance makes scan a nearest-first GiST scan for the single
// ORDER BY key o (bound as dist), when an index serves it.
func (b *binder) orderByDistance(scan *scanNode, o ast.OrderItem, dist expr, sc *scope) bool {
	be, ok := o.Expr.(*ast.BinaryExpr)
	if !ok || be.Op != "<->" || o.Desc || o.NullsFirst != nil && *o.NullsFirst {
		return false
	}
	cr, ok := be.L.(*ast.ColumnRef)
	if !ok || !b.inScope(cr, sc) || !b.amConst(be.R, sc) {
		return false
	}
	col, level, _, err := sc.resolve(cr)
	if err != nil || level != 0 || col >= len(scan.table.Columns) {
		return false
	}
	if _, v, ok := b.s.settingValue("enable_indexscan"); ok && v == "off" {
		return false
	}
	point, err := b.bindExpr(be.R, sc)
	if err == nil && point.Type().ID == types.Unknown {
		// column <-> 'x' takes the literal as a point for every
		// geometric type GiST indexes.
		point, err = b.cast(point, types.New(types.PointType), false, 0)
	}
	if err != nil || point.Type().ID != types.PointType {
		return false
	}
	for i := range scan.table.Indexes {
		idx := &scan.table.Indexes[i]
		if idx.Method != "gist" || idx.Predicate != "" || idx.Columns[0] != col || idx.KeyExpr(0) != "" {
			continue
		}
		if scan.am != nil && (scan.am.index.ID != idx.ID || scan.am.bitmap) {
			continue
		}
		if scan.am == nil {
			scan.am = &amScan{index: *idx}
		}
		scan.am.order = &amOrder{point: point, dist: dist, src: o.Expr, sc: sc}
		return true
	}
	return false
}

// boxDistance is the distance from p to the nearest point of box e.
func boxDistance(p types.Point, e geoBox) float64 {
	dx := math.Max(0, math.Max(e.xlo-p.X, p.X-e.xhi))
	dy := math.Max(0, math.Max(e.ylo-p.Y, p.Y-e.yhi))
	return math.Hypot(dx, dy)
}

// knnRow is a row read by a nearest-first scan, waiting for its turn.
type knnRow struct {
	rank int // 0 a number, 1 NaN, 2 NULL
	dist float64
	pk   []byte
	t    cheap.Tuple
}

type knnQueue []knnRow

func (q knnQueue) Len() int { return len(q) }
func (q knnQueue) Less(i, j int) bool {
	if q[i].rank != q[j].rank {
		return q[i].rank < q[j].rank
	}
	if q[i].rank == 0 && q[i].dist != q[j].dist {
		return q[i].dist < q[j].dist
	}
	return bytes.Compare(q[i].pk, q[j].pk) < 0
}
func (q knnQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *knnQueue) Push(x any)   { *q = append(*q, x.(knnRow)) }
func (q *knnQueue) Pop() any {
	old := *q
	r := old[len(old)-1]
	*q = old[:len(old)-1]
	return r
}

// scan visits the rows of entries nearest first.
func (o *amOrder) scan(ec *evalCtx, table *catalog.TableDesc, entries []indexEntry, visit func(cheap.Tuple) error) error {
	x := ec.exec
	pv, err := o.point.Eval(ec, nil)
	if err != nil {
		return err
	}
	p, ok := pv.(types.Point)
	if !ok {
		return nil // NULL: the order is no order; the rows come as entries do
	}
	type candidate struct {
		bound float64
		ent   indexEntry
	}
	cands := make([]candidate, len(entries))
	for i, e := range entries {
		// An entry whose box says nothing (NULL, NaN) is read first; its
		// row waits in the queue for its place. Others are bounded below
		// by their box's distance, lowered a little so that rounding in
		// the operators' own arithmetic never puts a row after one that
		// is farther.
		bound := math.Inf(-1)
		if b, notNull := gistKeyBox(e.key); notNull {
			if d := boxDistance(p, b); !math.IsNaN(d) {
				bound = d - d*1e-9
			}
		}
		cands[i] = candidate{bound, e}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.bound < b.bound:
			return -1
		case a.bound > b.bound:
			return 1
		}
		return 0
	})
	var queue knnQueue
	seen := make(map[string]bool)
	emit := func(limit float64, all bool) error {
		for queue.Len() > 0 && (all || queue[0].rank == 0 && queue[0].dist < limit) {
			r := heap.Pop(&queue).(knnRow)
			if err := visit(r.t); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range cands {
		if err := emit(c.bound, false); err != nil {
			return err
		}
		if seen[string(c.ent.pk)] {
			continue
		}
		err := x.s.e.heap.ScanKey(x.snap, table.StorageID(), c.ent.pk, func(t cheap.Tuple) error {
			row, err := types.DecodeRow(t.Data)
			if err != nil {
				return err
			}
			d, err := o.dist.Eval(ec, row)
			if err != nil {
				return err
			}
			f, ok := d.(float64)
			rank := 0
			switch {
			case !ok:
				rank = 2 // NULL sorts last
			case math.IsNaN(f):
				rank = 1 // then NaN, above every number
			}
			seen[string(c.ent.pk)] = true
			heap.Push(&queue, knnRow{rank: rank, dist: f, pk: c.ent.pk, t: t})
			return nil
		})
		if err != nil {
			return err
		}
	}
	return emit(0, true)
}
