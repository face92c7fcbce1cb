package builtins

import (
	"slices"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestResolve picks overloads as PostgreSQL 15 does for the same calls
// (checked with pg_typeof, and with functions of the same signatures
// created in PostgreSQL for mixed, dates and pair).
func TestResolve(t *testing.T) {
	const (
		unknown, i2, i4, i8 = types.Unknown, types.Int2, types.Int4, types.Int8
		f8, num, text, b    = types.Float8, types.Numeric, types.Text, types.Bool
		vc, date, ts, tstz  = types.Varchar, types.Date, types.Timestamp, types.TimestampTZ
	)
	// A function with a string and a number form, and one taking dates,
	// for the category rules; PostgreSQL's own are named in comments.
	mixed := &Func{Name: "mixed", Overloads: []*Overload{{Args: []types.ID{i4}}, {Args: []types.ID{text}}}}   // like length(bytea)/length(text)
	dates := &Func{Name: "dates", Overloads: []*Overload{{Args: []types.ID{date}}, {Args: []types.ID{tstz}}}} // like date_trunc
	pair := &Func{Name: "pair", Overloads: []*Overload{{Args: []types.ID{i8, i8}}, {Args: []types.ID{num, num}}}}
	for _, tc := range []struct {
		f    *Func
		args []types.ID
		want []types.ID // the overload's arguments, or nil for an error
		err  string
	}{
		{f: funcs["abs"], args: []types.ID{i4}, want: []types.ID{i4}},
		{f: funcs["abs"], args: []types.ID{unknown}, want: []types.ID{f8}},
		{f: funcs["abs"], args: []types.ID{vc}, err: pgerr.UndefinedFunction},
		{f: funcs["abs"], args: []types.ID{b}, err: pgerr.UndefinedFunction},
		{f: funcs["abs"], args: []types.ID{i4, i4}, err: pgerr.UndefinedFunction},
		{f: funcs["round"], args: []types.ID{i4}, want: []types.ID{f8}},
		{f: funcs["round"], args: []types.ID{i2}, want: []types.ID{f8}},
		{f: funcs["round"], args: []types.ID{num}, want: []types.ID{num}},
		{f: funcs["round"], args: []types.ID{unknown}, want: []types.ID{f8}},
		{f: funcs["round"], args: []types.ID{i4, i4}, want: []types.ID{num, i4}},
		{f: funcs["round"], args: []types.ID{unknown, unknown}, want: []types.ID{num, i4}},
		{f: funcs["round"], args: []types.ID{f8, i4}, err: pgerr.UndefinedFunction},
		{f: funcs["round"], args: []types.ID{num, i8}, err: pgerr.UndefinedFunction},
		{f: funcs["sign"], args: []types.ID{i8}, want: []types.ID{f8}},
		{f: funcs["sqrt"], args: []types.ID{num}, want: []types.ID{num}},
		{f: funcs["sqrt"], args: []types.ID{text}, err: pgerr.UndefinedFunction},
		{f: funcs["power"], args: []types.ID{i4, i4}, want: []types.ID{f8, f8}},
		{f: funcs["power"], args: []types.ID{i4, num}, want: []types.ID{num, num}},
		{f: funcs["power"], args: []types.ID{num, unknown}, want: []types.ID{num, num}},
		{f: funcs["power"], args: []types.ID{unknown, unknown}, want: []types.ID{f8, f8}},
		{f: funcs["mod"], args: []types.ID{i4, i8}, want: []types.ID{i8, i8}},
		{f: funcs["mod"], args: []types.ID{i2, i4}, want: []types.ID{i4, i4}},
		{f: funcs["mod"], args: []types.ID{i2, i2}, want: []types.ID{i2, i2}},
		{f: funcs["mod"], args: []types.ID{num, i4}, want: []types.ID{num, num}},
		{f: funcs["mod"], args: []types.ID{unknown, i4}, want: []types.ID{i4, i4}},
		{f: funcs["mod"], args: []types.ID{unknown, unknown}, err: pgerr.AmbiguousFunction},
		{f: funcs["mod"], args: []types.ID{f8, i4}, err: pgerr.UndefinedFunction},
		{f: mixed, args: []types.ID{unknown}, want: []types.ID{text}},
		{f: mixed, args: []types.ID{i2}, want: []types.ID{i4}},
		{f: dates, args: []types.ID{unknown}, want: []types.ID{tstz}},
		{f: dates, args: []types.ID{ts}, want: []types.ID{tstz}},
		{f: pair, args: []types.ID{i4, unknown}, err: pgerr.AmbiguousFunction},
		{f: pair, args: []types.ID{unknown, unknown}, err: pgerr.AmbiguousFunction},
	} {
		args := make([]types.T, len(tc.args))
		for i, id := range tc.args {
			args[i] = types.New(id)
		}
		o, err := tc.f.Resolve(args)
		switch {
		case tc.err != "":
			if pgerr.Code(err) != tc.err {
				t.Errorf("%s%v: %v, want %s", tc.f.Name, tc.args, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s%v: %v", tc.f.Name, tc.args, err)
		case !slices.Equal(o.Args, tc.want):
			t.Errorf("%s%v resolved to %v, want %v", tc.f.Name, tc.args, o.Args, tc.want)
		}
	}
}
