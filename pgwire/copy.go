package pgwire

import (
	"context"
	"io"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
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

// CopySession is a Session that can run COPY ... FROM STDIN and COPY ...
// TO STDOUT. Sessions without it refuse the statements with 0A000.
type CopySession interface {
	// CopyIn runs p, for which p.CopyFromStdin() is true, reading its
	// data from src.
	CopyIn(ctx context.Context, p *sql.Prepared, src sql.CopySource) (*sql.Result, error)
	// CopyOut runs p, for which p.CopyToStdout() is true, writing its
	// data to sink.
	CopyOut(ctx context.Context, p *sql.Prepared, sink sql.CopySink) (*sql.Result, error)
}

// The COPY TO STDOUT sub-protocol:
//
//	S: CopyOutResponse (text format, one format code per column)
//	S: CopyData, one per line
//	S: CopyDone, then CommandComplete "COPY n"
//
// CopyOutResponse goes out once the session has checked the statement; an
// error after it is an ErrorResponse, which ends copy-out mode for the
// client. The lines are buffered with the connection's other output and
// flushed as it grows.

// copyOut runs p's COPY TO STDOUT under ctx.
func (c *conn) copyOut(ctx context.Context, p *sql.Prepared) (*sql.Result, error) {
	cs, ok := c.sess.(CopySession)
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "COPY TO STDOUT is not supported")
	}
	res, err := cs.CopyOut(ctx, p, &copySink{c: c})
	if err != nil {
		return nil, err
	}
	c.send(&pgproto3.CopyDone{})
	return res, nil
}

// copySink sends the session's COPY TO STDOUT lines as CopyData.
type copySink struct{ c *conn }

var (
	_ sql.CopySink    = (*copySink)(nil)
	_ sql.CopyEncoder = (*copySink)(nil)
)

// Begin sends CopyOutResponse: text or binary format, for columns
// columns.
func (s *copySink) Begin(columns int, binary bool) error {
	overall, codes := copyFormats(columns, binary)
	s.c.send(&pgproto3.CopyOutResponse{OverallFormat: overall, ColumnFormatCodes: codes})
	return s.c.writeErr
}

// AppendBinary appends d's binary form, as a binary result column's.
func (s *copySink) AppendBinary(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	return s.c.appendBinary(buf, t, d)
}

// copyFormats returns a Copy{In,Out}Response's overall format and its
// per-column format codes.
func copyFormats(columns int, binary bool) (byte, []uint16) {
	codes := make([]uint16, columns)
	if !binary {
		return formatText, codes
	}
	for i := range codes {
		codes[i] = formatBinary
	}
	return formatBinary, codes
}

// Line sends one CopyData message.
func (s *copySink) Line(line []byte) error {
	s.c.send(&pgproto3.CopyData{Data: line})
	s.c.maybeFlush()
	if s.c.writeErr != nil {
		return pgerr.Wrapf(s.c.writeErr, pgerr.ConnectionException, "sending CopyData")
	}
	return nil
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

var (
	_ sql.CopySource  = (*copySource)(nil)
	_ sql.CopyDecoder = (*copySource)(nil)
)

// Begin sends CopyInResponse: text or binary format, for columns columns.
func (s *copySource) Begin(columns int, binary bool) error {
	overall, codes := copyFormats(columns, binary)
	s.c.send(&pgproto3.CopyInResponse{OverallFormat: overall, ColumnFormatCodes: codes})
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

// DecodeBinary reads a field of binary COPY data as a bound parameter in
// binary format is read.
func (s *copySource) DecodeBinary(t types.T, raw []byte) (types.Datum, error) {
	// PostgreSQL's receive functions read fixed-size values from the
	// field's bytes as from a message: too few is 08P01, too many 22P03.
	// An enum is stored as 4 bytes but sent as its label.
	if size := t.Size(); size > 0 && !t.IsEnum() && len(raw) < int(size) {
		return nil, pgerr.New(pgerr.ProtocolViolation, "insufficient data left in message")
	}
	d, err := s.c.decodeBinaryParam(t, raw, 0)
	if err != nil && pgerr.Code(err) == invalidBinaryRepresentation {
		return nil, pgerr.New(invalidBinaryRepresentation, "incorrect binary data format")
	}
	return d, err
}
