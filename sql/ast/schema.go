package ast

import "strings"

// CreateSchemaStmt is CREATE SCHEMA [IF NOT EXISTS] name [AUTHORIZATION
// role] [elements], or CREATE SCHEMA AUTHORIZATION role (Name empty: the
// schema takes the role's name).
type CreateSchemaStmt struct {
	Name        string
	IfNotExists bool
	// Authorization names the owner; empty with HasAuthorization for
	// CURRENT_USER or SESSION_USER.
	Authorization    string
	HasAuthorization bool
	// Elements are the CREATE TABLE, VIEW, INDEX and SEQUENCE statements
	// written after the name, run in the new schema.
	Elements []Stmt
}

func (*CreateSchemaStmt) Tag() string     { return "CREATE SCHEMA" }
func (*CreateSchemaStmt) WritesDatabase() {}

// DropSchemaStmt is DROP SCHEMA [IF EXISTS] name, ... [CASCADE | RESTRICT].
type DropSchemaStmt struct {
	Names    []string
	IfExists bool
	Cascade  bool
}

func (*DropSchemaStmt) Tag() string     { return "DROP SCHEMA" }
func (*DropSchemaStmt) WritesDatabase() {}

// AlterSchemaStmt is ALTER SCHEMA name RENAME TO new, ALTER SCHEMA name
// OWNER TO role (Owner set; "" for CURRENT_USER or SESSION_USER), or
// COMMENT ON SCHEMA name IS ... (IsComment, Comment nil for NULL).
type AlterSchemaStmt struct {
	Name      string
	RenameTo  string
	Owner     *string
	IsComment bool
	Comment   *string
}

// Tag is ALTER SCHEMA, or COMMENT.
func (s *AlterSchemaStmt) Tag() string {
	if s.IsComment {
		return "COMMENT"
	}
	return "ALTER SCHEMA"
}
func (*AlterSchemaStmt) WritesDatabase() {}

// SetSchemaStmt is ALTER TABLE, SEQUENCE or VIEW [IF EXISTS] name SET
// SCHEMA schema.
type SetSchemaStmt struct {
	Kind     string // table, sequence or view
	Table    TableRef
	Schema   string
	IfExists bool
}

// Tag is ALTER TABLE, ALTER SEQUENCE or ALTER VIEW.
func (s *SetSchemaStmt) Tag() string {
	switch s.Kind {
	case "sequence":
		return "ALTER SEQUENCE"
	case "view":
		return "ALTER VIEW"
	}
	return "ALTER TABLE"
}
func (*SetSchemaStmt) WritesDatabase() {}

// RelName is the relation's name without its schema: what the relation
// is known by in the statement when it has no alias.
func (r TableRef) RelName() string {
	if i := strings.IndexByte(r.Name, 0); i >= 0 {
		return r.Name[i+1:]
	}
	return r.Name
}
