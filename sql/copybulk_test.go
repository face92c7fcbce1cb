package sql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestCopyInBulk: COPY FROM into a table without a key or index writes its
// rows in batches (copyBuffer); across batch boundaries every row arrives
// once, a bad line after full batches leaves none of the COPY's rows, the
// transaction sees its own rows, and the rows are stored one version each.
func TestCopyInBulk(t *testing.T) {
	e, store := newTestEngineStore(t)
	s, other := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE bulk (a int4, b text CHECK (b <> 'bad'), c int4 DEFAULT 7)")
	const n = 3*copyBatchRows + 5
	var data strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&data, "%d\tv%d\n", i, i)
	}
	res, _, err := copyIn(t, s, "COPY bulk (a, b) FROM STDIN", data.String())
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != fmt.Sprintf("COPY %d", n) {
		t.Fatalf("tag %q", res.Tag)
	}
	want := fmt.Sprintf("[%d %d %d %d]", n, n*(n+1)/2, n, 7*n)
	const q = "SELECT count(*), sum(a), count(DISTINCT b), sum(c) FROM bulk"
	if got := rowsText(mustRun(t, s, q)); got != want {
		t.Fatalf("after COPY: %s, want %s", got, want)
	}
	desc, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "bulk")
	if k := countKeys(store, 't', desc.StorageID()); k != n {
		t.Fatalf("%d stored versions, want %d", k, n)
	}

	// A CHECK failure and a bad field after two full batches.
	for _, tc := range []struct{ bad, code string }{
		{"0\tbad\n", pgerr.CheckViolation},
		{"zero\tx\n", pgerr.InvalidTextRepresentation},
	} {
		_, _, err = copyIn(t, s, "COPY bulk (a, b) FROM STDIN", data.String()[:strings.Index(data.String(), fmt.Sprintf("\n%d\t", 2*copyBatchRows+10))+1]+tc.bad)
		if pgerr.Code(err) != tc.code {
			t.Fatalf("COPY with %q: %v, want %s", tc.bad, err, tc.code)
		}
		if got := rowsText(mustRun(t, s, q)); got != want {
			t.Fatalf("after the failed COPY: %s, want %s", got, want)
		}
	}

	// In a transaction: its own rows are seen, others' snapshots do not
	// see them before the commit.
	mustRun(t, s, "BEGIN")
	if _, _, err := copyIn(t, s, "COPY bulk (a, b) FROM STDIN", data.String()); err != nil {
		t.Fatal(err)
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM bulk")); got != fmt.Sprintf("[%d]", 2*n) {
		t.Fatalf("inside the transaction: %s", got)
	}
	if got := rowsText(mustRun(t, other, "SELECT count(*) FROM bulk")); got != fmt.Sprintf("[%d]", n) {
		t.Fatalf("another session before the commit: %s", got)
	}
	mustRun(t, s, "ROLLBACK")
	if got := rowsText(mustRun(t, other, q)); got != want {
		t.Fatalf("after the rollback: %s, want %s", got, want)
	}
}

// TestCopyInIngest: a COPY into a table without a key that gathers more
// than copyIngestBytes ingests its rows as LSM tables instead of logging
// them (the WAL grows by far less than the data), every row arrives once
// with its defaults, the remainder after the last full buffer arrives too,
// a failure after an ingested buffer leaves none of the COPY's rows, and
// a small COPY still goes through the WAL.
func TestCopyInIngest(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE bulk (a int4, b text, c int4 DEFAULT 7)")
	pad := strings.Repeat("x", 1000)
	n := 2*copyIngestBytes/len(pad) + 100
	var data strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&data, "%d\t%s%d\n", i, pad, i)
	}
	const q = "SELECT count(*), sum(a), count(DISTINCT b), sum(c) FROM bulk"
	want := fmt.Sprintf("[%d %d %d %d]", n, n*(n+1)/2, n, 7*n)

	// A bad line after two ingested buffers: nothing of the COPY is seen.
	bad := data.String() + "x\ty\n"
	if _, _, err := copyIn(t, s, "COPY bulk (a, b) FROM STDIN", bad); pgerr.Code(err) != pgerr.InvalidTextRepresentation {
		t.Fatalf("COPY with a bad last line: %v", err)
	}
	if got := rowsText(mustRun(t, s, q)); got != "[0 <nil> 0 <nil>]" {
		t.Fatalf("after the failed COPY: %s", got)
	}

	before := store.SyncedLSN()
	res, _, err := copyIn(t, s, "COPY bulk (a, b) FROM STDIN", data.String())
	if err != nil {
		t.Fatal(err)
	}
	if res.Tag != fmt.Sprintf("COPY %d", n) {
		t.Fatalf("tag %q", res.Tag)
	}
	if grew := store.SyncedLSN() - before; grew > uint64(data.Len()/8) {
		t.Errorf("the WAL grew by %d bytes for %d bytes of COPY data: the rows were logged", grew, data.Len())
	}
	if got := rowsText(mustRun(t, s, q)); got != want {
		t.Fatalf("after COPY: %s, want %s", got, want)
	}
	desc, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "bulk")
	if k := countKeys(store, 't', desc.StorageID()); k < n {
		t.Fatalf("%d stored versions, want at least %d", k, n)
	}

	// A small COPY is logged.
	before = store.SyncedLSN()
	if _, _, err := copyIn(t, s, "COPY bulk (a, b) FROM STDIN", "1\tsmall\n"); err != nil {
		t.Fatal(err)
	}
	if store.SyncedLSN() == before {
		t.Errorf("a one-row COPY wrote nothing to the WAL")
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM bulk WHERE b = 'small'")); got != "[1]" {
		t.Fatalf("the small COPY's row: %s", got)
	}
}
