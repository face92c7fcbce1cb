package ast

// GrantStmt is GRANT or REVOKE (Revoke set) of privileges on objects.
type GrantStmt struct {
	Revoke bool
	// ObjType is "table" (also for views), "sequence", "schema",
	// "database", "function" (FUNCTION and ROUTINE), "type" or "domain".
	ObjType string
	// InSchema, for ALL TABLES|SEQUENCES IN SCHEMA, lists the schemas in
	// Objects: every relation of the kind in them is meant.
	InSchema bool
	// Objects names the objects: relations as TableRefs (Name set),
	// schemas and databases by name.
	Objects []TableRef
	// Functions names the functions when ObjType is "function".
	Functions []FuncSig
	// Types names the types when ObjType is "type" or "domain".
	Types []TypeName
	// Privileges are the privileges given; nil for ALL [PRIVILEGES].
	Privileges []Privilege
	Grantees   []RoleSpec
	// GrantOption is WITH GRANT OPTION for GRANT, GRANT OPTION FOR for
	// REVOKE.
	GrantOption bool
	Cascade     bool
	// GrantedBy is GRANTED BY's role, nil when not given.
	GrantedBy *RoleSpec
	// Defaults, when set, makes this ALTER DEFAULT PRIVILEGES: ObjType
	// is then "tables" or "sequences" and Objects is empty.
	Defaults *DefaultPrivileges
}

// DefaultPrivileges are ALTER DEFAULT PRIVILEGES' FOR ROLE roles (the
// current role when empty) and IN SCHEMA schemas (every schema when
// empty).
type DefaultPrivileges struct {
	Roles   []RoleSpec
	Schemas []string
}

// FuncSig names a function: its name, the schema it is qualified with
// ("" when not), and its argument types; ArgsGiven is false for a name
// written without an argument list.
type FuncSig struct {
	Schema, Name string
	Args         []TypeName
	ArgsGiven    bool
}

// Privilege is one privilege of GRANT: its name in lower case and, for a
// column privilege, the columns.
type Privilege struct {
	Name    string
	Columns []string
}

func (s *GrantStmt) Tag() string {
	if s.Defaults != nil {
		return "ALTER DEFAULT PRIVILEGES"
	}
	if s.Revoke {
		return "REVOKE"
	}
	return "GRANT"
}
func (*GrantStmt) WritesDatabase() {}

// GrantRoleStmt is GRANT role TO role or REVOKE role FROM role.
type GrantRoleStmt struct {
	Revoke  bool
	Roles   []string
	Members []RoleSpec
	// Admin is WITH ADMIN OPTION for GRANT, ADMIN OPTION FOR for
	// REVOKE.
	Admin     bool
	GrantedBy *RoleSpec
	Cascade   bool
}

func (s *GrantRoleStmt) Tag() string {
	if s.Revoke {
		return "REVOKE ROLE"
	}
	return "GRANT ROLE"
}
func (*GrantRoleStmt) WritesDatabase() {}
