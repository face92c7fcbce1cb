package sql

import (
	"sort"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Calls of user-defined aggregates (CREATE AGGREGATE, aggdef.go).
//
// Built-in aggregates are known by name; a user-defined one only from the
// catalog. Before a query level is bound, markUserAggregates marks the
// calls of its clauses that name a user-defined aggregate (FuncCall.
// UserAgg), so that everything that asks whether a call is an aggregate
// (isAggregateCall) sees it as one; a query without such calls, or a
// database without user-defined aggregates, costs one catalog read per
// statement at most and nothing per row.
//
// An aggregate call is then an aggSpec with user set, and its
// accumulator folds the inputs with the transition function as
// PostgreSQL's advance_transition_function does: a strict transition
// function skips inputs with a NULL, takes the first input as the state
// when there is no INITCOND, and keeps a NULL state NULL. DISTINCT and
// ORDER BY in the call keep the inputs and fold them sorted when the
// result is asked for. The final function, if any, makes the result
// from the state without changing it, so that a window may ask for the
// result of a running aggregate again and again.

// userAggSpec is what an aggregate call needs of its definition.
type userAggSpec struct {
	desc *catalog.FuncDesc
	// trans is the transition function's call; its arguments read a row
	// of the state followed by the inputs.
	trans       expr
	transStrict bool
	// init converts INITCOND to the state type; nil for none.
	init expr
	// final is the final function's call (nil for none), reading a row
	// of the state followed, with FINALFUNC_EXTRA, by NULL inputs.
	final       expr
	finalStrict bool
	finalArgs   int
	nargs       int
	// shareKey says which calls may share this one's transition state
	// (aggshare.go); "" for none.
	shareKey string
	// moving is the moving-aggregate implementation bound as a spec of
	// its own (MSFUNC, MSTYPE, MINITCOND, MFINALFUNC) with the inverse
	// transition function; nil when the aggregate has none.
	moving *userAggSpec
	// inv is MINVFUNC's call, set on the moving spec only.
	inv       expr
	invStrict bool
	// forceMoving: the plain final function may modify its state but
	// the moving one does not, so PostgreSQL uses the moving
	// implementation even when the frame head cannot move.
	forceMoving bool
}

// aggArgRow is the inputs of one row of an aggregate of several
// arguments, carried through the accumulator as one value.
type aggArgRow []types.Datum

// aggArgsExpr evaluates an aggregate's arguments into an aggArgRow.
type aggArgsExpr struct{ args []expr }

func (e *aggArgsExpr) Type() types.T { return types.New(types.Record) }
func (e *aggArgsExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	out := make(aggArgRow, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// loadUserAggregates reads the names of the user-defined aggregates, by
// schema, once per binder.
func (b *binder) loadUserAggregates() (map[string]map[string]bool, error) {
	if b.userAggs != nil || b.s == nil {
		return b.userAggs, nil
	}
	all, err := b.s.e.cat.Functions(b.snap)
	if err != nil {
		return nil, err
	}
	b.userAggs = map[string]map[string]bool{}
	for _, f := range all {
		if f.Kind != catalog.KindAggregate {
			continue
		}
		if b.userAggs[f.Name] == nil {
			b.userAggs[f.Name] = map[string]bool{}
		}
		b.userAggs[f.Name][f.Schema] = true
	}
	return b.userAggs, nil
}

// markUserAggregates marks the calls in q's clauses that name a
// user-defined aggregate visible from here (subqueries are marked when
// they are bound).
func (b *binder) markUserAggregates(q *ast.SelectStmt) error {
	var calls []*ast.FuncCall
	visit := func(e ast.Expr) {
		if e == nil {
			return
		}
		ast.WalkExpr(e, func(x ast.Expr) bool {
			if f, ok := x.(*ast.FuncCall); ok && !f.WithinGroup && !isAggregate(f.Name) {
				calls = append(calls, f)
			}
			_, sub := x.(*ast.SubqueryExpr)
			return !sub
		})
	}
	for _, t := range q.Targets {
		visit(t.Expr)
	}
	visit(q.Where)
	visit(q.Having)
	for _, g := range q.GroupBy {
		visit(g)
	}
	for _, o := range q.OrderBy {
		visit(o.Expr)
	}
	for _, d := range q.DistinctOn {
		visit(d)
	}
	if len(calls) == 0 {
		return nil
	}
	aggs, err := b.loadUserAggregates()
	if err != nil || len(aggs) == 0 {
		for _, f := range calls {
			if f.UserAgg {
				f.UserAgg = false
			}
		}
		return err
	}
	var path []string
	for _, f := range calls {
		mark := false
		if schemas := aggs[f.Name]; schemas != nil {
			if f.Schema != "" {
				mark = schemas[f.Schema]
			} else {
				if path == nil {
					if path, err = b.s.pathSchemas(b.snap); err != nil {
						return err
					}
				}
				for _, sc := range path {
					mark = mark || schemas[sc]
				}
			}
		}
		if f.UserAgg != mark {
			f.UserAgg = mark
		}
	}
	return nil
}

// bindUserAggregate binds a call of a user-defined aggregate: its
// arguments in the FROM scope, the aggregate chosen among those of the
// name as a function call chooses, and its support functions.
func (b *binder) bindUserAggregate(x *ast.FuncCall, spec *aggSpec, from *scope) (*aggSpec, error) {
	plain := b.aggArgScope(from)
	var args []expr
	for _, a := range x.Args {
		if b.windowArgs == nil && b.nestedAggregate(a, from) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(x.Pos)
		}
		e, err := b.bindExpr(a, plain)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if err := b.bindAggOrder(x, spec, plain); err != nil {
		return nil, err
	}
	if plain.correlated {
		from.correlated = true
	}
	all, err := b.visibleRoutines(x.Schema, x.Name)
	if err != nil {
		return nil, err
	}
	var cands []*catalog.FuncDesc
	for _, d := range all {
		if d.Kind == catalog.KindAggregate {
			cands = append(cands, d)
		}
	}
	if len(cands) == 0 {
		return nil, undefinedFunction(x.Name, args, x.Pos)
	}
	form, err := b.resolveRoutine(x, cands, args, false)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 && !x.Star {
		return nil, pgerr.New(pgerr.WrongObjectType, "%s(*) must be used to call a parameterless aggregate function", x.Name).WithPosition(x.Pos)
	}
	if err := b.checkRoutineExecute(form.desc); err != nil {
		return nil, err
	}
	conv, err := b.routineArgs(form, args, false, x.Pos)
	if err != nil {
		return nil, err
	}
	u, err := b.userAggSpecOf(form.desc)
	if err != nil {
		return nil, err
	}
	b.routinesUsed = append(b.routinesUsed, form.desc)
	u.shareKey = transShareKey(x, u)
	spec.user, spec.t = u, form.desc.Result
	switch len(conv) {
	case 0:
	case 1:
		spec.arg = conv[0]
	default:
		spec.arg = &aggArgsExpr{args: conv}
	}
	return spec, nil
}

// userAggSpecOf binds the support functions of the aggregate d.
func (b *binder) userAggSpecOf(d *catalog.FuncDesc) (*userAggSpec, error) {
	def := d.Agg
	in := d.InputTypes()
	u := &userAggSpec{desc: d, nargs: len(in)}
	var err error
	if u.trans, u.transStrict, err = b.bindAggFn(def.TransFn, append([]types.T{def.State}, in...)); err != nil {
		return nil, err
	}
	if def.Final != nil {
		fin := []types.T{def.State}
		if def.FinalExtra {
			fin = append(fin, in...)
		}
		if u.final, u.finalStrict, err = b.bindAggFn(*def.Final, fin); err != nil {
			return nil, err
		}
		u.finalArgs = len(fin)
	}
	if def.InitCond != nil {
		if u.init, err = b.cast(&constExpr{t: textT, v: *def.InitCond}, def.State, true, -1); err != nil {
			return nil, err
		}
	}
	if m := def.Moving; m != nil {
		mdef := &catalog.AggDef{TransFn: m.TransFn, Final: m.Final, State: m.State, InitCond: m.InitCond, FinalExtra: m.FinalExtra}
		mdesc := *d
		mdesc.Agg = mdef
		if u.moving, err = b.userAggSpecOf(&mdesc); err != nil {
			return nil, err
		}
		if u.moving.inv, u.moving.invStrict, err = b.bindAggFn(m.InvFn, append([]types.T{m.State}, in...)); err != nil {
			return nil, err
		}
		u.forceMoving = m.FinalModify == "r" && def.FinalModify != "" && def.FinalModify != "r"
	}
	return u, nil
}

// bindAggFn binds a call of a support function with arguments of types
// in, read from the row the accumulator passes, and reports whether the
// function is strict.
func (b *binder) bindAggFn(fn catalog.AggFn, in []types.T) (expr, bool, error) {
	args := make([]expr, len(in))
	for i, t := range in {
		args[i] = &colExpr{t: t, idx: i}
	}
	if fn.OID == 0 {
		e, err := b.bindBuiltinFunc(&ast.FuncCall{Name: fn.Name}, args)
		return e, builtinStrict(fn.Name, len(in)), err
	}
	all, err := b.s.e.cat.Functions(b.snap)
	if err != nil {
		return nil, false, err
	}
	for _, f := range all {
		if f.OID == fn.OID {
			e, err := b.bindSupportCall(&ast.FuncCall{Schema: f.Schema, Name: f.Name}, args)
			return e, f.Strict, err
		}
	}
	return nil, false, pgerr.New(pgerr.UndefinedFunction, "function %s of an aggregate no longer exists", fn.Name)
}

// userAggState is the state of a user-defined aggregate's fold.
type userAggState struct {
	value   types.Datum
	started bool
	// noValue is PostgreSQL's noTransValue: no INITCOND and no input
	// yet, so that a strict transition function takes the first input.
	noValue bool
	row     []types.Datum
}

// addUser folds (or, with DISTINCT or ORDER BY, keeps) one row's input.
func (a *accumulator) addUser(x *execCtx, v types.Datum) error {
	if a.seen != nil {
		k := string(types.EncodeKey(aggInputs(v, a.spec.user.nargs)))
		if a.seen[k] {
			return nil
		}
		if err := x.grow(hashEntryBytes + int64(len(k))); err != nil {
			return err
		}
		a.seen[k] = true
	}
	if a.seen != nil || len(a.spec.keys) > 0 {
		if err := x.grow(a.partBytes(v, nil)); err != nil {
			return err
		}
		a.parts = append(a.parts, aggPart{v: v, keys: a.keys})
		return nil
	}
	if a.user == nil {
		a.user = &userAggState{}
	}
	return a.spec.user.advance(&evalCtx{exec: x}, a.user, v)
}

// aggInputs is one row's inputs as a slice.
func aggInputs(v types.Datum, nargs int) []types.Datum {
	switch nargs {
	case 0:
		return nil
	case 1:
		return []types.Datum{v}
	}
	return v.(aggArgRow)
}

// advance applies the transition function to st and one row's input.
func (u *userAggSpec) advance(ec *evalCtx, st *userAggState, v types.Datum) error {
	if !st.started {
		st.started = true
		if u.init != nil {
			init, err := u.init.Eval(ec, nil)
			if err != nil {
				return err
			}
			st.value = init
		} else {
			st.noValue = true
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
		if st.noValue {
			// The first input becomes the state (CREATE AGGREGATE made
			// sure its type is the state's).
			st.value, st.noValue = in[0], false
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
	st.value, st.noValue = next, false
	return nil
}

// userResult is the aggregate's value: the kept inputs folded in order
// (without changing the accumulator), then the final function.
func (a *accumulator) userResult(x *execCtx) (types.Datum, error) {
	st, err := a.userState(x)
	if err != nil {
		return nil, err
	}
	return a.spec.user.finalize(&evalCtx{exec: x}, &st)
}

// settleUser folds the kept inputs into the state for good, so that the
// calls sharing it (aggshare.go) do not fold them again.
func (a *accumulator) settleUser(x *execCtx) error {
	if a.parts == nil {
		return nil
	}
	st, err := a.userState(x)
	if err != nil {
		return err
	}
	a.user, a.parts = &st, nil
	return nil
}

// userState is the state after the kept inputs, folded in order, without
// changing the accumulator.
func (a *accumulator) userState(x *execCtx) (userAggState, error) {
	u := a.spec.user
	ec := &evalCtx{exec: x}
	var st userAggState
	if a.user != nil {
		st = *a.user
		st.row = make([]types.Datum, len(a.user.row))
	}
	if a.parts != nil {
		parts := append([]aggPart(nil), a.parts...)
		if len(a.spec.keys) > 0 {
			sort.SliceStable(parts, func(i, j int) bool { return lessRow(parts[i].keys, parts[j].keys, a.spec.keys) })
		} else {
			// DISTINCT feeds the values in sorted order, NULLs last.
			sort.SliceStable(parts, func(i, j int) bool {
				return lessInputs(aggInputs(parts[i].v, u.nargs), aggInputs(parts[j].v, u.nargs))
			})
		}
		for _, p := range parts {
			if err := u.advance(ec, &st, p.v); err != nil {
				return userAggState{}, err
			}
		}
	}
	return st, nil
}

// finalize makes the aggregate's result from the state st (which it
// does not change): the initial state when no row came, then the final
// function.
func (u *userAggSpec) finalize(ec *evalCtx, st *userAggState) (types.Datum, error) {
	if !st.started {
		st.started = true
		if u.init != nil {
			init, err := u.init.Eval(ec, nil)
			if err != nil {
				return nil, err
			}
			st.value = init
		}
	}
	if u.final == nil {
		return st.value, nil
	}
	if st.value == nil && u.finalStrict {
		return nil, nil
	}
	if u.finalStrict && u.finalArgs > 1 {
		// FINALFUNC_EXTRA's arguments are NULL: a strict final function
		// is not called.
		return nil, nil
	}
	row := make([]types.Datum, u.finalArgs)
	row[0] = st.value
	return u.final.Eval(ec, row)
}

// lessInputs orders two rows' inputs value by value, NULLs last.
func lessInputs(x, y []types.Datum) bool {
	for i := range x {
		switch {
		case x[i] == nil && y[i] == nil:
			continue
		case x[i] == nil:
			return false
		case y[i] == nil:
			return true
		}
		if c := types.Compare(x[i], y[i]); c != 0 {
			return c < 0
		}
	}
	return false
}
