package sql

import (
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// What PostgreSQL 15's predefined roles give the roles that hold their
// privileges (has_privs_of_role: members through INHERIT roles), where
// cairn checks it:
//
//   - pg_read_all_data: SELECT on every table, view and sequence and
//     USAGE on every schema, whatever their ACLs say (pg_class_aclmask,
//     pg_namespace_aclmask); row security still applies.
//   - pg_write_all_data: INSERT, UPDATE and DELETE on every relation and
//     USAGE on every schema.
//   - pg_read_all_stats: the query text, state and times of every
//     session in pg_stat_activity, and every entry's query in
//     pg_stat_statements.
//   - pg_signal_backend: pg_cancel_backend and pg_terminate_backend on
//     the sessions of any role but a superuser.
//   - pg_monitor: a member of pg_read_all_settings, pg_read_all_stats and
//     pg_stat_scan_tables, so it has what they give.
//
// pg_read_all_settings gives nothing more in cairn, whose every parameter
// anyone may read; pg_stat_scan_tables guards functions cairn does not
// have (pgstattuple's); pg_checkpoint guards CHECKPOINT, and the server
// file roles COPY to and from files and programs, which cairn does not
// run at all.

// allDataRelPrivs are the privileges of want that pg_read_all_data and
// pg_write_all_data give c's role on any relation. They come without the
// grant option.
func (c *privChecker) allDataRelPrivs(want catalog.Priv) catalog.Priv {
	var out catalog.Priv
	if c.role == catalog.PublicOID {
		return 0
	}
	if c.holders[types.OIDPgReadAllData] {
		out |= want & catalog.PrivSelect
	}
	if c.holders[types.OIDPgWriteAllData] {
		out |= want & (catalog.PrivInsert | catalog.PrivUpdate | catalog.PrivDelete)
	}
	return out
}

// relMask is the privileges of want c's role holds on a relation with
// acl: what the ACL gives it and what the predefined data roles do.
func (c *privChecker) relMask(acl []catalog.ACLItem, want catalog.Priv) catalog.Priv {
	return c.mask(acl, want) | c.allDataRelPrivs(want)
}

// allDataSchemaPrivs is USAGE, of want, when c's role holds
// pg_read_all_data's or pg_write_all_data's privileges.
func (c *privChecker) allDataSchemaPrivs(want catalog.Priv) catalog.Priv {
	if c.role != catalog.PublicOID && (c.holders[types.OIDPgReadAllData] || c.holders[types.OIDPgWriteAllData]) {
		return want & catalog.PrivUsage
	}
	return 0
}

// hasPredefined reports whether c's role holds the privileges of the
// predefined role oid (superusers hold every role's).
func (c *privChecker) hasPredefined(oid uint32) bool {
	return c.super || c.holders[oid]
}
