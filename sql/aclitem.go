package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// aclitem in statements: the ACL columns of the catalogs are aclitem[]
// (types/aclitem.go), and PostgreSQL 15's functions on them are here:
// casts to aclitem that check the roles named exist (42704 otherwise, as
// aclitemin does), makeaclitem, aclcontains and acldefault;
// aclexplode is a set-returning function (tablefunc.go). A value names
// roles by name, as its text does; the functions that give oids look the
// names up. Tables cannot have aclitem columns in cairn.

var (
	aclitemT      = types.New(types.Aclitem)
	aclitemArrayT = types.New(types.AclitemArray)
)

// bindACLItemCast binds a cast to aclitem or aclitem[]: the text is read
// as aclitemin reads it and the roles it names must exist.
func (b *binder) bindACLItemCast(e expr, tn ast.TypeName) (expr, error) {
	from := e.Type()
	if tn.Array {
		out, err := b.cast(e, aclitemArrayT, true, tn.Pos)
		if err != nil || from.ID == types.AclitemArray {
			return out, err
		}
		return &ctxFuncExpr{t: aclitemArrayT, args: []expr{out}, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
			for _, el := range a[0].(*types.Array).Elems {
				if s, ok := el.(string); ok {
					if _, err := x.checkACLItem(s); err != nil {
						return nil, err
					}
				}
			}
			return a[0], nil
		}}, nil
	}
	if from.ID == types.Aclitem {
		return e, nil
	}
	if !from.IsString() && from.ID != types.Unknown {
		return nil, pgerr.New(pgerr.CannotCoerce, "cannot cast type %s to aclitem", b.typeName(from)).WithPosition(tn.Pos)
	}
	if from.ID != types.Text {
		var err error
		if e, err = b.cast(e, textT, true, tn.Pos); err != nil {
			return nil, err
		}
	}
	return &ctxFuncExpr{t: aclitemT, args: []expr{e}, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
		return x.checkACLItem(a[0].(string))
	}}, nil
}

// checkACLItem reads s as an aclitem whose roles exist, warning as
// PostgreSQL does when it names no grantor, and returns its canonical
// text.
func (x *execCtx) checkACLItem(s string) (types.Datum, error) {
	it, err := types.ParseACLItem(s)
	if err != nil {
		return nil, err
	}
	if it.NoGrantor {
		x.notices = append(x.notices, Notice{Severity: "WARNING", Code: pgerr.InvalidGrantor,
			Message: "defaulting grantor to user ID " + strconv.Itoa(types.OIDBootstrapSuperuser)})
	}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{it.Grantee, it.Grantor} {
		if _, err := aclRoleOID(g, name); err != nil {
			return nil, err
		}
	}
	return it.String(), nil
}

// aclRoleOID is the oid of the role an aclitem names: 0 for PUBLIC (no
// name), a number for a role that no longer exists (as the ACL of an
// object shows one).
func aclRoleOID(g *roleGraph, name string) (uint32, error) {
	if name == "" {
		return catalog.PublicOID, nil
	}
	if r, ok := g.byName[name]; ok {
		return r.OID, nil
	}
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return uint32(n), nil
	}
	return 0, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
}

// aclPrivNames are the privilege names aclexplode and makeaclitem use, by
// index in types.ACLPrivLetters.
var aclPrivNames = []string{"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER",
	"EXECUTE", "USAGE", "CREATE", "TEMPORARY", "CONNECT", "SET", "ALTER SYSTEM"}

// bindACLFunc binds makeaclitem and aclcontains; ok is false for other
// names.
func (b *binder) bindACLFunc(name string, args []expr, pos int32) (expr, bool, error) {
	switch name {
	case "makeaclitem":
		// makeaclitem(grantee, grantor, privilege, is_grantable): one
		// privilege by name (PostgreSQL 15 takes one).
		if len(args) != 4 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		for i, t := range []types.T{oidT, oidT, textT, boolT} {
			if err := b.coerceArg(args, i, t, name, pos); err != nil {
				return nil, true, err
			}
		}
		return &ctxFuncExpr{t: aclitemT, args: args, fn: func(x *execCtx, a []types.Datum) (types.Datum, error) {
			return x.makeACLItem(uint32(a[0].(int64)), uint32(a[1].(int64)), a[2].(string), a[3].(bool))
		}}, true, nil
	case "aclcontains":
		// aclcontains(acl, item): an entry of acl has item's grantee and
		// grantor and at least its privileges.
		if len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		for i, t := range []types.T{aclitemArrayT, aclitemT} {
			if args[i].Type().ID == types.Unknown {
				var err error
				if args[i], err = b.bindACLItemCast(args[i], ast.TypeName{Name: "aclitem", Array: i == 0, Pos: pos}); err != nil {
					return nil, true, err
				}
			}
			if args[i].Type().ID != t.ID {
				return nil, true, undefinedFunction(name, args, pos)
			}
		}
		return &funcExpr{t: boolT, args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			want, err := types.ParseACLItem(a[1].(string))
			if err != nil {
				return nil, err
			}
			for _, el := range a[0].(*types.Array).Elems {
				s, ok := el.(string)
				if !ok {
					continue
				}
				it, err := types.ParseACLItem(s)
				if err != nil {
					return nil, err
				}
				if it.Grantee == want.Grantee && it.Grantor == want.Grantor &&
					it.Privs&want.Privs == want.Privs && it.Grant&want.Grant == want.Grant {
					return true, nil
				}
			}
			return false, nil
		}}, true, nil
	}
	return nil, false, nil
}

// makeACLItem is makeaclitem.
func (x *execCtx) makeACLItem(grantee, grantor uint32, priv string, grantable bool) (types.Datum, error) {
	word := strings.ToUpper(priv)
	it := types.ACLItemText{}
	switch word {
	case "RULE":
		// Accepted and ignored, as in PostgreSQL.
	case "TEMP":
		word = "TEMPORARY"
		fallthrough
	default:
		i := -1
		for j, n := range aclPrivNames {
			if n == word {
				i = j
			}
		}
		if i < 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "unrecognized privilege type: \"%s\"", priv)
		}
		it.Privs = 1 << i
		if grantable {
			it.Grant = it.Privs
		}
	}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	if grantee != catalog.PublicOID {
		it.Grantee = g.name(grantee)
	}
	it.Grantor = g.name(grantor)
	return it.String(), nil
}

// aclExplode is aclexplode's rows: (grantor, grantee, privilege_type,
// is_grantable) for each privilege of each entry, in the entries' order
// and the privileges' bit order.
func aclExplode(x *execCtx, a []types.Datum) ([]types.Datum, error) {
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	var out []types.Datum
	for _, el := range a[0].(*types.Array).Elems {
		s, ok := el.(string)
		if !ok {
			continue
		}
		it, err := types.ParseACLItem(s)
		if err != nil {
			return nil, err
		}
		grantee, err := aclRoleOID(g, it.Grantee)
		if err != nil {
			return nil, err
		}
		grantor, err := aclRoleOID(g, it.Grantor)
		if err != nil {
			return nil, err
		}
		for i, name := range aclPrivNames {
			if it.Privs&(1<<i) == 0 {
				continue
			}
			if err := x.grow(4 * interfaceBytes); err != nil {
				return nil, err
			}
			out = append(out, srfRow{int64(grantor), int64(grantee), name, it.Grant&(1<<i) != 0})
		}
	}
	return out, nil
}
