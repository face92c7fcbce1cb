package pgwire

import (
	"context"
	"io"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
)

// The COPY FROM STDIN sub-protocol. When a statement turns out to be COPY
// ... FROM STDIN (sql.Prepared.CopyFromStdin), the session runs it with a
// copySource that reads the client's messages:
//
//	S: CopyInResponse (text format, one format code per column)
//	C: CopyData* then CopyDone, or CopyFail
//	S: CommandComplete "COPY n", or ErrorResponse
//
// CopyInResponse goes out only once the session has checked the
// statement (the table and columns exist), so an error before it leaves
// the client out of copy mode, as in PostgreSQL. Flush and Sync are ignored
// during the copy; any other message fails it with 08P01, and CopyFail
// with 57014. After a failure, the CopyData, CopyDone and CopyFail
// messages the client still sends are dropped by the message loop, and in
// the extended protocol everything up to Sync is skipped as after any
// error. A connection-level failure while reading (end of stream, a
// message that is too long or of an invalid type) ends the connection.

// CopySession is a Session that can run COPY ... FROM STDIN. Sessions
// without it refuse the statement with 0A000.
type CopySession interface {
	// CopyIn runs p, for which p.CopyFromStdin() is true, reading its
	// data from src.
	CopyIn(ctx context.Context, p *sql.Prepared, src sql.CopySource) (*sql.Result, error)
}

var _ CopySession = (*sql.Session)(nil)

// copyIn runs p's COPY FROM STDIN under ctx.
func (c *conn) copyIn(ctx context.Context, p *sql.Prepared) (*sql.Result, error) {
	cs, ok := c.sess.(CopySession)
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY FROM STDIN is not supported")
	}
	return cs.CopyIn(ctx, p, &copySource{c: c})
}

// copySource hands the session the payload of the client's CopyData
// messages as one stream.
type copySource struct {
	c       *conn
	pending []byte // unread part of the current CopyData body
	done    bool   // CopyDone seen
	err     error  // the failure every later Read returns
}

var _ sql.CopySource = (*copySource)(nil)

// Begin sends CopyInResponse: text format, for columns columns.
func (s *copySource) Begin(columns int) error {
	s.c.send(&pgproto3.CopyInResponse{OverallFormat: formatText, ColumnFormatCodes: make([]uint16, columns)})
	s.c.flush()
	if s.c.writeErr != nil {
		s.c.readErr = s.c.writeErr
		return pgerr.Wrapf(s.c.writeErr, pgerr.ConnectionException, "sending CopyInResponse")
	}
	return nil
}

// Read returns CopyData payload until CopyDone (io.EOF).
func (s *copySource) Read(p []byte) (int, error) {
	for len(s.pending) == 0 {
		switch {
		case s.err != nil:
			return 0, s.err
		case s.done:
			return 0, io.EOF
		}
		typ, body, err := s.c.readMessage()
		if err != nil {
			s.c.readErr = err
			s.err = pgerr.Wrapf(err, pgerr.ConnectionException, "reading COPY data")
			continue
		}
		switch typ {
		case 'd':
			s.pending = body
		case 'c':
			s.done = true
		case 'f':
			var m pgproto3.CopyFail
			if m.Decode(body) != nil {
				s.err = pgerr.New(pgerr.ProtocolViolation, "invalid message format")
				continue
			}
			s.err = pgerr.New(pgerr.QueryCanceled, "COPY from stdin failed: %s", m.Message)
		case 'H', 'S':
		default:
			s.err = pgerr.New(pgerr.ProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", typ)
		}
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

// sendCopyOut sends the data of a COPY ... TO STDOUT, when res has any,
// in the COPY TO sub-protocol (text format):
//
//	S: CopyOutResponse, CopyData per row, CopyDone
//
// after which the caller sends CommandComplete.
func (c *conn) sendCopyOut(res *sql.Result) {
	if res.CopyOut == nil {
		return
	}
	c.send(&pgproto3.CopyOutResponse{OverallFormat: formatText, ColumnFormatCodes: make([]uint16, res.CopyOut.Columns)})
	for _, line := range res.CopyOut.Lines {
		c.send(&pgproto3.CopyData{Data: line})
		c.maybeFlush()
	}
	c.send(&pgproto3.CopyDone{})
}
