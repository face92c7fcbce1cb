package sql

import "testing"

// TestPgCatalog checks the catalog views and functions psql's describe
// queries use against what PostgreSQL 15 answers for the same schema.
func TestPgCatalog(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE "T" (id int8 PRIMARY KEY, amount numeric(10,2) DEFAULT 0, name varchar(20) DEFAULT 'x' UNIQUE)`)
	mustRun(t, s, `CREATE INDEX t_amount ON "T" (amount DESC, id)`)
	for _, tc := range []struct{ sql, want string }{
		{`SELECT relname, relkind FROM pg_catalog.pg_class WHERE relname OPERATOR(pg_catalog.~) '^(t.*)$' COLLATE pg_catalog.default ORDER BY 1`,
			"[t_amount i]"},
		{`SELECT relname FROM pg_class WHERE relname !~ '^T_p' AND relname ~* '^t_' ORDER BY 1`,
			"[T_name_key][t_amount]"},
		{`SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
		   (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d
		    WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef)
		  FROM pg_catalog.pg_attribute a WHERE a.attrelid = '"T"'::pg_catalog.regclass AND a.attnum > 0 ORDER BY a.attnum`,
			"[id bigint true <nil>][amount numeric(10,2) false 0][name character varying(20) false 'x'::character varying]"},
		{`SELECT c2.relname, i.indisprimary, i.indisunique, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true),
		   pg_catalog.pg_get_constraintdef(con.oid, true), contype
		  FROM pg_catalog.pg_class c, pg_catalog.pg_class c2, pg_catalog.pg_index i
		  LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x'))
		  WHERE c.relname = 'T' AND c.oid = i.indrelid AND i.indexrelid = c2.oid ORDER BY i.indisprimary DESC, c2.relname`,
			`[T_pkey true true CREATE UNIQUE INDEX "T_pkey" ON "T" USING btree (id) PRIMARY KEY (id) p]` +
				`[T_name_key false true CREATE UNIQUE INDEX "T_name_key" ON "T" USING btree (name) UNIQUE (name) u]` +
				`[t_amount false false CREATE INDEX t_amount ON "T" USING btree (amount DESC, id) <nil> <nil>]`},
		{`SELECT n.nspname, pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n ORDER BY 1`,
			"[information_schema postgres][pg_catalog postgres][pg_toast postgres][public pg_database_owner]"},
		{`SELECT datname, pg_catalog.pg_encoding_to_char(encoding), pg_catalog.array_to_string(datacl, E'\n') FROM pg_database ORDER BY 1`,
			"[cairn UTF8 <nil>][postgres UTF8 <nil>]"},
		{`SELECT c.oid::pg_catalog.regclass FROM pg_catalog.pg_class c, pg_catalog.pg_inherits i
		  WHERE c.oid = i.inhparent AND i.inhrelid = '"T"'::regclass ORDER BY inhseqno`, ""},
		{`SELECT rolname, rolsuper FROM pg_roles WHERE oid IN (10, 6171)`, "[postgres true][pg_database_owner false]"},
		{`SELECT count(*) FROM pg_roles WHERE rolname LIKE 'pg\_%' AND NOT rolcanlogin`, "[12]"},
	} {
		if got := rowsText(mustRun(t, s, tc.sql)); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.sql, got, tc.want)
		}
	}
	if _, err := run(s, `SELECT 'nosuch'::regclass`); err == nil {
		t.Error("'nosuch'::regclass: no error")
	}
}
