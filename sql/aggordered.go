package sql

import (
	"math"
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Ordered-set aggregates, f(direct args) WITHIN GROUP (ORDER BY ...):
// percentile_cont and percentile_disc (of one fraction or an array of
// them), mode, and the hypothetical-set aggregates rank, dense_rank,
// percent_rank and cume_dist, which place the row their direct
// arguments make among the group's rows as the ORDER BY sorts them.
//
// The group's sort values are kept (as array_agg keeps its inputs) and
// sorted when the result is asked for. The one direct argument travels as
// aggSpec.sep, evaluated per row like string_agg's delimiter: PostgreSQL
// requires it to be the same for the whole group.

func isOrderedSetAgg(name string) bool {
	switch name {
	case "percentile_cont", "percentile_disc", "mode":
		return true
	}
	return false
}

func isHypotheticalAgg(name string) bool {
	switch name {
	case "rank", "dense_rank", "percent_rank", "cume_dist":
		return true
	}
	return false
}

// isAggregateCall reports whether a call is an aggregate: a built-in
// aggregate's name, a user-defined aggregate the binder marked, or any
// call WITHIN GROUP.
func isAggregateCall(f *ast.FuncCall) bool {
	return isAggregate(f.Name) || f.WithinGroup || f.UserAgg
}

// orderedSetSpec marks an aggSpec as an ordered-set aggregate.
type orderedSetSpec struct {
	// fracArray is set for percentile_*(float8[]).
	fracArray bool
	// groupedSep is the direct arguments' value (as sep) bound over the
	// group's row, for a query with grouping sets (aggordered_sets.go).
	groupedSep expr
}

func (b *binder) bindOrderedSetAgg(x *ast.FuncCall, spec *aggSpec, from *scope) (*aggSpec, error) {
	// PostgreSQL looks the function up by all its arguments, direct and
	// ordered, and only then finds the call's kind wrong.
	if !x.WithinGroup {
		if want := map[bool]int{true: 1, false: 2}[x.Name == "mode"]; len(x.Args) != want {
			return nil, b.undefinedAggregate(x, x.Args, nil, b.aggArgScope(from))
		}
		return nil, pgerr.New(pgerr.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", x.Name).WithPosition(x.Pos)
	}
	if !isOrderedSetAgg(x.Name) && !isHypotheticalAgg(x.Name) {
		if len(x.Args)+len(x.OrderBy) != 1 {
			return nil, b.undefinedAggregate(x, x.Args, x.OrderBy, b.aggArgScope(from))
		}
		return nil, pgerr.New(pgerr.WrongObjectType, "%s is not an ordered-set aggregate, so it cannot have WITHIN GROUP", x.Name).WithPosition(x.Pos)
	}
	for _, a := range x.Args {
		if b.nestedAggregate(a, from) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(a.Position())
		}
	}
	plain := b.aggArgScope(from)
	if err := b.bindAggOrder(x, spec, plain); err != nil {
		return nil, err
	}
	direct := make([]expr, len(x.Args))
	for i, a := range x.Args {
		e, err := b.bindExpr(a, b.directArgScope(plain))
		if err != nil {
			return nil, err
		}
		direct[i] = e
	}
	if plain.correlated {
		from.correlated = true
	}
	spec.ordered = &orderedSetSpec{}
	orderTypes := make([]types.T, len(spec.order))
	for i, o := range spec.order {
		orderTypes[i] = o.Type()
	}
	signature := func() error {
		names := make([]expr, 0, len(direct)+len(spec.order))
		names = append(append(names, direct...), spec.order...)
		return undefinedFunction(x.Name, names, x.Pos)
	}
	f8 := types.New(types.Float8)
	switch x.Name {
	case "mode":
		if len(direct) != 0 || len(spec.order) != 1 {
			return nil, signature()
		}
		spec.arg, spec.t = spec.order[0], orderTypes[0]
		return spec, nil
	case "percentile_cont", "percentile_disc":
		if len(direct) != 1 || len(spec.order) != 1 {
			return nil, signature()
		}
		frac := direct[0]
		ft := f8
		if frac.Type().IsArray() {
			ft = types.New(types.Float8Array)
			spec.ordered.fracArray = true
		}
		var err error
		if frac, err = b.cast(frac, ft, false, x.Pos); err != nil {
			return nil, err
		}
		spec.sep, spec.arg = frac, spec.order[0]
		vt := orderTypes[0]
		if x.Name == "percentile_cont" {
			if vt.ID != types.Interval {
				if !vt.IsNumeric() && vt.ID != types.Unknown {
					return nil, signature()
				}
				if spec.arg, err = b.cast(spec.arg, f8, false, x.Pos); err != nil {
					return nil, err
				}
				spec.order[0] = spec.arg
				vt = f8
			}
		}
		spec.t = vt
		if spec.ordered.fracArray {
			at, ok := types.ArrayOf(vt)
			if !ok {
				return nil, signature()
			}
			spec.t = at
		}
		return spec, nil
	}
	// Hypothetical-set: one direct argument per ORDER BY expression, of
	// its type.
	if len(direct) != len(spec.order) {
		return nil, signature()
	}
	for i := range direct {
		d, o := direct[i], spec.order[i]
		if d.Type().ID != o.Type().ID {
			var err error
			switch {
			case d.Type().ID == types.Unknown:
				d, err = b.cast(d, o.Type(), false, x.Pos)
			case o.Type().ID == types.Unknown:
				o, err = b.cast(o, d.Type(), false, x.Pos)
			case d.Type().IsNumeric() && o.Type().IsNumeric() || d.Type().IsString() && o.Type().IsString():
				d, o, _, err = b.unify(d, o, "=", x.Pos)
			default:
				err = pgerr.New(pgerr.DatatypeMismatch, "WITHIN GROUP types %s and %s cannot be matched", o.Type().Name(), d.Type().Name()).WithPosition(x.Pos)
			}
			if err != nil {
				return nil, err
			}
		}
		direct[i], spec.order[i] = d, o
	}
	spec.sep, spec.arg = &hypotheticalRowExpr{args: direct}, spec.order[0]
	switch x.Name {
	case "rank", "dense_rank":
		spec.t = types.New(types.Int8)
	default:
		spec.t = f8
	}
	return spec, nil
}

// addOrdered keeps one row's sort value: NULLs only for the
// hypothetical-set aggregates, which rank them as the ORDER BY places
// them.
func (a *accumulator) addOrdered(x *execCtx, v types.Datum) error {
	if v == nil && !isHypotheticalAgg(a.spec.name) {
		return nil
	}
	if err := x.grow(a.partBytes(v, nil)); err != nil {
		return err
	}
	a.count++
	a.parts = append(a.parts, aggPart{v: v, keys: a.keys})
	return nil
}

func (a *accumulator) orderedResult() (types.Datum, error) {
	a.sortParts()
	switch a.spec.name {
	case "mode":
		return a.modeResult(), nil
	case "percentile_cont", "percentile_disc":
		if a.sep == nil {
			return nil, nil
		}
		if !a.spec.ordered.fracArray {
			return a.percentile(a.sep.(float64))
		}
		in := a.sep.(*types.Array)
		out := &types.Array{Elems: make([]types.Datum, len(in.Elems)), Dims: in.Dims, Lower: in.Lower}
		for i, f := range in.Elems {
			if f == nil {
				continue
			}
			v, err := a.percentile(f.(float64))
			if err != nil {
				return nil, err
			}
			out.Elems[i] = v
		}
		return out, nil
	}
	return a.hypotheticalResult(), nil
}

// modeResult is the most frequent value, the first in sort order among
// equally frequent ones.
func (a *accumulator) modeResult() types.Datum {
	var best types.Datum
	bestN, run := 0, 0
	for i, p := range a.parts {
		if i > 0 && types.Compare(p.v, a.parts[i-1].v) == 0 {
			run++
		} else {
			run = 1
		}
		if run > bestN {
			best, bestN = p.v, run
		}
	}
	return best
}

func (a *accumulator) percentile(frac float64) (types.Datum, error) {
	if frac < 0 || frac > 1 || math.IsNaN(frac) {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "percentile value %s is not between 0 and 1", types.FormatText(types.New(types.Float8), frac))
	}
	n := len(a.parts)
	if n == 0 {
		return nil, nil
	}
	if a.spec.name == "percentile_disc" {
		row := int(math.Ceil(frac * float64(n)))
		if row < 1 {
			row = 1
		}
		return a.parts[row-1].v, nil
	}
	pos := frac * float64(n-1)
	lo, hi := int(math.Floor(pos)), int(math.Ceil(pos))
	if lo == hi {
		return a.parts[lo].v, nil
	}
	x, y := a.parts[lo].v.(float64), a.parts[hi].v.(float64)
	return x + (pos-float64(lo))*(y-x), nil
}

// hypotheticalResult places the row of the direct argument among the
// group's rows: rank counts the rows sorting before it, dense_rank the
// distinct ones, cume_dist the rows up to its last peer.
func (a *accumulator) hypotheticalResult() types.Datum {
	hyp, _ := a.sep.(hypotheticalRow)
	if hyp == nil {
		// No row was read: the comparisons below do not happen.
		hyp = make(hypotheticalRow, len(a.spec.keys))
	}
	before, peersOrBefore, distinctBefore := 0, 0, 0
	for i, p := range a.parts {
		switch {
		case lessRow(p.keys, hyp, a.spec.keys):
			before++
			peersOrBefore++
			if i == 0 || lessRow(a.parts[i-1].keys, p.keys, a.spec.keys) {
				distinctBefore++
			}
		case !lessRow(hyp, p.keys, a.spec.keys):
			peersOrBefore++
		}
	}
	n := float64(len(a.parts))
	switch a.spec.name {
	case "rank":
		return int64(before + 1)
	case "dense_rank":
		return int64(distinctBefore + 1)
	case "percent_rank":
		if n == 0 {
			return 0.0
		}
		return float64(before) / n
	}
	return float64(peersOrBefore+1) / (n + 1)
}

// undefinedAggregate is 42883 for a call whose arguments (direct, then
// ordered) match no signature of the aggregate.
func (b *binder) undefinedAggregate(x *ast.FuncCall, args []ast.Expr, order []ast.OrderItem, plain *scope) error {
	var bound []expr
	for _, a := range args {
		e, err := b.bindExpr(a, plain)
		if err != nil {
			return err
		}
		bound = append(bound, e)
	}
	for _, o := range order {
		e, err := b.bindExpr(o.Expr, plain)
		if err != nil {
			return err
		}
		bound = append(bound, e)
	}
	return undefinedFunction(x.Name, bound, x.Pos)
}

// hypotheticalRow is the row the direct arguments of a hypothetical-set
// aggregate make, as its ORDER BY keys.
type hypotheticalRow []types.Datum

// hypotheticalRowExpr evaluates the direct arguments of a hypothetical-set
// aggregate to the row they make. It is the aggregate's second argument
// (aggSpec.sep), read only by the aggregate itself.
type hypotheticalRowExpr struct {
	args []expr
}

func (e *hypotheticalRowExpr) Type() types.T { return types.New(types.Record) }

func (e *hypotheticalRowExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	out := make(hypotheticalRow, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// checkDirectArgsGrouped refuses direct arguments of an ordered-set
// aggregate that read a column of the query level that is not grouped:
// they are evaluated once per group, as PostgreSQL requires.
func (b *binder) checkDirectArgsGrouped(x *ast.FuncCall, a *aggScope) error {
	if !isOrderedSetAgg(x.Name) && !isHypotheticalAgg(x.Name) {
		return nil // bindOrderedSetAgg reports the call's kind first
	}
	plain := &scope{cols: a.from.cols, parent: a.from.parent}
	var bad error
	for _, arg := range x.Args {
		if key := exprKey(arg); slices.Contains(a.keys, key) {
			continue
		}
		ast.WalkExpr(arg, func(n ast.Expr) bool {
			if _, sub := n.(*ast.SubqueryExpr); sub || bad != nil {
				return false
			}
			ref, ok := n.(*ast.ColumnRef)
			if !ok || ref.Column == "*" {
				return true
			}
			idx, level, found, err := plain.resolve(ref)
			if err == nil && level == 0 {
				if _, grouped := a.groupCol[idx]; !grouped {
					bad = ungrouped(ref, found.cols[idx])
				}
			}
			return true
		})
	}
	return bad
}
