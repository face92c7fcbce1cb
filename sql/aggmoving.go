package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// A moving-aggregate implementation (CREATE AGGREGATE's MSTYPE, MSFUNC,
// MINVFUNC, MFINALFUNC, MINITCOND), checked as PostgreSQL's
// DefineAggregate and AggregateCreate check it: MSTYPE needs MSFUNC and
// MINVFUNC and the others need MSTYPE (42P13); both transition functions
// return the moving state type (42804) and are equally strict (42P13); a
// strict MSFUNC without MINITCOND takes the first input as its state; and
// the moving implementation returns the plain one's result type (42P13).

// movingAggregate checks the moving-aggregate parameters of an aggregate
// taking args whose plain implementation returns result, and returns
// what pg_aggregate keeps of them (nil when there are none).
func (b *binder) movingAggregate(x *execCtx, o movingAggOptions, args []types.T, result types.T, deps map[uint32]bool) (*catalog.AggMoving, error) {
	invalid := func(format string, a ...any) error {
		return pgerr.New(pgerr.InvalidFunctionDefinition, format, a...)
	}
	if o.stateType == nil {
		switch {
		case o.transFn != nil:
			return nil, invalid("aggregate msfunc must not be specified without mstype")
		case o.invFn != nil:
			return nil, invalid("aggregate minvfunc must not be specified without mstype")
		case o.finalFn != nil:
			return nil, invalid("aggregate mfinalfunc must not be specified without mstype")
		case o.spaceGiven:
			return nil, invalid("aggregate msspace must not be specified without mstype")
		case o.initCond != nil:
			return nil, invalid("aggregate minitcond must not be specified without mstype")
		}
		return nil, nil
	}
	if o.transFn == nil {
		return nil, invalid("aggregate msfunc must be specified when mstype is specified")
	}
	if o.invFn == nil {
		return nil, invalid("aggregate minvfunc must be specified when mstype is specified")
	}
	state, err := b.routineType(*o.stateType, deps)
	if err != nil {
		return nil, err
	}
	if state.ID == types.Void || state.ID == types.Trigger {
		return nil, invalid("aggregate transition data type cannot be %s", routineTypeName(state))
	}
	m := &catalog.AggMoving{State: state, InitCond: o.initCond, FinalExtra: o.finalExtra, FinalModify: o.finalModify}
	if m.FinalModify == "" {
		m.FinalModify = "r"
	}
	in := append([]types.T{state}, args...)
	trans, transDesc, err := b.aggSupportFn(o.transFn, in)
	if err != nil {
		return nil, err
	}
	if trans.Type().ID != state.ID {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "return type of transition function %s is not %s",
			strings.Join(o.transFn, "."), routineTypeName(state))
	}
	m.TransFn = aggFnOf(o.transFn, transDesc, in)
	transStrict := aggFnStrict(transDesc, o.transFn, len(in))
	if transStrict && m.InitCond == nil && (len(args) == 0 || args[0].ID != state.ID) {
		return nil, invalid("must not omit initial value when transition function is strict and transition type is not compatible with input type")
	}
	inv, invDesc, err := b.aggSupportFn(o.invFn, in)
	if err != nil {
		return nil, err
	}
	if inv.Type().ID != state.ID {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "return type of inverse transition function %s is not %s",
			strings.Join(o.invFn, "."), routineTypeName(state))
	}
	if aggFnStrict(invDesc, o.invFn, len(in)) != transStrict {
		return nil, invalid("strictness of aggregate's forward and inverse transition functions must match")
	}
	m.InvFn = aggFnOf(o.invFn, invDesc, in)
	movingResult := state
	if o.finalFn != nil {
		fin := []types.T{state}
		if o.finalExtra {
			fin = append(fin, args...)
		}
		final, finalDesc, err := b.aggSupportFn(o.finalFn, fin)
		if err != nil {
			return nil, err
		}
		if o.finalExtra && aggFnStrict(finalDesc, o.finalFn, len(fin)) {
			return nil, invalid("final function with extra arguments must not be declared STRICT")
		}
		movingResult = final.Type()
		fn := aggFnOf(o.finalFn, finalDesc, fin)
		m.Final = &fn
	}
	if movingResult.ID != result.ID {
		return nil, invalid("moving-aggregate implementation returns type %s, but plain implementation returns type %s",
			routineTypeName(movingResult), routineTypeName(result))
	}
	if m.InitCond != nil {
		if _, err := aggInitialState(x, m.InitCond, state); err != nil {
			return nil, err
		}
	}
	return m, nil
}
