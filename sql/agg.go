package sql

import (
	"sort"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// aggSpec is one aggregate call of a query: its argument (nil for
// count(*)) and result type.
type aggSpec struct {
	name     string
	arg      expr
	distinct bool
	t        Type
	// filter, when set, admits only the rows for which it is true.
	filter expr
	// sep is string_agg's delimiter, evaluated for each row.
	sep expr
}

func (b *binder) bindAggregate(x *FuncCall, from *scope) (*aggSpec, error) {
	spec := &aggSpec{name: x.Name, distinct: x.Distinct}
	if x.Name == "every" {
		spec.name = "bool_and"
	}
	if x.Filter != nil {
		if containsAggregate(x.Filter) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in FILTER").WithPosition(x.Filter.exprPos())
		}
		plain := &scope{cols: from.cols, parent: from.parent}
		f, err := b.bindExpr(x.Filter, plain)
		if err != nil {
			return nil, err
		}
		if plain.correlated {
			from.correlated = true
		}
		if spec.filter, err = b.coerce(f, typ(TypeBool), "argument of FILTER", x.Filter.exprPos()); err != nil {
			return nil, err
		}
	}
	if x.Star {
		if x.Name != "count" {
			return nil, pgerr.New(pgerr.SyntaxError, "%s(*) is not allowed", x.Name).WithPosition(x.Pos)
		}
		spec.t = typ(TypeInt8)
		return spec, nil
	}
	if x.Name == "string_agg" {
		return b.bindStringAgg(x, spec, from)
	}
	if len(x.Args) != 1 {
		return nil, pgerr.New(pgerr.UndefinedFunction, "function %s with %d arguments does not exist", x.Name, len(x.Args)).WithPosition(x.Pos)
	}
	// Aggregate arguments are bound in the FROM scope without grouping;
	// an aggregate nested in another is an error.
	plain := &scope{cols: from.cols, parent: from.parent}
	if containsAggregate(x.Args[0]) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(x.Pos)
	}
	arg, err := b.bindExpr(x.Args[0], plain)
	if err != nil {
		return nil, err
	}
	if plain.correlated {
		from.correlated = true
	}
	at := arg.Type()
	if at.ID == TypeUnknown {
		target := typ(TypeText)
		if spec.name == "sum" || spec.name == "avg" {
			target = typ(TypeNumeric)
		}
		if arg, err = b.cast(arg, target, false, x.Pos); err != nil {
			return nil, err
		}
		at = target
	}
	spec.arg = arg
	switch spec.name {
	case "count":
		spec.t = typ(TypeInt8)
	case "sum":
		switch at.ID {
		case TypeInt2, TypeInt4:
			spec.t = typ(TypeInt8)
		case TypeInt8, TypeNumeric:
			spec.t = typ(TypeNumeric)
		case TypeFloat8:
			spec.t = typ(TypeFloat8)
		default:
			return nil, undefinedFunction("sum", []expr{arg}, x.Pos)
		}
	case "avg":
		switch {
		case at.ID == TypeFloat8:
			spec.t = typ(TypeFloat8)
		case at.isNumeric():
			spec.t = typ(TypeNumeric)
		default:
			return nil, undefinedFunction("avg", []expr{arg}, x.Pos)
		}
	case "min", "max":
		spec.t = baseType(at)
	case "bool_and", "bool_or":
		if at.ID != TypeBool {
			return nil, undefinedFunction(x.Name, []expr{arg}, x.Pos)
		}
		spec.t = typ(TypeBool)
	}
	return spec, nil
}

// bindStringAgg binds string_agg(text, text): the non-NULL values joined,
// each after the first preceded by its own row's delimiter.
func (b *binder) bindStringAgg(x *FuncCall, spec *aggSpec, from *scope) (*aggSpec, error) {
	plain := &scope{cols: from.cols, parent: from.parent}
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		if containsAggregate(a) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(x.Pos)
		}
		e, err := b.bindExpr(a, plain)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if plain.correlated {
		from.correlated = true
	}
	if len(args) != 2 {
		return nil, undefinedFunction(x.Name, args, x.Pos)
	}
	for i, a := range args {
		if !a.Type().isString() {
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

func containsAggregate(e Expr) bool {
	found := false
	walkExpr(e, func(x Expr) bool {
		if f, ok := x.(*FuncCall); ok && isAggregate(f.Name) {
			found = true
		}
		_, sub := x.(*SubqueryExpr)
		return !found && !sub
	})
	return found
}

// walkExpr calls fn on e and its children, depth first, while fn returns
// true. It does not enter subqueries.
func walkExpr(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch x := e.(type) {
	case *UnaryExpr:
		walkExpr(x.X, fn)
	case *BinaryExpr:
		walkExpr(x.L, fn)
		walkExpr(x.R, fn)
	case *IsExpr:
		walkExpr(x.X, fn)
		walkExpr(x.Y, fn)
	case *FuncCall:
		for _, a := range x.Args {
			walkExpr(a, fn)
		}
		walkExpr(x.Filter, fn)
	case *CastExpr:
		walkExpr(x.X, fn)
	case *CollateExpr:
		walkExpr(x.X, fn)
	case *RowExpr:
		for _, a := range x.Items {
			walkExpr(a, fn)
		}
	case *CaseExpr:
		walkExpr(x.Arg, fn)
		for _, w := range x.Whens {
			walkExpr(w.Cond, fn)
			walkExpr(w.Result, fn)
		}
		walkExpr(x.Else, fn)
	case *InExpr:
		walkExpr(x.X, fn)
		for _, a := range x.List {
			walkExpr(a, fn)
		}
		walkExpr(x.Array, fn)
	case *ArrayExpr:
		for _, a := range x.Items {
			walkExpr(a, fn)
		}
	case *SubscriptExpr:
		walkExpr(x.X, fn)
		for _, i := range x.Indexes {
			walkExpr(i, fn)
		}
	case *BetweenExpr:
		walkExpr(x.X, fn)
		walkExpr(x.Lo, fn)
		walkExpr(x.Hi, fn)
	}
}

// accumulator folds the values of one group for one aggregate.
type accumulator struct {
	spec  *aggSpec
	count int64
	sumI  int64
	sumF  float64
	sumD  *apd.Decimal
	big   bool // integer sum moved to sumD after overflow
	best  Datum
	seen  map[string]bool
	// sep is the delimiter string_agg puts before the value being added.
	sep Datum
	str strings.Builder
	// parts holds string_agg(DISTINCT ...)'s values and delimiters until
	// they are sorted.
	parts [][2]Datum
}

func newAccumulator(spec *aggSpec) *accumulator {
	a := &accumulator{spec: spec}
	if spec.distinct {
		a.seen = make(map[string]bool)
	}
	return a
}

func (a *accumulator) add(v Datum) error {
	if a.spec.arg != nil && v == nil {
		return nil
	}
	if a.seen != nil {
		k := string(encodeKey([]Datum{v}))
		if a.seen[k] {
			return nil
		}
		a.seen[k] = true
	}
	a.count++
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
			_, err := numericCtx.Add(a.sumD, a.sumD, apd.New(x, 0))
			return err
		case float64:
			a.sumF += x
		case *apd.Decimal:
			if a.sumD == nil {
				a.sumD = new(apd.Decimal)
			}
			_, err := numericCtx.Add(a.sumD, a.sumD, x)
			return err
		}
	case "min", "max":
		if a.best == nil {
			a.best = v
			return nil
		}
		c := compareDatums(v, a.best)
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
	case "string_agg":
		if a.seen != nil {
			// DISTINCT: PostgreSQL sorts the distinct values first.
			a.parts = append(a.parts, [2]Datum{v, a.sep})
			return nil
		}
		if a.count > 1 && a.sep != nil {
			a.str.WriteString(a.sep.(string))
		}
		a.str.WriteString(v.(string))
	}
	return nil
}

func (a *accumulator) result() (Datum, error) {
	switch a.spec.name {
	case "count":
		return a.count, nil
	case "min", "max", "bool_and", "bool_or":
		return a.best, nil
	case "string_agg":
		if a.count == 0 {
			return nil, nil
		}
		if a.seen != nil {
			sort.SliceStable(a.parts, func(i, j int) bool { return compareDatums(a.parts[i][0], a.parts[j][0]) < 0 })
			for i, p := range a.parts {
				if i > 0 && p[1] != nil {
					a.str.WriteString(p[1].(string))
				}
				a.str.WriteString(p[0].(string))
			}
		}
		return a.str.String(), nil
	}
	if a.count == 0 {
		return nil, nil
	}
	argType := a.spec.arg.Type().ID
	var sum Datum
	switch {
	case argType == TypeFloat8:
		sum = a.sumF
	case a.sumD != nil || a.big:
		if a.sumD == nil {
			a.sumD = new(apd.Decimal)
		}
		if !a.big && a.sumI != 0 {
			numericCtx.Add(a.sumD, a.sumD, apd.New(a.sumI, 0))
		}
		sum = a.sumD
	default:
		sum = a.sumI
	}
	if a.spec.name == "sum" {
		if a.spec.t.ID == TypeNumeric {
			return toDecimal(sum), nil
		}
		if a.spec.t.ID == TypeInt8 {
			if d, ok := sum.(*apd.Decimal); ok {
				i, err := d.Int64()
				if err != nil {
					return nil, intOutOfRange(a.spec.t)
				}
				return i, nil
			}
		}
		return sum, nil
	}
	if a.spec.t.ID == TypeFloat8 {
		return toFloat(sum) / float64(a.count), nil
	}
	return numericDiv(toDecimal(sum), apd.New(a.count, 0))
}
