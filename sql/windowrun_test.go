package sql

import (
	"testing"

	"github.com/cairndb/cairn/sql/ast"
)

func TestWindowMonotonic(t *testing.T) {
	order := []expr{&colExpr{}}
	star := &aggSpec{}
	tests := []struct {
		name     string
		f        winFunc
		inc, dec bool
	}{
		{"row_number", winFunc{name: "row_number"}, true, false},
		{"rank", winFunc{name: "rank", order: order}, true, false},
		{"count(*) whole partition", winFunc{name: "count", agg: star}, true, true},
		{"count(*) default frame", winFunc{name: "count", agg: star, order: order}, true, false},
		{"count(*) to the end", winFunc{name: "count", agg: star, order: order, frame: ast.WindowFrame{
			Mode: "rows", Start: ast.FrameBound{Kind: "current row"}, End: ast.FrameBound{Kind: "unbounded following"}}}, false, true},
		{"count(x)", winFunc{name: "count", agg: &aggSpec{arg: &colExpr{}}, order: order}, false, false},
		{"lag", winFunc{name: "lag", order: order}, false, false},
	}
	for _, tt := range tests {
		inc, dec := tt.f.monotonic()
		if inc != tt.inc || dec != tt.dec {
			t.Errorf("%s: monotonic = %v, %v; want %v, %v", tt.name, inc, dec, tt.inc, tt.dec)
		}
	}
}

func TestRunCondition(t *testing.T) {
	tests := []struct {
		c       runCond
		v       int64
		holds   bool
		text    string
		operand string
	}{
		{runCond{op: "<", v: 3, text: "row_number()"}, 2, true, "row_number() OVER (?) < 3", "(row_number() OVER (?)) < 3"},
		{runCond{op: "<", v: 3, text: "row_number()"}, 3, false, "row_number() OVER (?) < 3", "(row_number() OVER (?)) < 3"},
		{runCond{op: "<=", v: 11, funcRight: true, text: "count(*)"}, 11, true, "11 <= count(*) OVER (?)", "11 <= (count(*) OVER (?))"},
		{runCond{op: "<=", v: 11, funcRight: true, text: "count(*)"}, 10, false, "11 <= count(*) OVER (?)", "11 <= (count(*) OVER (?))"},
	}
	for _, tt := range tests {
		if got := tt.c.holds(tt.v); got != tt.holds {
			t.Errorf("%s with %d: holds = %v", tt.text, tt.v, got)
		}
		if got := tt.c.textAs(false); got != tt.text {
			t.Errorf("text = %q, want %q", got, tt.text)
		}
		if got := tt.c.textAs(true); got != tt.operand {
			t.Errorf("operand text = %q, want %q", got, tt.operand)
		}
	}
	if (&runCond{op: "<", v: 3}).holds(nil) {
		t.Error("a NULL value (a row passed through below the top window) must fail")
	}
}
