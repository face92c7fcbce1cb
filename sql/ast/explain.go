package ast

// ExplainStmt is EXPLAIN [ (option [value], ...) ] statement, the old
// EXPLAIN ANALYZE VERBOSE form included (the grammar turns its keywords
// into options).
type ExplainStmt struct {
	Options []ExplainOption
	Stmt    Stmt
	// Source prints the statement's expressions as PostgreSQL's EXPLAIN
	// shows them; it is the parser's (*parser.ExplainSource), kept opaque
	// here because this package imports nothing.
	Source any
}

// ExplainOption is one option of EXPLAIN's parenthesized list: its name
// in lower case and its value as written ("" when none was given).
type ExplainOption struct {
	Name  string
	Value string
	Pos   int32
}

func (*ExplainStmt) Tag() string { return "EXPLAIN" }
