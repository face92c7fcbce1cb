package types

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The aclitem type: one entry of an access control list, as the ACL
// columns of the catalogs (relacl, nspacl, datacl, proacl, typacl,
// attacl, defaclacl) hold them in arrays. Its text form is
// grantee=privileges/grantor: the grantee empty for PUBLIC, a role name
// double-quoted when it holds anything but letters, digits and
// underscores, and each privilege a letter of ACLPrivLetters followed by
// * when it carries the grant option.
//
// An aclitem value is its canonical text (a string): privileges in
// ACLPrivLetters' order. Reading the text checks its form here; that the
// roles exist is the caller's to check, since only the catalog knows
// them (ParseACLItem gives the names).
const (
	Aclitem      ID = 1033
	AclitemArray ID = 1034
)

// ACLPrivLetters are PostgreSQL 15's privilege letters, in the order
// aclitem's output writes them: INSERT, SELECT, UPDATE, DELETE,
// TRUNCATE, REFERENCES, TRIGGER, EXECUTE, USAGE, CREATE, TEMPORARY,
// CONNECT, SET, ALTER SYSTEM.
const ACLPrivLetters = "arwdDxtXUCTcsA"

func init() {
	register(&Info{ID: Aclitem, Typname: "aclitem", SQLName: "aclitem", Len: 12, Array: AclitemArray, arrays: true,
		Category: 'U', aliases: []string{"aclitem"},
		input: func(_ T, s string) (Datum, error) {
			it, err := ParseACLItem(s)
			if err != nil {
				return nil, err
			}
			return it.String(), nil
		},
		cast: func(d Datum, from, to T, _ bool) (Datum, error) {
			if s, ok := d.(string); ok && from.IsString() {
				it, err := ParseACLItem(s)
				if err != nil {
					return nil, err
				}
				return it.String(), nil
			}
			return nil, cannotCast(from, to)
		}})
}

// ACLItemText is an aclitem read from its text: the grantee's and the
// grantor's names ("" for PUBLIC as grantee), and for each privilege
// letter whether it is held and whether with the grant option.
type ACLItemText struct {
	Grantee, Grantor string
	// NoGrantor is set when the text named no grantor (PostgreSQL then
	// takes the bootstrap superuser, with a warning).
	NoGrantor bool
	// Privs and Grant hold, by index in ACLPrivLetters, the privileges
	// and those with the grant option.
	Privs, Grant uint16
}

// ParseACLItem reads an aclitem's text as PostgreSQL 15's aclitemin
// does: blanks around the names are allowed; an unknown privilege letter
// or anything after the grantor is 22P02. Without a grantor the
// bootstrap superuser is the grantor (NoGrantor set: PostgreSQL warns).
func ParseACLItem(s string) (ACLItemText, error) {
	var out ACLItemText
	name, rest, err := aclName(s)
	if err != nil {
		return out, err
	}
	if !strings.HasPrefix(rest, "=") {
		// A key word before the name: GROUP or USER, which change
		// nothing.
		if name != "group" && name != "user" {
			return out, pgerr.New(pgerr.InvalidTextRepresentation, "unrecognized key word: \"%s\"", name).
				WithHint("ACL key word must be \"group\" or \"user\".")
		}
		if name, rest, err = aclName(rest); err != nil {
			return out, err
		}
		if name == "" {
			return out, pgerr.New(pgerr.InvalidTextRepresentation, "missing name").
				WithHint("A name must follow the \"group\" or \"user\" key word.")
		}
	}
	if !strings.HasPrefix(rest, "=") {
		return out, pgerr.New(pgerr.InvalidTextRepresentation, "missing \"=\" sign")
	}
	out.Grantee = name
	rest = rest[1:]
	// The privileges: letters, each may be followed by *; the first
	// character that is neither ends them.
	last := -1
	for rest != "" && (rest[0] == '*' || rest[0] >= 'a' && rest[0] <= 'z' || rest[0] >= 'A' && rest[0] <= 'Z') {
		c := rest[0]
		rest = rest[1:]
		if c == '*' {
			if last >= 0 {
				out.Grant |= 1 << last
			}
			continue
		}
		i := strings.IndexByte(ACLPrivLetters, c)
		if i < 0 {
			return out, invalidModeChar()
		}
		out.Privs |= 1 << i
		last = i
	}
	rest = strings.TrimLeft(rest, " \t\n\r\v\f")
	if strings.HasPrefix(rest, "/") {
		if out.Grantor, rest, err = aclName(rest[1:]); err != nil {
			return out, err
		}
		if out.Grantor == "" {
			return out, pgerr.New(pgerr.InvalidTextRepresentation, "a name must follow the \"/\" sign")
		}
	} else {
		out.NoGrantor = true
		out.Grantor = UserName(OIDBootstrapSuperuser)
	}
	if strings.TrimLeft(rest, " \t\n\r\v\f") != "" {
		return out, pgerr.New(pgerr.InvalidTextRepresentation, "extra garbage at the end of the ACL specification")
	}
	return out, nil
}

func invalidModeChar() error {
	return pgerr.New(pgerr.InvalidTextRepresentation, "invalid mode character: must be one of \"%s\"", ACLPrivLetters)
}

// aclName reads a role name at the start of s (getid), blanks around it
// skipped: letters, digits and underscores, or a double-quoted name with
// "" for a quote.
func aclName(s string) (name, rest string, err error) {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	var b strings.Builder
	inQuotes := false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			if inQuotes && i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			inQuotes = !inQuotes
			continue
		case inQuotes || c == '_' || c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteByte(c)
			continue
		}
		break
	}
	if inQuotes {
		return "", "", pgerr.New(pgerr.InvalidTextRepresentation, "unterminated name")
	}
	if b.Len() > IdentifierBytesMax {
		return "", "", pgerr.New(pgerr.NameTooLong, "identifier too long").
			WithDetail("Identifier must be less than 64 characters.")
	}
	return b.String(), strings.TrimLeft(s[i:], " \t\n\r\v\f"), nil
}

// String is the item's canonical text.
func (it ACLItemText) String() string {
	return FormatACLItem(it.Grantee, it.Grantor, it.PrivString())
}

// PrivString is the privileges part of the item's text.
func (it ACLItemText) PrivString() string {
	var b strings.Builder
	for i := 0; i < len(ACLPrivLetters); i++ {
		if it.Privs&(1<<i) != 0 {
			b.WriteByte(ACLPrivLetters[i])
			if it.Grant&(1<<i) != 0 {
				b.WriteByte('*')
			}
		}
	}
	return b.String()
}

// FormatACLItem writes grantee=privs/grantor with the names quoted as
// aclitem's output quotes them (putid); grantee "" is PUBLIC.
func FormatACLItem(grantee, grantor, privs string) string {
	return ACLName(grantee) + "=" + privs + "/" + ACLName(grantor)
}

// ACLName quotes a role name as aclitem's output does: in double quotes
// when it holds anything but letters, digits and underscores.
func ACLName(name string) string {
	plain := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	if plain {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
