package sql

import (
	"errors"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestCheckConstraints: CHECK constraints are named as PostgreSQL names
// them, fail INSERT, UPDATE, ON CONFLICT DO UPDATE and COPY with 23514,
// let NULL pass, and are added, validated, renamed and dropped by ALTER
// TABLE.
func TestCheckConstraints(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE t (a int CHECK (a > 0), b text, c int, CHECK (b <> ''), CHECK (a < c), CONSTRAINT named CHECK (c < 100), PRIMARY KEY (a))`)
	for _, tc := range []struct{ q, want string }{
		{"SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 't'::regclass AND contype = 'c' ORDER BY 1",
			"[named c CHECK ((c < 100))][t_a_check c CHECK ((a > 0))][t_b_check c CHECK ((b <> ''::text))][t_check c CHECK ((a < c))]"},
		{"SELECT pg_get_constraintdef(oid, true) FROM pg_constraint WHERE conname = 't_check'", "[CHECK (a < c)]"},
		{"INSERT INTO t VALUES (1, 'x', 2)", ""},
		{"INSERT INTO t VALUES (0, 'x', 2)", `23514: new row for relation "t" violates check constraint "t_a_check"`},
		{"INSERT INTO t VALUES (5, '', 7)", `23514: new row for relation "t" violates check constraint "t_b_check"`},
		{"INSERT INTO t VALUES (5, 'x', 500)", `23514: new row for relation "t" violates check constraint "named"`},
		{"INSERT INTO t VALUES (2, NULL, NULL)", ""},
		{"UPDATE t SET c = 0 WHERE a = 1", `23514: new row for relation "t" violates check constraint "t_check"`},
		{"INSERT INTO t VALUES (1, 'y', 3) ON CONFLICT (a) DO UPDATE SET c = -1", `23514: new row for relation "t" violates check constraint "t_check"`},
		{"ALTER TABLE t ADD CHECK (c > 2)", `23514: check constraint "t_c_check" of relation "t" is violated by some row`},
		{"INSERT INTO t VALUES (3, 'x', 5)", ""},
		{"ALTER TABLE t ADD CONSTRAINT later CHECK (c <> 5) NOT VALID", ""},
		{"INSERT INTO t VALUES (4, 'x', 5)", `23514: new row for relation "t" violates check constraint "later"`},
		{"SELECT convalidated FROM pg_constraint WHERE conname = 'later'", "[f]"},
		{"ALTER TABLE t VALIDATE CONSTRAINT later", `23514: check constraint "later" of relation "t" is violated by some row`},
		{"DELETE FROM t WHERE c = 5", ""},
		{"ALTER TABLE t VALIDATE CONSTRAINT later", ""},
		{"SELECT convalidated FROM pg_constraint WHERE conname = 'later'", "[t]"},
		{"ALTER TABLE t ADD CONSTRAINT later CHECK (true)", `42710: constraint "later" for relation "t" already exists`},
		{"ALTER TABLE t RENAME CONSTRAINT later TO latest", ""},
		{"ALTER TABLE t DROP CONSTRAINT latest", ""},
		{"ALTER TABLE t DROP CONSTRAINT latest", `42704: constraint "latest" of relation "t" does not exist`},
		{"ALTER TABLE t DROP CONSTRAINT IF EXISTS latest", ""},
		{"ALTER TABLE t ADD CHECK (a)", "42804: argument of CHECK must be type boolean, not type integer"},
		{"ALTER TABLE t ADD CHECK (a > (SELECT 1))", "0A000: cannot use subquery in check constraint"},
		{"ALTER TABLE t ADD CHECK (count(*) > 0)", "42803: aggregate functions are not allowed in check constraints"},
		{"CREATE TABLE t2 (a int, CHECK (a > 0), CHECK (a > 1), CHECK (true))", ""},
		{"SELECT conname FROM pg_constraint WHERE conrelid = 't2'::regclass ORDER BY 1", "[t2_a_check][t2_a_check1][t2_check]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
	// The error names the schema, table and constraint, with the row.
	_, err := run(s, "INSERT INTO t VALUES (9, 'z', 1)")
	var pe *pgerr.Error
	if !errors.As(err, &pe) || pe.Table != "t" || pe.Constraint != "t_check" || pe.Schema != "public" || pe.Detail != "Failing row contains (9, z, 1)." {
		t.Errorf("violation fields: %#v", err)
	}
}

// TestForeignKeys: references are checked at the end of the statement,
// parent deletes and updates act as ON DELETE / ON UPDATE say, and drop
// and truncate respect the references.
func TestForeignKeys(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE p (id int PRIMARY KEY, u int UNIQUE, v text)`)
	mustRun(t, s, `CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p, pu int REFERENCES p (u) ON DELETE CASCADE ON UPDATE CASCADE)`)
	// Parent-side events find c's rows through this index, n's by a scan.
	mustRun(t, s, `CREATE INDEX c_pu_id ON c (pu, id)`)
	mustRun(t, s, `CREATE TABLE n (id int PRIMARY KEY, pid int DEFAULT 1 REFERENCES p ON DELETE SET NULL ON UPDATE SET DEFAULT)`)
	mustRun(t, s, `CREATE TABLE self (id int PRIMARY KEY, up int REFERENCES self)`)
	mustRun(t, s, `CREATE TABLE pk2 (a int, b int, PRIMARY KEY (a, b))`)
	mustRun(t, s, `CREATE TABLE m (a int, b int, FOREIGN KEY (a, b) REFERENCES pk2 MATCH FULL)`)
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO p VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')", ""},
		{"INSERT INTO c VALUES (1, 1, 10), (2, 2, 20), (3, NULL, 30)", ""},
		{"INSERT INTO c VALUES (4, 4, NULL)", `23503: insert or update on table "c" violates foreign key constraint "c_pid_fkey"`},
		{"UPDATE c SET pu = 40 WHERE id = 1", `23503: insert or update on table "c" violates foreign key constraint "c_pu_fkey"`},
		{"DELETE FROM p WHERE id = 1", `23503: update or delete on table "p" violates foreign key constraint "c_pid_fkey" on table "c"`},
		{"UPDATE p SET v = 'z' WHERE id = 1", ""},
		{"UPDATE p SET u = 11 WHERE id = 1", ""},
		{"SELECT pu FROM c WHERE id = 1", "[11]"},
		{"DELETE FROM c WHERE id = 1", ""},
		{"DELETE FROM p WHERE id = 1", ""},
		{"DELETE FROM p WHERE id = 3", ""},
		{"SELECT id FROM c ORDER BY id", "[2]"},
		{"INSERT INTO n VALUES (1, 2), (2, 2)", ""},
		{"DELETE FROM c", ""},
		{"DELETE FROM p WHERE id = 2", ""},
		{"SELECT id, pid FROM n ORDER BY id", "[1 <nil>][2 <nil>]"},
		// A statement may write the parent after the child.
		{"INSERT INTO self VALUES (2, 1), (1, NULL)", ""},
		{"INSERT INTO self VALUES (3, 3)", ""},
		{"DELETE FROM self WHERE id = 1", `23503: update or delete on table "self" violates foreign key constraint "self_up_fkey" on table "self"`},
		{"DELETE FROM self", ""},
		{"INSERT INTO m VALUES (NULL, NULL)", ""},
		{"INSERT INTO m VALUES (1, NULL)", `23503: insert or update on table "m" violates foreign key constraint "m_a_b_fkey"`},
		{"DROP TABLE p", "2BP01: cannot drop table p because other objects depend on it"},
		{"TRUNCATE p", "0A000: cannot truncate a table referenced in a foreign key constraint"},
		{"TRUNCATE p, c, n", ""},
		{"CREATE TABLE bad (a text REFERENCES p)", `42804: foreign key constraint "bad_a_fkey" cannot be implemented`},
		{"CREATE TABLE bad (a int REFERENCES p (v))", `42830: there is no unique constraint matching given keys for referenced table "p"`},
		{"CREATE TABLE bad (a int REFERENCES n2)", `42P01: relation "n2" does not exist`},
		{"DROP TABLE p CASCADE", ""},
		{"SELECT count(*) FROM pg_constraint WHERE contype = 'f'", "[2]"},
		{"INSERT INTO c VALUES (9, 9, 9)", ""},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestForeignKeyDeferred: a deferred constraint is checked at COMMIT,
// SET CONSTRAINTS changes the mode, and NO ACTION accepts a parent key the
// statement deletes and writes again.
func TestForeignKeyDeferred(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE p (id int PRIMARY KEY)`)
	mustRun(t, s, `CREATE TABLE c (pid int REFERENCES p DEFERRABLE INITIALLY DEFERRED)`)
	mustRun(t, s, `CREATE TABLE i (pid int REFERENCES p DEFERRABLE)`)
	for _, tc := range []struct{ q, want string }{
		{"BEGIN", ""},
		{"INSERT INTO c VALUES (1)", ""},
		{"INSERT INTO p VALUES (1)", ""},
		{"COMMIT", ""},
		{"BEGIN", ""},
		{"INSERT INTO c VALUES (2)", ""},
		{"COMMIT", `23503: insert or update on table "c" violates foreign key constraint "c_pid_fkey"`},
		{"SELECT count(*) FROM c", "[1]"},
		{"BEGIN", ""},
		{"INSERT INTO i VALUES (2)", `23503: insert or update on table "i" violates foreign key constraint "i_pid_fkey"`},
		{"ROLLBACK", ""},
		{"BEGIN", ""},
		{"SET CONSTRAINTS i_pid_fkey DEFERRED", ""},
		{"INSERT INTO i VALUES (2)", ""},
		{"SET CONSTRAINTS ALL IMMEDIATE", `23503: insert or update on table "i" violates foreign key constraint "i_pid_fkey"`},
		{"ROLLBACK", ""},
		{"SET CONSTRAINTS p_pkey DEFERRED", `42809: constraint "p_pkey" is not deferrable`},
		{"INSERT INTO c VALUES (3)", `23503: insert or update on table "c" violates foreign key constraint "c_pid_fkey"`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestConstraintsSurviveRestart: CHECK and FOREIGN KEY constraints are
// in the catalog, so they hold after the store is opened again.
func TestConstraintsSurviveRestart(t *testing.T) {
	fs := vfs.NewMem()
	open := func() (*checkpoint.Store, *Session) {
		store, err := checkpoint.Open(fs, "db", checkpoint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(store, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.NewSession("postgres", "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		return store, s
	}
	store, s := open()
	mustRun(t, s, "CREATE TABLE p (id int PRIMARY KEY CHECK (id > 0)); CREATE TABLE c (pid int REFERENCES p ON DELETE CASCADE)")
	mustRun(t, s, "INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)")
	s.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store, s = open()
	defer store.Close()
	defer s.Close()
	for _, tc := range []struct{ q, want string }{
		{"INSERT INTO p VALUES (0)", `23514: new row for relation "p" violates check constraint "p_id_check"`},
		{"INSERT INTO c VALUES (2)", `23503: insert or update on table "c" violates foreign key constraint "c_pid_fkey"`},
		{"DELETE FROM p", ""},
		{"SELECT count(*) FROM c", "[0]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestForeignKeyCommandIDs: checking references takes no command ids, so a
// transaction's inserts of many referencing rows do not run through the
// 2^32 commands a transaction has; an action that writes takes one.
func TestForeignKeyCommandIDs(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p ON DELETE CASCADE)")
	mustRun(t, s, "INSERT INTO p SELECT generate_series(1, 100)")
	mustRun(t, s, "BEGIN")
	before := s.cid
	mustRun(t, s, "INSERT INTO c SELECT generate_series(1, 100)")
	if used := s.cid - before; used != 1 {
		t.Errorf("INSERT of 100 referencing rows used %d command ids, want 1", used)
	}
	before = s.cid
	mustRun(t, s, "DELETE FROM p WHERE id <= 2")
	if used := s.cid - before; used != 3 {
		t.Errorf("DELETE with two cascades used %d command ids, want 3", used)
	}
	if got := outcome(s, "SELECT count(*) FROM c"); got != "[98]" {
		t.Errorf("after the cascade: %s rows, want 98", got)
	}
	mustRun(t, s, "COMMIT")
}

// TestForeignKeyQueueMemory: the RI events a statement queues, with the
// rows they hold, count against the statement's memory, so an insert into
// a referencing table that would fit without its checks fails with 53200
// instead of growing past the budget.
func TestForeignKeyQueueMemory(t *testing.T) {
	e, _ := newBudgetEngine(t, 1<<20)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p, pad text); CREATE TABLE free (pid int, pad text)")
	mustRun(t, s, "INSERT INTO p VALUES (1)")
	const q = " SELECT 1, repeat('x', 1000) FROM generate_series(1, 700)"
	mustRun(t, s, "INSERT INTO free"+q)
	if _, err := run(s, "INSERT INTO c"+q); pgerr.Code(err) != pgerr.OutOfMemory {
		t.Errorf("700 rows of 1 kB with their checks: %v, want 53200", err)
	}
	mustRun(t, s, "INSERT INTO c SELECT 1, repeat('x', 100) FROM generate_series(1, 700)")
}
