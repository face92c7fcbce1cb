package sql

import (
	"errors"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The expected values are PostgreSQL 15's json_populate_record.
func TestPopulateFields(t *testing.T) {
	i4, txt := types.New(types.Int4), types.New(types.Text)
	base := &types.RecordValue{Fields: []types.Datum{int64(1), "x"}}
	for _, tc := range []struct {
		js   string
		base *types.RecordValue
		want string
		code string
	}{
		{`{"f1": 0, "f2": 1}`, base, "(0,1)", ""},
		{`{"f2": [1, "a"]}`, base, `(1,"[1, ""a""]")`, ""},
		{`{"x": 5}`, base, "(1,x)", ""},
		{`{"x": 5}`, nil, "(,)", ""},
		{`{"f1": null}`, base, "(,x)", ""},
		{`{"f1": "abc"}`, base, "", pgerr.InvalidTextRepresentation},
		{`[1]`, base, "", pgerr.InvalidParameterValue},
		{`3`, base, "", pgerr.InvalidParameterValue},
	} {
		j, err := types.ParseJSONB(tc.js)
		if err != nil {
			t.Fatal(err)
		}
		var fields []types.Datum
		err = populateObject(j, "jsonb_populate_record")
		if err == nil {
			fields, err = fillRecord(nil, []string{"f1", "f2"}, []*populator{{t: i4}, {t: txt}}, j, tc.base)
		}
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%s: error %v, want %s", tc.js, err, tc.code)
			}
			continue
		}
		rec := &types.RecordValue{Shape: &types.RecordShape{Names: []string{"f1", "f2"}, Types: []types.T{i4, txt}}, Fields: fields}
		if got := types.FormatText(types.RecordOf(rec.Shape.Names, rec.Shape.Types), rec); err != nil || got != tc.want {
			t.Errorf("%s = %s, %v; want %s", tc.js, got, err, tc.want)
		}
	}
	if err := rowTypesMatch([]types.T{i4}, []types.T{txt, txt}); pgerr.Code(err) != pgerr.DatatypeMismatch {
		t.Errorf("1 of 2 attributes: %v", err)
	}
	if err := rowTypesMatch([]types.T{i4, i4}, []types.T{txt, txt}); pgerr.Code(err) != pgerr.DatatypeMismatch {
		t.Errorf("integer for text: %v", err)
	}
	if err := rowTypesMatch([]types.T{i4, txt}, []types.T{i4, txt}); err != nil {
		t.Errorf("same types: %v", err)
	}
}

// The nulls a subscripted assignment pads an array with count against
// the statement's memory: a huge index is 53200, not a crash.
func TestJSONBAssignMemory(t *testing.T) {
	e, _ := newBudgetEngine(t, 8<<20)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE js (id int PRIMARY KEY, j jsonb)")
	mustRun(t, s, "INSERT INTO js VALUES (1, '[]')")
	if _, err := run(s, "UPDATE js SET j[20000000] = '1'"); pgerr.Code(err) != pgerr.OutOfMemory {
		t.Errorf("padding 2e7 nulls: %v, want 53200", err)
	}
	if _, err := run(s, "UPDATE js SET j['a'] = '1'"); pgerr.Code(err) != pgerr.InvalidTextRepresentation {
		t.Errorf("a key into an array: %v, want 22P02", err)
	}
	mustRun(t, s, "UPDATE js SET j[3] = '1'")
}

// Arrays from JSON arrays of any depth, and the errors for ragged or
// mixed nesting; the expected answers are PostgreSQL 15's
// json_populate_record into an int[] field called ia.
func TestPopulateArray(t *testing.T) {
	ia := types.T{ID: types.Int4Array, Mod: -1}
	p, err := (&binder{}).populatorFor(ia, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		js, want, code, hint string
	}{
		{`[1, "2", null, 4]`, "{1,2,NULL,4}", "", ""},
		{`[[1, 2], [3, 4]]`, "{{1,2},{3,4}}", "", ""},
		{`[[[1, 2]], [[3, 4]]]`, "{{{1,2}},{{3,4}}}", "", ""},
		{`[]`, "{}", "", ""},
		{`[[], []]`, "{}", "", ""},
		{`[[[]]]`, "{}", "", ""},
		{`"{1,2,3}"`, "{1,2,3}", "", ""},
		{`123`, "", pgerr.InvalidTextRepresentation, `See the value of key "ia".`},
		{`{"a": 1}`, "", pgerr.InvalidTextRepresentation, `See the value of key "ia".`},
		{`[[1], 2]`, "", pgerr.InvalidTextRepresentation, `See the array element [1] of key "ia".`},
		{`[[[1, 2]], [3, 4]]`, "", pgerr.InvalidTextRepresentation, `See the array element [1][0] of key "ia".`},
		{`[[1], [2, 3]]`, "", pgerr.InvalidTextRepresentation, ""},
		{`[[1], []]`, "", pgerr.InvalidTextRepresentation, ""},
		{`[1, [2]]`, "", pgerr.InvalidTextRepresentation, ""},
		{`[[], [[1]]]`, "", pgerr.InvalidTextRepresentation, ""},
		{`[[[[[[[1]]]]]]]`, "", pgerr.ProgramLimitExceeded, ""},
	} {
		j, err := types.ParseJSONB(tc.js)
		if err != nil {
			t.Fatal(err)
		}
		d, err := p.populate(nil, j, nil, "ia")
		if tc.code != "" {
			var pe *pgerr.Error
			if pgerr.Code(err) != tc.code || errors.As(err, &pe) && pe.Hint != tc.hint {
				t.Errorf("%s: error %v (hint %q), want %s (hint %q)", tc.js, err, pe.Hint, tc.code, tc.hint)
			}
			continue
		}
		if err != nil || types.FormatText(ia, d) != tc.want {
			t.Errorf("%s = %v, %v; want %s", tc.js, d, err, tc.want)
		}
	}
}

// A composite field takes an object (over the base's value), or its
// text; other JSON values are 22023.
func TestPopulateComposite(t *testing.T) {
	i4, txt := types.New(types.Int4), types.New(types.Text)
	inner := types.RecordOf([]string{"a", "b"}, []types.T{txt, i4})
	inner.Shape.OID, inner.Shape.TypeName = 90001, "pair"
	anon := types.RecordOf([]string{"a", "b"}, []types.T{txt, i4})
	outer := types.RecordOf([]string{"r", "ra", "x"}, []types.T{inner, types.T{ID: types.RecordArray, Mod: -1, Shape: inner.Shape}, anon})
	p, err := (&binder{}).populatorFor(outer, 0)
	if err != nil {
		t.Fatal(err)
	}
	base := &types.RecordValue{Shape: outer.Shape, Fields: []types.Datum{&types.RecordValue{Shape: inner.Shape, Fields: []types.Datum{"old", int64(7)}}}}
	for _, tc := range []struct {
		js   string
		base *types.RecordValue
		want string
		code string
	}{
		{`{"r": {"a": "new"}}`, base, `("(new,7)",,)`, ""},
		{`{"r": {"a": "new"}}`, nil, `("(new,)",,)`, ""},
		{`{"r": "(s,3)"}`, nil, `("(s,3)",,)`, ""},
		{`{"ra": [{"b": 1}, null, "(z,2)"]}`, nil, `(,"{""(,1)"",NULL,""(z,2)""}",)`, ""},
		{`{"ra": "{\"(q,5)\"}"}`, nil, `(,"{""(q,5)""}",)`, ""},
		{`{"r": 123}`, nil, "", pgerr.InvalidParameterValue},
		{`{"r": [1, 2]}`, nil, "", pgerr.InvalidParameterValue},
		{`{"ra": [1]}`, nil, "", pgerr.InvalidParameterValue},
		{`{"r": {"b": 1.5}}`, nil, "", pgerr.InvalidTextRepresentation},
		{`{"x": {"a": "y"}}`, nil, "", pgerr.WrongObjectType},
	} {
		j, err := types.ParseJSONB(tc.js)
		if err != nil {
			t.Fatal(err)
		}
		fields, err := p.record(nil, j, tc.base)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%s: error %v, want %s", tc.js, err, tc.code)
			}
			continue
		}
		got := types.FormatText(outer, &types.RecordValue{Shape: outer.Shape, Fields: fields})
		if err != nil || got != tc.want {
			t.Errorf("%s = %s, %v; want %s", tc.js, got, err, tc.want)
		}
	}
}
