package catalog

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// The user-defined types (typedesc.go) as pg_catalog shows them: pg_type
// rows (typtype 'e' with an array type beside, 'd' with typbasetype),
// pg_enum's labels, pg_constraint's domain CHECK constraints (contypid),
// their pg_get_constraintdef, and regtype names.

func init() {
	pgCatalog["pg_enum"] = &SystemView{Name: "pg_enum", Columns: Cols("oid", oidT, "enumtypid", oidT,
		"enumsortorder", types.New(types.Float4), "enumlabel", nameT), Rows: enumRows}
}

// typeByVal is pg_type.typbyval: fixed-size types of at most 8 bytes.
func typeByVal(t types.T) bool {
	n := t.Size()
	return n == 1 || n == 2 || n == 4 || n == 8
}

// UserType returns the user type with oid (an enum's array type's oid
// gives its enum, array set), or nil.
func (r *Relations) UserType(oid int64) (d *TableDesc, array bool) {
	id := uint32(oid)
	if int64(id) != oid {
		return nil, false
	}
	if types.ID(id)&types.UserArrayBit != 0 {
		id &^= uint32(types.UserArrayBit)
		array = true
	}
	for _, t := range r.Types {
		if t.ID == id && (!array || t.ArrayOID() != 0) {
			return t, array
		}
	}
	return nil, false
}

// UserTypeName is format_type for a user type's oid; ok is false for
// other oids.
func (r *Relations) UserTypeName(oid int64) (string, bool) {
	d, array := r.UserType(oid)
	if d == nil {
		if d, array = r.rowTypeRelation(oid); d == nil {
			return "", false
		}
	}
	name := parser.QuoteIdent(d.Name)
	if array {
		name += "[]"
	}
	return name, true
}

func userTypeRows(r *Relations) [][]types.Datum {
	var out [][]types.Datum
	owner, public := int64(types.OIDBootstrapSuperuser), int64(types.OIDPublic)
	for _, d := range r.Types {
		first := len(out)
		switch {
		case d.IsComposite():
			arr := int64(d.ArrayOID())
			out = append(out,
				[]types.Datum{int64(d.ID), d.Name, public, int64(-1), "c",
					int64(0), int64(0), arr, int64(d.Type.RelOID),
					int64(0), false, int64(-1), ",", nil, owner, true, "x", "d",
					"C", false, nil, false},
				[]types.Datum{arr, arrayTypeName(d.Name), public, int64(-1), "b",
					int64(0), int64(d.ID), int64(0), int64(0),
					int64(0), false, int64(-1), ",", nil, owner, true, "x", "d",
					"A", false, nil, false})
		case d.IsEnum():
			arr := int64(d.ArrayOID())
			out = append(out,
				[]types.Datum{int64(d.ID), d.Name, public, int64(4), "e",
					int64(0), int64(0), arr, int64(0),
					int64(0), false, int64(-1), ",", nil, owner, true, "p", "i",
					"E", false, nil, true},
				[]types.Datum{arr, arrayTypeName(d.Name), public, int64(-1), "b",
					int64(0), int64(d.ID), int64(0), int64(0),
					int64(0), false, int64(-1), ",", nil, owner, true, "x", "i",
					"A", false, nil, false})
		case d.IsDomain():
			base := d.Type.Base
			baseOID := int64(base.ID)
			if d.Type.BaseDomain != 0 {
				baseOID = int64(d.Type.BaseDomain)
			}
			coll := int64(0)
			if base.IsString() {
				coll = oidDefaultCollation
			}
			cat := "U"
			if in, ok := types.Lookup(base.ID); ok {
				cat = string(in.Category)
			} else if base.IsEnum() {
				cat = "E"
			}
			var def types.Datum
			if d.Type.Default != "" {
				if s, err := parser.DeparseDefault(d.Type.Default, base); err == nil {
					def = s
				} else {
					def = d.Type.Default
				}
			}
			arr := int64(d.ArrayOID())
			out = append(out, []types.Datum{int64(d.ID), d.Name, public, int64(base.Size()), "d",
				coll, int64(0), arr, int64(0),
				baseOID, d.Type.NotNull, int64(types.PGTypmod(base)), ",", nil, owner, true, typeStorage(base), typeAlign(base),
				cat, false, def, typeByVal(base)})
			if arr != 0 {
				out = append(out, []types.Datum{arr, arrayTypeName(d.Name), public, int64(-1), "b",
					coll, int64(d.ID), int64(0), int64(0),
					int64(0), false, int64(-1), ",", nil, owner, true, "x", typeAlign(base),
					"A", false, nil, false})
			}
		}
		if len(out) > first {
			// typacl, on the type's own row; its array type's stays NULL.
			out[first][13] = r.ACLDatum(d.ACL, d.HasACL)
		}
	}
	return out
}

// arrayTypeName is makeArrayTypeName: an underscore before the name, cut
// to fit an identifier.
func arrayTypeName(name string) string {
	return parser.TruncateIdent("_" + name)
}

func enumRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, d := range r.Types {
		if !d.IsEnum() {
			continue
		}
		for _, l := range d.Type.Labels {
			// enumsortorder is a float4 in PostgreSQL.
			out = append(out, []types.Datum{int64(l.OID), int64(d.ID), float64(l.DisplayOrder()), l.Label})
		}
	}
	return out, nil
}

// TypeComment is obj_description(oid, 'pg_type') for a user type: its
// COMMENT ON text, or NULL.
func (r *Relations) TypeComment(oid int64) types.Datum {
	if d, array := r.UserType(oid); d != nil && !array && d.Type.Comment != "" {
		return d.Type.Comment
	}
	return nil
}

// typeDescriptionRows are pg_description's rows for the user types'
// comments.
func typeDescriptionRows(r *Relations) [][]types.Datum {
	var out [][]types.Datum
	for _, d := range r.Types {
		if d.Type.Comment != "" {
			out = append(out, []types.Datum{int64(d.ID), systemTableOIDs["pg_type"], int64(0), d.Type.Comment})
		}
		for _, c := range d.Type.Checks {
			if c.Comment != "" {
				out = append(out, []types.Datum{int64(c.ID), int64(classPgConstraint), int64(0), c.Comment})
			}
		}
	}
	return out
}

// domainConstraintRows are pg_constraint's rows for the domains' CHECK
// constraints: conrelid 0, contypid the domain.
func domainConstraintRows(r *Relations) [][]types.Datum {
	var out [][]types.Datum
	for _, d := range r.Types {
		if !d.IsDomain() {
			continue
		}
		for _, c := range d.Type.Checks {
			out = append(out, []types.Datum{int64(c.ID), c.Name, int64(types.OIDPublic), "c",
				false, false, !c.NotValid, int64(0), int64(d.ID),
				int64(0), int64(0), int64(0),
				" ", " ", " ", true, int64(0), false, nil, nil, c.Expr})
		}
	}
	return out
}

// domainConstraintDef is pg_get_constraintdef for a domain's CHECK
// constraint; ok is false for other oids.
func domainConstraintDef(r *Relations, oid int64, pretty bool) (string, bool) {
	for _, d := range r.Types {
		if !d.IsDomain() {
			continue
		}
		for _, c := range d.Type.Checks {
			if int64(c.ID) == oid {
				def := "CHECK (" + parser.DeparseDomainCheck(c.Expr, d.Type.Base, pretty) + ")"
				if c.NotValid {
					def += " NOT VALID"
				}
				return def, true
			}
		}
	}
	return "", false
}

// userRegtype is MakeReg for regtype when v names or numbers a user type;
// ok is false otherwise.
func userRegtype(rd Reader, v types.Datum) (types.Datum, bool, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, true, err
	}
	var oid int64
	switch x := v.(type) {
	case *types.RegValue:
		oid = x.OID
	case int64:
		oid = x
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			oid = n
			break
		}
		name, array := regclassName(s), false
		if schema, rest, ok := strings.Cut(s, "."); ok && strings.TrimSpace(schema) == "public" {
			name = regclassName(strings.TrimSpace(rest))
		}
		if n, ok := strings.CutSuffix(name, "[]"); ok {
			name, array = strings.TrimSpace(n), true
		}
		for _, ct := range types.Listed() {
			if ct.Typname == name || types.New(ct.ID).Name() == name {
				return nil, false, nil
			}
		}
		for _, d := range r.Types {
			if d.Name == name || d.ArrayOID() != 0 && arrayTypeName(d.Name) == name && !array {
				oid = int64(d.ID)
				if d.Name != name || array {
					oid = int64(d.ArrayOID())
				}
				break
			}
		}
		if oid == 0 {
			oid = r.rowTypeByName(name, array)
		}
		if oid == 0 {
			return nil, false, nil
		}
	default:
		return nil, false, nil
	}
	name, ok := r.UserTypeName(oid)
	if !ok {
		return nil, false, nil
	}
	return &types.RegValue{OID: oid, Name: name}, true, nil
}

// DomainArrayColumn reports whether column c, declared with domain d, is
// an array of the domain (its elements are checked) rather than of a
// domain over an array type.
func DomainArrayColumn(c ColumnDesc, d *TableDesc) bool {
	return c.Type.IsArray() && !d.Type.Base.IsArray()
}

// fillUserType completes an information_schema.columns row (fillColumnType
// filled it from the column's stored type) for a column of an enum, an
// array of one, or a domain.
func fillUserType(row []types.Datum, r *Relations, c ColumnDesc) {
	if c.Domain != 0 {
		if d, _ := r.UserType(int64(c.Domain)); d != nil && !DomainArrayColumn(c, d) {
			row[22], row[23], row[24] = row[0], "public", d.Name
		} else if d != nil {
			row[25], row[26], row[27] = row[0], "public", arrayTypeName(d.Name)
		}
	}
	if !c.Type.IsUser() {
		return
	}
	d, array := r.UserType(int64(c.Type.ID))
	if d == nil {
		return
	}
	row[7], row[25], row[26], row[27] = "USER-DEFINED", row[0], "public", d.Name
	if array {
		row[7], row[27] = "ARRAY", arrayTypeName(d.Name)
	}
}

func init() {
	infoSchema["domains"] = &SystemView{Name: "domains", Columns: Cols("domain_catalog", nameT, "domain_schema", nameT,
		"domain_name", nameT, "data_type", infoCharData, "character_maximum_length", int4T, "character_octet_length", int4T,
		"character_set_catalog", nameT, "character_set_schema", nameT, "character_set_name", nameT,
		"collation_catalog", nameT, "collation_schema", nameT, "collation_name", nameT,
		"numeric_precision", int4T, "numeric_precision_radix", int4T, "numeric_scale", int4T,
		"datetime_precision", int4T, "interval_type", infoCharData, "interval_precision", int4T,
		"domain_default", infoCharData, "udt_catalog", nameT, "udt_schema", nameT, "udt_name", nameT,
		"scope_catalog", nameT, "scope_schema", nameT, "scope_name", nameT,
		"maximum_cardinality", int4T, "dtd_identifier", nameT), Rows: infoDomainsRows}
}

// infoCharData is information_schema's character_data domain, as cairn
// types its columns (varchar).
var infoCharData = types.T{ID: types.Varchar, Mod: -1}

func infoDomainsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	var out [][]types.Datum
	for _, d := range r.Types {
		if !d.IsDomain() {
			continue
		}
		// A columns row for a column of the domain's base type, read
		// back into the domains view's places.
		col := make([]types.Datum, 44)
		col[0] = db
		c := ColumnDesc{Type: d.Type.Base, Default: d.Type.Default}
		fillColumnType(col, c.Type)
		fillUserType(col, r, c)
		if d.Type.BaseDomain != 0 {
			if base, _ := r.UserType(int64(d.Type.BaseDomain)); base != nil {
				col[7], col[25], col[26], col[27] = "USER-DEFINED", db, "public", base.Name
			}
		}
		var def types.Datum
		if d.Type.Default != "" {
			def = deparseDefault(c)
		}
		row := []types.Datum{db, "public", d.Name}
		row = append(row, col[7:10]...)  // data_type, lengths
		row = append(row, col[16:22]...) // character set, collation
		row = append(row, col[10:16]...) // numeric, datetime, interval
		row = append(row, def)           // domain_default
		row = append(row, col[25:31]...) // udt, scope
		row = append(row, nil, "1")      // maximum_cardinality, dtd_identifier
		out = append(out, row)
	}
	return out, nil
}
