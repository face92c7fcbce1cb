package pgwire

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// conn is one client connection. Everything except the fields marked
// otherwise is owned by the connection's goroutine.
type conn struct {
	srv *Server
	// raw is the accepted socket, set once: other goroutines (Shutdown)
	// use it. nc is what the protocol reads and writes: raw, or a TLS
	// connection over it after an accepted SSLRequest (then tls is its
	// state).
	raw net.Conn
	nc  net.Conn
	tls *tls.ConnectionState
	br  *bufio.Reader
	log *slog.Logger

	rbuf     bytes.Buffer // body of the message being handled
	wbuf     []byte       // encoded output not yet written
	writeErr error        // first write failure; the connection is dead
	readErr  error        // a read failure inside a COPY; the connection ends
	// stream is the sink of the query running now, reused from statement
	// to statement (streamTo) so that streaming allocates nothing per
	// statement.
	stream rowStream
	// unnamed holds the unnamed portal: one Bind replaces it with the
	// next, so it needs no allocation of its own.
	unnamed portal
	// endStatementFn is endStatement as a func, made once.
	endStatementFn func()
	// in holds the last decoded Bind and Describe, reused.
	in struct {
		bind     pgproto3.Bind
		describe pgproto3.Describe
	}

	// Guarded by srv.mu.
	admitted bool
	// Set before the connection is registered under srv.mu, then read-only.
	pid    int32
	secret uint32

	// role is the user named in the startup packet and addr the client's
	// address, the keys of the connection's rate limits.
	role, addr string
	// database is the session's database; connected is when the session
	// started (zero before), for log_disconnections.
	database  string
	connected time.Time

	sess       Session
	types      *pgtype.Map
	stmts      map[string]*statement
	portals    map[string]*portal
	skipToSync bool
	// pipeline is set from the first Execute after a Sync to the next
	// Sync: the statements between run in one transaction
	// (sql.ImplicitPipeline), which pipelineFailed, set by any error
	// there, makes the Sync roll back.
	pipeline, pipelineFailed bool
	// lastStatus is the transaction status of the last ReadyForQuery.
	lastStatus byte
	// held is the memory the current message's body holds in the
	// server's budget, and largeMessage whether it holds the server's
	// large-message slot (reserveBody).
	held         int64
	largeMessage bool
	// reported holds the ParameterStatus values the client has seen;
	// current the values changed since the last ReadyForQuery, and
	// pending their names in first-change order.
	reported map[string]string
	current  map[string]string
	pending  []string

	// cancel is the connection's statement context (beginStatement),
	// shared with CancelRequests.
	cancel struct {
		sync.Mutex
		ctx     context.Context
		fn      context.CancelCauseFunc
		running bool // work runs under ctx
	}
	watch clientWatch
	// terminating is set by pg_terminate_backend from another session:
	// the connection ends with FATAL 57P01 at its next read.
	terminating atomic.Bool
	// ended is how the connection ended, for pg_stat_database.
	ended sql.SessionEnd
	// notify delivers asynchronous notifications (notify.go). The mutex
	// guards idle and err: while idle is set, the connection's goroutine
	// waits for its client and notifyLoop may write to the socket.
	notify struct {
		sync.Mutex
		sess  NotifySession // set at startup, then read-only
		ready bool          // the last message ended with ReadyForQuery
		idle  bool
		err   error // notifyLoop's write failure
		kick  chan struct{}
		done  chan struct{}
		once  sync.Once
	}
}

// statement is a prepared statement of the extended protocol.
type statement struct {
	name string
	prep *sql.Prepared
}

// portal is a bound statement. It runs on its first Execute; its rows are
// kept here and handed out in row-limited batches.
type portal struct {
	name    string
	prep    *sql.Prepared
	params  []types.Datum
	formats []int16 // one per result column

	started bool
	done    bool
	result  *sql.Result
	rows    [][]types.Datum // rows not yet sent
	limited bool            // some Execute stopped before the end
}

// errInvalidMessageFormat is PostgreSQL's answer to a message with bytes
// left over after its fields.
var errInvalidMessageFormat = pgerr.New(pgerr.ProtocolViolation, "invalid message format")

// errClose ends a connection without a reply (after logging).
var errClose = errors.New("pgwire: close connection")

// fatalError ends a connection after a FATAL ErrorResponse.
type fatalError struct{ err error }

func (f *fatalError) Error() string { return f.err.Error() }
func (f *fatalError) Unwrap() error { return f.err }

func fatalf(code, format string, args ...any) error {
	return &fatalError{err: pgerr.New(code, format, args...)}
}

func newConn(s *Server, nc net.Conn) *conn {
	return &conn{
		srv:        s,
		raw:        nc,
		nc:         nc,
		br:         bufio.NewReader(nc),
		log:        s.log.With("remote", nc.RemoteAddr().String()),
		types:      pgtype.NewMap(),
		stmts:      make(map[string]*statement),
		portals:    make(map[string]*portal),
		reported:   make(map[string]string),
		current:    make(map[string]string),
		lastStatus: sql.TxIdle,
		watch:      clientWatch{nc: nc, every: s.opts.ClientCheckInterval},
	}
}

// serve runs the connection to its end. The socket is closed and the
// session closed whatever happens, including a bug in this package.
func (c *conn) serve() {
	defer c.releaseStatementContext()
	defer c.stopNotify()
	defer c.watch.stop()
	defer c.releaseBody()
	defer c.raw.Close()
	defer c.closeSession()
	// The connection slot is free before Session.Close returns, so a client
	// that sees its session closed may connect again at once.
	defer c.srv.forget(c)
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("pgwire: panic in connection handler", "panic", r, "stack", string(debug.Stack()))
		}
	}()

	c.srv.stats.connections.Add(1)
	c.logConnectionReceived()
	defer c.logDisconnection()
	c.nc.SetDeadline(time.Now().Add(startupTimeout))
	if err := c.startup(); err != nil {
		c.end(err)
		return
	}
	c.nc.SetDeadline(time.Time{})
	c.setupNotify()
	if c.srv.isClosed() {
		c.end(os.ErrDeadlineExceeded)
		return
	}
	c.end(c.loop())
}

func (c *conn) closeSession() {
	if c.sess == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("pgwire: panic in Session.Close", "panic", r, "stack", string(debug.Stack()))
		}
	}()
	if e, ok := c.sess.(SessionEnder); ok {
		e.EndSession(c.ended)
	}
	c.sess.Close()
}

// SessionEnder is a Session that counts how sessions end
// (pg_stat_database): pgwire calls EndSession before Close.
type SessionEnder interface {
	Session
	EndSession(how sql.SessionEnd)
}

var _ SessionEnder = (*sql.Session)(nil)

// end reports why the connection ends: a FATAL message, a shutdown, or just
// a log line.
func (c *conn) end(err error) {
	var fe *fatalError
	switch {
	case err == nil:
	case errors.As(err, &fe):
		c.ended = sql.SessionEndFatal
		c.sendFatal(fe.err)
	case (c.srv.isClosed() || c.terminating.Load()) && errors.Is(err, os.ErrDeadlineExceeded):
		c.ended = sql.SessionEndKilled
		c.sendFatal(pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command"))
	case errors.Is(err, errClose):
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		c.ended = sql.SessionEndAbandoned
	case errors.Is(err, io.ErrUnexpectedEOF):
		c.ended = sql.SessionEndAbandoned
		c.log.Debug("pgwire: unexpected EOF on client connection")
	default:
		c.ended = sql.SessionEndAbandoned
		c.log.Debug("pgwire: connection ended", "err", err)
	}
}

// loop reads and handles messages until Terminate or a connection error.
func (c *conn) loop() error {
	for {
		c.enterIdle()
		typ, body, err := c.readNext()
		c.leaveIdle()
		if tooLarge := asTooLarge(err); tooLarge != nil {
			if c.skipToSync {
				continue
			}
			c.sendError(tooLarge.err)
			if typ == 'Q' {
				c.readyForQuery()
			} else {
				c.skipToSync = true
				c.pipelineFailed = true
			}
			continue
		}
		if err != nil {
			return err
		}
		if c.skipToSync && typ != 'S' && typ != 'X' {
			continue
		}
		if typ == 'X' {
			return nil
		}
		c.handle(typ, body)
		if c.writeErr != nil {
			return c.writeErr
		}
		if c.readErr != nil {
			return c.readErr
		}
	}
}

// handle is the protocol state machine: one frontend message in, backend
// messages out (into wbuf).
func (c *conn) handle(typ byte, body []byte) {
	var err error
	extended := true
	switch typ {
	case 'Q':
		extended = false
		c.endPipeline()
		c.simpleQuery(body)
	case 'P':
		err = c.parse(body)
	case 'B':
		err = c.bind(body)
	case 'D':
		err = c.describe(body)
	case 'E':
		if !c.pipeline {
			c.pipeline = true
			c.sess.BeginImplicit(sql.ImplicitPipeline)
		}
		err = c.execute(body)
	case 'C':
		err = c.closeObject(body)
	case 'S':
		c.skipToSync = false
		if len(body) != 0 {
			// PostgreSQL reports the malformed Sync, then syncs.
			c.sendError(errInvalidMessageFormat)
			c.pipelineFailed = true
		}
		c.endPipeline()
		c.readyForQuery()
	case 'H':
		if len(body) != 0 {
			err = errInvalidMessageFormat
			break
		}
		c.flush()
	case 'F':
		extended = false
		c.sendError(pgerr.New(pgerr.FeatureNotSupported, "function call protocol is not supported"))
		c.readyForQuery()
	case 'd', 'c', 'f':
		// CopyData, CopyDone and CopyFail outside COPY are ignored, as the
		// protocol says.
	}
	if err != nil && extended {
		c.sendError(err)
		c.skipToSync = true
		c.pipelineFailed = true
	}
}

// endPipeline ends the transaction of the Executes since the last Sync:
// committed unless one of the messages failed, with the commit's error
// sent when it fails.
func (c *conn) endPipeline() {
	// An error before the first Execute (in Parse or Bind) marks the Sync
	// failed with no transaction begun; the mark must not outlive its
	// Sync, or it would roll back the next Sync's acknowledged work.
	failed := c.pipelineFailed
	c.pipelineFailed = false
	if !c.pipeline {
		return
	}
	commit := !failed && c.writeErr == nil
	c.pipeline = false
	if err := c.call("EndImplicit", func() error { return c.sess.EndImplicit(commit) }); err != nil {
		c.sendError(err)
	}
}

// readNext reads the next message, within idle_in_transaction_session_timeout
// when a transaction is open and idle_session_timeout when none is, if the
// session sets them.
func (c *conn) readNext() (byte, []byte, error) {
	idle, code, msg := time.Duration(0), "", ""
	if c.br.Buffered() == 0 {
		if s, ok := c.sess.(IdleTimeoutSession); ok && c.lastStatus != sql.TxIdle {
			idle, code, msg = s.IdleInTransactionTimeout(), pgerr.IdleInTransactionSessionTimeout, "terminating connection due to idle-in-transaction timeout"
		} else if s, ok := c.sess.(IdleSessionTimeoutSession); ok && c.lastStatus == sql.TxIdle {
			idle, code, msg = s.IdleSessionTimeout(), pgerr.IdleSessionTimeout, "terminating connection due to idle-session timeout"
		}
	}
	if c.terminating.Load() {
		return 0, nil, os.ErrDeadlineExceeded
	}
	if idle <= 0 {
		return c.afterTerminate(c.readMessage())
	}
	// Shutdown and pg_terminate_backend set a past deadline to wake
	// readers after marking the server closed or the connection
	// terminating: whichever of the two deadlines is set last, the
	// reader notices.
	c.nc.SetReadDeadline(time.Now().Add(idle))
	if c.srv.isClosed() || c.terminating.Load() {
		return 0, nil, os.ErrDeadlineExceeded
	}
	typ, body, err := c.readMessage()
	if errors.Is(err, os.ErrDeadlineExceeded) && !c.srv.isClosed() && !c.terminating.Load() {
		return 0, nil, fatalf(code, "%s", msg)
	}
	c.nc.SetReadDeadline(time.Time{})
	return c.afterTerminate(typ, body, err)
}

// afterTerminate drops a message read once pg_terminate_backend has marked
// the connection, or Shutdown has begun, ending the connection with FATAL
// 57P01 instead. The past read deadline they set only wakes the reader: a
// read blocked in the poller when it is set may still return data that
// arrives before the goroutine runs again, and a client that saw
// pg_terminate_backend return true and then sent a command must never see
// that command run. The flag (and the server context's cancellation) are
// set before the deadline, so checking them after the read covers every
// such command.
func (c *conn) afterTerminate(typ byte, body []byte, err error) (byte, []byte, error) {
	if err == nil && (c.terminating.Load() || c.srv.ctx.Err() != nil) {
		return 0, nil, os.ErrDeadlineExceeded
	}
	return typ, body, err
}

// terminate ends the connection as pg_terminate_backend asks: its running
// statement is cancelled and its next read ends it with FATAL 57P01.
// Called from other goroutines.
func (c *conn) terminate() {
	c.terminating.Store(true)
	c.cancel.Lock()
	if c.cancel.running {
		c.cancel.fn(errAdminShutdown)
	}
	c.cancel.Unlock()
	c.raw.SetReadDeadline(time.Unix(1, 0))
}

// maxBodyBytes is the largest body accepted for a message type, or 0 for a
// type that is not a valid frontend message after startup.
func (c *conn) maxBodyBytes(typ byte) int {
	switch typ {
	case 'C', 'D', 'E', 'H', 'S', 'X':
		return smallMessageBytesMax
	case 'Q', 'P', 'B', 'F', 'd', 'c', 'f':
		return c.srv.opts.MaxMessageBytes
	}
	return 0
}

// readMessage reads one framed message. As PostgreSQL does, the type is
// checked before the length, and the body is read as it arrives rather
// than allocated from the announced length.
func (c *conn) readMessage() (byte, []byte, error) {
	if c.rbuf.Cap() > readBufferBytesKeep {
		c.rbuf = bytes.Buffer{}
	}
	c.rbuf.Reset()
	c.releaseBody()
	typ, err := c.br.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	limit := c.maxBodyBytes(typ)
	if limit == 0 {
		return 0, nil, fatalf(pgerr.ProtocolViolation, "invalid frontend message type %d", typ)
	}
	hdr, err := c.br.Peek(4)
	if err != nil {
		return 0, nil, unexpectedEOF(err)
	}
	n := int64(int32(binary.BigEndian.Uint32(hdr))) - 4
	c.br.Discard(4)
	if n < 0 || n > int64(limit) {
		c.log.Info("pgwire: invalid message length", "type", string(rune(typ)), "length", n+4)
		return 0, nil, errClose
	}
	if err := c.reserveBody(typ, n); err != nil {
		return typ, nil, err
	}
	if n <= directReadBytesMax {
		// Straight into the kept buffer, without io.CopyN's reader. A
		// larger body is read in pieces as it arrives, so that a length
		// claimed but not sent takes little memory.
		c.rbuf.Grow(int(n))
		body := c.rbuf.AvailableBuffer()[:n]
		if _, err := io.ReadFull(c.br, body); err != nil {
			return 0, nil, unexpectedEOF(err)
		}
		c.rbuf.Write(body)
	} else if _, err := io.CopyN(&c.rbuf, c.br, n); err != nil {
		return 0, nil, unexpectedEOF(err)
	}
	return typ, c.rbuf.Bytes(), nil
}

// reserveBody takes memory for a large message body from the server's
// budget before reading it, waiting while other large messages hold it;
// the bytes are held until the next message is read (the body, and the
// strings made from it, live that long). A body that could not fit even
// alone is skipped and answered with 53200.
func (c *conn) reserveBody(typ byte, n int64) error {
	budget := c.srv.opts.Memory
	if budget == nil || n < messageReserveBytesMin {
		return nil
	}
	// The body, and the string a Query or Parse makes of it.
	need := 2 * n
	if need > budget.Limit() {
		if _, err := io.CopyN(io.Discard, c.br, n); err != nil {
			return unexpectedEOF(err)
		}
		return &tooLargeError{err: pgerr.New(pgerr.OutOfMemory, "out of memory").
			WithDetail(fmt.Sprintf("A message of %d bytes does not fit in the server's memory budget of %d bytes.", n, budget.Limit()))}
	}
	select {
	case c.srv.largeMessage <- struct{}{}:
		c.largeMessage = true
	case <-c.srv.ctx.Done():
		return os.ErrDeadlineExceeded // Shutdown: end says goodbye
	}
	got, err := budget.Acquire(c.srv.ctx, need)
	if err != nil {
		return os.ErrDeadlineExceeded
	}
	c.held = got
	return nil
}

// releaseBody gives back what reserveBody took.
func (c *conn) releaseBody() {
	c.srv.opts.Memory.Release(c.held)
	c.held = 0
	if c.largeMessage {
		<-c.srv.largeMessage
		c.largeMessage = false
	}
}

// asTooLarge returns the tooLargeError in err's chain, or nil.
func asTooLarge(err error) *tooLargeError {
	if err == nil {
		return nil // before the variable errors.As needs: it is allocated
	}
	var tooLarge *tooLargeError
	if errors.As(err, &tooLarge) {
		return tooLarge
	}
	return nil
}

// tooLargeError is a message that was skipped because it could never fit
// in memory; the connection goes on.
type tooLargeError struct{ err error }

func (e *tooLargeError) Error() string { return e.err.Error() }
func (e *tooLargeError) Unwrap() error { return e.err }

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// sendCommandComplete appends CommandComplete with tag to the output
// buffer (what pgproto3.CommandComplete encodes to, without building it).
func (c *conn) sendCommandComplete(tag string) {
	c.wbuf = append(c.wbuf, 'C')
	c.wbuf = binary.BigEndian.AppendUint32(c.wbuf, uint32(4+len(tag)+1))
	c.wbuf = append(append(c.wbuf, tag...), 0)
}

// send appends m to the output buffer.
func (c *conn) send(m pgproto3.BackendMessage) {
	buf, err := m.Encode(c.wbuf)
	if err != nil {
		c.log.Error("pgwire: cannot encode message", "type", fmt.Sprintf("%T", m), "err", err)
		return
	}
	c.wbuf = buf
}

// flush writes the output buffer. After a write error the connection is
// dead: later output is dropped and the loop ends.
func (c *conn) flush() {
	if c.writeErr == nil && len(c.wbuf) > 0 {
		if _, err := c.nc.Write(c.wbuf); err != nil {
			c.writeErr = err
		}
	}
	if cap(c.wbuf) > readBufferBytesKeep {
		c.wbuf = nil
	} else {
		c.wbuf = c.wbuf[:0]
	}
}

func (c *conn) maybeFlush() {
	if len(c.wbuf) >= flushBytesThreshold {
		c.flush()
	}
}

// errorFields builds an ErrorResponse (or NoticeResponse) for err.
func (c *conn) errorFields(severity string, err error) *pgproto3.ErrorResponse {
	code := pgerr.Code(err)
	c.srv.stats.countError(code)
	if code == pgerr.InternalError {
		c.log.Error("pgwire: internal error", "err", err)
	}
	e := &pgproto3.ErrorResponse{
		Severity:            severity,
		SeverityUnlocalized: severity,
		Code:                code,
		Message:             err.Error(),
	}
	if pe := pgerr.Shown(err); pe != nil {
		// The coded error's own words, without Go context (pgerr.Shown).
		e.Message, e.Detail, e.Hint, e.Where = pe.Message, pe.Detail, pe.Hint, pe.Where
	} else if pe := pgerr.Find(err); pe != nil {
		e.Detail = pe.Detail
		e.Hint = pe.Hint
		e.Position = pe.Position
		e.Where = pe.Where
		e.SchemaName, e.TableName, e.ColumnName, e.ConstraintName = pe.Schema, pe.Table, pe.Column, pe.Constraint
		e.DataTypeName = pe.DataType
	}
	return e
}

func (c *conn) sendError(err error) {
	if c.readErr != nil {
		// The connection is ending; end reports why.
		return
	}
	// Notices raised before the error (a DO block's RAISE NOTICE) go
	// first, as PostgreSQL sends them while the statement runs.
	c.sendNotices(sql.ErrorNotices(err))
	c.send(c.errorFields("ERROR", err))
	if s, ok := c.sess.(BlockSession); ok {
		s.AbortBlock()
	}
	// PostgreSQL flushes an error at once, so the client learns of it even
	// if it is waiting for more than a Sync.
	c.flush()
}

// sendFatal sends FATAL err without waiting long for a client that does
// not read.
func (c *conn) sendFatal(err error) {
	c.nc.SetWriteDeadline(time.Now().Add(fatalWriteTimeout))
	c.send(c.errorFields("FATAL", err))
	c.flush()
}

// call runs f, turning a panic into ERROR XX000 for the current statement.
func (c *conn) call(op string, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("pgwire: panic in session", "op", op, "panic", r, "stack", string(debug.Stack()))
			err = pgerr.New(pgerr.InternalError, "internal error: %v", r)
		}
	}()
	return f()
}

// Causes of a statement context's end (pgerr.FromContext reports them).
var (
	errUserCancel    = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	errAdminShutdown = pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command")
	errClientGone    = pgerr.New(connectionFailure, "connection to client lost")
	// errStatementTimeout is statement_timeout's end of a wait in pgwire
	// (the engine reports its own).
	errStatementTimeout = pgerr.New(pgerr.QueryCanceled, "canceling statement due to statement timeout")
)

// connectionFailure is SQLSTATE 08006.
const connectionFailure = "08006"

// beginStatement returns the context of the work one message asks for
// (parsing, planning and running its statements): a CancelRequest, a
// Shutdown or the client's going away ends it. end must be called when the
// work is done. The context is the connection's, made anew only after one
// was cancelled: a cancel reaches it only while work runs (cancelStatement).
func (c *conn) beginStatement() (ctx context.Context, end func()) {
	c.cancel.Lock()
	if c.cancel.ctx == nil || c.cancel.ctx.Err() != nil {
		c.cancel.ctx, c.cancel.fn = context.WithCancelCause(c.srv.ctx)
	}
	ctx, cancel := c.cancel.ctx, c.cancel.fn
	c.cancel.running = true
	c.cancel.Unlock()
	c.watch.start(ctx, cancel)
	if c.endStatementFn == nil {
		c.endStatementFn = c.endStatement // made once: a method value allocates
	}
	return ctx, c.endStatementFn
}

// releaseStatementContext detaches the connection's statement context from
// the server's when the connection ends.
func (c *conn) releaseStatementContext() {
	c.cancel.Lock()
	defer c.cancel.Unlock()
	if c.cancel.fn != nil {
		c.cancel.fn(nil)
	}
}

// endStatement ends what beginStatement began.
func (c *conn) endStatement() {
	c.watch.stop()
	c.cancel.Lock()
	c.cancel.running = false
	c.cancel.Unlock()
}

// clientWatch cancels a statement whose client has gone, checking every
// interval while the statement runs (client_connection_check_interval).
// One per connection; its timer is reused from statement to statement.
type clientWatch struct {
	nc    net.Conn
	every time.Duration

	mu struct {
		sync.Mutex
		timer  *time.Timer
		ctx    context.Context // of the running statement; nil between
		cancel context.CancelCauseFunc
	}
}

func (w *clientWatch) start(ctx context.Context, cancel context.CancelCauseFunc) {
	if w.every <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.mu.ctx, w.mu.cancel = ctx, cancel
	if w.mu.timer == nil {
		w.mu.timer = time.AfterFunc(w.every, w.check)
	} else {
		w.mu.timer.Reset(w.every)
	}
}

func (w *clientWatch) check() {
	w.mu.Lock()
	ctx, cancel := w.mu.ctx, w.mu.cancel
	w.mu.Unlock()
	if ctx == nil || ctx.Err() != nil {
		return
	}
	if peerGone(w.nc) {
		cancel(errClientGone)
		return
	}
	w.mu.Lock()
	if w.mu.ctx == ctx {
		w.mu.timer.Reset(w.every)
	}
	w.mu.Unlock()
}

func (w *clientWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.mu.ctx, w.mu.cancel = nil, nil
	if w.mu.timer != nil {
		w.mu.timer.Stop()
	}
}

// run executes p under ctx (from beginStatement). With rows set, and a session that streams, a query's rows
// go to rows as they are made (the Result then has Streamed set) rather
// than into the Result.
func (c *conn) run(ctx context.Context, p *sql.Prepared, params []types.Datum, rows *rowStream) (*sql.Result, error) {
	if err := c.waitStatementRate(ctx); err != nil {
		return nil, err
	}
	var res *sql.Result
	err := c.call("Execute", func() error {
		var err error
		switch {
		case p.CopyFromStdin():
			res, err = c.copyIn(ctx, p)
		case p.CopyToStdout():
			res, err = c.copyOut(ctx, p)
		default:
			if ss, ok := c.sess.(StreamSession); ok && rows != nil {
				res, err = ss.ExecuteStream(ctx, p, params, rows)
			} else {
				res, err = c.sess.Execute(ctx, p, params)
			}
		}
		return err
	})
	if err != nil {
		if cerr := pgerr.FromContext(ctx); cerr != nil && pgerr.Code(err) == pgerr.InternalError {
			// The engine failed in a way it did not name because its
			// statement was stopped: report why it was stopped.
			return nil, cerr
		}
		return nil, err
	}
	if res == nil {
		return nil, pgerr.New(pgerr.InternalError, "session returned no result for %q", p.Tag)
	}
	return res, nil
}

// waitStatementRate takes the statement's rate limit tokens, waiting at
// most until ctx ends (a CancelRequest) or statement_timeout passes.
func (c *conn) waitStatementRate(ctx context.Context) error {
	if c.srv.rates.stmtAddr == nil && c.srv.rates.stmtRole == nil {
		return nil
	}
	if ts, ok := c.sess.(StatementTimeoutSession); ok {
		var timeout time.Duration
		if err := c.call("StatementTimeout", func() error { timeout = ts.StatementTimeout(); return nil }); err != nil {
			return err
		}
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeoutCause(ctx, timeout, errStatementTimeout)
			defer cancel()
		}
	}
	return c.srv.rates.statement(ctx, c.addr, c.role)
}

// cancelStatement is called from a CancelRequest's goroutine. As in
// PostgreSQL, a cancel that arrives between statements does nothing.
func (c *conn) cancelStatement() {
	c.cancel.Lock()
	defer c.cancel.Unlock()
	if c.cancel.running {
		c.cancel.fn(errUserCancel)
	}
}

func (c *conn) txStatus() byte {
	status := sql.TxIdle
	if err := c.call("TxStatus", func() error {
		status = c.sess.TxStatus()
		return nil
	}); err != nil {
		return sql.TxIdle
	}
	return status
}

// readyForQuery reports changed parameters, ends the transaction's portals
// when no transaction remains open, and sends ReadyForQuery.
func (c *conn) readyForQuery() {
	if c.readErr != nil {
		return
	}
	for _, name := range c.pending {
		if v := c.current[name]; v != c.reported[name] {
			c.reported[name] = v
			c.send(&pgproto3.ParameterStatus{Name: name, Value: v})
		}
		delete(c.current, name)
	}
	c.pending = c.pending[:0]
	status := c.txStatus()
	if status == sql.TxIdle && len(c.portals) > 0 {
		clear(c.portals)
	}
	if r, ok := c.sess.(ResultReleaser); ok {
		c.call("ReleaseResult", func() error { r.ReleaseResult(); return nil })
	}
	if status == sql.TxIdle {
		c.sendNotifications()
	}
	c.lastStatus = status
	c.notify.ready = true
	c.wbuf = append(c.wbuf, 'Z', 0, 0, 0, 5, status) // ReadyForQuery
	c.flush()
}

// noteResult sends a statement's notices and remembers its parameter
// changes for the next ReadyForQuery (PostgreSQL reports only values that
// differ from what the client last saw).
func (c *conn) noteResult(res *sql.Result) {
	c.sendNotices(res.Notices)
	// DEALLOCATE and DISCARD ALL drop named protocol statements too.
	if res.DeallocatedAll {
		for name := range c.stmts {
			if name != "" {
				delete(c.stmts, name)
			}
		}
	}
	if res.Deallocated != "" {
		delete(c.stmts, res.Deallocated)
	}
	for _, p := range res.ParameterChanges {
		if _, ok := c.current[p.Name]; !ok {
			c.pending = append(c.pending, p.Name)
		}
		c.current[p.Name] = p.Value
	}
}

// sendNotices sends NoticeResponses, NOTICE 00000 unless a notice says
// otherwise.
func (c *conn) sendNotices(notices []sql.Notice) {
	for _, n := range notices {
		sev := n.Severity
		if sev == "" {
			sev = "NOTICE"
		}
		code := n.Code
		if code == "" {
			code = pgerr.SuccessfulCompletion
		}
		c.send(&pgproto3.NoticeResponse{Severity: sev, SeverityUnlocalized: sev, Code: code, Message: n.Message, Detail: n.Detail, Hint: n.Hint, Where: n.Where})
	}
}
