package pgwire

import (
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/scram"
	"github.com/cairndb/cairn/sql"
)

// AuthEngine is an Engine that knows roles and their passwords, which
// password authentication needs; sql's is one. With an Engine that is
// not, every password authentication fails.
type AuthEngine interface {
	Engine
	// LookupRole returns the role named name; ok is false when there is
	// none.
	LookupRole(name string) (r sql.Role, ok bool, err error)
}

var _ AuthEngine = sqlEngine{}

// clientHost describes the client as PostgreSQL prints it in messages,
// with its address: "[local]" for a Unix-domain socket.
func clientHost(a net.Addr) (host string, ip net.IP, local bool) {
	switch addr := a.(type) {
	case *net.TCPAddr:
		return addr.IP.String(), addr.IP, false
	case *net.UnixAddr:
		return "[local]", nil, true
	}
	return a.String(), nil, false
}

// encryptionWord is how PostgreSQL 15 describes the connection's
// encryption in authentication messages.
func (c *conn) encryptionWord() string {
	if c.tls != nil {
		return "SSL encryption"
	}
	return "no encryption"
}

// authenticate applies the first matching host-based rule: it returns nil
// when the client may go on as user, else the FATAL error to end with.
// role is what the engine knows of user (ok false: no such role).
func (c *conn) authenticate(user, database string) (role sql.Role, ok bool, err error) {
	host, ip, local := clientHost(c.raw.RemoteAddr())
	// An engine without roles: every user is a superuser without a
	// password.
	role, ok = sql.Role{Name: user, Superuser: true, Login: true}, true
	if ae, isAuth := c.srv.engine.(AuthEngine); isAuth {
		if err := c.call("LookupRole", func() error {
			var err error
			role, ok, err = ae.LookupRole(user)
			return err
		}); err != nil {
			return role, false, &fatalError{err: err}
		}
	}
	rule := matchHBA(c.srv.hba, hbaClient{local: local, ip: ip, tls: c.tls != nil, user: user, db: database}, interfaceNets)
	if rule == nil {
		return role, ok, fatalf(pgerr.InvalidAuthorizationSpec, "no pg_hba.conf entry for host \"%s\", user \"%s\", database \"%s\", %s",
			host, user, database, c.encryptionWord())
	}
	c.log.Debug("pgwire: connection matched rule", "line", rule.Line, "method", rule.Method, "user", user)
	passwordFailed := fatalf(pgerr.InvalidPassword, "password authentication failed for user \"%s\"", user)
	stored := ""
	if ok && role.Password != "" && (role.ValidUntil == nil || time.Now().Before(*role.ValidUntil)) {
		stored = role.Password
	}
	var passed bool
	switch rule.Method {
	case authTrust:
		return role, ok, nil
	case authReject:
		return role, ok, fatalf(pgerr.InvalidAuthorizationSpec, "pg_hba.conf rejects connection for host \"%s\", user \"%s\", database \"%s\", %s",
			host, user, database, c.encryptionWord())
	case authPassword:
		if c.tls == nil && !local && !c.srv.opts.CleartextPasswordWithoutTLS {
			return role, ok, &fatalError{err: pgerr.New(pgerr.InvalidAuthorizationSpec,
				"password authentication in clear text is refused on an unencrypted connection for user \"%s\"", user).
				WithHint("Connect with TLS (sslmode=require), or use scram-sha-256.")}
		}
		passed, err = c.authCleartext(user, stored)
	case authMD5:
		if scram.IsMD5(stored) {
			passed, err = c.authMD5(stored)
		} else {
			// As in PostgreSQL: md5 rules accept SCRAM passwords, by
			// SCRAM; and a role with no usable password (none there,
			// none set, expired) goes through the exchange of the
			// default password_encryption, scram-sha-256, against a mock
			// verifier, so that it blends in with the roles whose
			// passwords were stored the default way.
			passed, err = c.authSCRAM(user, stored)
		}
	case authSCRAM:
		passed, err = c.authSCRAM(user, stored)
	}
	if err != nil {
		return role, ok, err
	}
	if !passed {
		c.log.Info("pgwire: password authentication failed", "user", user, "rule", rule.Line, "role_exists", ok)
		return role, ok, passwordFailed
	}
	return role, ok, nil
}

// readAuthMessage reads the client's answer to an authentication request:
// a 'p' message. A client that hangs up instead (psql does, to ask its
// user for a password) ends the connection quietly.
func (c *conn) readAuthMessage(what string) ([]byte, error) {
	c.flush()
	if c.writeErr != nil {
		return nil, c.writeErr
	}
	var hdr [5]byte
	if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errClose
		}
		return nil, err
	}
	if hdr[0] != 'p' {
		return nil, fatalf(pgerr.ProtocolViolation, "expected %s response, got message type %d", what, hdr[0])
	}
	n := int64(int32(binary.BigEndian.Uint32(hdr[1:]))) - 4
	if n < 0 || n > authMessageBytesMax {
		return nil, fatalf(pgerr.ProtocolViolation, "invalid %s packet size %d", what, n+4)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c.br, body); err != nil {
		return nil, errClose
	}
	return body, nil
}

// authCleartext asks for the password in clear text and checks it against
// the stored one. Without a stored password the check still runs, against
// a mock verifier, so that it takes as long.
func (c *conn) authCleartext(user, stored string) (bool, error) {
	c.send(&pgproto3.AuthenticationCleartextPassword{})
	body, err := c.readAuthMessage("password")
	if err != nil {
		return false, err
	}
	if len(body) == 0 || body[len(body)-1] != 0 {
		return false, fatalf(pgerr.ProtocolViolation, "invalid password packet size")
	}
	password := string(body[:len(body)-1])
	if stored == "" {
		scram.Verify(scram.MockVerifier(user, c.srv.secret).String(), user, password)
		return false, nil
	}
	return password != "" && scram.Verify(stored, user, password), nil
}

// authMD5 runs the md5 challenge against stored, an md5 password.
func (c *conn) authMD5(stored string) (bool, error) {
	var salt [4]byte
	if _, err := io.ReadFull(c.srv.rand, salt[:]); err != nil {
		return false, err
	}
	c.send(&pgproto3.AuthenticationMD5Password{Salt: salt})
	body, err := c.readAuthMessage("password")
	if err != nil {
		return false, err
	}
	if len(body) == 0 || body[len(body)-1] != 0 {
		return false, fatalf(pgerr.ProtocolViolation, "invalid password packet size")
	}
	want := scram.MD5Response(stored, salt)
	return subtle.ConstantTimeCompare(body[:len(body)-1], []byte(want)) == 1, nil
}

// authSCRAM runs a SCRAM-SHA-256 exchange, with channel binding
// (SCRAM-SHA-256-PLUS) offered over TLS. A user without a SCRAM password
// (no such role, none set, expired, or md5) goes through the same
// exchange against a mock verifier and fails at the proof.
func (c *conn) authSCRAM(user, stored string) (bool, error) {
	v, real := scram.ParseVerifier(stored)
	if !real {
		v = scram.MockVerifier(user, c.srv.secret)
	}
	var cb []byte
	if c.tls != nil {
		cb = c.srv.endPoint
	}
	c.send(&pgproto3.AuthenticationSASL{AuthMechanisms: scram.Mechanisms(cb != nil)})
	body, err := c.readAuthMessage("SASL")
	if err != nil {
		return false, err
	}
	var first pgproto3.SASLInitialResponse
	if err := first.Decode(body); err != nil {
		return false, fatalf(pgerr.ProtocolViolation, "malformed SASLInitialResponse message")
	}
	var nonce [18]byte
	if _, err := io.ReadFull(c.srv.rand, nonce[:]); err != nil {
		return false, err
	}
	x := scram.NewExchange(v, !real, base64.StdEncoding.EncodeToString(nonce[:]), cb)
	serverFirst, err := x.ClientFirst(first.AuthMechanism, first.Data)
	if err != nil {
		return false, &fatalError{err: err}
	}
	c.send(&pgproto3.AuthenticationSASLContinue{Data: serverFirst})
	body, err = c.readAuthMessage("SASL")
	if err != nil {
		return false, err
	}
	serverFinal, ok, err := x.ClientFinal(body)
	if err != nil {
		return false, &fatalError{err: err}
	}
	if !ok {
		return false, nil
	}
	c.send(&pgproto3.AuthenticationSASLFinal{Data: serverFinal})
	return true, nil
}

// tlsEndPoint is the tls-server-end-point channel binding data of the
// server's certificate, or nil when it cannot be known: no TLS, several
// certificates, or one chosen per connection (GetCertificate,
// GetConfigForClient).
func tlsEndPoint(cfg *tls.Config) []byte {
	if cfg == nil || len(cfg.Certificates) != 1 || cfg.GetCertificate != nil || cfg.GetConfigForClient != nil ||
		len(cfg.Certificates[0].Certificate) == 0 {
		return nil
	}
	cert, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		return nil
	}
	return scram.EndPoint(cert)
}
