package builtins

import (
	"regexp"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// jsonpath evaluation, as PostgreSQL's jsonpath_exec.c does it for the
// part of the language types.ParseJSONPath reads. In lax mode arrays are
// unwrapped where an accessor, filter or comparison wants their elements
// and missing parts are no items; in strict mode they are errors.

// jpTri is a predicate's value: true, false or unknown.
type jpTri uint8

const (
	jpFalse jpTri = iota
	jpTrue
	jpUnknown
)

type jpExec struct {
	strict bool
	root   *types.JSON
	vars   *types.JSON
	// last is the index of the last element of the array an index
	// accessor is reading; -2 outside one.
	last int64
	// steps bounds the work of one evaluation.
	steps int
}

// JSONPathQuery evaluates path over target with the variables of vars
// (an object, or nil) and returns the items it yields.
func JSONPathQuery(target *types.JSON, path string, vars *types.JSON) ([]*types.JSON, error) {
	jp, err := types.ParseJSONPath(path)
	if err != nil {
		return nil, err
	}
	if vars != nil && vars.Kind != types.JSONObject {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "\"vars\" argument is not an object").
			WithDetail("Jsonpath parameters should be encoded as key-value pairs of \"vars\" object.")
	}
	e := &jpExec{strict: jp.Strict, root: target, vars: vars, last: -2}
	return e.eval(jp.Root, target)
}

// JSONPathMatch is jsonb_path_match: the single boolean the path yields;
// nil for a JSON null.
func JSONPathMatch(target *types.JSON, path string, vars *types.JSON) (types.Datum, error) {
	items, err := JSONPathQuery(target, path, vars)
	if err != nil {
		return nil, err
	}
	if len(items) == 1 {
		switch items[0].Kind {
		case types.JSONBool:
			return items[0].Bool, nil
		case types.JSONNull:
			return nil, nil
		}
	}
	return nil, pgerr.New("22038", "single boolean result is expected")
}

func init() {
	const jb, jp, bl = types.JSONB, types.JSONPathType, types.Bool
	// silently wraps a jsonpath function: with silent true, errors of
	// the evaluation are NULL.
	silently := func(fn func(t *types.JSON, path string, vars *types.JSON) (types.Datum, error)) func([]types.Datum) (types.Datum, error) {
		return func(a []types.Datum) (types.Datum, error) {
			var vars *types.JSON
			if len(a) > 2 {
				vars = a[2].(*types.JSON)
			}
			v, err := fn(a[0].(*types.JSON), a[1].(string), vars)
			if err != nil && len(a) > 3 && a[3].(bool) {
				return nil, nil
			}
			return v, err
		}
	}
	for name, fn := range map[string]struct {
		res types.ID
		fn  func(t *types.JSON, path string, vars *types.JSON) (types.Datum, error)
	}{
		"jsonb_path_exists": {bl, func(t *types.JSON, path string, vars *types.JSON) (types.Datum, error) {
			items, err := JSONPathQuery(t, path, vars)
			return len(items) > 0, err
		}},
		"jsonb_path_match": {bl, JSONPathMatch},
		"jsonb_path_query_array": {jb, func(t *types.JSON, path string, vars *types.JSON) (types.Datum, error) {
			items, err := JSONPathQuery(t, path, vars)
			if err != nil {
				return nil, err
			}
			return &types.JSON{Kind: types.JSONArrayKind, Elems: append([]*types.JSON{}, items...)}, nil
		}},
		"jsonb_path_query_first": {jb, func(t *types.JSON, path string, vars *types.JSON) (types.Datum, error) {
			items, err := JSONPathQuery(t, path, vars)
			if err != nil || len(items) == 0 {
				return nil, err
			}
			return items[0], nil
		}},
	} {
		f := silently(fn.fn)
		register(name,
			&Overload{Args: []types.ID{jb, jp}, Result: fn.res, Fn: f},
			&Overload{Args: []types.ID{jb, jp, jb}, Result: fn.res, Fn: f},
			&Overload{Args: []types.ID{jb, jp, jb, bl}, Result: fn.res, Fn: f})
	}
}

func jpError(code, format string, args ...any) error { return pgerr.New(code, format, args...) }

func (e *jpExec) tick() error {
	e.steps++
	if e.steps > 10_000_000 {
		return pgerr.New(pgerr.ProgramLimitExceeded, "jsonpath evaluation is too long")
	}
	return nil
}

// eval is the items node n yields with @ bound to at.
func (e *jpExec) eval(n *types.JPNode, at *types.JSON) ([]*types.JSON, error) {
	if err := e.tick(); err != nil {
		return nil, err
	}
	var items []*types.JSON
	switch n.Kind {
	case types.JPRoot:
		items = []*types.JSON{e.root}
	case types.JPCurrent:
		items = []*types.JSON{at}
	case types.JPLast:
		if e.last < -1 {
			return nil, jpError("22033", "evaluating jsonpath LAST outside of array subscript")
		}
		items = []*types.JSON{types.JSONNum(apd.New(e.last, 0))}
	case types.JPVar:
		var v *types.JSON
		if e.vars != nil {
			v = e.vars.Get(n.Str)
		}
		if v == nil {
			return nil, jpError(pgerr.UndefinedObject, "could not find jsonpath variable \"%s\"", n.Str)
		}
		items = []*types.JSON{v}
	case types.JPString:
		items = []*types.JSON{types.JSONStr(n.Str)}
	case types.JPNumber:
		items = []*types.JSON{types.JSONNum(n.Num)}
	case types.JPBool:
		items = []*types.JSON{types.JSONBoolean(n.Bool)}
	case types.JPNull:
		items = []*types.JSON{types.JSONNullValue}
	case types.JPUnary:
		vals, err := e.eval(n.L, at)
		if err != nil {
			return nil, err
		}
		for _, v := range e.unwrap(vals) {
			if v.Kind != types.JSONNumber {
				return nil, jpError("22038", "operand of unary jsonpath operator %s is not a numeric value", n.Str)
			}
			if n.Str == "-" {
				v = types.JSONNum(new(apd.Decimal).Neg(v.Num))
			}
			items = append(items, v)
		}
	case types.JPBinary:
		switch {
		case n.Str == "()":
			var err error
			if items, err = e.eval(n.L, at); err != nil {
				return nil, err
			}
		case n.IsPredicate():
			items = []*types.JSON{triJSON(e.pred(n, at))}
		default:
			v, err := e.arith(n, at)
			if err != nil {
				return nil, err
			}
			items = []*types.JSON{v}
		}
	default:
		if n.IsPredicate() {
			items = []*types.JSON{triJSON(e.pred(n, at))}
		}
	}
	for a := n.Next; a != nil; a = a.Next {
		var out []*types.JSON
		for _, it := range items {
			got, err := e.access(a, it, at)
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		items = out
	}
	return items, nil
}

func triJSON(t jpTri) *types.JSON {
	switch t {
	case jpTrue:
		return types.JSONBoolean(true)
	case jpFalse:
		return types.JSONBoolean(false)
	}
	return types.JSONNullValue
}

// unwrap replaces, in lax mode, each array among items by its elements.
func (e *jpExec) unwrap(items []*types.JSON) []*types.JSON {
	if e.strict {
		return items
	}
	var out []*types.JSON
	for _, it := range items {
		if it.Kind == types.JSONArrayKind {
			out = append(out, it.Elems...)
		} else {
			out = append(out, it)
		}
	}
	return out
}

// access applies one accessor to an item.
func (e *jpExec) access(a *types.JPNode, it, at *types.JSON) ([]*types.JSON, error) {
	if err := e.tick(); err != nil {
		return nil, err
	}
	switch a.Kind {
	case types.JPKey:
		switch {
		case it.Kind == types.JSONObject:
			if v := it.Get(a.Str); v != nil {
				return []*types.JSON{v}, nil
			}
			if e.strict {
				return nil, jpError("2203A", "JSON object does not contain key \"%s\"", a.Str)
			}
			return nil, nil
		case it.Kind == types.JSONArrayKind && !e.strict:
			var out []*types.JSON
			for _, el := range it.Elems {
				if el.Kind == types.JSONObject {
					if v := el.Get(a.Str); v != nil {
						out = append(out, v)
					}
				}
			}
			return out, nil
		case e.strict:
			return nil, jpError("2203C", "jsonpath member accessor can only be applied to an object")
		}
		return nil, nil
	case types.JPAnyKey:
		switch {
		case it.Kind == types.JSONObject:
			return it.Vals, nil
		case it.Kind == types.JSONArrayKind && !e.strict:
			var out []*types.JSON
			for _, el := range it.Elems {
				if el.Kind == types.JSONObject {
					out = append(out, el.Vals...)
				}
			}
			return out, nil
		case e.strict:
			return nil, jpError("2203C", "jsonpath wildcard member accessor can only be applied to an object")
		}
		return nil, nil
	case types.JPAnyArray:
		switch {
		case it.Kind == types.JSONArrayKind:
			return it.Elems, nil
		case e.strict:
			return nil, jpError("22039", "jsonpath wildcard array accessor can only be applied to an array")
		}
		return []*types.JSON{it}, nil
	case types.JPAny:
		var out []*types.JSON
		var walk func(j *types.JSON)
		walk = func(j *types.JSON) {
			out = append(out, j)
			switch j.Kind {
			case types.JSONArrayKind:
				for _, el := range j.Elems {
					walk(el)
				}
			case types.JSONObject:
				for _, v := range j.Vals {
					walk(v)
				}
			}
		}
		walk(it)
		return out, nil
	case types.JPIndex:
		elems := it.Elems
		if it.Kind != types.JSONArrayKind {
			if e.strict {
				return nil, jpError("22039", "jsonpath array accessor can only be applied to an array")
			}
			elems = []*types.JSON{it}
		}
		saved := e.last
		e.last = int64(len(elems)) - 1
		defer func() { e.last = saved }()
		var out []*types.JSON
		for _, s := range a.Subs {
			from, err := e.subscript(s[0], at)
			if err != nil {
				return nil, err
			}
			to := from
			if s[1] != nil {
				if to, err = e.subscript(s[1], at); err != nil {
					return nil, err
				}
			}
			if e.strict && (from < 0 || from > to || to >= int64(len(elems))) {
				return nil, jpError("22033", "jsonpath array subscript is out of bounds")
			}
			from = max(from, 0)
			to = min(to, int64(len(elems))-1)
			for i := from; i <= to; i++ {
				out = append(out, elems[i])
			}
		}
		return out, nil
	case types.JPFilter:
		cands := []*types.JSON{it}
		if !e.strict && it.Kind == types.JSONArrayKind {
			cands = it.Elems
		}
		var out []*types.JSON
		for _, c := range cands {
			if e.pred(a.L, c) == jpTrue {
				out = append(out, c)
			}
		}
		return out, nil
	case types.JPMethod:
		return e.method(a.Str, it)
	}
	return nil, pgerr.New(pgerr.InternalError, "unknown jsonpath accessor %d", a.Kind)
}

func (e *jpExec) subscript(n *types.JPNode, at *types.JSON) (int64, error) {
	vals, err := e.eval(n, at)
	if err != nil {
		return 0, err
	}
	if len(vals) != 1 || vals[0].Kind != types.JSONNumber {
		return 0, jpError("22033", "jsonpath array subscript is not a single numeric value")
	}
	var d apd.Decimal
	if _, err := types.NumericContext().RoundToIntegralValue(&d, vals[0].Num); err != nil {
		return 0, err
	}
	i, err := d.Int64()
	if err != nil || i > 1<<31 || i < -(1<<31) {
		return 0, jpError("22033", "jsonpath array subscript is out of integer range")
	}
	return i, nil
}

func (e *jpExec) method(name string, it *types.JSON) ([]*types.JSON, error) {
	switch name {
	case "type":
		return []*types.JSON{types.JSONStr(it.Kind.String())}, nil
	case "size":
		if it.Kind == types.JSONArrayKind {
			return []*types.JSON{types.JSONNum(apd.New(int64(len(it.Elems)), 0))}, nil
		}
		if e.strict {
			return nil, jpError("22039", "jsonpath item method .size() can only be applied to an array")
		}
		return []*types.JSON{types.JSONNum(apd.New(1, 0))}, nil
	}
	if !e.strict && it.Kind == types.JSONArrayKind {
		var out []*types.JSON
		for _, el := range it.Elems {
			got, err := e.method(name, el)
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
		return out, nil
	}
	var num *apd.Decimal
	switch {
	case it.Kind == types.JSONNumber:
		num = it.Num
	case name == "double" && it.Kind == types.JSONString:
		f, err := types.ParseText(types.New(types.Float8), it.Str)
		if err != nil {
			return nil, jpError("22032", "string argument of jsonpath item method .double() is not a valid representation of a double precision number")
		}
		d, err := types.Cast(f, types.New(types.Float8), types.New(types.Numeric), true)
		if err != nil {
			return nil, err
		}
		return []*types.JSON{types.JSONNum(d.(*apd.Decimal))}, nil
	default:
		return nil, jpError("22038", "jsonpath item method .%s() can only be applied to a numeric value", name)
	}
	out := new(apd.Decimal)
	ctx := types.NumericContext()
	switch name {
	case "double":
		out.Set(num)
	case "abs":
		out.Abs(num)
	case "floor":
		ctx.Floor(out, num)
	case "ceiling":
		ctx.Ceil(out, num)
	}
	return []*types.JSON{types.JSONNum(out)}, nil
}

func (e *jpExec) arith(n *types.JPNode, at *types.JSON) (*types.JSON, error) {
	single := func(side *types.JPNode, which string) (*apd.Decimal, error) {
		vals, err := e.eval(side, at)
		if err != nil {
			return nil, err
		}
		vals = e.unwrap(vals)
		if len(vals) != 1 || vals[0].Kind != types.JSONNumber {
			return nil, jpError("22038", "%s operand of jsonpath operator %s is not a single numeric value", which, n.Str)
		}
		return vals[0].Num, nil
	}
	l, err := single(n.L, "left")
	if err != nil {
		return nil, err
	}
	r, err := single(n.R, "right")
	if err != nil {
		return nil, err
	}
	var out types.Datum
	switch n.Str {
	case "+", "-", "*":
		out, err = NumericArith(n.Str)([]types.Datum{l, r})
	case "/":
		out, err = NumericArith("/")([]types.Datum{l, r})
	case "%":
		out, err = NumericArith("%")([]types.Datum{l, r})
	}
	if err != nil {
		return nil, err
	}
	return types.JSONNum(out.(*apd.Decimal)), nil
}

// pred evaluates a predicate; errors make it unknown.
func (e *jpExec) pred(n *types.JPNode, at *types.JSON) jpTri {
	switch n.Kind {
	case types.JPBinary:
		switch n.Str {
		case "&&":
			l := e.pred(n.L, at)
			if l == jpFalse {
				return jpFalse
			}
			r := e.pred(n.R, at)
			if r == jpTrue {
				return l
			}
			return r
		case "||":
			l := e.pred(n.L, at)
			if l == jpTrue {
				return jpTrue
			}
			r := e.pred(n.R, at)
			if r == jpFalse {
				return l
			}
			return r
		case "()":
			return e.pred(n.L, at)
		}
		return e.compare(n, at)
	case types.JPNot:
		switch e.pred(n.L, at) {
		case jpTrue:
			return jpFalse
		case jpFalse:
			return jpTrue
		}
		return jpUnknown
	case types.JPIsUnknown:
		if e.pred(n.L, at) == jpUnknown {
			return jpTrue
		}
		return jpFalse
	case types.JPExists:
		items, err := e.eval(n.L, at)
		switch {
		case err != nil:
			return jpUnknown
		case len(items) > 0:
			return jpTrue
		}
		return jpFalse
	case types.JPStartsWith, types.JPLikeRegex:
		return e.stringPred(n, at)
	}
	// A non-predicate used as one: its single boolean.
	items, err := e.eval(n, at)
	if err != nil || len(items) != 1 || items[0].Kind != types.JSONBool {
		return jpUnknown
	}
	if items[0].Bool {
		return jpTrue
	}
	return jpFalse
}

// compare is a comparison of two item sequences: true when some pair
// compares true; unknown when a pair cannot be compared (in strict mode,
// at once) and none compared true.
func (e *jpExec) compare(n *types.JPNode, at *types.JSON) jpTri {
	ls, err := e.eval(n.L, at)
	if err != nil {
		return jpUnknown
	}
	rs, err := e.eval(n.R, at)
	if err != nil {
		return jpUnknown
	}
	ls, rs = e.unwrap(ls), e.unwrap(rs)
	found, unknown := false, false
	for _, l := range ls {
		for _, r := range rs {
			switch compareItems(n.Str, l, r) {
			case jpUnknown:
				if e.strict {
					return jpUnknown
				}
				unknown = true
			case jpTrue:
				if !e.strict {
					return jpTrue
				}
				found = true
			}
		}
	}
	switch {
	case found:
		return jpTrue
	case unknown:
		return jpUnknown
	}
	return jpFalse
}

func compareItems(op string, a, b *types.JSON) jpTri {
	if a.Kind != b.Kind {
		if a.Kind == types.JSONNull || b.Kind == types.JSONNull {
			if op == "!=" {
				return jpTrue
			}
			return jpFalse
		}
		return jpUnknown
	}
	var c int
	switch a.Kind {
	case types.JSONNull:
		c = 0
	case types.JSONBool, types.JSONNumber, types.JSONString:
		c = types.CompareJSON(a, b)
	default:
		return jpUnknown
	}
	var r bool
	switch op {
	case "==":
		r = c == 0
	case "!=":
		r = c != 0
	case "<":
		r = c < 0
	case "<=":
		r = c <= 0
	case ">":
		r = c > 0
	case ">=":
		r = c >= 0
	}
	if r {
		return jpTrue
	}
	return jpFalse
}

func (e *jpExec) stringPred(n *types.JPNode, at *types.JSON) jpTri {
	ls, err := e.eval(n.L, at)
	if err != nil {
		return jpUnknown
	}
	ls = e.unwrap(ls)
	var match func(s string) bool
	if n.Kind == types.JPStartsWith {
		rs, err := e.eval(n.R, at)
		if err != nil || len(rs) != 1 || rs[0].Kind != types.JSONString {
			return jpUnknown
		}
		prefix := rs[0].Str
		match = func(s string) bool { return strings.HasPrefix(s, prefix) }
	} else {
		flags := ""
		for _, f := range n.Flags {
			switch f {
			case 'i', 's', 'm':
				flags += string(f)
			}
		}
		pattern := n.Str
		if strings.ContainsRune(n.Flags, 'q') {
			pattern = regexp.QuoteMeta(pattern)
		}
		if flags != "" {
			pattern = "(?" + flags + ")" + pattern
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return jpUnknown
		}
		match = re.MatchString
	}
	found, unknown := false, false
	for _, l := range ls {
		if l.Kind != types.JSONString {
			if e.strict {
				return jpUnknown
			}
			unknown = true
			continue
		}
		if match(l.Str) {
			if !e.strict {
				return jpTrue
			}
			found = true
		}
	}
	switch {
	case found:
		return jpTrue
	case unknown:
		return jpUnknown
	}
	return jpFalse
}
