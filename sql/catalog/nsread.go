package catalog

import (
	"sort"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// How the pg_catalog relations and the reg types see schemas: pg_namespace
// lists the built-in schemas, those users created and the temporary
// schemas of live sessions (with their pg_toast_temp_N twins, as in
// PostgreSQL); a relation's namespace oid comes from its schema; a
// regclass names a relation with its schema only when the search path
// would not find it by its bare name.

// Persistence is pg_class.relpersistence: t for a temporary relation, u
// for an unlogged one, p for the others.
func (t *TableDesc) Persistence() string {
	if t.Temp() {
		return "t"
	}
	if t.Unlogged {
		return "u"
	}
	return "p"
}

// NamespaceOID is the oid of schema ("" for public).
func (r *Relations) NamespaceOID(schema string) int64 {
	name := SchemaOrPublic(schema)
	for _, ns := range r.Namespaces {
		if ns.Name == name {
			return ns.OID
		}
	}
	if oid, ok := TempNamespaceOID(name); ok {
		return oid
	}
	return types.OIDPublic
}

// namespaceName is the name of the schema with oid.
func (r *Relations) namespaceName(oid int64) (string, bool) {
	for _, ns := range r.Namespaces {
		if ns.OID == oid {
			return ns.Name, true
		}
	}
	return "", false
}

// Visible reports whether t is what its bare name finds on the search
// path (pg_table_is_visible).
func (r *Relations) Visible(t *TableDesc) bool {
	return r.findBare(t.Name) == t
}

// findBare is the relation the search path finds under name, nil if
// none.
func (r *Relations) findBare(name string) *TableDesc {
	for _, schema := range r.Search {
		key := Key(schema, name)
		for _, t := range r.all {
			if t.Key() == key {
				return t
			}
		}
	}
	return nil
}

// qualifiedName is t's name as regclass output shows it: bare when the
// search path finds it, else schema-qualified.
func (r *Relations) qualifiedName(t *TableDesc) string {
	if r.Visible(t) {
		return parser.QuoteIdent(t.Name)
	}
	return parser.QuoteIdent(t.SchemaName()) + "." + parser.QuoteIdent(t.Name)
}

// lookupRegclass finds the relation a regclass input names (parts, from
// SplitQualifiedName): its oid, or 42P01 / 3F000.
func (r *Relations) lookupRegclass(parts []string, text string) (int64, error) {
	name := parts[len(parts)-1]
	if len(parts) == 1 {
		if oid, ok := systemRelationOID(name); ok {
			return oid, nil
		}
		if t := r.findBare(name); t != nil {
			return r.relOID(t), nil
		}
		return 0, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", text)
	}
	schema := parts[len(parts)-2]
	switch schema {
	case "pg_catalog":
		if oid, ok := systemRelationOID(name); ok {
			return oid, nil
		}
		return 0, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", text)
	case "pg_temp":
		schema = r.Temp
	}
	known := false
	for _, ns := range r.Namespaces {
		known = known || ns.Name == schema
	}
	if !known && schema != "" {
		return 0, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", parts[len(parts)-2])
	}
	key := Key(schema, name)
	for _, t := range r.all {
		if t.Key() == key {
			return r.relOID(t), nil
		}
	}
	return 0, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", text)
}

// relOID is the oid pg_class gives t: an index entry's is its index's.
func (r *Relations) relOID(t *TableDesc) int64 { return int64(t.ID) }

// namespaceRows lists the schemas with initdb's privileges, as
// PostgreSQL's aclitem text (cairn has no aclitem type).
func namespaceRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	acl := func(owner string) *types.Array {
		return &types.Array{Elems: []types.Datum{owner + "=UC/" + owner, "=U/" + owner}}
	}
	var out [][]types.Datum
	for _, ns := range r.Namespaces {
		var privs types.Datum
		switch {
		case ns.OID == types.OIDPgCatalog || ns.OID == types.OIDPublic:
			privs = acl(types.UserName(ns.Owner))
		case ns.OID == OIDInformationSchema:
			privs = &types.Array{Elems: []types.Datum{"postgres=UC/postgres", "=U/postgres"}}
		case ns.HasACL:
			privs = r.ACLDatum(ns.ACL, true)
		}
		out = append(out, []types.Datum{ns.OID, ns.Name, ns.Owner, privs})
	}
	return out, nil
}

// NamespaceComment is the COMMENT of the schema with oid, or NULL.
func (r *Relations) NamespaceComment(oid int64) types.Datum {
	for _, ns := range r.Namespaces {
		if ns.OID == oid && ns.Comment != "" {
			return ns.Comment
		}
	}
	return nil
}

// SetNamespaces gives r the schemas pg_namespace lists (besides the
// built-in ones), the schemas the search path looks in for a bare
// relation name, in order, and the session's temporary schema ("" for
// none).
func (r *Relations) SetNamespaces(user []*SchemaDesc, tempSlots []int, search []string, temp string) {
	r.Namespaces = append([]Namespace(nil), BuiltinNamespaces...)
	for _, s := range user {
		owner := int64(types.OIDBootstrapSuperuser)
		r.Namespaces = append(r.Namespaces, Namespace{OID: int64(s.OID), Name: s.Name, Owner: owner, Comment: s.Comment})
	}
	for _, n := range tempSlots {
		name := TempSchemaName(n)
		oid, _ := TempNamespaceOID(name)
		r.Namespaces = append(r.Namespaces, Namespace{OID: oid, Name: name, Owner: types.OIDBootstrapSuperuser},
			Namespace{OID: oid | toastTempBit, Name: "pg_toast_temp_" + name[len(TempSchemaPrefix):], Owner: types.OIDBootstrapSuperuser})
	}
	sort.SliceStable(r.Namespaces, func(i, j int) bool { return r.Namespaces[i].OID < r.Namespaces[j].OID })
	r.Search, r.Temp = search, temp
}

// toastTempBit marks the oid of a pg_toast_temp_N schema.
const toastTempBit = 1 << 28

// IndexVisible reports whether the search path finds index ix by its bare
// name.
func (r *Relations) IndexVisible(ix *IndexRelation) bool {
	for _, schema := range r.Search {
		if schema == ix.table.SchemaName() || schema == ix.table.Schema {
			return true
		}
		for _, other := range r.indexes {
			if other.name == ix.name && other.table.SchemaName() == schema {
				return false
			}
		}
	}
	return false
}

// SetSchemaOwners gives the schemas users created (as SetNamespaces
// listed them) their owners' oids, found by name through ownerOf, and
// their ACLs.
func (r *Relations) SetSchemaOwners(user []*SchemaDesc, ownerOf func(name string) int64) {
	for _, s := range user {
		for i := range r.Namespaces {
			if r.Namespaces[i].OID == int64(s.OID) {
				if s.Owner != "" {
					r.Namespaces[i].Owner = ownerOf(s.Owner)
				}
				r.Namespaces[i].ACL, r.Namespaces[i].HasACL = s.ACL, s.HasACL
			}
		}
	}
}
