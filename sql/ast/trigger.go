package ast

// Trigger type bits, as pg_trigger.tgtype holds them (trigger.h).
const (
	TriggerRow      = 1 << 0
	TriggerBefore   = 1 << 1
	TriggerInsert   = 1 << 2
	TriggerDelete   = 1 << 3
	TriggerUpdate   = 1 << 4
	TriggerTruncate = 1 << 5
	TriggerInstead  = 1 << 6
)

// CreateTriggerStmt is CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name
// {BEFORE | AFTER | INSTEAD OF} event [OR ...] ON table [REFERENCING
// ...] [FOR EACH {ROW | STATEMENT}] [WHEN (cond)] EXECUTE {FUNCTION |
// PROCEDURE} f(args).
type CreateTriggerStmt struct {
	Name    string
	Table   TableRef
	Replace bool
	// Constraint marks CREATE CONSTRAINT TRIGGER, with its DEFERRABLE
	// and INITIALLY DEFERRED options.
	Constraint, Deferrable, InitDeferred bool
	// From is a constraint trigger's FROM table; nil for none.
	From *TableRef
	// Type is the timing, level and events in pg_trigger.tgtype's bits.
	Type int16
	// Columns are UPDATE OF's columns.
	Columns []string
	// When is the WHEN condition (WhenSQL its canonical text); nil for
	// none.
	When    Expr
	WhenSQL string
	// OldTable and NewTable are REFERENCING's transition table names.
	OldTable, NewTable string
	// FuncSchema is "" when the function's name is not qualified.
	FuncSchema, FuncName string
	Args                 []string
	Pos                  int32
}

func (*CreateTriggerStmt) Tag() string     { return "CREATE TRIGGER" }
func (*CreateTriggerStmt) WritesDatabase() {}

// DropTriggerStmt is DROP TRIGGER [IF EXISTS] name ON table [CASCADE |
// RESTRICT].
type DropTriggerStmt struct {
	Name     string
	Table    TableRef
	IfExists bool
}

func (*DropTriggerStmt) Tag() string     { return "DROP TRIGGER" }
func (*DropTriggerStmt) WritesDatabase() {}

// AlterTriggerStmt is ALTER TRIGGER name ON table RENAME TO new, or
// ALTER TABLE table {ENABLE [ALWAYS | REPLICA] | DISABLE} TRIGGER
// {name | ALL | USER} (Enable set, Name "" for ALL and USER).
type AlterTriggerStmt struct {
	Name     string
	Table    TableRef
	RenameTo string
	// Enable is pg_trigger.tgenabled's new value: "O" (ENABLE), "A"
	// (ALWAYS), "R" (REPLICA) or "D" (DISABLE); "" for a rename.
	Enable string
	// All marks ENABLE / DISABLE TRIGGER ALL, which reaches the
	// foreign keys' internal triggers too (USER does not).
	All      bool
	IfExists bool
	// AlterTable marks the ALTER TABLE form, for its command tag.
	AlterTable bool
}

func (s *AlterTriggerStmt) Tag() string {
	if s.AlterTable {
		return "ALTER TABLE"
	}
	return "ALTER TRIGGER"
}
func (*AlterTriggerStmt) WritesDatabase() {}
