package sql

import (
	"testing"
)

// TestRoleSettingsApplyAtLogin: a new session starts with the defaults
// stored by ALTER ROLE ALL, ALTER DATABASE, ALTER ROLE and ALTER ROLE IN
// DATABASE, the more specific winning, under the startup parameters; RESET
// returns to them; sessions that started before keep their values.
func TestRoleSettingsApplyAtLogin(t *testing.T) {
	e := newTestEngine(t)
	admin := newTestSession(t, e)
	before, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	for _, q := range []string{
		`create role alice login`,
		`alter role all set work_mem = '2MB'`,
		`alter role all set lock_timeout = '1s'`,
		`alter database postgres set work_mem = '3MB'`,
		`alter database postgres set statement_timeout = '9s'`,
		`alter role alice set work_mem = '4MB'`,
		`alter role alice set search_path = s1, public`,
		`alter role alice in database postgres set statement_timeout = '7s'`,
	} {
		mustRun(t, admin, q)
	}
	show := func(s *Session, name string) string {
		t.Helper()
		return outcome(s, "show "+name)
	}
	alice, err := e.NewSession("alice", "postgres", map[string]string{"lock_timeout": "5s"})
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	for _, tc := range []struct {
		s          *Session
		name, want string
	}{
		{alice, "work_mem", "[4MB]"},         // the role's beats the database's and ALL's
		{alice, "statement_timeout", "[7s]"}, // the role's in the database beats the database's
		{alice, "lock_timeout", "[5s]"},      // the startup parameter beats ALL's
		{alice, "search_path", "[s1, public]"},
		{admin, "work_mem", "[4MB]"}, // started before: unchanged default
		{before, "statement_timeout", "[0]"},
	} {
		if got := show(tc.s, tc.name); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	postgres, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer postgres.Close()
	if got := show(postgres, "work_mem"); got != "[3MB]" {
		t.Errorf("postgres's work_mem: got %s, want the database's 3MB", got)
	}
	if got := show(postgres, "lock_timeout"); got != "[1s]" {
		t.Errorf("postgres's lock_timeout: got %s, want ALL's 1s", got)
	}
	mustRun(t, alice, `set work_mem = '64MB'`)
	mustRun(t, alice, `reset work_mem`)
	if got := show(alice, "work_mem"); got != "[4MB]" {
		t.Errorf("work_mem after RESET: got %s, want the role's 4MB", got)
	}
	mustRun(t, admin, `drop role alice`)
	if got := outcome(admin, `select count(*) from pg_db_role_setting where setrole <> 0`); got != "[0]" {
		t.Errorf("settings left after DROP ROLE: %s", got)
	}
}
