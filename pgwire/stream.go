package pgwire

import (
	"context"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// StreamSession is a Session that can hand a query's rows over as it
// produces them (sql.Session.ExecuteStream). pgwire then writes each row
// to the client as it comes: the output buffer goes to the socket every
// flushBytesThreshold bytes, and a write to a client that reads slowly
// blocks until the client catches up, which holds the query there. The
// server so keeps a few rows of a big result, not all of them.
type StreamSession interface {
	Session
	ExecuteStream(ctx context.Context, p *sql.Prepared, params []types.Datum, sink sql.RowSink) (*sql.Result, error)
}

var _ StreamSession = (*sql.Session)(nil)

// rowStream sends a streamed query's rows as DataRows.
type rowStream struct {
	c *conn
	// describe is set in the simple protocol, where RowDescription
	// comes with the result; in the extended one Describe sent it.
	describe bool
	formats  []int16 // nil: all text
	cols     []sql.Column
	style    types.Style
}

var _ sql.RowSink = (*rowStream)(nil)

// streamTo readies the connection's row stream for the next statement:
// describe and formats as in rowStream. One statement at a time runs on a
// connection, and the session lets go of its sink when the statement ends.
func (c *conn) streamTo(describe bool, formats []int16) *rowStream {
	c.stream = rowStream{c: c, describe: describe, formats: formats}
	return &c.stream
}

func (r *rowStream) Begin(cols []sql.Column, style types.Style) error {
	if r.describe {
		r.c.sendRowDescription(cols, r.formats)
	} else if len(cols) != len(r.formats) {
		return pgerr.New(pgerr.FeatureNotSupported, "cached plan must not change result type")
	}
	r.cols, r.style = cols, style
	return r.clientGone()
}

func (r *rowStream) Row(row []types.Datum) error {
	if err := r.c.sendDataRow(r.cols, row, r.formats, r.style); err != nil {
		return err
	}
	r.c.maybeFlush()
	return r.clientGone()
}

// Notices sends the notices raised while the next row was made, before
// it, as PostgreSQL sends them while the query runs.
func (r *rowStream) Notices(notices []sql.Notice) {
	r.c.sendNotices(notices)
}

// clientGone ends the query once a write to the client has failed: the
// rest of its rows would go nowhere.
func (r *rowStream) clientGone() error {
	if r.c.writeErr != nil {
		return errClientGone
	}
	return nil
}
