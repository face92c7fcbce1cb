package catalog

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Access control lists, as PostgreSQL keeps them (acl.h, acl.c): an
// object's ACL is a list of items, each giving one grantee (a role, or
// PUBLIC) the privileges one grantor granted, with, per privilege, whether
// it may be granted on (WITH GRANT OPTION). A nil ACL is the default one
// (relacl NULL), which DefaultACL spells out: the owner holds every
// privilege of the object's kind and, for a few kinds, PUBLIC some.
//
// Items print as PostgreSQL prints aclitem: grantee=privileges/grantor,
// the grantee empty for PUBLIC, each privilege a letter followed by * when
// it carries the grant option: postgres=arwdDxt/postgres, =r/postgres,
// bob=r*w/postgres.

// Priv is a set of privileges, with PostgreSQL's bit values (ACL_INSERT
// ... ACL_CONNECT).
type Priv uint16

// The privileges, in the order ACLs print them.
const (
	PrivInsert     Priv = 1 << iota // a
	PrivSelect                      // r
	PrivUpdate                      // w
	PrivDelete                      // d
	PrivTruncate                    // D
	PrivReferences                  // x
	PrivTrigger                     // t
	PrivExecute                     // X
	PrivUsage                       // U
	PrivCreate                      // C
	PrivTemporary                   // T
	PrivConnect                     // c
)

// privLetters are the letters of the privileges, in bit order.
const privLetters = "arwdDxtXUCTc"

// The privileges each kind of object has (ACL_ALL_RIGHTS_*).
const (
	AllRelationPrivs Priv = PrivInsert | PrivSelect | PrivUpdate | PrivDelete | PrivTruncate | PrivReferences | PrivTrigger
	AllSequencePrivs Priv = PrivUsage | PrivSelect | PrivUpdate
	AllSchemaPrivs   Priv = PrivUsage | PrivCreate
	AllDatabasePrivs Priv = PrivCreate | PrivTemporary | PrivConnect
	AllColumnPrivs   Priv = PrivInsert | PrivSelect | PrivUpdate | PrivReferences
	AllFunctionPrivs Priv = PrivExecute
)

// PublicOID stands for PUBLIC as a grantee (ACL_ID_PUBLIC).
const PublicOID = 0

// ACLItem is one item of an ACL.
type ACLItem struct {
	Grantee uint32 `json:"e"` // PublicOID for PUBLIC
	Grantor uint32 `json:"o"`
	Privs   Priv   `json:"p"`
	// Grant holds the privileges of Privs that carry the grant option.
	Grant Priv `json:"g,omitempty"`
}

// ObjectKind is what kind of object an ACL belongs to; it decides the
// default ACL and which privileges exist.
type ObjectKind uint8

// The kinds of objects with ACLs.
const (
	KindRelation ObjectKind = iota
	KindSequence
	KindSchema
	KindDatabase
	KindColumn
	KindFunction
	// KindType is a user-defined type's or domain's (pg_type.typacl).
	KindType
)

// AllPrivs is every privilege an object of kind k has.
func (k ObjectKind) AllPrivs() Priv {
	switch k {
	case KindSequence:
		return AllSequencePrivs
	case KindSchema:
		return AllSchemaPrivs
	case KindDatabase:
		return AllDatabasePrivs
	case KindColumn:
		return AllColumnPrivs
	case KindFunction:
		return AllFunctionPrivs
	case KindType:
		return PrivUsage
	}
	return AllRelationPrivs
}

// DefaultACL is the ACL an object of kind k owned by owner has while its
// stored ACL is nil (acldefault): the owner holds every privilege;
// PUBLIC may connect to a database and create temporary tables in it,
// execute a function, and use a type.
// A column's default ACL is empty: its table's ACL applies.
func DefaultACL(k ObjectKind, owner uint32) []ACLItem {
	switch k {
	case KindColumn:
		return nil
	case KindDatabase:
		return []ACLItem{{Grantee: PublicOID, Grantor: owner, Privs: PrivTemporary | PrivConnect},
			{Grantee: owner, Grantor: owner, Privs: AllDatabasePrivs}}
	case KindFunction:
		return []ACLItem{{Grantee: PublicOID, Grantor: owner, Privs: PrivExecute},
			{Grantee: owner, Grantor: owner, Privs: PrivExecute}}
	case KindType:
		return []ACLItem{{Grantee: PublicOID, Grantor: owner, Privs: PrivUsage},
			{Grantee: owner, Grantor: owner, Privs: PrivUsage}}
	}
	return []ACLItem{{Grantee: owner, Grantor: owner, Privs: k.AllPrivs()}}
}

// Effective is the ACL that applies: acl, or the default one when nil.
func Effective(acl []ACLItem, k ObjectKind, owner uint32) []ACLItem {
	if acl == nil {
		return DefaultACL(k, owner)
	}
	return acl
}

// Mask returns the privileges of want that acl gives to a role that has
// the privileges of the roles in holders (itself and the roles it
// inherits from) and of PUBLIC; grantOption asks for the privileges held
// with the grant option instead.
func Mask(acl []ACLItem, holders map[uint32]bool, want Priv, grantOption bool) Priv {
	var got Priv
	for _, it := range acl {
		if it.Grantee != PublicOID && !holders[it.Grantee] {
			continue
		}
		if grantOption {
			got |= it.Grant
		} else {
			got |= it.Privs
		}
	}
	return got & want
}

// Grant returns acl (made explicit from the default when nil) with privs
// given to grantee by grantor, withGrant adding the grant option. acl is
// not modified.
func Grant(acl []ACLItem, grantee, grantor uint32, privs Priv, withGrant bool) []ACLItem {
	out := append([]ACLItem(nil), acl...)
	for i := range out {
		if out[i].Grantee == grantee && out[i].Grantor == grantor {
			out[i].Privs |= privs
			if withGrant {
				out[i].Grant |= privs
			}
			return out
		}
	}
	it := ACLItem{Grantee: grantee, Grantor: grantor, Privs: privs}
	if withGrant {
		it.Grant = privs
	}
	return append(out, it)
}

// Revoke returns acl with privs (or only their grant option, when
// grantOnly is set) that grantor gave grantee taken away; an item left
// with no privileges goes. acl is not modified.
func Revoke(acl []ACLItem, grantee, grantor uint32, privs Priv, grantOnly bool) []ACLItem {
	out := make([]ACLItem, 0, len(acl))
	for _, it := range acl {
		if it.Grantee == grantee && it.Grantor == grantor {
			it.Grant &^= privs
			if !grantOnly {
				it.Privs &^= privs
			}
			if it.Privs == 0 {
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// GrantedBy returns the privileges grantor gave grantee in acl.
func GrantedBy(acl []ACLItem, grantee, grantor uint32) (privs, grant Priv) {
	for _, it := range acl {
		if it.Grantee == grantee && it.Grantor == grantor {
			privs |= it.Privs
			grant |= it.Grant
		}
	}
	return privs, grant
}

// ReplaceRole returns acl with every mention of role from made one of
// role to, merging items that become the same grantee and grantor, as
// ALTER ... OWNER TO does for the old owner (aclnewowner).
func ReplaceRole(acl []ACLItem, from, to uint32) []ACLItem {
	var out []ACLItem
	for _, it := range acl {
		if it.Grantee == from {
			it.Grantee = to
		}
		if it.Grantor == from {
			it.Grantor = to
		}
		merged := false
		for i := range out {
			if out[i].Grantee == it.Grantee && out[i].Grantor == it.Grantor {
				out[i].Privs |= it.Privs
				out[i].Grant |= it.Grant
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, it)
		}
	}
	return out
}

// PrivString spells privs as aclitem does, * after each one of grant.
func PrivString(privs, grant Priv) string {
	var b strings.Builder
	for i := 0; i < len(privLetters); i++ {
		bit := Priv(1) << i
		if privs&bit != 0 {
			b.WriteByte(privLetters[i])
			if grant&bit != 0 {
				b.WriteByte('*')
			}
		}
	}
	return b.String()
}

// Format spells it as aclitem's text form, naming roles through name.
func (it ACLItem) Format(name func(oid uint32) string) string {
	grantee := ""
	if it.Grantee != PublicOID {
		grantee = quoteACLName(name(it.Grantee))
	}
	return grantee + "=" + PrivString(it.Privs, it.Grant) + "/" + quoteACLName(name(it.Grantor))
}

// quoteACLName quotes a role name as putid does (types.ACLName).
func quoteACLName(s string) string { return types.ACLName(s) }

// ParsePrivilege maps a privilege's name in GRANT (lower case) to its
// bit.
func ParsePrivilege(name string) (Priv, error) {
	switch name {
	case "insert":
		return PrivInsert, nil
	case "select":
		return PrivSelect, nil
	case "update":
		return PrivUpdate, nil
	case "delete":
		return PrivDelete, nil
	case "truncate":
		return PrivTruncate, nil
	case "references":
		return PrivReferences, nil
	case "trigger":
		return PrivTrigger, nil
	case "execute":
		return PrivExecute, nil
	case "usage":
		return PrivUsage, nil
	case "create":
		return PrivCreate, nil
	case "temporary", "temp":
		return PrivTemporary, nil
	case "connect":
		return PrivConnect, nil
	}
	return 0, pgerr.New(pgerr.SyntaxError, "unrecognized privilege type \"%s\"", name)
}

// PrivName is a single privilege's name as messages spell it.
func PrivName(p Priv) string {
	switch p {
	case PrivInsert:
		return "INSERT"
	case PrivSelect:
		return "SELECT"
	case PrivUpdate:
		return "UPDATE"
	case PrivDelete:
		return "DELETE"
	case PrivTruncate:
		return "TRUNCATE"
	case PrivReferences:
		return "REFERENCES"
	case PrivTrigger:
		return "TRIGGER"
	case PrivExecute:
		return "EXECUTE"
	case PrivUsage:
		return "USAGE"
	case PrivCreate:
		return "CREATE"
	case PrivTemporary:
		return "TEMPORARY"
	case PrivConnect:
		return "CONNECT"
	}
	return "?"
}

// OwnerOID is the relation's owner (relowner).
func (t *TableDesc) OwnerOID() uint32 {
	if t.Owner == 0 {
		return BootstrapRole().OID
	}
	return t.Owner
}

// ACLKind is the kind of ACL the relation has.
func (t *TableDesc) ACLKind() ObjectKind {
	if t.Type != nil {
		return KindType
	}
	if t.Sequence != nil {
		return KindSequence
	}
	return KindRelation
}

// EffectiveACL is the relation's ACL, the default one when none is
// stored.
func (t *TableDesc) EffectiveACL() []ACLItem {
	if !t.HasACL {
		return DefaultACL(t.ACLKind(), t.OwnerOID())
	}
	return t.ACL
}

// SetACL stores acl as the relation's.
func (t *TableDesc) SetACL(acl []ACLItem) { t.ACL, t.HasACL = acl, true }
