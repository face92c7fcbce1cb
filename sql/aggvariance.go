package sql

import (
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// The variance and standard deviation aggregates: variance and var_samp,
// var_pop, stddev and stddev_samp, stddev_pop. Numeric (and integer)
// inputs are summed exactly and finished by builtins.NumericVariance;
// float inputs fold as float8_accum does.

func isVarianceAgg(name string) bool {
	switch name {
	case "variance", "var_samp", "var_pop", "stddev", "stddev_samp", "stddev_pop":
		return true
	}
	return false
}

func (a *accumulator) addVariance(v types.Datum) error {
	if f, ok := v.(float64); ok {
		a.floats.Add(f)
		return nil
	}
	d := types.ToDecimal(v)
	if d.Form != apd.Finite {
		// The result is NaN, as PostgreSQL's numeric accumulators make
		// it for any NaN or infinite input.
		a.nonFinite = true
		return nil
	}
	if a.sumD == nil {
		a.sumD, a.sumSq = new(apd.Decimal), new(apd.Decimal)
	}
	ctx := types.NumericContext()
	if _, err := ctx.Add(a.sumD, a.sumD, d); err != nil {
		return err
	}
	var sq apd.Decimal
	if _, err := ctx.Mul(&sq, d, d); err != nil {
		return err
	}
	_, err := ctx.Add(a.sumSq, a.sumSq, &sq)
	return err
}

func (a *accumulator) varianceResult() (types.Datum, error) {
	name := a.spec.name
	sample := !strings.HasSuffix(name, "_pop")
	stddev := strings.HasPrefix(name, "stddev")
	if a.spec.t.ID == types.Float8 {
		return a.floats.Variance(sample, stddev), nil
	}
	if a.nonFinite {
		if a.count == 0 || sample && a.count <= 1 {
			return nil, nil
		}
		return &apd.Decimal{Form: apd.NaN}, nil
	}
	if a.sumD == nil {
		return nil, nil
	}
	return builtins.NumericVariance(a.count, a.sumD, a.sumSq, sample, stddev)
}
