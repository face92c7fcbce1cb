package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// The two-argument statistics aggregates over double precision pairs
// (Y, X): regr_count, regr_sxx, regr_syy, regr_sxy, regr_avgx,
// regr_avgy, regr_r2, regr_slope, regr_intercept, covar_pop, covar_samp
// and corr. A row counts when neither value is NULL. The pair travels as
// the aggregate's argument (Y) and second argument (aggSpec.sep, X).

func isRegrAgg(name string) bool {
	switch name {
	case "regr_count", "regr_sxx", "regr_syy", "regr_sxy", "regr_avgx", "regr_avgy",
		"regr_r2", "regr_slope", "regr_intercept", "covar_pop", "covar_samp", "corr":
		return true
	}
	return false
}

func (b *binder) bindRegrAgg(x *ast.FuncCall, spec *aggSpec, from *scope) (*aggSpec, error) {
	plain := b.aggArgScope(from)
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		if b.windowArgs == nil && b.nestedAggregate(a, from) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(x.Pos)
		}
		e, err := b.bindExpr(a, plain)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if err := b.bindAggOrder(x, spec, plain); err != nil {
		return nil, err
	}
	if plain.correlated {
		from.correlated = true
	}
	if len(args) != 2 {
		return nil, undefinedFunction(x.Name, args, x.Pos)
	}
	f8 := types.New(types.Float8)
	for i, a := range args {
		if at := a.Type(); !at.IsNumeric() && at.ID != types.Unknown {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		c, err := b.cast(a, f8, false, x.Pos)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	spec.arg, spec.sep, spec.t, spec.regr = args[0], args[1], f8, true
	if x.Name == "regr_count" {
		spec.t = types.New(types.Int8)
	}
	return spec, nil
}

// addRegr folds the pair (y, x): the caller has skipped a NULL y.
func (a *accumulator) addRegr(y, x types.Datum) error {
	if x == nil {
		return nil
	}
	if a.regr == nil {
		a.regr = new(builtins.Float8Regr)
	}
	a.count++
	return a.regr.Add(y.(float64), x.(float64))
}

func (a *accumulator) regrResult() types.Datum {
	if a.regr == nil {
		if a.spec.name == "regr_count" {
			return int64(0)
		}
		return nil
	}
	return a.regr.Result(a.spec.name)
}
