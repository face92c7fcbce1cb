package shard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sony/gobreaker/v2"

	"github.com/cairndb/cairn/internal/pgerr"
)

// SQLSTATEs of failures to reach a node, PostgreSQL's.
const (
	codeConnectionFailure            = "08006"
	codeUnableToConnect              = "08001"
	codeTransactionResolutionUnknown = "08007"
)

// nodeConn is the coordinator's way to one node: a pgx pool behind a
// circuit breaker.
type nodeConn struct {
	node Node
	pool *pgxpool.Pool
	cb   *gobreaker.CircuitBreaker[*pgxpool.Conn]
	opts *Options
}

// newNodeConn makes the pool (it connects lazily) and the breaker.
func newNodeConn(n Node, opts *Options) (*nodeConn, error) {
	url := fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable&connect_timeout=%d",
		opts.NodeUser, n.Addr, opts.NodeDatabase, max(1, int(opts.ConnectTimeout/time.Second)))
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("shard: node %s: %w", n.ID, err)
	}
	cfg.MaxConns = int32(opts.PoolSize)
	cfg.MinConns = 0
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	if opts.dial != nil {
		cfg.ConnConfig.DialFunc = opts.dial
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("shard: node %s: %w", n.ID, err)
	}
	nc := &nodeConn{node: n, pool: pool, opts: opts}
	nc.cb = gobreaker.NewCircuitBreaker[*pgxpool.Conn](gobreaker.Settings{
		Name:        n.ID,
		MaxRequests: 1,
		Timeout:     opts.BreakerOpen,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= opts.BreakerFailures },
		// An answer from the node, an error among them, shows it alive;
		// only a failure to reach it counts.
		IsSuccessful: func(err error) bool { return err == nil || !isConnFailure(err) },
	})
	return nc, nil
}

// isConnFailure reports whether err is a failure to reach or talk to a
// node, not an error the node answered with.
func isConnFailure(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// FATAL ends the connection: the server went away (57P01 when
		// it shut down) or threw the session out.
		return pe.Severity == "FATAL" || pe.Severity == "PANIC"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	}
	return pgconn.SafeToRetry(err) || pgconn.Timeout(err)
}

// acquire takes a connection to the node from its pool through the
// breaker. Nothing has been sent to the node on a failed acquire, so it
// is retried with exponential backoff and jitter (Options.Retries more
// times) unless the breaker is open or ctx ends.
//
// The connection's session gets set (settings.go): nil for the defaults.
func (nc *nodeConn) acquire(ctx context.Context, set *settings) (*pgxpool.Conn, error) {
	b := &backoff.ExponentialBackOff{
		InitialInterval:     nc.opts.RetryInitial,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         time.Second,
	}
	conn, err := backoff.Retry(ctx, func() (*pgxpool.Conn, error) {
		c, err := nc.cb.Execute(func() (*pgxpool.Conn, error) {
			c, err := nc.pool.Acquire(ctx)
			if err == nil {
				return c, nil
			}
			return nil, err
		})
		switch {
		case err == nil:
			return c, nil
		case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests), ctx.Err() != nil:
			return nil, backoff.Permanent(err)
		}
		return nil, err
	}, backoff.WithBackOff(b), backoff.WithMaxTries(uint(nc.opts.Retries)+1), backoff.WithMaxElapsedTime(0))
	if err != nil {
		return nil, nc.unavailable(err)
	}
	if err := nc.applySettings(ctx, conn, set); err != nil {
		conn.Release()
		return nil, err
	}
	return conn, nil
}

// call runs fn on a connection of c's through the breaker: a connection
// failure inside fn counts against the node. fn's fate on the node is
// unknown when it fails that way, so call never retries it.
func (nc *nodeConn) call(conn *pgxpool.Conn, fn func(*pgconn.PgConn) error) error {
	_, err := nc.cb.Execute(func() (*pgxpool.Conn, error) { return nil, fn(conn.Conn().PgConn()) })
	if err != nil && isConnFailure(err) {
		return nc.unavailable(err)
	}
	return err
}

// unavailable is the error a client sees for a node it cannot reach.
func (nc *nodeConn) unavailable(err error) error {
	breaker := errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests)
	if !breaker && !isConnFailure(err) {
		return err
	}
	code := codeConnectionFailure
	msg := fmt.Sprintf("node %s at %s is unavailable", nc.node.ID, nc.node.Addr)
	if breaker {
		code = codeUnableToConnect
		msg += fmt.Sprintf(" (circuit breaker open after %d consecutive failures; next try in at most %v)", nc.opts.BreakerFailures, nc.opts.BreakerOpen)
	}
	return pgerr.New(code, "%s", msg).WithDetail(err.Error()).WithCause(&NodeError{Node: nc.node.ID, Err: err})
}

// NodeError says which node a failure to reach one came from. It does
// not unwrap to Err, so that the SQLSTATE a client sees is the
// coordinator's (08006, 08001), not one the lost connection carried.
type NodeError struct {
	Node string
	Err  error
}

func (e *NodeError) Error() string { return fmt.Sprintf("shard: node %s: %v", e.Node, e.Err) }

// BreakerState reports the state of the node's circuit breaker: "closed",
// "half-open" or "open".
func (nc *nodeConn) BreakerState() string { return nc.cb.State().String() }

func (nc *nodeConn) close() { nc.pool.Close() }
