package cairn_test

import (
	stdsql "database/sql"
	"testing"
)

// TestTypeACLDurable: the privileges granted on a type and a domain, and a
// role's stored parameter default, survive closing and reopening the
// directory.
func TestTypeACLDurable(t *testing.T) {
	dir := t.TempDir()
	db, err := stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE ROLE app LOGIN",
		"CREATE TYPE mood AS ENUM ('sad', 'happy')",
		"CREATE DOMAIN score AS int CHECK (VALUE >= 0)",
		"REVOKE USAGE ON TYPE mood FROM PUBLIC",
		"GRANT USAGE ON TYPE mood TO app",
		"REVOKE ALL ON DOMAIN score FROM PUBLIC",
		"ALTER ROLE app SET work_mem = '8MB'",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct{ q, want string }{
		{"SELECT typacl::text FROM pg_type WHERE typname = 'mood'", "{postgres=U/postgres,app=U/postgres}"},
		{"SELECT typacl::text FROM pg_type WHERE typname = 'score'", "{postgres=U/postgres}"},
		{"SELECT has_type_privilege('app', 'mood', 'usage')::text || has_type_privilege('app', 'score', 'usage')::text", "truefalse"},
		{"SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE rolname = 'app'", "work_mem=8MB"},
	} {
		var got string
		if err := db.QueryRow(tc.q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.q, got, tc.want)
		}
	}
}
