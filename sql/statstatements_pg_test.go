package sql

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
)

// statStatementsWorkload is run on cairn and on PostgreSQL 15 with
// pg_stat_statements loaded; the entries it leaves must agree.
var statStatementsWorkload = []string{
	"CREATE TABLE pss (a int, b text)",
	"INSERT INTO pss VALUES (1, 'x')",
	"INSERT INTO pss VALUES (2, 'y')",
	"INSERT INTO pss VALUES (3, 'z'), (4, 'w')",
	"SELECT * FROM pss WHERE a > 1",
	"SELECT * FROM pss WHERE a > 2",
	"SELECT b FROM pss WHERE b = 'x' AND a < 10 LIMIT 5",
	"UPDATE pss SET b = 'v' WHERE a = 1",
	"DELETE FROM pss WHERE a = 3",
	"SELECT count(*) FROM pss",
	"BEGIN",
	"SELECT 1",
	"COMMIT",
	"SELECT 1/0",
	"SET search_path = public",
	"CREATE INDEX pss_a ON pss (a)",
	"DROP TABLE pss",
}

// statStatementsQuery reads the entries the workload left, leaving out
// the statements that set the comparison up.
const statStatementsQuery = "SELECT query, calls, rows, toplevel, plans FROM pg_stat_statements " +
	"WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY query COLLATE \"C\""

// TestStatStatementsMatchesPostgres: pg_stat_statements has PostgreSQL
// 15's columns (names and types, in order) and, for a fixed workload, the
// same entries: normalized texts, calls and rows (not times).
func TestStatStatementsMatchesPostgres(t *testing.T) {
	srv := pgtest.Start(t, "shared_preload_libraries=pg_stat_statements")
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	pgRun := func(q string) (pgx.Rows, error) { return pg.Query(ctx, q, pgx.QueryExecModeSimpleProtocol) }
	pgExec := func(q string) error {
		rows, err := pgRun(q)
		if err != nil {
			return err
		}
		rows.Close()
		return rows.Err()
	}
	for _, q := range []string{"CREATE EXTENSION pg_stat_statements", "SELECT pg_stat_statements_reset()"} {
		if err := pgExec(q); err != nil {
			t.Fatalf("PostgreSQL: %s: %v", q, err)
		}
	}

	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE EXTENSION pg_stat_statements")
	mustRun(t, s, "SELECT pg_stat_statements_reset()")

	// Columns.
	rows, err := pgRun("SELECT * FROM pg_stat_statements LIMIT 0")
	if err != nil {
		t.Fatal(err)
	}
	var pgCols []string
	for _, f := range rows.FieldDescriptions() {
		pgCols = append(pgCols, fmt.Sprintf("%s:%d", f.Name, f.DataTypeOID))
	}
	rows.Close()
	var cols []string
	for _, c := range mustRun(t, s, "SELECT * FROM pg_stat_statements LIMIT 0").Columns {
		cols = append(cols, fmt.Sprintf("%s:%d", c.Name, c.Type.ID))
	}
	if got, want := strings.Join(cols, " "), strings.Join(pgCols, " "); got != want {
		t.Errorf("columns:\n cairn %s\n    pg %s", got, want)
	}

	for _, q := range statStatementsWorkload {
		pgErr := pgExec(q)
		_, err := run(s, q)
		if (pgErr == nil) != (err == nil) {
			t.Fatalf("%s: PostgreSQL %v, cairn %v", q, pgErr, err)
		}
	}
	rows, err = pgRun(statStatementsQuery)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, fmt.Sprint(vals))
	}
	rows.Close()
	var got []string
	for _, r := range mustRun(t, s, statStatementsQuery).Rows {
		got = append(got, fmt.Sprint(r))
	}
	t.Logf("%d entries agree:\n%s", len(got), strings.Join(got, "\n"))
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("entries:\ncairn:\n%s\nPostgreSQL:\n%s", g, w)
	}
}
