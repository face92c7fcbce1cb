package shard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// fanout says how the rows a statement returns from every node are merged
// into its answer. The statement goes to each node unchanged, so each
// node's part is already filtered, projected, ordered, limited and, for
// count, sum, min and max, aggregated over its own shards.
type fanout struct {
	order []orderKey
	limit ast.Expr // nil: none
	// distinct drops duplicate rows across nodes.
	distinct bool
	// aggs, when set, has per output column how it combines across
	// nodes: aggGroup for a GROUP BY column (rows with equal groups are
	// combined), or the aggregate's combination.
	aggs []agg
}

type agg int

const (
	aggGroup agg = iota
	aggSum       // sum and count: the parts add up
	aggMin
	aggMax
)

type orderKey struct {
	pos        int    // 1-based output column, 0 when named
	name       string // output column name
	desc       bool
	nullsFirst bool
}

// aggregateNames are the aggregate functions cairn and PostgreSQL know;
// a fan-out query using one the coordinator cannot combine is refused.
var aggregateNames = map[string]bool{
	"count": true, "sum": true, "min": true, "max": true, "avg": true,
	"bool_and": true, "bool_or": true, "every": true, "string_agg": true, "array_agg": true,
	"json_agg": true, "jsonb_agg": true, "json_object_agg": true, "jsonb_object_agg": true,
	"variance": true, "var_pop": true, "var_samp": true, "stddev": true, "stddev_pop": true,
	"stddev_samp": true, "bit_and": true, "bit_or": true, "bit_xor": true, "corr": true,
	"covar_pop": true, "covar_samp": true, "percentile_cont": true, "percentile_disc": true,
	"mode": true, "any_value": true, "range_agg": true, "range_intersect_agg": true, "xmlagg": true,
	"regr_avgx": true, "regr_avgy": true, "regr_count": true, "regr_intercept": true,
	"regr_r2": true, "regr_slope": true, "regr_sxx": true, "regr_sxy": true, "regr_syy": true,
}

func isAggCall(e ast.Expr) bool {
	f, ok := e.(*ast.FuncCall)
	return ok && (f.Over != nil || aggregateNames[f.Name] || f.Star || f.Distinct || f.Filter != nil || len(f.OrderBy) > 0)
}

func hasAgg(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if isAggCall(x) {
			found = true
		}
		return !found
	})
	return found
}

func notFanout(t *Table, why string) error {
	return pgerr.New(pgerr.FeatureNotSupported, "a query on distributed table %s that does not name one shard cannot have %s yet", t.Name, why)
}

// planFanout says how to merge x's rows from every node of t, or why they
// cannot be.
func planFanout(x *ast.SelectStmt, t *Table) (*fanout, error) {
	switch {
	case x.Op != "":
		return nil, notFanout(t, x.Op)
	case len(x.With) > 0:
		return nil, notFanout(t, "WITH")
	case len(x.From) != 1:
		return nil, notFanout(t, "more than one FROM item")
	case x.Offset != nil:
		return nil, notFanout(t, "OFFSET")
	case x.Having != nil:
		return nil, notFanout(t, "HAVING")
	}
	if _, ok := x.From[0].(*ast.TableRef); !ok {
		return nil, notFanout(t, "a join or subquery in FROM")
	}
	f := &fanout{distinct: x.Distinct, limit: x.Limit}
	if x.Limit != nil && !isConstant(x.Limit) {
		return nil, notFanout(t, "a LIMIT that is not a constant")
	}
	groups := map[string]bool{}
	for _, g := range x.GroupBy {
		c, ok := g.(*ast.ColumnRef)
		if !ok {
			return nil, notFanout(t, "GROUP BY other than columns")
		}
		groups[c.Column] = true
	}
	aggregating := len(x.GroupBy) > 0
	for _, tg := range x.Targets {
		if tg.Expr != nil && hasAgg(tg.Expr) {
			aggregating = true
		}
	}
	for _, o := range x.OrderBy {
		if hasAgg(o.Expr) {
			return nil, notFanout(t, "ORDER BY an aggregate (order by its output column instead)")
		}
	}
	if aggregating {
		if x.Limit != nil {
			return nil, notFanout(t, "LIMIT with aggregates")
		}
		for _, tg := range x.Targets {
			if tg.Star {
				return nil, notFanout(t, "* with aggregates")
			}
			switch e := tg.Expr.(type) {
			case *ast.FuncCall:
				if e.Over != nil || e.Distinct || len(e.OrderBy) > 0 || hasAggArgs(e) {
					return nil, notFanout(t, "the aggregate "+e.Name+" in this form")
				}
				switch e.Name {
				case "count", "sum":
					f.aggs = append(f.aggs, aggSum)
				case "min":
					f.aggs = append(f.aggs, aggMin)
				case "max":
					f.aggs = append(f.aggs, aggMax)
				default:
					return nil, notFanout(t, "the aggregate "+e.Name)
				}
			case *ast.ColumnRef:
				if !groups[e.Column] {
					return nil, notFanout(t, "a column outside GROUP BY beside aggregates")
				}
				f.aggs = append(f.aggs, aggGroup)
			default:
				return nil, notFanout(t, "an expression over aggregates")
			}
		}
	}
	for _, o := range x.OrderBy {
		k := orderKey{desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		switch e := o.Expr.(type) {
		case *ast.Literal:
			if e.Kind != "int" {
				return nil, notFanout(t, "ORDER BY a constant")
			}
			fmt.Sscan(e.Text, &k.pos)
		case *ast.ColumnRef:
			k.name = e.Column
		default:
			return nil, notFanout(t, "ORDER BY an expression (order by an output column instead)")
		}
		f.order = append(f.order, k)
	}
	return f, nil
}

func hasAggArgs(f *ast.FuncCall) bool {
	for _, a := range f.Args {
		if hasAgg(a) {
			return true
		}
	}
	return hasAgg(f.Filter)
}

// merge combines the parts of every node into the statement's result.
func (f *fanout) merge(parts []*sql.Result, limit int64) (*sql.Result, error) {
	out := &sql.Result{Columns: parts[0].Columns}
	for _, p := range parts {
		out.Rows = append(out.Rows, p.Rows...)
	}
	var err error
	if f.aggs != nil {
		if out.Rows, err = f.combine(out.Columns, out.Rows); err != nil {
			return nil, err
		}
	}
	if f.distinct {
		seen := map[string]bool{}
		kept := out.Rows[:0]
		for _, r := range out.Rows {
			k := rowKey(out.Columns, r, nil)
			if !seen[k] {
				seen[k] = true
				kept = append(kept, r)
			}
		}
		out.Rows = kept
	}
	if len(f.order) > 0 {
		cols := make([]int, len(f.order))
		for i, k := range f.order {
			cols[i] = -1
			if k.pos > 0 && k.pos <= len(out.Columns) {
				cols[i] = k.pos - 1
			}
			for j, c := range out.Columns {
				if k.pos == 0 && c.Name == k.name {
					cols[i] = j
					break
				}
			}
			if cols[i] < 0 {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "a query on a distributed table that does not name one shard can order only by its output columns")
			}
		}
		slices.SortStableFunc(out.Rows, func(a, b []types.Datum) int {
			for i, k := range f.order {
				if c := compareKey(a[cols[i]], b[cols[i]], k); c != 0 {
					return c
				}
			}
			return 0
		})
	}
	if f.limit != nil && int64(len(out.Rows)) > limit {
		out.Rows = out.Rows[:max(limit, 0)]
	}
	out.Tag = fmt.Sprintf("SELECT %d", len(out.Rows))
	return out, nil
}

func compareKey(a, b types.Datum, k orderKey) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		if k.nullsFirst {
			return -1
		}
		return 1
	case b == nil:
		if k.nullsFirst {
			return 1
		}
		return -1
	}
	c := types.Compare(a, b)
	if k.desc {
		return -c
	}
	return c
}

// rowKey is a text key of a row's columns (of those where pick is true;
// all when pick is nil), NULL told apart from every string.
func rowKey(cols []sql.Column, row []types.Datum, pick func(int) bool) string {
	var b strings.Builder
	for i, d := range row {
		if pick != nil && !pick(i) {
			continue
		}
		if d == nil {
			b.WriteString("\x00N")
			continue
		}
		b.WriteString("\x00V")
		b.WriteString(strings.ReplaceAll(types.FormatTextStyle(cols[i].Type, d, types.Style{}), "\x00", "\x00\x00"))
	}
	return b.String()
}

// combine merges the partial aggregates of rows with equal groups.
func (f *fanout) combine(cols []sql.Column, rows [][]types.Datum) ([][]types.Datum, error) {
	if len(f.aggs) != len(cols) {
		return nil, pgerr.New(pgerr.InternalError, "%d columns from the nodes, %d planned", len(cols), len(f.aggs))
	}
	isGroup := func(i int) bool { return f.aggs[i] == aggGroup }
	index := map[string]int{}
	var out [][]types.Datum
	for _, r := range rows {
		k := rowKey(cols, r, isGroup)
		i, ok := index[k]
		if !ok {
			index[k] = len(out)
			out = append(out, slices.Clone(r))
			continue
		}
		acc := out[i]
		for c, a := range f.aggs {
			var err error
			if acc[c], err = combineOne(a, acc[c], r[c]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func combineOne(a agg, x, y types.Datum) (types.Datum, error) {
	if a == aggGroup || y == nil {
		return x, nil
	}
	if x == nil {
		return y, nil
	}
	switch a {
	case aggMin:
		if types.Compare(y, x) < 0 {
			return y, nil
		}
		return x, nil
	case aggMax:
		if types.Compare(y, x) > 0 {
			return y, nil
		}
		return x, nil
	}
	switch xv := x.(type) {
	case int64:
		if yv, ok := y.(int64); ok {
			s := xv + yv
			if (s > xv) != (yv > 0) {
				return nil, pgerr.New("22003", "bigint out of range")
			}
			return s, nil
		}
	case float64:
		if yv, ok := y.(float64); ok {
			return xv + yv, nil
		}
	case *apd.Decimal:
		if yv, ok := y.(*apd.Decimal); ok {
			var s apd.Decimal
			if _, err := types.NumericContext().Add(&s, xv, yv); err != nil {
				return nil, pgerr.Wrap(err, "22003")
			}
			return &s, nil
		}
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot add partial sums of %T across nodes", x)
}
