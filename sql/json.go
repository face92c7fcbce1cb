package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// The json and jsonb operators and the JSON functions whose arguments are
// of any type or variable in number (the others are in sql/builtins),
// set-returning functions (tablefunc.go) and aggregates (agg.go) aside.

var (
	jsonT  = types.New(types.JSONType)
	jsonbT = types.New(types.JSONB)

	jsonpathT = types.New(types.JSONPathType)
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
	case "@?", "@@":
		if !jsonb || rt.ID != types.Unknown && rt.ID != types.JSONPathType {
			break
		}
		if err := castR(jsonpathT); err != nil {
			return nil, true, err
		}
		// The operators are the functions with silent true: errors of
		// the evaluation are NULL.
		return strict(boolT, []expr{l, r}, func(a []types.Datum) (types.Datum, error) {
			j, path := a[0].(*types.JSON), a[1].(string)
			if op == "@@" {
				v, err := builtins.JSONPathMatch(j, path, nil)
				if err != nil {
					return nil, nil
				}
				return v, nil
			}
			items, err := builtins.JSONPathQuery(j, path, nil)
			if err != nil {
				return nil, nil
			}
			return len(items) > 0, nil
		})
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
	if op == "||" && !isJSONType(rt) && (rt.IsString() && rt.ID != types.Unknown || !jsonb) {
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
		return "", pgerr.New(pgerr.InvalidParameterValue, "argument %d cannot be null", n).WithHint("Object keys should be text.")
	}
	if t.IsArray() || isJSONType(t) || t.ID == types.Record || t.Shape != nil {
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
// number of arguments; ok is false for other names. variadic is a call
// whose last argument is written VARIADIC arr.
func (b *binder) bindJSONFunc(name string, args []expr, variadic bool, pos int32) (e expr, ok bool, err error) {
	switch name {
	case "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array",
		"jsonb_extract_path", "jsonb_extract_path_text", "json_extract_path", "json_extract_path_text":
		if variadic {
			return b.bindJSONVariadic(name, args, pos)
		}
	}
	switch name {
	case "to_json", "to_jsonb":
		if len(args) != 1 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if args[0], err = b.jsonArg(args[0], name, true, pos); err != nil {
			return nil, true, err
		}
		t := args[0].Type()
		sess := b.s
		style := func() types.Style {
			if sess == nil {
				return types.Style{}
			}
			return sess.TypeStyle()
		}
		if name == "to_json" {
			return &funcExpr{t: jsonT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
				return string(types.AppendJSONTextStyle(nil, t, a[0], style())), nil
			}}, true, nil
		}
		return &funcExpr{t: jsonbT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return types.ToJSONBStyle(t, a[0], style())
		}}, true, nil
	case "json_populate_record", "jsonb_populate_record":
		e, err := b.bindPopulateRecord(name, args, pos)
		return e, true, err
	case "row_to_json":
		// A whole-row reference is bindRowJSONFunc's; this is any
		// other record value.
		if len(args) < 1 || len(args) > 2 || args[0].Type().ID != types.Record && args[0].Type().Shape == nil {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if len(args) == 2 {
			if err := b.coerceArg(args, 1, boolT, name, pos); err != nil {
				return nil, true, err
			}
		}
		sess := b.s
		rt := args[0].Type()
		return &funcExpr{t: jsonT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			st := types.Style{}
			if sess != nil {
				st = sess.TypeStyle()
			}
			r, ok := a[0].(*types.RecordValue)
			if !ok {
				return nil, pgerr.New(pgerr.InternalError, "row_to_json of %T", a[0])
			}
			sep := ","
			if len(a) == 2 && a[1].(bool) {
				sep = ",\n "
			}
			buf := []byte{'{'}
			for i, f := range r.Fields {
				if i > 0 {
					buf = append(buf, sep...)
				}
				ft, name := types.RecordField(rt, r, i)
				buf = types.AppendJSONString(buf, name)
				buf = append(buf, ':')
				buf = types.AppendJSONTextStyle(buf, ft, f, st)
			}
			return string(append(buf, '}')), nil
		}}, true, nil
	case "jsonb_set_lax":
		// Not strict: a NULL new value is what null_value_treatment
		// decides about.
		want := []types.T{jsonbT, textArrayT, jsonbT, boolT, textT}
		if len(args) < 3 || len(args) > 5 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		for i := range args {
			if err := b.coerceArg(args, i, want[i], name, pos); err != nil {
				return nil, true, err
			}
		}
		return &funcExpr{t: jsonbT, args: args, fn: setLax}, true, nil
	case "array_to_json":
		if len(args) != 1 && len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if args[0], err = b.jsonArg(args[0], name, true, pos); err != nil {
			return nil, true, err
		}
		t := args[0].Type()
		if !t.IsArray() {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if len(args) == 2 {
			if err := b.coerceArg(args, 1, boolT, name, pos); err != nil {
				return nil, true, err
			}
		}
		elem, _ := t.Elem()
		return &funcExpr{t: jsonT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			if len(a) == 1 || !a[1].(bool) {
				return types.ToJSONText(t, a[0]), nil
			}
			// Pretty: one element (or sub-array) of the first dimension
			// a line.
			arr := a[0].(*types.Array)
			dims, lower := arr.Shape()
			buf := []byte{'['}
			for i := 0; len(dims) > 0 && i < dims[0]; i++ {
				if i > 0 {
					buf = append(buf, ",\n "...)
				}
				if len(dims) == 1 {
					buf = types.AppendJSONText(buf, elem, arr.Elems[i])
					continue
				}
				stride := len(arr.Elems) / dims[0]
				sub := types.NewArray(arr.Elems[i*stride:(i+1)*stride], dims[1:], lower[1:])
				buf = types.AppendJSONText(buf, t, sub)
			}
			return string(append(buf, ']')), nil
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

// bindJSONVariadic binds json_build_object, json_build_array and
// json_extract_path (and their jsonb and _text forms) called with
// VARIADIC arr: the array's elements are the arguments, a NULL array
// makes the result NULL.
func (b *binder) bindJSONVariadic(name string, args []expr, pos int32) (expr, bool, error) {
	extract := strings.Contains(name, "extract_path")
	if !extract && len(args) != 1 || extract && len(args) != 2 {
		return nil, true, undefinedFunction(name, args, pos)
	}
	last := len(args) - 1
	if args[last].Type().ID == types.Unknown {
		if extract {
			var err error
			if args[last], err = b.cast(args[last], textArrayT, false, pos); err != nil {
				return nil, true, err
			}
		} else {
			return nil, true, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
		}
	}
	at := args[last].Type()
	elem, isArray := at.Elem()
	if !isArray {
		return nil, true, pgerr.New(pgerr.DatatypeMismatch, "VARIADIC argument must be an array").WithPosition(pos)
	}
	jsonb := strings.HasPrefix(name, "jsonb")
	if extract {
		if !elem.IsString() {
			return nil, true, undefinedFunction(name, args, pos)
		}
		want := jsonT
		if jsonb {
			want = jsonbT
		}
		if err := b.coerceArg(args, 0, want, name, pos); err != nil {
			return nil, true, err
		}
		asText := strings.HasSuffix(name, "_text")
		out := want
		if asText {
			out = textT
		}
		return &funcExpr{t: out, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			j, err := readJSON(a[0])
			if err != nil {
				return nil, err
			}
			elems := a[1].(*types.Array).Elems
			path := make([]*string, len(elems))
			for i, p := range elems {
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
	object := strings.HasSuffix(name, "object")
	out := jsonT
	if jsonb {
		out = jsonbT
	}
	return &funcExpr{t: out, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		elems := a[0].(*types.Array).Elems
		if object && len(elems)%2 != 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "argument list must have even number of elements").
				WithHint("The arguments of " + name + "() must consist of alternating keys and values.")
		}
		ts := make([]types.T, len(elems))
		for i := range ts {
			ts[i] = elem
		}
		return buildJSON(ts, elems, object, jsonb)
	}}, true, nil
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
			if a[i] == nil {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "argument %d: key must not be null", i+1)
			}
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

// isJSONTableFunc reports whether name is one of the JSON set-returning
// functions.
func isJSONTableFunc(name string) bool { return jsonTableColumns(name) > 0 }

// jsonTableColumns is the number of columns the JSON set-returning
// function name returns; 0 when it is none.
func jsonTableColumns(name string) int {
	switch name {
	case "jsonb_each", "jsonb_each_text", "json_each", "json_each_text",
		"jsonb_to_record", "jsonb_to_recordset", "json_to_record", "json_to_recordset":
		return 2
	case "jsonb_array_elements", "jsonb_array_elements_text", "json_array_elements", "json_array_elements_text",
		"jsonb_object_keys", "json_object_keys", "jsonb_path_query":
		return 1
	}
	return 0
}

// bindJSONTableFunc binds a JSON set-returning function in FROM: its
// columns (named after the function's OUT parameters; a function without
// them has an unnamed column) and its rows.
func (b *binder) bindJSONTableFunc(n *funcScanNode, x *ast.FuncCall) ([]Column, error) {
	name := x.Name
	if name == "jsonb_path_query" {
		return b.bindJSONPathQuery(n, x)
	}
	want := jsonbT
	if strings.HasPrefix(name, "json_") {
		want = jsonT
	}
	if len(n.args) != 1 {
		return nil, undefinedFunction(name, n.args, x.Pos)
	}
	if err := b.coerceArg(n.args, 0, want, name, x.Pos); err != nil {
		return nil, err
	}
	asText := strings.HasSuffix(name, "_text")
	valueT := want
	if asText {
		valueT = textT
	}
	value := func(j *types.JSON) types.Datum {
		if asText {
			return builtins.AsText(j)
		}
		return jsonResult(want, j)
	}
	// grow counts a row's key and value: a jsonb value shares the
	// argument's memory, a text one is new.
	grow := func(ex *execCtx, k string, v types.Datum) error {
		n := int64(len(k)) + 4*interfaceBytes
		if s, ok := v.(string); ok {
			n += int64(len(s))
		}
		return ex.grow(n)
	}
	switch {
	case strings.Contains(name, "_each"):
		n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
			j, err := readJSON(a[0])
			if err != nil {
				return nil, err
			}
			if j.Kind != types.JSONObject {
				switch {
				case want.ID == types.JSONB:
					return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a non-object", name)
				case j.Kind == types.JSONArrayKind:
					// json's messages are its parser's.
					return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot deconstruct an array as an object")
				default:
					return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot deconstruct a scalar")
				}
			}
			out := make([]types.Datum, len(j.Keys))
			for i, k := range j.Keys {
				v := value(j.Vals[i])
				if err := grow(ex, k, v); err != nil {
					return nil, err
				}
				out[i] = srfRow{k, v}
			}
			return out, nil
		}
		return []Column{{Name: "key", Type: textT}, {Name: "value", Type: valueT}}, nil
	case strings.Contains(name, "_array_elements"):
		n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
			j, err := readJSON(a[0])
			if err != nil {
				return nil, err
			}
			switch {
			case want.ID == types.JSONType && j.Kind != types.JSONArrayKind:
				what := "a non-array"
				if j.IsScalar() {
					what = "a scalar"
				}
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on %s", name, what)
			case j.IsScalar():
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot extract elements from a scalar")
			case j.Kind == types.JSONObject:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot extract elements from an object")
			}
			out := make([]types.Datum, len(j.Elems))
			for i, e := range j.Elems {
				v := value(e)
				if err := grow(ex, "", v); err != nil {
					return nil, err
				}
				out[i] = v
			}
			return out, nil
		}
		return []Column{{Name: "value", Type: valueT}}, nil
	}
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		j, err := readJSON(a[0])
		if err != nil {
			return nil, err
		}
		switch {
		case j.IsScalar():
			return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", name)
		case j.Kind == types.JSONArrayKind:
			return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on an array", name)
		}
		out := make([]types.Datum, len(j.Keys))
		for i, k := range j.Keys {
			if err := grow(ex, k, nil); err != nil {
				return nil, err
			}
			out[i] = k
		}
		return out, nil
	}
	return []Column{{Type: textT}}, nil
}

// bindJSONObjectAgg binds json_object_agg(key, value) and its jsonb form:
// the key is the aggregate's argument and the value rides along as
// string_agg's delimiter does (aggSpec.sep).
func (b *binder) bindJSONObjectAgg(x *ast.FuncCall, spec *aggSpec, from *scope) (*aggSpec, error) {
	plain := &scope{cols: from.cols, parent: from.parent}
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		if b.nestedAggregate(a, from) {
			return nil, pgerr.New(pgerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(x.Pos)
		}
		e, err := b.bindExpr(a, plain)
		if err != nil {
			return nil, err
		}
		if args[i], err = b.jsonArg(e, x.Name, false, x.Pos); err != nil {
			return nil, err
		}
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
	spec.arg, spec.sep, spec.t = args[0], args[1], jsonT
	if x.Name == "jsonb_object_agg" {
		spec.t = jsonbT
	}
	return spec, nil
}

// jsonAggResult is the value of json_agg, jsonb_agg, json_object_agg or
// jsonb_object_agg over its inputs, in their order.
func jsonAggResult(spec *aggSpec, parts []aggPart) (types.Datum, error) {
	at := spec.arg.Type()
	switch spec.name {
	case "jsonb_agg":
		out := &types.JSON{Kind: types.JSONArrayKind, Elems: make([]*types.JSON, len(parts))}
		for i, p := range parts {
			j, err := types.ToJSONB(at, p.v)
			if err != nil {
				return nil, err
			}
			out.Elems[i] = j
		}
		return out, nil
	case "json_agg":
		// PostgreSQL starts an array or row element on a new line.
		buf := []byte{'['}
		for i, p := range parts {
			if i > 0 {
				buf = append(buf, ", "...)
				if (at.IsArray() || spec.rows) && p.v != nil {
					buf = append(buf, "\n "...)
				}
			}
			buf = types.AppendJSONText(buf, at, p.v)
		}
		return string(append(buf, ']')), nil
	}
	vt := spec.sep.Type()
	if spec.name == "jsonb_object_agg" {
		keys := make([]string, len(parts))
		vals := make([]*types.JSON, len(parts))
		for i, p := range parts {
			k, err := jsonKeyText(at, p.v, 1)
			if err != nil {
				return nil, err
			}
			keys[i] = k
			if vals[i], err = types.ToJSONB(vt, p.sep); err != nil {
				return nil, err
			}
		}
		return types.NewJSONObject(keys, vals), nil
	}
	buf := []byte("{ ")
	for i, p := range parts {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		k, err := jsonKeyText(at, p.v, 1)
		if err != nil {
			return nil, err
		}
		buf = types.AppendJSONString(buf, k)
		buf = append(buf, " : "...)
		buf = types.AppendJSONText(buf, vt, p.sep)
	}
	return string(append(buf, " }"...)), nil
}

// bindJSONBSubscript binds jsonb subscripting, j['key'] and j[i]: each
// subscript an object key or an array index (a text subscript that reads
// as an integer indexes an array too), missing parts NULL.
func (b *binder) bindJSONBSubscript(j expr, x *ast.SubscriptExpr, sc *scope) (expr, error) {
	if x.Slice {
		// PostgreSQL points at the first subscript's upper bound, else
		// its lower one.
		err := pgerr.New(pgerr.DatatypeMismatch, "jsonb subscript does not support slices")
		switch {
		case len(x.Indexes) > 0 && x.Indexes[0] != nil:
			err = err.WithPosition(x.Indexes[0].Position())
		case len(x.Lowers) > 0 && x.Lowers[0] != nil:
			err = err.WithPosition(x.Lowers[0].Position())
		}
		return nil, err
	}
	idxs, err := b.bindJSONBIndexes(x.Indexes, sc)
	if err != nil {
		return nil, err
	}
	args := append([]expr{j}, idxs...)
	return &funcExpr{t: jsonbT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		v := a[0].(*types.JSON)
		for _, s := range a[1:] {
			switch k := s.(type) {
			case int64:
				if v.Kind == types.JSONObject {
					// An integer subscript of an object is a key.
					v = v.Get(strconv.FormatInt(k, 10))
				} else {
					v = builtins.Index(v, k)
				}
			case string:
				if v.Kind == types.JSONArrayKind {
					p := k
					v = builtins.Path(v, []*string{&p})
				} else {
					v = v.Get(k)
				}
			}
			if v == nil {
				return nil, nil
			}
		}
		return v, nil
	}}, nil
}

// bindJSONBIndexes binds jsonb subscripts: each an int4 (from smallint
// or integer) or a text (from any string type).
func (b *binder) bindJSONBIndexes(list []ast.Expr, sc *scope) ([]expr, error) {
	out := make([]expr, len(list))
	for n, i := range list {
		idx, err := b.bindExpr(i, sc)
		if err != nil {
			return nil, err
		}
		switch it := idx.Type(); {
		case it.ID == types.Int2 || it.ID == types.Int4:
			idx, err = b.cast(idx, int4T, false, i.Position())
		case it.IsString():
			idx, err = b.coerceText(idx, i.Position())
		default:
			return nil, pgerr.New(pgerr.DatatypeMismatch, "subscript type %s is not supported", it.Name()).
				WithHint("jsonb subscript must be coercible to either integer or text.").WithPosition(i.Position())
		}
		if err != nil {
			return nil, err
		}
		out[n] = idx
	}
	return out, nil
}

// bindJSONPathQuery binds jsonb_path_query(target, path [, vars [,
// silent]]): one row per item the path yields.
func (b *binder) bindJSONPathQuery(n *funcScanNode, x *ast.FuncCall) ([]Column, error) {
	want := []types.T{jsonbT, jsonpathT, jsonbT, boolT}
	if len(n.args) < 2 || len(n.args) > 4 {
		return nil, undefinedFunction(x.Name, n.args, x.Pos)
	}
	for i := range n.args {
		if err := b.coerceArg(n.args, i, want[i], x.Name, x.Pos); err != nil {
			return nil, err
		}
	}
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		var vars *types.JSON
		if len(a) > 2 {
			vars = a[2].(*types.JSON)
		}
		items, err := builtins.JSONPathQuery(a[0].(*types.JSON), a[1].(string), vars)
		if err != nil {
			if len(a) > 3 && a[3].(bool) {
				return nil, nil
			}
			return nil, err
		}
		out := make([]types.Datum, len(items))
		for i, it := range items {
			if err := ex.grow(4 * interfaceBytes); err != nil {
				return nil, err
			}
			out[i] = it
		}
		return out, nil
	}
	return []Column{{Type: jsonbT}}, nil
}

// setLax is jsonb_set_lax(target, path, new_value [, create_if_missing
// [, null_value_treatment]]).
func setLax(a []types.Datum) (types.Datum, error) {
	create, treatment := types.Datum(true), types.Datum("use_json_null")
	if len(a) > 3 {
		create = a[3]
	}
	if len(a) > 4 {
		treatment = a[4]
	}
	if a[0] == nil || a[1] == nil || create == nil {
		return nil, nil
	}
	badTreatment := pgerr.New(pgerr.InvalidParameterValue, "null_value_treatment must be \"delete_key\", \"return_target\", \"use_json_null\", or \"raise_exception\"")
	if treatment == nil {
		return nil, badTreatment
	}
	target, path := a[0].(*types.JSON), textPath(a[1])
	if a[2] != nil {
		return builtins.JSONBSet(target, path, a[2].(*types.JSON), create.(bool), false, false)
	}
	switch treatment.(string) {
	case "raise_exception":
		return nil, pgerr.New(pgerr.NullValueNotAllowed, "JSON value must not be null").
			WithDetail("Exception was raised because null_value_treatment is \"raise_exception\".").
			WithHint("To avoid, either change the null_value_treatment argument or ensure that an SQL NULL is not passed.")
	case "use_json_null":
		return builtins.JSONBSet(target, path, types.JSONNullValue, create.(bool), false, false)
	case "delete_key":
		return builtins.DeletePath(target, path)
	case "return_target":
		return target, nil
	}
	return nil, badTreatment
}

// wholeRowTable reports whether e names a FROM item as a whole (the t of
// row_to_json(t)) rather than a column, and which.
func wholeRowTable(e ast.Expr, sc *scope) (string, bool) {
	cr, ok := e.(*ast.ColumnRef)
	if !ok || cr.Table != "" || sc == nil {
		return "", false
	}
	if _, _, _, err := sc.resolve(cr); err == nil {
		return "", false
	}
	for cur := sc; cur != nil; cur = cur.parent {
		if cur.hasTable(cr.Column) {
			return cr.Column, true
		}
	}
	return "", false
}

// bindWholeRow binds a whole-row reference as the json text PostgreSQL
// makes of a row ({"a":1,"b":"x"}, or one field a line when pretty): the
// FROM item's columns, by name, in order.
func (b *binder) bindWholeRow(table string, sc *scope, pos int32, pretty expr) (expr, error) {
	var cols []scopeCol
	for cur := sc; cur != nil && cols == nil; cur = cur.parent {
		for _, c := range cur.cols {
			if c.table == table && !c.system {
				cols = append(cols, c)
			}
		}
	}
	args := make([]expr, len(cols))
	colTypes := make([]types.T, len(cols))
	for i, c := range cols {
		e, err := b.bindExpr(&ast.ColumnRef{Table: table, Column: c.name, Pos: pos}, sc)
		if err != nil {
			return nil, err
		}
		args[i], colTypes[i] = e, e.Type()
	}
	n := len(args)
	if pretty != nil {
		args = append(args, pretty)
	}
	return &funcExpr{t: jsonT, args: args, fn: func(a []types.Datum) (types.Datum, error) {
		sep := ","
		if len(a) > n && a[n] == true {
			sep = ",\n "
		}
		buf := []byte{'{'}
		for i, c := range cols {
			if i > 0 {
				buf = append(buf, sep...)
			}
			buf = types.AppendJSONString(buf, c.name)
			buf = append(buf, ':')
			buf = types.AppendJSONText(buf, colTypes[i], a[i])
		}
		return string(append(buf, '}')), nil
	}}, nil
}

// bindRowJSONFunc binds to_json, to_jsonb and row_to_json of a whole row;
// ok is false when the call is not one.
func (b *binder) bindRowJSONFunc(x *ast.FuncCall, sc *scope) (e expr, ok bool, err error) {
	if len(x.Args) == 0 || len(x.Args) > 2 {
		return nil, false, nil
	}
	table, whole := wholeRowTable(x.Args[0], sc)
	if !whole || len(x.Args) == 2 && x.Name != "row_to_json" {
		return nil, false, nil
	}
	var pretty expr
	if len(x.Args) == 2 {
		if pretty, err = b.bindExpr(x.Args[1], sc); err != nil {
			return nil, true, err
		}
		if pretty, err = b.coerce(pretty, boolT, "argument of row_to_json", x.Pos); err != nil {
			return nil, true, err
		}
	}
	row, err := b.bindWholeRow(table, sc, x.Pos, pretty)
	if err != nil {
		return nil, true, err
	}
	if x.Name == "to_jsonb" {
		return &funcExpr{t: jsonbT, args: []expr{row}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			return types.ParseJSONB(a[0].(string))
		}}, true, nil
	}
	return row, true, nil
}

// isRecordFunc reports whether name returns record: its columns come
// from a column definition list.
func isRecordFunc(name string) bool {
	switch name {
	case "jsonb_to_record", "jsonb_to_recordset", "json_to_record", "json_to_recordset",
		"json_populate_record", "jsonb_populate_record", "json_populate_recordset", "jsonb_populate_recordset":
		return true
	}
	return false
}

// bindJSONToRecord binds jsonb_to_record and jsonb_to_recordset (and
// their json forms) with the columns of the definition list defs: each
// column takes the object's field of its name, as populate_record_worker
// converts it.
func (b *binder) bindJSONToRecord(n *funcScanNode, x *ast.FuncCall, defs []ast.ColumnDef) ([]Column, error) {
	name := x.Name
	if len(defs) == 0 {
		return nil, pgerr.New(pgerr.SyntaxError, "a column definition list is required for functions returning \"record\"").WithPosition(x.Pos)
	}
	want := jsonbT
	if strings.HasPrefix(name, "json_") {
		want = jsonT
	}
	if len(n.args) != 1 {
		return nil, undefinedFunction(name, n.args, x.Pos)
	}
	if err := b.coerceArg(n.args, 0, want, name, x.Pos); err != nil {
		return nil, err
	}
	cols, pops, err := b.definitionPopulators(defs)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	set := strings.HasSuffix(name, "set")
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		ec := &evalCtx{exec: ex}
		j, err := readJSON(a[0])
		if err != nil {
			return nil, err
		}
		objs := []*types.JSON{j}
		if set {
			if j.Kind != types.JSONArrayKind {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a non-array", name)
			}
			objs = j.Elems
		}
		out := make([]types.Datum, 0, len(objs))
		for _, o := range objs {
			switch {
			case set && o.Kind != types.JSONObject:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "argument of %s must be an array of objects", name)
			case o.Kind == types.JSONArrayKind:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call populate_composite on an array")
			case o.Kind != types.JSONObject:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call populate_composite on a scalar")
			}
			fields, err := fillRecord(ec, names, pops, o, nil)
			if err != nil {
				return nil, err
			}
			row := srfRow(fields)
			if err := ex.grow(rowBytes(row)); err != nil {
				return nil, err
			}
			out = append(out, row)
		}
		return out, nil
	}
	return cols, nil
}

// takesWholeRows reports whether the function name takes a whole row
// (json_build_object('r', t)) as an argument, as its json text.
func takesWholeRows(name string) bool {
	switch name {
	case "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array":
		return true
	}
	return false
}
