package builtins

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

func jb(t *testing.T, s string) *types.JSON {
	t.Helper()
	j, err := types.ParseJSONB(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return j
}

func strs(ss ...string) []*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}

// The expected values are PostgreSQL 15's.
func TestJSONBOperators(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  func() (types.Datum, error)
		want string
		code string
	}{
		{"contains object", func() (types.Datum, error) { return Contains(jb(t, `{"a":1,"b":[1,2]}`), jb(t, `{"b":[2]}`)), nil }, "t", ""},
		{"array contains scalar", func() (types.Datum, error) { return Contains(jb(t, `[1,2]`), jb(t, `1`)), nil }, "t", ""},
		{"scalar does not contain array", func() (types.Datum, error) { return Contains(jb(t, `1`), jb(t, `[1]`)), nil }, "f", ""},
		{"nested arrays", func() (types.Datum, error) { return Contains(jb(t, `[[1,2]]`), jb(t, `[[1,2,2]]`)), nil }, "t", ""},
		{"concat objects", func() (types.Datum, error) { return Concat(jb(t, `{"a":1,"b":2}`), jb(t, `{"b":3}`)), nil }, `{"a": 1, "b": 3}`, ""},
		{"concat scalars", func() (types.Datum, error) { return Concat(jb(t, `1`), jb(t, `{"a":1}`)), nil }, `[1, {"a": 1}]`, ""},
		{"delete key", func() (types.Datum, error) { return DeleteKeys(jb(t, `["a","b","a"]`), []string{"a"}) }, `["b"]`, ""},
		{"delete from scalar", func() (types.Datum, error) { return DeleteKeys(jb(t, `1`), []string{"a"}) }, "", pgerr.InvalidParameterValue},
		{"delete index", func() (types.Datum, error) { return DeleteIndex(jb(t, `[1,2,3]`), -1) }, `[1, 2]`, ""},
		{"delete path", func() (types.Datum, error) { return DeletePath(jb(t, `{"a":[1,{"b":2}]}`), strs("a", "1", "b")) }, `{"a": [1, {}]}`, ""},
		{"delete path not integer", func() (types.Datum, error) { return DeletePath(jb(t, `[1]`), strs("x")) }, "", pgerr.InvalidTextRepresentation},
		{"set", func() (types.Datum, error) {
			return JSONBSet(jb(t, `{"a":[1,2]}`), strs("a", "0"), jb(t, `"x"`), true, false, false)
		}, `{"a": ["x", 2]}`, ""},
		{"set prepends", func() (types.Datum, error) {
			return JSONBSet(jb(t, `[1,2]`), strs("-5"), jb(t, `0`), true, false, false)
		}, `[0, 1, 2]`, ""},
		{"set missing parent", func() (types.Datum, error) {
			return JSONBSet(jb(t, `{}`), strs("a", "b"), jb(t, `1`), true, false, false)
		}, `{}`, ""},
		{"insert after", func() (types.Datum, error) {
			return JSONBSet(jb(t, `{"a":[1,2]}`), strs("a", "1"), jb(t, `"x"`), true, true, true)
		}, `{"a": [1, 2, "x"]}`, ""},
		{"insert existing key", func() (types.Datum, error) {
			return JSONBSet(jb(t, `{"a":1}`), strs("a"), jb(t, `2`), true, true, false)
		}, "", pgerr.InvalidParameterValue},
		{"strip nulls", func() (types.Datum, error) { return StripNulls(jb(t, `{"a":null,"b":[null,{"c":null}]}`)), nil }, `{"b": [null, {}]}`, ""},
		{"path", func() (types.Datum, error) { return Path(jb(t, `{"a":[5,{"b":6}]}`), strs("a", "-1", "b")), nil }, `6`, ""},
		{"exists in array", func() (types.Datum, error) { return Exists(jb(t, `["a",1]`), "a"), nil }, "t", ""},
		{"jsonpath filter", func() (types.Datum, error) {
			items, err := JSONPathQuery(jb(t, `{"a":[1,2,3,{"b":4}]}`), `$.a[*] ? (@ >= 2)`, nil)
			return &types.JSON{Kind: types.JSONArrayKind, Elems: items}, err
		}, `[2, 3]`, ""},
		{"jsonpath lax unwraps", func() (types.Datum, error) {
			items, err := JSONPathQuery(jb(t, `{"a":[{"b":1},{"b":2}]}`), `$.a.b`, nil)
			return &types.JSON{Kind: types.JSONArrayKind, Elems: items}, err
		}, `[1, 2]`, ""},
		{"jsonpath strict missing key", func() (types.Datum, error) { return JSONPathQuery(jb(t, `{"a":1}`), `strict $.b`, nil) }, "", "2203A"},
		{"jsonpath match", func() (types.Datum, error) { return JSONPathMatch(jb(t, `{"a":1}`), `$.a == $x`, jb(t, `{"x":1}`)) }, "t", ""},
		{"jsonpath match not boolean", func() (types.Datum, error) { return JSONPathMatch(jb(t, `{"a":1}`), `$.a`, nil) }, "", "22038"},
		{"jsonpath arithmetic and last", func() (types.Datum, error) {
			items, err := JSONPathQuery(jb(t, `[1,2,3]`), `$[last] * 2 + $.size()`, nil)
			return &types.JSON{Kind: types.JSONArrayKind, Elems: items}, err
		}, `[9]`, ""},
		{"jsonpath unknown comparison", func() (types.Datum, error) { return JSONPathMatch(jb(t, `{"a":"x"}`), `$.a > 1`, nil) }, "<nil>", ""},
	} {
		got, err := tc.got()
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		s := "<nil>"
		if got != nil {
			s = types.FormatText(types.New(types.JSONB), got)
		}
		if s != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, s, tc.want)
		}
	}
}
