package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// The json and jsonb operators and the JSON functions whose arguments are
// of any type or variable in number (the others are in sql/builtins),
// set-returning functions (tablefunc.go) and aggregates (agg.go) aside.

var (
	jsonT  = types.New(types.JSONType)
	jsonbT = types.New(types.JSONB)
)

func isJSONType(t types.T) bool { return t.ID == types.JSONType || t.ID == types.JSONB }

// readJSON reads a json or jsonb operand: jsonb is already a value, json
// text is read keeping its parts' text.
func readJSON(d types.Datum) (*types.JSON, error) {
	if j, ok := d.(*types.JSON); ok {
		return j, nil
	}
	return types.ParseJSONText(d.(string))
}

// jsonResult is a part of a json or jsonb operand as a value of the
// operand's type: jsonb as it is, json as its text.
func jsonResult(t types.T, j *types.JSON) types.Datum {
	if j == nil {
		return nil
	}
	if t.ID == types.JSONB {
		return j
	}
	return j.Text()
}

// bindJSONOperator binds an operator with a json or jsonb operand; ok is
// false when the operator is not one of theirs.
func (b *binder) bindJSONOperator(op string, l, r expr, pos int32) (e expr, ok bool, err error) {
	lt, rt := l.Type(), r.Type()
	if !isJSONType(lt) {
		if lt.ID == types.Unknown && rt.ID == types.JSONB && (op == "||" || op == "@>" || op == "<@") {
			if l, err = b.cast(l, jsonbT, false, pos); err != nil {
				return nil, true, err
			}
			return b.bindJSONOperator(op, l, r, pos)
		}
		if rt.ID == types.JSONType && isComparison(op) {
			return nil, true, noOperator(lt, op, rt, pos)
		}
		return nil, false, nil
	}
	jsonb := lt.ID == types.JSONB
	strict := func(t types.T, args []expr, fn func(a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &funcExpr{t: t, args: args, strict: true, fn: fn}, true, nil
	}
	castR := func(t types.T) error {
		r, err = b.cast(r, t, false, pos)
		return err
	}
	switch op {
	case "->", "->>":
		out := lt
		if op == "->>" {
			out = textT
		}
		pick := func(j *types.JSON) types.Datum {
			if op == "->>" {
				if j == nil {
					return nil
				}
				return builtins.AsText(j)
			}
			return jsonResult(lt, j)
		}
		switch {
		case rt.ID == types.Int2 || rt.ID == types.Int4:
			if err := castR(int4T); err != nil {
				return nil, true, err
			}
			return strict(out, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
				j, err := readJSON(a[0])
				if err != nil {
					return nil, err
				}
				return pick(builtins.Index(j, a[1].(int64))), nil
			})
		case rt.IsString():
			if r, err = b.coerceText(r, pos); err != nil {
				return nil, true, err
			}
			return strict(out, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
				j, err := readJSON(a[0])
				if err != nil {
					return nil, err
				}
				return pick(j.Get(a[1].(string))), nil
			})
		}
	case "#>", "#>>":
		if rt.ID != types.Unknown && rt.ID != types.TextArray {
			break
		}
		if err := castR(textArrayT); err != nil {
			return nil, true, err
		}
		out := lt
		if op == "#>>" {
			out = textT
		}
		return strict(out, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
			j, err := readJSON(a[0])
			if err != nil {
				return nil, err
			}
			v := builtins.Path(j, textPath(a[1]))
			if op == "#>>" {
				if v == nil {
					return nil, nil
				}
				return builtins.AsText(v), nil
			}
			return jsonResult(lt, v), nil
		})
	case "?":
		if !jsonb || !rt.IsString() {
			break
		}
		if r, err = b.coerceText(r, pos); err != nil {
			return nil, true, err
		}
		return strict(boolT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
			return builtins.Exists(a[0].(*types.JSON), a[1].(string)), nil
		})
	case "?|", "?&":
		if !jsonb || rt.ID != types.Unknown && rt.ID != types.TextArray {
			break
		}
		if err := castR(textArrayT); err != nil {
			return nil, true, err
		}
		return strict(boolT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
			return builtins.ExistsAny(a[0].(*types.JSON), a[1].(*types.Array), op == "?&"), nil
		})
	case "@>", "<@", "||":
		if !jsonb || rt.ID != types.Unknown && rt.ID != types.JSONB {
			break
		}
		if err := castR(jsonbT); err != nil {
			return nil, true, err
		}
		if op == "||" {
			return strict(jsonbT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
				return builtins.Concat(a[0].(*types.JSON), a[1].(*types.JSON)), nil
			})
		}
		return strict(boolT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
			x, y := a[0].(*types.JSON), a[1].(*types.JSON)
			if op == "<@" {
				x, y = y, x
			}
			return builtins.Contains(x, y), nil
		})
	case "-":
		if !jsonb {
			break
		}
		switch {
		case rt.ID == types.Int2 || rt.ID == types.Int4:
			if err := castR(int4T); err != nil {
				return nil, true, err
			}
			return strict(jsonbT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
				return builtins.DeleteIndex(a[0].(*types.JSON), a[1].(int64))
			})
		case rt.IsString():
			if r, err = b.coerceText(r, pos); err != nil {
				return nil, true, err
			}
			return strict(jsonbT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
				return builtins.DeleteKeys(a[0].(*types.JSON), []string{a[1].(string)})
			})
		case rt.ID == types.TextArray:
			return strict(jsonbT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
				var keys []string
				for _, k := range a[1].(*types.Array).Elems {
					if s, ok := k.(string); ok {
						keys = append(keys, s)
					}
				}
				return builtins.DeleteKeys(a[0].(*types.JSON), keys)
			})
		}
	case "#-":
		if !jsonb || rt.ID != types.Unknown && rt.ID != types.TextArray {
			break
		}
		if err := castR(textArrayT); err != nil {
			return nil, true, err
		}
		return strict(jsonbT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
			return builtins.DeletePath(a[0].(*types.JSON), textPath(a[1]))
		})
	default:
		if jsonb || !isComparison(op) {
			// jsonb compares as any other type does (bindOperator).
			return nil, false, nil
		}
	}
	if op == "||" && rt.IsString() && rt.ID != types.Unknown {
		return nil, false, nil // anynonarray || text
	}
	return nil, true, noOperator(lt, op, rt, pos)
}

func isComparison(op string) bool {
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func noOperator(lt types.T, op string, rt types.T, pos int32) error {
	return pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", lt.Name(), op, rt.Name()).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
}

// textPath is a text[] path's elements, nil for a NULL element.
func textPath(d types.Datum) []*string {
	a := d.(*types.Array)
	out := make([]*string, len(a.Elems))
	for i, e := range a.Elems {
		if s, ok := e.(string); ok {
			out[i] = &s
		}
	}
	return out
}

// jsonArg converts an argument of a function taking "any" (or
// anyelement): an untyped literal is text, as PostgreSQL takes it for
// "any"; for anyelement (polymorphic) it is an error.
func (b *binder) jsonArg(e expr, name string, polymorphic bool, pos int32) (expr, error) {
	if e.Type().ID != types.Unknown {
		return e, nil
	}
	if polymorphic {
		if _, param := e.(*paramExpr); !param {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
		}
	}
	return b.cast(e, textT, false, pos)
}

// jsonKeyText is the text of an object key given to json_build_object:
// the key's output form (booleans spelled out); arrays and JSON refused.
func jsonKeyText(t types.T, d types.Datum, n int) (string, error) {
	if d == nil {
		return "", pgerr.New(pgerr.NullValueNotAllowed, "argument %d cannot be null", n).WithHint("Object keys should be text.")
	}
	if t.IsArray() || isJSONType(t) {
		return "", pgerr.New(pgerr.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
	}
	if v, ok := d.(bool); ok {
		if v {
			return "true", nil
		}
		return "false", nil
	}
	if t.IsTime() {
		j, err := types.ToJSONB(t, d)
		if err != nil {
			return "", err
		}
		return j.Str, nil
	}
	return types.FormatText(t, d), nil
}

// bindJSONFunc binds the JSON functions taking any type or a variable
// number of arguments; ok is false for other names.
func (b *binder) bindJSONFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	switch name {
	case "to_json", "to_jsonb":
		if len(args) != 1 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if args[0], err = b.jsonArg(args[0], name, true, pos); err != nil {
			return nil, true, err
		}
		t := args[0].Type()
		if name == "to_json" {
			return &funcExpr{t: jsonT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
				return types.ToJSONText(t, a[0]), nil
			}}, true, nil
		}
		return &funcExpr{t: jsonbT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return types.ToJSONB(t, a[0])
		}}, true, nil
	case "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array":
		argTypes := make([]types.T, len(args))
		for i := range args {
			if args[i], err = b.jsonArg(args[i], name, false, pos); err != nil {
				return nil, true, err
			}
			argTypes[i] = args[i].Type()
		}
		object := strings.HasSuffix(name, "object")
		if object && len(args)%2 != 0 {
			return nil, true, pgerr.New(pgerr.InvalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of " + name + "() must consist of alternating keys and values.").WithPosition(pos)
		}
		jsonb := strings.HasPrefix(name, "jsonb")
		out := jsonT
		if jsonb {
			out = jsonbT
		}
		return &funcExpr{t: out, args: args, fn: func(a []types.Datum) (types.Datum, error) {
			return buildJSON(argTypes, a, object, jsonb)
		}}, true, nil
	case "jsonb_extract_path", "jsonb_extract_path_text", "json_extract_path", "json_extract_path_text":
		if len(args) < 1 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		want := jsonT
		if strings.HasPrefix(name, "jsonb") {
			want = jsonbT
		}
		if err := b.coerceArg(args, 0, want, name, pos); err != nil {
			return nil, true, err
		}
		for i := 1; i < len(args); i++ {
			if !b.textArgs(args[i : i+1]) {
				return nil, true, undefinedFunction(name, args, pos)
			}
		}
		asText := strings.HasSuffix(name, "_text")
		out := want
		if asText {
			out = textT
		}
		return &funcExpr{t: out, args: args, fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			j, err := readJSON(a[0])
			if err != nil {
				return nil, err
			}
			path := make([]*string, len(a)-1)
			for i, p := range a[1:] {
				if s, ok := p.(string); ok {
					path[i] = &s
				}
			}
			v := builtins.Path(j, path)
			if v == nil {
				return nil, nil
			}
			if asText {
				return builtins.AsText(v), nil
			}
			return jsonResult(want, v), nil
		}}, true, nil
	}
	return nil, false, nil
}

// buildJSON is json_build_object and json_build_array (and their jsonb
// forms) over argument values a of types ts.
func buildJSON(ts []types.T, a []types.Datum, object, jsonb bool) (types.Datum, error) {
	if jsonb {
		if !object {
			out := &types.JSON{Kind: types.JSONArrayKind, Elems: make([]*types.JSON, len(a))}
			for i, v := range a {
				j, err := types.ToJSONB(ts[i], v)
				if err != nil {
					return nil, err
				}
				out.Elems[i] = j
			}
			return out, nil
		}
		keys := make([]string, 0, len(a)/2)
		vals := make([]*types.JSON, 0, len(a)/2)
		for i := 0; i < len(a); i += 2 {
			k, err := jsonKeyText(ts[i], a[i], i+1)
			if err != nil {
				return nil, err
			}
			v, err := types.ToJSONB(ts[i+1], a[i+1])
			if err != nil {
				return nil, err
			}
			keys, vals = append(keys, k), append(vals, v)
		}
		return types.NewJSONObject(keys, vals), nil
	}
	var buf []byte
	if !object {
		buf = append(buf, '[')
		for i, v := range a {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = types.AppendJSONText(buf, ts[i], v)
		}
		return string(append(buf, ']')), nil
	}
	buf = append(buf, '{')
	for i := 0; i < len(a); i += 2 {
		k, err := jsonKeyText(ts[i], a[i], i+1)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = types.AppendJSONString(buf, k)
		buf = append(buf, " : "...)
		buf = types.AppendJSONText(buf, ts[i+1], a[i+1])
	}
	return string(append(buf, '}')), nil
}
