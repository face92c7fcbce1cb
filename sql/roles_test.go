package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/scram"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestRolePrivileges: who may create, alter, rename and drop roles, and
// read the stored passwords, as PostgreSQL 15 decides it.
func TestRolePrivileges(t *testing.T) {
	e := newTestEngine(t)
	admin := newTestSession(t, e)
	mustRun(t, admin, "create role manager login createrole password 'm'")
	mustRun(t, admin, "create role worker login password 'w'")
	mustRun(t, admin, "create role boss login superuser")
	mustRun(t, admin, "create role nologin_role")
	as := func(user string) *Session {
		s, err := e.NewSession(user, "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	manager, worker := as("manager"), as("worker")
	cases := []struct {
		s     *Session
		query string
		want  string
	}{
		{worker, "create role x", "42501: permission denied to create role"},
		{worker, "alter role worker createdb", "42501: permission denied"},
		{worker, "alter role manager password 'x'", "42501: permission denied"},
		{worker, "alter role worker password 'mine'", ""},
		{worker, "alter role worker superuser", "42501: must be superuser to alter superuser roles or change superuser attribute"},
		{worker, "drop role nologin_role", "42501: permission denied to drop role"},
		{worker, "select rolpassword from pg_authid", "42501: permission denied for table pg_authid"},
		{worker, "select passwd from pg_shadow", "42501: permission denied for view pg_shadow"},
		{worker, "select count(*) from pg_roles where rolname = 'worker'", "1"},
		{worker, "show is_superuser", "off"},
		{manager, "create role m1 superuser", "42501: must be superuser to create superusers"},
		{manager, "create role m2 replication", "42501: must be superuser to create replication users"},
		{manager, "create role m3 login", ""},
		{manager, "alter role m3 createdb password 'p'", ""},
		{manager, "alter role boss password 'x'", "42501: must be superuser to alter superuser roles or change superuser attribute"},
		{manager, "alter role m3 rename to m4", ""},
		{manager, "alter role boss rename to boss2", "42501: must be superuser to rename superusers"},
		{manager, "drop role boss", "42501: must be superuser to drop superusers"},
		{manager, "drop role m4", ""},
		{manager, "drop role manager", "55006: current user cannot be dropped"},
		{admin, "alter role postgres nosuperuser", "42501: permission denied to alter role"},
		{admin, "alter role postgres nologin", "42501: permission denied to alter role"},
		{manager, "alter role postgres rename to root", "0A000: cannot rename the bootstrap superuser \"postgres\" in cairn"},
		{admin, "show is_superuser", "on"},
		{admin, "drop role boss", ""},
	}
	for _, c := range cases {
		got := outcome(c.s, c.query)
		failed := len(got) > 6 && got[5] == ':'
		if c.want == "" && failed || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: %q: got %q, want %q", c.s.user, c.query, got, c.want)
		}
	}
	// A role that cannot log in, or does not exist, has no session.
	for user, want := range map[string]string{
		"nologin_role": `28000: role "nologin_role" is not permitted to log in`,
		"ghost":        `28000: role "ghost" does not exist`,
	} {
		if _, err := e.NewSession(user, "postgres", nil); err == nil || pgerr.Code(err)+": "+err.Error() != want {
			t.Errorf("NewSession(%s): %v, want %s", user, err, want)
		}
	}
	r, ok, err := e.LookupRole("worker")
	if err != nil || !ok || !scram.Verify(r.Password, "worker", "mine") {
		t.Errorf("worker's new password: %+v %v %v", r, ok, err)
	}
}

// TestRolesSurviveRestart: roles and passwords, the bootstrap
// superuser's too, are stored with the data.
func TestRolesSurviveRestart(t *testing.T) {
	fs := vfs.NewMem()
	var store *checkpoint.Store
	open := func() *Engine {
		var err error
		store, err = checkpoint.Open(fs, "db", checkpoint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(store, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := open()
	s := newTestSession(t, e)
	mustRun(t, s, "create user alice password 'a' valid until 'infinity'")
	mustRun(t, s, "alter role postgres password 'p'")
	mustRun(t, s, "begin; create role never; rollback")
	s.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	e = open()
	defer store.Close()
	for name, pw := range map[string]string{"alice": "a", "postgres": "p"} {
		r, ok, err := e.LookupRole(name)
		if err != nil || !ok || !r.Login || !scram.Verify(r.Password, name, pw) {
			t.Errorf("%s after restart: %+v %v %v", name, r, ok, err)
		}
	}
	if _, ok, _ := e.LookupRole("never"); ok {
		t.Error("a rolled-back role exists after restart")
	}
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := outcome(s, "select rolname, rolvaliduntil from pg_roles where rolname in ('alice', 'postgres') order by 1"); !strings.Contains(got, "infinity") {
		t.Errorf("pg_roles after restart: %q", got)
	}
}
