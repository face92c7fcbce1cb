// Package pgwire serves the PostgreSQL v3 frontend/backend protocol over any
// net.Listener, in front of a SQL engine it knows only through the small
// Engine and Session interfaces defined here.
//
// # What it owns
//
// Framing and validation of every frontend message, the startup handshake
// (SSLRequest is answered 'S' and TLS runs when Options.TLSConfig is set,
// 'N' otherwise; GSSENCRequest is answered 'N'; CancelRequest cancels the
// running statement of the connection whose key it names), client
// authentication (below), the simple query
// protocol, the extended query protocol (prepared statements, whose names
// a StatementSession shares with SQL's PREPARE, EXECUTE, DEALLOCATE and
// pg_prepared_statements; portals, SQL cursors among them for Describe
// and Execute, which fetches from them; row limits), the COPY FROM STDIN sub-protocol in text format (copy.go; the
// session parses the data, through the optional CopySession interface),
// and the text and binary encoding of values on the wire (binary through
// pgx/v5/pgtype for scalars; arrays, oid, the reg types, float4, bytea,
// uuid, json (its text) and jsonb and jsonpath (version byte 1, then the
// text) in encode.go, byte for byte as array_send, oidsend, float4send,
// byteasend, uuid_send, jsonb_send and jsonpath_send write them; inet,
// cidr, macaddr and macaddr8 in network.go and encode.go as inet_send,
// macaddr_send and macaddr8_send do, received with inet_recv's checks;
// the geometric types and money in geometry.go as geo_ops.c's *_send and
// cash_send write them).
// Text
// values are printed under the session's output settings
// (sql.Result.Format: bytea_output).
//
// # Client authentication
//
// Options.HBA holds rules in pg_hba.conf's format (hba.go says which
// forms); the first rule that matches the connection type (local for a
// Unix socket, host, hostssl, hostnossl), database, user and address
// decides the method. Without rules, DefaultHBA: trust over the Unix
// socket and from loopback addresses. No rule: FATAL 28000 "no
// pg_hba.conf entry for host "H", user "U", database "D", no encryption"
// (or "SSL encryption"), PostgreSQL 15's wording; reject: 28000
// "pg_hba.conf rejects connection ...". The methods (auth.go):
//
//   - scram-sha-256: SCRAM-SHA-256 (internal/scram), and over TLS also
//     SCRAM-SHA-256-PLUS with tls-server-end-point channel binding, when
//     the TLS configuration has one certificate. A role that does not
//     exist, has no SCRAM password, or whose password expired (VALID
//     UNTIL) runs the same exchange against a mock verifier whose salt
//     is derived from the user name and a per-server secret, and fails
//     with 28P01 "password authentication failed for user "U"", as a
//     wrong password does, in the same time.
//   - md5: the md5 challenge for a role with an md5 password; every other
//     role is asked for SCRAM, as PostgreSQL does: one with a SCRAM
//     password, and one with no usable password (none, not set, expired:
//     against the mock verifier above), which so looks like a role whose
//     password was stored the default way (password_encryption
//     scram-sha-256). clienttest's TestAuthTiming checks that response
//     times do not tell a missing role from a wrong password.
//   - password: the password in clear text, refused (28000) over
//     unencrypted TCP unless Options.CleartextPasswordWithoutTLS.
//   - trust, reject.
//
// Roles come from the engine (AuthEngine.LookupRole); after
// authentication the engine's NewSession refuses an unknown role or one
// without LOGIN (28000) and an unknown database (3D000). is_superuser is
// reported from the role. A client that is not a superuser is refused
// with 53300 when fewer than Options.ReservedConnections of
// MaxConnections slots are free (superuser_reserved_connections).
//
// # Admission control
//
// Options.Rates (RateLimits, off by default) rate-limits new connections
// and statements with token buckets (golang.org/x/time/rate): one per
// client IP address (all Unix socket clients share one) and one per role,
// the user named in the startup packet (SET ROLE does not change it). A
// new connection takes a token from its address's connection bucket after
// its startup packet, before it counts against MaxConnections, and one
// from its role's after authentication (so no client can use up the
// tokens of a role it cannot log in as); a statement takes one from its statement buckets before
// it runs (each statement of a multi-statement Query, each first Execute
// of a portal, each Execute of a SQL cursor; Parse, Bind and Describe take
// none). When a token is not there, the request waits for it up to
// RateLimits.Wait (1 s by default) and, if it would have to wait longer,
// fails at once with SQLSTATE 53400 (configuration_limit_exceeded),
// FATAL for a connection and ERROR for a statement (the session goes on).
// A statement's wait is ended by a CancelRequest or by statement_timeout
// (57014); the wait does not count against the statement_timeout of the
// statement that then runs. A wait that fails gives its tokens back.
// Buckets are made when a key is first seen; full ones are dropped once
// more than 1024 are held, so many addresses cost memory only while they
// are active. PostgreSQL has no such limit; 53400 is the code it uses
// for exceeding a configured limit.
//
// # What PostgreSQL 15 does, and so what this package does
//
//   - After AuthenticationOk the server sends exactly 13 ParameterStatus
//     messages in PostgreSQL's order, then BackendKeyData, then
//     ReadyForQuery 'I'.
//   - An error inside the extended protocol discards every message until the
//     next Sync; Sync answers ReadyForQuery with the session's transaction
//     status.
//   - Hostile input is answered as PostgreSQL answers it: an unknown message
//     type is FATAL 08P01 and closes the connection; a message whose length
//     is below 4 or above its limit (10000 bytes for Sync, Flush, Close,
//     Describe, Execute and Terminate; Options.MaxMessageBytes for the rest)
//     closes the connection without a reply; a NUL inside a query is ERROR
//     08P01, invalid UTF-8 is ERROR 22021, a message with bytes left after
//     its fields (or a Sync or Flush with a body) is ERROR 08P01 "invalid
//     message format", and the session goes on. A startup packet of
//     protocol 2 or older is refused in protocol 2's own format.
//   - The body of a message is read as it arrives: a client that announces a
//     large message and sends nothing does not make the server allocate it.
//
// # Statements end when their client does
//
// The work one message asks for (parsing, planning, running its statements)
// runs under one context, which a CancelRequest, Shutdown or the client's
// going away ends, with a cause the engine reports through
// pgerr.FromContext: "canceling statement due to user request", FATAL 57P01,
// or 08006. While a statement runs, the connection is polled for a closed
// peer (POLLRDHUP) every Options.ClientCheckInterval, 250 ms by default
// (PostgreSQL's client_connection_check_interval, off by default there). A
// session that reports an idle_in_transaction_session_timeout
// (IdleTimeoutSession) has its connection ended with FATAL 25P03 when the
// client stays silent that long inside a transaction, and one that
// reports an idle_session_timeout (IdleSessionTimeoutSession) with FATAL
// 57P05 when it stays silent that long outside one. An engine that lets
// sessions signal each other (SignalEngine: pg_cancel_backend,
// pg_terminate_backend) gets the server's signaler: cancelling acts as a
// CancelRequest does, terminating cancels the running statement and ends
// the connection with FATAL 57P01 at its next read.
//
// # Memory
//
// With Options.Memory set, a message body of 1 MiB or more is read only
// once twice its size fits in the budget, and one such message is admitted
// at a time, so that its parse may wait for memory without any two waits
// depending on each other; a body that could not fit even alone is skipped
// and answered with ERROR 53200. At every ReadyForQuery a session that
// counts its results (ResultReleaser) gives its memory back, so no session
// holds budget while it waits for its client.
//
// # Contract with the engine
//
// A Session belongs to one connection and is used by one goroutine at a
// time. Its errors carry SQLSTATEs through internal/pgerr; pgwire only reads
// and formats them (the message is the whole error's, or a pgerr.Shown
// error's own), and reports an error without a code as XX000 (and logs
// it). Every call into the Session runs under recover: a panic is logged with
// its stack and becomes ERROR XX000 for that statement; the connection and
// the server go on. Session.Close is called exactly once when the connection
// ends, whatever the reason. A session with a process id of its own (the
// optional BackendSession interface; sql.Session has one) has it sent in
// BackendKeyData, so that pg_backend_pid() and pg_locks name the id the
// client holds; other sessions get a random one.
//
// # Concurrency
//
// One goroutine per connection holds all protocol state (statements,
// portals, the skip-until-Sync flag, output buffer). The Server's lock
// guards only the set of live connections, the connection count and the
// cancel keys. A connection's accepted socket (raw) never changes; after
// TLS starts the protocol reads and writes the TLS connection over it, and
// other goroutines (Shutdown, pg_terminate_backend) touch only the raw
// socket's deadlines. A connection whose session receives notifications
// (NotifySession) has a second goroutine, started by the first
// notification: while the connection waits for its client after a
// ReadyForQuery outside a transaction, that goroutine writes
// NotificationResponses to the socket; the connection's goroutine writes
// only once it has taken the socket back (a mutex and an idle flag).
// Otherwise notifications go out just before a ReadyForQuery outside a
// transaction. Shutdown stops the listeners, cancels running statements,
// sends FATAL 57P01 to every connection and waits for their goroutines.
//
// # Monitoring
//
// Server.Stats counts accepted connections, the ERROR and FATAL messages
// sent by SQLSTATE, and the rate limits' refusals; Options.LogConnections
// and LogDisconnections log connections as PostgreSQL's log_connections
// and log_disconnections do, naming role and database, never a password.
//
// # Imports
//
// pgwire imports sql (Prepared, Result, Role, ConnInfo), sql/types
// (values and their text form), internal/pgerr, internal/membudget,
// internal/scram and pgx's
// pgproto3/pgtype; it must not import storage packages (heap, txn, wal,
// lsm).
package pgwire
