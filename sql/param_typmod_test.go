package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestParamTakesColumnModifier: a parameter whose type comes from a
// column with a type modifier is typed without the modifier, and the
// modifier applies to its value as a cast would, as in PostgreSQL.
func TestParamTakesColumnModifier(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `create table m (id int4, n numeric(5,2), v varchar(3), ts timestamp(0))`)
	for _, tc := range []struct {
		query string
		param string
		want  string // the stored value as text, or the SQLSTATE
	}{
		{`insert into m (id, n) values (1, $1)`, "1.005", "1.01"},
		{`insert into m (id, n) values (1, $1)`, "1234.5", pgerr.NumericValueOutOfRange},
		{`insert into m (id, v) values (1, $1)`, "abc   ", "abc"},
		{`insert into m (id, v) values (1, $1)`, "abcd", pgerr.StringDataRightTruncation},
		{`insert into m (id, ts) values (1, $1)`, "2024-01-01 10:00:00.6", "2024-01-01 10:00:01"},
	} {
		mustRun(t, s, `truncate m`)
		p, err := s.Prepare(context.Background(), tc.query, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if err := s.bind(p, nil); err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if pt := p.ParamTypes[0]; pt.Mod != -1 {
			t.Errorf("%s: parameter typed with modifier %d", tc.query, pt.Mod)
		}
		v, err := types.ParseText(p.ParamTypes[0], tc.param)
		if err == nil {
			_, err = s.Execute(context.Background(), p, []types.Datum{v})
		}
		got := pgerr.Code(err)
		if err == nil {
			got = outcome(s, `select coalesce(n::text, v, ts::text) from m`)
		}
		if got != tc.want && got != "["+tc.want+"]" {
			t.Errorf("%s with %q: got %s, want %s", tc.query, tc.param, got, tc.want)
		}
	}
}
