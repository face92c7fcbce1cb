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

// PostgreSQL 15's other predefined roles, with its oids.
const (
	OIDPgMonitor              = 3373
	OIDPgReadAllSettings      = 3374
	OIDPgReadAllStats         = 3375
	OIDPgStatScanTables       = 3377
	OIDPgSignalBackend        = 4200
	OIDPgCheckpoint           = 4544
	OIDPgReadServerFiles      = 4569
	OIDPgWriteServerFiles     = 4570
	OIDPgExecuteServerProgram = 4571
	OIDPgReadAllData          = 6181
	OIDPgWriteAllData         = 6182
)

// builtinRoleNames are the roles every catalog has, by oid: the
// bootstrap superuser and the predefined roles.
var builtinRoleNames = map[int64]string{
	OIDBootstrapSuperuser:     "postgres",
	OIDPgDatabaseOwner:        "pg_database_owner",
	OIDPgMonitor:              "pg_monitor",
	OIDPgReadAllSettings:      "pg_read_all_settings",
	OIDPgReadAllStats:         "pg_read_all_stats",
	OIDPgStatScanTables:       "pg_stat_scan_tables",
	OIDPgSignalBackend:        "pg_signal_backend",
	OIDPgCheckpoint:           "pg_checkpoint",
	OIDPgReadServerFiles:      "pg_read_server_files",
	OIDPgWriteServerFiles:     "pg_write_server_files",
	OIDPgExecuteServerProgram: "pg_execute_server_program",
	OIDPgReadAllData:          "pg_read_all_data",
	OIDPgWriteAllData:         "pg_write_all_data",
}

// BuiltinRole reports whether oid is the bootstrap superuser's or a
// predefined role's, whose names never change.
func BuiltinRole(oid int64) bool {
	_, ok := builtinRoleNames[oid]
	return ok
}

// BuiltinRoleOID is the oid of the built-in role name, if there is one.
func BuiltinRoleOID(name string) (int64, bool) {
	for oid, n := range builtinRoleNames {
		if n == name {
			return oid, true
		}
	}
	return 0, false
}

// PredefinedRoleOIDs are the predefined roles' oids (the built-in roles
// other than the bootstrap superuser), in increasing order.
func PredefinedRoleOIDs() []int64 {
	return []int64{OIDPgMonitor, OIDPgReadAllSettings, OIDPgReadAllStats, OIDPgStatScanTables, OIDPgSignalBackend,
		OIDPgCheckpoint, OIDPgReadServerFiles, OIDPgWriteServerFiles, OIDPgExecuteServerProgram,
		OIDPgDatabaseOwner, OIDPgReadAllData, OIDPgWriteAllData}
}

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
	Regproc      ID = 24
	// Regprocedure names a function with its argument types.
	Regprocedure ID = 2202

	OIDArray      ID = 1028
	SysNameArray  ID = 1003
	CharArray     ID = 1002
	RegclassArray ID = 2210
	// RegtypeArray is regtype[], pg_prepared_statements.parameter_types.
	RegtypeArray ID = 2211
)

// The array types pg_type lists for regnamespace, regrole and regproc,
// whose arrays cairn does not support.
const (
	regnamespaceArray ID = 4090
	regroleArray      ID = 4097
	regprocArray      ID = 1008
	regprocedureArray ID = 2207
)

func init() {
	register(
		&Info{ID: OID, Typname: "oid", SQLName: "oid", Len: 4, Array: OIDArray, arrays: true,
			Category: 'N', Preferred: true, implicit: []ID{Regclass, Regtype, Regnamespace, Regrole, Regproc, Regprocedure},
			input: func(_ T, s string) (Datum, error) { return parseOID(s) }, cast: castToOID},
		&Info{ID: SysName, Typname: "name", SQLName: "name", Len: IdentifierBytesMax + 1, Array: SysNameArray, arrays: true,
			Category: 'S', implicit: []ID{Text},
			input: func(_ T, s string) (Datum, error) { return parseSysName(s), nil }, cast: castToSysName},
		&Info{ID: Char, Typname: "char", SQLName: `"char"`, Len: 1, Array: CharArray, arrays: true,
			Category: 'Z', implicit: []ID{Text},
			input: func(_ T, s string) (Datum, error) { return parseChar(s), nil }, cast: castToChar},
		&Info{ID: Regclass, Typname: "regclass", SQLName: "regclass", Len: 4, Array: RegclassArray, arrays: true,
			Category: 'N', implicit: []ID{OID}, cast: castToReg},
		&Info{ID: Regtype, Typname: "regtype", SQLName: "regtype", Len: 4, Array: RegtypeArray, arrays: true,
			Category: 'N', implicit: []ID{OID}, cast: castToReg},
		&Info{ID: Regnamespace, Typname: "regnamespace", SQLName: "regnamespace", Len: 4, Array: regnamespaceArray,
			Category: 'N', implicit: []ID{OID}, cast: castToReg},
		&Info{ID: Regrole, Typname: "regrole", SQLName: "regrole", Len: 4, Array: regroleArray,
			Category: 'N', implicit: []ID{OID}, cast: castToReg},
		// regproc names a function; cairn's functions have no oids, so
		// a regproc shows its oid as a number ("-" for 0).
		&Info{ID: Regproc, Typname: "regproc", SQLName: "regproc", Len: 4, Array: regprocArray,
			Category: 'N', implicit: []ID{OID}, cast: castToReg},
		&Info{ID: Regprocedure, Typname: "regprocedure", SQLName: "regprocedure", Len: 4, Array: regprocedureArray,
			Category: 'N', implicit: []ID{OID}, cast: castToReg},
	)
}

// RegValue is a value of an object identifier alias type.
type RegValue struct {
	OID  int64
	Name string
}

// IsReg reports whether t is one of the object identifier aliases.
func (t T) IsReg() bool {
	switch t.ID {
	case Regclass, Regtype, Regnamespace, Regrole, Regproc, Regprocedure:
		return true
	}
	return false
}

// IsOIDLike reports whether t is oid or one of its aliases.
func (t T) IsOIDLike() bool { return t.ID == OID || t.IsReg() }

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

// OIDFromInt is n as an oid: negative values in int4's range wrap, others
// out of range fail with 22003 (text, when set, is the input in the message).
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

// namespaceName names the schemas cairn has, for regnamespace output.
func namespaceName(oid int64) (string, bool) {
	switch oid {
	case OIDPgCatalog:
		return "pg_catalog", true
	case OIDPublic:
		return "public", true
	}
	return "", false
}

// NamespaceOID is the oid of the schema named name.
func NamespaceOID(name string) (int64, bool) {
	for _, oid := range []int64{OIDPgCatalog, OIDPublic} {
		if n, _ := namespaceName(oid); n == name {
			return oid, true
		}
	}
	return 0, false
}

// NewReg makes a reg value for oid under type t, with the name its
// output shows: the object's name, or the oid itself when no object has
// it (as PostgreSQL prints an unknown oid). Relations are looked up by the
// caller, who has the catalog.
func NewReg(t ID, oid int64, relName func(int64) (string, bool)) *RegValue {
	var name string
	var ok bool
	switch t {
	case Regclass, Regproc, Regprocedure:
		name, ok = relName(oid)
	case Regnamespace:
		// The built-in schemas, then those the caller's catalog has.
		if name, ok = namespaceName(oid); !ok && relName != nil {
			name, ok = relName(oid)
		}
	case Regtype:
		var ty T
		if ty, ok = ByOID(oid); ok {
			name = ty.Name()
		} else if in, known := Lookup(ID(oid)); known && oid > 0 && oid <= math.MaxUint32 {
			// unknown and void: pg_type has them, cairn does not
			// list them.
			name, ok = New(in.ID).Name(), true
		}
	case Regrole:
		if BuiltinRole(oid) {
			name, ok = UserName(oid), true
		} else if relName != nil {
			// The roles the caller's catalog has.
			name, ok = relName(oid)
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

// UserName is pg_get_userbyid.
func UserName(oid int64) string {
	if name, ok := builtinRoleNames[oid]; ok {
		return name
	}
	return fmt.Sprintf("unknown (OID=%d)", oid)
}

// castToOID converts text, the integers and reg values to oid.
func castToOID(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case int64:
		return OIDFromInt(v, "")
	case *RegValue:
		return v.OID, nil
	case string:
		return castFromText(v, to, explicit)
	}
	return nil, cannotCast(from, to)
}

// castToSysName converts any value to name by its text form.
func castToSysName(d Datum, from, _ T, _ bool) (Datum, error) {
	return parseSysName(castText(from, d)), nil
}

// castToChar converts any value to "char" by its text form.
func castToChar(d Datum, from, _ T, _ bool) (Datum, error) {
	return parseChar(castText(from, d)), nil
}

// castToReg converts an integer or a reg value to a reg type. Only an
// implicit conversion gets here (casts written in a query are bound by
// the binder, which reads the catalog): a relation is then shown by its
// oid.
func castToReg(d Datum, from, to T, _ bool) (Datum, error) {
	var oid int64
	switch v := d.(type) {
	case int64:
		o, err := OIDFromInt(v, "")
		if err != nil {
			return nil, err
		}
		oid = o.(int64)
	case *RegValue:
		oid = v.OID
	default:
		return nil, cannotCast(from, to)
	}
	return NewReg(to.ID, oid, func(int64) (string, bool) { return "", false }), nil
}
