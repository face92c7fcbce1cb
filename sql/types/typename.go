package types

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// resolveType maps a written type name to a supported type.
func Resolve(tn ast.TypeName) (T, error) {
	if tn.Array {
		elem := tn
		elem.Array = false
		et, err := Resolve(elem)
		if err != nil {
			return T{}, err
		}
		at, ok := ArrayOf(et)
		if !ok {
			return T{}, pgerr.New(pgerr.UndefinedObject, "could not find array type for data type %s", et.Name()).WithPosition(tn.Pos)
		}
		return at, nil
	}
	bad := func() (T, error) {
		return T{}, pgerr.New(pgerr.SyntaxError, "invalid type modifier for type %s", tn.Name).WithPosition(tn.Pos)
	}
	switch tn.Name {
	case "int2", "smallint":
		return New(Int2), nil
	case "int4", "int", "integer", "serial4":
		return New(Int4), nil
	case "int8", "bigint":
		return New(Int8), nil
	case "float8", "double precision", "float":
		return New(Float8), nil
	case "float4", "real":
		// float4 is stored as float8; its text output keeps float8's digits.
		return New(Float8), nil
	case "numeric", "decimal":
		switch len(tn.Mods) {
		case 0:
			return New(Numeric), nil
		case 1, 2:
			p, s := tn.Mods[0], int32(0)
			if len(tn.Mods) == 2 {
				s = tn.Mods[1]
			}
			if p < 1 || p > 1000 {
				return T{}, pgerr.New(pgerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p).WithPosition(tn.Pos)
			}
			if s < 0 || s > p {
				return T{}, pgerr.New(pgerr.InvalidParameterValue, "NUMERIC scale %d must be between 0 and precision %d", s, p).WithPosition(tn.Pos)
			}
			return T{ID: Numeric, Mod: (p<<16 | s) + 4}, nil
		}
		return bad()
	case "text":
		return New(Text), nil
	case "varchar", "character varying":
		switch len(tn.Mods) {
		case 0:
			return New(Varchar), nil
		case 1:
			if tn.Mods[0] < 1 {
				return T{}, pgerr.New(pgerr.InvalidParameterValue, "length for type varchar must be at least 1").WithPosition(tn.Pos)
			}
			return T{ID: Varchar, Mod: tn.Mods[0]}, nil
		}
		return bad()
	case "bpchar", "character", "char":
		return resolveBpchar(tn)
	case "bool", "boolean":
		return New(Bool), nil
	case "date":
		return New(Date), nil
	case "timestamp":
		return New(Timestamp), nil
	case "timestamptz":
		return New(TimestampTZ), nil
	}
	return T{}, pgerr.New(pgerr.UndefinedObject, "type \"%s\" does not exist", tn.Name).WithPosition(tn.Pos)
}
