package cairn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/cairndb/cairn/pgwire"
)

// ServeOptions configure DB.Serve; cairn serve's flags fill them in. A nil
// *ServeOptions and zero fields mean cairn serve's defaults.
type ServeOptions struct {
	// TLSConfig, when set, lets clients connect with TLS (sslmode=require,
	// verify-full), at TLS 1.2 or newer when it names no minimum. Nil:
	// unencrypted connections only.
	TLSConfig *tls.Config
	// HBA holds client authentication rules in pg_hba.conf's format
	// (methods trust, reject, scram-sha-256, md5, password; pgwire/doc.go).
	// Empty: trust over a Unix socket and from loopback addresses, and no
	// other client — so a listener on any other address needs rules, and
	// Serve refuses to start without them (ErrNoHBA).
	HBA string
	// CleartextPasswordWithoutTLS lets rules with method password take
	// clear-text passwords over unencrypted TCP too.
	CleartextPasswordWithoutTLS bool
	// MaxConnections bounds concurrent sessions over the wire (sessions
	// of database/sql do not count); one more gets 53300. Default 100.
	MaxConnections int
	// ReservedConnections is superuser_reserved_connections: how many of
	// MaxConnections only superusers may use. Default 3; negative: none.
	ReservedConnections int
	// MaxMessageBytes bounds a protocol message; a longer one closes its
	// connection. Default and most: 1 GiB - 1, PostgreSQL's.
	MaxMessageBytes int
	// ShutdownTimeout is how long Serve, once it stops, waits for its
	// sessions to say goodbye (FATAL 57P01) before it closes their
	// sockets outright. Default 30 seconds.
	ShutdownTimeout time.Duration
	// Logger receives connection errors. Default: the DB's logger.
	Logger *slog.Logger
	// ExtraListeners are served by the same server as Serve's listener:
	// one connection limit, one set of sessions that pg_terminate_backend
	// reaches (cairn serve's Unix socket beside its TCP port).
	ExtraListeners []net.Listener
	// Rates limits how fast new connections and statements are admitted,
	// per client address and per role (pgwire.RateLimits); zero: no limit.
	Rates pgwire.RateLimits
	// MetricsListener, when set, serves the database's and the server's
	// metrics over HTTP at /metrics in Prometheus' text format
	// (docs/metrics.md) while Serve runs; Serve closes it.
	MetricsListener net.Listener
}

const (
	// shutdownTimeoutDefault is ServeOptions.ShutdownTimeout when unset.
	shutdownTimeoutDefault = 30 * time.Second
	// maxMessageBytesMax is the largest ServeOptions.MaxMessageBytes,
	// PostgreSQL's limit.
	maxMessageBytesMax = 1<<30 - 1
	// maxConnectionsDefault and reservedConnectionsDefault are
	// PostgreSQL's max_connections and superuser_reserved_connections.
	maxConnectionsDefault      = 100
	reservedConnectionsDefault = 3
)

var (
	// ErrServing is returned by Serve on a DB that another Serve is
	// serving: one server per DB (give it more listeners through
	// ServeOptions.ExtraListeners).
	ErrServing = errors.New("cairn: the database is already being served")
	// ErrNoHBA is wrapped by the error of Serve (and ServeOptions.Check)
	// for a listener that accepts clients from other hosts while no HBA
	// rules say how they authenticate.
	ErrNoHBA = errors.New("cairn: a listener beyond loopback needs HBA rules")
)

// Check reports what Serve would refuse in o for listeners at addrs: HBA
// rules that do not parse or are empty, connection limits that leave no
// connection, a message limit out of range, and a listener beyond loopback
// without HBA rules (ErrNoHBA). cairn serve calls it before it opens the
// data directory.
func (o *ServeOptions) Check(addrs ...net.Addr) error {
	_, err := o.pgwireOptions(nil, addrs)
	return err
}

// pgwireOptions turns o into the wire server's options for a DB (nil: only
// checking) listening at addrs. It is the one place where cairn serve's
// and an embedding program's servers are configured.
func (o *ServeOptions) pgwireOptions(db *DB, addrs []net.Addr) (pgwire.Options, error) {
	var so ServeOptions
	if o != nil {
		so = *o
	}
	if so.MaxConnections == 0 {
		so.MaxConnections = maxConnectionsDefault
	}
	if so.ReservedConnections == 0 {
		so.ReservedConnections = reservedConnectionsDefault
	}
	reserved := max(so.ReservedConnections, 0)
	if so.MaxConnections < 1 || reserved >= so.MaxConnections {
		return pgwire.Options{}, fmt.Errorf("cairn: superuser-reserved connections (%d) must be fewer than max connections (%d)", reserved, so.MaxConnections)
	}
	if so.MaxMessageBytes == 0 {
		so.MaxMessageBytes = maxMessageBytesMax
	}
	if so.MaxMessageBytes < 0 || so.MaxMessageBytes > maxMessageBytesMax {
		return pgwire.Options{}, fmt.Errorf("cairn: the message size limit must be between 1 byte and 1 GB - 1 byte, not %d", so.MaxMessageBytes)
	}
	var hba []pgwire.HBARule
	if so.HBA != "" {
		var err error
		if hba, err = pgwire.ParseHBA(so.HBA); err != nil {
			return pgwire.Options{}, fmt.Errorf("cairn: HBA rules: %w", err)
		}
		if len(hba) == 0 {
			return pgwire.Options{}, errors.New("cairn: the HBA rules have no rule: no client could connect")
		}
	} else {
		for _, a := range addrs {
			if !loopbackAddr(a) {
				return pgwire.Options{}, fmt.Errorf("%w: %s accepts connections from other hosts, and the default rules would refuse them all; "+
					"give rules (e.g. \"hostssl all all 0.0.0.0/0 scram-sha-256\", with TLS), or listen on a loopback address", ErrNoHBA, a)
			}
		}
	}
	po := pgwire.Options{
		Logger:                      so.Logger,
		MaxMessageBytes:             so.MaxMessageBytes,
		TLSConfig:                   so.TLSConfig,
		HBA:                         hba,
		MaxConnections:              so.MaxConnections,
		ReservedConnections:         so.ReservedConnections,
		Rates:                       so.Rates,
		CleartextPasswordWithoutTLS: so.CleartextPasswordWithoutTLS,
	}
	if db != nil {
		po.LogConnections = db.engine.ServerSetting("log_connections") == "on"
		po.LogDisconnections = db.engine.ServerSetting("log_disconnections") == "on"
		po.Memory = db.memory
		if po.Logger == nil {
			po.Logger = db.logger
		}
	}
	return po, nil
}

// loopbackAddr reports whether a listener at a accepts clients of this
// host only: a loopback TCP address or a Unix socket.
func loopbackAddr(a net.Addr) bool {
	switch a := a.(type) {
	case *net.UnixAddr:
		return true
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	}
	return false
}

// Serve serves the database over PostgreSQL's wire protocol on ln (and
// opts.ExtraListeners) until ctx ends or a listener fails, with the
// authentication, TLS and limits of opts: what cairn serve does, from the
// program that opened db. Sessions over the wire and through database/sql
// (NewConnector, or the driver on the same directory) share one database:
// each sees the other's commits, under the same isolation rules.
//
// When ctx ends, Serve stops accepting, cancels running statements, ends
// every wire session with FATAL 57P01 (rolling back its open transaction),
// waits for them (at most opts.ShutdownTimeout before it closes their
// sockets) and returns nil; when a listener fails it does the same and
// returns that error. It closes every listener it was given and leaves no
// goroutine behind. The DB stays open; Close while Serve runs stops Serve
// first. A DB is served by one Serve at a time (ErrServing).
func (db *DB) Serve(ctx context.Context, ln net.Listener, opts *ServeOptions) error {
	lns := []net.Listener{ln}
	if opts != nil {
		lns = append(lns, opts.ExtraListeners...)
	}
	var metricsLn net.Listener
	if opts != nil {
		metricsLn = opts.MetricsListener
	}
	closeAll := func() {
		for _, l := range lns {
			l.Close()
		}
		if metricsLn != nil {
			metricsLn.Close()
		}
	}
	addrs := make([]net.Addr, len(lns))
	for i, l := range lns {
		addrs[i] = l.Addr()
	}
	po, err := opts.pgwireOptions(db, addrs)
	if err != nil {
		closeAll()
		return err
	}
	timeout := shutdownTimeoutDefault
	if opts != nil && opts.ShutdownTimeout > 0 {
		timeout = opts.ShutdownTimeout
	}

	stop := make(chan struct{})
	done := make(chan struct{})
	defer close(done)
	db.closeMu.Lock()
	switch {
	case db.closed:
		db.closeMu.Unlock()
		closeAll()
		return ErrClosed
	case db.serving != nil:
		db.closeMu.Unlock()
		closeAll()
		return ErrServing
	}
	db.serving = &serving{stop: stop, done: done}
	db.closeMu.Unlock()
	defer func() {
		db.closeMu.Lock()
		db.serving = nil
		db.closeMu.Unlock()
	}()

	srv := pgwire.NewServer(pgwire.SQLEngine(db.engine), po)
	errs := make(chan error, len(lns))
	for _, l := range lns {
		go func() { errs <- srv.Serve(l) }()
	}
	if metricsLn != nil {
		stopMetrics := serveMetrics(metricsLn, db.metricsSources(srv), po.Logger)
		defer stopMetrics()
	}
	running := len(lns)
	var serveErr error
	select {
	case <-ctx.Done():
	case <-stop:
	case serveErr = <-errs:
		running--
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		po.Logger.Warn("cairn: sessions did not end in time; their connections were closed", "err", err)
	}
	for ; running > 0; running-- {
		<-errs
	}
	// Sessions of database/sql have no connection to signal; NewServer
	// registered this server for pg_cancel_backend and
	// pg_terminate_backend, and it has no sessions left.
	db.engine.SetSignaler(nil)
	if serveErr != nil && !errors.Is(serveErr, pgwire.ErrServerClosed) {
		return fmt.Errorf("cairn: serving: %w", serveErr)
	}
	return nil
}

// serving is the running Serve of a DB, which Close stops.
type serving struct {
	stop chan struct{} // closed by Close
	done chan struct{} // closed when Serve returns
}
