package ast

// CreatePolicyStmt is CREATE POLICY name ON table [AS PERMISSIVE |
// RESTRICTIVE] [FOR command] [TO roles] [USING (expr)] [WITH CHECK
// (expr)].
type CreatePolicyStmt struct {
	Name  string
	Table TableRef
	// Command is "*" (ALL), "r" (SELECT), "a" (INSERT), "w" (UPDATE) or
	// "d" (DELETE), as pg_policy.polcmd.
	Command     string
	Restrictive bool
	// Roles are the TO list; nil means PUBLIC.
	Roles []RoleSpec
	// Using and WithCheck are the expressions, USQL and CSQL their
	// canonical SQL text for the catalog; nil when not given.
	Using, WithCheck Expr
	USQL, CSQL       string
	Pos              int32
}

func (*CreatePolicyStmt) Tag() string     { return "CREATE POLICY" }
func (*CreatePolicyStmt) WritesDatabase() {}

// AlterPolicyStmt is ALTER POLICY name ON table [RENAME TO new | [TO
// roles] [USING (expr)] [WITH CHECK (expr)]]; a nil field is not changed.
type AlterPolicyStmt struct {
	Name     string
	Table    TableRef
	RenameTo string
	Roles    []RoleSpec
	// Using and WithCheck, when set, replace the policy's expressions
	// (USQL and CSQL their text).
	Using, WithCheck Expr
	USQL, CSQL       string
}

func (*AlterPolicyStmt) Tag() string     { return "ALTER POLICY" }
func (*AlterPolicyStmt) WritesDatabase() {}

// DropPolicyStmt is DROP POLICY [IF EXISTS] name ON table [CASCADE |
// RESTRICT].
type DropPolicyStmt struct {
	Name     string
	Table    TableRef
	IfExists bool
}

func (*DropPolicyStmt) Tag() string     { return "DROP POLICY" }
func (*DropPolicyStmt) WritesDatabase() {}
