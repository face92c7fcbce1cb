package ast

// RoleOptions are the options of CREATE and ALTER ROLE; a nil field was
// not given.
type RoleOptions struct {
	Superuser, CreateDB, CreateRole, Inherit, Login, Replication, BypassRLS *bool
	ConnLimit                                                               *int64
	// PasswordGiven is set for PASSWORD 'x' (Password) and PASSWORD NULL
	// (Password nil).
	PasswordGiven bool
	Password      *string
	ValidUntil    *string
}

// RoleSpec names a role: by name, or CURRENT_USER / CURRENT_ROLE
// (Current) or SESSION_USER (Session).
type RoleSpec struct {
	Name             string
	Current, Session bool
	Pos              int32
}

// CreateRoleStmt is CREATE ROLE, CREATE USER (User: LOGIN by default) or
// CREATE GROUP.
type CreateRoleStmt struct {
	Name    string
	User    bool
	Options RoleOptions
	Pos     int32
}

func (*CreateRoleStmt) Tag() string     { return "CREATE ROLE" }
func (*CreateRoleStmt) WritesDatabase() {}

// AlterRoleStmt is ALTER ROLE|USER role [WITH] options, or ALTER ROLE
// name RENAME TO RenameTo.
type AlterRoleStmt struct {
	Role     RoleSpec
	Options  RoleOptions
	RenameTo string
}

func (*AlterRoleStmt) Tag() string     { return "ALTER ROLE" }
func (*AlterRoleStmt) WritesDatabase() {}

// AlterRoleSetStmt is ALTER ROLE {role | ALL} [IN DATABASE db] SET/RESET
// and ALTER DATABASE db SET/RESET: a default for a run-time parameter,
// applied when a matching session starts (pg_db_role_setting).
type AlterRoleSetStmt struct {
	// Role is nil for ALTER ROLE ALL and for ALTER DATABASE.
	Role *RoleSpec
	// Database is the database named, "" for none.
	Database      string
	AlterDatabase bool
	// Set is the SET or RESET; RESET ALL has Name "all" and Reset.
	Set *SetStmt
	// StringArgs marks the values of Set written as string constants,
	// which list parameters such as search_path store quoted as
	// identifiers.
	StringArgs []bool
	// FromCurrent is SET name FROM CURRENT: the session's value.
	FromCurrent bool
}

func (s *AlterRoleSetStmt) Tag() string {
	if s.AlterDatabase {
		return "ALTER DATABASE"
	}
	return "ALTER ROLE"
}
func (*AlterRoleSetStmt) WritesDatabase() {}

// DropRoleStmt is DROP ROLE|USER|GROUP [IF EXISTS] name, ...
type DropRoleStmt struct {
	Roles    []RoleSpec
	IfExists bool
}

func (*DropRoleStmt) Tag() string     { return "DROP ROLE" }
func (*DropRoleStmt) WritesDatabase() {}
