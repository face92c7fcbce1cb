package sql

import (
	"math"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Window frames, as PostgreSQL 15's nodeWindowAgg.c computes them.
//
// ROWS counts rows from the current one; GROUPS counts peer groups (rows
// equal in the window's ORDER BY); RANGE with an offset takes the rows
// whose ORDER BY value (exactly one column) lies within the offset of the
// current row's, by the type's in_range rule: integers, numeric and the
// floats with a numeric offset, date, timestamp, time and interval with
// an interval offset. A row whose ORDER BY value is NULL has only the
// NULL rows as its offset range; other rows never reach the NULL rows
// through an offset. EXCLUDE CURRENT ROW, GROUP and TIES take the current
// row, its peer group, or its peers but itself out of the frame.

// rangeBound is one offset bound of a RANGE frame.
type rangeBound struct {
	// kind is how the sum of the current value and the offset is
	// computed: "int", "float", "numeric", "time", or "op" (the binder's
	// + or - operator, sum).
	kind string
	// sub subtracts the offset from the current value (rather than
	// adding it); less takes the rows up to the sum (rather than from
	// it). Both already account for a descending ORDER BY.
	sub, less bool
	base      *slotExpr
	sum       expr
}

// slotExpr yields the value put in it: the current row's ORDER BY value
// for a RANGE bound's sum.
type slotExpr struct {
	t types.T
	v types.Datum
}

func (e *slotExpr) Type() types.T { return e.t }
func (e *slotExpr) Eval(*evalCtx, []types.Datum) (types.Datum, error) {
	return e.v, nil
}

func invalidFrameSize() error {
	return pgerr.New(pgerr.InvalidPrecedingOrFollowingSize, "invalid preceding or following size in window function")
}

// bindFrame checks a window's frame and binds its offsets.
func (b *binder) bindFrame(f *winFunc, x *ast.FuncCall) error {
	fr := x.Over.Frame
	if fr.Mode == "groups" && len(f.order) == 0 {
		return pgerr.New(pgerr.WindowingError, "GROUPS mode requires an ORDER BY clause").WithPosition(x.Over.Pos)
	}
	what := map[string]string{"rows": "ROWS", "range": "RANGE", "groups": "GROUPS"}[fr.Mode]
	for _, bound := range []struct {
		b     ast.FrameBound
		out   *expr
		rb    **rangeBound
		start bool
	}{{fr.Start, &f.start, &f.startRange, true}, {fr.End, &f.end, &f.endRange, false}} {
		if bound.b.Offset == nil {
			continue
		}
		var varErr error
		ast.WalkExpr(bound.b.Offset, func(e ast.Expr) bool {
			// A routine's parameter is a value, not a variable.
			if ref, ok := e.(*ast.ColumnRef); ok && varErr == nil && !b.namesRoutineParam(ref) {
				varErr = pgerr.New(pgerr.InvalidColumnReference, "argument of %s must not contain variables", what).WithPosition(ref.Pos)
			}
			_, sub := e.(*ast.SubqueryExpr)
			return varErr == nil && !sub
		})
		if varErr != nil {
			return varErr
		}
		if containsAggregate(bound.b.Offset) {
			return pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in window %s", what).WithPosition(bound.b.Offset.Position())
		}
		e, err := b.bindExpr(bound.b.Offset, &scope{})
		if err != nil {
			return err
		}
		if fr.Mode != "range" {
			if *bound.out, err = b.coerce(e, types.New(types.Int8), "argument of "+what, bound.b.Offset.Position()); err != nil {
				return err
			}
			continue
		}
		if distinctOrderKeys(x.Over.OrderBy) != 1 {
			return pgerr.New(pgerr.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column").WithPosition(x.Over.Pos)
		}
		rb, off, err := b.bindRangeBound(f.order[0].Type(), e, bound.b.Offset.Position())
		if err != nil {
			return err
		}
		// As update_frameheadpos and update_frametailpos set them up.
		rb.sub = bound.b.Kind == "preceding"
		rb.less = !bound.start
		if f.keys[0].desc {
			rb.sub, rb.less = !rb.sub, !rb.less
		}
		if rb.kind == "op" {
			op := "+"
			if rb.sub {
				op = "-"
			}
			if rb.sum, err = b.bindOperator(op, rb.base, off, bound.b.Offset.Position()); err != nil {
				return err
			}
		}
		*bound.out, *bound.rb = off, rb
	}
	return nil
}

// distinctOrderKeys counts a window's ORDER BY expressions, repeats once.
func distinctOrderKeys(order []ast.OrderItem) int {
	seen := make(map[string]bool)
	for _, o := range order {
		seen[exprKey(o.Expr)] = true
	}
	return len(seen)
}

// bindRangeBound picks the in_range rule for a RANGE offset over an ORDER
// BY column of type t, converting the offset to its type.
func (b *binder) bindRangeBound(t types.T, off expr, pos int32) (*rangeBound, expr, error) {
	t = types.Base(t)
	ot := off.Type()
	unsupported := func() error {
		return pgerr.New(pgerr.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s", b.typeName(t), b.typeName(ot)).
			WithHint("Cast the offset value to an appropriate type.").WithPosition(pos)
	}
	to := func(id types.ID) (expr, error) {
		if ot.ID == id {
			return off, nil
		}
		return b.cast(off, types.New(id), false, pos)
	}
	rb := &rangeBound{base: &slotExpr{t: t}}
	var err error
	switch t.ID {
	case types.Int2, types.Int4, types.Int8:
		rb.kind = "int"
		switch {
		case ot.ID == types.Unknown:
			off, err = to(t.ID)
		case !ot.IsInteger():
			return nil, nil, unsupported()
		}
	case types.Numeric:
		rb.kind = "numeric"
		if ot.ID != types.Unknown && !ot.IsInteger() && ot.ID != types.Numeric {
			return nil, nil, unsupported()
		}
		off, err = to(types.Numeric)
	case types.Float4, types.Float8:
		rb.kind = "float"
		if ot.ID != types.Unknown && !ot.IsNumeric() {
			return nil, nil, unsupported()
		}
		off, err = to(types.Float8)
	case types.Date, types.Timestamp, types.TimestampTZ, types.Time, types.TimeTZ, types.Interval:
		rb.kind = "op"
		if t.ID == types.Time {
			rb.kind = "time"
		}
		if ot.ID != types.Unknown && ot.ID != types.Interval {
			return nil, nil, unsupported()
		}
		off, err = to(types.Interval)
	default:
		return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", b.typeName(t)).WithPosition(pos)
	}
	return rb, off, err
}

// inRange is PostgreSQL's in_range(val, base, offset, sub, less): whether
// val <= base ± offset (less) or val >= base ± offset. val and base are
// not NULL.
func (rb *rangeBound) inRange(ec *evalCtx, val, base, offset types.Datum) (bool, error) {
	cmp := func(c int) bool {
		if rb.less {
			return c <= 0
		}
		return c >= 0
	}
	switch rb.kind {
	case "int":
		o := offset.(int64)
		if o < 0 {
			return false, invalidFrameSize()
		}
		if rb.sub {
			o = -o
		}
		bv := base.(int64)
		sum := bv + o
		if (o > 0 && sum < bv) || (o < 0 && sum > bv) {
			// The true sum is beyond every value.
			if rb.sub {
				return !rb.less, nil
			}
			return rb.less, nil
		}
		return cmp(types.Compare(val, sum)), nil
	case "float":
		o := offset.(float64)
		if math.IsNaN(o) || o < 0 {
			return false, invalidFrameSize()
		}
		v, bv := val.(float64), base.(float64)
		switch {
		case math.IsNaN(v) && math.IsNaN(bv):
			return true, nil
		case math.IsNaN(v):
			return !rb.less, nil
		case math.IsNaN(bv):
			return rb.less, nil
		case math.IsInf(o, 1) && math.IsInf(bv, 0) && (rb.sub == (bv > 0)):
			return true, nil
		}
		sum := bv + o
		if rb.sub {
			sum = bv - o
		}
		return cmp(types.Compare(v, sum)), nil
	case "numeric":
		o := offset.(*apd.Decimal)
		if o.Form == apd.NaN || o.Negative && !o.IsZero() {
			return false, invalidFrameSize()
		}
		v, bv := val.(*apd.Decimal), base.(*apd.Decimal)
		isInf := func(d *apd.Decimal, neg bool) bool { return d.Form == apd.Infinite && d.Negative == neg }
		switch {
		case v.Form == apd.NaN && bv.Form == apd.NaN:
			return true, nil
		case v.Form == apd.NaN:
			return !rb.less, nil
		case bv.Form == apd.NaN:
			return rb.less, nil
		case o.Form == apd.Infinite:
			if rb.sub && isInf(bv, false) || !rb.sub && isInf(bv, true) {
				return true, nil
			}
			if rb.sub {
				return !rb.less || isInf(v, true), nil
			}
			return rb.less || isInf(v, false), nil
		case bv.Form == apd.Infinite:
			return cmp(types.Compare(v, bv)), nil
		}
		sum := new(apd.Decimal)
		var err error
		if rb.sub {
			_, err = types.NumericContext().Sub(sum, bv, o)
		} else {
			_, err = types.NumericContext().Add(sum, bv, o)
		}
		if err != nil {
			return false, err
		}
		return cmp(types.Compare(v, sum)), nil
	case "time":
		o := offset.(types.IntervalValue)
		if types.CompareIntervals(o, types.IntervalValue{}) < 0 {
			return false, invalidFrameSize()
		}
		// Not time + interval, which wraps around midnight: the sum
		// goes past it, with the interval's time part only.
		sum := int64(base.(types.TimeOfDay)) + o.Micros
		if rb.sub {
			sum = int64(base.(types.TimeOfDay)) - o.Micros
		}
		return cmp(types.Compare(int64(val.(types.TimeOfDay)), sum)), nil
	}
	if o, ok := offset.(types.IntervalValue); ok && types.CompareIntervals(o, types.IntervalValue{}) < 0 {
		return false, invalidFrameSize()
	}
	rb.base.v = base
	sum, err := rb.sum.Eval(ec, nil)
	if err != nil || sum == nil {
		return false, err
	}
	return cmp(types.Compare(val, sum)), nil
}

// frameOffset evaluates a frame offset (which names no column, so once
// per partition).
func (f *winFunc) frameOffset(ec *evalCtx, e expr, row []types.Datum, which string) (types.Datum, error) {
	v, err := e.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, pgerr.New(pgerr.NullValueNotAllowed, "frame %s offset must not be null", which)
	}
	if f.frame.Mode != "range" && v.(int64) < 0 {
		return nil, pgerr.New(pgerr.InvalidPrecedingOrFollowingSize, "frame %s offset must not be negative", which)
	}
	return v, nil
}

// frames returns each row's frame in one sorted partition as rows [lo[i],
// hi[i]), before exclusion.
func (f *winFunc) frames(ec *evalCtx, part []winRow, peerStart, peerEnd []int) (lo, hi []int, err error) {
	n := len(part)
	lo, hi = make([]int, n), make([]int, n)
	if n == 0 {
		return lo, hi, nil
	}
	var so, eo types.Datum
	if f.start != nil {
		if so, err = f.frameOffset(ec, f.start, part[0].row, "starting"); err != nil {
			return nil, nil, err
		}
	}
	if f.end != nil {
		if eo, err = f.frameOffset(ec, f.end, part[0].row, "ending"); err != nil {
			return nil, nil, err
		}
	}
	// The peer groups, numbered, for GROUPS.
	var group, groupStart, groupEnd []int
	if f.frame.Mode == "groups" {
		group = make([]int, n)
		for i := 0; i < n; i = peerEnd[i] {
			for j := i; j < peerEnd[i]; j++ {
				group[j] = len(groupStart)
			}
			groupStart, groupEnd = append(groupStart, i), append(groupEnd, peerEnd[i])
		}
	}
	// rowsAway is an offset in rows or groups, bounded so that adding it
	// cannot overflow.
	rowsAway := func(o types.Datum) int { return int(min(o.(int64), int64(n)+1)) }
	nullsFirst := len(f.keys) > 0 && f.keys[0].nullsFirst
	head, tail := 0, 0
	for i := range part {
		if err := ec.exec.tick(); err != nil {
			return nil, nil, err
		}
		switch f.frame.Start.Kind {
		case "", "unbounded preceding":
			lo[i] = 0
		case "current row":
			lo[i] = i
			if f.frame.Mode != "rows" {
				lo[i] = peerStart[i]
			}
		case "preceding", "following":
			sign := -1
			if f.frame.Start.Kind == "following" {
				sign = 1
			}
			switch f.frame.Mode {
			case "rows":
				lo[i] = i + sign*rowsAway(so)
			case "groups":
				g := group[i] + sign*rowsAway(so)
				switch {
				case g < 0:
					lo[i] = 0
				case g >= len(groupStart):
					lo[i] = n
				default:
					lo[i] = groupStart[g]
				}
			default:
				cur := part[i].keys[0]
				for ; head < n; head++ {
					hv := part[head].keys[0]
					if hv == nil || cur == nil {
						// Only NULLs order these rows.
						if nullsFirst && (hv != nil || cur == nil) || !nullsFirst && (hv == nil || cur != nil) {
							break
						}
						continue
					}
					ok, err := f.startRange.inRange(ec, hv, cur, so)
					if err != nil {
						return nil, nil, err
					}
					if ok {
						break
					}
				}
				lo[i] = head
			}
		}
		switch f.frame.End.Kind {
		case "", "current row":
			hi[i] = i + 1
			if f.frame.Mode != "rows" {
				hi[i] = peerEnd[i]
			}
			if f.frame.Mode == "" && len(f.order) == 0 {
				hi[i] = n
			}
		case "unbounded following":
			hi[i] = n
		case "preceding", "following":
			sign := -1
			if f.frame.End.Kind == "following" {
				sign = 1
			}
			switch f.frame.Mode {
			case "rows":
				hi[i] = i + sign*rowsAway(eo) + 1
			case "groups":
				g := group[i] + sign*rowsAway(eo)
				switch {
				case g < 0:
					hi[i] = 0
				case g >= len(groupStart):
					hi[i] = n
				default:
					hi[i] = groupEnd[g]
				}
			default:
				cur := part[i].keys[0]
				for ; tail < n; tail++ {
					tv := part[tail].keys[0]
					if tv == nil || cur == nil {
						if nullsFirst && tv != nil || !nullsFirst && cur != nil {
							break
						}
						continue
					}
					ok, err := f.endRange.inRange(ec, tv, cur, eo)
					if err != nil {
						return nil, nil, err
					}
					if !ok {
						break
					}
				}
				hi[i] = tail
			}
		}
		lo[i], hi[i] = min(max(lo[i], 0), n), min(max(hi[i], 0), n)
	}
	return lo, hi, nil
}

// segments returns row i's frame [lo, hi) without the rows its EXCLUDE
// clause takes out, as up to three ranges of rows.
func (f *winFunc) segments(i, lo, hi int, peerStart, peerEnd []int) [][2]int {
	var exLo, exHi int
	switch f.frame.Exclude {
	case "":
		return [][2]int{{lo, hi}}
	case "current row":
		exLo, exHi = i, i+1
	default: // "group", "ties"
		exLo, exHi = peerStart[i], peerEnd[i]
	}
	var out [][2]int
	add := func(a, b int) {
		a, b = max(a, lo), min(b, hi)
		if a < b {
			out = append(out, [2]int{a, b})
		}
	}
	add(lo, exLo)
	if f.frame.Exclude == "ties" {
		add(i, i+1)
	}
	add(exHi, hi)
	return out
}
