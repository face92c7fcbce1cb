package sql

import (
	"math"
	"sort"
	"sync"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Selectivity: the fraction of rows a condition keeps, estimated as
// PostgreSQL's selfuncs.c does from what ANALYZE stored (analyze.go):
// an equality with a constant from the most common values, else from the
// distinct count; a range from the most common values and the
// histogram; IS NULL from the null fraction; AND multiplies, OR adds
// less the overlap, NOT complements; an equality between two tables'
// columns from both columns' distinct counts and most common values
// (eqjoinsel). Without statistics the estimates are PostgreSQL's
// defaults.

// PostgreSQL's default selectivities (selfuncs.h) and distinct count.
const (
	defaultEqSel       = 0.005
	defaultIneqSel     = 1.0 / 3
	defaultUnknownSel  = 0.005
	defaultOtherSel    = 0.5
	defaultNumDistinct = 200
)

// relStats are a table's statistics decoded for the planner.
type relStats struct {
	rows, pages float64
	cols        map[string]*colStats
}

// colStats are one column's statistics with its values decoded.
type colStats struct {
	catalog.ColumnStatistics
	mcv, hist []types.Datum
}

// statsCache keeps decoded statistics by table oid, with the tuple
// version they were decoded from: a plan reads the visible version's id
// and decodes only when it changed.
type statsCache struct {
	mu sync.Mutex
	m  map[uint32]cachedStats
}

type cachedStats struct {
	tuple string
	rel   *relStats
}

func (c *statsCache) forget(table uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, table)
}

// statisticsOf returns t's statistics visible to snap, of its columns as
// they are now (a column dropped or retyped since has none); nil when the
// table was never analyzed or they cannot be read (the planner then uses
// its defaults).
func (e *Engine) statisticsOf(snap txn.Snapshot, t *catalog.TableDesc) *relStats {
	st, err := e.cat.Statistics(snap, t.ID)
	if err != nil || st == nil {
		return nil
	}
	e.statsCache.mu.Lock()
	c, ok := e.statsCache.m[t.ID]
	e.statsCache.mu.Unlock()
	if !ok || c.tuple != string(st.Tuple) {
		c = cachedStats{tuple: string(st.Tuple), rel: decodeRelStats(&st.TableStatistics)}
		e.statsCache.mu.Lock()
		if e.statsCache.m == nil {
			e.statsCache.m = make(map[uint32]cachedStats)
		}
		e.statsCache.m[t.ID] = c
		e.statsCache.mu.Unlock()
	}
	out := &relStats{rows: c.rel.rows, pages: c.rel.pages, cols: make(map[string]*colStats, len(t.Columns))}
	for _, col := range t.Columns {
		if cs := c.rel.cols[col.Name]; cs != nil && cs.Type.ID == col.Type.ID {
			out.cols[col.Name] = cs
		}
	}
	return out
}

func decodeRelStats(st *catalog.TableStatistics) *relStats {
	r := &relStats{rows: st.Rows, pages: st.Pages, cols: make(map[string]*colStats, len(st.Columns))}
	for _, c := range st.Columns {
		cs := &colStats{ColumnStatistics: c}
		if len(c.MCV) > 0 {
			if vals, err := types.DecodeRow(c.MCV); err == nil && len(vals) == len(c.MCF) {
				cs.mcv = vals
			} else {
				cs.MCF = nil
			}
		}
		if len(c.Histogram) > 0 {
			if vals, err := types.DecodeRow(c.Histogram); err == nil {
				cs.hist = vals
			}
		}
		r.cols[c.Name] = cs
	}
	return r
}

// distinct is the column's estimated number of distinct values in a
// table of rows rows.
func (cs *colStats) distinct(rows float64) float64 {
	nd := cs.Distinct
	if nd < 0 {
		nd = -nd * rows
	}
	return math.Max(1, math.Round(nd))
}

func (cs *colStats) sumMCF() float64 {
	s := 0.0
	for _, f := range cs.MCF {
		s += f
	}
	return s
}

// eqSel is the selectivity of col = v (var_eq_const).
func (cs *colStats) eqSel(v types.Datum, rows float64) float64 {
	if v == nil {
		return 0
	}
	for k, m := range cs.mcv {
		if types.Compare(m, v) == 0 {
			return cs.MCF[k]
		}
	}
	sel := clamp01(1 - cs.sumMCF() - cs.NullFrac)
	if other := cs.distinct(rows) - float64(len(cs.mcv)); other > 1 {
		sel /= other
	}
	if n := len(cs.MCF); n > 0 && sel > cs.MCF[n-1] {
		sel = cs.MCF[n-1]
	}
	return sel
}

// ltSel is the selectivity of col < v (or <= with orEqual), from the
// most common values and the histogram (scalarineqsel).
func (cs *colStats) ltSel(v types.Datum, orEqual bool) float64 {
	if v == nil {
		return 0
	}
	mcvSel := 0.0
	for k, m := range cs.mcv {
		if c := types.Compare(m, v); c < 0 || (orEqual && c == 0) {
			mcvSel += cs.MCF[k]
		}
	}
	rest := clamp01(1 - cs.sumMCF() - cs.NullFrac)
	histSel := 0.5
	if len(cs.hist) >= 2 {
		histSel = histogramFraction(cs.hist, v)
	} else if len(cs.mcv) > 0 && rest == 0 {
		histSel = 0
	}
	return clamp01(mcvSel + histSel*rest)
}

// histogramFraction is the fraction of the histogram's population below
// v, interpolating within a bucket when the values are numbers.
func histogramFraction(hist []types.Datum, v types.Datum) float64 {
	n := len(hist)
	if types.Compare(v, hist[0]) <= 0 {
		return 0
	}
	if types.Compare(v, hist[n-1]) >= 0 {
		return 1
	}
	// hist[i] < v <= hist[i+1]
	i := sort.Search(n, func(k int) bool { return types.Compare(hist[k], v) >= 0 }) - 1
	frac := 0.5
	lo, okLo := datumNumber(hist[i])
	hi, okHi := datumNumber(hist[i+1])
	x, okX := datumNumber(v)
	if okLo && okHi && okX && hi > lo {
		frac = (x - lo) / (hi - lo)
	}
	return (float64(i) + frac) / float64(n-1)
}

func datumNumber(v types.Datum) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func clamp01(f float64) float64 { return math.Min(math.Max(f, 0), 1) }

// eqJoinSel is the selectivity of a.x = b.y between two tables' columns
// (eqjoinsel_inner): the matching most common values counted exactly,
// the rest spread over the distinct values; without most common values
// on both sides, 1 / the larger distinct count. A nil side has no
// statistics: its distinct count is its rows when the column is unique
// or the rows are fewer than defaultNumDistinct, else
// defaultNumDistinct.
func eqJoinSel(a, b *colStats, rowsA, rowsB float64, uniqueA, uniqueB bool) float64 {
	ndOf := func(cs *colStats, rows float64, unique bool) (nd, nullFrac float64) {
		if cs == nil {
			if rows < defaultNumDistinct || unique {
				return math.Max(rows, 1), 0
			}
			return defaultNumDistinct, 0
		}
		return math.Min(cs.distinct(rows), math.Max(rows, 1)), cs.NullFrac
	}
	nd1, nf1 := ndOf(a, rowsA, uniqueA)
	nd2, nf2 := ndOf(b, rowsB, uniqueB)
	if a == nil || b == nil || len(a.mcv) == 0 || len(b.mcv) == 0 {
		return (1 - nf1) * (1 - nf2) / math.Max(nd1, nd2)
	}
	matched2 := make([]bool, len(b.mcv))
	var matchProd, match1, match2 float64
	nmatches := 0
	for i, v := range a.mcv {
		for j, w := range b.mcv {
			if !matched2[j] && types.Compare(v, w) == 0 {
				matched2[j] = true
				matchProd += a.MCF[i] * b.MCF[j]
				match1 += a.MCF[i]
				match2 += b.MCF[j]
				nmatches++
				break
			}
		}
	}
	sum1, sum2 := a.sumMCF(), b.sumMCF()
	unmatch1, unmatch2 := sum1-match1, sum2-match2
	other1, other2 := clamp01(1-nf1-sum1), clamp01(1-nf2-sum2)
	n1, n2 := float64(len(a.mcv)), float64(len(b.mcv))
	total1 := matchProd
	if nd2 > n2 {
		total1 += unmatch1 * other2 / (nd2 - n2)
	}
	if nd2 > float64(nmatches) {
		total1 += other1 * (other2 + unmatch2) / (nd2 - float64(nmatches))
	}
	total2 := matchProd
	if nd1 > n1 {
		total2 += unmatch2 * other1 / (nd1 - n1)
	}
	if nd1 > float64(nmatches) {
		total2 += other2 * (other1 + unmatch1) / (nd1 - float64(nmatches))
	}
	return math.Min(total1, total2)
}

// columnOf resolves e, when it is a plain column reference of this query
// level, to the FROM item it belongs to and its position there.
func (b *binder) columnOf(e ast.Expr, sc *scope, items []fromItem) (item, col int, ok bool) {
	ref, isRef := e.(*ast.ColumnRef)
	if !isRef {
		return 0, 0, false
	}
	idx, level, _, err := sc.resolve(ref)
	if err != nil || level != 0 {
		return 0, 0, false
	}
	for i, it := range items {
		if idx >= it.off && idx < it.off+it.width {
			return i, idx - it.off, true
		}
	}
	return 0, 0, false
}

// constantOf is the value of e when it is a constant (a literal,
// possibly cast or negated) of type t; ok is false otherwise.
func (b *binder) constantOf(e ast.Expr, sc *scope, t types.T) (types.Datum, bool) {
	simple := true
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch x.(type) {
		case *ast.Literal, *ast.CastExpr, *ast.UnaryExpr:
			return true
		}
		simple = false
		return false
	})
	if !simple {
		return nil, false
	}
	v, err := b.bindExpr(e, sc)
	if err != nil {
		return nil, false
	}
	if v, err = b.coerce(v, t, "selectivity", 0); err != nil {
		return nil, false
	}
	c, ok := v.(*constExpr)
	if !ok {
		return nil, false
	}
	return c.v, true
}

// selEnv is what estimating a FROM list's conditions needs: the binder
// and scope the conditions bind in, the items, and each item's rows and
// statistics (nil for an item that is no analyzed table).
type selEnv struct {
	b     *binder
	sc    *scope
	items []fromItem
	stats []*relStats
	rows  []float64 // each item's rows before its own conditions
}

// colStatsOf returns the statistics of column col of item i.
func (env *selEnv) colStatsOf(i, col int) *colStats {
	if i >= len(env.stats) || env.stats[i] == nil {
		return nil
	}
	scan, ok := env.items[i].p.(*scanNode)
	if !ok || col >= len(scan.table.Columns) {
		return nil
	}
	return env.stats[i].cols[scan.table.Columns[col].Name]
}

// unique reports whether column col of item i is a table's primary key
// or unique index alone, so that its values are distinct.
func (env *selEnv) unique(i, col int) bool {
	scan, ok := env.items[i].p.(*scanNode)
	if !ok {
		return false
	}
	t := scan.table
	if len(t.PK) == 1 && t.PK[0] == col {
		return true
	}
	for _, ix := range t.Indexes {
		if ix.Unique && !ix.Computed() && len(ix.Columns) == 1 && ix.Columns[0] == col {
			return true
		}
	}
	return false
}

// keyDistinct is the distinct values of e when it is a column of one
// item: from its statistics, or its item's rows when it is unique; 0 when
// unknown.
func (env *selEnv) keyDistinct(e ast.Expr) float64 {
	i, col, ok := env.b.columnOf(e, env.sc, env.items)
	if !ok {
		return 0
	}
	if cs := env.colStatsOf(i, col); cs != nil {
		return cs.distinct(env.rowsOf(i))
	}
	if env.unique(i, col) || env.rowsOf(i) < defaultNumDistinct {
		return env.rowsOf(i)
	}
	return 0
}

// columnType is the type of column col of item i.
func (env *selEnv) columnType(i, col int) types.T {
	return env.items[i].p.columns()[col].Type
}

// clauseSel estimates the selectivity of one condition.
func (env *selEnv) clauseSel(a ast.Expr) float64 {
	switch x := a.(type) {
	case *ast.BinaryExpr:
		switch x.Op {
		case "AND":
			return env.clauseSel(x.L) * env.clauseSel(x.R)
		case "OR":
			l, r := env.clauseSel(x.L), env.clauseSel(x.R)
			return l + r - l*r
		case "=", "<>", "!=", "<", "<=", ">", ">=":
			return env.compareSel(x)
		}
	case *ast.UnaryExpr:
		if x.Op == "NOT" {
			return 1 - env.clauseSel(x.X)
		}
	case *ast.ColumnRef:
		// A boolean column alone is column = true (boolvarsel).
		if i, col, ok := env.b.columnOf(x, env.sc, env.items); ok && env.columnType(i, col).ID == types.Bool {
			if cs := env.colStatsOf(i, col); cs != nil {
				return cs.eqSel(true, env.rowsOf(i))
			}
		}
	case *ast.IsExpr:
		if x.What == "NULL" {
			sel := defaultUnknownSel
			if i, col, ok := env.b.columnOf(x.X, env.sc, env.items); ok {
				if cs := env.colStatsOf(i, col); cs != nil {
					sel = cs.NullFrac
				}
			}
			if x.Not {
				return 1 - sel
			}
			return sel
		}
	case *ast.InExpr:
		if x.Query == nil && x.Array == nil && x.Op == "" {
			sel := 0.0
			for _, v := range x.List {
				sel += env.compareSel(&ast.BinaryExpr{Op: "=", L: x.X, R: v})
			}
			sel = clamp01(sel)
			if x.Not {
				return 1 - sel
			}
			return sel
		}
	case *ast.BetweenExpr:
		if !x.Symmetric {
			sel := env.conjSel([]ast.Expr{&ast.BinaryExpr{Op: ">=", L: x.X, R: x.Lo}, &ast.BinaryExpr{Op: "<=", L: x.X, R: x.Hi}})
			if x.Not {
				return 1 - sel
			}
			return sel
		}
	}
	return defaultOtherSel
}

// rangeSel combines x >= lo and x <= hi on one column as PostgreSQL's
// clauselist_selectivity does: the two fractions (each counting the
// column's NULLs out) overlap by the range. A bound estimated without
// statistics gives PostgreSQL's default for a range.
func rangeSel(lo, hi, nullFrac float64) float64 {
	if lo == defaultIneqSel || hi == defaultIneqSel {
		return 0.005 // DEFAULT_RANGE_INEQ_SEL
	}
	sel := lo + hi - 1 + nullFrac
	if sel <= 0 {
		return 1e-10
	}
	return sel
}

// conjSel estimates conditions that all hold: their selectivities
// multiply, but a lower and an upper bound on the same column combine
// as a range (rangeSel).
func (env *selEnv) conjSel(conds []ast.Expr) float64 {
	type bounds struct {
		lo, hi         float64
		haveLo, haveHi bool
		nullFrac       float64
	}
	ranges := map[[2]int]*bounds{}
	var order [][2]int
	sel := 1.0
	for _, c := range conds {
		be, ok := c.(*ast.BinaryExpr)
		if ok && (be.Op == "<" || be.Op == "<=" || be.Op == ">" || be.Op == ">=") {
			op := be.Op
			i, col, isCol := env.b.columnOf(be.L, env.sc, env.items)
			if !isCol {
				i, col, isCol = env.b.columnOf(be.R, env.sc, env.items)
				op = flipCompare(op)
			}
			if isCol {
				key := [2]int{i, col}
				r := ranges[key]
				if r == nil {
					r = &bounds{lo: 1, hi: 1}
					if cs := env.colStatsOf(i, col); cs != nil {
						r.nullFrac = cs.NullFrac
					}
					ranges[key] = r
					order = append(order, key)
				}
				s := env.compareSel(be)
				if op == ">" || op == ">=" {
					r.lo, r.haveLo = math.Min(r.lo, s), true
				} else {
					r.hi, r.haveHi = math.Min(r.hi, s), true
				}
				continue
			}
		}
		sel *= env.clauseSel(c)
	}
	for _, key := range order {
		r := ranges[key]
		switch {
		case r.haveLo && r.haveHi:
			sel *= rangeSel(r.lo, r.hi, r.nullFrac)
		case r.haveLo:
			sel *= r.lo
		default:
			sel *= r.hi
		}
	}
	return sel
}

// compareSel estimates a comparison: of a column with a constant from the
// column's statistics, of two items' columns with = from eqJoinSel, else
// PostgreSQL's defaults.
func (env *selEnv) compareSel(x *ast.BinaryExpr) float64 {
	op := x.Op
	def := defaultOtherSel
	switch op {
	case "=":
		def = defaultEqSel
	case "<>", "!=":
		def = 1 - defaultEqSel
	default:
		def = defaultIneqSel
	}
	li, lcol, lok := env.b.columnOf(x.L, env.sc, env.items)
	ri, rcol, rok := env.b.columnOf(x.R, env.sc, env.items)
	if lok && rok {
		if op == "=" && li != ri {
			return eqJoinSel(env.colStatsOf(li, lcol), env.colStatsOf(ri, rcol), env.rowsOf(li), env.rowsOf(ri),
				env.unique(li, lcol), env.unique(ri, rcol))
		}
		return def
	}
	if !lok && rok {
		// const op col: flip to col op' const.
		li, lcol, lok = ri, rcol, true
		x = &ast.BinaryExpr{Op: flipCompare(op), L: x.R, R: x.L}
		op = x.Op
	}
	if !lok {
		return def
	}
	cs := env.colStatsOf(li, lcol)
	if cs == nil {
		return def
	}
	v, ok := env.b.constantOf(x.R, env.sc, env.columnType(li, lcol))
	if !ok {
		return def
	}
	rows := env.rowsOf(li)
	switch op {
	case "=":
		return cs.eqSel(v, rows)
	case "<>", "!=":
		if v == nil {
			return 0
		}
		return clamp01(1 - cs.eqSel(v, rows) - cs.NullFrac)
	case "<":
		return cs.ltSel(v, false)
	case "<=":
		return cs.ltSel(v, true)
	case ">":
		if v == nil {
			return 0
		}
		return clamp01(1 - cs.NullFrac - cs.ltSel(v, true))
	case ">=":
		if v == nil {
			return 0
		}
		return clamp01(1 - cs.NullFrac - cs.ltSel(v, false))
	}
	return def
}

func (env *selEnv) rowsOf(i int) float64 {
	if i < len(env.rows) {
		return env.rows[i]
	}
	return 1000
}

// flipCompare is the operator that compares the other way round.
func flipCompare(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// filterSelectivity is the selectivity EXPLAIN shows for pred filtering
// scan's rows: from the table's statistics when it was analyzed, else
// PostgreSQL's defaults (selectivityOf).
func (d *describer) filterSelectivity(scan *scanNode, pred expr) float64 {
	o, ok := d.rec.exprs[pred]
	if !ok {
		return selectivityOf(nil)
	}
	if scan == nil || len(scan.inh) > 0 || o.sc == nil {
		return selectivityOf(o.ast)
	}
	st := d.b.s.e.statisticsOf(d.b.snap, scan.table)
	if st == nil {
		return selectivityOf(o.ast)
	}
	env := &selEnv{b: d.b, sc: o.sc, items: []fromItem{{p: scan, width: len(scan.cols)}},
		stats: []*relStats{st}, rows: []float64{d.b.tableRows(scan, st, d.b.s.e.heap.TableCounts())}}
	return env.conjSel(splitAnd(o.ast))
}
