package sql

import (
	"context"
	"errors"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Streaming a query's rows to the client.
//
// Execute returns a SELECT's rows in Result.Rows, which holds the whole
// result in memory at once. ExecuteStream instead hands the rows of a
// top-level query to a RowSink as its plan produces them, so that a sink
// that writes to a socket and blocks while the client is slow to read
// stops the query until the client catches up: the server holds a few
// rows, not the result (PostgreSQL's executor likewise sends each row as
// it comes out of the plan). Nodes that must see all their input first
// (sort, DISTINCT, window functions, set operations, set-returning
// functions) still collect theirs; what is streamed is what they, or the
// scans and joins below a plain query, hand on.

// RowSink takes the rows of the query ExecuteStream runs.
type RowSink interface {
	// Begin is called once, before the first row (or at the end of a
	// query that returned none), with the result's columns and the
	// output style their values print in. An error fails the statement.
	Begin(columns []Column, style types.Style) error
	// Row takes one row. The row is borrowed: it is valid only during
	// the call. An error ends the statement with that error.
	Row(row []types.Datum) error
	// Notices takes the notices raised (a function's RAISE NOTICE) while
	// the next row was made, before that row; those raised after the
	// last row come in the Result.
	Notices(notices []Notice)
}

// ExecuteStream runs p as Execute does; when p is a query (SELECT, VALUES,
// TABLE), its rows go to sink as they are produced and the Result has
// Streamed set and no Rows. Any other statement's rows (RETURNING, FETCH,
// EXPLAIN, SHOW) come back in the Result as from Execute, and sink is not
// called.
func (s *Session) ExecuteStream(ctx context.Context, p *Prepared, params []types.Datum, sink RowSink) (*Result, error) {
	s.rowSink = sink
	defer func() { s.rowSink = nil }()
	return s.Execute(ctx, p, params)
}

// takeRowSink returns the sink of the statement ExecuteStream runs and
// forgets it, so that the statements it runs in turn (a function's body)
// never send rows to the client.
func (s *Session) takeRowSink() RowSink {
	sink := s.rowSink
	s.rowSink = nil
	return sink
}

// executeInto runs the query, handing its rows to sink.
func (q *selectPlan) executeInto(x *execCtx, ec *evalCtx, sink RowSink) (*Result, error) {
	cols := q.columns()
	// The sink begins with the first row, or at the end when there is
	// none: a query that fails before its first row answers with the
	// error alone, as PostgreSQL's does when the error comes from
	// planning (1/0 between constants fails there).
	n := 0
	err := streamRows(ec, q.p, func(row []types.Datum) error {
		if n++; n == 1 {
			if err := sink.Begin(cols, x.s.TypeStyle()); err != nil {
				return err
			}
		}
		if len(x.notices) > 0 {
			sink.Notices(x.notices)
			x.notices = nil
		}
		return sink.Row(row)
	})
	if err == nil && n == 0 {
		err = sink.Begin(cols, x.s.TypeStyle())
	}
	if err != nil {
		if n > 0 && errors.Is(err, errPlanStale) {
			// run binds and runs a stale statement again (then
			// without the sink), which must not happen once the client
			// has rows. A query takes no lock that reports it; this
			// keeps it so.
			return nil, pgerr.New(pgerr.InternalError, "%v after its rows began", err)
		}
		return nil, err
	}
	return &Result{Columns: cols, Tag: rowsTag("SELECT", n), Streamed: true}, nil
}
