package sql

import (
	"regexp"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// expr is a bound, typed expression.
type expr interface {
	Type() types.T
	Eval(c *evalCtx, row []types.Datum) (types.Datum, error)
}

// evalCtx is what evaluation needs beyond the current row.
type evalCtx struct {
	params []types.Datum
	// outer holds the rows of enclosing queries, innermost last, for
	// correlated subqueries.
	outer [][]types.Datum
	exec  *execCtx
	depth int
	// lateralRow is the row of the FROM items before a LATERAL item, set
	// by the join that runs the item once per such row (lateral.go).
	lateralRow []types.Datum
}

type constExpr struct {
	t types.T
	v types.Datum
	// pos is where a string literal stands in the query (1-based; 0 for
	// other constants): a failed conversion of it is reported there.
	pos int32
}

func (e *constExpr) Type() types.T                                     { return e.t }
func (e *constExpr) Eval(*evalCtx, []types.Datum) (types.Datum, error) { return e.v, nil }

type colExpr struct {
	t     types.T
	idx   int
	level int // 0: the current row; n: the n-th enclosing query's row
}

func (e *colExpr) Type() types.T { return e.t }
func (e *colExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	if e.level > 0 {
		row = c.outer[len(c.outer)-e.level]
	}
	return row[e.idx], nil
}

type paramExpr struct {
	b   *binder
	n   int // 1-based
	pos int32
}

func (e *paramExpr) Type() types.T { return e.b.params[e.n-1] }
func (e *paramExpr) Eval(c *evalCtx, _ []types.Datum) (types.Datum, error) {
	if e.n > len(c.params) {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $%d", e.n)
	}
	return c.params[e.n-1], nil
}

// funcExpr applies fn to its evaluated arguments. When strict, a NULL
// argument makes the result NULL without calling fn.
type funcExpr struct {
	t      types.T
	args   []expr
	strict bool
	fn     func(args []types.Datum) (types.Datum, error)
}

func (e *funcExpr) Type() types.T { return e.t }
func (e *funcExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if v == nil && e.strict {
			return nil, nil
		}
		vals[i] = v
	}
	return e.fn(vals)
}

type andExpr struct{ l, r expr }

func (e *andExpr) Type() types.T { return types.New(types.Bool) }
func (e *andExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	l, err := e.l.Eval(c, row)
	if err != nil {
		return nil, err
	}
	if l == false {
		return false, nil
	}
	r, err := e.r.Eval(c, row)
	if err != nil {
		return nil, err
	}
	if r == false {
		return false, nil
	}
	if l == nil || r == nil {
		return nil, nil
	}
	return true, nil
}

type orExpr struct{ l, r expr }

func (e *orExpr) Type() types.T { return types.New(types.Bool) }
func (e *orExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	l, err := e.l.Eval(c, row)
	if err != nil {
		return nil, err
	}
	if l == true {
		return true, nil
	}
	r, err := e.r.Eval(c, row)
	if err != nil {
		return nil, err
	}
	if r == true {
		return true, nil
	}
	if l == nil || r == nil {
		return nil, nil
	}
	return false, nil
}

type caseExpr struct {
	t     types.T
	conds []expr
	res   []expr
	els   expr
}

func (e *caseExpr) Type() types.T { return e.t }
func (e *caseExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	for i, cond := range e.conds {
		v, err := cond.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if v == true {
			return e.res[i].Eval(c, row)
		}
	}
	if e.els == nil {
		return nil, nil
	}
	return e.els.Eval(c, row)
}

// coalesceExpr evaluates arguments lazily, as COALESCE must.
type coalesceExpr struct {
	t    types.T
	args []expr
}

func (e *coalesceExpr) Type() types.T { return e.t }
func (e *coalesceExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	for _, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil || v != nil {
			return v, err
		}
	}
	return nil, nil
}

// inListExpr is x IN (a, b, ...) with SQL's NULL rules.
type inListExpr struct {
	x    expr
	list []expr
	not  bool
}

func (e *inListExpr) Type() types.T { return types.New(types.Bool) }
func (e *inListExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	x, err := e.x.Eval(c, row)
	if err != nil {
		return nil, err
	}
	vals := make([]types.Datum, 0, len(e.list))
	for _, item := range e.list {
		v, err := item.Eval(c, row)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	return inResult(x, vals, e.not), nil
}

func inResult(x types.Datum, vals []types.Datum, not bool) types.Datum {
	if x == nil {
		if len(vals) == 0 {
			return not
		}
		return nil
	}
	sawNull := false
	for _, v := range vals {
		if v == nil {
			sawNull = true
			continue
		}
		if types.Compare(x, v) == 0 {
			return !not
		}
	}
	if sawNull {
		return nil
	}
	return not
}

// likeExpr matches with a pattern compiled once when it is constant.
type likeExpr struct {
	x, pat   expr
	not      bool
	fold     bool
	compiled *regexp.Regexp
}

func (e *likeExpr) Type() types.T { return types.New(types.Bool) }
func (e *likeExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	x, err := e.x.Eval(c, row)
	if err != nil || x == nil {
		return nil, err
	}
	re := e.compiled
	if re == nil {
		p, err := e.pat.Eval(c, row)
		if err != nil || p == nil {
			return nil, err
		}
		if re, err = likeRegexp(p.(string), e.fold); err != nil {
			return nil, err
		}
	}
	return re.MatchString(x.(string)) != e.not, nil
}

func likeRegexp(pattern string, fold bool) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("(?s)^")
	if fold {
		b.WriteString("(?i)")
	}
	for i := 0; i < len(pattern); i++ {
		switch ch := pattern[i]; ch {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		case '\\':
			if i+1 == len(pattern) {
				return nil, pgerr.New(pgerr.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
			}
			i++
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(pattern[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
