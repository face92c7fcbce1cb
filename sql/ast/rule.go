package ast

// CreateRuleStmt is CREATE [OR REPLACE] RULE name AS ON event TO table
// [WHERE condition] DO [ALSO | INSTEAD] {NOTHING | command | (command;
// ...)}. Where and Actions are kept as SQL text (the actions deparsed
// one by one), as the rule's definition is stored and bound anew when a
// statement meets it.
type CreateRuleStmt struct {
	Replace bool
	Name    string
	Table   TableRef
	Event   string // "select", "insert", "update" or "delete"
	Where   string
	Instead bool
	Actions []string
}

func (*CreateRuleStmt) Tag() string     { return "CREATE RULE" }
func (*CreateRuleStmt) WritesDatabase() {}

// DropRuleStmt is DROP RULE [IF EXISTS] name ON table [CASCADE |
// RESTRICT].
type DropRuleStmt struct {
	Name     string
	Table    TableRef
	IfExists bool
}

func (*DropRuleStmt) Tag() string     { return "DROP RULE" }
func (*DropRuleStmt) WritesDatabase() {}
