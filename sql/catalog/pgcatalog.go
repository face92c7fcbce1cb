package catalog

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// The pg_catalog relations psql's describe commands read (\d, \d+ and
// the \d table, index and view forms, \dt, \di, \dv, \ds, \dn, \dp, \dT,
// \db, \du, \l), computed from cairn's catalog when a statement reads
// them (once per statement and snapshot). They follow PostgreSQL 15's column names and the values
// PostgreSQL would show for the same schema, with these differences, which
// follow from what cairn has:
//
//   - Types. Columns have PostgreSQL's types (oid, name, "char",
//     int2vector, arrays of them; package types) except where cairn
//     lacks the type: pg_index has no indcollation and indclass (and
//     indoption comes last), aclitem[] columns text[] (aclitem's text
//     form; NULL but for initdb's schema privileges), bytea text, and
//     pg_node_tree columns (adbin, indexprs, indpred) hold the expression's SQL
//     text, which pg_get_expr returns.
//   - Schemas and owners. pg_namespace lists pg_catalog, pg_toast, public,
//     information_schema, the schemas users created and the temporary
//     schemas of live sessions (nsread.go). cairn has no roles: every
//     relation and user schema is owned by oid 10, which pg_get_userbyid
//     names "postgres" (the bootstrap superuser of a fresh cluster), and
//     public by pg_database_owner, as in PostgreSQL 15.
//   - pg_class lists user relations only (tables, views, indexes); the
//     system views themselves are not listed. A primary key's index has no
//     oid of its own in cairn; it is shown as <table>_pkey with oid
//     pkIndexOIDBit|table oid. Likewise a view's _RETURN rule in
//     pg_rewrite has oid ruleOIDBit|view oid.
//   - pg_get_expr and pg_get_viewdef print defaults and view queries as
//     PostgreSQL does for the expressions package parser's deparse.go
//     and viewdef.go know; others are printed as stored.
//   - pg_constraint lists primary key, unique, CHECK and foreign key
//     constraints (a key constraint shares its index's oid); PostgreSQL 15
//     has no rows for NOT NULL either. pg_class.relhastriggers is set on
//     both ends of a foreign key, as PostgreSQL's RI triggers set it, and on
//     a relation with triggers of its own (trigger.go: pg_trigger, whose
//     tgisinternal is always false as cairn's foreign keys are no triggers).
//   - Relations cairn lacks (statistics objects, publications, role
//     membership) are served empty, with PostgreSQL 15's columns; the
//     functions that look into them (pg_get_statisticsobjdef_columns) find
//     nothing, as PostgreSQL does for an oid that names no such object.
//   - pg_database lists the databases the engine accepts (Options.Databases),
//     owned by oid 10, UTF8, C.UTF-8 (text compares by code point), no
//     template databases. The role relations (pg_roles, pg_authid) are
//     package sql's, from the role catalog (roles.go).

// pkIndexOIDBit marks the oid of a primary key's index: the table's oid
// with this bit set. Object ids are allocated from 16384 upwards and stay
// far below it.
const pkIndexOIDBit = 1 << 31

// ruleOIDBit marks the oid of a view's _RETURN rule in pg_rewrite: the
// view's oid with this bit set (cairn keeps no rule objects).
const ruleOIDBit = 1 << 30

// Well-known oids, as in PostgreSQL 15.
const (
	oidHeapAM            = 2
	oidBtreeAM           = 403
	oidHashAM            = 405
	oidDefaultCollation  = 100
	oidCCollation        = 950
	OIDDefaultTablespace = 1663
	OIDGlobalTablespace  = 1664
	EncodingUTF8         = 6
)

// Cols lists columns from name, type pairs.
func Cols(spec ...any) []ColumnDesc {
	out := make([]ColumnDesc, 0, len(spec)/2)
	for i := 0; i < len(spec); i += 2 {
		out = append(out, ColumnDesc{Name: spec[i].(string), Type: spec[i+1].(types.T)})
	}
	return out
}

// The types of the relations' columns.
var (
	oidT  = types.New(types.OID)
	nameT = types.New(types.SysName)
	charT = types.New(types.Char)
	textT = types.New(types.Text)
	boolT = types.New(types.Bool)
	int2T = types.New(types.Int2)
	// int2VectorT types pg_index's indkey and indoption.
	int2VectorT = types.New(types.Int2Vector)
	int4T       = types.New(types.Int4)
	int8T       = types.New(types.Int8)

	oidArrayT  = types.New(types.OIDArray)
	charArrayT = types.New(types.CharArray)
	textArrayT = types.New(types.TextArray)
	// aclArrayT is aclitem[], the type of the ACL columns.
	aclArrayT  = types.New(types.AclitemArray)
	int2ArrayT = types.New(types.Int2Array)
)

// SystemView is a pg_catalog relation: its columns, and its rows as a
// statement reading it sees them.
type SystemView struct {
	Name    string
	Columns []ColumnDesc
	Rows    func(r Reader) ([][]types.Datum, error)
}

// Reader is what the pg_catalog relations and functions read: the
// catalog as one statement sees it.
// RegclassResolver is implemented by a Reader that can find a table,
// view or sequence by its name's parts ([schema,] name) with a catalog
// lookup or two, for the common 'name'::regclass of a serial column's
// default: it returns the oid and the name as regclass shows it (bare
// when the search path finds it). found is false for anything else (a
// system relation, an index, a name it cannot place), which MakeReg then
// resolves through Relations.
type RegclassResolver interface {
	ResolveRegclass(parts []string) (oid int64, shown string, found bool)
}

type Reader interface {
	// Relations returns the tables, views and indexes visible to the
	// statement, read once per statement and snapshot.
	Relations() (*Relations, error)
	// Databases returns the names of the databases the engine accepts.
	Databases() []string
	// SequenceLastValue returns the last value sequence id handed out,
	// or NULL before its first (pg_sequences.last_value).
	SequenceLastValue(id uint32) types.Datum
	// ParseStored parses a query the catalog stores (a view's).
	ParseStored(text string) ([]parser.Statement, error)
	// SearchPath is the session's search_path setting.
	SearchPath() string
	// Database is the name of the database the session is connected to.
	Database() string
}

// CurrentSchemas is current_schemas(implicit) for search path path: the
// listed schemas that exist ("$user" names none, as cairn has no schema
// per role), with pg_catalog in front when implicit is set and the path
// does not name it.
func CurrentSchemas(path string, implicit bool) *types.Array {
	var out []types.Datum
	for _, item := range strings.Split(path, ",") {
		item = strings.TrimSpace(item)
		if len(item) >= 2 && item[0] == '"' && item[len(item)-1] == '"' {
			item = strings.ReplaceAll(item[1:len(item)-1], `""`, `"`)
		} else {
			item = strings.ToLower(item)
		}
		if _, ok := types.NamespaceOID(item); ok && item != "" {
			out = append(out, item)
		}
	}
	if implicit {
		listed := false
		for _, s := range out {
			listed = listed || s == "pg_catalog"
		}
		if !listed {
			out = append([]types.Datum{"pg_catalog"}, out...)
		}
	}
	return &types.Array{Elems: out}
}

// publicVisible reports whether search path path lets unqualified names
// find relations in public.
func publicVisible(path string) bool {
	for _, s := range CurrentSchemas(path, false).Elems {
		if s == "public" {
			return true
		}
	}
	return false
}

// pgCatalog holds the views by name.
var pgCatalog = map[string]*SystemView{}

// LookupSystemView returns the pg_catalog relation named name.
func LookupSystemView(name string) (*SystemView, bool) {
	v, ok := pgCatalog[name]
	return v, ok
}

// DatabaseOID is the oid pg_database gives database among the databases
// the engine accepts (postgres, the first, has PostgreSQL's 5), or NULL
// for a name that is none of them.
func DatabaseOID(databases []string, database string) types.Datum {
	for i, d := range databases {
		if d == database {
			return int64(5 + i)
		}
	}
	return nil
}

func noRows(Reader) ([][]types.Datum, error) { return nil, nil }

// builtinNamespaceComment holds the descriptions initdb gives schemas.
var builtinNamespaceComment = map[int64]types.Datum{
	types.OIDPgCatalog: "system catalog schema",
	types.OIDPublic:    "standard public schema",
}

// Relations is the catalog as psql sees it: tables and views, then
// indexes (a primary key's included), each with its oid.
type Relations struct {
	Tables  []*TableDesc // tables and views, by oid
	indexes []IndexRelation
	// Types are the user-defined types (typedesc.go), by oid.
	Types []*TableDesc
	// all holds every descriptor, index entries included.
	all []*TableDesc
	// Namespaces are the schemas, by oid; Search the schemas a bare
	// relation name is looked up in, in order; Temp the session's
	// temporary schema (SetNamespaces).
	Namespaces []Namespace
	Search     []string
	Temp       string
	// RoleName names a role by oid, for the ACLs shown (nil: only the
	// built-in roles are named).
	RoleName func(oid uint32) string
	// Analyzed returns the pages and rows the last ANALYZE of the table
	// with oid found (relpages, reltuples); ok is false when it was never
	// analyzed (nil: none was).
	Analyzed func(oid uint32) (pages, tuples float64, ok bool)
	// RoleOID finds a role by name, for regrole's input (nil: only the
	// built-in roles are known).
	RoleOID func(name string) (uint32, bool)
}

// ACLDatum is acl as an aclitem[] shows it, as text; NULL when has is
// false (the default ACL).
func (r *Relations) ACLDatum(acl []ACLItem, has bool) types.Datum {
	if !has {
		return nil
	}
	name := r.RoleName
	if name == nil {
		name = func(oid uint32) string { return types.UserName(int64(oid)) }
	}
	out := &types.Array{Elems: []types.Datum{}}
	for _, it := range acl {
		out.Elems = append(out.Elems, it.Format(name))
	}
	return out
}

// IndexRelation is an index as pg_class lists it: a secondary index, or a
// primary key's, which has no descriptor of its own.
type IndexRelation struct {
	oid   int64
	name  string
	table *TableDesc
	desc  IndexDesc // for a primary key: its columns, Unique set
	pk    bool
}

// NewRelations arranges the catalog's descriptors as pg_catalog shows
// them.
func NewRelations(all []*TableDesc) *Relations {
	r := &Relations{all: all, Namespaces: BuiltinNamespaces, Search: []string{"public"}}
	for _, d := range all {
		if d.IndexOf == "" {
			r.Tables = append(r.Tables, d)
		}
	}
	sort.Slice(r.Tables, func(i, j int) bool { return r.Tables[i].ID < r.Tables[j].ID })
	for _, t := range r.Tables {
		if len(t.PK) > 0 {
			r.indexes = append(r.indexes, IndexRelation{oid: pkIndexOIDBit | int64(t.ID), name: t.PKConstraintName(), table: t,
				desc: IndexDesc{Columns: t.PK, Unique: true, Constraint: true}, pk: true})
		}
		for _, ix := range t.Indexes {
			r.indexes = append(r.indexes, IndexRelation{oid: int64(ix.ID), name: ix.Name, table: t, desc: ix})
		}
	}
	return r
}

// Name is the index's name.
func (ix *IndexRelation) Name() string { return ix.name }

// comment is the index's COMMENT ON text.
func (ix *IndexRelation) comment() string {
	if ix.pk {
		return ix.table.PKComment
	}
	return ix.desc.Comment
}

// Index returns the index with oid, or nil.
func (r *Relations) Index(oid int64) *IndexRelation {
	for i := range r.indexes {
		if r.indexes[i].oid == oid {
			return &r.indexes[i]
		}
	}
	return nil
}

func classRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var ns int64
	persistence := "p"
	row := func(oid int64, name string, am int64, hasIndex bool, kind string, natts int, rules bool, replident string) []types.Datum {
		return []types.Datum{oid, name, ns, int64(0), int64(0),
			int64(types.OIDBootstrapSuperuser), am, int64(0), int64(0),
			hasIndex, persistence, kind, int64(natts),
			int64(0), rules, false, false,
			false, false, replident,
			nil, nil, nil,
			// relpages: cairn keeps no size estimates (PostgreSQL's 0 is
			// "never vacuumed or analyzed"); relfrozenxid and relminmxid:
			// cairn's transaction ids never wrap, so nothing is frozen.
			int64(0), int64(0), int64(0), true,
			// reltuples: -1, "never analyzed"; classPagesTuples sets the
			// other kinds'.
			float64(-1), false,
			// relfilenode: the storage the rows are under, the oid
			// until a rewrite gives the table new storage; 0 for what
			// has none (views, partitioned tables, composite types).
			oid}
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		ns, persistence = r.NamespaceOID(t.Schema), t.Persistence()
		if t.Sequence != nil {
			sr := classPagesTuples(row(int64(t.ID), t.Name, 0, false, "S", len(t.Columns), false, "n"), 1, 1)
			sr[5], sr[20] = int64(t.OwnerOID()), r.ACLDatum(t.ACL, t.HasACL)
			out = append(out, sr)
			continue
		}
		if t.View != "" {
			// A view's rows come from its _RETURN rule.
			vr := row(int64(t.ID), t.Name, 0, false, "v", len(t.Columns), true, "n")
			vr[3], vr[5], vr[20] = int64(t.RowTypeOID()), int64(t.OwnerOID()), r.ACLDatum(t.ACL, t.HasACL)
			vr[21] = textArrayDatum(t.ViewOptions)
			vr[classRelfilenode] = int64(0)
			vr[15] = len(t.Triggers) > 0 // relhastriggers
			out = append(out, vr)
			continue
		}
		kind, am := "r", int64(oidHeapAM)
		if t.PartKey != nil {
			kind, am = "p", 0 // a partitioned table has no storage
		}
		replident := "d"
		if t.ReplIdent != "" {
			replident = t.ReplIdent
		}
		tr := row(int64(t.ID), t.Name, am, len(t.PK) > 0 || len(t.Indexes) > 0, kind, len(t.Columns), false, replident)
		tr[18] = t.PartBound != nil
		if b := r.PartitionBoundText(t); b != "" {
			tr[22] = b
		}
		tr[classRelfilenode-1] = t.hasSubclass()
		tr[classRelfilenode] = int64(t.StorageID())
		if t.PartKey != nil {
			tr[classRelfilenode] = int64(0)
		}
		tr[3], tr[5], tr[20] = int64(t.RowTypeOID()), int64(t.OwnerOID()), r.ACLDatum(t.ACL, t.HasACL)
		tr[4], tr[21] = int64(t.OfType), textArrayDatum(t.RelOptions)
		// relchecks counts the CHECK constraints; relhastriggers is set
		// on both ends of a foreign key, which PostgreSQL enforces with
		// triggers (psql reads both before listing constraints).
		tr[13] = int64(len(t.Checks))
		tr[14] = len(t.Rules) > 0 // relhasrules
		tr[15] = len(t.ForeignKeys) > 0 || r.referenced(t.Key()) || len(t.Triggers) > 0
		tr[16], tr[17] = t.RowSecurity, t.ForceRowSecurity
		if r.Analyzed != nil && t.PartKey == nil {
			if pages, tuples, ok := r.Analyzed(t.ID); ok {
				classPagesTuples(tr, int64(pages), tuples)
			}
		}
		out = append(out, tr)
	}
	ns, persistence = int64(types.OIDPublic), "p"
	for _, d := range r.Types {
		if d.IsComposite() {
			// A composite type's pg_class row, which holds its
			// attributes: relkind 'c', reltype the type.
			cr := row(int64(d.Type.RelOID), d.Name, 0, false, "c", len(d.Columns), false, "n")
			cr[3], cr[classRelfilenode] = int64(d.ID), int64(0)
			out = append(out, cr)
		}
	}
	for i := range r.indexes {
		ix := &r.indexes[i]
		ns, persistence = r.NamespaceOID(ix.table.Schema), ix.table.Persistence()
		am := int64(oidBtreeAM)
		if ix.desc.Method == "hash" {
			am = oidHashAM
		}
		kind := "i"
		if ix.table.PartKey != nil {
			kind = "I" // a partitioned index, whose partitions' indexes hold the entries
		}
		ir := row(ix.oid, ix.name, am, false, kind, len(ix.desc.Columns)+len(ix.desc.Include), false, "n")
		ir[5] = int64(ix.table.OwnerOID())
		ir[18] = r.indexIsPartition(ix)
		if kind == "I" {
			ir[classRelfilenode] = int64(0)
		}
		out = append(out, classPagesTuples(ir, 1, 0))
	}
	return out, nil
}

// classPagesTuples sets a pg_class row's relpages and reltuples: an
// analyzed table's from its statistics (Relations.Analyzed); else the
// figures PostgreSQL stores when it creates the relation and leaves until
// the first VACUUM or ANALYZE: a sequence's one page and one tuple, a
// btree index's metapage and no tuples; tables and views keep 0 and -1.
func classPagesTuples(r []types.Datum, pages int64, tuples float64) []types.Datum {
	r[classRelpages] = pages
	r[classReltuples] = tuples
	return r
}

// The positions of relpages, reltuples and relfilenode in a pg_class
// row.
const (
	classRelpages    = 23
	classReltuples   = 27
	classRelfilenode = 29
)

func indexRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, ix := range r.indexes {
		d := &ix.desc
		keys := &types.Array{}
		options := &types.Array{}
		var exprs []string
		for i, c := range d.Columns {
			keys.Elems = append(keys.Elems, int64(c+1)) // 0 for an expression
			opt := int64(0)
			if d.IsDesc(i) {
				opt |= 1 // INDOPTION_DESC
			}
			if d.IsNullsFirst(i) {
				opt |= 2 // INDOPTION_NULLS_FIRST
			}
			options.Elems = append(options.Elems, opt)
			if e := d.KeyExpr(i); e != "" {
				exprs = append(exprs, parser.DeparseCheck(e, viewColumns(ix.table), false))
			}
		}
		for _, c := range d.Include {
			keys.Elems = append(keys.Elems, int64(c+1))
		}
		// indexprs and indpred hold the expressions' text (as pg_get_expr
		// prints them), not node trees.
		var indexprs, indpred types.Datum
		if len(exprs) > 0 {
			indexprs = strings.Join(exprs, ", ")
		}
		if d.Predicate != "" {
			indpred = parser.DeparseCheck(d.Predicate, viewColumns(ix.table), false)
		}
		out = append(out, []types.Datum{ix.oid, int64(ix.table.ID), int64(len(keys.Elems)), int64(len(d.Columns)),
			d.Unique && !d.Exclusion, d.NullsNotDistinct, ix.pk,
			d.Exclusion, !d.Deferrable, ix.table.ClusterOn == ix.name,
			true, true, true, ix.table.ReplIdent == "i" && ix.table.ReplIdentIndex == ix.name,
			keys, indexprs, indpred, options})
	}
	return out, nil
}

// AttStorage is the column's pg_attribute.attstorage.
func (c ColumnDesc) AttStorage() string {
	if c.Storage != "" {
		return c.Storage
	}
	return typeStorage(c.Type)
}

// AttStatTarget is the column's pg_attribute.attstattarget.
func (c ColumnDesc) AttStatTarget() int32 {
	if c.StatTarget != nil {
		return *c.StatTarget
	}
	return -1
}

// typeStorage is pg_type.typstorage: plain for fixed-size types, main
// for numeric, extended for the other variable-length ones.
func typeStorage(t types.T) string {
	switch {
	case t.Size() >= 0, t.ID == types.Int2Vector:
		return "p"
	case t.ID == types.Numeric:
		return "m"
	}
	return "x"
}

// typeAlign is pg_type.typalign: a fixed-size type's own size up to 8
// bytes (name, an array of char, is byte-aligned); variable-length
// values are int-aligned, arrays of 8-byte elements double-aligned.
func typeAlign(t types.T) string {
	if t.ID == types.Record || t.ID == types.RecordArray {
		return "d" // a record may hold doubles
	}
	size := t.Size()
	if e, ok := t.Elem(); ok {
		if e.Size() == 8 {
			return "d"
		}
		return "i"
	}
	switch size {
	case 1:
		return "c"
	case 2:
		return "s"
	case 4:
		return "i"
	case 8:
		return "d"
	}
	if t.ID == types.SysName {
		return "c"
	}
	return "i"
}

func attributeRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	attr := func(rel int64, num int, c ColumnDesc) {
		coll := int64(0)
		if c.Type.IsString() {
			coll = oidDefaultCollation
		}
		typ := int64(c.Type.TypeOID())
		if c.Domain != 0 {
			typ = int64(c.Domain)
			if d, _ := r.UserType(typ); d != nil && DomainArrayColumn(c, d) {
				typ = int64(d.ArrayOID())
			}
		}
		out = append(out, []types.Datum{rel, c.Name, typ, int64(c.Type.Size()), int64(num),
			int64(types.PGTypmod(c.Type)), c.NotNull, c.Default != "" || c.Generated != "", c.Identity,
			map[bool]string{true: "s"}[c.Generated != ""], false, coll, c.AttStorage(),
			"", int64(c.AttStatTarget()), r.ACLDatum(c.ACL, len(c.ACL) > 0),
			typeAlign(c.Type), !c.NotLocal, textArrayDatum(c.Options), nil, false, nil, int64(c.InhCount)})
	}
	for _, t := range r.Tables {
		for i, c := range t.Columns {
			attr(int64(t.ID), i+1, c)
		}
	}
	for _, d := range r.Types {
		if d.IsComposite() {
			for i, c := range d.Columns {
				attr(int64(d.Type.RelOID), i+1, c)
			}
		}
	}
	for _, ix := range r.indexes {
		n := 0
		for _, col := range indexColumns(ix) {
			n++
			if v, ok := ix.desc.StatTargets[n]; ok {
				col.StatTarget = &v
			}
			attr(ix.oid, n, col)
		}
	}
	return out, nil
}

// indexColumns describes ix's columns as pg_attribute lists them: its
// keys, an expression key named as PostgreSQL names it ("lower",
// "expr", ... made distinct), then its INCLUDE columns.
func indexColumns(ix IndexRelation) []ColumnDesc {
	d := &ix.desc
	var out []ColumnDesc
	seen := make(map[string]bool)
	add := func(c ColumnDesc) {
		name := c.Name
		for i := 1; seen[c.Name]; i++ {
			c.Name = name + strconv.Itoa(i)
		}
		seen[c.Name] = true
		out = append(out, c)
	}
	for i, c := range d.Columns {
		if e := d.KeyExpr(i); e != "" {
			t := types.New(types.Text)
			if i < len(d.ExprTypes) && d.ExprTypes[i].ID != 0 {
				t = d.ExprTypes[i]
			}
			add(ColumnDesc{Name: parser.IndexColumnName(e), Type: t})
			continue
		}
		// A column's index entry keeps its storage, as PostgreSQL's
		// ConstructTupleDescriptor copies it.
		add(ColumnDesc{Name: ix.table.Columns[c].Name, Type: ix.table.Columns[c].Type, Storage: ix.table.Columns[c].Storage})
	}
	for _, c := range d.Include {
		add(ColumnDesc{Name: ix.table.Columns[c].Name, Type: ix.table.Columns[c].Type})
	}
	return out
}

func attrdefRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		for i, c := range t.Columns {
			if c.Default != "" || c.Generated != "" {
				out = append(out, []types.Datum{attrdefOID(t, i), int64(t.ID), int64(i + 1), deparseDefault(c)})
			}
		}
	}
	return out, nil
}

// deparseDefault renders a column default as pg_get_expr does
// (parser.DeparseDefault); a default it cannot read is shown as written.
func deparseDefault(c ColumnDesc) string {
	text := c.Default
	if c.Generated != "" {
		text = c.Generated // pg_attrdef holds a generated column's expression
	}
	out, err := parser.DeparseDefault(text, c.Type)
	if err != nil {
		return text
	}
	return out
}

// sequenceRows is pg_sequence: each sequence's options.
func sequenceRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if s := t.Sequence; s != nil {
			out = append(out, []types.Datum{int64(t.ID), int64(s.Type), s.Start, s.Increment, s.Max, s.Min, s.Cache, s.Cycle})
		}
	}
	return out, nil
}

// OIDPgClass is pg_class's oid, the class of relations in pg_depend.
const OIDPgClass = 1259

// sequenceDependRows are pg_depend's edges of sequences owned by a column
// ('a' for OWNED BY and serial, 'i' for an identity); dependRows adds
// them to those of views and indexes.
func sequenceDependRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		s := t.Sequence
		if s == nil || s.OwnedBy == "" {
			continue
		}
		for _, owner := range r.Tables {
			if owner.Key() != s.OwnedBy || owner.Sequence != nil {
				continue
			}
			kind := "a"
			if s.Identity {
				kind = "i"
			}
			out = append(out, []types.Datum{int64(OIDPgClass), int64(t.ID), int64(0), int64(OIDPgClass),
				int64(owner.ID), int64(owner.ColumnIndex(s.OwnedCol) + 1), kind})
		}
	}
	// A column default depends on the sequences it calls (n), which
	// makes pg_dump set a serial column's default after the sequence
	// exists.
	seqs := make(map[string]int64)
	for _, t := range r.Tables {
		if t.Sequence != nil {
			seqs[t.Key()] = int64(t.ID)
		}
	}
	for _, t := range r.Tables {
		for i, c := range t.Columns {
			if c.Default == "" || t.Sequence != nil {
				continue
			}
			for _, name := range SequencesInDefault(rd.ParseStored, c.Default) {
				schema, bare := SplitName(name)
				id, ok := seqs[Key(schema, bare)]
				if schema == "" {
					if own, found := seqs[Key(t.Schema, bare)]; found {
						id, ok = own, true
					}
				}
				if ok {
					out = append(out, []types.Datum{int64(classPgAttrdef), attrdefOID(t, i), int64(0), int64(OIDPgClass), id, int64(0), "n"})
				}
			}
		}
	}
	return out, nil
}

// attrdefOID is the oid pg_attrdef gives column i's default: cairn keeps
// none, and this one is unique among defaults.
func attrdefOID(t *TableDesc, i int) int64 { return int64(t.ID)<<8 | int64(i+1) }

// indexesViewRows is pg_indexes: every index with its CREATE INDEX
// statement.
func indexesViewRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, ix := range r.indexes {
		def, err := IndexDef(rd, ix.oid, 0, false)
		if err != nil {
			return nil, err
		}
		out = append(out, []types.Datum{ix.table.SchemaName(), ix.table.Name, ix.name, nil, def})
	}
	return out, nil
}

// tablesViewRows is pg_tables: the tables, owned by the bootstrap
// superuser, without rules.
func tablesViewRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.View != "" || t.Sequence != nil {
			continue
		}
		hasIndexes := len(t.PK) > 0 || len(t.Indexes) > 0
		out = append(out, []types.Datum{t.SchemaName(), t.Name, types.UserName(types.OIDBootstrapSuperuser), nil,
			hasIndexes, false, len(t.ForeignKeys) > 0 || r.referenced(t.Key()), t.RowSecurity})
	}
	return out, nil
}

// viewsViewRows is pg_views: each view with pg_get_viewdef's text.
func viewsViewRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.View == "" {
			continue
		}
		def, err := ViewDef(rd, int64(t.ID), false)
		if err != nil {
			return nil, err
		}
		out = append(out, []types.Datum{t.SchemaName(), t.Name, types.UserName(types.OIDBootstrapSuperuser), def})
	}
	return out, nil
}

// sequencesViewRows is the pg_sequences view.
func sequencesViewRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if s := t.Sequence; s != nil {
			out = append(out, []types.Datum{t.SchemaName(), t.Name, types.UserName(types.OIDBootstrapSuperuser),
				types.NewReg(types.Regtype, int64(s.Type), nil), s.Start, s.Min, s.Max, s.Increment, s.Cycle, s.Cache,
				rd.SequenceLastValue(t.ID)})
		}
	}
	return out, nil
}

func typeRows(rd Reader) ([][]types.Datum, error) {
	var out [][]types.Datum
	for _, ct := range types.Listed() {
		t := types.New(ct.ID)
		coll := int64(0)
		switch {
		case ct.ID == types.SysName:
			coll = oidCCollation
		case t.IsString() && ct.ID != types.Char:
			coll = oidDefaultCollation
		}
		typtype := "b"
		if ct.Category == 'P' {
			typtype = "p" // a pseudo-type: record
		}
		out = append(out, []types.Datum{int64(ct.ID), ct.Typname, int64(types.OIDPgCatalog), int64(t.Size()), typtype,
			coll, int64(0), int64(ct.Array), int64(0),
			int64(0), false, int64(-1), ",", nil, int64(types.OIDBootstrapSuperuser), true, typeStorage(t), typeAlign(t),
			string(ct.Category), ct.Preferred, nil, typeByVal(t)})
		if ct.ID == types.SysName {
			// name is subscriptable, as an array of "char".
			out[len(out)-1][6] = int64(types.Char)
		}
		if e, ok := t.Elem(); ok {
			out[len(out)-1][6] = int64(e.ID) // int2vector's smallints
		}
		// Its array type, named with a leading underscore.
		out = append(out, []types.Datum{int64(ct.Array), "_" + ct.Typname, int64(types.OIDPgCatalog), int64(-1), typtype,
			coll, int64(ct.ID), int64(0), int64(0),
			int64(0), false, int64(-1), ",", nil, int64(types.OIDBootstrapSuperuser), true, "x", typeAlign(types.New(ct.Array)),
			"A", false, nil, false})
	}
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	return append(append(out, userTypeRows(r)...), rowTypeRows(r)...), nil
}

// constraintRows lists primary key, unique, CHECK and FOREIGN KEY
// constraints (NOT NULL is no constraint row in PostgreSQL 15).
func constraintRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	attrs := func(cols []int) *types.Array {
		a := &types.Array{}
		for _, c := range cols {
			a.Elems = append(a.Elems, int64(c+1))
		}
		return a
	}
	var out [][]types.Datum
	for _, ix := range r.indexes {
		if !ix.pk && !ix.desc.Constraint {
			continue
		}
		kind := "u"
		if ix.pk {
			kind = "p"
		} else if ix.desc.Exclusion {
			kind = "x"
		}
		// cairn keeps no constraint oid apart from the index's: the
		// constraint shares its index's name and oid.
		out = append(out, []types.Datum{ix.oid, ix.name, r.NamespaceOID(ix.table.Schema), kind,
			ix.desc.Deferrable, ix.desc.Deferred, true, int64(ix.table.ID), int64(0),
			ix.oid, int64(0), int64(0),
			"a", "a", "s", true, int64(0), true, attrs(ix.desc.Columns), nil, nil})
	}
	for _, t := range r.Tables {
		for _, c := range t.Checks {
			out = append(out, []types.Datum{int64(c.ID), c.Name, r.NamespaceOID(t.Schema), "c",
				false, false, !c.NotValid, int64(t.ID), int64(0),
				int64(0), int64(0), int64(0),
				" ", " ", " ", !c.NotLocal, int64(c.InhCount), c.NoInherit, attrs(checkColumns(t, c.Expr)), nil, checkDef(t, &c, false)})
		}
		for _, f := range t.ForeignKeys {
			parent := r.table(f.RefTable)
			if parent == nil {
				continue
			}
			out = append(out, []types.Datum{int64(f.ID), f.Name, r.NamespaceOID(t.Schema), "f",
				f.Deferrable, f.Deferred, !f.NotValid, int64(t.ID), int64(0),
				referencedIndexOID(parent, f.RefColumns), int64(0), int64(parent.ID),
				f.OnUpdate, f.OnDelete, f.Match, true, int64(0), true, attrs(f.Columns), attrs(f.RefColumns), nil})
		}
	}
	for _, t := range r.Tables {
		for _, g := range t.Triggers {
			if !g.Constraint {
				continue
			}
			out = append(out, []types.Datum{int64(g.ConstraintOID), g.Name, r.NamespaceOID(t.Schema), "t",
				g.Deferrable, g.InitDeferred, true, int64(t.ID), int64(0),
				int64(0), int64(0), int64(0),
				" ", " ", " ", true, int64(0), true, nil, nil, nil})
		}
	}
	return append(out, domainConstraintRows(r)...), nil
}

// referenced reports whether a foreign key references the table named
// name.
func (r *Relations) referenced(name string) bool {
	for _, t := range r.Tables {
		for _, f := range t.ForeignKeys {
			if f.RefTable == name {
				return true
			}
		}
	}
	return false
}

// table returns the table named name, or nil.
func (r *Relations) table(name string) *TableDesc {
	for _, t := range r.Tables {
		if t.Key() == name {
			return t
		}
	}
	return nil
}

// referencedIndexOID is the oid of parent's unique index on cols, which a
// foreign key uses (pg_constraint.conindid).
func referencedIndexOID(parent *TableDesc, cols []int) int64 {
	same := func(key []int) bool {
		if len(key) != len(cols) {
			return false
		}
		for _, c := range cols {
			if !slices.Contains(key, c) {
				return false
			}
		}
		return true
	}
	if len(parent.PK) > 0 && same(parent.PK) {
		return pkIndexOIDBit | int64(parent.ID)
	}
	for _, ix := range parent.Indexes {
		if ix.Unique && !ix.Computed() && same(ix.Columns) {
			return int64(ix.ID)
		}
	}
	return 0
}

// checkColumns lists the columns a CHECK condition reads, in table order
// (pg_constraint.conkey).
func checkColumns(t *TableDesc, expr string) []int {
	var out []int
	for i, c := range t.Columns {
		if parser.MentionsColumn(expr, c.Name) {
			out = append(out, i)
		}
	}
	return out
}

func databaseRows(rd Reader) ([][]types.Datum, error) {
	var out [][]types.Datum
	dbs := rd.Databases()
	acls, _ := rd.(DatabaseACLs)
	for _, d := range dbs {
		var acl types.Datum
		if acls != nil {
			acl = acls.DatabaseACLDatum(d)
		}
		out = append(out, []types.Datum{DatabaseOID(dbs, d), d, int64(types.OIDBootstrapSuperuser), int64(EncodingUTF8), "c",
			false, true, int64(-1), int64(OIDDefaultTablespace),
			"C.UTF-8", "C.UTF-8", nil, acl,
			// datfrozenxid, datminmxid: nothing is frozen (relfrozenxid);
			// datcollversion: the C.UTF-8 collation has no version.
			int64(0), int64(0), nil})
	}
	return out, nil
}

// IndexDef is pg_get_indexdef(index, col, pretty) for the index with
// oid: CREATE INDEX for col 0, else the col'th column alone (a key or an
// INCLUDE column). pretty leaves out the schema and the parentheses
// around operands.
func IndexDef(rd Reader, oid, col int64, pretty bool) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	ix := r.Index(oid)
	if ix == nil {
		return nil, nil
	}
	d := &ix.desc
	if col > 0 {
		switch {
		case col <= int64(len(d.Columns)):
			return indexKeyDef(ix.table, d, int(col-1), pretty), nil
		case col <= int64(len(d.Columns)+len(d.Include)):
			return parser.QuoteIdent(ix.table.Columns[d.Include[col-1-int64(len(d.Columns))]].Name), nil
		}
		return "", nil
	}
	keys := make([]string, len(d.Columns))
	for i := range d.Columns {
		keys[i] = indexKeyDef(ix.table, d, i, pretty)
		if c := d.KeyCollation(i); c != "" {
			keys[i] += " COLLATE " + parser.QuoteIdent(c)
		}
		if c := d.KeyOpclass(i); c != "" {
			keys[i] += " " + c
		}
		if d.IsDesc(i) {
			keys[i] += " DESC"
			if !d.IsNullsFirst(i) {
				keys[i] += " NULLS LAST"
			}
		} else if d.IsNullsFirst(i) {
			keys[i] += " NULLS FIRST"
		}
	}
	unique := ""
	if d.Unique && !d.Exclusion {
		unique = "UNIQUE "
	}
	table := parser.QuoteIdent(ix.table.SchemaName()) + "." + parser.QuoteIdent(ix.table.Name)
	if pretty && ix.table.Schema == "" && publicVisible(rd.SearchPath()) {
		table = parser.QuoteIdent(ix.table.Name) // pretty qualifies only what the search path hides
	}
	method := "btree"
	if d.Method != "" {
		method = d.Method
	}
	def := fmt.Sprintf("CREATE %sINDEX %s ON %s USING %s (%s)", unique, parser.QuoteIdent(ix.name), table, method, strings.Join(keys, ", "))
	if len(d.Include) > 0 {
		inc := make([]string, len(d.Include))
		for i, c := range d.Include {
			inc[i] = parser.QuoteIdent(ix.table.Columns[c].Name)
		}
		def += " INCLUDE (" + strings.Join(inc, ", ") + ")"
	}
	if d.NullsNotDistinct {
		def += " NULLS NOT DISTINCT"
	}
	if d.Predicate != "" {
		def += " WHERE " + parser.DeparseCheck(d.Predicate, viewColumns(ix.table), pretty)
	}
	return def, nil
}

// indexKeyDef renders key i of index d on table t as pg_get_indexdef
// does: a column by name, an expression in parentheses unless it is a
// function call.
func indexKeyDef(t *TableDesc, d *IndexDesc, i int, pretty bool) string {
	text := d.KeyExpr(i)
	if text == "" {
		return parser.QuoteIdent(t.Columns[d.Columns[i]].Name)
	}
	out := parser.DeparseCheck(text, viewColumns(t), pretty)
	if parser.LooksLikeCall(text) {
		return out
	}
	return "(" + out + ")"
}

// viewColumns lists t's columns for the deparser.
func viewColumns(t *TableDesc) []parser.ViewColumn {
	cols := make([]parser.ViewColumn, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
	}
	return cols
}

// ConstraintDef is pg_get_constraintdef for a constraint: a primary key
// or unique constraint, whose oid is its index's, a CHECK or a FOREIGN
// KEY constraint.
func ConstraintDef(rd Reader, oid int64, pretty bool) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		for _, c := range t.Checks {
			if int64(c.ID) == oid {
				def := "CHECK (" + checkDef(t, &c, pretty) + ")"
				if c.NoInherit {
					def += " NO INHERIT"
				}
				if c.NotValid {
					def += " NOT VALID"
				}
				return def, nil
			}
		}
		for _, f := range t.ForeignKeys {
			if int64(f.ID) == oid {
				return foreignKeyDef(r, t, f, publicVisible(rd.SearchPath())), nil
			}
		}
	}
	if def, ok := domainConstraintDef(r, oid, pretty); ok {
		return def, nil
	}
	ix := r.Index(oid)
	if ix == nil {
		return nil, nil
	}
	keys := make([]string, len(ix.desc.Columns))
	for i, c := range ix.desc.Columns {
		keys[i] = parser.QuoteIdent(ix.table.Columns[c].Name)
	}
	kind := "UNIQUE"
	switch {
	case ix.pk:
		kind = "PRIMARY KEY"
	case ix.desc.Exclusion:
		method := ix.desc.Method
		if method == "" {
			method = "btree"
		}
		kind = "EXCLUDE USING " + method
		for i := range keys {
			keys[i] += " WITH ="
		}
	case ix.desc.NullsNotDistinct:
		kind = "UNIQUE NULLS NOT DISTINCT"
	}
	def := kind + " (" + strings.Join(keys, ", ") + ")"
	if ix.desc.Deferrable {
		def += " DEFERRABLE"
	}
	if ix.desc.Deferred {
		def += " INITIALLY DEFERRED"
	}
	return def, nil
}

// checkDef renders CHECK constraint c of table t's condition as
// pg_get_constraintdef prints it inside CHECK (...).
func checkDef(t *TableDesc, c *CheckDesc, pretty bool) string {
	cols := make([]parser.ViewColumn, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = parser.ViewColumn{Name: col.Name, Type: col.Type}
	}
	return parser.DeparseCheck(c.Expr, cols, pretty)
}

// foreignKeyDef is pg_get_constraintdef for foreign key f of table t;
// the referenced table is qualified unless the search path finds public
// (visible).
func foreignKeyDef(r *Relations, t *TableDesc, f ForeignKeyDesc, visible bool) string {
	names := func(tab *TableDesc, cols []int) string {
		out := make([]string, len(cols))
		for i, c := range cols {
			if tab != nil && c < len(tab.Columns) {
				out[i] = parser.QuoteIdent(tab.Columns[c].Name)
			}
		}
		return strings.Join(out, ", ")
	}
	parent := r.table(f.RefTable)
	ref := parser.QuoteIdent(f.RefTable)
	switch {
	case parent != nil:
		ref = r.qualifiedName(parent)
	case !visible:
		ref = "public." + ref
	}
	def := "FOREIGN KEY (" + names(t, f.Columns) + ") REFERENCES " + ref + "(" + names(parent, f.RefColumns) + ")"
	if f.Match == "f" {
		def += " MATCH FULL"
	}
	actions := map[string]string{"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
	if a, ok := actions[f.OnUpdate]; ok {
		def += " ON UPDATE " + a
	}
	if a, ok := actions[f.OnDelete]; ok {
		def += " ON DELETE " + a
		if len(f.DeleteSetColumns) > 0 {
			def += " (" + names(t, f.DeleteSetColumns) + ")"
		}
	}
	if f.Deferrable {
		def += " DEFERRABLE"
	}
	if f.Deferred {
		def += " INITIALLY DEFERRED"
	}
	if f.NotValid {
		def += " NOT VALID"
	}
	return def
}

// rewriteRows lists each view's _RETURN rule, the only rules cairn has.
// ev_action holds the view's query as SQL text.
func rewriteRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.View != "" {
			out = append(out, []types.Datum{ruleOIDBit | int64(t.ID), "_RETURN", int64(t.ID), "1", "O", true, "<>", t.View})
		}
		for _, r := range t.Rules {
			var qual types.Datum = "<>"
			if r.Where != "" {
				qual = r.Where
			}
			out = append(out, []types.Datum{int64(r.OID), r.Name, int64(t.ID), ruleEventTypes[r.Event], "O", r.Instead, qual, strings.Join(r.Actions, "; ")})
		}
	}
	return out, nil
}

// ruleEventTypes is pg_rewrite.ev_type by event.
var ruleEventTypes = map[string]string{"select": "1", "update": "2", "insert": "3", "delete": "4"}

// userRuleDef is pg_get_ruledef of a rule CREATE RULE made: its
// definition as a CREATE RULE statement, the condition and actions as
// stored.
func userRuleDef(rd Reader, oid int64) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		for _, rule := range t.Rules {
			if int64(rule.OID) != oid {
				continue
			}
			var b strings.Builder
			b.WriteString("CREATE RULE " + parser.QuoteIdent(rule.Name) + " AS\n    ON " + strings.ToUpper(rule.Event) + " TO " + parser.QuoteIdent(t.Name))
			if rule.Where != "" {
				b.WriteString("\n   WHERE " + rule.Where)
			}
			b.WriteString(" DO ")
			if rule.Instead {
				b.WriteString("INSTEAD ")
			}
			switch len(rule.Actions) {
			case 0:
				b.WriteString("NOTHING")
			case 1:
				b.WriteString(" " + rule.Actions[0])
			default:
				b.WriteString(" (" + strings.Join(rule.Actions, "; ") + ")")
			}
			b.WriteString(";")
			return b.String(), nil
		}
	}
	return nil, nil
}

// RuleDef is pg_get_ruledef(rule, true) for a view's _RETURN rule or a
// rule CREATE RULE made; NULL for an oid that names no rule.
func RuleDef(rd Reader, oid int64) (types.Datum, error) {
	if oid&ruleOIDBit == 0 {
		return userRuleDef(rd, oid)
	}
	def, err := ViewDef(rd, oid&^ruleOIDBit, true)
	if def == nil || err != nil {
		return nil, err
	}
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		if int64(t.ID) == oid&^ruleOIDBit {
			return "CREATE RULE \"_RETURN\" AS\n    ON SELECT TO " + parser.QuoteIdent(t.Name) + " DO INSTEAD " + def.(string), nil
		}
	}
	return nil, nil
}

// ViewDef is pg_get_viewdef(view, pretty): PostgreSQL's rendering of the
// view's query where parser.DeparseView can produce it, else the query as
// stored. It is NULL for an oid that names no view.
func ViewDef(rd Reader, oid int64, pretty bool) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		if int64(t.ID) != oid || t.View == "" {
			continue
		}
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = c.Name
		}
		find := func(name string) *parser.ViewTable {
			schema, bare := SplitName(name)
			for _, d := range r.Tables {
				if schema != "" && d.Key() == Key(schema, bare) || schema == "" && (d.Key() == Key(t.Schema, name) || d.Name == name && d.Schema == "") {
					vt := &parser.ViewTable{Name: d.Name, Columns: make([]parser.ViewColumn, len(d.Columns))}
					if !r.Visible(d) {
						// As PostgreSQL names a relation its search
						// path does not find (pg_dump empties it).
						vt.Schema = d.SchemaName()
					}
					for i, c := range d.Columns {
						vt.Columns[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
					}
					return vt
				}
			}
			return nil
		}
		if s, ok := parser.DeparseView(t.View, cols, find, pretty); ok {
			return s, nil
		}
		// A query DeparseView does not render is shown as stored, its
		// relations qualified when the search path would not find them,
		// and ended with a semicolon as PostgreSQL ends it (pg_dump cuts
		// that last character off).
		text := t.View
		if !publicVisible(rd.SearchPath()) {
			if q, ok := parser.QualifyRelations(text, "public", func(name string) bool { return find(name) != nil }); ok {
				text = q
			}
		}
		return text + ";", nil
	}
	return nil, nil
}

// MakeReg is the reg type id's value for v: an oid, or a name to look up
// (a relation for regclass, a schema, type or role for the others).
func MakeReg(rd Reader, id types.ID, v types.Datum) (types.Datum, error) {
	relName := func(oid int64) (string, bool) {
		r, err := rd.Relations()
		if err != nil {
			return "", false
		}
		for _, t := range r.Tables {
			if int64(t.ID) == oid {
				return r.qualifiedName(t), true
			}
		}
		if ix := r.Index(oid); ix != nil {
			if ix.pk {
				return parser.QuoteIdent(ix.name), true
			}
			for _, t := range r.all {
				if int64(t.ID) == oid {
					return r.qualifiedName(t), true
				}
			}
			return parser.QuoteIdent(ix.name), true
		}
		if d := r.compositeByRelOID(oid); d != nil {
			return parser.QuoteIdent(d.Name), true
		}
		return systemRelationName(oid)
	}
	if id == types.Regtype {
		if out, ok, err := userRegtype(rd, v); ok {
			return out, err
		}
	}
	if id == types.Regproc || id == types.Regprocedure {
		relName = func(oid int64) (string, bool) { return funcRegName(rd, id, oid) }
	}
	if id == types.Regrole {
		relName = func(oid int64) (string, bool) {
			r, err := rd.Relations()
			if err != nil || r.RoleName == nil || r.RoleOID == nil {
				return "", false
			}
			name := r.RoleName(uint32(oid))
			if _, ok := r.RoleOID(name); !ok {
				return "", false
			}
			return parser.QuoteIdent(name), true
		}
	}
	if id == types.Regnamespace {
		relName = func(oid int64) (string, bool) {
			r, err := rd.Relations()
			if err != nil {
				return "", false
			}
			name, ok := r.namespaceName(oid)
			return parser.QuoteIdent(name), ok
		}
	}
	switch v := v.(type) {
	case *types.RegValue:
		return types.NewReg(id, v.OID, relName), nil
	case int64:
		oid, err := types.OIDFromInt(v, "")
		if err != nil {
			return nil, err
		}
		return types.NewReg(id, oid.(int64), relName), nil
	}
	s := strings.TrimSpace(v.(string))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		oid, err := types.OIDFromInt(n, s)
		if err != nil {
			return nil, err
		}
		return types.NewReg(id, oid.(int64), relName), nil
	}
	switch id {
	case types.Regclass:
		if fast, ok := rd.(RegclassResolver); ok && validRegclassText(s) {
			if oid, shown, found := fast.ResolveRegclass(SplitQualifiedName(s)); found {
				return &types.RegValue{OID: oid, Name: shown}, nil
			}
		}
		// The relations pg_class lists: tables, views and indexes, a
		// primary key's included.
		r, err := rd.Relations()
		if err != nil {
			return nil, err
		}
		if !validRegclassText(s) {
			return nil, pgerr.New(pgerr.InvalidName, "invalid name syntax")
		}
		parts := SplitQualifiedName(s)
		if len(parts) > 3 {
			return nil, pgerr.New(pgerr.SyntaxError, "improper relation name (too many dotted names): %s", s)
		}
		shown := strings.Join(parts, ".")
		oid, err := r.lookupRegclass(parts, shown)
		if err != nil && (len(parts) == 1 || parts[len(parts)-2] == "public") {
			// A composite type's pg_class row.
			for _, d := range r.Types {
				if d.IsComposite() && d.Name == parts[len(parts)-1] {
					return types.NewReg(id, int64(d.Type.RelOID), relName), nil
				}
			}
		}
		if err != nil {
			// A primary key's index has no catalog entry of its own.
			for _, ix := range r.indexes {
				if ix.pk && ix.name == parts[len(parts)-1] && (len(parts) == 1 || parts[len(parts)-2] == ix.table.SchemaName()) {
					return types.NewReg(id, ix.oid, relName), nil
				}
			}
			return nil, err
		}
		return types.NewReg(id, oid, relName), nil
	case types.Regnamespace:
		r, err := rd.Relations()
		if err != nil {
			return nil, err
		}
		for _, ns := range r.Namespaces {
			if ns.Name == regclassName(s) {
				return types.NewReg(id, ns.OID, relName), nil
			}
		}
		return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", s)
	case types.Regrole:
		name := regclassName(s)
		if oid, ok := types.BuiltinRoleOID(name); ok {
			return types.NewReg(id, oid, relName), nil
		}
		if r, err := rd.Relations(); err != nil {
			return nil, err
		} else if r.RoleOID != nil {
			if oid, ok := r.RoleOID(name); ok {
				return types.NewReg(id, int64(oid), relName), nil
			}
		}
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
	case types.Regproc:
		return regprocIn(rd, s)
	case types.Regprocedure:
		res, ok := rd.(RegprocedureResolver)
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedFunction, "function \"%s\" does not exist", s)
		}
		oid, err := res.ResolveRegprocedure(s)
		if err != nil {
			return nil, err
		}
		return types.NewReg(id, oid, relName), nil
	}
	for _, ct := range types.Listed() {
		t := types.New(ct.ID)
		if ct.Typname == strings.ToLower(s) || t.Name() == strings.ToLower(s) {
			return types.NewReg(id, int64(ct.ID), relName), nil
		}
	}
	return nil, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", s)
}

// validRegclassText reports whether s is a dotted list of names, each
// quoted or not, as PostgreSQL's SplitIdentifierString splits it; other
// text (a space inside an unquoted name, an unterminated quote) is 42602.
func validRegclassText(s string) bool {
	for {
		s = strings.TrimLeft(s, " \t\n\r\f\v")
		if strings.HasPrefix(s, `"`) {
			end := 1
			for end < len(s) {
				if s[end] == '"' {
					if end+1 < len(s) && s[end+1] == '"' {
						end += 2
						continue
					}
					break
				}
				end++
			}
			if end >= len(s) || end == 1 {
				return false
			}
			s = s[end+1:]
		} else {
			i := strings.IndexAny(s, ". \t\n\r\f\v\"")
			if i < 0 {
				i = len(s)
			}
			if i == 0 {
				return false
			}
			s = s[i:]
		}
		s = strings.TrimLeft(s, " \t\n\r\f\v")
		if s == "" {
			return true
		}
		if s[0] != '.' {
			return false
		}
		s = s[1:]
	}
}

// regclassName is the relation a regclass input names: [public.]name,
// lower-cased unless double-quoted.
func regclassName(s string) string {
	if rest, ok := strings.CutPrefix(s, "public."); ok {
		s = rest
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}

func init() {
	for _, v := range []*SystemView{
		{Name: "pg_namespace", Columns: Cols("oid", oidT, "nspname", nameT, "nspowner", oidT, "nspacl", aclArrayT), Rows: namespaceRows},
		{Name: "pg_am", Columns: Cols("oid", oidT, "amname", nameT, "amhandler", oidT, "amtype", charT), Rows: func(Reader) ([][]types.Datum, error) {
			return [][]types.Datum{{int64(oidHeapAM), "heap", int64(3), "t"}, {int64(oidBtreeAM), "btree", int64(330), "i"}, {int64(oidHashAM), "hash", int64(331), "i"}}, nil
		}},
		{Name: "pg_class", Columns: Cols(
			"oid", oidT, "relname", nameT, "relnamespace", oidT, "reltype", oidT, "reloftype", oidT,
			"relowner", oidT, "relam", oidT, "reltablespace", oidT, "reltoastrelid", oidT,
			"relhasindex", boolT, "relpersistence", charT, "relkind", charT, "relnatts", int2T,
			"relchecks", int2T, "relhasrules", boolT, "relhastriggers", boolT, "relrowsecurity", boolT,
			"relforcerowsecurity", boolT, "relispartition", boolT, "relreplident", charT,
			"relacl", aclArrayT, "reloptions", textArrayT, "relpartbound", textT,
			"relpages", int4T, "relfrozenxid", types.New(types.Int8), "relminmxid", types.New(types.Int8),
			"relispopulated", boolT, "reltuples", types.New(types.Float4), "relhassubclass", boolT,
			"relfilenode", oidT), Rows: classRows},
		{Name: "pg_index", Columns: Cols(
			"indexrelid", oidT, "indrelid", oidT, "indnatts", int2T, "indnkeyatts", int2T,
			"indisunique", boolT, "indnullsnotdistinct", boolT, "indisprimary", boolT,
			"indisexclusion", boolT, "indimmediate", boolT, "indisclustered", boolT,
			"indisvalid", boolT, "indisready", boolT, "indislive", boolT, "indisreplident", boolT,
			"indkey", int2VectorT, "indexprs", textT, "indpred", textT,
			"indoption", int2VectorT), Rows: indexRows},
		{Name: "pg_attribute", Columns: Cols(
			"attrelid", oidT, "attname", nameT, "atttypid", oidT, "attlen", int2T, "attnum", int2T,
			"atttypmod", int4T, "attnotnull", boolT, "atthasdef", boolT, "attidentity", charT,
			"attgenerated", charT, "attisdropped", boolT, "attcollation", oidT, "attstorage", charT,
			"attcompression", charT, "attstattarget", int4T, "attacl", aclArrayT,
			"attalign", charT, "attislocal", boolT, "attoptions", textArrayT, "attfdwoptions", textArrayT,
			"atthasmissing", boolT, "attmissingval", textArrayT, "attinhcount", int4T), Rows: attributeRows},
		{Name: "pg_sequence", Columns: Cols("seqrelid", oidT, "seqtypid", oidT, "seqstart", int8T, "seqincrement", int8T,
			"seqmax", int8T, "seqmin", int8T, "seqcache", int8T, "seqcycle", boolT), Rows: sequenceRows},
		{Name: "pg_sequences", Columns: Cols("schemaname", nameT, "sequencename", nameT, "sequenceowner", nameT,
			"data_type", types.New(types.Regtype), "start_value", int8T, "min_value", int8T, "max_value", int8T,
			"increment_by", int8T, "cycle", boolT, "cache_size", int8T, "last_value", int8T), Rows: sequencesViewRows},
		{Name: "pg_attrdef", Columns: Cols("oid", oidT, "adrelid", oidT, "adnum", int2T, "adbin", textT), Rows: attrdefRows},
		{Name: "pg_indexes", Columns: Cols("schemaname", nameT, "tablename", nameT, "indexname", nameT, "tablespace", nameT,
			"indexdef", textT), Rows: indexesViewRows},
		{Name: "pg_tables", Columns: Cols("schemaname", nameT, "tablename", nameT, "tableowner", nameT, "tablespace", nameT,
			"hasindexes", boolT, "hasrules", boolT, "hastriggers", boolT, "rowsecurity", boolT), Rows: tablesViewRows},
		{Name: "pg_views", Columns: Cols("schemaname", nameT, "viewname", nameT, "viewowner", nameT, "definition", textT),
			Rows: viewsViewRows},
		{Name: "pg_type", Columns: Cols(
			"oid", oidT, "typname", nameT, "typnamespace", oidT, "typlen", int2T, "typtype", charT,
			"typcollation", oidT, "typelem", oidT, "typarray", oidT, "typrelid", oidT,
			"typbasetype", oidT, "typnotnull", boolT, "typtypmod", int4T, "typdelim", charT,
			"typacl", aclArrayT, "typowner", oidT, "typisdefined", boolT, "typstorage", charT, "typalign", charT,
			"typcategory", charT, "typispreferred", boolT, "typdefault", textT, "typbyval", boolT), Rows: typeRows},
		{Name: "pg_collation", Columns: Cols("oid", oidT, "collname", nameT, "collnamespace", oidT, "collowner", oidT,
			"collencoding", int4T), Rows: func(Reader) ([][]types.Datum, error) {
			// initdb's three, for any encoding (-1).
			owner, any := int64(types.OIDBootstrapSuperuser), int64(-1)
			return [][]types.Datum{{int64(oidDefaultCollation), "default", int64(types.OIDPgCatalog), owner, any},
				{int64(950), "C", int64(types.OIDPgCatalog), owner, any}, {int64(951), "POSIX", int64(types.OIDPgCatalog), owner, any}}, nil
		}},
		{Name: "pg_constraint", Columns: Cols(
			"oid", oidT, "conname", nameT, "connamespace", oidT, "contype", charT,
			"condeferrable", boolT, "condeferred", boolT, "convalidated", boolT, "conrelid", oidT, "contypid", oidT,
			"conindid", oidT, "conparentid", oidT, "confrelid", oidT,
			"confupdtype", charT, "confdeltype", charT, "confmatchtype", charT, "conislocal", boolT,
			"coninhcount", int4T, "connoinherit", boolT, "conkey", int2ArrayT, "confkey", int2ArrayT, "conbin", textT), Rows: constraintRows},
		{Name: "pg_database", Columns: Cols(
			"oid", oidT, "datname", nameT, "datdba", oidT, "encoding", int4T, "datlocprovider", charT,
			"datistemplate", boolT, "datallowconn", boolT, "datconnlimit", int4T, "dattablespace", oidT,
			"datcollate", textT, "datctype", textT, "daticulocale", textT, "datacl", aclArrayT,
			"datfrozenxid", types.New(types.Int8), "datminmxid", types.New(types.Int8), "datcollversion", textT), Rows: databaseRows},
		// Objects cairn does not have: always empty.
		{Name: "pg_tablespace", Columns: Cols("oid", oidT, "spcname", nameT, "spcowner", oidT, "spcacl", aclArrayT,
			"spcoptions", textArrayT), Rows: func(Reader) ([][]types.Datum, error) {
			// initdb's two tablespaces; every relation is in the default.
			return [][]types.Datum{
				{int64(OIDDefaultTablespace), "pg_default", int64(types.OIDBootstrapSuperuser), nil, nil},
				{int64(OIDGlobalTablespace), "pg_global", int64(types.OIDBootstrapSuperuser), nil, nil},
			}, nil
		}},
		{Name: "pg_auth_members", Columns: Cols("roleid", oidT, "member", oidT, "grantor", oidT, "admin_option", boolT), Rows: noRows},
		{Name: "pg_rewrite", Columns: Cols("oid", oidT, "rulename", nameT, "ev_class", oidT, "ev_type", charT,
			"ev_enabled", charT, "is_instead", boolT, "ev_qual", textT, "ev_action", textT), Rows: rewriteRows},
		{Name: "pg_inherits", Columns: Cols("inhrelid", oidT, "inhparent", oidT, "inhseqno", int4T, "inhdetachpending", boolT), Rows: inheritsRows},
		{Name: "pg_policy", Columns: Cols("oid", oidT, "polname", nameT, "polrelid", oidT, "polcmd", charT,
			"polpermissive", boolT, "polroles", oidArrayT, "polqual", textT, "polwithcheck", textT), Rows: policyRows},
		{Name: "pg_statistic_ext", Columns: Cols("oid", oidT, "stxrelid", oidT, "stxname", nameT, "stxnamespace", oidT,
			"stxowner", oidT, "stxstattarget", int4T, "stxkeys", int2ArrayT, "stxkind", charArrayT, "stxexprs", textT), Rows: noRows},
		{Name: "pg_trigger", Columns: Cols("oid", oidT, "tgrelid", oidT, "tgparentid", oidT, "tgname", nameT,
			"tgfoid", oidT, "tgtype", int2T, "tgenabled", charT, "tgisinternal", boolT, "tgconstrrelid", oidT,
			"tgconstrindid", oidT, "tgconstraint", oidT, "tgdeferrable", boolT, "tginitdeferred", boolT,
			"tgnargs", int2T, "tgattr", types.New(types.Int2Vector), "tgargs", types.New(types.Bytea), "tgqual", textT, "tgoldtable", nameT,
			"tgnewtable", nameT), Rows: triggerRows},
		{Name: "pg_publication", Columns: Cols("oid", oidT, "pubname", nameT, "pubowner", oidT, "puballtables", boolT,
			"pubinsert", boolT, "pubupdate", boolT, "pubdelete", boolT, "pubtruncate", boolT, "pubviaroot", boolT), Rows: noRows},
		{Name: "pg_publication_namespace", Columns: Cols("oid", oidT, "pnpubid", oidT, "pnnspid", oidT), Rows: noRows},
		{Name: "pg_publication_rel", Columns: Cols("oid", oidT, "prpubid", oidT, "prrelid", oidT, "prqual", textT, "prattrs", int2ArrayT), Rows: noRows},
	} {
		pgCatalog[v.Name] = v
	}
}

// NamespaceComment is obj_description for a schema: the description
// initdb gives it, or NULL.
func NamespaceComment(oid int64) types.Datum { return builtinNamespaceComment[oid] }

// DatabaseACLs is what a Reader implements when databases may have ACLs
// other than the default one: datacl for a database, NULL for the
// default.
type DatabaseACLs interface {
	DatabaseACLDatum(name string) types.Datum
}

// textArrayDatum is list as a text[] value, NULL when it is empty (as
// pg_class.reloptions and pg_attribute.attoptions are without options).
func textArrayDatum(list []string) types.Datum {
	if len(list) == 0 {
		return nil
	}
	elems := make([]types.Datum, len(list))
	for i, o := range list {
		elems[i] = o
	}
	return &types.Array{Elems: elems}
}
