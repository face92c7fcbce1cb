package ast

// PrepareStmt is SQL-level PREPARE name [(types)] AS query.
type PrepareStmt struct {
	Name  string
	Types []TypeName
	// Query is the prepared statement's text.
	Query string
}

func (*PrepareStmt) Tag() string { return "PREPARE" }

// ExecuteStmt is EXECUTE name [(params)].
type ExecuteStmt struct {
	Name   string
	Params []Expr
}

// Tag is replaced by the executed statement's.
func (*ExecuteStmt) Tag() string { return "EXECUTE" }

// DeallocateStmt is DEALLOCATE [PREPARE] name | ALL.
type DeallocateStmt struct {
	Name string
	All  bool
}

func (s *DeallocateStmt) Tag() string {
	if s.All {
		return "DEALLOCATE ALL"
	}
	return "DEALLOCATE"
}
