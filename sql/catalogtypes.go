package sql

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
	oidBootstrapSuperuser = 10
	oidPgDatabaseOwner    = 6171
	oidPgCatalog          = 11
	oidPublic             = 2200
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
	TypeOID          TypeID = 26
	TypeSysName      TypeID = 19 // name: an identifier, at most 63 bytes
	TypeChar         TypeID = 18 // "char": one byte
	TypeRegclass     TypeID = 2205
	TypeRegtype      TypeID = 2206
	TypeRegnamespace TypeID = 4089
	TypeRegrole      TypeID = 4096

	TypeOIDArray      TypeID = 1028
	TypeSysNameArray  TypeID = 1003
	TypeCharArray     TypeID = 1002
	TypeRegclassArray TypeID = 2210
)

// RegValue is a value of an object identifier alias type.
type RegValue struct {
	OID  int64
	Name string
}

func init() {
	for e, a := range map[TypeID]TypeID{TypeOID: TypeOIDArray, TypeSysName: TypeSysNameArray,
		TypeChar: TypeCharArray, TypeRegclass: TypeRegclassArray} {
		arrayOfElem[e] = a
		elemOfArray[a] = e
	}
}

func (t Type) isReg() bool {
	switch t.ID {
	case TypeRegclass, TypeRegtype, TypeRegnamespace, TypeRegrole:
		return true
	}
	return false
}

// isOIDLike is oid and its aliases.
func (t Type) isOIDLike() bool { return t.ID == TypeOID || t.isReg() }

// catalogTypeName is Type.Name for the catalog types; ok is false for
// other types.
func catalogTypeName(id TypeID) (string, bool) {
	switch id {
	case TypeOID:
		return "oid", true
	case TypeSysName:
		return "name", true
	case TypeChar:
		return `"char"`, true
	case TypeRegclass:
		return "regclass", true
	case TypeRegtype:
		return "regtype", true
	case TypeRegnamespace:
		return "regnamespace", true
	case TypeRegrole:
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
		return nil, invalidInput(typ(TypeOID), s)
	}
	return oidFromInt(n, s)
}

func oidFromInt(n int64, text string) (Datum, error) {
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
	if len(s) <= identifierBytesMax {
		return s
	}
	n := identifierBytesMax
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
	case oidPgCatalog:
		return "pg_catalog", true
	case oidPublic:
		return "public", true
	}
	return "", false
}

func namespaceOID(name string) (int64, bool) {
	for _, oid := range []int64{oidPgCatalog, oidPublic} {
		if n, _ := namespaceName(oid); n == name {
			return oid, true
		}
	}
	return 0, false
}

func typeByOID(oid int64) (Type, bool) {
	for _, ct := range catalogTypes {
		if int64(ct.id) == oid {
			return typ(ct.id), true
		}
		if ct.array == oid {
			return typ(TypeID(ct.array)), true
		}
	}
	return Type{}, false
}

// regValue makes a reg value for oid under type t, with the name its
// output shows: the object's name, or the oid itself when no object has
// it (as PostgreSQL prints an unknown oid). Relations are looked up by the
// caller, who has the catalog.
func regValue(t TypeID, oid int64, relName func(int64) (string, bool)) *RegValue {
	var name string
	var ok bool
	switch t {
	case TypeRegclass:
		name, ok = relName(oid)
	case TypeRegnamespace:
		name, ok = namespaceName(oid)
	case TypeRegtype:
		var ty Type
		if ty, ok = typeByOID(oid); ok {
			name = ty.Name()
		}
	case TypeRegrole:
		if oid == oidBootstrapSuperuser || oid == oidPgDatabaseOwner {
			name, ok = userName(oid), true
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

// catalogTypes are the types pg_type lists: the ones cairn supports.
var catalogTypes = []struct {
	id    TypeID
	name  string
	array int64
}{
	{TypeBool, "bool", 1000}, {TypeInt2, "int2", 1005}, {TypeInt4, "int4", 1007}, {TypeInt8, "int8", 1016},
	{TypeFloat8, "float8", 1022}, {TypeNumeric, "numeric", 1231}, {TypeText, "text", 1009},
	{TypeVarchar, "varchar", 1015}, {TypeBpchar, "bpchar", 1014}, {TypeDate, "date", 1182}, {TypeTimestamp, "timestamp", 1115},
	{TypeTimestampTZ, "timestamptz", 1185},
	{TypeChar, "char", 1002}, {TypeSysName, "name", 1003}, {TypeOID, "oid", 1028},
	{TypeRegclass, "regclass", 2210}, {TypeRegtype, "regtype", 2211},
	{TypeRegnamespace, "regnamespace", 4090}, {TypeRegrole, "regrole", 4097},
}

// pgTypmod is t's modifier as PostgreSQL stores it (atttypmod): the n of
// varchar(n) and character(n) plus 4, numeric's as cairn keeps it.
func pgTypmod(t Type) int32 {
	base := t
	if e, ok := t.Elem(); ok {
		base = e
	}
	if (base.ID == TypeVarchar || base.ID == TypeBpchar) && t.Mod >= 0 {
		return t.Mod + 4
	}
	return t.Mod
}

// fromPgTypmod is pgTypmod's inverse for a type of t's kind.
func fromPgTypmod(t Type, mod int32) int32 {
	base := t
	if e, ok := t.Elem(); ok {
		base = e
	}
	if (base.ID == TypeVarchar || base.ID == TypeBpchar) && mod >= 4 {
		return mod - 4
	}
	if mod < 0 {
		return -1
	}
	return mod
}

// formatType is format_type(type oid, typmod) for cairn's types.
func formatType(t Type) string {
	if t.ID == TypeBpchar && t.Mod < 0 {
		return "bpchar"
	}
	if t.ID == TypeNumeric && t.Mod >= 4 {
		m := t.Mod - 4
		return fmt.Sprintf("numeric(%d,%d)", m>>16, m&0xffff)
	}
	return t.Name()
}

// userName is pg_get_userbyid.
func userName(oid int64) string {
	switch oid {
	case oidBootstrapSuperuser:
		return "postgres"
	case oidPgDatabaseOwner:
		return "pg_database_owner"
	}
	return fmt.Sprintf("unknown (OID=%d)", oid)
}
