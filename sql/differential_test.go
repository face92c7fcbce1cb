package sql

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestDifferential runs every testdata/differential/*.sql file against an
// embedded cairn engine and against PostgreSQL 15, and reports each
// statement whose answers differ.
//
// File format: a statement is one or more lines and ends at a line whose
// last non-blank character is ';'. Lines starting with "--" outside a
// statement and blank lines are ignored. Statements run one at a time, in
// order, in one session: a fresh in-memory cairn engine per file, and a
// fresh PostgreSQL database per file, over the simple query protocol.
//
// For each statement the test compares the SQLSTATE (or success), the
// command tag, the column names and type OIDs, and every value in
// PostgreSQL's text form. The rows of a statement whose text has no
// ORDER BY are sorted before comparing, since their order is unspecified.
func TestDifferential(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "differential", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/differential/*.sql files")
	}
	srv := pgtest.Start(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)

	var passed, total int
	for i, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".sql"), func(t *testing.T) {
			db := fmt.Sprintf("d_%d", i)
			if _, err := admin.Exec(ctx, "CREATE DATABASE "+db); err != nil {
				t.Fatal(err)
			}
			cfg, err := pgx.ParseConfig(srv.DatabaseURL(db))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
			pg, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer pg.Close(ctx)
			store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			e, err := NewEngine(store, Options{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := e.NewSession("postgres", "postgres", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			stmts, err := readDiffFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range stmts {
				total++
				want := pgAnswer(ctx, pg.PgConn(), st.sql)
				got := cairnAnswer(ctx, s, st.sql)
				if got != want {
					t.Errorf("%s:%d: %s\n  postgres: %s\n  cairn:    %s", file, st.line, st.sql, want, got)
					continue
				}
				passed++
			}
		})
	}
	t.Logf("%d of %d statements agree with PostgreSQL", passed, total)
}

type diffStmt struct {
	line int
	sql  string
}

func readDiffFile(name string) ([]diffStmt, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []diffStmt
	var cur []string
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if len(cur) == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "--")) {
			continue
		}
		if len(cur) == 0 {
			start = n
		}
		cur = append(cur, line)
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, diffStmt{line: start, sql: strings.Join(cur, "\n")})
			cur = nil
		}
	}
	if len(cur) > 0 {
		return nil, fmt.Errorf("%s:%d: statement does not end with ';'", name, start)
	}
	return out, sc.Err()
}

// diffResult is one statement's answer in a form both servers produce.
type diffResult struct {
	code  string // SQLSTATE, "" on success
	tag   string
	names []string
	types []uint32
	rows  [][]string // nil entries print as NULL
	nulls [][]bool
}

func (r diffResult) String(sortRows bool) string {
	if r.code != "" {
		return "ERROR " + r.code
	}
	var b strings.Builder
	b.WriteString(r.tag)
	if r.names != nil {
		fmt.Fprintf(&b, " columns=%v types=%v rows=", r.names, r.types)
		rows := make([]string, len(r.rows))
		for i, row := range r.rows {
			vals := make([]string, len(row))
			for j, v := range row {
				if r.nulls[i][j] {
					vals[j] = "NULL"
				} else {
					vals[j] = fmt.Sprintf("%q", v)
				}
			}
			rows[i] = "(" + strings.Join(vals, ",") + ")"
		}
		if sortRows {
			slices.Sort(rows)
		}
		b.WriteString("[" + strings.Join(rows, " ") + "]")
	}
	return b.String()
}

func ordered(sql string) bool {
	return strings.Contains(strings.ToUpper(strings.Join(strings.Fields(sql), " ")), "ORDER BY")
}

func pgAnswer(ctx context.Context, conn *pgconn.PgConn, sql string) string {
	mrr := conn.Exec(ctx, sql)
	var results []diffResult
	for mrr.NextResult() {
		rr := mrr.ResultReader()
		var r diffResult
		if fds := rr.FieldDescriptions(); fds != nil {
			r.names, r.types = []string{}, []uint32{}
			for _, fd := range fds {
				r.names = append(r.names, fd.Name)
				r.types = append(r.types, fd.DataTypeOID)
			}
		}
		for rr.NextRow() {
			row := rr.Values()
			vals := make([]string, len(row))
			nulls := make([]bool, len(row))
			for j, v := range row {
				vals[j], nulls[j] = string(v), v == nil
			}
			r.rows = append(r.rows, vals)
			r.nulls = append(r.nulls, nulls)
		}
		tag, err := rr.Close()
		r.tag = tag.String()
		if err != nil {
			r = diffResult{code: "?" + err.Error()}
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				r.code = pe.Code
			}
		}
		results = append(results, r)
	}
	if err := mrr.Close(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return diffResult{code: pe.Code}.String(false)
		}
		return "connection error: " + err.Error()
	}
	if len(results) != 1 {
		return fmt.Sprintf("%d results", len(results))
	}
	return results[0].String(!ordered(sql))
}

func cairnAnswer(ctx context.Context, s *Session, sql string) string {
	ps, err := s.PrepareAll(sql)
	if err != nil {
		return diffResult{code: pgerr.Code(err)}.String(false)
	}
	if len(ps) != 1 {
		return fmt.Sprintf("%d results", len(ps))
	}
	res, err := s.Execute(ctx, ps[0], nil)
	if err != nil {
		return diffResult{code: pgerr.Code(err)}.String(false)
	}
	r := diffResult{tag: res.Tag}
	if res.Columns != nil {
		r.names, r.types = []string{}, []uint32{}
		for _, c := range res.Columns {
			r.names = append(r.names, c.Name)
			r.types = append(r.types, uint32(c.Type.ID))
		}
	}
	for _, row := range res.Rows {
		vals := make([]string, len(row))
		nulls := make([]bool, len(row))
		for j, v := range row {
			if v == nil {
				nulls[j] = true
				continue
			}
			vals[j] = FormatText(res.Columns[j].Type, v)
		}
		r.rows = append(r.rows, vals)
		r.nulls = append(r.nulls, nulls)
	}
	return r.String(!ordered(sql))
}
