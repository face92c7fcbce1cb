package cairn_test

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
)

// fkSetup makes a parent p and a child c referencing it, with p(1) and
// p(2).
var fkSetup = []string{"drop table if exists c", "drop table if exists p",
	"create table p (id int primary key, v text)", "create table c (id int primary key, pid int references p)",
	"insert into p values (1, 'a'), (2, 'b')"}

// fkCases interleave a child insert with a delete or update of its parent,
// as the Hermitage cases interleave their statements (runInterleaving).
var fkCases = []hcase{
	{name: "child-then-delete", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "insert into c values (1, 1)"), s(1, "delete from p where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{name: "delete-then-child", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "delete from p where id = 1"), s(1, "insert into c values (1, 1)"),
		s(0, "commit"), s(1, "commit")}},
	{name: "delete-rolled-back", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "delete from p where id = 1"), s(1, "insert into c values (1, 1)"),
		s(0, "rollback"), s(1, "commit")}},
	{name: "delete-committed-before-child", steps: []hstep{s(1, "B"), s(1, "select * from p"),
		s(0, "delete from p where id = 1"), s(1, "insert into c values (1, 1)"), s(1, "commit")}},
	{name: "child-committed-before-delete", steps: []hstep{s(1, "B"), s(1, "select * from c"),
		s(0, "insert into c values (1, 1)"), s(1, "delete from p where id = 1"), s(1, "commit")}},
	{name: "child-after-rollback-to-then-delete", steps: []hstep{s(0, "B"), s(0, "savepoint s"),
		s(0, "insert into c values (1, 1)"), s(0, "rollback to s"), s(0, "insert into c values (2, 1)"),
		s(1, "delete from p where id = 1"), s(0, "commit")}},
	{name: "child-then-nonkey-update", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "insert into c values (1, 1)"), s(1, "update p set v = 'z' where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{name: "child-then-key-update", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "insert into c values (1, 1)"), s(1, "update p set id = 3 where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{name: "key-update-then-child", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "update p set id = 3 where id = 1"), s(1, "insert into c values (1, 1)"),
		s(0, "commit"), s(1, "commit")}},
}

// fkCascadeSetup is fkSetup with ON DELETE CASCADE, and a child row.
var fkCascadeSetup = []string{"drop table if exists c", "drop table if exists p",
	"create table p (id int primary key, v text)", "create table c (id int primary key, pid int references p on delete cascade, w text)",
	"insert into p values (1, 'a'), (2, 'b')", "insert into c values (1, 1, 'x'), (2, 2, 'y')"}

// fkCascadeCases race a cascading delete with a change of the child row.
var fkCascadeCases = []hcase{
	{name: "child-update-then-cascade", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "update c set w = 'z' where id = 1"), s(1, "delete from p where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{name: "child-repoint-then-cascade", steps: []hstep{s(0, "B"), s(1, "B"),
		s(0, "update c set pid = 2 where id = 1"), s(1, "delete from p where id = 1"),
		s(0, "commit"), s(1, "commit")}},
	{name: "child-updated-before-cascade", steps: []hstep{s(1, "B"), s(1, "select * from c"),
		s(0, "update c set w = 'z' where id = 1"), s(1, "delete from p where id = 1"), s(1, "commit")}},
	{name: "cascade-then-child-update", steps: []hstep{s(0, "B"), s(1, "B"),
		s(1, "delete from p where id = 1"), s(0, "update c set w = 'z' where id = 1"),
		s(1, "commit"), s(0, "commit")}},
}

// TestForeignKeyConcurrency runs each interleaving of a child insert and
// a change of its parent on PostgreSQL 15 and on cairn, at each isolation
// level, and requires the same trace: which statement waits, when it is
// released, and what each returns.
func TestForeignKeyConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each case on PostgreSQL and cairn")
	}
	pg := pgtest.Start(t)
	cairnURL := startCairnServer(t)
	const final = "select p.id, c.id from p full join c on c.pid = p.id"
	type group struct {
		cases []hcase
		setup []string
	}
	for _, g := range []group{{fkCases, fkSetup}, {fkCascadeCases, fkCascadeSetup}} {
		for _, c := range g.cases {
			for _, level := range []string{"read committed", "repeatable read"} {
				t.Run(c.name+"/"+strings.ReplaceAll(level, " ", "-"), func(t *testing.T) {
					want := runInterleaving(t, pg.URL(), c, level, g.setup, final)
					got := runInterleaving(t, cairnURL, c, level, g.setup, final)
					if strings.Join(want, "\n") != strings.Join(got, "\n") {
						t.Errorf("trace differs\n postgres:\n  %s\n cairn:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
					}
				})
			}
		}
	}
}
