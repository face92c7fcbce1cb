package pgwire

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Stats are a server's counters since NewServer, for monitoring.
type Stats struct {
	// Connections counts the connections accepted.
	Connections uint64
	// Errors counts the ERROR and FATAL messages sent, by SQLSTATE:
	// conflicts (40001, 40P01), refusals (53300, 53400, 28P01), and every
	// other error a client was told of.
	Errors map[string]uint64
	// RateLimitedConnections and RateLimitedStatements count the
	// connections and statements refused by Options.Rates (53400).
	RateLimitedConnections, RateLimitedStatements uint64
}

// serverStats are the counters behind Stats.
type serverStats struct {
	connections atomic.Uint64
	errors      struct {
		sync.Mutex
		byCode map[string]uint64
	}
}

func (st *serverStats) countError(code string) {
	st.errors.Lock()
	if st.errors.byCode == nil {
		st.errors.byCode = make(map[string]uint64)
	}
	st.errors.byCode[code]++
	st.errors.Unlock()
}

// Stats returns the server's counters.
func (s *Server) Stats() Stats {
	st := Stats{Connections: s.stats.connections.Load(), Errors: make(map[string]uint64),
		RateLimitedConnections: s.rates.rejectedConns.Load(), RateLimitedStatements: s.rates.rejectedStmts.Load()}
	s.stats.errors.Lock()
	for code, n := range s.stats.errors.byCode {
		st.Errors[code] = n
	}
	s.stats.errors.Unlock()
	return st
}

// logConnectionReceived is log_connections' first line, for an accepted
// connection.
func (c *conn) logConnectionReceived() {
	if !c.srv.opts.LogConnections {
		return
	}
	host, port := hostPort(c.raw.RemoteAddr())
	c.log.Info("connection received", "host", host, "port", port)
}

// logConnectionAuthorized is log_connections' second line, once the
// session exists. It names the role and database, never a password.
func (c *conn) logConnectionAuthorized(user, database, appName string) {
	c.connected = time.Now()
	if !c.srv.opts.LogConnections {
		return
	}
	c.log.Info("connection authorized", "user", user, "database", database, "application_name", appName, "ssl", c.tls != nil)
}

// logDisconnection is log_disconnections' line for a connection that had
// a session.
func (c *conn) logDisconnection() {
	if !c.srv.opts.LogDisconnections || c.connected.IsZero() {
		return
	}
	host, port := hostPort(c.raw.RemoteAddr())
	c.log.Info("disconnection", "session_time", time.Since(c.connected).Round(time.Millisecond).String(),
		"user", c.role, "database", c.database, "host", host, "port", port)
}

// hostPort splits a client address as PostgreSQL's log lines show it:
// [local] for a Unix socket.
func hostPort(a net.Addr) (host, port string) {
	if _, ok := a.(*net.UnixAddr); ok || a == nil {
		return "[local]", ""
	}
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String(), ""
	}
	return host, port
}
