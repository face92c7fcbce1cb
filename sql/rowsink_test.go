package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// recordingSink writes down what ExecuteStream hands it; failAt > 0 makes
// its failAt-th row fail.
type recordingSink struct {
	log    []string
	rows   int
	failAt int
}

func (r *recordingSink) Begin(cols []Column, _ types.Style) error {
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	r.log = append(r.log, "begin "+strings.Join(names, ","))
	return nil
}

func (r *recordingSink) Notices(ns []Notice) {
	for _, n := range ns {
		r.log = append(r.log, n.Severity+" "+n.Message)
	}
}

var errSinkFull = errors.New("sink full")

func (r *recordingSink) Row(row []types.Datum) error {
	r.rows++
	if r.rows == r.failAt {
		return errSinkFull
	}
	var vals []string
	for _, d := range row {
		vals = append(vals, fmt.Sprint(d))
	}
	r.log = append(r.log, strings.Join(vals, " "))
	return nil
}

// TestExecuteStream checks which statements ExecuteStream streams and
// what the Result says then: a query's rows go to the sink, after Begin,
// and the Result carries the tag and no rows; a query failing part way
// has streamed the rows before its error; notices raised while a row was
// made come before it; a query failing before its
// first row never begins the sink; other statements, a function's inner
// query among them, return their rows in the Result; a sink's error ends
// the query and rolls back its implicit transaction.
func TestExecuteStream(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		`create table st (a int primary key, b text)`,
		`insert into st select g, 'v' || g from generate_series(1, 5) g`,
		`create function st_count() returns bigint language sql as 'select count(*) from st'`,
		`create function st_note(i int) returns int language plpgsql as $$ begin raise notice 'row %', i; return i; end $$`,
	} {
		if _, err := run(s, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, tc := range []struct {
		query    string
		failAt   int
		want     string // the sink's log
		tag      string
		rows     int // in the Result
		streamed bool
		code     string
	}{
		{query: `select a, b from st where a <= 3 order by a`, want: "begin a,b|1 v1|2 v2|3 v3", tag: "SELECT 3", streamed: true},
		{query: `select a from st where a > 10`, want: "begin a", tag: "SELECT 0", streamed: true},
		{query: `values (1, 2)`, want: "begin column1,column2|1 2", tag: "SELECT 1", streamed: true},
		{query: `select 10 / (3 - a) from st`, want: "begin ?column?|5|10", code: pgerr.DivisionByZero},
		{query: `select 1 / 0`, want: "", code: pgerr.DivisionByZero},
		// A sort sees all its input before its first row.
		{query: `select 10 / (3 - a) from st order by b`, want: "", code: pgerr.DivisionByZero},
		{query: `select st_note(a) from st where a <= 2`, want: "begin st_note|NOTICE row 1|1|NOTICE row 2|2", tag: "SELECT 2", streamed: true},
		{query: `select st_count()`, want: "begin st_count|5", tag: "SELECT 1", streamed: true},
		{query: `insert into st values (6, 'v6') returning a`, want: "", tag: "INSERT 0 1", rows: 1},
		{query: `show work_mem`, want: "", tag: "SHOW", rows: 1},
		{query: `select a from st order by a`, failAt: 2, want: "begin a|1"},
		{query: `select count(*) from st`, want: "begin count|6", tag: "SELECT 1", streamed: true},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ps, err := s.PrepareAll(context.Background(), tc.query)
			if err != nil || len(ps) != 1 {
				t.Fatalf("prepare: %v", err)
			}
			sink := &recordingSink{failAt: tc.failAt}
			res, err := s.ExecuteStream(context.Background(), ps[0], nil, sink)
			if got := strings.Join(sink.log, "|"); got != tc.want {
				t.Errorf("sink got %q, want %q", got, tc.want)
			}
			switch {
			case tc.failAt > 0:
				if !errors.Is(err, errSinkFull) {
					t.Fatalf("error %v, want the sink's", err)
				}
			case tc.code != "":
				if pgerr.Code(err) != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if res.Tag != tc.tag || len(res.Rows) != tc.rows || res.Streamed != tc.streamed {
					t.Errorf("result tag %q, %d rows, streamed %v; want %q, %d, %v", res.Tag, len(res.Rows), res.Streamed, tc.tag, tc.rows, tc.streamed)
				}
			}
			if s.rowSink != nil {
				t.Error("the session kept the sink after the statement")
			}
		})
	}
}
