package builtins

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The JSON functions with fixed argument types, and the kernels of the
// json and jsonb operators (the binder picks the operator's form itself,
// sql/json.go). json values are text, read here with
// types.ParseJSONText so that their parts keep their text; jsonb values
// are *types.JSON.

func init() {
	const (
		jb, js, txt, i4, bl = types.JSONB, types.JSONType, types.Text, types.Int4, types.Bool
		txtArr              = types.TextArray
	)
	register("jsonb_typeof", &Overload{Args: []types.ID{jb}, Result: txt, Fn: func(a []types.Datum) (types.Datum, error) {
		return a[0].(*types.JSON).Kind.String(), nil
	}})
	register("json_typeof", &Overload{Args: []types.ID{js}, Result: txt, Fn: func(a []types.Datum) (types.Datum, error) {
		j, err := jsonText(a[0])
		if err != nil {
			return nil, err
		}
		return j.Kind.String(), nil
	}})
	register("jsonb_array_length", &Overload{Args: []types.ID{jb}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
		return arrayLength(a[0].(*types.JSON))
	}})
	register("json_array_length", &Overload{Args: []types.ID{js}, Result: i4, Fn: func(a []types.Datum) (types.Datum, error) {
		j, err := jsonText(a[0])
		if err != nil {
			return nil, err
		}
		return arrayLength(j)
	}})
	register("jsonb_strip_nulls", &Overload{Args: []types.ID{jb}, Result: jb, Fn: func(a []types.Datum) (types.Datum, error) {
		return StripNulls(a[0].(*types.JSON)), nil
	}})
	register("jsonb_pretty", &Overload{Args: []types.ID{jb}, Result: txt, Fn: func(a []types.Datum) (types.Datum, error) {
		return a[0].(*types.JSON).Pretty(), nil
	}})
	set := func(a []types.Datum) (types.Datum, error) {
		create := len(a) < 4 || a[3].(bool)
		return JSONBSet(a[0].(*types.JSON), textPath(a[1]), a[2].(*types.JSON), create, false, false)
	}
	register("jsonb_set",
		&Overload{Args: []types.ID{jb, txtArr, jb}, Result: jb, Fn: set},
		&Overload{Args: []types.ID{jb, txtArr, jb, bl}, Result: jb, Fn: set})
	insert := func(a []types.Datum) (types.Datum, error) {
		after := len(a) == 4 && a[3].(bool)
		return JSONBSet(a[0].(*types.JSON), textPath(a[1]), a[2].(*types.JSON), true, true, after)
	}
	register("jsonb_insert",
		&Overload{Args: []types.ID{jb, txtArr, jb}, Result: jb, Fn: insert},
		&Overload{Args: []types.ID{jb, txtArr, jb, bl}, Result: jb, Fn: insert})
	register("jsonb_exists", &Overload{Args: []types.ID{jb, txt}, Result: bl, Fn: func(a []types.Datum) (types.Datum, error) {
		return Exists(a[0].(*types.JSON), a[1].(string)), nil
	}})
	register("jsonb_contains", &Overload{Args: []types.ID{jb, jb}, Result: bl, Fn: func(a []types.Datum) (types.Datum, error) {
		return Contains(a[0].(*types.JSON), a[1].(*types.JSON)), nil
	}})
	register("jsonb_contained", &Overload{Args: []types.ID{jb, jb}, Result: bl, Fn: func(a []types.Datum) (types.Datum, error) {
		return Contains(a[1].(*types.JSON), a[0].(*types.JSON)), nil
	}})
	register("jsonb_exists_any", &Overload{Args: []types.ID{jb, txtArr}, Result: bl, Fn: func(a []types.Datum) (types.Datum, error) {
		return ExistsAny(a[0].(*types.JSON), a[1].(*types.Array), false), nil
	}})
	register("jsonb_exists_all", &Overload{Args: []types.ID{jb, txtArr}, Result: bl, Fn: func(a []types.Datum) (types.Datum, error) {
		return ExistsAny(a[0].(*types.JSON), a[1].(*types.Array), true), nil
	}})
	register("jsonb_concat", &Overload{Args: []types.ID{jb, jb}, Result: jb, Fn: func(a []types.Datum) (types.Datum, error) {
		return Concat(a[0].(*types.JSON), a[1].(*types.JSON)), nil
	}})
	register("jsonb_delete",
		&Overload{Args: []types.ID{jb, txt}, Result: jb, Fn: func(a []types.Datum) (types.Datum, error) {
			return DeleteKeys(a[0].(*types.JSON), []string{a[1].(string)})
		}},
		&Overload{Args: []types.ID{jb, i4}, Result: jb, Fn: func(a []types.Datum) (types.Datum, error) {
			return DeleteIndex(a[0].(*types.JSON), a[1].(int64))
		}})
	register("jsonb_delete_path", &Overload{Args: []types.ID{jb, txtArr}, Result: jb, Fn: func(a []types.Datum) (types.Datum, error) {
		return DeletePath(a[0].(*types.JSON), textPath(a[1]))
	}})
	register("json_strip_nulls", &Overload{Args: []types.ID{js}, Result: js, Fn: func(a []types.Datum) (types.Datum, error) {
		j, err := jsonText(a[0])
		if err != nil {
			return nil, err
		}
		return string(appendStripped(nil, j)), nil
	}})
	for _, name := range []string{"json_object", "jsonb_object"} {
		jsonb := name == "jsonb_object"
		res := js
		if jsonb {
			res = jb
		}
		register(name,
			&Overload{Args: []types.ID{txtArr}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				arr := a[0].(*types.Array)
				e := arr.Elems
				switch arr.NDims() {
				case 0, 1:
					if len(e)%2 != 0 {
						return nil, pgerr.New(pgerr.ArraySubscriptError, "array must have even number of elements")
					}
				case 2:
					// {{k,v},{k,v}}: pairs, row by row.
					if arr.DimLen(1) != 2 {
						return nil, pgerr.New(pgerr.ArraySubscriptError, "array must have two columns")
					}
				default:
					return nil, pgerr.New(pgerr.ArraySubscriptError, "wrong number of array subscripts")
				}
				var keys, vals []types.Datum
				for i := 0; i < len(e); i += 2 {
					keys, vals = append(keys, e[i]), append(vals, e[i+1])
				}
				return objectFromArrays(keys, vals, jsonb)
			}},
			&Overload{Args: []types.ID{txtArr, txtArr}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				ka, va := a[0].(*types.Array), a[1].(*types.Array)
				if ka.NDims() > 1 || ka.NDims() != va.NDims() {
					return nil, pgerr.New(pgerr.ArraySubscriptError, "wrong number of array subscripts")
				}
				k, v := ka.Elems, va.Elems
				if len(k) != len(v) {
					return nil, pgerr.New(pgerr.ArraySubscriptError, "mismatched array dimensions")
				}
				return objectFromArrays(k, v, jsonb)
			}})
	}
}

// objectFromArrays is json_object and jsonb_object: string values, NULL
// values null, NULL keys refused.
func objectFromArrays(keys, vals []types.Datum, jsonb bool) (types.Datum, error) {
	for _, k := range keys {
		if k == nil {
			return nil, pgerr.New(pgerr.NullValueNotAllowed, "null value not allowed for object key")
		}
	}
	value := func(v types.Datum) *types.JSON {
		if v == nil {
			return types.JSONNullValue
		}
		return types.JSONStr(v.(string))
	}
	if jsonb {
		ks := make([]string, len(keys))
		vs := make([]*types.JSON, len(keys))
		for i := range keys {
			ks[i], vs[i] = keys[i].(string), value(vals[i])
		}
		return types.NewJSONObject(ks, vs), nil
	}
	buf := []byte{'{'}
	for i := range keys {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = types.AppendJSONString(buf, keys[i].(string))
		buf = append(buf, " : "...)
		buf = value(vals[i]).AppendText(buf)
	}
	return string(append(buf, '}')), nil
}

// appendStripped is json_strip_nulls' text: j written compactly without
// the object fields whose value is null.
func appendStripped(buf []byte, j *types.JSON) []byte {
	switch j.Kind {
	case types.JSONObject:
		buf = append(buf, '{')
		n := 0
		for i, k := range j.Keys {
			if j.Vals[i].Kind == types.JSONNull {
				continue
			}
			if n > 0 {
				buf = append(buf, ',')
			}
			n++
			buf = types.AppendJSONString(buf, k)
			buf = append(buf, ':')
			buf = appendStripped(buf, j.Vals[i])
		}
		return append(buf, '}')
	case types.JSONArrayKind:
		buf = append(buf, '[')
		for i, e := range j.Elems {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendStripped(buf, e)
		}
		return append(buf, ']')
	}
	return append(buf, j.Text()...)
}

// jsonText reads a json value (its text) for an operator or function.
func jsonText(d types.Datum) (*types.JSON, error) {
	return types.ParseJSONText(d.(string))
}

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

func arrayLength(j *types.JSON) (types.Datum, error) {
	switch {
	case j.IsScalar():
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot get array length of a scalar")
	case j.Kind == types.JSONObject:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot get array length of a non-array")
	}
	return int64(len(j.Elems)), nil
}

// Index is j -> i: the element at i of an array (from the end when i is
// negative), or nil.
func Index(j *types.JSON, i int64) *types.JSON {
	if j.Kind != types.JSONArrayKind {
		return nil
	}
	if i < 0 {
		i += int64(len(j.Elems))
	}
	if i < 0 || i >= int64(len(j.Elems)) {
		return nil
	}
	return j.Elems[i]
}

// Path is j #> path: nil when a step is missing, or a path element is
// NULL, or an array step is not an integer.
func Path(j *types.JSON, path []*string) *types.JSON {
	for _, p := range path {
		if p == nil {
			return nil
		}
		switch j.Kind {
		case types.JSONObject:
			j = j.Get(*p)
		case types.JSONArrayKind:
			i, err := strconv.ParseInt(strings.TrimSpace(*p), 10, 64)
			if err != nil {
				return nil
			}
			j = Index(j, i)
		default:
			return nil
		}
		if j == nil {
			return nil
		}
	}
	return j
}

// AsText is the text ->> and #>> give for a JSON value: a string's
// contents, NULL for null, the text form of anything else.
func AsText(j *types.JSON) types.Datum {
	switch j.Kind {
	case types.JSONNull:
		return nil
	case types.JSONString:
		return j.Str
	}
	return j.Text()
}

// Exists is jsonb ? key: key is a key of the object, or a string element
// of the array, or the string itself.
func Exists(j *types.JSON, key string) bool {
	switch j.Kind {
	case types.JSONObject:
		return j.Get(key) != nil
	case types.JSONArrayKind:
		for _, e := range j.Elems {
			if e.Kind == types.JSONString && e.Str == key {
				return true
			}
		}
		return false
	case types.JSONString:
		return j.Str == key
	}
	return false
}

// ExistsAny is ?| (all false) and ?& (all true) over the non-NULL keys.
func ExistsAny(j *types.JSON, keys *types.Array, all bool) bool {
	for _, k := range keys.Elems {
		s, ok := k.(string)
		if !ok {
			continue
		}
		if Exists(j, s) != all {
			return !all
		}
	}
	return all
}

// Contains is a @> b, as PostgreSQL's JsonbDeepContains: an object
// contains an object whose every pair it has (values contained in
// turn), an array contains an array whose every element it has (a
// scalar equal, a container contained in one of its own), and at the top
// level an array contains a scalar it has as an element.
func Contains(a, b *types.JSON) bool {
	if a.Kind == types.JSONArrayKind && b.IsScalar() {
		return containsIn(a, &types.JSON{Kind: types.JSONArrayKind, Elems: []*types.JSON{b}})
	}
	return containsIn(a, b)
}

func containsIn(a, b *types.JSON) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case types.JSONObject:
		for i, k := range b.Keys {
			v := a.Get(k)
			if v == nil {
				return false
			}
			bv := b.Vals[i]
			if bv.IsScalar() {
				if v.Kind != bv.Kind || types.CompareJSON(v, bv) != 0 {
					return false
				}
			} else if !containsIn(v, bv) {
				return false
			}
		}
		return true
	case types.JSONArrayKind:
	next:
		for _, be := range b.Elems {
			for _, ae := range a.Elems {
				if be.IsScalar() && ae.Kind == be.Kind && types.CompareJSON(ae, be) == 0 ||
					!be.IsScalar() && containsIn(ae, be) {
					continue next
				}
			}
			return false
		}
		return true
	}
	return types.CompareJSON(a, b) == 0
}

// Concat is jsonb || jsonb: two objects merge (the right one's values
// win), two arrays join, and anything else is joined as arrays, a
// non-array becoming a one-element array.
func Concat(a, b *types.JSON) *types.JSON {
	if a.Kind == types.JSONObject && b.Kind == types.JSONObject {
		keys := append(append([]string{}, a.Keys...), b.Keys...)
		vals := append(append([]*types.JSON{}, a.Vals...), b.Vals...)
		return types.NewJSONObject(keys, vals)
	}
	elems := func(j *types.JSON) []*types.JSON {
		if j.Kind == types.JSONArrayKind {
			return j.Elems
		}
		return []*types.JSON{j}
	}
	out := append(append([]*types.JSON{}, elems(a)...), elems(b)...)
	return &types.JSON{Kind: types.JSONArrayKind, Elems: out}
}

func cannotDeleteFromScalar() error {
	return pgerr.New(pgerr.InvalidParameterValue, "cannot delete from scalar")
}

// DeleteKeys is jsonb - text and jsonb - text[]: the object without the
// keys, or the array without the string elements equal to one.
func DeleteKeys(j *types.JSON, keys []string) (*types.JSON, error) {
	drop := func(s string) bool {
		for _, k := range keys {
			if k == s {
				return true
			}
		}
		return false
	}
	switch j.Kind {
	case types.JSONObject:
		out := &types.JSON{Kind: types.JSONObject, Keys: []string{}, Vals: []*types.JSON{}}
		for i, k := range j.Keys {
			if !drop(k) {
				out.Keys, out.Vals = append(out.Keys, k), append(out.Vals, j.Vals[i])
			}
		}
		return out, nil
	case types.JSONArrayKind:
		out := &types.JSON{Kind: types.JSONArrayKind, Elems: []*types.JSON{}}
		for _, e := range j.Elems {
			if !(e.Kind == types.JSONString && drop(e.Str)) {
				out.Elems = append(out.Elems, e)
			}
		}
		return out, nil
	}
	return nil, cannotDeleteFromScalar()
}

// DeleteIndex is jsonb - int: the array without the element at i (from
// the end when negative).
func DeleteIndex(j *types.JSON, i int64) (*types.JSON, error) {
	switch j.Kind {
	case types.JSONObject:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot delete from object using integer index")
	case types.JSONArrayKind:
	default:
		return nil, cannotDeleteFromScalar()
	}
	n := int64(len(j.Elems))
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return j, nil
	}
	out := &types.JSON{Kind: types.JSONArrayKind, Elems: make([]*types.JSON, 0, n-1)}
	out.Elems = append(append(out.Elems, j.Elems[:i]...), j.Elems[i+1:]...)
	return out, nil
}

func pathNotInteger(pos int, p string) error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"", pos, p)
}

// DeletePath is jsonb #- text[]: j without the value at path.
func DeletePath(j *types.JSON, path []*string) (*types.JSON, error) {
	if j.IsScalar() {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot delete path in scalar")
	}
	if len(path) == 0 || len(j.Elems) == 0 && len(j.Keys) == 0 {
		return j, nil
	}
	return deletePath(j, path, 0)
}

func deletePath(j *types.JSON, path []*string, level int) (*types.JSON, error) {
	p := path[level]
	if p == nil {
		return nil, pgerr.New(pgerr.NullValueNotAllowed, "path element at position %d is null", level+1)
	}
	last := level == len(path)-1
	switch j.Kind {
	case types.JSONObject:
		for i, k := range j.Keys {
			if k != *p {
				continue
			}
			out := &types.JSON{Kind: types.JSONObject}
			if last {
				out.Keys = append(append([]string{}, j.Keys[:i]...), j.Keys[i+1:]...)
				out.Vals = append(append([]*types.JSON{}, j.Vals[:i]...), j.Vals[i+1:]...)
				return out, nil
			}
			v, err := deletePath(j.Vals[i], path, level+1)
			if err != nil {
				return nil, err
			}
			out.Keys = j.Keys
			out.Vals = append([]*types.JSON{}, j.Vals...)
			out.Vals[i] = v
			return out, nil
		}
		return j, nil
	case types.JSONArrayKind:
		idx, err := strconv.ParseInt(strings.TrimSpace(*p), 10, 32)
		if err != nil {
			return nil, pathNotInteger(level+1, *p)
		}
		n := int64(len(j.Elems))
		if idx < 0 {
			idx += n
		}
		if idx < 0 || idx >= n {
			return j, nil
		}
		if last {
			return DeleteIndex(j, idx)
		}
		v, err := deletePath(j.Elems[idx], path, level+1)
		if err != nil {
			return nil, err
		}
		out := &types.JSON{Kind: types.JSONArrayKind, Elems: append([]*types.JSON{}, j.Elems...)}
		out.Elems[idx] = v
		return out, nil
	}
	return j, nil
}

// JSONBSet is jsonb_set (insert false) and jsonb_insert (insert true,
// after choosing the side of an array position): j with v placed at
// path. A missing last step is added when create is true; a missing
// earlier step leaves j as it is.
func JSONBSet(j *types.JSON, path []*string, v *types.JSON, create, insert, after bool) (types.Datum, error) {
	if j.IsScalar() {
		if insert {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot set path in scalar")
		}
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot set path in scalar")
	}
	if len(path) == 0 {
		return j, nil
	}
	return setPath(j, path, 0, v, create, insert, after)
}

func setPath(j *types.JSON, path []*string, level int, v *types.JSON, create, insert, after bool) (*types.JSON, error) {
	p := path[level]
	if p == nil {
		return nil, pgerr.New(pgerr.NullValueNotAllowed, "path element at position %d is null", level+1)
	}
	last := level == len(path)-1
	switch j.Kind {
	case types.JSONObject:
		for i, k := range j.Keys {
			if k != *p {
				continue
			}
			if last && insert {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot replace existing key").
					WithHint("Try using the function jsonb_set to replace key value.")
			}
			nv := v
			if !last {
				var err error
				if nv, err = setPath(j.Vals[i], path, level+1, v, create, insert, after); err != nil {
					return nil, err
				}
			}
			out := &types.JSON{Kind: types.JSONObject, Keys: j.Keys, Vals: append([]*types.JSON{}, j.Vals...)}
			out.Vals[i] = nv
			return out, nil
		}
		if last && create {
			return types.NewJSONObject(append(append([]string{}, j.Keys...), *p), append(append([]*types.JSON{}, j.Vals...), v)), nil
		}
		return j, nil
	case types.JSONArrayKind:
		idx, err := strconv.ParseInt(strings.TrimSpace(*p), 10, 32)
		if err != nil {
			return nil, pathNotInteger(level+1, *p)
		}
		n := int64(len(j.Elems))
		if idx < 0 {
			idx += n
			if idx < 0 {
				idx = -1 // before the first
			}
		}
		if idx >= 0 && idx < n {
			if last {
				elems := append([]*types.JSON{}, j.Elems...)
				if !insert {
					elems[idx] = v
					return &types.JSON{Kind: types.JSONArrayKind, Elems: elems}, nil
				}
				at := idx
				if after {
					at++
				}
				out := append(append(append([]*types.JSON{}, elems[:at]...), v), elems[at:]...)
				return &types.JSON{Kind: types.JSONArrayKind, Elems: out}, nil
			}
			nv, err := setPath(j.Elems[idx], path, level+1, v, create, insert, after)
			if err != nil {
				return nil, err
			}
			elems := append([]*types.JSON{}, j.Elems...)
			elems[idx] = nv
			return &types.JSON{Kind: types.JSONArrayKind, Elems: elems}, nil
		}
		if last && create {
			if idx < 0 {
				return &types.JSON{Kind: types.JSONArrayKind, Elems: append([]*types.JSON{v}, j.Elems...)}, nil
			}
			return &types.JSON{Kind: types.JSONArrayKind, Elems: append(append([]*types.JSON{}, j.Elems...), v)}, nil
		}
		return j, nil
	}
	return j, nil
}

// StripNulls is jsonb_strip_nulls: j without the object fields whose
// value is null, at every depth (array elements stay).
func StripNulls(j *types.JSON) *types.JSON {
	switch j.Kind {
	case types.JSONObject:
		out := &types.JSON{Kind: types.JSONObject, Keys: []string{}, Vals: []*types.JSON{}}
		for i, k := range j.Keys {
			if j.Vals[i].Kind == types.JSONNull {
				continue
			}
			out.Keys, out.Vals = append(out.Keys, k), append(out.Vals, StripNulls(j.Vals[i]))
		}
		return out
	case types.JSONArrayKind:
		out := &types.JSON{Kind: types.JSONArrayKind, Elems: make([]*types.JSON, len(j.Elems))}
		for i, e := range j.Elems {
			out.Elems[i] = StripNulls(e)
		}
		return out
	}
	return j
}
