package sql

import (
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
