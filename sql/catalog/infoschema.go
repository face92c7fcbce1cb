package catalog

import (
	"slices"
	"strconv"

	"github.com/cairndb/cairn/sql/types"
)

// The information_schema views cairn computes from its catalog, found only
// under the schema's name (information_schema.tables), as in PostgreSQL,
// where the schema is not on the search path. They list what cairn has:
// the tables and views of every schema (a temporary table as LOCAL
// TEMPORARY, in its session's pg_temp_N), and the schemas pg_namespace
// lists. PostgreSQL also lists its system catalogs and the
// information_schema views themselves; cairn does not. Columns have the
// base types of PostgreSQL's domains (sql_identifier is name,
// character_data and yes_or_no varchar), which is what clients see.

var infoSchema = map[string]*SystemView{}

// LookupInfoSchemaView returns the information_schema view named name.
func LookupInfoSchemaView(name string) (*SystemView, bool) {
	v, ok := infoSchema[name]
	return v, ok
}

func init() {
	yesNo := types.T{ID: types.Varchar, Mod: 3}
	charData := types.T{ID: types.Varchar, Mod: -1}
	for _, v := range []*SystemView{
		{Name: "tables", Columns: Cols("table_catalog", nameT, "table_schema", nameT, "table_name", nameT,
			"table_type", charData, "self_referencing_column_name", nameT, "reference_generation", charData,
			"user_defined_type_catalog", nameT, "user_defined_type_schema", nameT, "user_defined_type_name", nameT,
			"is_insertable_into", yesNo, "is_typed", yesNo, "commit_action", charData), Rows: infoTablesRows},
		{Name: "schemata", Columns: Cols("catalog_name", nameT, "schema_name", nameT, "schema_owner", nameT,
			"default_character_set_catalog", nameT, "default_character_set_schema", nameT,
			"default_character_set_name", nameT, "sql_path", charData), Rows: infoSchemataRows},
		{Name: "columns", Columns: Cols("table_catalog", nameT, "table_schema", nameT, "table_name", nameT,
			"column_name", nameT, "ordinal_position", int4T, "column_default", charData, "is_nullable", yesNo,
			"data_type", charData, "character_maximum_length", int4T, "character_octet_length", int4T,
			"numeric_precision", int4T, "numeric_precision_radix", int4T, "numeric_scale", int4T,
			"datetime_precision", int4T, "interval_type", charData, "interval_precision", int4T,
			"character_set_catalog", nameT, "character_set_schema", nameT, "character_set_name", nameT,
			"collation_catalog", nameT, "collation_schema", nameT, "collation_name", nameT,
			"domain_catalog", nameT, "domain_schema", nameT, "domain_name", nameT,
			"udt_catalog", nameT, "udt_schema", nameT, "udt_name", nameT,
			"scope_catalog", nameT, "scope_schema", nameT, "scope_name", nameT,
			"maximum_cardinality", int4T, "dtd_identifier", nameT, "is_self_referencing", yesNo,
			"is_identity", yesNo, "identity_generation", charData, "identity_start", charData,
			"identity_increment", charData, "identity_maximum", charData, "identity_minimum", charData,
			"identity_cycle", yesNo, "is_generated", charData, "generation_expression", charData,
			"is_updatable", yesNo), Rows: infoColumnsRows},
		{Name: "views", Columns: Cols("table_catalog", nameT, "table_schema", nameT, "table_name", nameT,
			"view_definition", charData, "check_option", charData, "is_updatable", yesNo,
			"is_insertable_into", yesNo, "is_trigger_updatable", yesNo, "is_trigger_deletable", yesNo,
			"is_trigger_insertable_into", yesNo), Rows: infoViewsRows},
		{Name: "sequences", Columns: Cols("sequence_catalog", nameT, "sequence_schema", nameT, "sequence_name", nameT,
			"data_type", charData, "numeric_precision", int4T, "numeric_precision_radix", int4T, "numeric_scale", int4T,
			"start_value", charData, "minimum_value", charData, "maximum_value", charData, "increment", charData,
			"cycle_option", yesNo), Rows: infoSequencesRows},
		{Name: "table_constraints", Columns: Cols("constraint_catalog", nameT, "constraint_schema", nameT, "constraint_name", nameT,
			"table_catalog", nameT, "table_schema", nameT, "table_name", nameT, "constraint_type", charData,
			"is_deferrable", yesNo, "initially_deferred", yesNo, "enforced", yesNo, "nulls_distinct", yesNo), Rows: infoTableConstraintsRows},
		{Name: "check_constraints", Columns: Cols("constraint_catalog", nameT, "constraint_schema", nameT, "constraint_name", nameT,
			"check_clause", charData), Rows: infoCheckConstraintsRows},
		{Name: "referential_constraints", Columns: Cols("constraint_catalog", nameT, "constraint_schema", nameT, "constraint_name", nameT,
			"unique_constraint_catalog", nameT, "unique_constraint_schema", nameT, "unique_constraint_name", nameT,
			"match_option", charData, "update_rule", charData, "delete_rule", charData), Rows: infoReferentialConstraintsRows},
		{Name: "key_column_usage", Columns: Cols("constraint_catalog", nameT, "constraint_schema", nameT, "constraint_name", nameT,
			"table_catalog", nameT, "table_schema", nameT, "table_name", nameT, "column_name", nameT,
			"ordinal_position", int4T, "position_in_unique_constraint", int4T), Rows: infoKeyColumnUsageRows},
		{Name: "constraint_column_usage", Columns: Cols("table_catalog", nameT, "table_schema", nameT, "table_name", nameT,
			"column_name", nameT, "constraint_catalog", nameT, "constraint_schema", nameT, "constraint_name", nameT), Rows: infoConstraintColumnUsageRows},
	} {
		infoSchema[v.Name] = v
	}
}

// yesOrNo is information_schema's yes_or_no.
func yesOrNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

// infoColumnsRows lists the columns of every table and view. The type
// columns follow PostgreSQL's information_schema.columns: data_type is the
// SQL name without modifiers (ARRAY for arrays), the length, precision and
// scale columns as _pg_char_max_length, _pg_numeric_precision and their
// kin compute them.
func infoColumnsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	seqs := make(map[string]*TableDesc)
	for _, t := range r.Tables {
		if t.Sequence != nil {
			seqs[t.Name] = t
		}
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.Sequence != nil {
			continue
		}
		for i, c := range t.Columns {
			row := make([]types.Datum, 44)
			row[0], row[1], row[2], row[3], row[4] = db, t.SchemaName(), t.Name, c.Name, int64(i+1)
			if c.Default != "" && c.Identity == "" {
				row[5] = deparseDefault(c)
			}
			row[6] = yesOrNo(!c.NotNull)
			fillColumnType(row, c.Type)
			fillUserType(row, r, c)
			row[32], row[33] = strconv.Itoa(i+1), "NO"
			row[34], row[40], row[41], row[43] = "NO", "NO", "NEVER", yesOrNo(t.View == "")
			if c.Generated != "" {
				row[41], row[42] = "ALWAYS", deparseDefault(c)
			}
			if c.Identity != "" {
				row[34], row[35] = "YES", "BY DEFAULT"
				if c.Identity == "a" {
					row[35] = "ALWAYS"
				}
				if s := seqs[c.IdentitySeq]; s != nil {
					o := s.Sequence
					row[36], row[37], row[38], row[39] = strconv.FormatInt(o.Start, 10), strconv.FormatInt(o.Increment, 10),
						strconv.FormatInt(o.Max, 10), strconv.FormatInt(o.Min, 10)
					row[40] = yesOrNo(o.Cycle)
				}
			}
			out = append(out, row)
		}
	}
	return out, nil
}

// fillColumnType sets the type columns (7 to 31) of an
// information_schema.columns row for a column of type t.
func fillColumnType(row []types.Datum, t types.T) {
	info, _ := types.Lookup(t.ID)
	row[7] = types.T{ID: t.ID, Mod: -1}.Name()
	if t.IsArray() {
		row[7] = "ARRAY"
	}
	switch t.ID {
	case types.Varchar, types.Bpchar:
		if t.Mod >= 0 {
			row[8], row[9] = int64(t.Mod), int64(t.Mod)*4
		} else {
			row[9] = int64(1 << 30)
		}
	case types.Text:
		row[9] = int64(1 << 30)
	}
	setNumeric(row[10:13], t)
	switch {
	case t.ID == types.Date:
		row[13] = int64(0)
	case t.IsTime():
		row[13] = int64(6)
		if t.Mod >= 0 {
			row[13] = int64(t.Mod)
		}
	}
	if t.ID == types.SysName {
		// name columns collate as "C", which is not the database's
		// default collation.
		row[19], row[20], row[21] = row[0], "pg_catalog", "C"
	}
	if info != nil {
		row[25], row[26], row[27] = row[0], "pg_catalog", info.Typname
	}
}

// setNumeric sets numeric_precision, numeric_precision_radix and
// numeric_scale for type t.
func setNumeric(into []types.Datum, t types.T) {
	switch t.ID {
	case types.Int2:
		into[0], into[1], into[2] = int64(16), int64(2), int64(0)
	case types.Int4:
		into[0], into[1], into[2] = int64(32), int64(2), int64(0)
	case types.Int8:
		into[0], into[1], into[2] = int64(64), int64(2), int64(0)
	case types.Float8:
		into[0], into[1] = int64(53), int64(2)
	case types.Numeric:
		into[1] = int64(10)
		if t.Mod >= 4 {
			m := t.Mod - 4
			into[0], into[2] = int64(m>>16), int64(m&0xffff)
		}
	}
}

func infoViewsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.View == "" {
			continue
		}
		def, err := ViewDef(rd, int64(t.ID), false)
		if err != nil {
			return nil, err
		}
		// cairn's views take no writes.
		out = append(out, []types.Datum{rd.Database(), t.SchemaName(), t.Name, def, "NONE", "NO", "NO", "NO", "NO", "NO"})
	}
	return out, nil
}

func infoSequencesRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		s := t.Sequence
		if s == nil || s.Identity {
			// An identity's sequence is internal to its column, and
			// PostgreSQL leaves it out.
			continue
		}
		typ := types.New(types.ID(s.Type))
		row := []types.Datum{rd.Database(), t.SchemaName(), t.Name, typ.Name(), nil, nil, nil,
			strconv.FormatInt(s.Start, 10), strconv.FormatInt(s.Min, 10), strconv.FormatInt(s.Max, 10),
			strconv.FormatInt(s.Increment, 10), yesOrNo(s.Cycle)}
		setNumeric(row[4:7], typ)
		out = append(out, row)
	}
	return out, nil
}

func infoTablesRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.Sequence != nil {
			continue
		}
		// cairn's views take no writes, so none is insertable into.
		kind, insertable := "BASE TABLE", "YES"
		switch {
		case t.View != "":
			kind, insertable = "VIEW", "NO"
		case t.Temp():
			kind = "LOCAL TEMPORARY"
		}
		out = append(out, []types.Datum{rd.Database(), t.SchemaName(), t.Name, kind, nil, nil, nil, nil, nil, insertable, "NO", nil})
	}
	return out, nil
}

func infoSchemataRows(rd Reader) ([][]types.Datum, error) {
	ns, err := namespaceRows(rd)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, n := range ns {
		out = append(out, []types.Datum{rd.Database(), n[1], types.UserName(n[2].(int64)), nil, nil, nil, nil})
	}
	return out, nil
}

// tableConstraint is one constraint of a table as the information_schema
// views list it: primary key, unique, CHECK (NOT NULL columns included,
// as PostgreSQL 15 lists them, named nsp_table_attnum_not_null) or
// foreign key.
type tableConstraint struct {
	table *TableDesc
	name  string
	kind  string // PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY
	// cols are the key columns (the referencing ones of a foreign key);
	// notNull is the column of a NOT NULL constraint, -1 otherwise.
	cols    []int
	notNull int
	check   *CheckDesc
	fk      *ForeignKeyDesc
	// nullsEqual is a UNIQUE NULLS NOT DISTINCT constraint.
	nullsEqual bool
}

// tableConstraints lists the constraints of every table, table by table.
func tableConstraints(r *Relations) []tableConstraint {
	var out []tableConstraint
	for _, t := range r.Tables {
		if t.View != "" || t.Sequence != nil {
			continue
		}
		for i, c := range t.Columns {
			if c.NotNull {
				out = append(out, tableConstraint{table: t, kind: "CHECK", notNull: i,
					name: strconv.FormatInt(types.OIDPublic, 10) + "_" + strconv.FormatUint(uint64(t.ID), 10) + "_" + strconv.Itoa(i+1) + "_not_null"})
			}
		}
		if len(t.PK) > 0 {
			out = append(out, tableConstraint{table: t, name: t.PKConstraintName(), kind: "PRIMARY KEY", cols: t.PK, notNull: -1})
		}
		for _, ix := range t.Indexes {
			if ix.Constraint {
				out = append(out, tableConstraint{table: t, name: ix.Name, kind: "UNIQUE", cols: ix.Columns, notNull: -1, nullsEqual: ix.NullsNotDistinct})
			}
		}
		for i := range t.Checks {
			out = append(out, tableConstraint{table: t, name: t.Checks[i].Name, kind: "CHECK", notNull: -1, check: &t.Checks[i]})
		}
		for i := range t.ForeignKeys {
			f := &t.ForeignKeys[i]
			out = append(out, tableConstraint{table: t, name: f.Name, kind: "FOREIGN KEY", cols: f.Columns, notNull: -1, fk: f})
		}
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

func infoTableConstraintsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	var out [][]types.Datum
	for _, c := range tableConstraints(r) {
		deferrable, deferred := false, false
		if c.fk != nil {
			deferrable, deferred = c.fk.Deferrable, c.fk.Deferred
		}
		var nullsDistinct types.Datum
		if c.kind == "UNIQUE" {
			nullsDistinct = yesNo(!c.nullsEqual)
		}
		out = append(out, []types.Datum{db, c.table.SchemaName(), c.name, db, c.table.SchemaName(), c.table.Name, c.kind,
			yesNo(deferrable), yesNo(deferred), "YES", nullsDistinct})
	}
	return out, nil
}

func infoCheckConstraintsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	var out [][]types.Datum
	for _, c := range tableConstraints(r) {
		switch {
		case c.notNull >= 0:
			out = append(out, []types.Datum{db, c.table.SchemaName(), c.name, c.table.Columns[c.notNull].Name + " IS NOT NULL"})
		case c.check != nil:
			// PostgreSQL prints pg_get_constraintdef from its 7th
			// character: what follows "CHECK ".
			out = append(out, []types.Datum{db, c.table.SchemaName(), c.name, "(" + checkDef(c.table, c.check, false) + ")"})
		}
	}
	return out, nil
}

// ruleNames are the information_schema names of the foreign key actions.
var ruleNames = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

func infoReferentialConstraintsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	var out [][]types.Datum
	for _, c := range tableConstraints(r) {
		if c.fk == nil {
			continue
		}
		var uniqueName types.Datum
		if parent := r.table(c.fk.RefTable); parent != nil {
			if ix := r.Index(referencedIndexOID(parent, c.fk.RefColumns)); ix != nil {
				uniqueName = ix.name
				if ix.pk {
					uniqueName = parent.PKConstraintName()
				}
			}
		}
		match := "NONE"
		if c.fk.Match == "f" {
			match = "FULL"
		}
		out = append(out, []types.Datum{db, c.table.SchemaName(), c.name, db, "public", uniqueName, match,
			ruleNames[c.fk.OnUpdate], ruleNames[c.fk.OnDelete]})
	}
	return out, nil
}

func infoKeyColumnUsageRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	var out [][]types.Datum
	for _, c := range tableConstraints(r) {
		if c.kind == "CHECK" {
			continue
		}
		for i, col := range c.cols {
			var pos types.Datum
			if c.fk != nil {
				// The position of the referenced column in the
				// referenced unique constraint.
				if parent := r.table(c.fk.RefTable); parent != nil {
					if ix := r.Index(referencedIndexOID(parent, c.fk.RefColumns)); ix != nil {
						if j := slices.Index(ix.desc.Columns, c.fk.RefColumns[i]); j >= 0 {
							pos = int64(j + 1)
						}
					}
				}
			}
			out = append(out, []types.Datum{db, c.table.SchemaName(), c.name, db, c.table.SchemaName(), c.table.Name, c.table.Columns[col].Name, int64(i + 1), pos})
		}
	}
	return out, nil
}

func infoConstraintColumnUsageRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	db := rd.Database()
	var out [][]types.Datum
	add := func(t *TableDesc, col int, name string) {
		out = append(out, []types.Datum{db, t.SchemaName(), t.Name, t.Columns[col].Name, db, t.SchemaName(), name})
	}
	for _, c := range tableConstraints(r) {
		switch {
		case c.notNull >= 0:
			// PostgreSQL lists a NOT NULL constraint's column only
			// through check_constraints.
		case c.check != nil:
			for _, col := range checkColumns(c.table, c.check.Expr) {
				add(c.table, col, c.name)
			}
		case c.fk != nil:
			// A foreign key uses the referenced columns.
			if parent := r.table(c.fk.RefTable); parent != nil {
				for _, col := range c.fk.RefColumns {
					add(parent, col, c.name)
				}
			}
		default:
			for _, col := range c.cols {
				add(c.table, col, c.name)
			}
		}
	}
	return out, nil
}
