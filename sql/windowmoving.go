package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Moving aggregates over window frames, as PostgreSQL 15's
// eval_windowaggregates runs them.
//
// A user-defined aggregate with a moving-aggregate implementation
// (CREATE AGGREGATE ... MSFUNC, MINVFUNC) uses it in a window whose frame
// head can move (its start is not UNBOUNDED PRECEDING), unless the
// call's arguments or FILTER call a volatile function or hold a subquery,
// where restarting instead of removing rows could be seen. Rows that
// leave the frame at its head are taken out of the state with the
// inverse transition function; the aggregation starts over from the
// frame's head when the inverse function returns NULL (it cannot remove
// that row), when the frame no longer overlaps what was aggregated, and
// for every row of a frame with an exclusion. Removing the only row
// aggregated resets the state instead of calling the inverse function,
// since the state must then be the initial one, which may be NULL. A
// strict pair of functions skips rows with a NULL input both ways, and
// the moving transition function must never return NULL (22004).

// movingWindowAggregate reports whether the window aggregate call x,
// bound as spec over frame, runs in moving-aggregate mode.
func movingWindowAggregate(spec *aggSpec, frame ast.WindowFrame, x *ast.FuncCall, volatile func(ast.Expr) bool) bool {
	if spec == nil || spec.user == nil || spec.user.moving == nil {
		return false
	}
	if spec.user.forceMoving {
		return true
	}
	if frame.Start.Kind == "" || frame.Start.Kind == "unbounded preceding" {
		return false
	}
	exprs := append([]ast.Expr(nil), x.Args...)
	if x.Filter != nil {
		exprs = append(exprs, x.Filter)
	}
	for _, e := range exprs {
		if volatile(e) || hasSubquery(e) {
			return false
		}
	}
	return true
}

// hasSubquery reports whether e holds a subquery.
func hasSubquery(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.SubqueryExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// movingAgg is the state of one moving aggregation over a partition.
type movingAgg struct {
	f     *winFunc
	u     *userAggSpec // the moving implementation
	st    userAggState
	count int // rows in the state: the inverse function never removes the last
}

func (m *movingAgg) reset() { m.st, m.count = userAggState{}, 0 }

// input evaluates row's FILTER and arguments: ok is false when the
// filter leaves the row out.
func (m *movingAgg) input(ec *evalCtx, row []types.Datum) (v types.Datum, ok bool, err error) {
	if m.f.agg.filter != nil {
		pass, err := m.f.agg.filter.Eval(ec, row)
		if err != nil || pass != true {
			return nil, false, err
		}
	}
	if m.f.agg.arg != nil {
		if v, err = m.f.agg.arg.Eval(ec, row); err != nil {
			return nil, false, err
		}
	}
	return v, true, nil
}

// add runs the moving transition function for row (advance_windowaggregate).
func (m *movingAgg) add(ec *evalCtx, row []types.Datum) error {
	v, ok, err := m.input(ec, row)
	if err != nil || !ok {
		return err
	}
	u, st := m.u, &m.st
	if !st.started {
		st.started = true
		if u.init != nil {
			if st.value, err = u.init.Eval(ec, nil); err != nil {
				return err
			}
		}
		st.row = make([]types.Datum, 1+u.nargs)
	}
	in := aggInputs(v, u.nargs)
	if u.transStrict {
		for _, a := range in {
			if a == nil {
				return nil
			}
		}
		if m.count == 0 && st.value == nil {
			st.value, m.count = in[0], 1
			return nil
		}
		if st.value == nil {
			return nil
		}
	}
	st.row[0] = st.value
	copy(st.row[1:], in)
	next, err := u.trans.Eval(ec, st.row)
	if err != nil {
		return err
	}
	if next == nil {
		return pgerr.New(pgerr.NullValueNotAllowed, "moving-aggregate transition function must not return null")
	}
	st.value = next
	m.count++
	return nil
}

// remove takes row out of the state with the inverse transition function
// (advance_windowaggregate_base); false when that function cannot (it
// returned NULL), so the aggregation must start over.
func (m *movingAgg) remove(ec *evalCtx, row []types.Datum) (bool, error) {
	v, ok, err := m.input(ec, row)
	if err != nil || !ok {
		return true, err
	}
	u, st := m.u, &m.st
	in := aggInputs(v, u.nargs)
	if u.invStrict {
		for _, a := range in {
			if a == nil {
				return true, nil
			}
		}
	}
	if st.value == nil {
		return false, pgerr.New(pgerr.InternalError, "aggregate transition value is NULL before inverse transition")
	}
	if m.count == 1 {
		m.reset()
		return true, nil
	}
	st.row[0] = st.value
	copy(st.row[1:], in)
	next, err := u.inv.Eval(ec, st.row)
	if err != nil || next == nil {
		return false, err
	}
	st.value = next
	m.count--
	return true, nil
}

// result is the aggregate's value for the rows in the state.
func (m *movingAgg) result(ec *evalCtx) (types.Datum, error) {
	st := m.st
	return m.u.finalize(ec, &st)
}

// computeMoving sets column col of each row of part to the moving
// aggregate over the row's frame [los[i], his[i]).
func (f *winFunc) computeMoving(ec *evalCtx, part []winRow, col int, los, his, peerStart, peerEnd []int) error {
	m := &movingAgg{f: f, u: f.agg.user.moving}
	// [base, upto) are the rows the state holds.
	base, upto := 0, 0
	for i := range part {
		if err := ec.exec.tick(); err != nil {
			return err
		}
		lo, hi := los[i], his[i]
		if f.frame.Exclude != "" {
			m.reset()
			for _, sg := range f.segments(i, lo, hi, peerStart, peerEnd) {
				for j := sg[0]; j < sg[1]; j++ {
					if err := m.add(ec, part[j].row); err != nil {
						return err
					}
				}
			}
			v, err := m.result(ec)
			if err != nil {
				return err
			}
			part[i].row[col] = v
			continue
		}
		restart := i == 0 || upto <= lo || hi < upto
		for !restart && base < lo {
			ok, err := m.remove(ec, part[base].row)
			if err != nil {
				return err
			}
			if !ok {
				restart = true
				break
			}
			base++
		}
		if restart {
			m.reset()
			base, upto = lo, lo
		}
		for ; upto < hi; upto++ {
			if err := m.add(ec, part[upto].row); err != nil {
				return err
			}
		}
		v, err := m.result(ec)
		if err != nil {
			return err
		}
		part[i].row[col] = v
	}
	return nil
}

// callsVolatile reports whether e calls a volatile function: a built-in
// one whose value changes from call to call, or a user routine of that
// name declared VOLATILE.
func (b *binder) callsVolatile(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		f, ok := x.(*ast.FuncCall)
		if !ok {
			return !found
		}
		if volatileFunction(f.Name) {
			found = true
			return false
		}
		if routines, err := b.visibleRoutines(f.Schema, f.Name); err == nil {
			for _, d := range routines {
				if d.Volatility == "v" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}
