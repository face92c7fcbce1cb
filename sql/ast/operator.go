package ast

// CreateOperatorStmt is CREATE OPERATOR name (FUNCTION = f, LEFTARG = t,
// RIGHTARG = t, ...). Options are the definition's parameters by
// lower-case name, in their written order (FUNCTION and PROCEDURE carry
// Func; LEFTARG and RIGHTARG carry Type).
type CreateOperatorStmt struct {
	Schema  string
	Name    string
	Options []AggOption
	Pos     int32
}

// OperatorSig names one operator by its argument types; Left is nil for
// a prefix operator (NONE).
type OperatorSig struct {
	Schema      string
	Name        string
	Left, Right *TypeName
}

// DropOperatorStmt is DROP OPERATOR [IF EXISTS] name (l, r) [, ...].
type DropOperatorStmt struct {
	IfExists bool
	Cascade  bool
	Ops      []OperatorSig
}

func (*CreateOperatorStmt) Tag() string     { return "CREATE OPERATOR" }
func (*CreateOperatorStmt) WritesDatabase() {}
func (*DropOperatorStmt) Tag() string       { return "DROP OPERATOR" }
func (*DropOperatorStmt) WritesDatabase()   {}
