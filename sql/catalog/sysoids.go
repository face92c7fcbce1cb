package catalog

import "strings"

// The oids PostgreSQL 15 gives its system catalogs (tables) and system
// views. 'pg_class'::regclass is 1259 in cairn too, and 1259::regclass
// is pg_class, so that queries joining pg_depend or pg_description on
// classid find what they look for; a catalog table's rows carry the
// catalog's oid in the tableoid system column. pg_class itself still
// lists user relations only.
var systemTableOIDs = map[string]int64{
	"pg_am": 2601, "pg_amop": 2602, "pg_amproc": 2603, "pg_attrdef": 2604, "pg_attribute": 1249,
	"pg_auth_members": 1261, "pg_cast": 2605, "pg_class": 1259, "pg_collation": 3456,
	"pg_constraint": 2606, "pg_conversion": 2607, "pg_database": 1262, "pg_default_acl": 826,
	"pg_depend": 2608, "pg_description": 2609, "pg_event_trigger": 3466, "pg_extension": 3079,
	"pg_foreign_data_wrapper": 2328, "pg_foreign_server": 1417, "pg_foreign_table": 3118,
	"pg_index": 2610, "pg_inherits": 2611, "pg_init_privs": 3394, "pg_language": 2612,
	"pg_largeobject_metadata": 2995, "pg_namespace": 2615, "pg_opclass": 2616, "pg_operator": 2617,
	"pg_opfamily": 2753, "pg_partitioned_table": 3350, "pg_policy": 3256, "pg_proc": 1255,
	"pg_publication": 6104, "pg_publication_namespace": 6237, "pg_publication_rel": 6106,
	"pg_range": 3541, "pg_rewrite": 2618, "pg_seclabel": 3596, "pg_statistic_ext": 3381,
	"pg_subscription": 6100, "pg_tablespace": 1213, "pg_transform": 3576, "pg_trigger": 2620,
	"pg_ts_config": 3602, "pg_ts_dict": 3600, "pg_ts_parser": 3601, "pg_ts_template": 3764,
	"pg_type": 1247, "pg_shseclabel": 3592, "pg_shdescription": 2396, "pg_db_role_setting": 2964,
}

var systemViewOIDs = map[string]int64{
	"pg_roles": 12000, "pg_locks": 12073, "pg_prepared_xacts": 12090, "pg_seclabels": 12099,
	"pg_settings": 12104,
}

// SystemTableOID is the oid of the system catalog table name, for its
// tableoid column; ok is false for a view or an unknown name.
func SystemTableOID(name string) (int64, bool) {
	oid, ok := systemTableOIDs[name]
	return oid, ok
}

// systemRelationOID is the oid of a system catalog or view written as
// name or pg_catalog.name.
func systemRelationOID(name string) (int64, bool) {
	name = strings.TrimPrefix(name, "pg_catalog.")
	if oid, ok := systemTableOIDs[name]; ok {
		return oid, true
	}
	oid, ok := systemViewOIDs[name]
	return oid, ok
}

// systemRelationName is the name of the system catalog or view with oid.
func systemRelationName(oid int64) (string, bool) {
	for _, m := range []map[string]int64{systemTableOIDs, systemViewOIDs} {
		for name, o := range m {
			if o == oid {
				return name, true
			}
		}
	}
	return "", false
}
