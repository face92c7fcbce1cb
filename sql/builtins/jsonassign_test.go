package builtins

import (
	"errors"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The expected values are PostgreSQL 15's for UPDATE ... SET j[...] = v.
func TestAssignPath(t *testing.T) {
	for _, tc := range []struct {
		src  string
		path []string
		v    string
		want string
		code string
	}{
		{`{}`, []string{"a"}, `1`, `{"a": 1}`, ""},
		{`{"key": "value"}`, []string{"a"}, `1`, `{"a": 1, "key": "value"}`, ""},
		{`{"a": 1}`, []string{"a"}, `[1, 2]`, `{"a": [1, 2]}`, ""},
		{`[0]`, []string{"5"}, `1`, `[0, null, null, null, null, 1]`, ""},
		{`[0, null, null, null, null, 1]`, []string{"-4"}, `1`, `[0, null, 1, null, null, 1]`, ""},
		{`[0]`, []string{"-8"}, `1`, ``, pgerr.InvalidParameterValue},
		{`[]`, []string{"5"}, `1`, `[null, null, null, null, null, 1]`, ""},
		{`{}`, []string{"a", "0", "b", "0", "c"}, `1`, `{"a": [{"b": [{"c": 1}]}]}`, ""},
		{`{}`, []string{"a", "2", "b"}, `1`, `{"a": [null, null, {"b": 1}]}`, ""},
		{`{"b": 1}`, []string{"a", "0"}, `2`, `{"a": [2], "b": 1}`, ""},
		{`{}`, []string{"0", "a"}, `1`, `{"0": {"a": 1}}`, ""},
		{`[{"a": 1}]`, []string{"2", "b"}, `2`, `[{"a": 1}, null, {"b": 2}]`, ""},
		{`{"a": {"b": [null, 1]}}`, []string{"a", "b", "10"}, `1`, `{"a": {"b": [null, 1, null, null, null, null, null, null, null, null, 1]}}`, ""},
		{`[[[1]]]`, []string{"0", "0", "1"}, `1`, `[[[1, 1]]]`, ""},
		{`{"a": []}`, []string{"a", "1", "c", "2"}, `1`, `{"a": [null, {"c": [null, null, 1]}]}`, ""},
		{`{"a": 1}`, []string{"a", "b"}, `1`, ``, pgerr.InvalidParameterValue},
		{`{"a": 1}`, []string{"a", "0"}, `1`, ``, pgerr.InvalidParameterValue},
		{`null`, []string{"0"}, `1`, ``, pgerr.InvalidParameterValue},
		{`[1]`, []string{"x"}, `1`, ``, pgerr.InvalidTextRepresentation},
		{`[]`, []string{"300000000"}, `1`, ``, pgerr.ProgramLimitExceeded},
	} {
		got, err := AssignPath(jb(t, tc.src), tc.path, jb(t, tc.v), nil)
		if tc.code != "" {
			var pe *pgerr.Error
			if !errors.As(err, &pe) || pe.Code != tc.code {
				t.Errorf("%s %v: error %v, want SQLSTATE %s", tc.src, tc.path, err, tc.code)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("%s %v = %v, %v; want %s", tc.src, tc.path, got, err, tc.want)
		}
	}
}

func TestAssignPathPadRefused(t *testing.T) {
	budget := errors.New("over budget")
	var asked []int
	pad := func(n int) error {
		asked = append(asked, n)
		if n > 100 {
			return budget
		}
		return nil
	}
	if _, err := AssignPath(jb(t, `[1]`), []string{"1000"}, jb(t, `1`), pad); err != budget {
		t.Errorf("padding 999 nulls: %v, want the refusal", err)
	}
	if _, err := AssignPath(jb(t, `{}`), []string{"a", "1000"}, jb(t, `1`), pad); err != budget {
		t.Errorf("a new array of 1000 nulls: %v, want the refusal", err)
	}
	if got, err := AssignPath(jb(t, `[1]`), []string{"3"}, jb(t, `1`), pad); err != nil || got.String() != `[1, null, null, 1]` {
		t.Errorf("padding 2 nulls: %v, %v", got, err)
	}
	if want := []int{999, 1000, 2}; len(asked) != 3 || asked[0] != want[0] || asked[1] != want[1] || asked[2] != want[2] {
		t.Errorf("pad asked %v, want %v", asked, want)
	}
}
