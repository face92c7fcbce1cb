package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// TestRegistry checks what the registry says of every type pg_type lists
// against PostgreSQL 15's pg_type (typname, typlen, typarray) and
// format_type, and which arrays cairn supports.
func TestRegistry(t *testing.T) {
	want := []struct {
		id      ID
		typname string
		name    string
		len     int16
		array   ID
		arrays  bool
	}{
		{Bool, "bool", "boolean", 1, 1000, true},
		{Bytea, "bytea", "bytea", -1, 1001, true},
		{Char, "char", `"char"`, 1, 1002, true},
		{SysName, "name", "name", 64, 1003, true},
		{Int8, "int8", "bigint", 8, 1016, true},
		{Int2, "int2", "smallint", 2, 1005, true},
		{Int2Vector, "int2vector", "int2vector", -1, 1006, false},
		{Int4, "int4", "integer", 4, 1007, true},
		{Regproc, "regproc", "regproc", 4, 1008, false},
		{Text, "text", "text", -1, 1009, true},
		{OID, "oid", "oid", 4, 1028, true},
		{XID, "xid", "xid", 4, 1011, true},
		{OIDVector, "oidvector", "oidvector", -1, 1013, false},
		{JSONType, "json", "json", -1, 199, true},
		{PointType, "point", "point", 16, 1017, true},
		{LsegType, "lseg", "lseg", 32, 1018, true},
		{PathType, "path", "path", -1, 1019, true},
		{BoxType, "box", "box", 32, 1020, true},
		{PolygonType, "polygon", "polygon", -1, 1027, true},
		{LineType, "line", "line", 24, 629, true},
		{Cidr, "cidr", "cidr", -1, 651, true},
		{Float4, "float4", "real", 4, 1021, true},
		{Float8, "float8", "double precision", 8, 1022, true},
		{CircleType, "circle", "circle", 24, 719, true},
		{MacAddr8, "macaddr8", "macaddr8", 8, 775, true},
		{MoneyType, "money", "money", 8, 791, true},
		{MacAddr, "macaddr", "macaddr", 6, 1040, true},
		{Inet, "inet", "inet", -1, 1041, true},
		{Aclitem, "aclitem", "aclitem", 12, 1034, true},
		{Bpchar, "bpchar", "character", -1, 1014, true},
		{Varchar, "varchar", "character varying", -1, 1015, true},
		{Date, "date", "date", 4, 1182, true},
		{Time, "time", "time without time zone", 8, 1183, true},
		{Timestamp, "timestamp", "timestamp without time zone", 8, 1115, true},
		{TimestampTZ, "timestamptz", "timestamp with time zone", 8, 1185, true},
		{Interval, "interval", "interval", 16, 1187, true},
		{TimeTZ, "timetz", "time with time zone", 12, 1270, true},
		{Numeric, "numeric", "numeric", -1, 1231, true},
		{Refcursor, "refcursor", "refcursor", -1, 2201, true},
		{Regprocedure, "regprocedure", "regprocedure", 4, 2207, false},
		{Regclass, "regclass", "regclass", 4, 2210, true},
		{Regtype, "regtype", "regtype", 4, 2211, true},
		{Record, "record", "record", -1, 2287, true},
		{UUID, "uuid", "uuid", 16, 2951, true},
		{JSONB, "jsonb", "jsonb", -1, 3807, true},
		{JSONPathType, "jsonpath", "jsonpath", -1, 4073, false},
		{Regnamespace, "regnamespace", "regnamespace", 4, 4090, false},
		{Regrole, "regrole", "regrole", 4, 4097, false},
		{XID8, "xid8", "xid8", 8, 271, true},
	}
	listed := Listed()
	if len(listed) != len(want) {
		t.Fatalf("pg_type lists %d types, want %d", len(listed), len(want))
	}
	for i, w := range want {
		in := listed[i]
		if in.ID != w.id || in.Typname != w.typname || in.Len != w.len || in.Array != w.array {
			t.Errorf("listed[%d] = %d %s len %d array %d, want %d %s len %d array %d",
				i, in.ID, in.Typname, in.Len, in.Array, w.id, w.typname, w.len, w.array)
		}
		ty := New(w.id)
		if ty.Name() != w.name || ty.Size() != w.len {
			t.Errorf("%s: Name %q Size %d, want %q %d", w.typname, ty.Name(), ty.Size(), w.name, w.len)
		}
		if got, ok := ByOID(int64(w.id)); !ok || got != ty {
			t.Errorf("ByOID(%d) = %v, %v", w.id, got, ok)
		}
		if got, ok := ByOID(int64(w.array)); !ok || got != New(w.array) {
			t.Errorf("ByOID(%d) = %v, %v", w.array, got, ok)
		}
		at, ok := ArrayOf(ty)
		if ok != w.arrays {
			t.Errorf("ArrayOf(%s) ok = %v, want %v", w.typname, ok, w.arrays)
		}
		if !ok {
			continue
		}
		if at.ID != w.array || at.Name() != w.name+"[]" {
			t.Errorf("ArrayOf(%s) = %d %q", w.typname, at.ID, at.Name())
		}
		if e, ok := at.Elem(); !ok || e != ty {
			t.Errorf("%s[].Elem() = %v, %v", w.typname, e, ok)
		}
	}
	if _, ok := ByOID(int64(Unknown)); ok {
		t.Errorf("ByOID finds unknown, which pg_type does not list here")
	}
	if n := New(Unknown).Name(); n != "unknown" {
		t.Errorf("unknown is named %q", n)
	}
	if n := New(9999).Name(); n != "type 9999" {
		t.Errorf("an unknown oid is named %q", n)
	}
	if n := (T{ID: Varchar, Mod: 5}).Name(); n != "character varying(5)" {
		t.Errorf("varchar(5) is named %q", n)
	}
	if n := (T{ID: BpcharArray, Mod: 3}).Name(); n != "character(3)[]" {
		t.Errorf("character(3)[] is named %q", n)
	}
}

// TestResolve maps written type names as PostgreSQL 15 resolves them.
func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mods  []int32
		array bool
		want  T
		err   string // SQLSTATE
	}{
		{name: "int", want: New(Int4)},
		{name: "integer", want: New(Int4)},
		// serial is no type: only a column definition knows it (package
		// parser makes it an integer column with a sequence).
		{name: "serial4", err: pgerr.UndefinedObject},
		{name: "smallint", want: New(Int2)},
		{name: "bigint", want: New(Int8)},
		{name: "real", want: New(Float4)},
		{name: "float4", array: true, want: New(Float4Array)},
		{name: "float", want: New(Float8)},
		{name: "bytea", want: New(Bytea)},
		{name: "uuid", array: true, want: New(UUIDArray)},
		{name: "double precision", want: New(Float8)},
		{name: "decimal", mods: []int32{10, 2}, want: T{ID: Numeric, Mod: (10<<16 | 2) + 4}},
		{name: "numeric", mods: []int32{5}, want: T{ID: Numeric, Mod: 5<<16 + 4}},
		{name: "numeric", mods: []int32{0}, err: pgerr.InvalidParameterValue},
		{name: "numeric", mods: []int32{1, 2, 3}, err: pgerr.SyntaxError},
		{name: "character varying", mods: []int32{10}, want: T{ID: Varchar, Mod: 10}},
		{name: "varchar", mods: []int32{0}, err: pgerr.InvalidParameterValue},
		{name: "char", want: T{ID: Bpchar, Mod: 1}},
		{name: "bpchar", want: New(Bpchar)},
		{name: "character", mods: []int32{4}, want: T{ID: Bpchar, Mod: 4}},
		{name: "boolean", want: New(Bool)},
		{name: "timestamptz", want: New(TimestampTZ)},
		{name: "text", array: true, want: New(TextArray)},
		{name: "varchar", mods: []int32{3}, array: true, want: T{ID: VarcharArray, Mod: 3}},
		{name: "_int4", want: New(Int4Array)},
		{name: "_numeric", mods: []int32{5}, want: T{ID: NumericArray, Mod: 5<<16 + 4}},
		{name: "_jsonb", want: New(JSONBArr)},
		{name: "jsonb", want: New(JSONB)},
		{name: "json", array: true, want: New(JSONArray)},
		{name: "oid", err: pgerr.UndefinedObject},
		{name: "unknown", want: New(Unknown)}, // 'foo'::unknown, as PostgreSQL reads it
		{name: "nosuch", err: pgerr.UndefinedObject},
	} {
		got, err := Resolve(ast.TypeName{Name: tc.name, Mods: tc.mods, Array: tc.array})
		switch {
		case tc.err != "":
			if pgerr.Code(err) != tc.err {
				t.Errorf("%s%v: %v, want %s", tc.name, tc.mods, err, tc.err)
			}
		case err != nil || got != tc.want:
			t.Errorf("%s%v: %v %v, want %v", tc.name, tc.mods, got, err, tc.want)
		}
	}
}

// TestImplicitCasts checks ImplicitCast between every two types pg_type
// lists against PostgreSQL 15's pg_cast (castcontext 'i'), and the
// categories overload resolution reads against pg_type.
func TestImplicitCasts(t *testing.T) {
	pg := map[[2]ID]bool{}
	for _, c := range [][2]ID{
		{Char, Text}, {SysName, Text},
		{Int8, OID}, {Int8, Float4}, {Int8, Float8}, {Int8, Numeric}, {Int8, Regclass}, {Int8, Regtype}, {Int8, Regnamespace}, {Int8, Regrole}, {Int8, Regproc}, {Int8, Regprocedure},
		{Int2, Int8}, {Int2, Int4}, {Int2, OID}, {Int2, Float4}, {Int2, Float8}, {Int2, Numeric},
		{Int2, Regclass}, {Int2, Regtype}, {Int2, Regnamespace}, {Int2, Regrole}, {Int2, Regproc}, {Int2, Regprocedure},
		{Int4, Int8}, {Int4, OID}, {Int4, Float4}, {Int4, Float8}, {Int4, Numeric},
		{Int4, Regclass}, {Int4, Regtype}, {Int4, Regnamespace}, {Int4, Regrole}, {Int4, Regproc}, {Int4, Regprocedure},
		{Text, SysName}, {Text, Bpchar}, {Text, Varchar}, {Text, Regclass},
		{OID, Regclass}, {OID, Regtype}, {OID, Regnamespace}, {OID, Regrole}, {OID, Regproc}, {OID, Regprocedure},
		{Bpchar, SysName}, {Bpchar, Text}, {Bpchar, Varchar},
		{Varchar, SysName}, {Varchar, Text}, {Varchar, Bpchar}, {Varchar, Regclass},
		{Date, Timestamp}, {Date, TimestampTZ}, {Timestamp, TimestampTZ}, {Time, Interval}, {Time, TimeTZ},
		{Numeric, Float4}, {Numeric, Float8}, {Float4, Float8},
		{Regclass, OID}, {Regtype, OID}, {Regnamespace, OID}, {Regrole, OID}, {Regproc, OID}, {Regprocedure, OID},
		{Cidr, Inet}, {MacAddr, MacAddr8}, {MacAddr8, MacAddr},
	} {
		pg[c] = true
	}
	listed := Listed()
	for _, from := range listed {
		for _, to := range listed {
			want := from.ID == to.ID || pg[[2]ID{from.ID, to.ID}]
			if got := ImplicitCast(from.ID, to.ID); got != want {
				t.Errorf("ImplicitCast(%s, %s) = %v, want %v", from.Typname, to.Typname, got, want)
			}
		}
		if !ImplicitCast(Unknown, from.ID) {
			t.Errorf("unknown does not convert to %s", from.Typname)
		}
	}
	if !ImplicitCast(Int4Array, Int8Array) || ImplicitCast(Int8Array, Int4Array) || ImplicitCast(Int4Array, Int8) {
		t.Errorf("arrays convert as their elements do")
	}
	for _, tc := range []struct {
		id        ID
		category  byte
		preferred bool
	}{
		{Bool, 'B', true}, {Char, 'Z', false}, {SysName, 'S', false}, {Int8, 'N', false}, {Int2, 'N', false},
		{Int4, 'N', false}, {Text, 'S', true}, {OID, 'N', true}, {Float8, 'N', true}, {Unknown, 'X', false},
		{Int4Array, 'A', false}, {TextArray, 'A', false}, {Bpchar, 'S', false}, {Varchar, 'S', false},
		{Date, 'D', false}, {Timestamp, 'D', false}, {TimestampTZ, 'D', true}, {Numeric, 'N', false},
		{Float4, 'N', false}, {Bytea, 'U', false}, {UUID, 'U', false},
		{Regclass, 'N', false}, {Regtype, 'N', false}, {Regnamespace, 'N', false}, {Regrole, 'N', false}, {Regproc, 'N', false},
	} {
		in, ok := Lookup(tc.id)
		if !ok || in.Category != tc.category || in.Preferred != tc.preferred {
			t.Errorf("type %d: category %q preferred %v, want %q %v", tc.id, in.Category, in.Preferred, tc.category, tc.preferred)
		}
	}
}
