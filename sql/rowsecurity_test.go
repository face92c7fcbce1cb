package sql

import (
	"context"
	"strings"
	"testing"
)

// rlsFixture makes a table rt owned by rt_owner with rows of alice and
// bob, under a policy that shows each role its own rows.
func rlsFixture(t *testing.T) (e *Engine, admin *Session, as func(string) *Session) {
	t.Helper()
	e = newTestEngine(t)
	admin = newTestSession(t, e)
	for _, q := range []string{
		"create role rt_owner login",
		"create role alice login",
		"create role bob login",
		"create table rt (id int primary key, who name, v int)",
		"alter table rt owner to rt_owner",
		"grant all on rt to alice, bob",
		"grant bob to alice",
		"grant alice to rt_owner",
		"insert into rt values (1, 'alice', 10), (2, 'alice', 20), (3, 'bob', 30), (4, 'bob', 0)",
		"alter table rt enable row level security",
		"create policy own on rt using (who = current_user)",
	} {
		mustRun(t, admin, q)
	}
	as = func(user string) *Session {
		s, err := e.NewSession(user, "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	return e, admin, as
}

// TestRowSecurityStatements: what each statement sees and may write under
// the policies, the corners the differential file cannot show (COPY TO
// needs a client, error texts are compared by SQLSTATE there).
func TestRowSecurityStatements(t *testing.T) {
	_, admin, as := rlsFixture(t)
	alice, bob := as("alice"), as("bob")
	cases := []struct {
		s     *Session
		query string
		want  string
	}{
		{alice, "select id from rt order by id", "[1][2]"},
		{bob, "select id from rt order by id", "[3][4]"},
		// The policy filters before the statement's own condition: bob's
		// row with v = 0 never reaches the division.
		{alice, "select id from rt where 100 / v > 1 order by id", "[1][2]"},
		{bob, "select id from rt where 100 / v > 1", "22012: division by zero"},
		{alice, "insert into rt values (5, 'bob', 1)", `42501: new row violates row-level security policy for table "rt"`},
		{alice, "update rt set who = 'bob' where id = 1", `42501: new row violates row-level security policy for table "rt"`},
		{alice, "update rt set v = v + 1 where id = 3", ""},
		{alice, "delete from rt where id = 3", ""},
		{admin, "select v from rt where id = 3", "[30]"},
		// UPDATE ... FROM and DELETE ... USING filter the target too.
		{alice, "update rt set v = 0 from (values (1), (3)) x(k) where rt.id = x.k returning rt.id", "[1]"},
		{alice, "delete from rt using (values (3), (4)) x(k) where rt.id = x.k returning rt.id", ""},
		{admin, "select count(*) from rt where who = 'bob'", "[2]"},
		{alice, "copy rt from stdin", "0A000: COPY FROM not supported with row-level security"},
		// MERGE matches only the rows the SELECT policies show.
		{alice, "merge into rt using (values (4)) x(k) on rt.id = x.k when matched then delete when not matched then insert values (x.k, 'bob', 1)",
			`42501: new row violates row-level security policy for table "rt"`},
		{alice, "merge into rt using (values (2)) x(k) on rt.id = x.k when matched then update set who = 'bob'",
			`42501: new row violates row-level security policy for table "rt"`},
		{alice, "set row_security = off", ""},
		{alice, "select 1 from rt", `42501: query would be affected by row-level security policy for table "rt"`},
		{alice, "reset row_security", ""},
		// The policies are bound for the role the statement runs as.
		{alice, "set role bob", ""},
		{alice, "select id from rt order by id", "[3][4]"},
		{alice, "reset role", ""},
	}
	for _, c := range cases {
		got := outcome(c.s, c.query)
		failed := len(got) > 6 && got[5] == ':'
		if c.want == "" && failed || c.want != "" && !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q: got %q, want %q", c.s.user, c.query, got, c.want)
		}
	}
}

// TestRowSecurityCopyTo: COPY table TO applies the policies, as it reads
// the table through a query.
func TestRowSecurityCopyTo(t *testing.T) {
	_, _, as := rlsFixture(t)
	bob := as("bob")
	ps, err := bob.PrepareAll(context.Background(), "COPY rt TO STDOUT")
	if err != nil {
		t.Fatal(err)
	}
	var sink lineSink
	if _, err := bob.CopyOut(context.Background(), ps[0], &sink); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(sink.lines, ""); got != "3\tbob\t30\n4\tbob\t0\n" {
		t.Errorf("COPY sent %q, want bob's two rows", got)
	}
}

// TestRowSecurityPreparedRebinds: a prepared statement's plan holds the
// policies of the role it was bound for; it binds again when the role,
// row_security, the policies or the role's BYPASSRLS change.
func TestRowSecurityPreparedRebinds(t *testing.T) {
	_, admin, as := rlsFixture(t)
	s := as("rt_owner")
	ctx := context.Background()
	p, err := s.Prepare(ctx, "select count(*) from rt", nil)
	if err != nil {
		t.Fatal(err)
	}
	count := func(want string) {
		t.Helper()
		res, err := s.Execute(ctx, p, nil)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = rowsText(res)
		}
		if got != want {
			t.Errorf("count: got %s, want %s", got, want)
		}
	}
	count("[4]") // the owner is not subject to the policies
	mustRun(t, admin, "alter table rt force row level security")
	count("[0]") // unless FORCE: no row is the owner's
	mustRun(t, admin, "alter table rt no force row level security")
	mustRun(t, s, "set role alice")
	count("[2]")
	mustRun(t, s, "set row_security = off")
	count(`query would be affected by row-level security policy for table "rt"`)
	mustRun(t, s, "reset row_security")
	mustRun(t, admin, "alter role alice bypassrls")
	count("[4]")
	mustRun(t, admin, "alter role alice nobypassrls")
	count("[2]")
	mustRun(t, admin, "create policy all_low on rt for select using (v < 25)")
	count("[3]")
	mustRun(t, admin, "alter table rt disable row level security")
	count("[4]")
}

// TestRowSecurityDDL: policies follow their table's columns and go with
// the table; a policy that reads its own table through another is
// refused when used.
func TestRowSecurityDDL(t *testing.T) {
	_, admin, as := rlsFixture(t)
	alice := as("alice")
	mustRun(t, admin, "alter table rt rename column who to owner_name")
	if got := outcome(admin, "select qual from pg_policies where policyname = 'own'"); got != "[(owner_name = CURRENT_USER)]" {
		t.Errorf("policy after the rename: %q", got)
	}
	if got := outcome(alice, "select id from rt order by id"); got != "[1][2]" {
		t.Errorf("alice after the rename: %q", got)
	}
	mustRun(t, admin, "create table rt2 (id int)")
	mustRun(t, admin, "grant all on rt2 to alice")
	mustRun(t, admin, "alter table rt2 enable row level security")
	mustRun(t, admin, "create policy loop on rt2 using (id in (select id from rt))")
	mustRun(t, admin, "create policy back on rt using (id in (select id from rt2))")
	if got := outcome(alice, "select * from rt"); got != `42P17: infinite recursion detected in policy for relation "rt"` {
		t.Errorf("recursive policies: %q", got)
	}
	// rt2's policy reads rt: DROP needs CASCADE, which takes the policy.
	if got := outcome(admin, "drop table rt"); !strings.HasPrefix(got, "2BP01: cannot drop table rt because other objects depend on it") {
		t.Errorf("DROP TABLE rt read by a policy: %q", got)
	}
	res := mustRun(t, admin, "drop table rt cascade")
	if len(res.Notices) != 1 || res.Notices[0].Message != "drop cascades to policy loop on table rt2" {
		t.Errorf("DROP TABLE rt CASCADE notices: %+v", res.Notices)
	}
	if got := outcome(admin, "select count(*) from pg_policy"); got != "[0]" {
		t.Errorf("policies after DROP TABLE: %q, want none", got)
	}
}
