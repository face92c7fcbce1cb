package sql

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// rewriteRows is more rows than one LoadRows batch holds.
const rewriteRows = 5000

// loadUnkeyed creates table name without a primary key, with rows
// (i, 'v<i>', i % 7) for i in 1..n inserted in a scrambled order.
func loadUnkeyed(t *testing.T, s *Session, name string, n int) {
	t.Helper()
	mustRun(t, s, fmt.Sprintf("CREATE TABLE %s (a int4, b text, c int4)", name))
	var vals []string
	for k := range n {
		i := (k*7919)%n + 1 // a permutation of 1..n: rows arrive out of key order
		vals = append(vals, fmt.Sprintf("(%d, 'v%d', %d)", i, i, i%7))
	}
	mustRun(t, s, fmt.Sprintf("INSERT INTO %s VALUES %s", name, strings.Join(vals, ", ")))
}

// TestAddPrimaryKeyNewStorage: ADD PRIMARY KEY writes the rows under a new
// storage id, and once VACUUM has deleted the old storage (stored under the
// table's OID) every way of reading and writing the table still finds its
// rows: a heap call that passed the table's OID instead of its storage id
// would find none.
func TestAddPrimaryKeyNewStorage(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	loadUnkeyed(t, s, "rw", rewriteRows)
	mustRun(t, s, "CREATE INDEX rw_c ON rw (c)")
	mustRun(t, s, "CREATE TABLE child (id int4 PRIMARY KEY, a int4)")
	mustRun(t, s, "ALTER TABLE rw ADD PRIMARY KEY (a)")
	desc, _, err := e.cat.Lookup(e.tm.ReadSnapshot(), "rw")
	if err != nil || desc == nil {
		t.Fatalf("lookup: %v", err)
	}
	if desc.StorageID() == desc.ID {
		t.Fatalf("after ADD PRIMARY KEY the table is stored under its OID %d", desc.ID)
	}
	if n := countKeys(store, 't', desc.ID); n != rewriteRows {
		t.Fatalf("before VACUUM the old storage holds %d versions, want %d", n, rewriteRows)
	}
	mustRun(t, s, "VACUUM")
	if n := countKeys(store, 't', desc.ID); n != 0 {
		t.Fatalf("after VACUUM the old storage holds %d versions", n)
	}
	if n := countKeys(store, 't', desc.StorageID()); n != rewriteRows {
		t.Fatalf("the new storage holds %d versions, want %d (one each, no dead ones)", n, rewriteRows)
	}

	checks := []struct{ query, want string }{
		{"SELECT count(*), sum(a) FROM rw", fmt.Sprintf("[%d %d]", rewriteRows, rewriteRows*(rewriteRows+1)/2)},
		{"SELECT b FROM rw WHERE a = 4321", "[v4321]"},
		{"SELECT count(*) FROM rw WHERE c = 3", fmt.Sprintf("[%d]", (rewriteRows+4)/7)},
		{"SELECT a FROM rw ORDER BY a LIMIT 3", "[1][2][3]"},
		{"UPDATE rw SET b = 'u' WHERE a = 10", ""},
		{"SELECT b FROM rw WHERE a = 10", "[u]"},
		{"DELETE FROM rw WHERE a = 11", ""},
		{"SELECT count(*) FROM rw WHERE a = 11", "[0]"},
		{"INSERT INTO rw VALUES (11, 'again', 4)", ""},
		{"INSERT INTO rw VALUES (12, 'x', 5) ON CONFLICT (a) DO UPDATE SET b = 'conflict'", ""},
		{"SELECT b FROM rw WHERE a = 12", "[conflict]"},
		{"ALTER TABLE child ADD FOREIGN KEY (a) REFERENCES rw (a)", ""},
		{"INSERT INTO child VALUES (1, 13)", ""},
		{"ALTER TABLE rw ADD CHECK (a > 0)", ""},
		{"CREATE UNIQUE INDEX rw_b ON rw (b)", ""},
		{"SELECT a FROM rw WHERE b = 'v77'", "[77]"},
		{"ALTER TABLE rw ADD COLUMN d int4 DEFAULT 1", ""},
		{"SELECT sum(d) FROM rw", fmt.Sprintf("[%d]", rewriteRows)},
		{"ALTER TABLE rw ALTER COLUMN c TYPE int8", ""},
		{"SELECT count(*), sum(c) FROM rw WHERE a <= 14", "[14 42]"},
		{"VACUUM rw", ""},
		{"SELECT count(*) FROM rw", fmt.Sprintf("[%d]", rewriteRows)},
	}
	for _, c := range checks {
		if got := rowsText(mustRun(t, s, c.query)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.query, got, c.want)
		}
	}
	for _, q := range []string{"INSERT INTO rw VALUES (13, 'dup', 1)", "DELETE FROM rw WHERE a = 13"} {
		if _, err := run(s, q); pgerr.Code(err) != pgerr.UniqueViolation && pgerr.Code(err) != pgerr.ForeignKeyViolation {
			t.Errorf("%s: %v, want a key violation", q, err)
		}
	}
	if rep, err := e.Check(); err != nil {
		t.Fatalf("Check: %v (%v)", err, rep)
	}
}

// TestAddPrimaryKeyRollback: a rolled-back ADD PRIMARY KEY leaves the table
// as it was, and VACUUM deletes the storage it had written.
func TestAddPrimaryKeyRollback(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	loadUnkeyed(t, s, "rb", rewriteRows)
	mustRun(t, s, "BEGIN")
	mustRun(t, s, "ALTER TABLE rb ADD PRIMARY KEY (a)")
	desc, _, err := s.e.cat.Lookup(s.currentSnapshot(), "rb")
	if err != nil || desc == nil || desc.StorageID() == desc.ID {
		t.Fatalf("inside the transaction: %v, %+v", err, desc)
	}
	// The transaction goes on with the new definition.
	mustRun(t, s, fmt.Sprintf("INSERT INTO rb VALUES (%d, 'new', 0)", rewriteRows+1))
	mustRun(t, s, "SAVEPOINT sp")
	if _, err := run(s, "INSERT INTO rb VALUES (1, 'dup', 0)"); pgerr.Code(err) != pgerr.UniqueViolation {
		t.Fatalf("a duplicate key inside the rewriting transaction: %v", err)
	}
	mustRun(t, s, "ROLLBACK TO sp")
	if got := rowsText(mustRun(t, s, "SELECT count(*), max(a) FROM rb")); got != fmt.Sprintf("[%d %d]", rewriteRows+1, rewriteRows+1) {
		t.Fatalf("inside the rewriting transaction: %s", got)
	}
	mustRun(t, s, "ROLLBACK")
	if n := countKeys(store, 't', desc.StorageID()); n != rewriteRows+1 {
		t.Fatalf("before VACUUM the new storage holds %d versions, want %d", n, rewriteRows+1)
	}
	mustRun(t, s, "VACUUM")
	if n := countKeys(store, 't', desc.StorageID()); n != 0 {
		t.Fatalf("after VACUUM the rolled-back storage holds %d versions", n)
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*), sum(a) FROM rb")); got != fmt.Sprintf("[%d %d]", rewriteRows, rewriteRows*(rewriteRows+1)/2) {
		t.Fatalf("after the rollback: %s", got)
	}
	mustRun(t, s, "INSERT INTO rb VALUES (1, 'dup', 1)") // no key: duplicates are fine
}

// TestAddPrimaryKeyErrors: a duplicate or NULL key fails the rewrite with
// PostgreSQL's SQLSTATE and message, and the table stays as it was.
func TestAddPrimaryKeyErrors(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	loadUnkeyed(t, s, "er", 3000)
	mustRun(t, s, "INSERT INTO er VALUES (2999, 'dup', 0), (NULL, 'null', 0)")
	_, err := run(s, "ALTER TABLE er ADD PRIMARY KEY (a)")
	if pgerr.Code(err) != pgerr.NotNullViolation {
		t.Fatalf("a NULL key: %v, want 23502", err)
	}
	mustRun(t, s, "DELETE FROM er WHERE a IS NULL")
	_, err = run(s, "ALTER TABLE er ADD PRIMARY KEY (a)")
	if pgerr.Code(err) != pgerr.UniqueViolation || !strings.Contains(fmt.Sprint(err), "er_pkey") {
		t.Fatalf("a duplicate key: %v, want 23505 on er_pkey", err)
	}
	var detail string
	if pe := (*pgerr.Error)(nil); errors.As(err, &pe) {
		detail = pe.Detail
	}
	if detail != "Key (a)=(2999) is duplicated." {
		t.Errorf("detail %q", detail)
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM er")); got != "[3001]" {
		t.Fatalf("after the failed rewrites: %s", got)
	}
	// Rows read in key order meet the duplicate as they are read.
	mustRun(t, s, "CREATE TABLE inorder (a int4)")
	mustRun(t, s, "INSERT INTO inorder SELECT g FROM generate_series(1, 3000) g")
	mustRun(t, s, "INSERT INTO inorder VALUES (3000)")
	_, err = run(s, "ALTER TABLE inorder ADD PRIMARY KEY (a)")
	if pe := (*pgerr.Error)(nil); !errors.As(err, &pe) || pe.Code != pgerr.UniqueViolation || pe.Detail != "Key (a)=(3000) is duplicated." {
		t.Fatalf("a duplicate key in key order: %v", err)
	}
	mustRun(t, s, "ALTER TABLE er ADD PRIMARY KEY (a, b)")
	if got := rowsText(mustRun(t, s, "SELECT b FROM er WHERE a = 2999 ORDER BY b")); got != "[dup][v2999]" {
		t.Fatalf("after ADD PRIMARY KEY (a, b): %s", got)
	}
}

// TestAddPrimaryKeyOlderSnapshot: a transaction whose snapshot predates a
// committed rewrite still reads the table as it was (cairn's rewrite keeps
// the old storage for it, where PostgreSQL shows such a snapshot an empty
// table), must not write into it (40001, where PostgreSQL writes into the
// new storage), and keeps VACUUM from deleting the old storage until it
// ends. A READ COMMITTED writer that waited for the rewrite writes into the
// new storage.
func TestAddPrimaryKeyOlderSnapshot(t *testing.T) {
	e, store := newTestEngineStore(t)
	a, b, c := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	loadUnkeyed(t, a, "os", 100)
	mustRun(t, a, "CREATE TABLE other (x int4)")
	desc, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "os")

	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SELECT count(*) FROM other") // takes the snapshot
	mustRun(t, a, "ALTER TABLE os ADD PRIMARY KEY (a)")
	mustRun(t, a, "VACUUM")
	if got := rowsText(mustRun(t, b, "SELECT count(*), sum(a) FROM os")); got != "[100 5050]" {
		t.Fatalf("the older snapshot reads %s", got)
	}
	if n := countKeys(store, 't', desc.ID); n != 100 {
		t.Fatalf("VACUUM deleted the old storage under a snapshot that sees it: %d versions left", n)
	}
	for _, q := range []string{"INSERT INTO os VALUES (101, 'new', 0)", "UPDATE os SET b = 'x' WHERE a = 1", "DELETE FROM os"} {
		mustRun(t, b, "SAVEPOINT sp")
		if _, err := run(b, q); pgerr.Code(err) != pgerr.SerializationFailure {
			t.Errorf("%s under the older snapshot: %v, want 40001", q, err)
		}
		mustRun(t, b, "ROLLBACK TO sp")
	}
	mustRun(t, b, "COMMIT")
	mustRun(t, a, "VACUUM")
	if n := countKeys(store, 't', desc.ID); n != 0 {
		t.Fatalf("VACUUM left %d versions of the old storage once no snapshot sees it", n)
	}

	// A READ COMMITTED insert that waits for a rewrite binds again
	// against the new descriptor.
	loadUnkeyed(t, a, "rc", 100)
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "ALTER TABLE rc ADD PRIMARY KEY (a)")
	done := make(chan error, 1)
	go func() { _, err := run(b, "INSERT INTO rc VALUES (101, 'waited', 0)"); done <- err }()
	awaitWaiting(t, c, b.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatalf("the waiting insert: %v", err)
	}
	mustRun(t, a, "VACUUM")
	if got := rowsText(mustRun(t, c, "SELECT count(*), max(a) FROM rc")); got != "[101 101]" {
		t.Fatalf("after the waiting insert: %s", got)
	}
	if _, err := run(c, "INSERT INTO rc VALUES (101, 'dup', 0)"); pgerr.Code(err) != pgerr.UniqueViolation {
		t.Fatalf("the waited insert is not under the key: %v", err)
	}
}

// TestAutoVacuumReclaimsRewrite: the background vacuum deletes the storage
// a rewrite replaced, once no snapshot sees it, without an explicit
// VACUUM.
func TestAutoVacuumReclaimsRewrite(t *testing.T) {
	e, store := newTestEngineStore(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	loadUnkeyed(t, a, "av", 100)
	desc, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "av")
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SELECT count(*) FROM av")
	mustRun(t, a, "ALTER TABLE av ADD PRIMARY KEY (a)")
	if _, err := e.AutoVacuum(); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(store, 't', desc.ID); n != 100 {
		t.Fatalf("the background vacuum deleted storage a snapshot sees: %d versions left", n)
	}
	mustRun(t, b, "COMMIT")
	if _, err := e.AutoVacuum(); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(store, 't', desc.ID); n != 0 {
		t.Fatalf("the background vacuum left %d versions of the replaced storage", n)
	}
	if e.reclaim.pending.Load() {
		t.Error("the background vacuum still has storage to reclaim")
	}
}

// TestAttachAfterRewrite: ATTACH PARTITION checks the rows of a table
// whose ADD PRIMARY KEY moved them to new storage, after VACUUM deleted
// the old one; reading the table through its OID would find no row to
// refuse.
func TestAttachAfterRewrite(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	loadUnkeyed(t, s, "ra", 200)
	mustRun(t, s, "ALTER TABLE ra ADD PRIMARY KEY (a)")
	mustRun(t, s, "VACUUM")
	mustRun(t, s, "CREATE TABLE rap (a int4, b text, c int4) PARTITION BY RANGE (a)")
	if _, err := run(s, "ALTER TABLE rap ATTACH PARTITION ra FOR VALUES FROM (1) TO (100)"); pgerr.Code(err) != pgerr.CheckViolation {
		t.Fatalf("attaching a table with rows outside the bound: %v, want 23514", err)
	}
	mustRun(t, s, "ALTER TABLE rap ATTACH PARTITION ra FOR VALUES FROM (1) TO (1000)")
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM rap WHERE a < 50")); got != "[49]" {
		t.Fatalf("rows through the partitioned table: %s, want [49]", got)
	}
}

// TestAddPrimaryKeyOverlappedLoad: a rewrite hands the chunks it reads in
// key order to a loader running beside the scan, and stops at the first
// key out of order; the rows after that are sorted and loaded apart.
// Whatever the point of disorder, every row arrives once and the key
// works; a duplicate of a row already handed over, a duplicate among the
// later rows, and a NULL key after chunks were handed over each fail the
// rewrite with PostgreSQL's error and leave the table as it was.
func TestAddPrimaryKeyOverlappedLoad(t *testing.T) {
	const head = 2*rewriteChunkRows + 100 // rows in key order, two chunks and more
	for _, c := range []struct {
		name, tail string // tail: the rows inserted after 1..head
		rows       int    // rows after a successful rewrite
		code       string // the rewrite's error, if any
		detail     string
	}{
		{name: "sorted", tail: fmt.Sprintf("SELECT g FROM generate_series(%d, %d) g", head+1, head+5000), rows: head + 5000},
		{name: "late disorder", tail: fmt.Sprintf("SELECT g FROM generate_series(%d, %d, -1) g", head+5000, head+1), rows: head + 5000},
		{name: "disorder into the loaded range", tail: fmt.Sprintf("SELECT g FROM generate_series(%d, %d, -1) g", head+5000, head+1) + " UNION ALL SELECT 0", rows: head + 5001},
		{name: "duplicate of a loaded row", tail: fmt.Sprintf("VALUES (%d), (%d), (100)", head+2, head+1), code: pgerr.UniqueViolation, detail: "Key (a)=(100) is duplicated."},
		{name: "duplicate among later rows", tail: fmt.Sprintf("VALUES (%d), (%d), (%d)", head+9, head+1, head+9), code: pgerr.UniqueViolation, detail: fmt.Sprintf("Key (a)=(%d) is duplicated.", head+9)},
		{name: "null key after loaded chunks", tail: "VALUES (NULL::int4)", code: pgerr.NotNullViolation},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newTestSession(t, newTestEngine(t))
			mustRun(t, s, "CREATE TABLE ol (a int4, b text)")
			mustRun(t, s, fmt.Sprintf("INSERT INTO ol SELECT g, 'v' || g FROM generate_series(1, %d) g", head))
			mustRun(t, s, "INSERT INTO ol (a) "+c.tail)
			before := rowsText(mustRun(t, s, "SELECT count(*), sum(a) FROM ol"))
			_, err := run(s, "ALTER TABLE ol ADD PRIMARY KEY (a)")
			if c.code != "" {
				var pe *pgerr.Error
				if !errors.As(err, &pe) || pe.Code != c.code || pe.Detail != c.detail {
					t.Fatalf("ADD PRIMARY KEY: %v (detail %q), want %s (%q)", err, pe.Detail, c.code, c.detail)
				}
				if got := rowsText(mustRun(t, s, "SELECT count(*), sum(a) FROM ol")); got != before {
					t.Fatalf("after the failed rewrite: %s, want %s", got, before)
				}
				mustRun(t, s, "INSERT INTO ol VALUES (1, 'again')") // no key
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := rowsText(mustRun(t, s, "SELECT count(*), sum(a), count(DISTINCT a) FROM ol")); got != fmt.Sprintf("[%d %s %d]", c.rows, strings.Fields(strings.Trim(before, "[]"))[1], c.rows) {
				t.Fatalf("after the rewrite: %s (before %s)", got, before)
			}
			for _, a := range []int{0, 1, head, head + 1, head + 4999} {
				if got, want := rowsText(mustRun(t, s, fmt.Sprintf("SELECT count(*) FROM ol WHERE a = %d", a))), "[1]"; got != want && (a != 0 || c.rows == head+5001) {
					t.Errorf("rows with a = %d: %s", a, got)
				}
			}
			if _, err := run(s, fmt.Sprintf("INSERT INTO ol VALUES (%d)", head)); pgerr.Code(err) != pgerr.UniqueViolation {
				t.Fatalf("a duplicate after the rewrite: %v", err)
			}
			if got := rowsText(mustRun(t, s, fmt.Sprintf("SELECT a FROM ol WHERE a >= %d ORDER BY a LIMIT 3", head-1))); got != fmt.Sprintf("[%d][%d][%d]", head-1, head, head+1) {
				t.Fatalf("a range in key order: %s", got)
			}
		})
	}
}

// TestAddPrimaryKeyLongKeys: keys longer than the room a rewrite's key
// buffer keeps, over several buffers, arrive whole: every row once, found
// by its key, in key order.
func TestAddPrimaryKeyLongKeys(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE lk (k text, n int4)")
	const rows = 3000 // about 3 MB of keys: several buffers
	mustRun(t, s, fmt.Sprintf("INSERT INTO lk SELECT lpad(g::text, %d, 'x'), g FROM generate_series(%d, 1, -1) g", 2*rewriteKeyRoomBytes+1000, rows))
	mustRun(t, s, "ALTER TABLE lk ADD PRIMARY KEY (k)")
	if got := rowsText(mustRun(t, s, "SELECT count(*), count(DISTINCT k), sum(n) FROM lk")); got != fmt.Sprintf("[%d %d %d]", rows, rows, rows*(rows+1)/2) {
		t.Fatalf("after the rewrite: %s", got)
	}
	for _, n := range []int{1, 1234, rows} {
		q := fmt.Sprintf("SELECT n FROM lk WHERE k = lpad('%d', %d, 'x')", n, 2*rewriteKeyRoomBytes+1000)
		if got := rowsText(mustRun(t, s, q)); got != fmt.Sprintf("[%d]", n) {
			t.Errorf("row %d by its key: %s", n, got)
		}
	}
	if got := rowsText(mustRun(t, s, "SELECT n FROM lk ORDER BY k LIMIT 2")); got != "[1000][1001]" {
		t.Errorf("first keys in order: %s", got)
	}
}
