package ast

// RenameRelationStmt is ALTER TABLE|VIEW|INDEX|SEQUENCE [IF EXISTS] name
// RENAME TO NewName. Kind is the statement's object word in lower case:
// "table", "view", "index" or "sequence". As in PostgreSQL, ALTER TABLE
// and ALTER INDEX rename a relation of any kind, ALTER VIEW only a view and
// ALTER SEQUENCE only a sequence.
type RenameRelationStmt struct {
	Kind     string
	Name     TableRef
	IfExists bool
	NewName  string
}

func (s *RenameRelationStmt) Tag() string {
	switch s.Kind {
	case "view":
		return "ALTER VIEW"
	case "index":
		return "ALTER INDEX"
	case "sequence":
		return "ALTER SEQUENCE"
	}
	return "ALTER TABLE"
}
func (*RenameRelationStmt) WritesDatabase() {}
