package sql

import (
	"math"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Estimates. EXPLAIN's estimated rows and costs are PostgreSQL's cost
// model over what cairn knows: the row versions written to each table
// since the server started, else the rows the last ANALYZE found, else
// PostgreSQL's size for a table never analyzed (10 pages). Selectivities
// come from ANALYZE's statistics where a table has them
// (selectivity.go), else are PostgreSQL's defaults. The numbers order
// plans as PostgreSQL's do; they are not PostgreSQL's.

// PostgreSQL's default cost constants (costsize.c).
const (
	seqPageCost     = 1.0
	randomPageCost  = 4.0
	cpuTupleCost    = 0.01
	cpuOperatorCost = 0.0025
	// blockBytes is the usable space of a heap page; tupleOverhead the
	// header and line pointer of a tuple.
	blockBytes    = 8192 - 24
	tupleOverhead = 24 + 4
	// defaultPages is the size PostgreSQL assumes for a table never
	// vacuumed or analyzed.
	defaultPages = 10
	// defaultGroups is PostgreSQL's estimate of the groups of an
	// expression it has no statistics for.
	defaultGroups = 200
)

// tableEstimate is the rows and pages of a scanned table.
func (d *describer) tableEstimate(x *scanNode) (rows, pages float64) {
	width := float64(widthOf(x.cols[:len(x.table.Columns)]))
	perPage := math.Floor(blockBytes / (width + tupleOverhead))
	if perPage < 1 {
		perPage = 1
	}
	counts := d.b.s.e.heap.TableCounts()
	c, ok := counts[x.table.StorageID()]
	if !ok || c.Inserted == 0 {
		if st := d.b.s.e.statisticsOf(d.b.snap, x.table); st != nil {
			// No writes counted since the server started: what the
			// last ANALYZE found.
			return st.rows, math.Max(1, st.pages)
		}
		return defaultPages * perPage, defaultPages
	}
	live := float64(c.Inserted) - float64(c.Deleted)
	if live < 0 {
		live = 0
	}
	pages = math.Max(1, math.Ceil(live/perPage))
	return live, pages
}

// typeWidth is PostgreSQL's average width of a value of t without
// statistics (get_typavgwidth: 32 for variable-length types).
func typeWidth(t types.T) int {
	switch t.ID {
	case types.Bool:
		return 1
	case types.Int2:
		return 2
	case types.Int4, types.Float4, types.Date, types.OID:
		return 4
	case types.Int8, types.Float8, types.Timestamp, types.TimestampTZ, types.Time, types.MoneyType:
		return 8
	case types.UUID, types.Interval:
		return 16
	case types.Bpchar, types.Varchar:
		if t.Mod > 4 {
			return int(t.Mod - 4)
		}
	}
	return 32
}

func widthOf(cols []Column) int {
	w := 0
	for _, c := range cols {
		w += typeWidth(c.Type)
	}
	return w
}

func clampRows(r float64) float64 {
	if r < 1 {
		return 1
	}
	return math.Round(r)
}

// selectivityOf is PostgreSQL's default selectivity of a condition: an
// equality 0.005, a range 1/3, anything else 0.5; conjuncts multiply.
func selectivityOf(a ast.Expr) float64 {
	if a == nil {
		return 0.5
	}
	sel := 1.0
	for _, c := range splitAnd(a) {
		be, ok := c.(*ast.BinaryExpr)
		switch {
		case ok && be.Op == "=":
			sel *= 0.005
		case ok && (be.Op == "<" || be.Op == "<=" || be.Op == ">" || be.Op == ">="):
			sel *= 1.0 / 3
		default:
			sel *= 0.5
		}
	}
	return sel
}

func (d *describer) limitCost(n, child *explainNode, x *limitNode) {
	n.rows, n.width = child.rows, child.width
	if c, ok := x.limit.(*constExpr); ok {
		if v, ok := c.v.(int64); ok && float64(v) < child.rows {
			n.rows = math.Max(float64(v), 1)
		}
	}
	n.startup = child.startup
	n.total = child.startup
	if child.rows > 0 {
		n.total += (child.total - child.startup) * n.rows / child.rows
	}
}

func sortCost(n, child *explainNode) {
	n.rows, n.width = child.rows, child.width
	rows := math.Max(child.rows, 2)
	n.startup = child.total + 2*cpuOperatorCost*rows*math.Log2(rows)
	n.total = n.startup + cpuOperatorCost*rows
}

func aggCost(n, child *explainNode, grouped bool) {
	n.width = child.width
	n.startup = child.total + child.rows*cpuOperatorCost
	if !grouped {
		n.rows = 1
		n.total = n.startup + cpuTupleCost
		return
	}
	n.rows = math.Min(defaultGroups, math.Max(child.rows, 1))
	n.total = n.startup + n.rows*cpuTupleCost
}
