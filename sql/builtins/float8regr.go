package builtins

import (
	"math"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The two-variable regression state of float.c: the count N, the sums Sx
// and Sy, and the sums of squared and crossed deviations Sxx, Syy and
// Sxy, folded with the Youngs-Cramer method as float8_regr_accum does;
// the aggregates regr_*, covar_pop, covar_samp and corr finish it. The
// transition and combine functions of the one- and two-variable states
// are callable on their float8[] forms, as in PostgreSQL.

// Float8Regr is float8_regr_accum's state.
type Float8Regr struct{ N, Sx, Sxx, Sy, Syy, Sxy float64 }

// Add folds the pair (y, x) in.
func (r *Float8Regr) Add(y, x float64) error {
	oldN, oldSx, oldSy := r.N, r.Sx, r.Sy
	r.N++
	r.Sx += x
	r.Sy += y
	if oldN > 0 {
		tmpX := x*r.N - r.Sx
		tmpY := y*r.N - r.Sy
		scale := 1 / (r.N * oldN)
		r.Sxx += tmpX * tmpX * scale
		r.Syy += tmpY * tmpY * scale
		r.Sxy += tmpX * tmpY * scale
		// Only finite inputs giving an infinite sum overflow; an infinite
		// input makes the deviations NaN.
		if math.IsInf(r.Sx, 0) || math.IsInf(r.Sxx, 0) {
			if !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) {
				return regrOverflow()
			}
			r.Sxx = math.NaN()
		}
		if math.IsInf(r.Sy, 0) || math.IsInf(r.Syy, 0) {
			if !math.IsInf(oldSy, 0) && !math.IsInf(y, 0) {
				return regrOverflow()
			}
			r.Syy = math.NaN()
		}
		if math.IsInf(r.Sxy, 0) {
			if !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) && !math.IsInf(oldSy, 0) && !math.IsInf(y, 0) {
				return regrOverflow()
			}
			r.Sxy = math.NaN()
		}
		return nil
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		r.Sxx, r.Sxy = math.NaN(), math.NaN()
	}
	if math.IsNaN(y) || math.IsInf(y, 0) {
		r.Syy, r.Sxy = math.NaN(), math.NaN()
	}
	return nil
}

// Combine folds the state o (of other rows) in.
func (r *Float8Regr) Combine(o Float8Regr) error {
	if o.N == 0 {
		return nil
	}
	if r.N == 0 {
		*r = o
		return nil
	}
	n := r.N + o.N
	sx := r.Sx + o.Sx
	if math.IsInf(sx, 0) && !math.IsInf(r.Sx, 0) && !math.IsInf(o.Sx, 0) {
		return regrOverflow()
	}
	tmp1 := r.Sx/r.N - o.Sx/o.N
	sxx := r.Sxx + o.Sxx + r.N*o.N*tmp1*tmp1/n
	if math.IsInf(sxx, 0) && !math.IsInf(r.Sxx, 0) && !math.IsInf(o.Sxx, 0) {
		return regrOverflow()
	}
	sy := r.Sy + o.Sy
	if math.IsInf(sy, 0) && !math.IsInf(r.Sy, 0) && !math.IsInf(o.Sy, 0) {
		return regrOverflow()
	}
	tmp2 := r.Sy/r.N - o.Sy/o.N
	syy := r.Syy + o.Syy + r.N*o.N*tmp2*tmp2/n
	if math.IsInf(syy, 0) && !math.IsInf(r.Syy, 0) && !math.IsInf(o.Syy, 0) {
		return regrOverflow()
	}
	sxy := r.Sxy + o.Sxy + r.N*o.N*tmp1*tmp2/n
	if math.IsInf(sxy, 0) && !math.IsInf(r.Sxy, 0) && !math.IsInf(o.Sxy, 0) {
		return regrOverflow()
	}
	*r = Float8Regr{N: n, Sx: sx, Sxx: sxx, Sy: sy, Syy: syy, Sxy: sxy}
	return nil
}

// Result is the final function of the aggregate name (regr_count and
// the float8 ones): nil where PostgreSQL returns NULL.
func (r *Float8Regr) Result(name string) types.Datum {
	if name == "regr_count" {
		return int64(r.N)
	}
	if r.N < 1 || name == "covar_samp" && r.N < 2 {
		return nil
	}
	switch name {
	case "regr_sxx":
		return r.Sxx
	case "regr_syy":
		return r.Syy
	case "regr_sxy":
		return r.Sxy
	case "regr_avgx":
		return r.Sx / r.N
	case "regr_avgy":
		return r.Sy / r.N
	case "covar_pop":
		return r.Sxy / r.N
	case "covar_samp":
		return r.Sxy / (r.N - 1)
	case "corr":
		if r.Sxx == 0 || r.Syy == 0 {
			return nil
		}
		return r.Sxy / math.Sqrt(r.Sxx*r.Syy)
	case "regr_r2":
		if r.Sxx == 0 {
			return nil
		}
		if r.Syy == 0 {
			return 1.0
		}
		return r.Sxy * r.Sxy / (r.Sxx * r.Syy)
	case "regr_slope":
		if r.Sxx == 0 {
			return nil
		}
		return r.Sxy / r.Sxx
	case "regr_intercept":
		if r.Sxx == 0 {
			return nil
		}
		return (r.Sy - r.Sx*r.Sxy/r.Sxx) / r.N
	}
	return nil
}

// Combine folds the state o in, as float8_combine does.
func (a *Float8Accum) Combine(o Float8Accum) error {
	if o.N == 0 {
		return nil
	}
	if a.N == 0 {
		*a = o
		return nil
	}
	n := a.N + o.N
	sx := a.Sx + o.Sx
	if math.IsInf(sx, 0) && !math.IsInf(a.Sx, 0) && !math.IsInf(o.Sx, 0) {
		return regrOverflow()
	}
	tmp := a.Sx/a.N - o.Sx/o.N
	sxx := a.Sxx + o.Sxx + a.N*o.N*tmp*tmp/n
	if math.IsInf(sxx, 0) && !math.IsInf(a.Sxx, 0) && !math.IsInf(o.Sxx, 0) {
		return regrOverflow()
	}
	*a = Float8Accum{N: n, Sx: sx, Sxx: sxx}
	return nil
}

// stateArray reads a transition state of n float8 values, as float.c's
// check_float8_array demands it.
func stateArray(d types.Datum, fn string, n int) ([]float64, error) {
	a, ok := d.(*types.Array)
	if !ok || len(a.Dims) > 1 || len(a.Elems) != n {
		return nil, pgerr.New(pgerr.InternalError, "%s: expected %d-element float8 array", fn, n)
	}
	out := make([]float64, n)
	for i, e := range a.Elems {
		f, ok := e.(float64)
		if !ok {
			return nil, pgerr.New(pgerr.InternalError, "%s: expected %d-element float8 array", fn, n)
		}
		out[i] = f
	}
	return out, nil
}

func floatsArray(fs ...float64) *types.Array {
	out := &types.Array{Elems: make([]types.Datum, len(fs))}
	for i, f := range fs {
		out.Elems[i] = f
	}
	return out
}

func init() {
	f8, arr := types.Float8, types.Float8Array
	register("float8_accum", &Overload{Args: []types.ID{arr, f8}, Result: arr, Fn: func(a []types.Datum) (types.Datum, error) {
		s, err := stateArray(a[0], "float8_accum", 3)
		if err != nil {
			return nil, err
		}
		acc := Float8Accum{N: s[0], Sx: s[1], Sxx: s[2]}
		oldSx := acc.Sx
		x := a[1].(float64)
		acc.Add(x)
		if math.IsInf(acc.Sx, 0) && !math.IsInf(oldSx, 0) && !math.IsInf(x, 0) {
			return nil, regrOverflow()
		}
		return floatsArray(acc.N, acc.Sx, acc.Sxx), nil
	}})
	register("float8_combine", &Overload{Args: []types.ID{arr, arr}, Result: arr, Fn: func(a []types.Datum) (types.Datum, error) {
		s1, err := stateArray(a[0], "float8_combine", 3)
		if err != nil {
			return nil, err
		}
		s2, err := stateArray(a[1], "float8_combine", 3)
		if err != nil {
			return nil, err
		}
		acc := Float8Accum{N: s1[0], Sx: s1[1], Sxx: s1[2]}
		if err := acc.Combine(Float8Accum{N: s2[0], Sx: s2[1], Sxx: s2[2]}); err != nil {
			return nil, err
		}
		return floatsArray(acc.N, acc.Sx, acc.Sxx), nil
	}})
	register("float8_regr_accum", &Overload{Args: []types.ID{arr, f8, f8}, Result: arr, Fn: func(a []types.Datum) (types.Datum, error) {
		s, err := stateArray(a[0], "float8_regr_accum", 6)
		if err != nil {
			return nil, err
		}
		r := Float8Regr{N: s[0], Sx: s[1], Sxx: s[2], Sy: s[3], Syy: s[4], Sxy: s[5]}
		if err := r.Add(a[1].(float64), a[2].(float64)); err != nil {
			return nil, err
		}
		return floatsArray(r.N, r.Sx, r.Sxx, r.Sy, r.Syy, r.Sxy), nil
	}})
	register("float8_regr_combine", &Overload{Args: []types.ID{arr, arr}, Result: arr, Fn: func(a []types.Datum) (types.Datum, error) {
		s1, err := stateArray(a[0], "float8_regr_combine", 6)
		if err != nil {
			return nil, err
		}
		s2, err := stateArray(a[1], "float8_regr_combine", 6)
		if err != nil {
			return nil, err
		}
		r := Float8Regr{N: s1[0], Sx: s1[1], Sxx: s1[2], Sy: s1[3], Syy: s1[4], Sxy: s1[5]}
		if err := r.Combine(Float8Regr{N: s2[0], Sx: s2[1], Sxx: s2[2], Sy: s2[3], Syy: s2[4], Sxy: s2[5]}); err != nil {
			return nil, err
		}
		return floatsArray(r.N, r.Sx, r.Sxx, r.Sy, r.Syy, r.Sxy), nil
	}})
}

func regrOverflow() error {
	return pgerr.New(pgerr.NumericValueOutOfRange, "value out of range: overflow")
}
