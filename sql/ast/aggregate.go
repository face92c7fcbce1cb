package ast

// CreateAggregateStmt is CREATE [OR REPLACE] AGGREGATE name (argtypes)
// (options), or the old form CREATE AGGREGATE name (BASETYPE = t, ...),
// whose argument type travels in Options as "basetype" (OldStyle set).
// Args are the argument types; Star is name(*), no arguments.
type CreateAggregateStmt struct {
	Replace  bool
	OldStyle bool
	Schema   string
	Name     string
	Args     []TypeName
	// Options are the definition's parameters by lower-case name, in
	// their written order.
	Options []AggOption
	Pos     int32
}

// AggOption is one parameter of CREATE AGGREGATE's definition: a type
// or function name (Type, Func: its name parts), a string or number
// (Value), or none (a flag such as FINALFUNC_EXTRA). HasValue is false
// for a flag written without "= value".
type AggOption struct {
	Name     string
	Type     *TypeName
	Func     []string
	Value    string
	HasValue bool
}

func (*CreateAggregateStmt) Tag() string     { return "CREATE AGGREGATE" }
func (*CreateAggregateStmt) WritesDatabase() {}
