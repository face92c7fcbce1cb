package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// The access privilege inquiry functions (has_table_privilege and its
// kin, has_function_privilege (funcacl.go), pg_has_role), as PostgreSQL 15's acl.c defines them: an optional
// role first (name or oid; the current role when left out), the object
// (name or oid), then a privilege list: comma-separated privilege names,
// any case, each optionally WITH GRANT OPTION; true when the role holds
// any of them.

// privFuncArity is how many arguments each function takes without the
// role argument.
var privFuncArity = map[string]int{
	"has_table_privilege":      2,
	"has_sequence_privilege":   2,
	"has_column_privilege":     3,
	"has_schema_privilege":     2,
	"has_database_privilege":   2,
	"pg_has_role":              2,
	"has_any_column_privilege": 2,
	"has_function_privilege":   2,
	"has_type_privilege":       2,
}

func (b *binder) bindPrivFunc(name string, args []expr, pos int32) (expr, bool, error) {
	n, ok := privFuncArity[name]
	if !ok {
		return nil, false, nil
	}
	if len(args) != n && len(args) != n+1 {
		return nil, true, undefinedFunction(name, args, pos)
	}
	for i, a := range args {
		if a.Type().ID == types.Unknown {
			var err error
			if args[i], err = b.coerce(a, types.New(types.Text), "argument", pos); err != nil {
				return nil, true, err
			}
		}
	}
	withRole := len(args) == n+1
	return &ctxFuncExpr{t: boolT, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
		g, err := x.s.roleGraph(x.snap)
		if err != nil {
			return nil, err
		}
		var role uint32
		if withRole {
			if role, err = privFuncRole(g, a[0]); err != nil {
				return nil, err
			}
			a = a[1:]
		} else {
			cur, ok := x.s.currentRoleOID(g)
			if !ok {
				return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", x.s.currentUser())
			}
			role = cur
		}
		c := g.checker(role)
		return x.privFunc(name, c, a)
	}}, true, nil
}

// privFuncRole resolves a role argument: a name or an oid.
func privFuncRole(g *roleGraph, d types.Datum) (uint32, error) {
	switch v := d.(type) {
	case string:
		if v == "public" {
			return catalog.PublicOID, nil
		}
		r, ok := g.byName[v]
		if !ok {
			return 0, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", v)
		}
		return r.OID, nil
	case int64:
		return uint32(v), nil
	}
	return 0, pgerr.New(pgerr.DatatypeMismatch, "role argument of type %T", d)
}

// parsePrivList reads a privilege list against the names allowed.
func parsePrivList(list string, allowed map[string]catalog.Priv) (catalog.Priv, catalog.Priv, error) {
	var privs, grant catalog.Priv
	for _, item := range strings.Split(list, ",") {
		word := strings.ToLower(strings.Join(strings.Fields(item), " "))
		withGrant := false
		if w, ok := strings.CutSuffix(word, " with grant option"); ok {
			word, withGrant = w, true
		} else if w, ok := strings.CutSuffix(word, " with admin option"); ok {
			word, withGrant = w, true
		}
		p, ok := allowed[word]
		if !ok {
			return 0, 0, pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", strings.TrimSpace(item))
		}
		if withGrant {
			grant |= p
		} else {
			privs |= p
		}
	}
	return privs, grant, nil
}

var (
	tablePrivNames = map[string]catalog.Priv{"select": catalog.PrivSelect, "insert": catalog.PrivInsert, "update": catalog.PrivUpdate,
		"delete": catalog.PrivDelete, "truncate": catalog.PrivTruncate, "references": catalog.PrivReferences, "trigger": catalog.PrivTrigger}
	columnPrivNames   = map[string]catalog.Priv{"select": catalog.PrivSelect, "insert": catalog.PrivInsert, "update": catalog.PrivUpdate, "references": catalog.PrivReferences}
	sequencePrivNames = map[string]catalog.Priv{"usage": catalog.PrivUsage, "select": catalog.PrivSelect, "update": catalog.PrivUpdate}
	schemaPrivNames   = map[string]catalog.Priv{"usage": catalog.PrivUsage, "create": catalog.PrivCreate}
	databasePrivNames = map[string]catalog.Priv{"create": catalog.PrivCreate, "connect": catalog.PrivConnect,
		"temporary": catalog.PrivTemporary, "temp": catalog.PrivTemporary}
	rolePrivNames     = map[string]catalog.Priv{"member": catalog.PrivSelect, "usage": catalog.PrivUsage}
	functionPrivNames = map[string]catalog.Priv{"execute": catalog.PrivExecute}
)

// holds reports whether c's role holds any of privs, or of grant with
// the grant option, in acl.
func (c *privChecker) holds(acl []catalog.ACLItem, holders map[uint32]bool, privs, grant catalog.Priv) bool {
	if c.super && c.role != catalog.PublicOID {
		return true
	}
	return catalog.Mask(acl, holders, privs, false) != 0 || catalog.Mask(acl, holders, grant, true) != 0
}

// privRelation resolves a relation argument: a name or an oid.
func (x *execCtx) privRelation(d types.Datum) (*catalog.TableDesc, error) {
	switch v := d.(type) {
	case string:
		parts := catalog.SplitQualifiedName(v)
		key := v
		switch len(parts) {
		case 1:
			key = parts[0]
		case 2:
			key = catalog.QualifiedName(parts[0], parts[1])
		}
		desc, _, err := x.s.lookupRel(x.snap, key)
		if err != nil {
			return nil, err
		}
		if desc == nil {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", v)
		}
		return desc, nil
	case int64:
		all, err := x.s.e.cat.All(x.snap)
		if err != nil {
			return nil, err
		}
		for _, d := range all {
			if int64(d.ID) == v {
				return d, nil
			}
		}
		return nil, nil
	}
	return nil, pgerr.New(pgerr.DatatypeMismatch, "relation argument of type %T", d)
}

func (x *execCtx) privFunc(name string, c *privChecker, a []types.Datum) (types.Datum, error) {
	holders := c.holders
	if c.role == catalog.PublicOID {
		holders = map[uint32]bool{}
	}
	switch name {
	case "has_table_privilege", "has_sequence_privilege", "has_column_privilege", "has_any_column_privilege":
		desc, err := x.privRelation(a[0])
		if err != nil || desc == nil {
			return nil, err
		}
		names := tablePrivNames
		switch {
		case name == "has_sequence_privilege":
			if desc.Sequence == nil {
				return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", desc.Name)
			}
			names = sequencePrivNames
		case name != "has_table_privilege":
			names = columnPrivNames
		case desc.Sequence != nil:
			names = sequencePrivNames
			for k, v := range tablePrivNames {
				if _, ok := names[k]; !ok {
					names = copyPrivNames(names)
					names[k] = v
				}
			}
		}
		list := a[len(a)-1].(string)
		privs, grant, err := parsePrivList(list, names)
		if err != nil {
			return nil, err
		}
		if c.holds(desc.EffectiveACL(), holders, privs, grant) || c.allDataRelPrivs(privs) != 0 {
			return true, nil
		}
		switch name {
		case "has_column_privilege":
			col, ok := a[1].(string)
			if !ok {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "has_column_privilege with a column number is not supported")
			}
			i := desc.ColumnIndex(col)
			if i < 0 {
				return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", col, desc.Name)
			}
			return c.holds(desc.Columns[i].ACL, holders, privs, grant), nil
		case "has_any_column_privilege":
			for _, col := range desc.Columns {
				if c.holds(col.ACL, holders, privs, grant) {
					return true, nil
				}
			}
		}
		return false, nil
	case "has_schema_privilege":
		sname, _ := a[0].(string)
		privs, grant, err := parsePrivList(a[1].(string), schemaPrivNames)
		if err != nil {
			return nil, err
		}
		ok, err := x.s.schemaExists(x.snap, sname)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", sname)
		}
		acl, _, found, err := x.schemaACL(c.g, sname)
		if err != nil {
			return nil, err
		}
		if !found {
			return true, nil
		}
		sh := holders
		if c.role != catalog.PublicOID {
			sh = c.schemaHolders()
		}
		return c.holds(acl, sh, privs, grant) || c.allDataSchemaPrivs(privs) != 0, nil
	case "has_database_privilege":
		dname, _ := a[0].(string)
		privs, grant, err := parsePrivList(a[1].(string), databasePrivNames)
		if err != nil {
			return nil, err
		}
		if dname != x.s.database {
			known := false
			for _, d := range x.s.e.opts.Databases {
				known = known || d == dname
			}
			if !known {
				return nil, pgerr.New(pgerr.InvalidCatalogName, "database \"%s\" does not exist", dname)
			}
		}
		acl, _, err := x.s.e.databaseACL(x.snap, dname)
		if err != nil {
			return nil, err
		}
		return c.holds(acl, holders, privs, grant), nil
	case "has_function_privilege":
		f, ok, err := x.privFunction(a[0])
		if err != nil || !ok {
			return nil, err
		}
		privs, grant, err := parsePrivList(a[1].(string), functionPrivNames)
		if err != nil {
			return nil, err
		}
		acl, err := x.functionACL(f)
		if err != nil {
			return nil, err
		}
		return c.holds(acl, holders, privs, grant), nil
	case "has_type_privilege":
		acl, ok, err := x.typePrivTarget(a[0])
		if err != nil || !ok {
			return nil, err
		}
		privs, grant, err := parsePrivList(a[1].(string), typePrivNames)
		if err != nil {
			return nil, err
		}
		if acl == nil {
			acl = catalog.DefaultACL(catalog.KindType, bootstrapOID)
		}
		return c.holds(acl, holders, privs, grant), nil
	case "pg_has_role":
		target, err := privFuncRole(c.g, a[0])
		if err != nil {
			return nil, err
		}
		list := strings.ToLower(strings.TrimSpace(a[1].(string)))
		for _, item := range strings.Split(list, ",") {
			switch strings.Join(strings.Fields(item), " ") {
			case "member":
				if c.g.isMemberOf(c.role, target) {
					return true, nil
				}
			case "usage":
				if c.g.hasPrivsOf(c.role, target) {
					return true, nil
				}
			case "member with admin option", "member with grant option", "usage with admin option", "usage with grant option":
				if c.g.isAdminOf(c.role, target) {
					return true, nil
				}
			default:
				return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", strings.TrimSpace(item))
			}
		}
		return false, nil
	}
	return nil, pgerr.New(pgerr.InternalError, "no privilege function %s", name)
}

func copyPrivNames(m map[string]catalog.Priv) map[string]catalog.Priv {
	out := make(map[string]catalog.Priv, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
