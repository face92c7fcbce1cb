package sql

import (
	gonet "net"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// ConnInfo describes a session's client connection, as the server that
// accepted it (pgwire) reports it. A session without one (embedded use)
// has no TLS and no server TLS.
type ConnInfo struct {
	// ServerSSL says the server accepts TLS connections: the ssl setting.
	ServerSSL bool
	// SSL says this connection is encrypted; SSLVersion ("TLSv1.3"),
	// SSLCipher and SSLBits describe it, as pg_stat_ssl shows them.
	SSL        bool
	SSLVersion string
	SSLCipher  string
	SSLBits    int
	// MaxConnections and ReservedConnections are the server's
	// max_connections and superuser_reserved_connections.
	MaxConnections      int
	ReservedConnections int
	// Client and Server are the connection's ends (a *net.TCPAddr or
	// *net.UnixAddr): pg_stat_activity's client_addr and client_port,
	// inet_client_addr() and friends show them.
	Client, Server gonet.Addr
}

// SetConnInfo records the session's connection: SHOW ssl and pg_stat_ssl
// read it. pgwire calls it once, after NewSession.
func (s *Session) SetConnInfo(ci ConnInfo) {
	s.backend.conn.Store(&ci)
	s.settings["ssl"] = onOff(ci.ServerSSL)
	if ci.MaxConnections > 0 {
		s.settings["max_connections"] = strconv.Itoa(ci.MaxConnections)
		s.settings["superuser_reserved_connections"] = strconv.Itoa(ci.ReservedConnections)
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// sessionSystemViews are the pg_catalog relations package sql computes
// from session and server state, found by name before the catalog's.
var sessionSystemViews = map[string]*sysView{}

func init() {
	for _, v := range []*sysView{pgStatSSL} {
		sessionSystemViews[v.name] = v
	}
}

// pgStatSSL is pg_stat_ssl: one row per live session, with its TLS
// parameters when it is encrypted. cairn does not ask clients for
// certificates, so client_dn, client_serial and issuer_dn are NULL (as
// PostgreSQL shows them for a client that sent none).
var pgStatSSL = &sysView{
	name: "pg_stat_ssl",
	cols: resultColumns(catalog.Cols("pid", int4T, "ssl", boolT, "version", textT, "cipher", textT, "bits", int4T,
		"client_dn", textT, "client_serial", types.New(types.Numeric), "issuer_dn", textT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		var out [][]types.Datum
		for _, be := range x.s.e.backends.list() {
			row := []types.Datum{int64(be.pid), false, nil, nil, nil, nil, nil, nil}
			if ci := be.conn.Load(); ci != nil && ci.SSL {
				row[1], row[2], row[3], row[4] = true, ci.SSLVersion, ci.SSLCipher, int64(ci.SSLBits)
			}
			out = append(out, row)
		}
		return out, nil
	},
}

// checkPasswordEncryption takes password_encryption's two values.
func checkPasswordEncryption(v string) (string, error) {
	switch l := strings.ToLower(v); l {
	case "md5", "scram-sha-256":
		return l, nil
	}
	return "", pgerr.New(pgerr.InvalidParameterValue, "invalid value for parameter \"password_encryption\": \"%s\"", v).
		WithHint("Available values: md5, scram-sha-256.")
}

// IdleSessionTimeout is idle_session_timeout: how long the session may
// wait for its client outside a transaction before the server ends it
// (0: forever).
func (s *Session) IdleSessionTimeout() time.Duration {
	return s.durationSetting("idle_session_timeout")
}
