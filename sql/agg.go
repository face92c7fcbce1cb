package sql

import (
	"sort"
	"unsafe"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// aggSpec is one aggregate call of a query: its argument (nil for
// count(*)) and result type.
type aggSpec struct {
	name     string
	arg      expr
	distinct bool
	t        types.T
	// filter, when set, admits only the rows for which it is true.
	filter expr
	// sep is string_agg's delimiter, evaluated for each row.
	sep expr
	// order is the aggregate's ORDER BY, which array_agg and string_agg
	// follow; the other aggregates' results do not depend on it.
	order []expr
	keys  []sortKey
	// rows says json_agg's argument is a whole row (json text).
	rows bool
	// ordered is set for an ordered-set aggregate (aggordered.go).
	ordered *orderedSetSpec
	// regr is set for the regression aggregates (aggregress.go), so
	// that the per-row path tests a flag, not the name.
	regr bool
	// user is set for a user-defined aggregate (agguser.go).
	user *userAggSpec
	// transFrom, when not 0, is 1 + the index among its query level's
	// aggregates of the earlier call whose transition state this one
	// reads instead of keeping its own (aggshare.go).
	transFrom int
}

// aggArgScope is the scope an aggregate's arguments are bound in: the FROM
// scope without grouping, or for an aggregate used as a window function
// (b.windowArgs), the query level's grouped scope, where the arguments may
// themselves call aggregates (sum(count(*)) OVER ()).
func (b *binder) aggArgScope(from *scope) *scope {
	if b.windowArgs != nil {
		return b.windowArgs
	}
	return &scope{cols: from.cols, parent: from.parent}
}

// bindAggOrder binds an aggregate's ORDER BY in the FROM scope. With
// DISTINCT, each key must be one of the arguments, as in PostgreSQL.
func (b *binder) bindAggOrder(x *ast.FuncCall, spec *aggSpec, plain *scope) error {
	for i, o := range x.OrderBy {
		if b.nestedAggregate(o.Expr, plain) {
			return pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(o.Expr.Position())
		}
		if x.Distinct {
			found := false
			for _, a := range x.Args {
				found = found || exprKey(a) == exprKey(o.Expr)
			}
			if !found {
				return pgerr.New(pgerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list").WithPosition(o.Expr.Position())
			}
		}
		e, err := b.bindExpr(o.Expr, plain)
		if err != nil {
			return err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, textT, false, o.Expr.Position()); err != nil {
				return err
			}
		}
		k := sortKey{idx: i, desc: o.Desc, nullsFirst: o.Desc}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		spec.order = append(spec.order, e)
		spec.keys = append(spec.keys, k)
	}
	return nil
}

func (b *binder) bindAggregate(x *ast.FuncCall, from *scope) (*aggSpec, error) {
	if err := b.checkLateralAggregate(x, from); err != nil {
		return nil, err
	}
	if x.OrderUsing != "" {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ORDER BY USING %s in an aggregate is not supported", x.OrderUsing).WithPosition(x.Pos)
	}
	spec := &aggSpec{name: x.Name, distinct: x.Distinct}
	if x.Name == "count" && !x.Star && len(x.Args) == 0 {
		return nil, pgerr.New(pgerr.WrongObjectType, "count(*) must be used to call a parameterless aggregate function").WithPosition(x.Pos)
	}
	for _, a := range x.Args {
		if w := windowCall(a); w != nil {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot contain window function calls").WithPosition(w.Pos)
		}
	}
	if x.Name == "every" {
		spec.name = "bool_and"
	}
	if x.Filter != nil {
		if containsAggregate(x.Filter) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in FILTER").WithPosition(x.Filter.Position())
		}
		plain := b.aggArgScope(from)
		f, err := b.bindExpr(x.Filter, plain)
		if err != nil {
			return nil, err
		}
		if plain.correlated {
			from.correlated = true
		}
		if spec.filter, err = b.coerce(f, types.New(types.Bool), "argument of FILTER", x.Filter.Position()); err != nil {
			return nil, err
		}
	}
	if x.UserAgg {
		return b.bindUserAggregate(x, spec, from)
	}
	if x.WithinGroup || isOrderedSetAgg(x.Name) {
		return b.bindOrderedSetAgg(x, spec, from)
	}
	if x.Star {
		if x.Name != "count" {
			return nil, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed", x.Name).WithPosition(x.Pos)
		}
		spec.t = types.New(types.Int8)
		return spec, nil
	}
	if x.Name == "string_agg" {
		return b.bindStringAgg(x, spec, from)
	}
	if x.Name == "json_object_agg" || x.Name == "jsonb_object_agg" {
		return b.bindJSONObjectAgg(x, spec, from)
	}
	if isRegrAgg(x.Name) {
		return b.bindRegrAgg(x, spec, from)
	}
	if len(x.Args) != 1 {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s with %d arguments does not exist", x.Name, len(x.Args)).WithPosition(x.Pos)
	}
	// Aggregate arguments are bound in the FROM scope without grouping;
	// an aggregate nested in another is an error.
	plain := b.aggArgScope(from)
	if b.windowArgs == nil && b.nestedAggregate(x.Args[0], from) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(x.Pos)
	}
	var arg expr
	var err error
	if table, whole := wholeRowTable(x.Args[0], plain); whole && (x.Name == "json_agg" || x.Name == "jsonb_agg") {
		// json_agg(t): the rows as objects.
		arg, err = b.bindWholeRow(table, plain, x.Pos, nil)
		spec.rows = true
	} else {
		arg, err = b.bindExpr(x.Args[0], plain)
	}
	if err != nil {
		return nil, err
	}
	if err := b.bindAggOrder(x, spec, plain); err != nil {
		return nil, err
	}
	if plain.correlated {
		from.correlated = true
	}
	at := arg.Type()
	if at.ID == types.Unknown && spec.name == "array_agg" {
		// array_agg(anynonarray) and array_agg(anyarray) both take it.
		return nil, pgerr.New(pgerr.AmbiguousFunction, "function array_agg(unknown) is not unique").
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.").WithPosition(x.Pos)
	}
	if at.ID == types.Unknown {
		target := types.New(types.Text)
		if spec.name == "sum" || spec.name == "avg" {
			target = types.New(types.Numeric)
		}
		if arg, err = b.cast(arg, target, false, x.Pos); err != nil {
			return nil, err
		}
		at = target
	}
	spec.arg = arg
	switch spec.name {
	case "count":
		spec.t = types.New(types.Int8)
	case "sum":
		switch at.ID {
		case types.Int2, types.Int4:
			spec.t = types.New(types.Int8)
		case types.Int8, types.Numeric:
			spec.t = types.New(types.Numeric)
		case types.Float4, types.Float8:
			spec.t = types.New(at.ID)
		case types.Interval:
			spec.t = types.New(types.Interval)
		case types.MoneyType:
			spec.t = types.New(types.MoneyType)
		default:
			return nil, undefinedFunction("sum", []expr{arg}, x.Pos)
		}
	case "avg":
		switch {
		case at.ID == types.Float4, at.ID == types.Float8:
			spec.t = types.New(types.Float8)
		case at.IsNumeric():
			spec.t = types.New(types.Numeric)
		case at.ID == types.Interval:
			spec.t = types.New(types.Interval)
		default:
			return nil, undefinedFunction("avg", []expr{arg}, x.Pos)
		}
	case "variance", "var_samp", "var_pop", "stddev", "stddev_samp", "stddev_pop":
		switch {
		case at.ID == types.Float4 || at.ID == types.Float8:
			spec.t = types.New(types.Float8)
		case at.IsNumeric():
			spec.t = types.New(types.Numeric)
		default:
			return nil, undefinedFunction(spec.name, []expr{arg}, x.Pos)
		}
	case "min", "max":
		if at.ID == types.Bytea || at.ID == types.UUID || isJSONType(at) || at.ID == types.MacAddr || at.ID == types.MacAddr8 || at.IsGeometric() {
			// PostgreSQL 15 has no min or max of them.
			return nil, undefinedFunction(spec.name, []expr{arg}, x.Pos)
		}
		spec.t = types.Base(at)
		if at.ID == types.Cidr {
			spec.t = types.New(types.Inet) // max(inet) takes cidr
		}
	case "bool_and", "bool_or":
		if at.ID != types.Bool {
			return nil, undefinedFunction(x.Name, []expr{arg}, x.Pos)
		}
		spec.t = types.New(types.Bool)
	case "json_agg", "jsonb_agg":
		spec.t = jsonT
		if spec.name == "jsonb_agg" {
			spec.t = jsonbT
		}
	case "array_agg":
		t, ok := types.ArrayOf(types.Base(at))
		if at.IsArray() {
			// array_agg(anyarray): the arrays stacked.
			t, ok = types.Base(at), true
		}
		if !ok {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "array_agg of %s is not supported", at.Name()).WithPosition(x.Pos)
		}
		if spec.arg, err = b.cast(arg, types.Base(at), false, x.Pos); err != nil {
			return nil, err
		}
		spec.t = t
	}
	return spec, nil
}

// bindStringAgg binds string_agg(text, text): the non-NULL values joined,
// each after the first preceded by its own row's delimiter.
func (b *binder) bindStringAgg(x *ast.FuncCall, spec *aggSpec, from *scope) (*aggSpec, error) {
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
	if args[0].Type().ID == types.Bytea {
		// string_agg(bytea, bytea): the same joining, of byte strings
		// (which a bytea value holds as a Go string).
		byteaT := types.New(types.Bytea)
		if st := args[1].Type().ID; st != types.Bytea && st != types.Unknown {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		sep, err := b.cast(args[1], byteaT, false, x.Pos)
		if err != nil {
			return nil, err
		}
		spec.arg, spec.sep, spec.t = args[0], sep, byteaT
		return spec, nil
	}
	for i, a := range args {
		if !a.Type().IsString() {
			return nil, undefinedFunction(x.Name, args, x.Pos)
		}
		c, err := b.cast(a, textT, false, x.Pos)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	spec.arg, spec.sep, spec.t = args[0], args[1], textT
	return spec, nil
}

func containsAggregate(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && isAggregateCall(f) && f.Over == nil {
			found = true
		}
		_, sub := x.(*ast.SubqueryExpr)
		return !found && !sub
	})
	return found
}

// snapshot returns a copy of a's state that result may consume while a
// goes on taking values (a window's running aggregate).
func (a *accumulator) snapshot() *accumulator {
	c := *a
	if a.sumD != nil {
		c.sumD = new(apd.Decimal).Set(a.sumD)
	}
	if a.regr != nil {
		r := *a.regr
		c.regr = &r
	}
	if a.user != nil {
		u := *a.user
		u.row = make([]types.Datum, len(a.user.row))
		c.user = &u
	}
	c.text = append([]byte(nil), a.text...)
	c.parts = append([]aggPart(nil), a.parts...)
	return &c
}

// accumulator folds the values of one group for one aggregate.
type accumulator struct {
	spec  *aggSpec
	count int64
	sumI  int64
	sumF  float64
	sumD  *apd.Decimal
	big   bool // integer sum moved to sumD after overflow
	// nonFinite marks a numeric variance input that is NaN or infinite.
	nonFinite bool
	best      types.Datum
	seen      map[string]bool
	// sep is the delimiter string_agg puts before the value being added.
	sep types.Datum
	// text is string_agg's result so far.
	text []byte
	// arrayBytes is the size of array_agg's values in PostgreSQL's
	// array representation, for its limit.
	arrayBytes int64
	// parts holds array_agg's values, and string_agg(DISTINCT ...)'s
	// values and delimiters until they are sorted.
	parts []aggPart
	// keys are the current row's ORDER BY values.
	keys []types.Datum
	// variance keeps the sum of squares of numeric values in sumSq, of
	// float values the Youngs-Cramer state in floats.
	sumSq  *apd.Decimal
	floats builtins.Float8Accum
	// regr is the two-variable state of the regression aggregates.
	regr *builtins.Float8Regr
	// user is a user-defined aggregate's state.
	user *userAggState
}

// aggPart is one input of an order-sensitive aggregate.
type aggPart struct {
	v, sep types.Datum
	keys   []types.Datum
}

// sortParts orders the inputs by the aggregate's ORDER BY, or by value
// for DISTINCT (NULL last), as PostgreSQL's sort gives them.
func (a *accumulator) sortParts() {
	if len(a.spec.keys) > 0 {
		sort.SliceStable(a.parts, func(i, j int) bool { return lessRow(a.parts[i].keys, a.parts[j].keys, a.spec.keys) })
		return
	}
	if a.seen != nil {
		sort.SliceStable(a.parts, func(i, j int) bool {
			x, y := a.parts[i].v, a.parts[j].v
			return y == nil && x != nil || x != nil && y != nil && types.Compare(x, y) < 0
		})
	}
}

func newAccumulator(spec *aggSpec) *accumulator {
	a := &accumulator{spec: spec}
	if spec.distinct {
		a.seen = make(map[string]bool)
	}
	return a
}

// add folds v into the aggregate, counting the state it keeps against
// the statement's memory.
func (a *accumulator) add(x *execCtx, v types.Datum) error {
	if a.spec.ordered != nil {
		return a.addOrdered(x, v)
	}
	if a.spec.user != nil {
		return a.addUser(x, v)
	}
	if a.spec.name == "array_agg" || a.spec.name == "json_agg" || a.spec.name == "jsonb_agg" {
		// array_agg and json_agg keep NULLs.
		if a.seen != nil {
			k := string(types.EncodeKey([]types.Datum{v}))
			if a.seen[k] {
				return nil
			}
			if err := x.grow(hashEntryBytes + int64(len(k))); err != nil {
				return err
			}
			a.seen[k] = true
		}
		a.arrayBytes += pgArrayElemBytes(v)
		if a.count >= arrayAggElemsMax || a.arrayBytes > allocBytesMax {
			return arrayTooLarge()
		}
		if err := x.grow(a.partBytes(v, nil)); err != nil {
			return err
		}
		a.count++
		a.parts = append(a.parts, aggPart{v: v, keys: a.keys})
		return nil
	}
	if v == nil && (a.spec.name == "json_object_agg" || a.spec.name == "jsonb_object_agg") {
		return pgerr.New(pgerr.InvalidParameterValue, "field name must not be null")
	}
	if a.spec.arg != nil && v == nil {
		return nil
	}
	if a.spec.regr {
		return a.addRegr(v, a.sep)
	}
	if a.seen != nil {
		k := string(types.EncodeKey([]types.Datum{v}))
		if a.seen[k] {
			return nil
		}
		if err := x.grow(hashEntryBytes + int64(len(k))); err != nil {
			return err
		}
		a.seen[k] = true
	}
	a.count++
	if isVarianceAgg(a.spec.name) {
		return a.addVariance(v)
	}
	switch a.spec.name {
	case "sum", "avg":
		switch x := v.(type) {
		case int64:
			if !a.big {
				s := a.sumI + x
				if (x > 0 && s < a.sumI) || (x < 0 && s > a.sumI) {
					a.big = true
					a.sumD = apd.New(a.sumI, 0)
				} else {
					a.sumI = s
					return nil
				}
			}
			_, err := types.NumericContext().Add(a.sumD, a.sumD, apd.New(x, 0))
			return err
		case float64:
			if a.spec.t.ID == types.Float4 {
				// sum(real) adds in real arithmetic, as float4pl.
				r, err := builtins.Float4Arith("+")([]types.Datum{a.sumF, x})
				if err != nil {
					return err
				}
				a.sumF = r.(float64)
				return nil
			}
			a.sumF += x
		case *apd.Decimal:
			if a.sumD == nil {
				a.sumD = new(apd.Decimal)
			}
			if a.sumD.Form != apd.Finite || x.Form != apd.Finite {
				// Infinities and NaN as numeric_add has them:
				// -Infinity + Infinity is NaN.
				r, err := builtins.NumericArith("+")([]types.Datum{a.sumD, x})
				if err != nil {
					return err
				}
				a.sumD.Set(types.ToDecimal(r))
				return nil
			}
			_, err := types.NumericContext().Add(a.sumD, a.sumD, x)
			return err
		case types.Money:
			// The money sum is kept in best, as cash_pl adds.
			if a.best == nil {
				a.best = x
				return nil
			}
			r, err := builtins.MoneyAdd(a.best.(types.Money), x)
			if err != nil {
				return err
			}
			a.best = r
			return nil
		case types.IntervalValue:
			// The interval sum is kept in best (min and max's slot).
			if a.best == nil {
				a.best = x
				return nil
			}
			s, err := builtins.AddIntervals(a.best.(types.IntervalValue), x, 1)
			a.best = s
			return err
		}
	case "min", "max":
		if a.best == nil {
			a.best = v
			return nil
		}
		c := types.Compare(v, a.best)
		if (a.spec.name == "min" && c < 0) || (a.spec.name == "max" && c > 0) {
			a.best = v
		}
	case "bool_and":
		if a.best == nil {
			a.best = v
		} else {
			a.best = a.best.(bool) && v.(bool)
		}
	case "bool_or":
		if a.best == nil {
			a.best = v
		} else {
			a.best = a.best.(bool) || v.(bool)
		}
	case "json_object_agg", "jsonb_object_agg":
		if err := x.grow(a.partBytes(v, a.sep)); err != nil {
			return err
		}
		a.parts = append(a.parts, aggPart{v: v, sep: a.sep, keys: a.keys})
	case "string_agg":
		if a.seen != nil || len(a.spec.keys) > 0 {
			// Joined in order once all are in.
			if err := x.grow(a.partBytes(v, a.sep)); err != nil {
				return err
			}
			a.parts = append(a.parts, aggPart{v: v, sep: a.sep, keys: a.keys})
			return nil
		}
		if a.count > 1 && a.sep != nil {
			if err := a.appendText(x, a.sep.(string)); err != nil {
				return err
			}
		}
		return a.appendText(x, v.(string))
	}
	return nil
}

// partBytes is what keeping v (with its delimiter and the row's ORDER BY
// values) costs.
func (a *accumulator) partBytes(v, sep types.Datum) int64 {
	n := aggPartBytes + datumBytes(v) + datumBytes(sep)
	if a.keys != nil {
		n += rowBytes(a.keys)
	}
	return n
}

// appendText appends s to string_agg's text as PostgreSQL's string buffer
// does: refused when the text would reach allocBytesMax (54000), and
// counted against the statement's memory before the buffer grows.
func (a *accumulator) appendText(x *execCtx, s string) error {
	if err := enlargeText(len(a.text), len(s)); err != nil {
		return err
	}
	if need := len(a.text) + len(s); need > cap(a.text) {
		c := min(max(2*cap(a.text), need, 64), allocBytesMax)
		if err := x.grow(int64(c - cap(a.text))); err != nil {
			return err
		}
		a.text = append(make([]byte, 0, c), a.text...)
	}
	a.text = append(a.text, s...)
	return nil
}

// result is the aggregate's value. The caller counts it against the
// statement's memory; x counts string_agg's buffer while it is joined.
func (a *accumulator) result(x *execCtx) (types.Datum, error) {
	if a.spec.ordered != nil {
		return a.orderedResult()
	}
	if a.spec.user != nil {
		return a.userResult(x)
	}
	switch a.spec.name {
	case "count":
		return a.count, nil
	case "min", "max", "bool_and", "bool_or":
		return a.best, nil
	case "array_agg":
		if a.count == 0 {
			return nil, nil
		}
		a.sortParts()
		out := &types.Array{Elems: make([]types.Datum, len(a.parts))}
		for i, p := range a.parts {
			out.Elems[i] = p.v
		}
		if a.spec.arg.Type().IsArray() {
			return accumArrays(out.Elems)
		}
		return out, nil
	case "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg":
		if a.count == 0 {
			return nil, nil
		}
		a.sortParts()
		return jsonAggResult(a.spec, a.parts)
	case "string_agg":
		if a.count == 0 {
			return nil, nil
		}
		if a.parts != nil {
			a.sortParts()
			for i, p := range a.parts {
				if i > 0 && p.sep != nil {
					if err := a.appendText(x, p.sep.(string)); err != nil {
						return nil, err
					}
				}
				if err := a.appendText(x, p.v.(string)); err != nil {
					return nil, err
				}
			}
		}
		if len(a.text) == 0 {
			return "", nil
		}
		// The buffer becomes the result, without a copy of up to 1 GB:
		// nothing writes to it after this.
		s := unsafe.String(&a.text[0], len(a.text))
		a.text = nil
		return s, nil
	}
	if isVarianceAgg(a.spec.name) {
		return a.varianceResult()
	}
	if a.spec.regr {
		return a.regrResult(), nil
	}
	if a.count == 0 {
		return nil, nil
	}
	argType := a.spec.arg.Type().ID
	if argType == types.MoneyType {
		return a.best, nil
	}
	if argType == types.Interval {
		if a.spec.name == "sum" {
			return a.best, nil
		}
		return intervalResult(builtins.MulInterval(a.best.(types.IntervalValue), float64(a.count), true))
	}
	var sum types.Datum
	switch {
	case argType == types.Float4, argType == types.Float8:
		sum = a.sumF
	case a.sumD != nil || a.big:
		if a.sumD == nil {
			a.sumD = new(apd.Decimal)
		}
		if !a.big && a.sumI != 0 {
			types.NumericContext().Add(a.sumD, a.sumD, apd.New(a.sumI, 0))
		}
		sum = a.sumD
	default:
		sum = a.sumI
	}
	if a.spec.name == "sum" {
		if a.spec.t.ID == types.Numeric {
			return types.ToDecimal(sum), nil
		}
		if a.spec.t.ID == types.Int8 {
			if d, ok := sum.(*apd.Decimal); ok {
				i, err := d.Int64()
				if err != nil {
					return nil, types.IntOutOfRange(a.spec.t)
				}
				return i, nil
			}
		}
		return sum, nil
	}
	if a.spec.t.ID == types.Float8 {
		return types.ToFloat(sum) / float64(a.count), nil
	}
	return builtins.NumericArith("/")([]types.Datum{types.ToDecimal(sum), apd.New(a.count, 0)})
}
