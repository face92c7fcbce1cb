package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestLiteralInputErrorPosition: a string literal that its target type
// refuses is reported at the literal, whatever typed it (a cast, CAST, the
// type-name prefix form, an operator), as PostgreSQL 15 reports it (the
// positions are PostgreSQL's).
func TestLiteralInputErrorPosition(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `create table lp (i int4, d date)`)
	for _, tc := range []struct {
		query string
		pos   int32
	}{
		{`select 'abc'::int`, 8},
		{`select  cast('abc' as int)`, 14},
		{`select int4 'abc'`, 13},
		{`select 1 + 'abc'::int`, 12},
		{`select '2024-13-01'::date`, 8},
		{`select 1 = 'abc'`, 12},
		{`insert into lp (i) values ('abc')`, 28},
		{`insert into lp (d) values ('2024-13-01')`, 28},
	} {
		_, err := run(s, tc.query)
		pe := pgerr.Find(err)
		if pe == nil {
			t.Errorf("%s: got %v, want an error", tc.query, err)
			continue
		}
		if pe.Position != tc.pos {
			t.Errorf("%s: %s at position %d, want %d", tc.query, pe.Message, pe.Position, tc.pos)
		}
	}
}
