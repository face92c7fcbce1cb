package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Window functions: f(...) OVER (PARTITION BY ... ORDER BY ... frame) in a
// query's select list or ORDER BY. They run after FROM, WHERE, GROUP BY
// and HAVING, over the rows those leave: windowNode adds one column per
// window function call to each row, and the select list reads it
// (winRefExpr). The ranking functions (row_number, rank, dense_rank,
// percent_rank, cume_dist, ntile), the value functions (lag, lead,
// first_value, last_value, nth_value) and every aggregate work, FILTER
// included; frames are the default one (RANGE BETWEEN UNBOUNDED
// PRECEDING AND CURRENT ROW: the row and its peers), ROWS, RANGE and
// GROUPS with offsets or unbounded ends, with or without an EXCLUDE
// clause (windowframe.go).

// windowScope collects the window function calls of one query level.
type windowScope struct {
	node *windowNode
	keys map[string]int // exprKey of a call -> its index in node.funcs
}

// winFunc is one window function call.
type winFunc struct {
	name string
	t    types.T
	args []expr
	// agg is set for an aggregate used as a window function.
	agg       *aggSpec
	partition []expr
	order     []expr
	keys      []sortKey // over the order values
	// partKeys and orderKeys identify the PARTITION BY and ORDER BY
	// expressions (windowclause.go).
	partKeys, orderKeys []string
	frame               ast.WindowFrame
	// start and end are the frame's offsets (nil when unbounded or
	// CURRENT ROW); a RANGE frame's have their in_range rule
	// (windowframe.go).
	start, end           expr
	startRange, endRange *rangeBound
	// moving: a user-defined aggregate run in moving-aggregate mode
	// (windowmoving.go).
	moving bool
}

// winRefExpr reads a window function's value from the row windowNode
// extended.
type winRefExpr struct {
	node *windowNode
	k    int
	t    types.T
}

func (e *winRefExpr) Type() types.T { return e.t }
func (e *winRefExpr) Eval(_ *evalCtx, row []types.Datum) (types.Datum, error) {
	return row[e.node.width()+e.k], nil
}

// windowNode computes the window functions over its input's rows and
// returns each row with their values appended, in the order of the last
// window's partitions and ORDER BY (as PostgreSQL's WindowAgg leaves them).
type windowNode struct {
	in    plan
	funcs []*winFunc
	// clauses are the distinct windows in the order they run, planned
	// on first use (windowclause.go).
	clauses []*winClause
	// fromSubquery is the alias of the FROM subquery whose select list
	// the node computes, if it does.
	fromSubquery string
	// subqueryJunk is set when a window sorts by a value the subquery's
	// select list does not return.
	subqueryJunk bool
	// equalCols are the pairs of input columns the WHERE clause below
	// makes equal (windowclause.go).
	equalCols [][2]int
}

func (n *windowNode) width() int { return len(n.in.columns()) }

func (n *windowNode) columns() []Column {
	cols := append([]Column(nil), n.in.columns()...)
	for _, f := range n.funcs {
		cols = append(cols, Column{Name: f.name, Type: f.t})
	}
	return cols
}

// isWindowOnly names the functions that exist only as window functions.
func isWindowOnly(name string) bool {
	switch name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
		"lag", "lead", "first_value", "last_value", "nth_value":
		return true
	}
	return false
}

// bindWindowCall binds f(...) OVER (...) in sc, whose query level takes
// window functions when sc.win is set.
func (b *binder) bindWindowCall(x *ast.FuncCall, sc *scope) (expr, error) {
	if sc == nil || sc.win == nil {
		return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed here").WithPosition(x.Pos)
	}
	w := sc.win
	key := exprKey(x)
	if k, ok := w.keys[key]; ok {
		return &winRefExpr{node: w.node, k: k, t: w.node.funcs[k].t}, nil
	}
	// The arguments and the window see the query level without its
	// window functions: a call inside them is nested.
	inner := &scope{cols: sc.cols, parent: sc.parent, agg: sc.agg, setOpLeaf: sc.setOpLeaf}
	defer func() {
		if inner.correlated {
			sc.correlated = true
		}
	}()
	f := &winFunc{name: x.Name, frame: x.Over.Frame}
	f.partKeys, f.orderKeys = windowKeysOf(x.Over)
	if x.Distinct {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "DISTINCT is not implemented for window functions").WithPosition(x.Pos)
	}
	if len(x.OrderBy) > 0 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "aggregate ORDER BY is not implemented for window functions").WithPosition(x.Pos)
	}
	for _, a := range x.Args {
		if hasWindowCall(a) {
			return nil, pgerr.New(pgerr.WindowingError, "window function calls cannot be nested").WithPosition(a.Position())
		}
	}
	for _, p := range x.Over.PartitionBy {
		if hasWindowCall(p) {
			return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed in window definitions").WithPosition(p.Position())
		}
		e, err := b.bindExpr(p, inner)
		if err != nil {
			return nil, err
		}
		f.partition = append(f.partition, e)
	}
	for i, o := range x.Over.OrderBy {
		if hasWindowCall(o.Expr) {
			return nil, pgerr.New(pgerr.WindowingError, "window functions are not allowed in window definitions").WithPosition(o.Expr.Position())
		}
		e, err := b.bindExpr(o.Expr, inner)
		if err != nil {
			return nil, err
		}
		k := sortKey{idx: i, desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		f.order = append(f.order, e)
		f.keys = append(f.keys, k)
	}
	if err := b.bindFrame(f, x); err != nil {
		return nil, err
	}
	if fr := x.Over.Frame; fr.Start.Kind == "unbounded following" || fr.End.Kind == "unbounded preceding" ||
		fr.Start.Kind == "current row" && fr.End.Kind == "preceding" ||
		fr.Start.Kind == "following" && (fr.End.Kind == "preceding" || fr.End.Kind == "current row") {
		return nil, pgerr.New(pgerr.WindowingError, "frame starting from %s cannot end with %s", fr.Start.Kind, fr.End.Kind).WithPosition(x.Pos)
	}

	switch {
	case isAggregate(x.Name) || x.UserAgg:
		if x.Star && x.Name != "count" && !x.UserAgg {
			return nil, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed", x.Name).WithPosition(x.Pos)
		}
		call := *x
		call.Over = nil
		saved := b.windowArgs
		b.windowArgs = inner
		spec, err := b.bindAggregate(&call, inner)
		b.windowArgs = saved
		if err != nil {
			return nil, err
		}
		f.agg, f.t = spec, spec.t
		f.moving = movingWindowAggregate(spec, x.Over.Frame, x, b.callsVolatile)
	case isWindowOnly(x.Name):
		if x.Star || x.Filter != nil {
			return nil, pgerr.New(pgerr.WrongObjectType, "%s is not an aggregate function", x.Name).WithPosition(x.Pos)
		}
		if err := b.bindWindowArgs(f, x, inner); err != nil {
			return nil, err
		}
	default:
		return nil, pgerr.New(pgerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", x.Name).WithPosition(x.Pos)
	}
	w.node.funcs = append(w.node.funcs, f)
	w.keys[key] = len(w.node.funcs) - 1
	return &winRefExpr{node: w.node, k: len(w.node.funcs) - 1, t: f.t}, nil
}

// bindWindowArgs binds and checks the arguments of a window-only function
// and sets its result type.
func (b *binder) bindWindowArgs(f *winFunc, x *ast.FuncCall, sc *scope) error {
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		e, err := b.bindExpr(a, sc)
		if err != nil {
			return err
		}
		args[i] = e
	}
	arity := func(lo, hi int) error {
		if len(args) < lo || len(args) > hi {
			return undefinedFunction(x.Name, args, x.Pos)
		}
		return nil
	}
	int4 := types.New(types.Int4)
	switch x.Name {
	case "row_number", "rank", "dense_rank":
		f.t = types.New(types.Int8)
		return arity(0, 0)
	case "percent_rank", "cume_dist":
		f.t = types.New(types.Float8)
		return arity(0, 0)
	case "ntile":
		if err := arity(1, 1); err != nil {
			return err
		}
		f.t = int4
		var err error
		args[0], err = b.coerce(args[0], int4, "argument of ntile", x.Pos)
		f.args = args
		return err
	case "lag", "lead":
		if err := arity(1, 3); err != nil {
			return err
		}
		t := args[0].Type()
		if t.ID == types.Unknown {
			t = types.New(types.Text)
			var err error
			if args[0], err = b.cast(args[0], t, false, x.Pos); err != nil {
				return err
			}
		}
		f.t = t
		if len(args) > 1 {
			var err error
			if args[1], err = b.coerce(args[1], int4, "argument of "+x.Name, x.Pos); err != nil {
				return err
			}
		}
		if len(args) > 2 {
			// lag(anycompatible, integer, anycompatible): the value and
			// the default take their common type.
			if d := args[2].Type(); d.ID != t.ID && d.ID != types.Unknown && t.IsNumeric() && d.IsNumeric() &&
				numericRank(d.ID) > numericRank(t.ID) {
				var err error
				if args[0], err = b.cast(args[0], types.Base(d), false, x.Pos); err != nil {
					return err
				}
				t = types.Base(d)
				f.t = t
			}
			var err error
			if args[2], err = b.assign(args[2], t, x.Name, x.Pos); err != nil {
				return undefinedFunction(x.Name, args, x.Pos)
			}
		}
		f.args = args
		return nil
	case "first_value", "last_value":
		if err := arity(1, 1); err != nil {
			return err
		}
	case "nth_value":
		if err := arity(2, 2); err != nil {
			return err
		}
		var err error
		if args[1], err = b.coerce(args[1], int4, "argument of nth_value", x.Pos); err != nil {
			return err
		}
	}
	f.t = args[0].Type()
	if f.t.ID == types.Unknown {
		f.t = types.New(types.Text)
		var err error
		if args[0], err = b.cast(args[0], f.t, false, x.Pos); err != nil {
			return err
		}
	}
	f.args = args
	return nil
}

// numericRank orders the numeric types as their common type is chosen:
// the wider, or numeric over the integers, or float8 over all.
func numericRank(id types.ID) int {
	switch id {
	case types.Int2:
		return 1
	case types.Int4:
		return 2
	case types.Int8:
		return 3
	case types.Numeric:
		return 4
	}
	return 5
}

// hasWindowCall reports whether e calls a window function outside a
// subquery.
func hasWindowCall(e ast.Expr) bool { return windowCall(e) != nil }

// windowCall returns the first window function call in e outside a
// subquery, or nil.
func windowCall(e ast.Expr) *ast.FuncCall {
	var found *ast.FuncCall
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && f.Over != nil && found == nil {
			found = f
		}
		_, sub := x.(*ast.SubqueryExpr)
		return found == nil && !sub
	})
	return found
}

func (n *windowNode) run(ec *evalCtx) ([][]types.Datum, error) {
	x := ec.exec
	rows, err := n.in.run(ec)
	if err != nil {
		return nil, err
	}
	width := n.width()
	out := make([][]types.Datum, len(rows))
	for i, r := range rows {
		row := make([]types.Datum, width+len(n.funcs))
		copy(row, r)
		out[i] = row
	}
	if err := x.grow(int64(len(rows)) * int64(len(n.funcs)) * 16); err != nil {
		return nil, err
	}
	return n.runClauses(ec, out)
}

// winRow is a row with its window's ORDER BY values.
type winRow struct {
	row  []types.Datum
	keys []types.Datum
}

// windowPeers reports whether two lists of values are equal, NULLs equal
// to each other (as partitions and peers compare).
func windowPeers(a, b []types.Datum) bool {
	for i := range a {
		switch {
		case a[i] == nil && b[i] == nil:
		case a[i] == nil || b[i] == nil:
			return false
		case types.Compare(a[i], b[i]) != 0:
			return false
		}
	}
	return true
}

// compute stores f's value for each row of one sorted partition at
// column col.
func (f *winFunc) compute(ec *evalCtx, part []winRow, col int) error {
	n := len(part)
	// peerEnd[i] is one past the last peer of row i; peerStart[i] its
	// first peer.
	peerStart, peerEnd := make([]int, n), make([]int, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && windowPeers(part[i].keys, part[j].keys) {
			j++
		}
		for k := i; k < j; k++ {
			peerStart[k], peerEnd[k] = i, j
		}
		i = j
	}
	switch f.name {
	case "row_number":
		for i := range part {
			part[i].row[col] = int64(i + 1)
		}
		return nil
	case "rank":
		for i := range part {
			part[i].row[col] = int64(peerStart[i] + 1)
		}
		return nil
	case "dense_rank":
		rank := int64(0)
		for i := range part {
			if peerStart[i] == i {
				rank++
			}
			part[i].row[col] = rank
		}
		return nil
	case "percent_rank":
		for i := range part {
			v := 0.0
			if n > 1 {
				v = float64(peerStart[i]) / float64(n-1)
			}
			part[i].row[col] = v
		}
		return nil
	case "cume_dist":
		for i := range part {
			part[i].row[col] = float64(peerEnd[i]) / float64(n)
		}
		return nil
	case "ntile":
		v, err := f.args[0].Eval(ec, part[0].row)
		if err != nil {
			return err
		}
		if v == nil {
			for i := range part {
				part[i].row[col] = nil
			}
			return nil
		}
		buckets := v.(int64)
		if buckets <= 0 {
			return pgerr.New(pgerr.InvalidArgumentForNtile, "argument of ntile must be greater than zero")
		}
		// As PostgreSQL: the first n%buckets buckets get one row more.
		per, extra := int64(n)/buckets, int64(n)%buckets
		bucket, left := int64(1), per
		if extra > 0 {
			left++
		}
		for i := range part {
			if left == 0 {
				bucket++
				left = per
				if bucket <= extra {
					left++
				}
			}
			part[i].row[col] = bucket
			left--
		}
		return nil
	case "lag", "lead":
		for i := range part {
			r := part[i].row
			offset := int64(1)
			if len(f.args) > 1 {
				v, err := f.args[1].Eval(ec, r)
				if err != nil {
					return err
				}
				if v == nil {
					r[col] = nil
					continue
				}
				offset = v.(int64)
			}
			j := int64(i) - offset
			if f.name == "lead" {
				j = int64(i) + offset
			}
			var v types.Datum
			var err error
			if j >= 0 && j < int64(n) {
				v, err = f.args[0].Eval(ec, part[j].row)
			} else if len(f.args) > 2 {
				v, err = f.args[2].Eval(ec, r)
			}
			if err != nil {
				return err
			}
			r[col] = v
		}
		return nil
	}
	// The functions over a frame: the aggregates, first_value,
	// last_value and nth_value. A row whose frame is the previous row's
	// has its value; an aggregate whose frame only grew at its end adds
	// the new rows to the previous frame's state (running sums), so the
	// default frame costs one pass. A frame with an exclusion is
	// computed afresh for each row.
	los, his, err := f.frames(ec, part, peerStart, peerEnd)
	if err != nil {
		return err
	}
	if f.moving {
		return f.computeMoving(ec, part, col, los, his, peerStart, peerEnd)
	}
	var acc *accumulator
	accLo, accHi, lastLo, lastHi := -1, -1, -1, -1
	var last types.Datum
	for i := range part {
		if err := ec.exec.tick(); err != nil {
			return err
		}
		lo, hi := los[i], his[i]
		if f.frame.Exclude != "" {
			segs := f.segments(i, lo, hi, peerStart, peerEnd)
			var v types.Datum
			if f.agg == nil {
				v, err = f.valueIn(ec, part, segs, i)
			} else {
				a := newAccumulator(f.agg)
				for _, sg := range segs {
					if err := f.accumulate(ec, a, part, sg[0], sg[1]); err != nil {
						return err
					}
				}
				v, err = a.result(ec.exec)
			}
			if err != nil {
				return err
			}
			part[i].row[col] = v
			continue
		}
		if lo == lastLo && hi == lastHi && f.name != "nth_value" {
			part[i].row[col] = last
			continue
		}
		var v types.Datum
		if f.agg == nil {
			v, err = f.valueIn(ec, part, [][2]int{{lo, hi}}, i)
		} else {
			if acc == nil || lo != accLo || hi < accHi {
				acc, accLo, accHi = newAccumulator(f.agg), lo, lo
			}
			if err := f.accumulate(ec, acc, part, max(accHi, lo), hi); err != nil {
				return err
			}
			accHi = max(accHi, hi)
			v, err = acc.snapshot().result(ec.exec)
		}
		if err != nil {
			return err
		}
		part[i].row[col] = v
		last, lastLo, lastHi = v, lo, hi
	}
	return nil
}

// valueIn computes first_value, last_value or nth_value over the rows
// of part that segs hold (row cur's frame), for row cur.
func (f *winFunc) valueIn(ec *evalCtx, part []winRow, segs [][2]int, cur int) (types.Datum, error) {
	j := -1
	switch f.name {
	case "first_value":
		for _, sg := range segs {
			if sg[0] < sg[1] {
				j = sg[0]
				break
			}
		}
	case "last_value":
		for _, sg := range segs {
			if sg[0] < sg[1] {
				j = sg[1] - 1
			}
		}
	case "nth_value":
		v, err := f.args[1].Eval(ec, part[cur].row)
		if err != nil || v == nil {
			return nil, err
		}
		nth := v.(int64)
		if nth <= 0 {
			return nil, pgerr.New(pgerr.InvalidArgumentForNthValue, "argument of nth_value must be greater than zero")
		}
		for _, sg := range segs {
			if n := int64(sg[1] - sg[0]); nth <= n {
				j = sg[0] + int(nth) - 1
				break
			} else {
				nth -= n
			}
		}
	}
	if j < 0 {
		return nil, nil
	}
	return f.args[0].Eval(ec, part[j].row)
}

// accumulate adds rows [lo, hi) of part to an aggregate's state.
func (f *winFunc) accumulate(ec *evalCtx, acc *accumulator, part []winRow, lo, hi int) error {
	for j := lo; j < hi; j++ {
		r := part[j].row
		if f.agg.filter != nil {
			ok, err := f.agg.filter.Eval(ec, r)
			if err != nil {
				return err
			}
			if ok != true {
				continue
			}
		}
		var v types.Datum
		var err error
		if f.agg.arg != nil {
			if v, err = f.agg.arg.Eval(ec, r); err != nil {
				return err
			}
		}
		if f.agg.sep != nil {
			if acc.sep, err = f.agg.sep.Eval(ec, r); err != nil {
				return err
			}
		}
		if err := acc.add(ec.exec, v); err != nil {
			return err
		}
	}
	return nil
}
