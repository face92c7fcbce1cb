package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestSQLPrepare runs SQL-level PREPARE, EXECUTE and DEALLOCATE.
func TestSQLPrepare(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "create table t (a int, b text)")
	mustRun(t, s, "insert into t values (1, 'x'), (2, 'y'), (3, 'z')")
	cases := []struct{ query, want string }{
		{"prepare q(int) as select b from t where a >= $1 order by a", ""},
		{"execute q(2)", "[y][z]"},
		{"execute q('3')", "[z]"},
		{"execute q", `42601: wrong number of parameters for prepared statement "q"`},
		{"prepare q as select 1", `42P05: prepared statement "q" already exists`},
		{"prepare r(pg_catalog.oid) as select relname from pg_class where oid = $1", ""},
		{"execute r('t'::regclass)", "[t]"},
		{"prepare w(int, text) as insert into t values ($1, $2) returning a", ""},
		{"execute w(4, 'four')", "[4]"},
		{"deallocate q", ""},
		{"execute q(1)", `26000: prepared statement "q" does not exist`},
		{"deallocate all", ""},
		{"execute r(1)", `26000: prepared statement "r" does not exist`},
		{"select count(*) from t", "[4]"},
	}
	for _, c := range cases {
		if got := outcome(s, c.query); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.query, got, c.want)
		}
	}
}

// TestDeclaredArrayParams: a Parse may declare array parameter types
// (psycopg 3 declares int2[] for a list of small ints); the values arrive
// in text and are read as the declared array type. An array of a type
// cairn cannot take as a parameter is still 0A000.
func TestDeclaredArrayParams(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, tc := range []struct {
		id         types.ID
		query, arg string
		want       string
	}{
		{types.Int2Array, "SELECT $1::int8[]::text", "{1,NULL,3}", "[{1,NULL,3}]"},
		{types.Int4Array, "SELECT array_length($1, 1)", "{1,2}", "[2]"},
		{types.TextArray, "SELECT $1::text", `{a,"b c"}`, `[{a,"b c"}]`},
		{types.Float8Array, "SELECT $1[2]", "{1.5,2.5}", "[2.5]"},
	} {
		p, err := s.Prepare(context.Background(), tc.query, []types.ID{tc.id})
		if err != nil {
			t.Errorf("%s with %d: %v", tc.query, tc.id, err)
			continue
		}
		v, err := types.ParseText(p.ParamTypes[0], tc.arg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Execute(context.Background(), p, []types.Datum{v})
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if got := rowsText(res); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.query, got, tc.want)
		}
	}
	if _, err := s.Prepare(context.Background(), "SELECT $1", []types.ID{types.RegclassArray}); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Errorf("regclass[] parameter: %v, want 0A000", err)
	}
}

// TestUntypedParams: a parameter the client leaves untyped takes its type
// from where the statement uses it, text where nothing constrains it; as
// in PostgreSQL 15, one used only where nothing gives it a type (IS NULL,
// pg_typeof) or not used at all is 42P18, and one used so before a later
// use types it is 42P08 at the untyped use (pgJDBC sends setDate and
// setTimestamp untyped).
func TestUntypedParams(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "create table t (a int, d date)")
	for _, tc := range []struct {
		query    string
		declared []types.ID
		want     string // SQLSTATE, or the parameter types
		pos      int32
	}{
		{"select $1 is null", nil, "42P18", 0},
		{"select $1 is not null", []types.ID{0}, "42P18", 0},
		{"select pg_typeof($1)", nil, "42P18", 0},
		{"select $2::int", nil, "42P18", 0},
		{"select 1", []types.ID{0}, "42P18", 0},
		{"select $1 is null or $1 = 1", nil, "42P08", 8},
		{"select 1 from t where $1 is null and d = $1", nil, "42P08", 23},
		{"select $1::int, $1 is null", nil, "[integer]", 0},
		{"select $1 is null from (select $1::date) s", nil, "[date]", 0},
		{"select $1 is null", []types.ID{types.Date}, "[date]", 0},
		{"select pg_typeof($1)", []types.ID{types.Int8}, "[bigint]", 0},
		{"select $1, $2 is true", nil, "[text boolean]", 0},
		{"select coalesce($1, $2)", nil, "[text text]", 0},
		{"select 1", []types.ID{types.Int4}, "[integer]", 0},
		{"select 1 from t where d = $1", nil, "[date]", 0},
	} {
		p, err := s.Prepare(context.Background(), tc.query, tc.declared)
		got := pgerr.Code(err)
		var pos int32
		if err == nil {
			got = "["
			for i, pt := range p.ParamTypes {
				if i > 0 {
					got += " "
				}
				got += pt.Name()
			}
			got += "]"
		} else if pe, ok := err.(*pgerr.Error); ok {
			pos = pe.Position
		}
		if got != tc.want || pos != tc.pos {
			t.Errorf("%s: got %s (position %d), want %s (position %d); %v", tc.query, got, pos, tc.want, tc.pos, err)
		}
	}
}
