package builtins

import (
	"math"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// AssignPath is jsonb subscripted assignment, j[p1][p2]... = v: j with v
// placed at path, each step a key of an object or an index of an array
// (negative from the end). Missing steps are created: an object for a
// step that is not an integer, else an array padded with nulls up to
// the index; an array too short is padded with nulls. A step into a
// scalar, or an index before an array's start, is an error. pad, when
// set, is told of the nulls about to be added before they are, and may
// refuse them (the statement's memory budget).
func AssignPath(j *types.JSON, path []string, v *types.JSON, pad func(nulls int) error) (*types.JSON, error) {
	if len(path) == 0 {
		return v, nil
	}
	if pad == nil {
		pad = func(int) error { return nil }
	}
	return assignPath(j, path, 0, v, pad)
}

func assignPath(j *types.JSON, path []string, level int, v *types.JSON, pad func(int) error) (*types.JSON, error) {
	p := path[level]
	last := level == len(path)-1
	switch j.Kind {
	case types.JSONObject:
		for i, k := range j.Keys {
			if k != p {
				continue
			}
			nv := v
			if !last {
				var err error
				if nv, err = assignPath(j.Vals[i], path, level+1, v, pad); err != nil {
					return nil, err
				}
			}
			out := &types.JSON{Kind: types.JSONObject, Keys: j.Keys, Vals: append([]*types.JSON{}, j.Vals...)}
			out.Vals[i] = nv
			return out, nil
		}
		inner, err := newPath(path, level+1, v, pad)
		if err != nil {
			return nil, err
		}
		return types.NewJSONObject(append(append([]string{}, j.Keys...), p), append(append([]*types.JSON{}, j.Vals...), inner)), nil
	case types.JSONArrayKind:
		idx, ok := strtoint(p)
		if !ok {
			return nil, pgerr.New(pgerr.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"", level+1, p)
		}
		n := len(j.Elems)
		if idx < 0 {
			if -idx > n {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "path element at position %d is out of range: %d", level+1, idx)
			}
			idx += n
		}
		elems := append([]*types.JSON{}, j.Elems...)
		if idx < n {
			nv := v
			if !last {
				var err error
				if nv, err = assignPath(j.Elems[idx], path, level+1, v, pad); err != nil {
					return nil, err
				}
			}
			elems[idx] = nv
			return &types.JSON{Kind: types.JSONArrayKind, Elems: elems}, nil
		}
		if idx >= jsonbMaxElems {
			return nil, tooManyElements()
		}
		if err := pad(idx - len(elems)); err != nil {
			return nil, err
		}
		for len(elems) < idx {
			elems = append(elems, types.JSONNullValue)
		}
		inner, err := newPath(path, level+1, v, pad)
		if err != nil {
			return nil, err
		}
		return &types.JSON{Kind: types.JSONArrayKind, Elems: append(elems, inner)}, nil
	}
	return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot replace existing key").
		WithDetail("The path assumes key is a composite object, but it is a scalar value.")
}

// newPath is the value that holds v at path[from:]: an object for a
// step that is not an integer, an array with that many nulls before the
// rest for one that is.
func newPath(path []string, from int, v *types.JSON, pad func(int) error) (*types.JSON, error) {
	if from == len(path) {
		return v, nil
	}
	inner, err := newPath(path, from+1, v, pad)
	if err != nil {
		return nil, err
	}
	idx, ok := strtoint(path[from])
	if !ok {
		return &types.JSON{Kind: types.JSONObject, Keys: []string{path[from]}, Vals: []*types.JSON{inner}}, nil
	}
	if idx >= jsonbMaxElems {
		return nil, tooManyElements()
	}
	if err := pad(max(idx, 0)); err != nil {
		return nil, err
	}
	elems := make([]*types.JSON, 0, max(idx, 0)+1)
	for len(elems) < idx {
		elems = append(elems, types.JSONNullValue)
	}
	return &types.JSON{Kind: types.JSONArrayKind, Elems: append(elems, inner)}, nil
}

// jsonbMaxElems is PostgreSQL's bound on the elements of a jsonb array.
const jsonbMaxElems = 1<<28 - 1

func tooManyElements() error {
	return pgerr.New(pgerr.ProgramLimitExceeded, "number of jsonb array elements exceeds the maximum allowed (%d)", jsonbMaxElems)
}

// strtoint reads s as PostgreSQL's strtoint does: leading white space,
// a sign and decimal digits filling the rest, in the int4 range.
func strtoint(s string) (int, bool) {
	t := strings.TrimLeft(s, " \t\n\r\v\f")
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}
