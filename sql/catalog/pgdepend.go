package catalog

import (
	"slices"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// pg_depend, pg_description and pg_language, computed from what cairn
// has, and the catalogs of objects cairn does not have, served empty.
//
// pg_depend lists the dependencies cairn's objects have, with
// PostgreSQL's classes and dependency types:
//
//   - a view's _RETURN rule is part of its view (deptype i) and depends
//     on each relation its query reads (n). PostgreSQL records one row per
//     column the query uses; cairn one per relation (refobjsubid 0),
//     since it tracks dependencies by relation (depend.go).
//   - a CHECK constraint depends on the columns it reads (a); a FOREIGN
//     KEY on its columns (a), the referenced columns and their unique
//     index (n).
//   - an index depends on each column it indexes (a); a constraint's
//     index (primary key or UNIQUE) is part of its constraint (i), which
//     depends on the columns (a). cairn's constraint shares its index's
//     oid (constraintRows).
//
// pg_description holds the comments initdb gives the two schemas (cairn
// has no COMMENT), pg_init_privs the privileges it gives them. pg_language lists
// PostgreSQL's four languages (internal, c, sql, plpgsql) with their oids.

const (
	classPgClass      = 1259
	classPgAttrdef    = 2604
	classPgConstraint = 2606
	classPgNamespace  = 2615
	classPgRewrite    = 2618
)

func dependRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*TableDesc, len(r.Tables))
	for _, t := range r.Tables {
		byName[t.Key()] = t
	}
	dep := func(classid, objid int64, objsubid int, refclassid, refobjid int64, refobjsubid int, deptype string) []types.Datum {
		return []types.Datum{classid, objid, int64(objsubid), refclassid, refobjid, int64(refobjsubid), deptype}
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.View == "" {
			continue
		}
		rule := ruleOIDBit | int64(t.ID)
		out = append(out, dep(classPgRewrite, rule, 0, classPgClass, int64(t.ID), 0, "i"))
		stmts, err := rd.ParseStored(t.View)
		if err != nil || len(stmts) != 1 {
			continue // a view whose query does not parse depends on nothing
		}
		q, ok := stmts[0].Stmt.(*ast.SelectStmt)
		if !ok {
			continue
		}
		rels := make(map[string]bool)
		relationsOf(q, rels)
		for _, on := range r.Tables {
			if readsRelation(rels, t, on) && on.ID != t.ID {
				out = append(out, dep(classPgRewrite, rule, 0, classPgClass, int64(on.ID), 0, "n"))
			}
		}
	}
	for _, t := range r.Tables {
		// A CHECK constraint depends on the columns it reads, a FOREIGN
		// KEY on its columns (a), the referenced columns and the unique
		// index it finds their rows by (n): pg_dump orders a restore,
		// parallel too, by these.
		for _, c := range t.Checks {
			for _, col := range checkColumns(t, c.Expr) {
				out = append(out, dep(classPgConstraint, int64(c.ID), 0, classPgClass, int64(t.ID), col+1, "a"))
			}
		}
		for _, f := range t.ForeignKeys {
			for _, col := range f.Columns {
				out = append(out, dep(classPgConstraint, int64(f.ID), 0, classPgClass, int64(t.ID), col+1, "a"))
			}
			parent := byName[f.RefTable]
			if parent == nil {
				continue
			}
			for _, col := range f.RefColumns {
				out = append(out, dep(classPgConstraint, int64(f.ID), 0, classPgClass, int64(parent.ID), col+1, "n"))
			}
			if idx := referencedIndexOID(parent, f.RefColumns); idx != 0 {
				out = append(out, dep(classPgConstraint, int64(f.ID), 0, classPgClass, idx, 0, "n"))
			}
		}
	}
	for _, ix := range r.indexes {
		table := int64(ix.table.ID)
		if ix.pk || ix.desc.Constraint {
			out = append(out, dep(classPgClass, ix.oid, 0, classPgConstraint, ix.oid, 0, "i"))
			for _, c := range ix.desc.Columns {
				out = append(out, dep(classPgConstraint, ix.oid, 0, classPgClass, table, c+1, "a"))
			}
			continue
		}
		for _, c := range ix.desc.Columns {
			if c >= 0 {
				out = append(out, dep(classPgClass, ix.oid, 0, classPgClass, table, c+1, "a"))
			}
		}
		// The columns the index's expressions and predicate read.
		for i, col := range ix.table.Columns {
			for _, text := range append(slices.Clone(ix.desc.Exprs), ix.desc.Predicate) {
				if text != "" && parser.MentionsColumn(text, col.Name) {
					out = append(out, dep(classPgClass, ix.oid, 0, classPgClass, table, i+1, "a"))
					break
				}
			}
		}
	}
	seqs, err := sequenceDependRows(rd)
	if err != nil {
		return nil, err
	}
	fdeps, err := userFunctionDependRows(rd, r)
	if err != nil {
		return nil, err
	}
	out = append(out, fdeps...)
	return append(out, seqs...), nil
}

func descriptionRows(rd Reader) ([][]types.Datum, error) {
	var out [][]types.Datum
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, ns := range r.Namespaces {
		if c := r.NamespaceComment(ns.OID); c != nil {
			out = append(out, []types.Datum{ns.OID, int64(classPgNamespace), int64(0), c})
		}
	}
	for _, t := range r.Tables {
		if t.Comment != "" {
			out = append(out, []types.Datum{int64(t.ID), int64(OIDPgClass), int64(0), t.Comment})
		}
		for i, c := range t.Columns {
			if c.Comment != "" {
				out = append(out, []types.Datum{int64(t.ID), int64(OIDPgClass), int64(i + 1), c.Comment})
			}
		}
		for _, c := range t.Checks {
			if c.Comment != "" {
				out = append(out, []types.Datum{int64(c.ID), int64(classPgConstraint), int64(0), c.Comment})
			}
		}
		for _, f := range t.ForeignKeys {
			if f.Comment != "" {
				out = append(out, []types.Datum{int64(f.ID), int64(classPgConstraint), int64(0), f.Comment})
			}
		}
		for _, g := range t.Triggers {
			if g.Comment != "" {
				out = append(out, []types.Datum{int64(g.OID), int64(classPgTrigger), int64(0), g.Comment})
			}
		}
	}
	for _, ix := range r.indexes {
		if c := ix.comment(); c != "" {
			out = append(out, []types.Datum{ix.oid, int64(OIDPgClass), int64(0), c})
		}
		c := ix.desc.ConstraintComment
		if ix.pk {
			c = ix.table.PKConstraintComment
		}
		if c != "" {
			out = append(out, []types.Datum{ix.oid, int64(classPgConstraint), int64(0), c})
		}
	}
	fd, err := userFunctionDescriptions(rd)
	if err != nil {
		return nil, err
	}
	out = append(out, fd...)
	return append(out, typeDescriptionRows(r)...), nil
}

// Description is obj_description(oid, 'pg_class') and, with a column
// number above 0, col_description(oid, column): the comment, or NULL.
func Description(rd Reader, oid int64, column int64) (types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	for _, t := range r.Tables {
		if int64(t.ID) != oid {
			continue
		}
		text := t.Comment
		if column > 0 {
			text = ""
			if column <= int64(len(t.Columns)) {
				text = t.Columns[column-1].Comment
			}
		}
		if text == "" {
			return nil, nil
		}
		return text, nil
	}
	if ix := r.Index(oid); ix != nil && column == 0 {
		if c := ix.comment(); c != "" {
			return c, nil
		}
	}
	return nil, nil
}

// initPrivsRows is pg_init_privs: the privileges initdb gave the schemas
// (cairn has no GRANT, so they are still the schemas' own).
func initPrivsRows(rd Reader) ([][]types.Datum, error) {
	ns, err := namespaceRows(rd)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, n := range ns {
		if n[3] != nil {
			out = append(out, []types.Datum{n[0], int64(classPgNamespace), int64(0), "i", n[3]})
		}
	}
	return out, nil
}

// oidInternalLanguage is pg_language's internal, PostgreSQL's oid 12.
const oidInternalLanguage = 12

func init() {
	aclT := aclArrayT
	for _, v := range []*SystemView{
		{Name: "pg_depend", Columns: Cols("classid", oidT, "objid", oidT, "objsubid", int4T, "refclassid", oidT,
			"refobjid", oidT, "refobjsubid", int4T, "deptype", charT), Rows: dependRows},
		{Name: "pg_description", Columns: Cols("objoid", oidT, "classoid", oidT, "objsubid", int4T, "description", textT),
			Rows: descriptionRows},
		{Name: "pg_language", Columns: Cols("oid", oidT, "lanname", nameT, "lanowner", oidT, "lanispl", boolT,
			"lanpltrusted", boolT, "lanplcallfoid", oidT, "laninline", oidT, "lanvalidator", oidT, "lanacl", aclT),
			Rows: languageRows},
		// Objects cairn does not have: always empty (pg_proc: the
		// built-in functions of pgproc.go).
		{Name: "pg_extension", Columns: Cols("oid", oidT, "extname", nameT, "extowner", oidT, "extnamespace", oidT,
			"extrelocatable", boolT, "extversion", textT, "extconfig", oidArrayT, "extcondition", textArrayT), Rows: noRows},
		{Name: "pg_proc", Columns: Cols("oid", oidT, "proname", nameT, "pronamespace", oidT, "proowner", oidT,
			"prolang", oidT, "procost", types.New(types.Float8), "prorows", types.New(types.Float8), "provariadic", oidT, "prosupport", types.New(types.Regproc),
			"prokind", charT, "prosecdef", boolT, "proleakproof", boolT, "proisstrict", boolT, "proretset", boolT,
			"provolatile", charT, "proparallel", charT, "pronargs", int2T, "pronargdefaults", int2T,
			"prorettype", oidT, "proargtypes", types.New(types.OIDVector), "proallargtypes", oidArrayT, "proargmodes", charArrayT,
			"proargnames", textArrayT, "proargdefaults", textT, "protrftypes", oidArrayT, "prosrc", textT,
			"probin", textT, "prosqlbody", textT, "proconfig", textArrayT, "proacl", aclT), Rows: procRows},
		{Name: "pg_operator", Columns: Cols("oid", oidT, "oprname", nameT, "oprnamespace", oidT, "oprowner", oidT,
			"oprkind", charT, "oprcanmerge", boolT, "oprcanhash", boolT, "oprleft", oidT, "oprright", oidT,
			"oprresult", oidT, "oprcom", oidT, "oprnegate", oidT, "oprcode", oidT, "oprrest", oidT, "oprjoin", oidT), Rows: operatorRows},
		{Name: "pg_opclass", Columns: Cols("oid", oidT, "opcmethod", oidT, "opcname", nameT, "opcnamespace", oidT,
			"opcowner", oidT, "opcfamily", oidT, "opcintype", oidT, "opcdefault", boolT, "opckeytype", oidT), Rows: noRows},
		{Name: "pg_opfamily", Columns: Cols("oid", oidT, "opfmethod", oidT, "opfname", nameT, "opfnamespace", oidT,
			"opfowner", oidT), Rows: noRows},
		{Name: "pg_amop", Columns: Cols("oid", oidT, "amopfamily", oidT, "amoplefttype", oidT, "amoprighttype", oidT,
			"amopstrategy", int2T, "amoppurpose", charT, "amopopr", oidT, "amopmethod", oidT, "amopsortfamily", oidT), Rows: noRows},
		{Name: "pg_amproc", Columns: Cols("oid", oidT, "amprocfamily", oidT, "amproclefttype", oidT,
			"amprocrighttype", oidT, "amprocnum", int2T, "amproc", oidT), Rows: noRows},
		{Name: "pg_ts_parser", Columns: Cols("oid", oidT, "prsname", nameT, "prsnamespace", oidT, "prsstart", oidT,
			"prstoken", oidT, "prsend", oidT, "prsheadline", oidT, "prslextype", oidT), Rows: noRows},
		{Name: "pg_ts_template", Columns: Cols("oid", oidT, "tmplname", nameT, "tmplnamespace", oidT,
			"tmplinit", oidT, "tmpllexize", oidT), Rows: noRows},
		{Name: "pg_ts_dict", Columns: Cols("oid", oidT, "dictname", nameT, "dictnamespace", oidT, "dictowner", oidT,
			"dicttemplate", oidT, "dictinitoption", textT), Rows: noRows},
		{Name: "pg_ts_config", Columns: Cols("oid", oidT, "cfgname", nameT, "cfgnamespace", oidT, "cfgowner", oidT,
			"cfgparser", oidT), Rows: noRows},
		{Name: "pg_foreign_data_wrapper", Columns: Cols("oid", oidT, "fdwname", nameT, "fdwowner", oidT,
			"fdwhandler", oidT, "fdwvalidator", oidT, "fdwacl", aclT, "fdwoptions", textArrayT), Rows: noRows},
		{Name: "pg_foreign_server", Columns: Cols("oid", oidT, "srvname", nameT, "srvowner", oidT, "srvfdw", oidT,
			"srvtype", textT, "srvversion", textT, "srvacl", aclT, "srvoptions", textArrayT), Rows: noRows},
		{Name: "pg_foreign_table", Columns: Cols("ftrelid", oidT, "ftserver", oidT, "ftoptions", textArrayT), Rows: noRows},
		{Name: "pg_default_acl", Columns: Cols("oid", oidT, "defaclrole", oidT, "defaclnamespace", oidT,
			"defaclobjtype", charT, "defaclacl", aclT), Rows: noRows},
		{Name: "pg_conversion", Columns: Cols("oid", oidT, "conname", nameT, "connamespace", oidT, "conowner", oidT,
			"conforencoding", int4T, "contoencoding", int4T, "conproc", oidT, "condefault", boolT), Rows: noRows},
		{Name: "pg_cast", Columns: Cols("oid", oidT, "castsource", oidT, "casttarget", oidT, "castfunc", oidT,
			"castcontext", charT, "castmethod", charT), Rows: noRows},
		{Name: "pg_transform", Columns: Cols("oid", oidT, "trftype", oidT, "trflang", oidT, "trffromsql", oidT,
			"trftosql", oidT), Rows: noRows},
		{Name: "pg_range", Columns: Cols("rngtypid", oidT, "rngsubtype", oidT, "rngmultitypid", oidT,
			"rngcollation", oidT, "rngsubopc", oidT, "rngcanonical", oidT, "rngsubdiff", oidT), Rows: noRows},
		{Name: "pg_event_trigger", Columns: Cols("oid", oidT, "evtname", nameT, "evtevent", nameT, "evtowner", oidT,
			"evtfoid", oidT, "evtenabled", charT, "evttags", textArrayT), Rows: noRows},
		{Name: "pg_largeobject_metadata", Columns: Cols("oid", oidT, "lomowner", oidT, "lomacl", aclT), Rows: noRows},
		{Name: "pg_init_privs", Columns: Cols("objoid", oidT, "classoid", oidT, "objsubid", int4T, "privtype", charT,
			"initprivs", aclT), Rows: initPrivsRows},
		{Name: "pg_shseclabel", Columns: Cols("objoid", oidT, "classoid", oidT, "provider", textT, "label", textT), Rows: noRows},
		{Name: "pg_shdescription", Columns: Cols("objoid", oidT, "classoid", oidT, "description", textT), Rows: noRows},
		{Name: "pg_seclabels", Columns: Cols("objoid", oidT, "classoid", oidT, "objsubid", int4T, "objtype", textT,
			"objnamespace", oidT, "objname", textT, "provider", textT, "label", textT), Rows: noRows},
		{Name: "pg_subscription", Columns: Cols("oid", oidT, "subdbid", oidT, "subname", nameT, "subowner", oidT,
			"subenabled", boolT, "subbinary", boolT, "substream", boolT, "subtwophasestate", charT,
			"subdisableonerr", boolT, "subconninfo", textT, "subslotname", nameT, "subsynccommit", textT,
			"subpublications", textArrayT), Rows: noRows},
		{Name: "pg_partitioned_table", Columns: Cols("partrelid", oidT, "partstrat", charT, "partnatts", int2T,
			"partdefid", oidT, "partattrs", textT, "partclass", oidArrayT, "partcollation", oidArrayT,
			"partexprs", textT), Rows: partitionedRows},
	} {
		pgCatalog[v.Name] = v
	}
}
