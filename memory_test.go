package cairn_test

import (
	"context"
	stdsql "database/sql"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/membudget"
)

// TestMemoryBudget runs statements through database/sql on a DB whose
// statements share an 8 MiB budget: one that needs more fails with 53200,
// and a result's memory is held until its rows are closed, not while the
// connection sits in the pool.
func TestMemoryBudget(t *testing.T) {
	budget := membudget.New(8<<20, membudget.Options{})
	db, err := cairn.OpenWithOptions(cairn.MemoryDSN, &cairn.Options{MemoryBudget: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sdb := stdsql.OpenDB(cairn.NewConnector(db))
	defer sdb.Close()
	ctx := context.Background()

	_, err = sdb.ExecContext(ctx, "SELECT count(*) FROM generate_series(1, 1000000)")
	if sqlState(err) != "53200" {
		t.Fatalf("a statement over the budget: %v, want 53200", err)
	}
	rows, err := sdb.QueryContext(ctx, "SELECT repeat('r', 10000) FROM generate_series(1, 300)")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		if n++; n == 1 {
			if held := budget.Used(); held < 3_000_000 {
				t.Errorf("while its rows are open the query holds %d bytes, want at least 3 MB", held)
			}
		}
	}
	// The last Next closed the rows.
	if err := rows.Err(); err != nil || n != 300 {
		t.Fatalf("read %d rows: %v", n, err)
	}
	if held := budget.Used(); held != 0 {
		t.Errorf("after the rows are closed the budget holds %d bytes, want 0", held)
	}
	if _, err := sdb.ExecContext(ctx, "SELECT count(*) FROM generate_series(1, 10000)"); err != nil {
		t.Fatal(err)
	}
	if held := budget.Used(); held != 0 {
		t.Errorf("after an Exec the budget holds %d bytes, want 0", held)
	}
}
