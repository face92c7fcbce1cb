package builtins

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// geoCall runs operator sym (or function name, when fn) on values given
// as text of the named types, and prints the result in the style of
// extra_float_digits = 0, as PostgreSQL's regression tests do.
func geoCall(t *testing.T, name string, fn bool, args ...string) (string, error) {
	t.Helper()
	var vals []types.Datum
	var tys []types.T
	for i := 0; i < len(args); i += 2 {
		id, ok := map[string]types.ID{"point": types.PointType, "lseg": types.LsegType, "line": types.LineType,
			"box": types.BoxType, "path": types.PathType, "polygon": types.PolygonType, "circle": types.CircleType,
			"money": types.MoneyType, "int4": types.Int4, "int8": types.Int8, "float8": types.Float8}[args[i]]
		if !ok {
			t.Fatalf("no type %s", args[i])
		}
		ty := types.New(id)
		v, err := types.ParseText(ty, args[i+1])
		if err != nil {
			t.Fatalf("%s %q: %v", args[i], args[i+1], err)
		}
		vals, tys = append(vals, v), append(tys, ty)
	}
	var f *Func
	var ok bool
	if fn {
		f, ok = Lookup(name)
	} else {
		f, ok = LookupOperator(name, len(vals) == 1)
	}
	if !ok {
		t.Fatalf("no %s", name)
	}
	o, err := f.Resolve(tys)
	if err != nil {
		return "", err
	}
	d, err := o.Fn(vals)
	if err != nil || d == nil {
		return "NULL", err
	}
	return types.FormatTextStyle(types.New(o.Result), d, types.Style{RoundFloats: true}), nil
}

// TestGeometricOperators checks operators and functions against
// PostgreSQL 15's answers.
func TestGeometricOperators(t *testing.T) {
	cases := []struct {
		name string
		fn   bool
		args []string
		want string
	}{
		{"<->", false, []string{"point", "(0,0)", "point", "(3,4)"}, "5"},
		{"+", false, []string{"point", "(1,2)", "point", "(3,4)"}, "(4,6)"},
		{"*", false, []string{"point", "(1,2)", "point", "(3,4)"}, "(-5,10)"},
		{"/", false, []string{"point", "(1,2)", "point", "(3,4)"}, "(0.44,0.08)"},
		{"<<", false, []string{"point", "(-1,0)", "point", "(0,0)"}, "t"},
		{"~=", false, []string{"point", "(0.0000009,0)", "point", "(0,0)"}, "t"},
		{"<->", false, []string{"point", "(3,3)", "polygon", "((0,2),(2,0),(2,2))"}, "1.41421356237310"[:15]},
		{"<->", false, []string{"point", "(4,4)", "polygon", "((0,0),(0,3),(4,0))"}, "3.2"},
		{"<->", false, []string{"point", "(-1,1)", "line", "[(-3,0),(-4,0)]"}, "1"},
		{"<->", false, []string{"lseg", "[(1,1),(2,1)]", "line", "[(-1,-1),(-2,-1)]"}, "2"},
		{"?#", false, []string{"lseg", "[(1,1),(5,5)]", "line", "[(2,0),(0,2)]"}, "t"},
		{"?#", false, []string{"line", "[(3,0),(4,1)]", "box", "(0,0,2,2)"}, "f"},
		{"##", false, []string{"point", "(0,1)", "line", "[(0,0),(1,1)]"}, "(0.5,0.5)"},
		{"##", false, []string{"line", "[(0,0),(1,1)]", "lseg", "[(1,0),(2,0)]"}, "(1,0)"},
		{"#", false, []string{"line", "[(0,0),(1,1)]", "line", "[(1,0),(2,1)]"}, "NULL"},
		{"#", false, []string{"line", "[(0,0),(1,1)]", "line", "[(1,0),(1,1)]"}, "(1,1)"},
		{"?-|", false, []string{"line", "[(0,0),(1,0)]", "line", "[(0,0),(0,1)]"}, "t"},
		{"=", false, []string{"line", "[(1,2),(3,4)]", "line", "[(3,4),(4,5)]"}, "t"},
		{"?-", false, []string{"line", "[(0,0),(1,0)]"}, "t"},
		{"=", false, []string{"box", "(1,1),(0,0)", "box", "(2,0),(1,1)"}, "t"},
		{"<", false, []string{"box", "(1,1),(0,0)", "box", "(3,3),(0,0)"}, "t"},
		{"@>", false, []string{"box", "(0,0,3,3)", "box", "(1,1,3,3)"}, "t"},
		{"#", false, []string{"box", "(2,2),(0,0)", "box", "(3,3),(1,1)"}, "(2,2),(1,1)"},
		{"@@", false, []string{"box", "(2,2),(0,0)"}, "(1,1)"},
		{"*", false, []string{"box", "(2,2),(0,0)", "point", "(2,1)"}, "(2,6),(0,0)"},
		{"#", false, []string{"path", "[(1,2),(3,4),(5,6)]"}, "3"},
		{"@-@", false, []string{"path", "((0,0),(3,0),(3,4))"}, "12"},
		{"+", false, []string{"path", "((0,0),(3,0))", "path", "[(1,1)]"}, "NULL"},
		{"@>", false, []string{"polygon", "((0,4),(6,4),(3,2),(6,0),(0,0))", "polygon", "((2,1),(2,3),(3,3),(3,1))"}, "t"},
		{"@>", false, []string{"polygon", "((0,4),(6,4),(1,2),(6,0),(0,0))", "polygon", "((2,1),(2,3),(3,3),(3,1))"}, "f"},
		{"&&", false, []string{"polygon", "((1,4),(1,1),(4,1),(4,2),(2,2),(2,4),(1,4))", "polygon", "((3,3),(4,3),(4,4),(3,4),(3,3))"}, "f"},
		{"~=", false, []string{"polygon", "((0,0),(1,0),(1,1))", "polygon", "((1,1),(1,0),(0,0))"}, "t"},
		{"<->", false, []string{"circle", "<(0,0),1>", "circle", "<(5,0),1>"}, "3"},
		{"=", false, []string{"circle", "<(5,1),3>", "circle", "<(1,2),3>"}, "t"},
		{"*", false, []string{"circle", "<(1,1),1>", "point", "(0,2)"}, "<(-2,2),2>"},
		{"area", true, []string{"circle", "<(0,0),1>"}, "3.14159265358979"},
		{"area", true, []string{"path", "[(0,0),(1,0),(1,1)]"}, "NULL"},
		{"area", true, []string{"path", "((0,0),(1,0),(1,1))"}, "0.5"},
		{"polygon", true, []string{"int4", "4", "circle", "<(0,0),1>"}, "((-1,0),(-6.12323399573677e-17,1),(1,1.22464679914735e-16),(1.83697019872103e-16,-1))"},
		{"box", true, []string{"circle", "<(0,0),1>"}, "(0.707106781186547,0.707106781186547),(-0.707106781186547,-0.707106781186547)"},
		{"point", true, []string{"polygon", "((0,0),(2,0),(2,2),(0,2))"}, "(1,1)"},
		{"slope", true, []string{"point", "(0,0)", "point", "(0,1)"}, "Infinity"},
		{"diagonal", true, []string{"box", "(2,2),(0,0)"}, "[(2,2),(0,0)]"},
	}
	for _, c := range cases {
		got, err := geoCall(t, c.name, c.fn, c.args...)
		if err != nil || got != c.want {
			t.Errorf("%s %v = %s %v, want %s", c.name, c.args, got, err, c.want)
		}
	}
}

// TestGeometricErrors checks the float8 errors that geo_ops.c raises.
func TestGeometricErrors(t *testing.T) {
	cases := []struct {
		name string
		fn   bool
		args []string
		code string
	}{
		{"/", false, []string{"point", "(1,2)", "point", "(0,0)"}, pgerr.DivisionByZero},
		{"*", false, []string{"point", "(1e-300,-1e-300)", "point", "(1e-300,1e-300)"}, pgerr.NumericValueOutOfRange},
		{"/", false, []string{"point", "(1,2)", "point", "(1e+300,1)"}, pgerr.NumericValueOutOfRange},
		{"polygon", true, []string{"int4", "1", "circle", "<(0,0),1>"}, pgerr.InvalidParameterValue},
		{"polygon", true, []string{"int4", "10", "circle", "<(0,0),0>"}, pgerr.FeatureNotSupported},
		{"polygon", true, []string{"path", "[(0,0),(1,1)]"}, pgerr.InvalidParameterValue},
		{"line", true, []string{"point", "(1,0)", "point", "(1,0)"}, pgerr.InvalidParameterValue},
	}
	for _, c := range cases {
		_, err := geoCall(t, c.name, c.fn, c.args...)
		if e := pgerr.Find(err); e == nil || e.Code != c.code {
			t.Errorf("%s %v: %v, want %s", c.name, c.args, err, c.code)
		}
	}
}

// TestMoneyOperators checks money's arithmetic and cash_words.
func TestMoneyOperators(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"+", []string{"money", "123", "money", "123.45"}, "$246.45"},
		{"/", []string{"money", "123", "money", "2"}, "61.5"},
		{"*", []string{"money", "123", "int4", "2"}, "$246.00"},
		{"*", []string{"float8", "2", "money", "123"}, "$246.00"},
		{"/", []string{"money", "878.08", "float8", "11"}, "$79.83"},
		{"/", []string{"money", "878.08", "int8", "11"}, "$79.82"},
		{"/", []string{"money", "90000000000000099.00", "int8", "10"}, "$9,000,000,000,000,009.90"},
	}
	for _, c := range cases {
		got, err := geoCall(t, c.name, false, c.args...)
		if err != nil || got != c.want {
			t.Errorf("%s %v = %s %v, want %s", c.name, c.args, got, err, c.want)
		}
	}
	for _, c := range []struct {
		name string
		args []string
		code string
	}{
		{"+", []string{"money", "92233720368547758.07", "money", "0.01"}, pgerr.NumericValueOutOfRange},
		{"*", []string{"money", "90000000000000000", "int4", "1000"}, pgerr.NumericValueOutOfRange},
		{"*", []string{"money", "92233720368547758.07", "float8", "2"}, pgerr.NumericValueOutOfRange},
		{"/", []string{"money", "1", "int4", "0"}, pgerr.DivisionByZero},
		{"/", []string{"money", "1", "float8", "0"}, pgerr.DivisionByZero},
	} {
		_, err := geoCall(t, c.name, false, c.args...)
		if e := pgerr.Find(err); e == nil || e.Code != c.code {
			t.Errorf("%s %v: %v, want %s", c.name, c.args, err, c.code)
		}
	}
	for _, c := range []struct {
		cents int64
		want  string
	}{
		{123456, "One thousand two hundred thirty four dollars and fifty six cents"},
		{12300, "One hundred twenty three dollars and zero cents"},
		{100000, "One thousand  dollars and zero cents"},
		{101, "One dollar and one cent"},
		{-1, "Minus zero dollars and one cent"},
		{1200000000, "Twelve million  dollars and zero cents"},
	} {
		if got := CashWords(types.Money(c.cents)); got != c.want {
			t.Errorf("cash_words(%d) = %q, want %q", c.cents, got, c.want)
		}
	}
}
