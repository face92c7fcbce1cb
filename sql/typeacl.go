package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Privileges on types and domains, as PostgreSQL 15 has them: USAGE, the
// one privilege a type has, which PUBLIC holds by default
// (catalog.KindType). GRANT and REVOKE ON TYPE or ON DOMAIN change a user
// type's ACL (pg_type.typacl); an array type has its element's and cannot
// be granted on. A role without USAGE on a type may still cast to it and
// read and write columns of it, but may not declare anything of the type:
// a table column (CREATE TABLE, CREATE TABLE AS, OF type, ALTER TABLE ADD
// COLUMN and ALTER COLUMN TYPE), a composite type's attribute, a domain
// over it, or a function's argument or result; each is 42501 "permission
// denied for type". Built-in types keep their default ACL: cairn does not
// store privileges on them.

// typeTargets resolves the types GRANT/REVOKE ON TYPE or ON DOMAIN names.
func (p *grantPlan) typeTargets(x *execCtx) ([]*grantTarget, error) {
	st := p.stmt
	var out []*grantTarget
	for _, tn := range st.Types {
		display := tn.Name
		if tn.Schema != "" {
			display = tn.Schema + "." + tn.Name
		}
		var d *catalog.TableDesc
		var id []byte
		if tn.Schema == "" || tn.Schema == "public" {
			var err error
			if d, id, err = x.s.e.cat.LookupType(x.snap, tn.Name); err != nil {
				return nil, err
			}
		}
		if d == nil {
			if err := x.notGrantableType(tn); err != nil {
				return nil, err
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", display)
		}
		if st.ObjType == "domain" && !d.IsDomain() {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a domain", d.Name)
		}
		out = append(out, &grantTarget{name: d.Name, kind: catalog.KindType, owner: d.OwnerOID(), acl: d.EffectiveACL(),
			userType: d, typeTuple: id, noun: "type"})
	}
	return out, nil
}

// notGrantableType is the error for a type name GRANT cannot change
// although it names a type: an array type, or a built-in type.
func (x *execCtx) notGrantableType(tn ast.TypeName) error {
	if strings.HasPrefix(tn.Name, "_") && (tn.Schema == "" || tn.Schema == "public") {
		if elem, _, err := x.s.e.cat.LookupType(x.snap, tn.Name[1:]); err != nil {
			return err
		} else if elem != nil && elem.ArrayOID() != 0 {
			return arrayTypeGrantError()
		}
	}
	if tn.Schema != "" {
		return nil
	}
	t, err := resolveColumnType(tn)
	if err != nil {
		return nil
	}
	if t.IsArray() {
		return arrayTypeGrantError()
	}
	return pgerr.New(pgerr.FeatureNotSupported, "privileges on built-in type %s are not supported", t.Name())
}

func arrayTypeGrantError() error {
	return pgerr.New(pgerr.InvalidGrantOperation, "cannot set privileges of array types").
		WithHint("Set the privileges of the element type instead.")
}

// storeTypeACL stores acl as the user type d's (stored as version old).
func storeTypeACL(x *execCtx, d *catalog.TableDesc, old []byte, acl []catalog.ACLItem) error {
	updated := cloneType(d)
	updated.SetACL(acl)
	return replaceTypeDesc(x, old, updated)
}

// declaredUserType is the user type that t (with domain dom, as
// resolveType returns them) declares: the domain, the enum or composite
// type, or an array's element type; nil for the built-in types.
func (b *binder) declaredUserType(t types.T, dom *catalog.TableDesc) (*catalog.TableDesc, error) {
	if dom != nil || b.s == nil {
		return dom, nil
	}
	if t.IsUser() {
		return b.userType(t)
	}
	if oid := compositeOID(t); oid != 0 {
		d, _, err := b.s.e.cat.TypeByOID(b.snap, oid)
		if err != nil || d == nil || d.Type == nil {
			return nil, err
		}
		return d, nil
	}
	return nil, nil
}

// checkTypeUsage refuses to declare something of type t (domain dom) to
// a role without USAGE on it; dom may be any user type's descriptor.
func (b *binder) checkTypeUsage(t types.T, dom *catalog.TableDesc) error {
	if b.s == nil || b.s.currentUser() == bootstrapName {
		return nil
	}
	d, err := b.declaredUserType(t, dom)
	if err != nil || d == nil {
		return err
	}
	c, err := b.s.checkerAt(b.snap)
	if err != nil {
		return err
	}
	if c.mask(d.EffectiveACL(), catalog.PrivUsage) == 0 {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for type %s", d.Name)
	}
	return nil
}

// checkTypeNameUsage is checkTypeUsage for the type tn names, when it
// names one (a name that does not resolve is left to the caller).
func (b *binder) checkTypeNameUsage(tn ast.TypeName) error {
	t, dom, err := b.resolveType(tn)
	if err != nil {
		return nil
	}
	return b.checkTypeUsage(t, dom)
}

// typePrivTarget resolves has_type_privilege's type argument: a name as
// regtype reads it, or an oid. acl is nil for a built-in type, which
// keeps its default ACL (USAGE for everyone); ok is false for an oid no
// type has (the function is then NULL).
func (x *execCtx) typePrivTarget(d types.Datum) (acl []catalog.ACLItem, ok bool, err error) {
	switch v := d.(type) {
	case string:
		tn, err := typeNameText(strings.TrimSpace(v))
		if err != nil {
			return nil, false, err
		}
		b := &binder{s: x.s, snap: x.snap}
		t, dom, err := b.resolveType(tn)
		if err != nil {
			return nil, false, err
		}
		ut, err := b.declaredUserType(t, dom)
		if err != nil || ut == nil {
			return nil, err == nil, err
		}
		return ut.EffectiveACL(), true, nil
	case int64:
		if _, builtin := types.ByOID(v); builtin {
			return nil, true, nil
		}
		id := uint32(v) &^ uint32(types.UserArrayBit)
		ut, _, err := x.s.e.cat.TypeByOID(x.snap, id)
		if err != nil || ut == nil || ut.Type == nil {
			return nil, false, err
		}
		return ut.EffectiveACL(), true, nil
	}
	return nil, false, pgerr.New(pgerr.DatatypeMismatch, "type argument of type %T", d)
}

var typePrivNames = map[string]catalog.Priv{"usage": catalog.PrivUsage}

// typeACLDependents are the types whose ACLs name role, as DROP ROLE's
// detail lists them.
func (x *execCtx) typeACLDependents(role uint32) ([]string, error) {
	typs, err := x.s.e.cat.Types(x.snap)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range typs {
		if !d.HasACL {
			continue
		}
		for _, it := range d.ACL {
			if it.Grantee == role || it.Grantor == role {
				out = append(out, "privileges for type "+d.Name)
				break
			}
		}
	}
	return out, nil
}
