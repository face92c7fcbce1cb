package catalog

import "github.com/cairndb/cairn/sql/types"

// The information_schema views cairn computes from its catalog, found only
// under the schema's name (information_schema.tables), as in PostgreSQL,
// where the schema is not on the search path. They list what cairn has:
// the public schema's tables and views, and the schemas pg_namespace
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
	} {
		infoSchema[v.Name] = v
	}
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
		if t.View != "" {
			kind, insertable = "VIEW", "NO"
		}
		out = append(out, []types.Datum{rd.Database(), "public", t.Name, kind, nil, nil, nil, nil, nil, insertable, "NO", nil})
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
