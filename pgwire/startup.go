package pgwire

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
)

// Request codes that take the place of a protocol version in a startup
// packet.
const (
	cancelRequestCode = 80877102
	sslRequestCode    = 80877103
	gssEncRequestCode = 80877104
)

// startup runs the handshake up to the first ReadyForQuery. A non-nil error
// ends the connection (a *fatalError after a FATAL reply).
func (c *conn) startup() error {
	sslDone, gssDone := false, false
	for {
		code, body, err := c.readStartupPacket()
		if err != nil {
			return err
		}
		switch {
		case code == sslRequestCode && !sslDone:
			if c.srv.opts.TLSConfig != nil {
				if err := c.startTLS(); err != nil {
					return err
				}
				// Inside TLS neither request may come again.
				sslDone, gssDone = true, true
				continue
			}
			if err := c.refuseEncryption("SSL request"); err != nil {
				return err
			}
			// After a refused SSLRequest the client may still try GSS.
			sslDone, gssDone = true, false
		case code == gssEncRequestCode && !gssDone:
			if err := c.refuseEncryption("GSSAPI encryption request"); err != nil {
				return err
			}
			gssDone = true
		case code == cancelRequestCode:
			if len(body) != 12 {
				c.log.Info("pgwire: invalid length of startup packet", "length", len(body)+4)
				return errClose
			}
			c.srv.cancelRequest(int32(binary.BigEndian.Uint32(body[4:8])), binary.BigEndian.Uint32(body[8:12]))
			return errClose
		default:
			return c.begin(code, body[4:])
		}
	}
}

// readStartupPacket reads a length-prefixed packet with no type byte and
// returns its leading code (protocol version or request code) and body.
func (c *conn) readStartupPacket() (uint32, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			c.log.Info("pgwire: incomplete startup packet")
			return 0, nil, errClose
		}
		return 0, nil, err
	}
	n := int64(int32(binary.BigEndian.Uint32(hdr[:]))) - 4
	if n < startupPacketBytesMin-4 || n > startupPacketBytesMax {
		c.log.Info("pgwire: invalid length of startup packet", "length", n+4)
		return 0, nil, errClose
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c.br, body); err != nil {
		c.log.Info("pgwire: incomplete startup packet")
		return 0, nil, errClose
	}
	return binary.BigEndian.Uint32(body), body, nil
}

// refuseEncryption answers an SSL or GSS request with 'N'. Bytes the client
// sent before reading the answer are refused as PostgreSQL refuses them:
// they could have been injected by a man in the middle.
func (c *conn) refuseEncryption(what string) error {
	if _, err := c.nc.Write([]byte{'N'}); err != nil {
		return err
	}
	if c.br.Buffered() > 0 {
		return &fatalError{err: pgerr.New(pgerr.ProtocolViolation, "received unencrypted data after %s", what).
			WithDetail("This could be either a client-software bug or evidence of an attempted man-in-the-middle attack.")}
	}
	return nil
}

// startTLS answers an SSLRequest with 'S' and runs the TLS handshake; the
// rest of the connection is encrypted. As with 'N', bytes the client sent
// before reading the answer are refused: they would have bypassed TLS.
func (c *conn) startTLS() error {
	if _, err := c.nc.Write([]byte{'S'}); err != nil {
		return err
	}
	if c.br.Buffered() > 0 {
		return &fatalError{err: pgerr.New(pgerr.ProtocolViolation, "received unencrypted data after SSL request").
			WithDetail("This could be either a client-software bug or evidence of an attempted man-in-the-middle attack.")}
	}
	tc := tls.Server(c.raw, c.srv.opts.TLSConfig)
	// The startup deadline set on the raw connection bounds the handshake.
	if err := tc.Handshake(); err != nil {
		c.log.Info("pgwire: could not accept SSL connection", "err", err)
		return errClose
	}
	st := tc.ConnectionState()
	c.nc, c.br, c.tls = tc, bufio.NewReader(tc), &st
	return nil
}

// connInfo describes the connection for the session.
func (c *conn) connInfo() sql.ConnInfo {
	ci := sql.ConnInfo{ServerSSL: c.srv.opts.TLSConfig != nil,
		MaxConnections: c.srv.opts.MaxConnections, ReservedConnections: c.srv.opts.ReservedConnections,
		Client: c.raw.RemoteAddr(), Server: c.raw.LocalAddr()}
	if c.tls == nil {
		return ci
	}
	ci.SSL = true
	ci.SSLCipher = tls.CipherSuiteName(c.tls.CipherSuite)
	switch c.tls.Version {
	case tls.VersionTLS12:
		ci.SSLVersion = "TLSv1.2"
	case tls.VersionTLS13:
		ci.SSLVersion = "TLSv1.3"
	default:
		ci.SSLVersion = tls.VersionName(c.tls.Version)
	}
	ci.SSLBits = 128
	if strings.Contains(ci.SSLCipher, "AES_256") || strings.Contains(ci.SSLCipher, "CHACHA20") {
		ci.SSLBits = 256
	}
	return ci
}

// parseStartupParams decodes name/value pairs ending with an empty name,
// which must be the packet's last byte.
func parseStartupParams(b []byte) (map[string]string, bool) {
	params := make(map[string]string)
	for {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return nil, false
		}
		name := string(b[:i])
		b = b[i+1:]
		if name == "" {
			return params, len(b) == 0
		}
		j := bytes.IndexByte(b, 0)
		if j < 0 {
			return nil, false
		}
		params[name] = string(b[:j])
		b = b[j+1:]
	}
}

// begin handles a StartupMessage: protocol check, admission, host check,
// authentication (trust), session creation and the parameter report.
func (c *conn) begin(version uint32, rest []byte) error {
	major, minor := version>>16, version&0xffff
	if major < 3 {
		// A client of protocol 2 or older would not read a version 3
		// ErrorResponse: PostgreSQL answers in the old format, 'E' and
		// a NUL-terminated text.
		c.nc.SetWriteDeadline(time.Now().Add(fatalWriteTimeout))
		c.nc.Write(fmt.Appendf([]byte{'E'}, "FATAL:  unsupported frontend protocol %d.%d: server supports 3.0 to 3.0\n\x00", major, minor))
		return errClose
	}
	if major != 3 {
		return fatalf(pgerr.FeatureNotSupported, "unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", major, minor)
	}
	params, ok := parseStartupParams(rest)
	if !ok {
		return fatalf(pgerr.ProtocolViolation, "invalid startup packet layout: expected terminator as last byte")
	}
	// Protocol options (_pq_.*) and minor versions above 0 are refused by
	// negotiation, not by error, as PostgreSQL 15 does.
	var unknown []string
	for name := range params {
		if strings.HasPrefix(name, "_pq_.") {
			unknown = append(unknown, name)
			delete(params, name)
		}
	}
	if minor > 0 || len(unknown) > 0 {
		c.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknown})
	}

	user := params["user"]
	if user == "" {
		return fatalf(pgerr.InvalidAuthorizationSpec, "no PostgreSQL user name specified in startup packet")
	}
	database := params["database"]
	if database == "" {
		database = user
	}
	// The address's rate limit waits before the connection takes a
	// slot, so that a waiting connection keeps no other client out; the
	// role's after authentication, so that only the role's own clients
	// use its tokens.
	c.role, c.addr = user, addressKey(c.raw.RemoteAddr())
	if err := c.srv.rates.connectionFrom(c.srv.ctx, c.addr); err != nil {
		return &fatalError{err: err}
	}
	if !c.srv.admit(c) {
		return fatalf(pgerr.TooManyConnections, "sorry, too many clients already")
	}
	role, roleKnown, err := c.authenticate(user, database)
	if err != nil {
		return err
	}
	if err := c.srv.rates.connectionAs(c.srv.ctx, c.role); err != nil {
		return &fatalError{err: err}
	}
	if enc, ok := params["client_encoding"]; ok && !isUTF8Name(enc) {
		return fatalf(pgerr.FeatureNotSupported, "conversion between %s and UTF8 is not supported", strings.ToUpper(enc))
	}
	c.send(&pgproto3.AuthenticationOk{})

	err = c.call("NewSession", func() error {
		s, err := c.srv.engine.NewSession(user, database, params)
		c.sess = s
		return err
	})
	if err == nil && c.sess == nil {
		err = pgerr.New(pgerr.InternalError, "engine returned no session")
	}
	if err != nil {
		return &fatalError{err: err}
	}
	// The last ReservedConnections slots are for superusers (PostgreSQL
	// checks once it knows the role, as here).
	if !(roleKnown && role.Superuser) && c.srv.freeSlots() < c.srv.opts.ReservedConnections {
		return fatalf(pgerr.TooManyConnections, "remaining connection slots are reserved for non-replication superuser connections")
	}
	if cs, ok := c.sess.(ConnInfoSession); ok {
		ci := c.connInfo()
		if err := c.call("SetConnInfo", func() error { cs.SetConnInfo(ci); return nil }); err != nil {
			return &fatalError{err: err}
		}
	}
	if err := c.srv.register(c); err != nil {
		return err
	}
	c.database = database
	c.logConnectionAuthorized(user, database, params["application_name"])

	for _, p := range c.startupParameters(params, user, !roleKnown || role.Superuser) {
		c.reported[p.Name] = p.Value
		c.send(&pgproto3.ParameterStatus{Name: p.Name, Value: p.Value})
	}
	c.send(&pgproto3.BackendKeyData{ProcessID: uint32(c.pid), SecretKey: binary.BigEndian.AppendUint32(nil, c.secret)})
	c.send(&pgproto3.ReadyForQuery{TxStatus: sql.TxIdle})
	c.flush()
	return c.writeErr
}

// startupParameters are the 13 values PostgreSQL 15 reports after
// authentication, in its order.
func (c *conn) startupParameters(params map[string]string, user string, superuser bool) []sql.Parameter {
	isSuper := "off"
	if superuser {
		isSuper = "on"
	}
	return []sql.Parameter{
		{Name: "application_name", Value: params["application_name"]},
		{Name: "client_encoding", Value: "UTF8"},
		{Name: "DateStyle", Value: "ISO, MDY"},
		{Name: "default_transaction_read_only", Value: "off"},
		{Name: "in_hot_standby", Value: "off"},
		{Name: "integer_datetimes", Value: "on"},
		{Name: "IntervalStyle", Value: "postgres"},
		{Name: "is_superuser", Value: isSuper},
		{Name: "server_encoding", Value: "UTF8"},
		{Name: "server_version", Value: c.srv.opts.ServerVersion},
		{Name: "session_authorization", Value: user},
		{Name: "standard_conforming_strings", Value: "on"},
		{Name: "TimeZone", Value: "Etc/UTC"},
	}
}

// isUTF8Name reports whether a client_encoding value names UTF-8, matching
// as PostgreSQL does (case and punctuation ignored).
func isUTF8Name(enc string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(enc) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	switch b.String() {
	case "utf8", "unicode":
		return true
	}
	return false
}
