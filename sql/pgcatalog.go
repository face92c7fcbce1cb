package sql

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
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
//   - Types. Columns have PostgreSQL's types (oid, name, "char", arrays
//     of them; catalogtypes.go) except where cairn lacks the type:
//     int2vector columns are int2[] (pg_index.indkey is text in its
//     output form, "1 2"), aclitem[] columns text[] (aclitem's text
//     form; NULL but for initdb's schema privileges), bytea text, and
//     pg_node_tree columns (adbin, indpred) hold the expression's SQL
//     text, which pg_get_expr returns.
//   - Schemas and owners. cairn has one schema, public, beside pg_catalog,
//     and no roles: every relation is owned by oid 10, which
//     pg_get_userbyid names "postgres" (the bootstrap superuser of a fresh
//     cluster), and public by pg_database_owner, as in PostgreSQL 15.
//   - pg_class lists user relations only (tables, views, indexes); the
//     system views themselves are not listed. A primary key's index has no
//     oid of its own in cairn; it is shown as <table>_pkey with oid
//     pkIndexOIDBit|table oid. Likewise a view's _RETURN rule in
//     pg_rewrite has oid ruleOIDBit|view oid.
//   - pg_get_expr and pg_get_viewdef print defaults and view queries as
//     PostgreSQL does for the expressions package parser's deparse.go
//     and viewdef.go know; others are printed as stored.
//   - Relations cairn lacks (constraints other than primary key and
//     unique, policies, statistics objects, publications, triggers,
//     inheritance, role membership) are served empty, with PostgreSQL 15's columns; the
//     functions that look into them (pg_get_triggerdef,
//     pg_get_statisticsobjdef_columns, pg_partition_ancestors) find
//     nothing, as PostgreSQL does for an oid that names no such object.
//   - pg_database lists the databases the engine accepts (Options.Databases),
//     owned by oid 10, UTF8, C.UTF-8 (text compares by code point), no
//     template databases. pg_roles lists postgres (oid 10) alone.

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
	oidDefaultCollation  = 100
	oidCCollation        = 950
	oidDefaultTablespace = 1663
	oidGlobalTablespace  = 1664
	encodingUTF8         = 6
)

var (
	oidT  = types.New(types.OID)
	nameT = types.New(types.SysName)
	charT = types.New(types.Char)
	textT = types.New(types.Text)
	boolT = types.New(types.Bool)
	int2T = types.New(types.Int2)
	int4T = types.New(types.Int4)

	oidArrayT  = types.New(types.OIDArray)
	charArrayT = types.New(types.CharArray)
	textArrayT = types.New(types.TextArray)
	int2ArrayT = types.New(types.Int2Array)
)

func cols(spec ...any) []Column {
	out := make([]Column, 0, len(spec)/2)
	for i := 0; i < len(spec); i += 2 {
		out = append(out, Column{Name: spec[i].(string), Type: spec[i+1].(types.T)})
	}
	return out
}

// pgCatalog holds the views by name.
var pgCatalog = map[string]*sysView{}

func init() {
	for _, v := range []*sysView{
		{name: "pg_namespace", cols: cols("oid", oidT, "nspname", nameT, "nspowner", oidT, "nspacl", textArrayT), rows: namespaceRows},
		{name: "pg_am", cols: cols("oid", oidT, "amname", nameT, "amhandler", oidT, "amtype", charT), rows: func(*execCtx) ([][]types.Datum, error) {
			return [][]types.Datum{{int64(oidHeapAM), "heap", int64(3), "t"}, {int64(oidBtreeAM), "btree", int64(330), "i"}}, nil
		}},
		{name: "pg_class", cols: cols(
			"oid", oidT, "relname", nameT, "relnamespace", oidT, "reltype", oidT, "reloftype", oidT,
			"relowner", oidT, "relam", oidT, "reltablespace", oidT, "reltoastrelid", oidT,
			"relhasindex", boolT, "relpersistence", charT, "relkind", charT, "relnatts", int2T,
			"relchecks", int2T, "relhasrules", boolT, "relhastriggers", boolT, "relrowsecurity", boolT,
			"relforcerowsecurity", boolT, "relispartition", boolT, "relreplident", charT,
			"relacl", textArrayT, "reloptions", textArrayT, "relpartbound", textT), rows: classRows},
		{name: "pg_index", cols: cols(
			"indexrelid", oidT, "indrelid", oidT, "indnatts", int2T, "indnkeyatts", int2T,
			"indisunique", boolT, "indnullsnotdistinct", boolT, "indisprimary", boolT,
			"indisexclusion", boolT, "indimmediate", boolT, "indisclustered", boolT,
			"indisvalid", boolT, "indisready", boolT, "indislive", boolT, "indisreplident", boolT,
			"indkey", textT, "indexprs", textT, "indpred", textT), rows: indexRows},
		{name: "pg_attribute", cols: cols(
			"attrelid", oidT, "attname", nameT, "atttypid", oidT, "attlen", int2T, "attnum", int2T,
			"atttypmod", int4T, "attnotnull", boolT, "atthasdef", boolT, "attidentity", charT,
			"attgenerated", charT, "attisdropped", boolT, "attcollation", oidT, "attstorage", charT,
			"attcompression", charT, "attstattarget", int4T, "attacl", textArrayT), rows: attributeRows},
		{name: "pg_attrdef", cols: cols("oid", oidT, "adrelid", oidT, "adnum", int2T, "adbin", textT), rows: attrdefRows},
		{name: "pg_type", cols: cols(
			"oid", oidT, "typname", nameT, "typnamespace", oidT, "typlen", int2T, "typtype", charT,
			"typcollation", oidT, "typelem", oidT, "typarray", oidT, "typrelid", oidT,
			"typbasetype", oidT, "typnotnull", boolT, "typtypmod", int4T, "typdelim", charT), rows: typeRows},
		{name: "pg_collation", cols: cols("oid", oidT, "collname", nameT, "collnamespace", oidT), rows: func(*execCtx) ([][]types.Datum, error) {
			return [][]types.Datum{{int64(oidDefaultCollation), "default", int64(types.OIDPgCatalog)}, {int64(950), "C", int64(types.OIDPgCatalog)}, {int64(951), "POSIX", int64(types.OIDPgCatalog)}}, nil
		}},
		{name: "pg_constraint", cols: cols(
			"oid", oidT, "conname", nameT, "connamespace", oidT, "contype", charT,
			"condeferrable", boolT, "condeferred", boolT, "convalidated", boolT, "conrelid", oidT,
			"conindid", oidT, "conparentid", oidT, "confrelid", oidT), rows: constraintRows},
		{name: "pg_database", cols: cols(
			"oid", oidT, "datname", nameT, "datdba", oidT, "encoding", int4T, "datlocprovider", charT,
			"datistemplate", boolT, "datallowconn", boolT, "datconnlimit", int4T, "dattablespace", oidT,
			"datcollate", textT, "datctype", textT, "daticulocale", textT, "datacl", textArrayT), rows: databaseRows},
		{name: "pg_roles", cols: cols(
			"oid", oidT, "rolname", nameT, "rolsuper", boolT, "rolinherit", boolT, "rolcreaterole", boolT,
			"rolcreatedb", boolT, "rolcanlogin", boolT, "rolreplication", boolT, "rolbypassrls", boolT,
			"rolconnlimit", int4T, "rolvaliduntil", types.New(types.TimestampTZ)), rows: func(*execCtx) ([][]types.Datum, error) {
			return [][]types.Datum{{int64(types.OIDBootstrapSuperuser), types.UserName(types.OIDBootstrapSuperuser), true, true, true, true, true, true, true, int64(-1), nil}}, nil
		}},
		// Objects cairn does not have: always empty.
		{name: "pg_tablespace", cols: cols("oid", oidT, "spcname", nameT, "spcowner", oidT, "spcacl", textArrayT,
			"spcoptions", textArrayT), rows: func(*execCtx) ([][]types.Datum, error) {
			// initdb's two tablespaces; every relation is in the default.
			return [][]types.Datum{
				{int64(oidDefaultTablespace), "pg_default", int64(types.OIDBootstrapSuperuser), nil, nil},
				{int64(oidGlobalTablespace), "pg_global", int64(types.OIDBootstrapSuperuser), nil, nil},
			}, nil
		}},
		{name: "pg_auth_members", cols: cols("roleid", oidT, "member", oidT, "grantor", oidT, "admin_option", boolT), rows: noRows},
		{name: "pg_rewrite", cols: cols("oid", oidT, "rulename", nameT, "ev_class", oidT, "ev_type", charT,
			"ev_enabled", charT, "is_instead", boolT, "ev_qual", textT, "ev_action", textT), rows: rewriteRows},
		{name: "pg_inherits", cols: cols("inhrelid", oidT, "inhparent", oidT, "inhseqno", int4T, "inhdetachpending", boolT), rows: noRows},
		{name: "pg_policy", cols: cols("oid", oidT, "polname", nameT, "polrelid", oidT, "polcmd", charT,
			"polpermissive", boolT, "polroles", oidArrayT, "polqual", textT, "polwithcheck", textT), rows: noRows},
		{name: "pg_statistic_ext", cols: cols("oid", oidT, "stxrelid", oidT, "stxname", nameT, "stxnamespace", oidT,
			"stxowner", oidT, "stxstattarget", int4T, "stxkeys", int2ArrayT, "stxkind", charArrayT, "stxexprs", textT), rows: noRows},
		{name: "pg_trigger", cols: cols("oid", oidT, "tgrelid", oidT, "tgparentid", oidT, "tgname", nameT,
			"tgfoid", oidT, "tgtype", int2T, "tgenabled", charT, "tgisinternal", boolT, "tgconstrrelid", oidT,
			"tgconstrindid", oidT, "tgconstraint", oidT, "tgdeferrable", boolT, "tginitdeferred", boolT,
			"tgnargs", int2T, "tgattr", int2ArrayT, "tgargs", textT, "tgqual", textT, "tgoldtable", nameT,
			"tgnewtable", nameT), rows: noRows},
		{name: "pg_publication", cols: cols("oid", oidT, "pubname", nameT, "pubowner", oidT, "puballtables", boolT,
			"pubinsert", boolT, "pubupdate", boolT, "pubdelete", boolT, "pubtruncate", boolT, "pubviaroot", boolT), rows: noRows},
		{name: "pg_publication_namespace", cols: cols("oid", oidT, "pnpubid", oidT, "pnnspid", oidT), rows: noRows},
		{name: "pg_publication_rel", cols: cols("oid", oidT, "prpubid", oidT, "prrelid", oidT, "prqual", textT, "prattrs", int2ArrayT), rows: noRows},
	} {
		pgCatalog[v.name] = v
	}
}

func noRows(*execCtx) ([][]types.Datum, error) { return nil, nil }

// builtinNamespaceComment holds the descriptions initdb gives schemas.
var builtinNamespaceComment = map[int64]types.Datum{
	types.OIDPgCatalog: "system catalog schema",
	types.OIDPublic:    "standard public schema",
}

// namespaceRows lists the schemas with initdb's privileges, as
// PostgreSQL's aclitem text (cairn has no aclitem type).
func namespaceRows(*execCtx) ([][]types.Datum, error) {
	acl := func(owner string) *types.Array {
		return &types.Array{Elems: []types.Datum{owner + "=UC/" + owner, "=U/" + owner}}
	}
	return [][]types.Datum{
		{int64(types.OIDPgCatalog), "pg_catalog", int64(types.OIDBootstrapSuperuser), acl(types.UserName(types.OIDBootstrapSuperuser))},
		{int64(types.OIDPublic), "public", int64(types.OIDPgDatabaseOwner), acl(types.UserName(types.OIDPgDatabaseOwner))},
	}, nil
}

// relations is the catalog as psql sees it: tables and views, then
// indexes (a primary key's included), each with its oid.
type relations struct {
	tables  []*TableDesc // tables and views, by oid
	indexes []relIndex
}

type relIndex struct {
	oid   int64
	name  string
	table *TableDesc
	desc  IndexDesc // for a primary key: its columns, Unique set
	pk    bool
}

func loadRelations(x *execCtx) (*relations, error) {
	if x.rels != nil && x.relsSnap == x.snap {
		// A query joining catalogs, or casting many oids to regclass,
		// reads the catalog once.
		return x.rels, nil
	}
	r, err := readRelations(x)
	if err != nil {
		return nil, err
	}
	x.rels, x.relsSnap = r, x.snap
	return r, nil
}

func readRelations(x *execCtx) (*relations, error) {
	all, err := x.s.e.cat.all(x.snap)
	if err != nil {
		return nil, err
	}
	r := &relations{}
	for _, d := range all {
		if d.IndexOf == "" {
			r.tables = append(r.tables, d)
		}
	}
	sort.Slice(r.tables, func(i, j int) bool { return r.tables[i].ID < r.tables[j].ID })
	for _, t := range r.tables {
		if len(t.PK) > 0 {
			r.indexes = append(r.indexes, relIndex{oid: pkIndexOIDBit | int64(t.ID), name: t.Name + "_pkey", table: t,
				desc: IndexDesc{Columns: t.PK, Unique: true, Constraint: true}, pk: true})
		}
		for _, ix := range t.Indexes {
			r.indexes = append(r.indexes, relIndex{oid: int64(ix.ID), name: ix.Name, table: t, desc: ix})
		}
	}
	return r, nil
}

func (r *relations) index(oid int64) *relIndex {
	for i := range r.indexes {
		if r.indexes[i].oid == oid {
			return &r.indexes[i]
		}
	}
	return nil
}

func classRows(x *execCtx) ([][]types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	row := func(oid int64, name string, am int64, hasIndex bool, kind string, natts int, rules bool, replident string) []types.Datum {
		return []types.Datum{oid, name, int64(types.OIDPublic), int64(0), int64(0),
			int64(types.OIDBootstrapSuperuser), am, int64(0), int64(0),
			hasIndex, "p", kind, int64(natts),
			int64(0), rules, false, false,
			false, false, replident,
			nil, nil, nil}
	}
	var out [][]types.Datum
	for _, t := range r.tables {
		if t.View != "" {
			// A view's rows come from its _RETURN rule.
			out = append(out, row(int64(t.ID), t.Name, 0, false, "v", len(t.Columns), true, "n"))
			continue
		}
		out = append(out, row(int64(t.ID), t.Name, oidHeapAM, len(t.PK) > 0 || len(t.Indexes) > 0, "r", len(t.Columns), false, "d"))
	}
	for _, ix := range r.indexes {
		out = append(out, row(ix.oid, ix.name, oidBtreeAM, false, "i", len(ix.desc.Columns), false, "n"))
	}
	return out, nil
}

func indexRows(x *execCtx) ([][]types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, ix := range r.indexes {
		keys := make([]string, len(ix.desc.Columns))
		for i, c := range ix.desc.Columns {
			keys[i] = strconv.Itoa(c + 1)
		}
		n := int64(len(keys))
		out = append(out, []types.Datum{ix.oid, int64(ix.table.ID), n, n,
			ix.desc.Unique, false, ix.pk,
			false, true, false,
			true, true, true, false,
			strings.Join(keys, " "), nil, nil})
	}
	return out, nil
}

func attributeRows(x *execCtx) ([][]types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	attr := func(rel int64, num int, c ColumnDesc) {
		coll := int64(0)
		if c.Type.IsString() {
			coll = oidDefaultCollation
		}
		storage := "p"
		if c.Type.Size() < 0 {
			storage = "x"
			if c.Type.ID == types.Numeric {
				storage = "m"
			}
		}
		out = append(out, []types.Datum{rel, c.Name, int64(c.Type.ID), int64(c.Type.Size()), int64(num),
			int64(types.PGTypmod(c.Type)), c.NotNull, c.Default != "", "",
			"", false, coll, storage,
			"", int64(-1), nil})
	}
	for _, t := range r.tables {
		for i, c := range t.Columns {
			attr(int64(t.ID), i+1, c)
		}
	}
	for _, ix := range r.indexes {
		for i, c := range ix.desc.Columns {
			col := ix.table.Columns[c]
			col.NotNull, col.Default = false, ""
			attr(ix.oid, i+1, col)
		}
	}
	return out, nil
}

func attrdefRows(x *execCtx) ([][]types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.tables {
		for i, c := range t.Columns {
			if c.Default != "" {
				// cairn keeps no oid per default; this one is unique
				// among defaults and psql does not read it.
				out = append(out, []types.Datum{int64(t.ID)<<8 | int64(i+1), int64(t.ID), int64(i + 1), deparseDefault(c)})
			}
		}
	}
	return out, nil
}

// deparseDefault renders a column default as pg_get_expr does
// (parser.DeparseDefault); a default it cannot read is shown as written.
func deparseDefault(c ColumnDesc) string {
	out, err := parser.DeparseDefault(c.Default, c.Type)
	if err != nil {
		return c.Default
	}
	return out
}

func typeRows(*execCtx) ([][]types.Datum, error) {
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
		out = append(out, []types.Datum{int64(ct.ID), ct.Typname, int64(types.OIDPgCatalog), int64(t.Size()), "b",
			coll, int64(0), int64(ct.Array), int64(0),
			int64(0), false, int64(-1), ","})
		if ct.ID == types.SysName {
			// name is subscriptable, as an array of "char".
			out[len(out)-1][6] = int64(types.Char)
		}
		// Its array type, named with a leading underscore.
		out = append(out, []types.Datum{int64(ct.Array), "_" + ct.Typname, int64(types.OIDPgCatalog), int64(-1), "b",
			coll, int64(ct.ID), int64(0), int64(0),
			int64(0), false, int64(-1), ","})
	}
	return out, nil
}

// constraintRows lists primary key and unique constraints, the only
// constraints cairn has besides NOT NULL.
func constraintRows(x *execCtx) ([][]types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, ix := range r.indexes {
		if !ix.pk && !ix.desc.Constraint {
			continue
		}
		kind := "u"
		if ix.pk {
			kind = "p"
		}
		// cairn keeps no constraint oid apart from the index's: the
		// constraint shares its index's name and oid.
		out = append(out, []types.Datum{ix.oid, ix.name, int64(types.OIDPublic), kind,
			false, false, true, int64(ix.table.ID),
			ix.oid, int64(0), int64(0)})
	}
	return out, nil
}

func databaseRows(x *execCtx) ([][]types.Datum, error) {
	var out [][]types.Datum
	for _, d := range x.s.e.opts.Databases {
		out = append(out, []types.Datum{x.s.e.databaseOID(d), d, int64(types.OIDBootstrapSuperuser), int64(encodingUTF8), "c",
			false, true, int64(-1), int64(oidDefaultTablespace),
			"C.UTF-8", "C.UTF-8", nil, nil})
	}
	return out, nil
}

// indexDef is pg_get_indexdef(index, col, pretty) for the index with
// oid: CREATE INDEX for col 0, else the col'th key column alone.
func indexDef(x *execCtx, oid, col int64) (types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	ix := r.index(oid)
	if ix == nil {
		return nil, nil
	}
	if col > 0 {
		if col > int64(len(ix.desc.Columns)) {
			return "", nil
		}
		return parser.QuoteIdent(ix.table.Columns[ix.desc.Columns[col-1]].Name), nil
	}
	keys := make([]string, len(ix.desc.Columns))
	for i, c := range ix.desc.Columns {
		keys[i] = parser.QuoteIdent(ix.table.Columns[c].Name)
		if i < len(ix.desc.Desc) && ix.desc.Desc[i] {
			keys[i] += " DESC"
		}
	}
	unique := ""
	if ix.desc.Unique {
		unique = "UNIQUE "
	}
	return fmt.Sprintf("CREATE %sINDEX %s ON public.%s USING btree (%s)", unique, parser.QuoteIdent(ix.name), parser.QuoteIdent(ix.table.Name), strings.Join(keys, ", ")), nil
}

// constraintDef is pg_get_constraintdef for a primary key or unique
// constraint, whose oid is its index's.
func constraintDef(x *execCtx, oid int64) (types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	ix := r.index(oid)
	if ix == nil {
		return nil, nil
	}
	keys := make([]string, len(ix.desc.Columns))
	for i, c := range ix.desc.Columns {
		keys[i] = parser.QuoteIdent(ix.table.Columns[c].Name)
	}
	kind := "UNIQUE"
	if ix.pk {
		kind = "PRIMARY KEY"
	}
	return kind + " (" + strings.Join(keys, ", ") + ")", nil
}

// rewriteRows lists each view's _RETURN rule, the only rules cairn has.
// ev_action holds the view's query as SQL text.
func rewriteRows(x *execCtx) ([][]types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.tables {
		if t.View != "" {
			out = append(out, []types.Datum{ruleOIDBit | int64(t.ID), "_RETURN", int64(t.ID), "1", "O", true, "<>", t.View})
		}
	}
	return out, nil
}

// ruleDef is pg_get_ruledef(rule, true) for a view's _RETURN rule; NULL
// for an oid that names no rule.
func ruleDef(x *execCtx, oid int64) (types.Datum, error) {
	if oid&ruleOIDBit == 0 {
		return nil, nil
	}
	def, err := viewDef(x, oid&^ruleOIDBit)
	if def == nil || err != nil {
		return nil, err
	}
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	for _, t := range r.tables {
		if int64(t.ID) == oid&^ruleOIDBit {
			return "CREATE RULE \"_RETURN\" AS\n    ON SELECT TO " + parser.QuoteIdent(t.Name) + " DO INSTEAD " + def.(string), nil
		}
	}
	return nil, nil
}

// viewDef is pg_get_viewdef(view, true): PostgreSQL's rendering of the
// view's query where parser.DeparseView can produce it, else the query as
// stored. It is NULL for an oid that names no view.
func viewDef(x *execCtx, oid int64) (types.Datum, error) {
	r, err := loadRelations(x)
	if err != nil {
		return nil, err
	}
	for _, t := range r.tables {
		if int64(t.ID) != oid || t.View == "" {
			continue
		}
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = c.Name
		}
		find := func(name string) *parser.ViewTable {
			for _, d := range r.tables {
				if d.Name == name {
					vt := &parser.ViewTable{Name: d.Name, Columns: make([]parser.ViewColumn, len(d.Columns))}
					for i, c := range d.Columns {
						vt.Columns[i] = parser.ViewColumn{Name: c.Name, Type: c.Type}
					}
					return vt
				}
			}
			return nil
		}
		if s, ok := parser.DeparseView(t.View, cols, find); ok {
			return s, nil
		}
		return t.View, nil
	}
	return nil, nil
}

// coerceArg converts args[i] to t for a call of name. An argument that
// does not convert leaves args as they were: an untyped literal reports
// its input error ('x' is no oid), anything else that no such function
// exists.
func (b *binder) coerceArg(args []expr, i int, t types.T, name string, pos int32) error {
	c, err := b.coerce(args[i], t, "argument of "+name, pos)
	if err != nil {
		if args[i].Type().ID == types.Unknown {
			return err
		}
		return undefinedFunction(name, args, pos)
	}
	args[i] = c
	return nil
}

// bindCatalogFunc binds the pg_catalog functions psql's describe queries
// call. ok is false when name is none of them.
func (b *binder) bindCatalogFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	want := func(ts ...types.T) error {
		if len(args) != len(ts) {
			return undefinedFunction(name, args, pos)
		}
		for i, t := range ts {
			if err := b.coerceArg(args, i, t, name, pos); err != nil {
				return err
			}
		}
		return nil
	}
	// wantOIDPretty takes an oid and an optional "pretty" bool, which
	// is checked and dropped: cairn always prints the form psql asks for.
	wantOIDPretty := func() error {
		if len(args) == 2 {
			if err := b.coerceArg(args, 1, boolT, name, pos); err != nil {
				return err
			}
			args = args[:1]
		}
		return want(oidT)
	}
	fn := func(t types.T, f func(a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &funcExpr{t: t, args: args, strict: true, fn: f}, true, nil
	}
	withCtx := func(t types.T, f func(x *execCtx, a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &ctxFuncExpr{t: t, args: args, fn: f}, true, nil
	}
	switch name {
	case "pg_table_is_visible", "pg_type_is_visible":
		// Every relation is in public or pg_catalog, both on the path.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return fn(boolT, func([]types.Datum) (types.Datum, error) { return true, nil })
	case "pg_get_userbyid":
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return fn(nameT, func(a []types.Datum) (types.Datum, error) { return types.UserName(a[0].(int64)), nil })
	case "pg_encoding_to_char":
		if err := want(int4T); err != nil {
			return nil, true, err
		}
		return fn(nameT, func(a []types.Datum) (types.Datum, error) {
			if a[0].(int64) == encodingUTF8 {
				return "UTF8", nil
			}
			return "", nil
		})
	case "format_type":
		if err := want(oidT, int4T); err != nil {
			return nil, true, err
		}
		return &funcExpr{t: textT, args: args, fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			mod := int32(-1)
			if a[1] != nil {
				mod = int32(a[1].(int64))
			}
			t, ok := types.ByOID(a[0].(int64))
			if !ok {
				return "???", nil
			}
			t.Mod = types.FromPGTypmod(t, mod)
			return types.Format(t), nil
		}}, true, nil
	case "pg_get_expr":
		if len(args) == 3 {
			if err := b.coerceArg(args, 2, boolT, name, pos); err != nil {
				return nil, true, err
			}
			args = args[:2]
		}
		if err := want(textT, oidT); err != nil {
			return nil, true, err
		}
		return fn(textT, func(a []types.Datum) (types.Datum, error) { return a[0], nil })
	case "pg_get_indexdef":
		if err := want(oidT, int4T, boolT); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return indexDef(x, a[0].(int64), a[1].(int64)) })
	case "pg_get_constraintdef":
		if err := wantOIDPretty(); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return constraintDef(x, a[0].(int64)) })
	case "pg_get_triggerdef", "pg_get_statisticsobjdef", "pg_get_statisticsobjdef_columns", "pg_get_statisticsobjdef_expressions":
		// cairn has no triggers or statistics objects: no oid names one,
		// and for such an oid PostgreSQL returns NULL.
		check := func() error { return want(oidT) }
		if name == "pg_get_triggerdef" {
			check = wantOIDPretty
		}
		if err := check(); err != nil {
			return nil, true, err
		}
		return fn(textT, func([]types.Datum) (types.Datum, error) { return nil, nil })
	case "pg_get_viewdef":
		// Always the pretty form psql asks for, whatever the second
		// argument says.
		if err := wantOIDPretty(); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return viewDef(x, a[0].(int64)) })
	case "pg_get_ruledef":
		if err := wantOIDPretty(); err != nil {
			return nil, true, err
		}
		return withCtx(textT, func(x *execCtx, a []types.Datum) (types.Datum, error) { return ruleDef(x, a[0].(int64)) })
	case "pg_tablespace_location":
		// The built-in tablespaces live in the data directory, for which
		// PostgreSQL shows an empty location.
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return fn(textT, func(a []types.Datum) (types.Datum, error) {
			if a[0] == int64(oidDefaultTablespace) || a[0] == int64(oidGlobalTablespace) {
				return "", nil
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "tablespace with OID %d does not exist", a[0])
		})
	case "pg_relation_is_publishable":
		// As is_publishable_class: ordinary tables outside the system
		// schemas; NULL for an oid that names no relation. The argument
		// is a regclass: a relation name or an oid.
		if len(args) == 1 && args[0].Type().IsString() {
			if args[0], _, err = b.bindCatalogCast(args[0], ast.TypeName{Name: "regclass", Pos: pos}); err != nil {
				return nil, true, err
			}
		}
		if err := want(oidT); err != nil {
			return nil, true, err
		}
		return withCtx(boolT, func(x *execCtx, a []types.Datum) (types.Datum, error) {
			r, err := loadRelations(x)
			if err != nil {
				return nil, err
			}
			oid := a[0].(int64)
			for _, t := range r.tables {
				if int64(t.ID) == oid {
					return t.View == "", nil
				}
			}
			if r.index(oid) != nil {
				return false, nil
			}
			return nil, nil
		})
	case "obj_description":
		// cairn has no COMMENT ON: only the schemas initdb describes
		// have a description.
		if len(args) == 1 {
			args = append(args, &constExpr{t: nameT, v: "pg_class"})
		}
		if err := want(oidT, nameT); err != nil {
			return nil, true, err
		}
		return fn(textT, func(a []types.Datum) (types.Datum, error) {
			if a[1] == "pg_namespace" {
				return builtinNamespaceComment[a[0].(int64)], nil
			}
			return nil, nil
		})
	case "col_description", "shobj_description":
		if len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		return &constExpr{t: textT, v: nil}, true, nil
	}
	return nil, false, nil
}

// ctxFuncExpr is a strict function that reads the catalog.
type ctxFuncExpr struct {
	t    types.T
	args []expr
	fn   func(x *execCtx, a []types.Datum) (types.Datum, error)
}

func (e *ctxFuncExpr) Type() types.T { return e.t }
func (e *ctxFuncExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.args))
	for i, a := range e.args {
		v, err := a.Eval(c, row)
		if err != nil || v == nil {
			return nil, err
		}
		vals[i] = v
	}
	return e.fn(c.exec, vals)
}

// bindCatalogCast binds casts to the catalog types (catalogtypes.go):
// name, "char", oid, the reg types and arrays of them. A reg value is made
// with its name, which for regclass needs the catalog: ::regclass reads a
// relation name (or an oid) and finds the relation. ok is false for any
// other target type.
func (b *binder) bindCatalogCast(e expr, tn ast.TypeName) (out expr, ok bool, err error) {
	id, ok := map[string]types.ID{"name": types.SysName, "char": types.Char, "oid": types.OID,
		"regclass": types.Regclass, "regtype": types.Regtype, "regnamespace": types.Regnamespace, "regrole": types.Regrole}[tn.Name]
	if !ok {
		return nil, false, nil
	}
	t := types.New(id)
	if tn.Array {
		at, ok := types.ArrayOf(t)
		if !ok {
			return nil, true, pgerr.New(pgerr.FeatureNotSupported, "arrays of %s are not supported", t.Name()).WithPosition(tn.Pos)
		}
		out, err = b.cast(e, at, true, tn.Pos)
		return out, true, err
	}
	if !t.IsReg() {
		out, err = b.cast(e, t, true, tn.Pos)
		return out, true, err
	}
	from := e.Type()
	if !from.IsString() && !from.IsOIDLike() && !from.IsInteger() {
		return nil, true, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to %s", from.Name(), t.Name()).WithPosition(tn.Pos)
	}
	if from.ID == types.Bpchar || from.ID == types.Unknown {
		if e, err = b.cast(e, textT, true, tn.Pos); err != nil {
			return nil, true, err
		}
	}
	return &ctxFuncExpr{t: t, args: []expr{e}, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
		return makeReg(x, id, a[0])
	}}, true, nil
}

// castUnknown converts an expression of unknown type (or any other, as
// cast does) to t, reading a reg type's input through the catalog.
func (b *binder) castUnknown(e expr, t types.T, pos int32) (expr, error) {
	if e.Type().ID == types.Unknown && t.IsReg() {
		if _, param := e.(*paramExpr); !param {
			in, _ := types.Lookup(t.ID)
			out, _, err := b.bindCatalogCast(e, ast.TypeName{Name: in.Typname, Pos: pos})
			return out, err
		}
	}
	return b.cast(e, t, false, pos)
}

// makeReg is the reg type id's value for v: an oid, or a name to look up
// (a relation for regclass, a schema, type or role for the others).
func makeReg(x *execCtx, id types.ID, v types.Datum) (types.Datum, error) {
	relName := func(oid int64) (string, bool) {
		r, err := loadRelations(x)
		if err != nil {
			return "", false
		}
		for _, t := range r.tables {
			if int64(t.ID) == oid {
				return parser.QuoteIdent(t.Name), true
			}
		}
		if ix := r.index(oid); ix != nil {
			return parser.QuoteIdent(ix.name), true
		}
		return "", false
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
		// The relations pg_class lists: tables, views and indexes, a
		// primary key's included.
		r, err := loadRelations(x)
		if err != nil {
			return nil, err
		}
		name := regclassName(s)
		for _, t := range r.tables {
			if t.Name == name {
				return types.NewReg(id, int64(t.ID), relName), nil
			}
		}
		for _, ix := range r.indexes {
			if ix.name == name {
				return types.NewReg(id, ix.oid, relName), nil
			}
		}
		if strings.HasPrefix(s, `"`) {
			s = name
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s)
	case types.Regnamespace:
		if oid, ok := types.NamespaceOID(regclassName(s)); ok {
			return types.NewReg(id, oid, relName), nil
		}
		return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", s)
	case types.Regrole:
		for _, oid := range []int64{types.OIDBootstrapSuperuser, types.OIDPgDatabaseOwner} {
			if types.UserName(oid) == regclassName(s) {
				return types.NewReg(id, oid, relName), nil
			}
		}
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", s)
	}
	for _, ct := range types.Listed() {
		t := types.New(ct.ID)
		if ct.Typname == strings.ToLower(s) || t.Name() == strings.ToLower(s) {
			return types.NewReg(id, int64(ct.ID), relName), nil
		}
	}
	return nil, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", s)
}

// bindRegexMatch binds ~, ~*, !~ and !~*: POSIX regular expression
// matching, with Go's RE2 syntax standing in for PostgreSQL's ARE. The
// two agree on the patterns psql writes (^(name)$ with . and .*).
func (b *binder) bindRegexMatch(op string, l, r expr, pos int32) (expr, error) {
	var err error
	if l, err = b.coerceText(l, pos); err != nil {
		return nil, err
	}
	if r, err = b.coerceText(r, pos); err != nil {
		return nil, err
	}
	fold := strings.HasSuffix(op, "*")
	not := strings.HasPrefix(op, "!")
	compile := func(p string) (*regexp.Regexp, error) {
		if fold {
			p = "(?i)" + p
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, pgerr.New(pgerr.InvalidRegularExpression, "invalid regular expression: %v", err)
		}
		return re, nil
	}
	var fixed *regexp.Regexp
	if c, ok := r.(*constExpr); ok && c.v != nil {
		if fixed, err = compile(c.v.(string)); err != nil {
			return nil, err
		}
	}
	return &funcExpr{t: boolT, args: []expr{l, r}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		re := fixed
		if re == nil {
			var err error
			if re, err = compile(a[1].(string)); err != nil {
				return nil, err
			}
		}
		return re.MatchString(a[0].(string)) != not, nil
	}}, nil
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
