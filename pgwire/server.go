package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// Session is one client's view of the SQL engine. pgwire calls it from a
// single goroutine; it is never shared between connections.
type Session interface {
	// PrepareAll prepares every statement of a simple-protocol query
	// string, in order. A string with no statements yields an empty slice.
	// ctx is cancelled as Execute's is.
	PrepareAll(ctx context.Context, query string) ([]*sql.Prepared, error)
	// Prepare prepares at most one statement for the extended protocol.
	// Zero statements yield a Prepared whose Tag is "" (an empty query).
	// paramTypes come from the client's Parse message; 0 means
	// unspecified.
	Prepare(ctx context.Context, query string, paramTypes []types.ID) (*sql.Prepared, error)
	// Execute runs p with params (one per p.ParamTypes). ctx is cancelled
	// by a CancelRequest for this connection, by Server.Shutdown and when
	// the client is gone; its cause (pgerr.FromContext) says which.
	Execute(ctx context.Context, p *sql.Prepared, params []types.Datum) (*sql.Result, error)
	// BeginImplicit before, and EndImplicit after, a simple Query's
	// several statements (sql.ImplicitBlock) or the Executes up to a Sync
	// (sql.ImplicitPipeline) runs them in one transaction; EndImplicit
	// commits it when commit is set and nothing failed, else rolls it
	// back.
	BeginImplicit(mode sql.ImplicitMode)
	EndImplicit(commit bool) error
	// TxStatus reports sql.TxIdle, sql.TxActive or sql.TxFailed.
	TxStatus() byte
	// Close releases the session; an open transaction is rolled back.
	Close()
}

// BackendSession is a Session with a process id of its own (PostgreSQL's
// pg_backend_pid()). pgwire then sends that id in BackendKeyData and
// takes it back in CancelRequest, so the id a client holds is the one the
// engine shows in pg_locks. The id must be positive and unique among the
// engine's live sessions. Other sessions get a random id.
type BackendSession interface {
	Session
	BackendPID() int32
}

var _ BackendSession = (*sql.Session)(nil)

// ResultReleaser is a Session that counts the memory of its latest
// result and parse against a budget; pgwire calls ReleaseResult when a
// message's work is done (at ReadyForQuery), so that no session holds
// budget while it waits for its client.
type ResultReleaser interface {
	Session
	ReleaseResult()
}

// StyleSession is a Session whose settings shape the text form of
// intervals and timestamptz values (IntervalStyle, TimeZone); sql.Session
// is one. Without it values are sent in PostgreSQL's default style.
type StyleSession interface {
	Session
	TypeStyle() types.Style
}

var _ StyleSession = (*sql.Session)(nil)

// BlockSession is a Session whose transaction block an error outside
// Execute (parsing, binding, a missing portal) aborts, as every error in
// a block does in PostgreSQL: pgwire calls AbortBlock when it sends one.
type BlockSession interface {
	Session
	AbortBlock()
}

var _ BlockSession = (*sql.Session)(nil)

// IdleTimeoutSession is a Session that limits how long it waits for its
// client inside a transaction (idle_in_transaction_session_timeout).
// pgwire ends a connection idle in a transaction for longer with FATAL
// 25P03.
type IdleTimeoutSession interface {
	Session
	IdleInTransactionTimeout() time.Duration
}

// StatementTimeoutSession is a Session with a statement_timeout: pgwire
// bounds a statement's wait for its rate limit's token by it (57014).
type StatementTimeoutSession interface {
	Session
	StatementTimeout() time.Duration
}

var _ StatementTimeoutSession = (*sql.Session)(nil)

// ConnInfoSession is a Session told about its client connection (TLS or
// not) right after it is made; sql.Session shows it in SHOW ssl and
// pg_stat_ssl.
type ConnInfoSession interface {
	Session
	SetConnInfo(sql.ConnInfo)
}

var _ ConnInfoSession = (*sql.Session)(nil)

// StatementSession is a Session that shares the names of prepared
// statements between the extended protocol and SQL (PREPARE, DEALLOCATE),
// as PostgreSQL does; sql.Session is one. pgwire tells it of each named
// Parse with its statement (whose error, 42P05 for a name PREPARE took,
// fails the Parse; the session may then run it under SQL EXECUTE) and
// Close, and drops the statements a Result says DEALLOCATE dropped.
type StatementSession interface {
	Session
	ParseStatement(name, query string, p *sql.Prepared) error
	CloseStatement(name string)
}

var _ StatementSession = (*sql.Session)(nil)

// CursorSession is a Session whose SQL cursors (DECLARE) the extended
// protocol can describe as portals, as PostgreSQL does (psycopg 3's
// server-side cursors do); sql.Session is one.
type CursorSession interface {
	Session
	CursorColumns(name string) ([]sql.Column, bool)
}

var _ CursorSession = (*sql.Session)(nil)

// cursorColumns returns the columns of the session's SQL cursor name.
func (c *conn) cursorColumns(name string) (cols []sql.Column, ok bool) {
	cs, isCS := c.sess.(CursorSession)
	if !isCS {
		return nil, false
	}
	c.call("CursorColumns", func() error { cols, ok = cs.CursorColumns(name); return nil })
	return cols, ok
}

// IdleSessionTimeoutSession is a Session that limits how long it waits
// for its client outside a transaction (idle_session_timeout). pgwire
// ends a connection idle for longer with FATAL 57P05.
type IdleSessionTimeoutSession interface {
	Session
	IdleSessionTimeout() time.Duration
}

var _ IdleSessionTimeoutSession = (*sql.Session)(nil)

// SignalEngine is an Engine whose sessions can ask the server to cancel
// or end another session's connection (pg_cancel_backend,
// pg_terminate_backend): NewServer registers the server with it. The
// process ids are those of BackendKeyData.
type SignalEngine interface {
	Engine
	SetSignaler(sql.Signaler)
}

var _ SignalEngine = sqlEngine{}

// Engine makes sessions. NewSession's error is sent to the client as FATAL
// with its SQLSTATE (3D000 for an unknown database, 28000 for an unknown
// role). It is called concurrently from many connections.
type Engine interface {
	NewSession(user, database string, startup map[string]string) (Session, error)
}

// EngineFunc is an Engine made of a function.
type EngineFunc func(user, database string, startup map[string]string) (Session, error)

// NewSession calls f.
func (f EngineFunc) NewSession(user, database string, startup map[string]string) (Session, error) {
	return f(user, database, startup)
}

// Options configures a Server. The zero value is valid: zero fields mean
// the defaults documented on each field.
type Options struct {
	// ServerVersion is reported as server_version. It must start with
	// "15." so psql picks its PostgreSQL 15 catalog queries. Default
	// "15.18 (cairn)".
	ServerVersion string
	// Logger receives connection errors and internal errors. Default
	// slog.Default().
	Logger *slog.Logger
	// MaxMessageBytes bounds the body of a frontend message; a longer one
	// closes the connection. Default 1 GiB - 1, PostgreSQL's limit.
	MaxMessageBytes int
	// Memory is the server's memory budget (nil: unlimited). A message
	// body of 1 MiB or more waits until twice its size fits in it, so
	// that many large messages at once queue instead of exhausting
	// memory; one that could not fit alone gets ERROR 53200.
	Memory *membudget.Budget
	// MaxConnections bounds concurrent sessions; one more gets FATAL 53300.
	// Default 100.
	MaxConnections int
	// ClientCheckInterval is how often a running statement checks that
	// its client is still connected (PostgreSQL's
	// client_connection_check_interval), cancelling the statement when
	// it is not. Default 250 ms; negative disables the check.
	ClientCheckInterval time.Duration
	// TLSConfig, when set, makes the server answer SSLRequest with 'S'
	// and run TLS with it (with a minimum of TLS 1.2 when it names none,
	// PostgreSQL's ssl_min_protocol_version). Nil: SSLRequest is answered
	// 'N' and clients connect unencrypted.
	TLSConfig *tls.Config
	// HBA are the host-based authentication rules (ParseHBA). Nil:
	// DefaultHBA, trust over the Unix socket and from loopback addresses,
	// and no other client admitted.
	HBA []HBARule
	// CleartextPasswordWithoutTLS lets rules with method password ask
	// for the password in clear text over unencrypted TCP connections
	// too. By default they are refused there (28000): only TLS and Unix
	// socket connections may send a password in clear text.
	CleartextPasswordWithoutTLS bool
	// ReservedConnections is superuser_reserved_connections: the last
	// this many of MaxConnections are for superusers. Default 3;
	// negative means none.
	ReservedConnections int
	// Rates limits how fast new connections and statements are admitted
	// per client address and per role (RateLimits). The zero value is no
	// limit.
	Rates RateLimits
	// Rand is the source of nonces, salts and backend keys. Default
	// crypto/rand.
	Rand io.Reader
	// LogConnections and LogDisconnections are PostgreSQL's
	// log_connections and log_disconnections: each connection is logged
	// when it is accepted and when its session starts, and its end with
	// the session's length (never a password).
	LogConnections, LogDisconnections bool
}

const serverVersionDefault = "15.18 (cairn)"

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("pgwire: server closed")

// Server accepts PostgreSQL connections and serves each on its own
// goroutine.
type Server struct {
	engine Engine
	opts   Options
	log    *slog.Logger

	hba   []HBARule
	rand  io.Reader
	rates *rateLimiter
	stats serverStats
	// secret seeds the mock SCRAM salts of users without a SCRAM password.
	secret []byte
	// endPoint is the TLS certificate's channel binding data (nil: no
	// SCRAM-SHA-256-PLUS).
	endPoint []byte

	// ctx is the parent of every statement context; cancelled by Shutdown.
	ctx    context.Context
	cancel context.CancelCauseFunc

	// largeMessage admits one message at a time whose body needs a
	// reservation in the memory budget (reserveBody): the holder may wait
	// for more memory (its parse) while holding its body's, and with one
	// holder no two such waits can wait on each other.
	largeMessage chan struct{}

	// wg counts connection goroutines. Add happens under mu while
	// !mu.closed, so it never races with Shutdown's Wait.
	wg sync.WaitGroup

	mu struct {
		sync.Mutex
		closed    bool
		listeners map[net.Listener]struct{}
		conns     map[*conn]struct{}
		// sessions counts connections admitted past the connection limit.
		sessions int
		// keys maps a BackendKeyData process id to its connection.
		keys map[int32]*conn
	}
}

// NewServer returns a server for e. Options' zero fields take defaults.
func NewServer(e Engine, opts Options) *Server {
	if opts.ServerVersion == "" {
		opts.ServerVersion = serverVersionDefault
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = maxMessageBytesDefault
	}
	if opts.MaxConnections <= 0 {
		opts.MaxConnections = maxConnectionsDefault
	}
	if opts.ClientCheckInterval == 0 {
		opts.ClientCheckInterval = clientCheckIntervalDefault
	}
	if opts.HBA == nil {
		opts.HBA = DefaultHBA()
	}
	switch {
	case opts.ReservedConnections == 0:
		opts.ReservedConnections = reservedConnectionsDefault
	case opts.ReservedConnections < 0:
		opts.ReservedConnections = 0
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.TLSConfig != nil && opts.TLSConfig.MinVersion == 0 {
		opts.TLSConfig = opts.TLSConfig.Clone()
		opts.TLSConfig.MinVersion = tls.VersionTLS12
	}
	s := &Server{engine: e, opts: opts, log: opts.Logger, largeMessage: make(chan struct{}, 1),
		hba: opts.HBA, rand: opts.Rand, rates: newRateLimiter(opts.Rates), endPoint: tlsEndPoint(opts.TLSConfig), secret: make([]byte, 32)}
	if _, err := io.ReadFull(s.rand, s.secret); err != nil {
		// Without randomness no nonce can be made either: fail every
		// password exchange rather than use a guessable secret.
		s.log.Error("pgwire: no randomness for the mock authentication secret", "err", err)
	}
	s.ctx, s.cancel = context.WithCancelCause(context.Background())
	if se, ok := e.(SignalEngine); ok {
		se.SetSignaler(s.signal)
	}
	s.mu.listeners = make(map[net.Listener]struct{})
	s.mu.conns = make(map[*conn]struct{})
	s.mu.keys = make(map[int32]*conn)
	return s
}

// Serve accepts connections on ln until ln fails or Shutdown is called. It
// always closes ln. After Shutdown it returns ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.mu.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.mu.listeners, ln)
		s.mu.Unlock()
		ln.Close()
	}()

	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("pgwire: accept failed; retrying", "err", err, "delay", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := newConn(s, nc)
		s.mu.Lock()
		if s.mu.closed {
			s.mu.Unlock()
			nc.Close()
			return ErrServerClosed
		}
		s.mu.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

// Shutdown stops accepting connections, cancels running statements, ends
// every connection with FATAL 57P01 and waits for their goroutines. If ctx
// ends first, the remaining sockets are closed outright and ctx's error is
// returned once their goroutines have returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.mu.closed = true
	for ln := range s.mu.listeners {
		ln.Close()
	}
	conns := make([]*conn, 0, len(s.mu.conns))
	for c := range s.mu.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	s.cancel(errAdminShutdown)
	for _, c := range conns {
		// Wakes a goroutine blocked reading; it sees the shutdown and
		// says goodbye.
		c.raw.SetReadDeadline(time.Unix(1, 0))
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, c := range conns {
			c.raw.Close()
		}
		<-done
		return ctx.Err()
	}
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mu.closed
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mu.conns, c)
	if c.admitted {
		s.mu.sessions--
	}
	if c.pid != 0 && s.mu.keys[c.pid] == c {
		delete(s.mu.keys, c.pid)
	}
}

// Sessions returns the number of connections admitted past the connection
// limit and not yet ended.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mu.sessions
}

// admit counts c against MaxConnections, reporting false when full.
func (s *Server) admit(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.sessions >= s.opts.MaxConnections {
		return false
	}
	s.mu.sessions++
	c.admitted = true
	return true
}

// freeSlots is how many more sessions MaxConnections allows.
func (s *Server) freeSlots() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.MaxConnections - s.mu.sessions
}

// register gives c a process id and secret for BackendKeyData: its
// session's own id (a BackendSession), else a fresh, unused random one.
func (s *Server) register(c *conn) error {
	var own int32
	if bs, ok := c.sess.(BackendSession); ok {
		if err := c.call("BackendPID", func() error { own = bs.BackendPID(); return nil }); err != nil {
			return &fatalError{err: err}
		}
		if own <= 0 {
			return fatalf(pgerr.InternalError, "engine gave the session process id %d", own)
		}
	}
	var b [8]byte
	for {
		if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
			return err
		}
		// Positive and non-zero, like an operating-system pid.
		pid := int32(binary.BigEndian.Uint32(b[:4]) & 0x3fffffff)
		if own != 0 {
			pid = own
		}
		if pid == 0 {
			continue
		}
		s.mu.Lock()
		if _, taken := s.mu.keys[pid]; taken {
			s.mu.Unlock()
			if own != 0 {
				return fatalf(pgerr.InternalError, "engine gave the session process id %d, which another connection has", own)
			}
			continue
		}
		c.pid = pid
		c.secret = binary.BigEndian.Uint32(b[4:])
		s.mu.keys[pid] = c
		s.mu.Unlock()
		return nil
	}
}

// cancelRequest cancels the running statement of the connection with this
// key. As in PostgreSQL, nothing tells the requester whether it matched.
func (s *Server) cancelRequest(pid int32, secret uint32) {
	s.mu.Lock()
	c := s.mu.keys[pid]
	s.mu.Unlock()
	if c == nil || subtle.ConstantTimeEq(int32(c.secret), int32(secret)) != 1 {
		return
	}
	c.cancelStatement()
}

// signal cancels the running statement of the connection with process id
// pid, or with terminate ends the connection (FATAL 57P01), reporting
// whether there is such a connection.
func (s *Server) signal(pid int32, terminate bool) bool {
	s.mu.Lock()
	c := s.mu.keys[pid]
	s.mu.Unlock()
	if c == nil {
		return false
	}
	if terminate {
		c.terminate()
	} else {
		c.cancelStatement()
	}
	return true
}

// SQLEngine adapts cairn's SQL engine to Engine.
func SQLEngine(e *sql.Engine) Engine { return sqlEngine{e} }

type sqlEngine struct{ e *sql.Engine }

func (a sqlEngine) SetSignaler(fn sql.Signaler) { a.e.SetSignaler(fn) }

func (a sqlEngine) LookupRole(name string) (sql.Role, bool, error) { return a.e.LookupRole(name) }

func (a sqlEngine) NewSession(user, database string, startup map[string]string) (Session, error) {
	s, err := a.e.NewSession(user, database, startup)
	if err != nil {
		// Not a nil *sql.Session inside a non-nil Session.
		return nil, err
	}
	return s, nil
}
