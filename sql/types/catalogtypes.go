package types

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The objects every catalog has, with their oids in PostgreSQL 15: the
// bootstrap superuser, the pg_database_owner role and the two schemas.
const (
	OIDBootstrapSuperuser = 10
	OIDPgDatabaseOwner    = 6171
	OIDPgCatalog          = 11
	OIDPublic             = 2200
)

// The system catalog's own types: oid, name, "char" and the object
// identifier aliases (regclass, regtype, regnamespace, regrole). Tables
// cannot have columns of them; they type the pg_catalog relations, the
// catalog functions' arguments and results, and casts.
//
//	oid           int64 in 0..4294967295
//	name, "char"  string ("char" is one byte, or empty)
//	reg*          *RegValue: the oid and the name it printed as when the
//	              value was made (output needs the catalog, which only
//	              the cast that makes the value can read)
//
// oid takes part in comparisons with the integer types as PostgreSQL's
// implicit casts allow (the integers become oid); a reg value compares as
// its oid. name and "char" are string types.
const (
	OID          ID = 26
	SysName      ID = 19 // name: an identifier, at most 63 bytes
	Char         ID = 18 // "char": one byte
	Regclass     ID = 2205
	Regtype      ID = 2206
	Regnamespace ID = 4089
	Regrole      ID = 4096

	OIDArray      ID = 1028
	SysNameArray  ID = 1003
	CharArray     ID = 1002
	RegclassArray ID = 2210
)

// RegValue is a value of an object identifier alias type.
type RegValue struct {
	OID  int64
	Name string
}

func init() {
	for e, a := range map[ID]ID{OID: OIDArray, SysName: SysNameArray,
		Char: CharArray, Regclass: RegclassArray} {
		arrayOfElem[e] = a
		elemOfArray[a] = e
	}
}

func (t T) IsReg() bool {
	switch t.ID {
	case Regclass, Regtype, Regnamespace, Regrole:
		return true
	}
	return false
}

// isOIDLike is oid and its aliases.
func (t T) IsOIDLike() bool { return t.ID == OID || t.IsReg() }

// catalogTypeName is Type.Name for the catalog types; ok is false for
// other types.
func CatalogTypeName(id ID) (string, bool) {
	switch id {
	case OID:
		return "oid", true
	case SysName:
		return "name", true
	case Char:
		return `"char"`, true
	case Regclass:
		return "regclass", true
	case Regtype:
		return "regtype", true
	case Regnamespace:
		return "regnamespace", true
	case Regrole:
		return "regrole", true
	}
	return "", false
}

// parseOID is oidin: a decimal in -2147483648..4294967295, negative
// values wrapping as in PostgreSQL.
func parseOID(s string) (Datum, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type oid", s)
		}
		return nil, invalidInput(New(OID), s)
	}
	return OIDFromInt(n, s)
}

func OIDFromInt(n int64, text string) (Datum, error) {
	if n < math.MinInt32 || n > math.MaxUint32 {
		if text == "" {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "OID out of range")
		}
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type oid", text)
	}
	if n < 0 {
		n += 1 << 32
	}
	return n, nil
}

// parseSysName is namein: the string, cut to identifierBytesMax bytes on
// a character boundary.
func parseSysName(s string) Datum {
	if len(s) <= IdentifierBytesMax {
		return s
	}
	n := IdentifierBytesMax
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// parseChar is charin: the first byte, or a backslash and three octal
// digits as charout writes bytes above 127.
func parseChar(s string) Datum {
	if len(s) == 4 && s[0] == '\\' {
		if v, err := strconv.ParseUint(s[1:], 8, 8); err == nil {
			return string([]byte{byte(v)})
		}
	}
	if s == "" {
		return ""
	}
	return s[:1]
}

// formatChar is charout.
func formatChar(s string) string {
	if s != "" && s[0] >= 0x80 {
		return "\\" + strconv.FormatUint(uint64(s[0]), 8)
	}
	return s
}

// namespaceName and typeName name the schemas and types cairn has, for
// regnamespace and regtype output.
func namespaceName(oid int64) (string, bool) {
	switch oid {
	case OIDPgCatalog:
		return "pg_catalog", true
	case OIDPublic:
		return "public", true
	}
	return "", false
}

func NamespaceOID(name string) (int64, bool) {
	for _, oid := range []int64{OIDPgCatalog, OIDPublic} {
		if n, _ := namespaceName(oid); n == name {
			return oid, true
		}
	}
	return 0, false
}

func ByOID(oid int64) (T, bool) {
	for _, ct := range CatalogTypes {
		if int64(ct.ID) == oid {
			return New(ct.ID), true
		}
		if ct.Array == oid {
			return New(ID(ct.Array)), true
		}
	}
	return T{}, false
}

// regValue makes a reg value for oid under type t, with the name its
// output shows: the object's name, or the oid itself when no object has
// it (as PostgreSQL prints an unknown oid). Relations are looked up by the
// caller, who has the catalog.
func NewReg(t ID, oid int64, relName func(int64) (string, bool)) *RegValue {
	var name string
	var ok bool
	switch t {
	case Regclass:
		name, ok = relName(oid)
	case Regnamespace:
		name, ok = namespaceName(oid)
	case Regtype:
		var ty T
		if ty, ok = ByOID(oid); ok {
			name = ty.Name()
		}
	case Regrole:
		if oid == OIDBootstrapSuperuser || oid == OIDPgDatabaseOwner {
			name, ok = UserName(oid), true
		}
	}
	if !ok {
		name = strconv.FormatInt(oid, 10)
	}
	if oid == 0 {
		name = "-"
	}
	return &RegValue{OID: oid, Name: name}
}

// CatalogTypes are the types pg_type lists: the ones cairn supports.
var CatalogTypes = []struct {
	ID    ID
	Name  string
	Array int64
}{
	{Bool, "bool", 1000}, {Int2, "int2", 1005}, {Int4, "int4", 1007}, {Int8, "int8", 1016},
	{Float8, "float8", 1022}, {Numeric, "numeric", 1231}, {Text, "text", 1009},
	{Varchar, "varchar", 1015}, {Bpchar, "bpchar", 1014}, {Date, "date", 1182}, {Timestamp, "timestamp", 1115},
	{TimestampTZ, "timestamptz", 1185},
	{Char, "char", 1002}, {SysName, "name", 1003}, {OID, "oid", 1028},
	{Regclass, "regclass", 2210}, {Regtype, "regtype", 2211},
	{Regnamespace, "regnamespace", 4090}, {Regrole, "regrole", 4097},
}

// pgTypmod is t's modifier as PostgreSQL stores it (atttypmod): the n of
// varchar(n) and character(n) plus 4, numeric's as cairn keeps it.
func PGTypmod(t T) int32 {
	base := t
	if e, ok := t.Elem(); ok {
		base = e
	}
	if (base.ID == Varchar || base.ID == Bpchar) && t.Mod >= 0 {
		return t.Mod + 4
	}
	return t.Mod
}

// fromPgTypmod is pgTypmod's inverse for a type of t's kind.
func FromPGTypmod(t T, mod int32) int32 {
	base := t
	if e, ok := t.Elem(); ok {
		base = e
	}
	if (base.ID == Varchar || base.ID == Bpchar) && mod >= 4 {
		return mod - 4
	}
	if mod < 0 {
		return -1
	}
	return mod
}

// formatType is format_type(type oid, typmod) for cairn's types.
func Format(t T) string {
	if t.ID == Bpchar && t.Mod < 0 {
		return "bpchar"
	}
	if t.ID == Numeric && t.Mod >= 4 {
		m := t.Mod - 4
		return fmt.Sprintf("numeric(%d,%d)", m>>16, m&0xffff)
	}
	return t.Name()
}

// userName is pg_get_userbyid.
func UserName(oid int64) string {
	switch oid {
	case OIDBootstrapSuperuser:
		return "postgres"
	case OIDPgDatabaseOwner:
		return "pg_database_owner"
	}
	return fmt.Sprintf("unknown (OID=%d)", oid)
}
