package ast

// GroupingSet is a GROUP BY item that names grouping sets rather than one
// expression: ROLLUP (...), CUBE (...), GROUPING SETS (...), the empty
// set () or, inside those, a parenthesized list (a, b) that is one unit.
//
// Kind is "ROLLUP", "CUBE", "SETS", "EMPTY" or "LIST". The Items of a
// ROLLUP or CUBE are its units, each an expression or a LIST; the Items
// of GROUPING SETS are expressions, LISTs or nested GroupingSets.
type GroupingSet struct {
	Kind  string
	Items []Expr
	Pos   int32
}

// GroupingFunc is GROUPING(a, b, ...): a bit mask telling, for the
// grouping set of the current group, which arguments are not grouped.
type GroupingFunc struct {
	Args []Expr
	Pos  int32
}

func (e *GroupingSet) Position() int32  { return e.Pos }
func (e *GroupingFunc) Position() int32 { return e.Pos }
