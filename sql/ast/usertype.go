package ast

// CreateEnumStmt is CREATE TYPE name AS ENUM (labels...).
type CreateEnumStmt struct {
	Name   string
	Labels []string
}

// AlterEnumStmt is ALTER TYPE name ADD VALUE or RENAME VALUE.
type AlterEnumStmt struct {
	Name string
	// Rename is set for RENAME VALUE OldLabel TO NewLabel; otherwise the
	// statement adds NewLabel, before or after Neighbor when that is set.
	Rename      bool
	OldLabel    string
	NewLabel    string
	Neighbor    string
	After       bool
	IfNotExists bool
}

// RenameTypeStmt is ALTER TYPE name RENAME TO, or ALTER DOMAIN when Domain
// is set.
type RenameTypeStmt struct {
	Name, NewName string
	Domain        bool
}

// AlterTypeOwnerStmt is ALTER TYPE name OWNER TO, or ALTER DOMAIN when
// Domain is set. Owner is "" for CURRENT_USER and the like.
type AlterTypeOwnerStmt struct {
	Name, Owner string
	Domain      bool
}

func (s *AlterTypeOwnerStmt) Tag() string {
	if s.Domain {
		return "ALTER DOMAIN"
	}
	return "ALTER TYPE"
}
func (*AlterTypeOwnerStmt) WritesDatabase() {}

// DropTypeStmt is DROP TYPE, or DROP DOMAIN when Domain is set.
type DropTypeStmt struct {
	Names    []string
	IfExists bool
	Cascade  bool
	Domain   bool
}

// CreateDomainStmt is CREATE DOMAIN name AS type [DEFAULT] [NOT NULL]
// [CHECK ...].
type CreateDomainStmt struct {
	Name string
	Type TypeName
	// Default is the DEFAULT expression and its canonical text; nil for
	// none.
	Default    Expr
	DefaultSQL string
	NotNull    bool
	Checks     []CheckConstraint
}

// AlterDomainStmt is one ALTER DOMAIN action: Action is "set default",
// "drop default", "set not null", "drop not null", "add constraint",
// "drop constraint" or "validate constraint".
type AlterDomainStmt struct {
	Name   string
	Action string
	// Default and DefaultSQL are SET DEFAULT's expression.
	Default    Expr
	DefaultSQL string
	// Check is ADD CONSTRAINT's constraint (NotNull set instead for ADD
	// CONSTRAINT ... NOT NULL).
	Check   CheckConstraint
	NotNull bool
	// Constraint names the constraint DROP and VALIDATE act on.
	Constraint string
	IfExists   bool
	Cascade    bool
}

func (*CreateEnumStmt) Tag() string       { return "CREATE TYPE" }
func (*CreateEnumStmt) WritesDatabase()   {}
func (*AlterEnumStmt) Tag() string        { return "ALTER TYPE" }
func (*AlterEnumStmt) WritesDatabase()    {}
func (*CreateDomainStmt) Tag() string     { return "CREATE DOMAIN" }
func (*CreateDomainStmt) WritesDatabase() {}
func (*AlterDomainStmt) Tag() string      { return "ALTER DOMAIN" }
func (*AlterDomainStmt) WritesDatabase()  {}
func (s *RenameTypeStmt) Tag() string {
	if s.Domain {
		return "ALTER DOMAIN"
	}
	return "ALTER TYPE"
}
func (*RenameTypeStmt) WritesDatabase() {}
func (s *DropTypeStmt) Tag() string {
	if s.Domain {
		return "DROP DOMAIN"
	}
	return "DROP TYPE"
}
func (*DropTypeStmt) WritesDatabase() {}

// CreateCompositeStmt is CREATE TYPE name AS (attribute type, ...).
type CreateCompositeStmt struct {
	Name  string
	Attrs []CompositeAttr
	Pos   int32
}

// CompositeAttr is one attribute of a composite type.
type CompositeAttr struct {
	Name string
	Type TypeName
	Pos  int32
}

// AlterCompositeStmt is ALTER TYPE name with ADD, DROP and ALTER
// ATTRIBUTE actions, or RENAME ATTRIBUTE (one action).
type AlterCompositeStmt struct {
	Name    string
	Actions []CompositeAction
}

// CompositeAction is one action of AlterCompositeStmt: Kind is "add",
// "drop", "type" (ALTER ATTRIBUTE ... TYPE) or "rename".
type CompositeAction struct {
	Kind     string
	Attr     CompositeAttr
	NewName  string
	IfExists bool
	Cascade  bool
}

func (*CreateCompositeStmt) Tag() string     { return "CREATE TYPE" }
func (*CreateCompositeStmt) WritesDatabase() {}
func (*AlterCompositeStmt) Tag() string      { return "ALTER TYPE" }
func (*AlterCompositeStmt) WritesDatabase()  {}
