package ast

// Stmt is a parsed statement.
type Stmt interface{ Tag() string }

// DatabaseWriter marks the statements that change the database (rows,
// schema objects or roles): a read-only transaction refuses them with
// 25006. A new statement kind that writes declares the method next to
// its Tag.
type DatabaseWriter interface {
	Stmt
	WritesDatabase()
}

// Expr is a parsed, untyped expression.
type Expr interface{ Position() int32 }

// SelectStmt is a query. A set operation has Op set and Left/Right filled.
type SelectStmt struct {
	Distinct bool
	Targets  []Target
	From     []TableExpr
	Where    Expr
	GroupBy  []Expr
	Having   Expr
	OrderBy  []OrderItem
	Limit    Expr
	Offset   Expr
	Values   [][]Expr // VALUES (...), (...) as a query

	Op          string // "", "UNION", "INTERSECT", "EXCEPT"
	All         bool
	Left, Right *SelectStmt

	With []*CTE // WITH queries visible in this query and its subqueries

	Locking *LockingClause // FOR UPDATE / SHARE ...

	// GroupDistinct is GROUP BY DISTINCT: duplicate grouping sets count
	// once.
	GroupDistinct bool
	// WithTies is FETCH FIRST n ROWS WITH TIES: Limit also takes the rows
	// that tie with the last one in the ORDER BY.
	WithTies bool
	// DistinctOn is DISTINCT ON (exprs): one row for each set of rows
	// equal in them (Distinct is false then).
	DistinctOn []Expr
}

// LockingClause is FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE
// [OF table, ...] [NOWAIT | SKIP LOCKED].
type LockingClause struct {
	Strength string // "UPDATE", "NO KEY UPDATE", "SHARE", "KEY SHARE"
	Of       []string
	NoWait   bool
	Skip     bool
}

// CTE is one WITH query. Recursive marks the queries of WITH RECURSIVE,
// which may refer to themselves.
type CTE struct {
	Name    string
	Columns []string
	Query   *SelectStmt
	// DML is the INSERT, UPDATE or DELETE of a data-modifying WITH query
	// (Query is nil then).
	DML       Stmt
	Recursive bool
	// Search and Cycle are the SEARCH and CYCLE clauses of a WITH
	// RECURSIVE query; nil when not written.
	Search *CTESearch
	Cycle  *CTECycle
	Pos    int32
}

// CTESearch is SEARCH DEPTH|BREADTH FIRST BY columns SET SeqColumn.
type CTESearch struct {
	BreadthFirst bool
	Columns      []string
	SeqColumn    string
	Pos          int32
}

// CTECycle is CYCLE columns SET MarkColumn [TO MarkValue DEFAULT
// MarkDefault] USING PathColumn; the grammar supplies TRUE and FALSE
// when TO and DEFAULT are left out.
type CTECycle struct {
	Columns                []string
	MarkColumn, PathColumn string
	MarkValue, MarkDefault Expr
	Pos                    int32
}

// Target is one item of a select list or RETURNING list.
type Target struct {
	Expr  Expr
	Alias string
	Star  bool   // * or tbl.*
	Table string // the tbl of tbl.*
	Pos   int32
}

// TableExpr is an item of a FROM list.
type TableExpr interface{ tableExpr() }

// TableRef names a table.
type TableRef struct {
	// System is set for a name qualified by pg_catalog.
	System bool
	// InfoSchema is set for a name qualified by information_schema.
	InfoSchema bool
	// Name is the relation's name, bare (resolved through the search
	// path) or qualified as schema, NUL, name (catalog.QualifiedName).
	Name string
	// Temp and OnCommit are set for a relation being created: TEMP or
	// TEMPORARY, and ON COMMIT's action ("", "delete" or "drop").
	Temp     bool
	Unlogged bool
	OnCommit string
	Alias    string
	Columns  []string // column aliases: FROM t AS x(a, b)
	Pos      int32
	// Only is set for ONLY t: the table without its inheritance
	// children or partitions.
	Only bool
}

// JoinExpr joins two FROM items.
type JoinExpr struct {
	Kind        string // "INNER", "LEFT", "RIGHT", "FULL", "CROSS"
	Left, Right TableExpr
	On          Expr
	Using       []string
	// Natural joins on the columns both sides name alike (USING them).
	Natural bool
	// UsingAlias is JOIN ... USING (...) AS name: a name for the merged
	// columns only.
	UsingAlias string
	// Alias is (a JOIN b) AS name [(columns)]: it names the join's
	// columns and hides the tables inside.
	Alias   string
	Columns []string
}

// Flattenable reports whether the join is a plain inner or cross join
// whose sides may be joined in any order with the other FROM items.
func (j *JoinExpr) Flattenable() bool {
	return (j.Kind == "INNER" || j.Kind == "CROSS") && len(j.Using) == 0 && !j.Natural && j.UsingAlias == "" && j.Alias == ""
}

// SubqueryRef is a subquery in FROM.
type SubqueryRef struct {
	Query   *SelectStmt
	Alias   string
	Columns []string // column aliases: (VALUES (1)) AS v(x)
	// Lateral is LATERAL (subquery): it may name the FROM items before it.
	Lateral bool
}

// FuncRef is a set-returning function in FROM:
// f(args) [WITH ORDINALITY] [AS alias [(columns)]].
type FuncRef struct {
	Call       *FuncCall
	Alias      string
	Columns    []string
	Ordinality bool
	// ColDefs is a column definition list, AS x(a int, b text): the
	// names and types of the columns of a function returning record
	// (only Name, Type and Pos are set).
	ColDefs []ColumnDef
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Expr       Expr
	Desc       bool
	NullsFirst *bool
}

// InsertStmt is INSERT INTO ... VALUES | SELECT.
type InsertStmt struct {
	Table   TableRef
	Columns []string
	// Paths holds, for each of Columns, the fields and subscripts of an
	// assignment to part of the column through a field (c.f, c[1].f);
	// nil when no column has one. A target of subscripts only is in
	// ColumnSubscripts instead.
	Paths [][]PathStep
	// ColumnSubscripts holds, for a target column[i]... or
	// column[lo:hi]..., its subscripts (X nil) at the column's place in
	// Columns; nil when no target has them.
	ColumnSubscripts []*SubscriptExpr
	// Overriding is "system" for OVERRIDING SYSTEM VALUE, "user" for
	// OVERRIDING USER VALUE, "" when not given.
	Overriding string
	Query      *SelectStmt // VALUES lists arrive as a SelectStmt with Values; nil for DEFAULT VALUES
	Returning  []Target
	OnConflict *OnConflict
	With       []*CTE
}

// OnConflict is ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING |
// DO UPDATE SET ... [WHERE ...].
type OnConflict struct {
	Columns []string // the inference columns; nil when not given
	// Exprs are the inference expressions' canonical SQL text, in the
	// order written; InferWhere the inference clause's WHERE, matched
	// against a partial unique index's predicate.
	Exprs      []string
	InferWhere Expr
	ColumnsPos int32  // the inference list's position
	Constraint string // ON CONSTRAINT name
	DoUpdate   bool
	Set        []SetClause
	Where      Expr
	Pos        int32
}

// UpdateStmt is UPDATE ... SET ... [FROM ...] WHERE.
type UpdateStmt struct {
	Table     TableRef
	Set       []SetClause
	From      []TableExpr // FROM items joined to the target; nil without FROM
	Where     Expr
	Returning []Target
	With      []*CTE
}

// SetClause is one column = expr of an UPDATE. (a, b) = (x, y) arrives as
// one SetClause per column; (a, b) = (SELECT ...) as one per column
// sharing Sub, SubCol naming the subquery's column for this one.
type SetClause struct {
	Column string
	Expr   Expr // nil for DEFAULT (and when Sub is set)
	Pos    int32
	// Sub is the subquery of (a, b, ...) = (SELECT ...); SubCols is the
	// number of columns assigned from it.
	Sub     *SubqueryExpr
	SubCol  int
	SubCols int
	// Row is the ROW(...) of (a, b, ...) = ROW(...) when its items have
	// a t.* to expand: each column takes item SubCol of the expansion.
	Row *RowExpr
	// Indirect marks column.field = and column[i].field =: Path holds
	// the fields and subscripts.
	Indirect bool
	Path     []PathStep
	// Subscripts is set for column[i]... = and column[lo:hi]... =, whose
	// subscripts it holds (its X is nil); Indirect is not set then.
	Subscripts *SubscriptExpr
}

// PathStep is one step of an assignment to part of a column: a field
// (Field set) or a subscript (Index set).
type PathStep struct {
	Field string
	Index Expr
	Pos   int32
}

// DeleteStmt is DELETE FROM ... [USING ...] WHERE.
type DeleteStmt struct {
	Table     TableRef
	Using     []TableExpr // USING items joined to the target; nil without USING
	Where     Expr
	Returning []Target
	With      []*CTE
}

// MergeStmt is MERGE INTO Table USING Source ON On WHEN ...
type MergeStmt struct {
	Table  TableRef
	Source TableExpr
	On     Expr
	When   []MergeWhen
	With   []*CTE
}

// MergeWhen is one WHEN [NOT] MATCHED [AND Cond] THEN action of MERGE.
type MergeWhen struct {
	Matched bool
	Cond    Expr
	// Action is "UPDATE", "DELETE", "INSERT" or "NOTHING".
	Action string
	Set    []SetClause // UPDATE SET
	// INSERT [(Columns)] [OVERRIDING ...] VALUES (Values) | DEFAULT
	// VALUES (Values nil).
	Columns    []string
	ColumnsPos []int32 // each column's position
	Values     []Expr
	Overriding string
}

// CreateTableStmt is CREATE TABLE.
type CreateTableStmt struct {
	Table       TableRef
	IfNotExists bool
	Columns     []ColumnDef
	PrimaryKey  []string
	PKPos       int32
	// PKName names the primary key constraint (table or column one); ""
	// names it table_pkey.
	PKName string
	// Unique lists UNIQUE constraints, made as unique indexes.
	Unique []UniqueConstraint
	// Checks and ForeignKeys list the CHECK and FOREIGN KEY constraints,
	// column and table ones, in the order written.
	Checks      []CheckConstraint
	ForeignKeys []ForeignKey
	// Likes are the LIKE clauses, in the order written.
	Likes []LikeClause
	// Inherits lists INHERITS (...)'s parents, in order.
	Inherits []TableRef
	// PartitionBy is the PARTITION BY clause of a partitioned table.
	PartitionBy *PartitionSpec
	// PartitionOf and Bound are set for CREATE TABLE ... PARTITION OF
	// parent FOR VALUES ...
	PartitionOf *TableRef
	Bound       *PartitionBound
	// Options are the WITH (...) storage parameters.
	Options []RelOption
	// OfType names the composite type of CREATE TABLE ... OF type: the
	// table's columns are its attributes (Columns then hold only their
	// WITH OPTIONS constraints and defaults).
	OfType *TypeName
}

// LikeClause is LIKE source [INCLUDING|EXCLUDING option ...] in CREATE
// TABLE: the source's columns go where the clause stands, before the
// column definition At.
type LikeClause struct {
	Table   TableRef
	Options uint32 // Like* bits
	At      int
}

// LIKE options, as PostgreSQL's TableLikeOption bits.
const (
	LikeComments    = 1 << 0
	LikeCompression = 1 << 1
	LikeConstraints = 1 << 2
	LikeDefaults    = 1 << 3
	LikeGenerated   = 1 << 4
	LikeIdentity    = 1 << 5
	LikeIndexes     = 1 << 6
	LikeStatistics  = 1 << 7
	LikeStorage     = 1 << 8
)

// CheckConstraint is a CHECK column or table constraint.
type CheckConstraint struct {
	Name string // "" to name it as PostgreSQL does (table_column_check)
	Expr Expr
	// SQL is the expression as canonical SQL text, for the catalog.
	SQL      string
	NotValid bool
	// NoInherit is NO INHERIT: the constraint stays on its table, its
	// children do not get it.
	NoInherit bool
	Pos       int32
}

// ForeignKey is a REFERENCES column constraint or a FOREIGN KEY table
// constraint.
type ForeignKey struct {
	Name     string // "" to name it table_columns_fkey
	Columns  []string
	RefTable TableRef
	// RefColumns are the referenced columns; empty means the referenced
	// table's primary key.
	RefColumns []string
	// OnDelete and OnUpdate are pg_constraint's action codes: a (NO
	// ACTION), r (RESTRICT), c (CASCADE), n (SET NULL), d (SET DEFAULT).
	OnDelete, OnUpdate string
	// Match is s (SIMPLE) or f (FULL).
	Match                          string
	Deferrable, Deferred, NotValid bool
	Pos                            int32
	// DeleteSetColumns, when set, are the columns ON DELETE SET NULL or
	// SET DEFAULT sets (the others keep their values).
	DeleteSetColumns []string
}

// UniqueConstraint is a UNIQUE column or table constraint.
type UniqueConstraint struct {
	Name    string // "" to name it table_columns_key, as PostgreSQL does
	Columns []string
	// NullsNotDistinct is UNIQUE NULLS NOT DISTINCT: NULLs are equal.
	NullsNotDistinct bool
	// Deferrable and Deferred are DEFERRABLE and INITIALLY DEFERRED: the
	// check waits for the end of the statement, or for COMMIT.
	Deferrable, Deferred bool
	// Exclusion marks EXCLUDE [USING btree|hash] (col WITH =, ...), a
	// constraint that holds exactly when the columns are unique (NULLs
	// distinct); Method is its access method ("" for btree).
	Exclusion bool
	Method    string
}

// ColumnDef is one column of CREATE TABLE.
type ColumnDef struct {
	Name       string
	Type       TypeName
	NotNull    bool
	PrimaryKey bool
	// PKName names a PRIMARY KEY written on the column; "" for the
	// default name.
	PKName  string
	Default Expr
	// DefaultSQL is the default expression as SQL text, for the catalog.
	DefaultSQL string
	Pos        int32
	// Serial is set for smallserial, serial and bigserial (Type is then
	// int2, int4 or int8): the column gets a sequence of its own.
	Serial bool
	// Identity is "a" for GENERATED ALWAYS AS IDENTITY, "d" for
	// GENERATED BY DEFAULT AS IDENTITY, "" otherwise; IdentityOptions are
	// the identity's sequence options.
	Identity        string
	IdentityOptions SequenceOptions
	// Checks and References are the CHECK and REFERENCES constraints
	// written on the column (CREATE TABLE moves them to the table's lists).
	Checks     []CheckConstraint
	References []ForeignKey
	// Generated is GENERATED ALWAYS AS (Generated) STORED, GeneratedSQL
	// its canonical text; nil for an ordinary column.
	Generated    Expr
	GeneratedSQL string
}

// TypeName is a type as written: name and modifiers.
type TypeName struct {
	Name string // canonical name: int4, text, varchar, numeric, ...
	Mods []int32
	// Array is set for name[] (any number of brackets, which PostgreSQL
	// also treats as one array type).
	Array bool
	Pos   int32
	// Schema is the schema a type name is qualified with, other than
	// pg_catalog ("" when none).
	Schema string
	// TypeOf are the names of a column's type reference
	// (table.column%TYPE, schema.table.column%TYPE) in a routine's
	// declaration; the other fields are then unset.
	TypeOf []string
}

// DropTableStmt is DROP TABLE, or DROP VIEW when View is set, or DROP
// INDEX when Index is set.
type DropTableStmt struct {
	Tables   []TableRef
	IfExists bool
	// Cascade drops the views that depend on what is dropped.
	Cascade bool
	View    bool
	Index   bool
	// Sequence marks DROP SEQUENCE.
	Sequence bool
	// Concurrently is DROP INDEX CONCURRENTLY.
	Concurrently bool
}

// CreateIndexStmt is CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table
// (column [ASC|DESC], ...).
type CreateIndexStmt struct {
	Name        string // "" to choose one as PostgreSQL does
	Table       TableRef
	Columns     []IndexColumn
	Unique      bool
	IfNotExists bool
	// Constraint marks the index of a UNIQUE constraint.
	Constraint bool
	// NullsNotDistinct makes NULLs equal in a unique index.
	NullsNotDistinct bool
	// Where is a partial index's predicate, WhereSQL its canonical SQL
	// text; nil for a whole-table index.
	Where    Expr
	WhereSQL string
	// Include lists the INCLUDE columns.
	Include []string
	// Method is the access method: "btree" or "hash".
	Method string
	// Concurrently is CREATE INDEX CONCURRENTLY.
	Concurrently bool
	// Deferrable, Deferred and Exclusion qualify a constraint's index
	// (UniqueConstraint).
	Deferrable, Deferred, Exclusion bool
}

// IndexColumn is one key of CREATE INDEX: a column, or an expression.
type IndexColumn struct {
	Name string // the column; "" for an expression key
	Desc bool
	// Nulls is "first" or "last" when NULLS FIRST or LAST is written.
	Nulls string
	// Collation and Opclass are the COLLATE and operator class names
	// written, "" for none.
	Collation, Opclass string
	// Expr is an expression key and SQL its canonical SQL text.
	Expr Expr
	SQL  string
}

// CreateViewStmt is CREATE [OR REPLACE] VIEW.
type CreateViewStmt struct {
	View    TableRef
	Columns []string
	Query   *SelectStmt
	// QuerySQL is the query as SQL text, for the catalog.
	QuerySQL string
	Replace  bool
	// Options are WITH (name [= value], ...): the value as written, ""
	// when none is.
	Options []ViewOption
}

// ViewOption is one of CREATE VIEW's WITH (...) options.
type ViewOption struct {
	Name, Value string
	Pos         int32
}

// TransactionStmt is BEGIN, COMMIT, ROLLBACK and their spellings.
type TransactionStmt struct {
	// Savepoint names the savepoint of SAVEPOINT, RELEASE and ROLLBACK TO.
	Savepoint string
	// GID is the global id of PREPARE TRANSACTION, COMMIT PREPARED and
	// ROLLBACK PREPARED.
	GID       string
	Kind      string // "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "ROLLBACK TO"
	Start     bool   // BEGIN spelled START TRANSACTION, which is its tag
	Isolation string // "", "read committed", "repeatable read", "serializable", "read uncommitted"
	ReadOnly  *bool
	// Deferrable is BEGIN's [NOT] DEFERRABLE, nil when not given.
	Deferrable *bool
	// Chain is COMMIT AND CHAIN / ROLLBACK AND CHAIN: a new transaction
	// with the same characteristics starts at once.
	Chain bool
}

// SetStmt is SET name = value, SET name TO DEFAULT and RESET.
type SetStmt struct {
	Name  string
	Value []string // nil for DEFAULT/RESET
	Local bool
	// Reset marks RESET name, whose tag is RESET (SET name = DEFAULT's
	// is SET).
	Reset bool
}

// LockStmt is LOCK [TABLE] name, ... [IN mode MODE] [NOWAIT]; Mode is
// PostgreSQL's name of the mode (AccessExclusiveLock by default).
type LockStmt struct {
	Tables []TableRef
	Mode   string
	NoWait bool
}

func (*LockStmt) Tag() string { return "LOCK TABLE" }

// DeclareCursorStmt is DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH
// HOLD] FOR query.
type DeclareCursorStmt struct {
	Name     string
	Query    *SelectStmt
	Binary   bool
	NoScroll bool
	Hold     bool
}

func (*DeclareCursorStmt) Tag() string { return "DECLARE CURSOR" }

// FetchStmt is FETCH or MOVE: Direction FORWARD or BACKWARD with Count
// rows (math.MaxInt64 for ALL), or ABSOLUTE or RELATIVE to row Count.
type FetchStmt struct {
	Name      string
	Direction string
	Count     int64
	Move      bool
}

func (s *FetchStmt) Tag() string {
	if s.Move {
		return "MOVE"
	}
	return "FETCH"
}

// CloseCursorStmt is CLOSE name, or CLOSE ALL when Name is "".
type CloseCursorStmt struct{ Name string }

func (s *CloseCursorStmt) Tag() string {
	if s.Name == "" {
		return "CLOSE CURSOR ALL"
	}
	return "CLOSE CURSOR"
}

// TruncateStmt is TRUNCATE [TABLE] name, ...
type TruncateStmt struct {
	Tables []TableRef
	// RestartIdentity restarts the sequences the tables' columns own.
	RestartIdentity bool
	// Cascade also truncates the tables whose foreign keys reference
	// the tables named.
	Cascade bool
}

func (*TruncateStmt) Tag() string     { return "TRUNCATE TABLE" }
func (*TruncateStmt) WritesDatabase() {}

// VacuumStmt is VACUUM [(options)] [table, ...] and ANALYZE.
type VacuumStmt struct {
	Tables []TableRef
	// Columns are the column lists written after Tables, pairwise (nil
	// for none).
	Columns [][]string
	Analyze bool
	// Only is set for ANALYZE alone (no VACUUM).
	AnalyzeOnly bool
}

func (s *VacuumStmt) Tag() string {
	if s.AnalyzeOnly {
		return "ANALYZE"
	}
	return "VACUUM"
}

// CreateExtensionStmt is CREATE EXTENSION [IF NOT EXISTS] name; its
// options (SCHEMA, VERSION, CASCADE) are not kept.
type CreateExtensionStmt struct {
	Name        string
	IfNotExists bool
}

func (*CreateExtensionStmt) Tag() string     { return "CREATE EXTENSION" }
func (*CreateExtensionStmt) WritesDatabase() {}

// ShowStmt is SHOW name.
type ShowStmt struct{ Name string }

// AlterTableStmt is ALTER TABLE [IF EXISTS] t ADD [CONSTRAINT name]
// PRIMARY KEY (columns) or ALTER TABLE [IF EXISTS] t ADD [COLUMN] [IF NOT
// EXISTS] column, the two forms of ALTER TABLE cairn runs.
type AlterTableStmt struct {
	Table    TableRef
	IfExists bool
	// ClusterOn is CLUSTER ON index, or "" for SET WITHOUT CLUSTER;
	// ReplicaIdentity is REPLICA IDENTITY: "d" (DEFAULT), "f" (FULL), "n"
	// (NOTHING) or "i" (USING INDEX ReplicaIndex).
	ClusterOn       *string
	ReplicaIdentity string
	ReplicaIndex    string
	// RowSecurity is ENABLE, DISABLE, FORCE or NO FORCE ROW LEVEL
	// SECURITY: "enable", "disable", "force" or "noforce".
	RowSecurity string
	// PKName is the constraint's name; "" names it table_pkey.
	PKName     string
	PrimaryKey []string
	// AddColumn, when set, is the column ADD COLUMN adds (with NULL, NOT
	// NULL and DEFAULT, no other constraint).
	AddColumn   *ColumnDef
	IfNotExists bool
	// ColumnKeys are the PRIMARY KEY and UNIQUE constraints written on the
	// column ADD COLUMN adds, added after it (not when IF NOT EXISTS
	// skips it).
	ColumnKeys []*AlterTableStmt
	Pos        int32
	// Identity, when set, is ALTER COLUMN ... ADD GENERATED AS IDENTITY,
	// SET GENERATED / SET options / RESTART, or DROP IDENTITY.
	Identity *AlterIdentity
	// AlterColumn, when set, is ALTER COLUMN ... SET DEFAULT, DROP
	// DEFAULT, SET NOT NULL or DROP NOT NULL.
	AlterColumn *AlterColumn
	// Owner, when set, is the role OWNER TO names; "" for CURRENT_USER,
	// CURRENT_ROLE and SESSION_USER. OwnerKind is VIEW or SEQUENCE for
	// ALTER VIEW|SEQUENCE ... OWNER TO, INDEX for ALTER INDEX ... SET
	// STATISTICS: the statement's object word, for its tag.
	Owner     *string
	OwnerKind string
	// Unique, when set, is the UNIQUE constraint ADD CONSTRAINT adds.
	Unique *UniqueConstraint
	// UsingIndex names the existing unique index ADD PRIMARY KEY or ADD
	// UNIQUE ... USING INDEX makes the constraint's; "" for a new index.
	UsingIndex string
	// DropColumn, when set, is DROP [COLUMN] [IF EXISTS] name [CASCADE].
	DropColumn *DropColumn
	// RenameColumn, when set, is RENAME [COLUMN] old TO new.
	RenameColumn *RenameColumn
	// AlterType, when set, is ALTER COLUMN ... [SET DATA] TYPE t [USING e].
	AlterType *AlterColumnType
	// Subcommands, when set, are the several subcommands of one ALTER
	// TABLE, run in order as one statement (each sees the ones before
	// it); the fields above are then unset.
	Subcommands []*AlterTableStmt
	// Check and ForeignKey, when set, are the constraint ADD CONSTRAINT
	// adds.
	Check      *CheckConstraint
	ForeignKey *ForeignKey
	// DropConstraint, when set, is DROP CONSTRAINT.
	DropConstraint *DropConstraint
	// ValidateConstraint, when set, names the constraint VALIDATE
	// CONSTRAINT validates.
	ValidateConstraint string
	// RenameConstraint, when set, is RENAME CONSTRAINT old TO new.
	RenameConstraint *[2]string
	// AlterConstraint, when set, is ALTER CONSTRAINT name [NOT]
	// DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE].
	AlterConstraint *AlterConstraint
	// Inherit and NoInherit, when set, name the parent INHERIT adds or
	// NO INHERIT removes.
	Inherit, NoInherit *TableRef
	// ColumnAttr, when set, is ALTER COLUMN ... SET STORAGE or SET
	// STATISTICS (of ALTER TABLE, or of ALTER INDEX by column number).
	ColumnAttr *ColumnAttr
	// SetLogged, when set, is SET LOGGED (true) or SET UNLOGGED (false).
	SetLogged *bool
	// Attach and Detach, when set, are ATTACH PARTITION and DETACH
	// PARTITION; IndexAttach marks ALTER INDEX Table ATTACH PARTITION
	// Attach.Table, which names indexes.
	Attach, Detach *PartitionCmd
	IndexAttach    bool
	// RelOptions, when set, is SET (...) or RESET (...) of the relation's
	// storage parameters, or of a column's options when its Column is set.
	RelOptions *RelOptionsCmd
	// OfType, when set, is OF type (the table becomes a typed table);
	// NotOf is NOT OF.
	OfType *TypeName
	NotOf  bool
	// FromType marks a command ALTER TYPE ... CASCADE runs on a typed
	// table of the type: the column changes a typed table refuses
	// otherwise. The parser never sets it.
	FromType bool
}

// ColumnAttr is ALTER [COLUMN] Column SET STORAGE Storage or SET
// STATISTICS Statistics; Num is the column number ALTER INDEX names
// instead (0 when named).
type ColumnAttr struct {
	Column     string
	Num        int32
	Storage    string
	Statistics *int32
}

// DropColumn is ALTER TABLE ... DROP [COLUMN] [IF EXISTS] Name [CASCADE].
type DropColumn struct {
	Name      string
	MissingOk bool
	Cascade   bool
	Pos       int32
}

// RenameColumn is ALTER TABLE ... RENAME [COLUMN] Old TO New.
type RenameColumn struct {
	Old, New string
}

// AlterColumnType is ALTER TABLE ... ALTER COLUMN Column TYPE Type
// [USING Using]; Using nil converts the old value by assignment cast.
type AlterColumnType struct {
	Column string
	Type   TypeName
	Using  Expr
	Pos    int32
}

// AlterConstraint changes when a foreign key is checked.
type AlterConstraint struct {
	Name                 string
	Deferrable, Deferred bool
}

// DropConstraint is ALTER TABLE ... DROP CONSTRAINT [IF EXISTS] name
// [CASCADE].
type DropConstraint struct {
	Name     string
	IfExists bool
	Cascade  bool
}

// SetConstraintsStmt is SET CONSTRAINTS { ALL | name, ... } { DEFERRED |
// IMMEDIATE }; Names is empty for ALL.
type SetConstraintsStmt struct {
	Names    []string
	Deferred bool
}

// AlterColumn is ALTER TABLE ... ALTER COLUMN Column SET DEFAULT Default
// (DefaultSQL its canonical text), DROP DEFAULT (Default nil, NotNull
// nil), SET NOT NULL or DROP NOT NULL (NotNull set).
type AlterColumn struct {
	Column     string
	Default    Expr
	DefaultSQL string
	NotNull    *bool
}

// AlterIdentity is an ALTER TABLE ... ALTER COLUMN subcommand on an
// identity.
type AlterIdentity struct {
	Column string
	Op     string // "add", "set" or "drop"
	// Generated is "a" (ALWAYS) or "d" (BY DEFAULT) for add, and for set
	// when SET GENERATED is given ("" otherwise).
	Generated string
	Options   SequenceOptions
	// MissingOk is DROP IDENTITY IF EXISTS.
	MissingOk bool
}

// CommentStmt is COMMENT ON {TABLE | VIEW | SEQUENCE | INDEX | COLUMN}
// name IS 'text' | NULL. Kind is "table", "view", "sequence", "index" or
// "column" (Column then names the column of Relation); Comment nil (or
// empty) removes the comment.
type CommentStmt struct {
	Kind     string
	Relation TableRef
	Column   string
	Comment  *string
	// Constraint names the constraint of COMMENT ON CONSTRAINT name ON
	// table (Kind "constraint") or ON DOMAIN domain (Kind "domain
	// constraint", the domain's name in Relation), or the trigger of
	// COMMENT ON TRIGGER name ON table (Kind "trigger").
	Constraint string
}

func (*CommentStmt) Tag() string     { return "COMMENT" }
func (*CommentStmt) WritesDatabase() {}

// DiscardStmt is DISCARD SEQUENCES, DISCARD TEMP (Temp), DISCARD PLANS
// (Plans) or DISCARD ALL (All).
type DiscardStmt struct{ Temp, Plans, All bool }

// Tag is DISCARD SEQUENCES, TEMP, PLANS or ALL.
func (s *DiscardStmt) Tag() string {
	switch {
	case s.Temp:
		return "DISCARD TEMP"
	case s.Plans:
		return "DISCARD PLANS"
	case s.All:
		return "DISCARD ALL"
	}
	return "DISCARD SEQUENCES"
}

func (s *AlterTableStmt) Tag() string {
	if s.IndexAttach {
		return "ALTER INDEX"
	}
	if s.OwnerKind != "" {
		return "ALTER " + s.OwnerKind
	}
	return "ALTER TABLE"
}
func (*AlterTableStmt) WritesDatabase() {}

// CopyStmt is COPY table [(columns)] FROM STDIN or TO STDOUT, or COPY
// (query) TO STDOUT, [[WITH] (options)].
type CopyStmt struct {
	Table   TableRef    // unset when Query is set
	Query   *SelectStmt // COPY (query) TO STDOUT
	Columns []string    // nil: every column, in order
	To      bool        // TO STDOUT; else FROM STDIN
	// CSV and Binary select those formats; else text.
	CSV, Binary bool
	// Delimiter separates fields; Null is the text of a NULL field.
	Delimiter byte
	Null      string
	// Header: the first line names the columns (written by TO, skipped by
	// FROM, or checked against the columns with HeaderMatch).
	Header, HeaderMatch bool
	// Quote and Escape are CSV's quoting and escaping characters.
	Quote, Escape byte
	// ForceQuote names the columns TO quotes even when not needed (all with
	// ForceQuoteAll); ForceNotNull and ForceNull the columns FROM reads a
	// field equal to the NULL string as that string, or a quoted one as
	// NULL.
	ForceQuote              []string
	ForceQuoteAll           bool
	ForceNotNull, ForceNull []string
	Freeze                  bool
	Pos                     int32
}

func (*CopyStmt) Tag() string     { return "COPY" }
func (*CopyStmt) WritesDatabase() {}

// CreateTableAsStmt is CREATE TABLE name [(columns)] AS query [WITH [NO]
// DATA], or SELECT ... INTO name.
type CreateTableAsStmt struct {
	Table   TableRef
	Columns []string // names for the query's first columns
	Query   *SelectStmt
	// Execute, when set, names the prepared statement (without
	// parameters) that is the query: CREATE TABLE ... AS EXECUTE name.
	Execute     string
	IfNotExists bool
	NoData      bool
}

// Tag is SELECT, as PostgreSQL's command tag "SELECT n" for the rows
// stored; "CREATE TABLE AS" when no rows are stored (WITH NO DATA).
func (s *CreateTableAsStmt) Tag() string {
	if s.NoData {
		return "CREATE TABLE AS"
	}
	return "SELECT"
}
func (*CreateTableAsStmt) WritesDatabase() {}

func (*SelectStmt) Tag() string          { return "SELECT" }
func (*InsertStmt) Tag() string          { return "INSERT" }
func (*InsertStmt) WritesDatabase()      {}
func (*UpdateStmt) Tag() string          { return "UPDATE" }
func (*UpdateStmt) WritesDatabase()      {}
func (*DeleteStmt) Tag() string          { return "DELETE" }
func (*DeleteStmt) WritesDatabase()      {}
func (*MergeStmt) Tag() string           { return "MERGE" }
func (*MergeStmt) WritesDatabase()       {}
func (*CreateTableStmt) Tag() string     { return "CREATE TABLE" }
func (*CreateTableStmt) WritesDatabase() {}
func (s *DropTableStmt) Tag() string {
	switch {
	case s.View:
		return "DROP VIEW"
	case s.Index:
		return "DROP INDEX"
	case s.Sequence:
		return "DROP SEQUENCE"
	}
	return "DROP TABLE"
}
func (*DropTableStmt) WritesDatabase() {}

func (*CreateIndexStmt) Tag() string     { return "CREATE INDEX" }
func (*CreateIndexStmt) WritesDatabase() {}

func (*CreateViewStmt) Tag() string     { return "CREATE VIEW" }
func (*CreateViewStmt) WritesDatabase() {}
func (s *TransactionStmt) Tag() string {
	switch {
	case s.Start:
		return "START TRANSACTION"
	case s.Kind == "ROLLBACK TO":
		return "ROLLBACK"
	}
	return s.Kind
}
func (s *SetStmt) Tag() string {
	if s.Reset {
		return "RESET"
	}
	return "SET"
}
func (*ShowStmt) Tag() string { return "SHOW" }

func (*TableRef) tableExpr()    {}
func (*JoinExpr) tableExpr()    {}
func (*SubqueryRef) tableExpr() {}
func (*FuncRef) tableExpr()     {}

// tableName is the name a function in FROM is known by: its alias, else
// the function's name.
func (f *FuncRef) TableName() string {
	if f.Alias != "" {
		return f.Alias
	}
	return f.Call.Name
}

// Literal is a constant as written: an integer, a decimal, a string (of
// unknown type until context decides), a boolean or NULL.
type Literal struct {
	Kind string // "int", "float", "string", "bool", "null"
	Text string
	Bool bool
	Pos  int32
}

// ColumnRef is [table.]column, or table.* in an expression (Column "*").
type ColumnRef struct {
	// Schema is set for schema.table.column, which names a column of a
	// FROM item that is that table without alias.
	Schema        string
	Table, Column string
	Pos           int32
	// Index, when not 0, is 1 + the position of the column among the
	// query level's FROM columns: the binder sets it on the references
	// * expands to, which name their column even where its name alone
	// would be ambiguous (a JOIN ... USING column beside a table's own).
	Index int
}

// ParamRef is $n.
type ParamRef struct {
	N   int
	Pos int32
}

// UnaryExpr is -x, +x or NOT x.
type UnaryExpr struct {
	Op  string
	X   Expr
	Pos int32
}

// BinaryExpr is an operator between two operands, AND and OR included.
type BinaryExpr struct {
	Op   string
	L, R Expr
	Pos  int32
}

// IsExpr is x IS [NOT] NULL|TRUE|FALSE|UNKNOWN and IS [NOT] DISTINCT FROM.
type IsExpr struct {
	X    Expr
	What string // "NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT"
	Not  bool
	Y    Expr // for DISTINCT FROM
	Pos  int32
}

// FuncCall is name(args), aggregates included.
type FuncCall struct {
	Name     string
	Args     []Expr
	Star     bool
	Distinct bool
	Filter   Expr // agg(...) FILTER (WHERE Filter)
	// OrderBy is an aggregate's ORDER BY: agg(x ORDER BY y), or with
	// WithinGroup an ordered-set aggregate's f(x) WITHIN GROUP (ORDER BY y).
	OrderBy     []OrderItem
	WithinGroup bool
	// OrderUsing is the operator of an ORDER BY ... USING op in OrderBy
	// other than < and >, which cairn cannot sort by: the binder reports
	// it once the function is found, as PostgreSQL reports a missing
	// function first.
	OrderUsing string
	// Over, when set, makes the call a window function: f(...) OVER
	// (...), a named window already resolved into it.
	Over *WindowSpec
	// ArgNames names the arguments written name => value (or name :=
	// value), "" for positional ones; nil when none is named.
	ArgNames []string
	// Variadic is a call whose last argument is written VARIADIC arr.
	Variadic bool
	// Schema is the schema a call names other than pg_catalog
	// (information_schema._pg_expandarray); "" when unqualified.
	Schema string
	// UserAgg marks a call of a user-defined aggregate (CREATE
	// AGGREGATE), which the binder finds in the catalog before it binds
	// the query the call is in; built-in aggregates are known by name.
	UserAgg bool
	Pos     int32
}

// WindowSpec is a window function's window: its partitions, their order
// and the frame.
type WindowSpec struct {
	PartitionBy []Expr
	OrderBy     []OrderItem
	Frame       WindowFrame
	Pos         int32 // of the window definition
}

// WindowFrame is a window's frame clause. Mode "" is the default frame:
// RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
type WindowFrame struct {
	Mode       string // "", "rows", "range" or "groups"
	Start, End FrameBound
	// Exclude is the frame exclusion: "" (EXCLUDE NO OTHERS), "current
	// row", "group" or "ties".
	Exclude string
}

// FrameBound is one end of a frame: Kind is "unbounded preceding",
// "preceding" (Offset rows before), "current row", "following" or
// "unbounded following".
type FrameBound struct {
	Kind   string
	Offset Expr
}

// CastExpr is CAST(x AS type) or x::type.
type CastExpr struct {
	X    Expr
	Type TypeName
	Pos  int32
}

// CollateExpr is x COLLATE name. Only the C collation (byte order, which
// is how cairn compares text) and default (cairn's is C.UTF-8, which also
// orders by code point) are accepted.
type CollateExpr struct {
	X    Expr
	Name string
	Pos  int32
}

// RowExpr is a row constructor, (a, b) or ROW(a, b): a record value, or
// one side of a row comparison.
type RowExpr struct {
	Items []Expr
	Pos   int32
}

// FieldExpr is field selection from a record value, (X).Field, or all of
// its fields, (X).*, in a select list (Star).
type FieldExpr struct {
	X     Expr
	Field string
	Star  bool
	Pos   int32
}

// CaseExpr is CASE [arg] WHEN ... THEN ... [ELSE ...] END.
type CaseExpr struct {
	Arg   Expr
	Whens []CaseWhen
	Else  Expr
	Pos   int32
}

// CaseWhen is one WHEN of a CASE.
type CaseWhen struct{ Cond, Result Expr }

// InExpr is x [NOT] IN (list) or x [NOT] IN (subquery), and the
// quantified comparisons x op ANY|ALL (subquery) and x op ANY|ALL (array).
type InExpr struct {
	X     Expr
	List  []Expr
	Query *SelectStmt
	Array Expr // the array of x op ANY (array)
	Not   bool
	Op    string // comparison operator of ANY/ALL; "" for IN
	All   bool
	Pos   int32
}

// BetweenExpr is x [NOT] BETWEEN [SYMMETRIC] lo AND hi.
type BetweenExpr struct {
	X, Lo, Hi Expr
	Not       bool
	Symmetric bool // the bounds may come in either order
	Pos       int32
}

// SubqueryExpr is (SELECT ...) as a scalar, EXISTS (SELECT ...), or
// ARRAY(SELECT ...).
type SubqueryExpr struct {
	Query  *SelectStmt
	Exists bool
	Array  bool
	Pos    int32
}

// ArrayExpr is the array constructor ARRAY[a, b, ...].
type ArrayExpr struct {
	Items []Expr
	Pos   int32
}

// SubscriptExpr is a[i], or a[i][j]... with one index per dimension, or
// a slice a[lo:hi][lo:hi]... when Slice is set: then Indexes holds the
// upper bounds and Lowers the lower ones, either nil where it is omitted
// (a[:3], a[2:]); a plain subscript i among slices is 1:i.
type SubscriptExpr struct {
	X       Expr
	Indexes []Expr
	Slice   bool
	Lowers  []Expr
	Pos     int32
}

// DefaultExpr is DEFAULT in a VALUES list.
type DefaultExpr struct{ Pos int32 }

func (e *Literal) Position() int32       { return e.Pos }
func (e *ColumnRef) Position() int32     { return e.Pos }
func (e *ParamRef) Position() int32      { return e.Pos }
func (e *UnaryExpr) Position() int32     { return e.Pos }
func (e *BinaryExpr) Position() int32    { return e.Pos }
func (e *IsExpr) Position() int32        { return e.Pos }
func (e *FuncCall) Position() int32      { return e.Pos }
func (e *CastExpr) Position() int32      { return e.Pos }
func (e *CaseExpr) Position() int32      { return e.Pos }
func (e *CollateExpr) Position() int32   { return e.Pos }
func (e *RowExpr) Position() int32       { return e.Pos }
func (e *InExpr) Position() int32        { return e.Pos }
func (e *BetweenExpr) Position() int32   { return e.Pos }
func (e *SubqueryExpr) Position() int32  { return e.Pos }
func (e *DefaultExpr) Position() int32   { return e.Pos }
func (e *ArrayExpr) Position() int32     { return e.Pos }
func (e *SubscriptExpr) Position() int32 { return e.Pos }
func (e *FieldExpr) Position() int32     { return e.Pos }

// walkExpr calls fn on e and its children, depth first, while fn returns
// true. It does not enter subqueries.
func WalkExpr(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch x := e.(type) {
	case *UnaryExpr:
		WalkExpr(x.X, fn)
	case *BinaryExpr:
		WalkExpr(x.L, fn)
		WalkExpr(x.R, fn)
	case *IsExpr:
		WalkExpr(x.X, fn)
		WalkExpr(x.Y, fn)
	case *FuncCall:
		for _, a := range x.Args {
			WalkExpr(a, fn)
		}
		WalkExpr(x.Filter, fn)
		for _, o := range x.OrderBy {
			WalkExpr(o.Expr, fn)
		}
		if w := x.Over; w != nil {
			for _, p := range w.PartitionBy {
				WalkExpr(p, fn)
			}
			for _, o := range w.OrderBy {
				WalkExpr(o.Expr, fn)
			}
			WalkExpr(w.Frame.Start.Offset, fn)
			WalkExpr(w.Frame.End.Offset, fn)
		}
	case *CastExpr:
		WalkExpr(x.X, fn)
	case *CollateExpr:
		WalkExpr(x.X, fn)
	case *RowExpr:
		for _, a := range x.Items {
			WalkExpr(a, fn)
		}
	case *CaseExpr:
		WalkExpr(x.Arg, fn)
		for _, w := range x.Whens {
			WalkExpr(w.Cond, fn)
			WalkExpr(w.Result, fn)
		}
		WalkExpr(x.Else, fn)
	case *InExpr:
		WalkExpr(x.X, fn)
		for _, a := range x.List {
			WalkExpr(a, fn)
		}
		WalkExpr(x.Array, fn)
	case *ArrayExpr:
		for _, a := range x.Items {
			WalkExpr(a, fn)
		}
	case *SubscriptExpr:
		WalkExpr(x.X, fn)
		for _, i := range x.Indexes {
			WalkExpr(i, fn)
		}
		for _, i := range x.Lowers {
			WalkExpr(i, fn)
		}
	case *FieldExpr:
		WalkExpr(x.X, fn)
	case *GroupingSet:
		for _, a := range x.Items {
			WalkExpr(a, fn)
		}
	case *GroupingFunc:
		for _, a := range x.Args {
			WalkExpr(a, fn)
		}
	case *BetweenExpr:
		WalkExpr(x.X, fn)
		WalkExpr(x.Lo, fn)
		WalkExpr(x.Hi, fn)
	}
}

// SequenceOptions are the options of CREATE and ALTER SEQUENCE, and of an
// identity column, as written; nil and false mean not given.
type SequenceOptions struct {
	// Unlogged makes an unlogged sequence: that of a column of an
	// unlogged table.
	Unlogged bool
	// As is the canonical type name of AS; "" when not given.
	As        string
	Increment *int64
	// MinValue, MaxValue: MINVALUE n / MAXVALUE n; NoMinValue,
	// NoMaxValue: NO MINVALUE / NO MAXVALUE.
	MinValue, MaxValue     *int64
	NoMinValue, NoMaxValue bool
	Start                  *int64
	// Restart is RESTART, with RestartWith for RESTART WITH n.
	Restart     bool
	RestartWith *int64
	Cache       *int64
	Cycle       *bool
	// OwnedBy is OWNED BY table.column; OwnedByNone OWNED BY NONE.
	OwnedBy     []string
	OwnedByNone bool
	// SequenceName is an identity column's SEQUENCE NAME option.
	SequenceName string
}

// CreateSequenceStmt is CREATE SEQUENCE [IF NOT EXISTS] name [options].
type CreateSequenceStmt struct {
	Name        TableRef
	IfNotExists bool
	Options     SequenceOptions
}

func (*CreateSequenceStmt) Tag() string     { return "CREATE SEQUENCE" }
func (*CreateSequenceStmt) WritesDatabase() {}

// AlterSequenceStmt is ALTER SEQUENCE [IF EXISTS] name options (RENAME TO
// is a RenameRelationStmt).
type AlterSequenceStmt struct {
	Name     TableRef
	IfExists bool
	Options  SequenceOptions
}

func (s *AlterSequenceStmt) Tag() string   { return "ALTER SEQUENCE" }
func (*AlterSequenceStmt) WritesDatabase() {}

func (*SetConstraintsStmt) Tag() string { return "SET CONSTRAINTS" }

// ReindexStmt is REINDEX [(options)] INDEX|TABLE|SCHEMA|DATABASE|SYSTEM
// [CONCURRENTLY] name.
type ReindexStmt struct {
	Kind         string // "INDEX", "TABLE", "SCHEMA", "DATABASE" or "SYSTEM"
	Name         TableRef
	Concurrently bool
	// Verbose is REINDEX (VERBOSE): an INFO message per index.
	Verbose bool
}

func (*ReindexStmt) Tag() string     { return "REINDEX" }
func (*ReindexStmt) WritesDatabase() {}

// ListenStmt is LISTEN channel.
type ListenStmt struct{ Channel string }

func (*ListenStmt) Tag() string { return "LISTEN" }

// UnlistenStmt is UNLISTEN channel, or UNLISTEN * (All).
type UnlistenStmt struct {
	Channel string
	All     bool
}

func (*UnlistenStmt) Tag() string { return "UNLISTEN" }

// NotifyStmt is NOTIFY channel [, 'payload'].
type NotifyStmt struct{ Channel, Payload string }

func (*NotifyStmt) Tag() string { return "NOTIFY" }

// RelOption is one name[=value] of a WITH (...), SET (...) or RESET (...)
// list of storage parameters; Namespace is "toast" for toast.name.
type RelOption struct {
	Namespace, Name, Value string
	HasValue               bool
	Pos                    int32
}

// RelOptionsCmd is ALTER TABLE ... SET (...) or RESET (...), or ALTER
// COLUMN Column SET (...) or RESET (...) when Column is set.
type RelOptionsCmd struct {
	Reset   bool
	Column  string
	Options []RelOption
}
