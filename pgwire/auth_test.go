package pgwire

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/scram"
	"github.com/cairndb/cairn/sql"
)

// testRoles: alice has a SCRAM password, bob an md5 one, carol none,
// dave an expired one; admin is a superuser.
func testRoles() map[string]sql.Role {
	past := time.Now().Add(-time.Hour)
	salt := []byte("0123456789abcdef")
	return map[string]sql.Role{
		"postgres": {Name: "postgres", Superuser: true, Login: true},
		"admin":    {Name: "admin", Superuser: true, Login: true, Password: scram.NewVerifier("root", salt, 4096).String()},
		"alice":    {Name: "alice", Login: true, Password: scram.NewVerifier("wonderland", salt, 4096).String()},
		"bob":      {Name: "bob", Login: true, Password: scram.MD5("builder", "bob")},
		"carol":    {Name: "carol", Login: true},
		"dave":     {Name: "dave", Login: true, Password: scram.NewVerifier("pw", salt, 4096).String(), ValidUntil: &past},
	}
}

func mustHBA(t *testing.T, text string) []HBARule {
	t.Helper()
	rules, err := ParseHBA(text)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

// dial connects with pgx as user with password; tlsMode is "disable",
// "require" or "verify-full" (with pki's CA). extra are connection
// parameters such as channel_binding=require.
func dial(t *testing.T, ts *testServer, pki *testPKI, tlsMode, user, password, database string, extra ...string) error {
	t.Helper()
	dsn := "postgres://" + ts.addr + "/" + database + "?sslmode=" + map[string]string{"verify-full": "require"}[tlsMode]
	if tlsMode != "verify-full" {
		dsn = "postgres://" + ts.addr + "/" + database + "?sslmode=" + tlsMode
	}
	for _, e := range extra {
		dsn += "&" + e
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Password = user, password
	switch tlsMode {
	case "require":
		cfg.TLSConfig = &tls.Config{InsecureSkipVerify: true}
	case "verify-full":
		cfg.TLSConfig = &tls.Config{RootCAs: pki.roots, ServerName: "127.0.0.1"}
	}
	cfg.Fallbacks = nil
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	var one int
	err = c.QueryRow(ctx, "select 1").Scan(&one)
	c.Close(ctx)
	return err
}

// errText is "CODE message" of a server error, "ok" for none.
func errText(err error) string {
	if err == nil {
		return "ok"
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Severity + " " + pe.Code + " " + pe.Message
	}
	return "client: " + err.Error()
}

// TestAuthMethods: every method, each outcome, over TLS and not.
func TestAuthMethods(t *testing.T) {
	pki := newTestPKI(t)
	rules := mustHBA(t, `
# type  database user  address        method
host    all      alice 127.0.0.1/32   scram-sha-256
host    all      bob   127.0.0.1/32   md5
hostssl all      admin 127.0.0.1/32   password
host    all      admin 127.0.0.1/32   password
host    all      ghost 127.0.0.1/32   scram-sha-256
host    all      carol 127.0.0.1/32   scram-sha-256
host    all      dave  127.0.0.1/32   scram-sha-256
host    all      eve   127.0.0.1/32   reject
host    all      md5alice 127.0.0.1/32 md5
`)
	roles := testRoles()
	roles["md5alice"] = sql.Role{Name: "md5alice", Login: true, Password: roles["alice"].Password}
	ts := startServerRoles(t, Options{TLSConfig: pki.server, HBA: rules}, nil, roles)
	failed := func(u string) string { return "FATAL 28P01 password authentication failed for user \"" + u + "\"" }
	cases := []struct {
		name, tls, user, password string
		extra                     []string
		want                      string
	}{
		{"scram", "disable", "alice", "wonderland", nil, "ok"},
		{"scram over TLS with channel binding", "verify-full", "alice", "wonderland", []string{"channel_binding=require"}, "ok"},
		{"scram wrong password", "disable", "alice", "wonder", nil, failed("alice")},
		{"scram wrong password over TLS", "require", "alice", "x", nil, failed("alice")},
		{"scram unknown role", "disable", "ghost", "wonderland", nil, failed("ghost")},
		{"scram role without password", "disable", "carol", "", nil, failed("carol")},
		{"scram role without password, any given", "disable", "carol", "x", nil, failed("carol")},
		{"scram expired password", "disable", "dave", "pw", nil, failed("dave")},
		{"md5", "disable", "bob", "builder", nil, "ok"},
		{"md5 wrong password", "disable", "bob", "b", nil, failed("bob")},
		{"md5 rule, SCRAM password: SCRAM", "disable", "md5alice", "wonderland", nil, "ok"},
		{"password over TLS", "require", "admin", "root", nil, "ok"},
		{"password over TLS, wrong", "require", "admin", "toor", nil, failed("admin")},
		{"password without TLS is refused", "disable", "admin", "root", nil,
			"FATAL 28000 password authentication in clear text is refused on an unencrypted connection for user \"admin\""},
		{"reject", "disable", "eve", "x", nil,
			"FATAL 28000 pg_hba.conf rejects connection for host \"127.0.0.1\", user \"eve\", database \"postgres\", no encryption"},
		{"no rule", "disable", "zed", "x", nil,
			"FATAL 28000 no pg_hba.conf entry for host \"127.0.0.1\", user \"zed\", database \"postgres\", no encryption"},
		{"no rule over TLS", "require", "zed", "x", nil,
			"FATAL 28000 no pg_hba.conf entry for host \"127.0.0.1\", user \"zed\", database \"postgres\", SSL encryption"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := errText(dial(t, ts, pki, c.tls, c.user, c.password, "postgres", c.extra...))
			if got != c.want {
				t.Errorf("got %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestAuthRuleOrder: the first rule that matches decides, and hostssl and
// hostnossl rules match by the connection's encryption.
func TestAuthRuleOrder(t *testing.T) {
	pki := newTestPKI(t)
	rules := mustHBA(t, `
host      all   alice     127.0.0.1/32   reject
host      all   all       127.0.0.1/32   trust
host      all   alice     127.0.0.1/32   trust
`)
	ts := startServerRoles(t, Options{TLSConfig: pki.server, HBA: rules}, nil, testRoles())
	if got := errText(dial(t, ts, pki, "disable", "alice", "", "postgres")); !strings.Contains(got, "rejects connection") {
		t.Errorf("alice: %s", got)
	}
	if got := errText(dial(t, ts, pki, "disable", "bob", "", "postgres")); got != "ok" {
		t.Errorf("bob: %s", got)
	}

	rules = mustHBA(t, `
hostssl   shop    all   127.0.0.0/8   scram-sha-256
hostnossl sameuser all  127.0.0.0/8   trust
host      "all"   all   0.0.0.0/0     trust
`)
	ts = startServerRoles(t, Options{TLSConfig: pki.server, HBA: rules}, nil, testRoles())
	for _, c := range []struct{ tls, user, password, db, want string }{
		{"require", "alice", "wonderland", "shop", "ok"},
		{"require", "alice", "bad", "shop", `FATAL 28P01 password authentication failed for user "alice"`},
		// Without TLS the hostssl rule does not apply; sameuser needs
		// the database to be named as the user.
		{"disable", "alice", "", "shop", `FATAL 28000 no pg_hba.conf entry for host "127.0.0.1", user "alice", database "shop", no encryption`},
		{"disable", "alice", "", "alice", "ok"},
		// A quoted "all" is a database named all.
		{"disable", "bob", "", "all", "ok"},
	} {
		if got := errText(dial(t, ts, pki, c.tls, c.user, c.password, c.db)); got != c.want {
			t.Errorf("%s %s@%s: got %s, want %s", c.tls, c.user, c.db, got, c.want)
		}
	}
}

// TestAuthUnknownRoleLooksTheSame: for a role that does not exist the
// server runs the same SCRAM exchange as for one that does (a salt that
// is the same on every attempt, PostgreSQL's iteration count), and fails
// it with the same error as a wrong password.
func TestAuthUnknownRoleLooksTheSame(t *testing.T) {
	ts := startServerRoles(t, Options{HBA: mustHBA(t, "host all all 127.0.0.1/32 scram-sha-256")}, nil, testRoles())
	exchange := func(user string) (serverFirst string, final string) {
		r := dialRaw(t, ts.addr)
		r.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": user}})
		r.fe.Flush()
		m, err := r.fe.Receive()
		if sasl, ok := m.(*pgproto3.AuthenticationSASL); err != nil || !ok || strings.Join(sasl.AuthMechanisms, ",") != "SCRAM-SHA-256" {
			t.Fatalf("%s: first reply %#v, %v", user, m, err)
		}
		r.fe.Send(&pgproto3.SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=clientnonce")})
		r.fe.Flush()
		m, err = r.fe.Receive()
		cont, ok := m.(*pgproto3.AuthenticationSASLContinue)
		if err != nil || !ok {
			t.Fatalf("%s: %#v, %v", user, m, err)
		}
		serverFirst = string(cont.Data)
		nonce := strings.TrimPrefix(strings.Split(serverFirst, ",")[0], "r=")
		r.fe.Send(&pgproto3.SASLResponse{Data: []byte("c=biws,r=" + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")})
		return serverFirst, strings.Join(r.roundTrip(), "; ")
	}
	salt := func(serverFirst string) string { return strings.SplitN(serverFirst, ",", 2)[1] }
	known1, knownFinal := exchange("alice")
	ghost1, ghostFinal := exchange("ghost")
	ghost2, _ := exchange("ghost")
	other, _ := exchange("ghost2")
	if !strings.HasSuffix(known1, ",i=4096") || !strings.HasSuffix(ghost1, ",i=4096") {
		t.Errorf("iterations: %q, %q", known1, ghost1)
	}
	if salt(ghost1) != salt(ghost2) || salt(ghost1) == salt(other) {
		t.Errorf("mock salts: %q %q %q", ghost1, ghost2, other)
	}
	if knownFinal != `FATAL 28P01 password authentication failed for user "alice"; EOF` ||
		ghostFinal != `FATAL 28P01 password authentication failed for user "ghost"; EOF` {
		t.Errorf("finals: %q, %q", knownFinal, ghostFinal)
	}
}

// TestAuthMD5RuleUnknownRole: under an md5 rule, a role with an md5
// password gets the md5 challenge, and one with no usable password (no
// such role, none set, expired) the SCRAM exchange that the default
// password_encryption would give its password, as in PostgreSQL: it looks
// like the roles whose passwords were stored the default way.
func TestAuthMD5RuleUnknownRole(t *testing.T) {
	ts := startServerRoles(t, Options{HBA: mustHBA(t, "host all all 127.0.0.1/32 md5")}, nil, testRoles())
	for _, c := range []struct{ user, want string }{
		{"bob", "*pgproto3.AuthenticationMD5Password"},
		{"alice", "*pgproto3.AuthenticationSASL"},
		{"ghost", "*pgproto3.AuthenticationSASL"},
		{"carol", "*pgproto3.AuthenticationSASL"},
		{"dave", "*pgproto3.AuthenticationSASL"},
	} {
		r := dialRaw(t, ts.addr)
		r.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": c.user}})
		r.fe.Flush()
		m, err := r.fe.Receive()
		if err != nil {
			t.Fatalf("%s: %v", c.user, err)
		}
		if got := fmt.Sprintf("%T", m); got != c.want {
			t.Errorf("%s: first reply %s, want %s", c.user, got, c.want)
		}
	}
	failed := func(u string) string { return "FATAL 28P01 password authentication failed for user \"" + u + "\"" }
	for _, c := range []struct{ user, password, want string }{
		{"bob", "builder", "ok"},
		{"bob", "b", failed("bob")},
		{"ghost", "x", failed("ghost")},
		{"carol", "x", failed("carol")},
	} {
		if got := errText(dial(t, ts, nil, "disable", c.user, c.password, "postgres")); got != c.want {
			t.Errorf("%s/%s: got %s, want %s", c.user, c.password, got, c.want)
		}
	}
}

// TestAuthRemoteClients: with the default rules a non-loopback client
// is refused; rules for its network admit it.
func TestAuthRemoteClients(t *testing.T) {
	remote := func(ln net.Listener) net.Listener { return remoteListener{ln} }
	ts := startServerRoles(t, Options{}, remote, testRoles())
	if got := errText(dial(t, ts, nil, "disable", "alice", "wonderland", "shop")); got !=
		`FATAL 28000 no pg_hba.conf entry for host "10.1.2.3", user "alice", database "shop", no encryption` {
		t.Errorf("default rules: %s", got)
	}
	ts = startServerRoles(t, Options{HBA: mustHBA(t, "host all all 10.0.0.0 255.0.0.0 scram-sha-256")}, remote, testRoles())
	if got := errText(dial(t, ts, nil, "disable", "alice", "wonderland", "shop")); got != "ok" {
		t.Errorf("10.0.0.0/8 rule: %s", got)
	}
}

// TestReservedConnections: the last ReservedConnections slots admit
// superusers only.
func TestReservedConnections(t *testing.T) {
	ts := startServerRoles(t, Options{MaxConnections: 3, ReservedConnections: 1,
		HBA: mustHBA(t, "host all all 127.0.0.1/32 trust")}, nil, testRoles())
	var held []*pgx.Conn
	for _, user := range []string{"alice", "bob"} {
		c, err := pgx.Connect(context.Background(), ts.dsn(user, "postgres"))
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		held = append(held, c)
	}
	defer func() {
		for _, c := range held {
			c.Close(context.Background())
		}
	}()
	_, err := pgx.Connect(context.Background(), ts.dsn("carol", "postgres"))
	if got := errText(err); got != "FATAL 53300 remaining connection slots are reserved for non-replication superuser connections" {
		t.Errorf("third, not a superuser: %s", got)
	}
	// The refused connection's slot is given back when it ends.
	<-ts.eng.closed
	c, err := pgx.Connect(context.Background(), ts.dsn("admin", "postgres"))
	if err != nil {
		t.Fatalf("superuser in the reserved slot: %v", err)
	}
	c.Close(context.Background())
}

func TestParseHBA(t *testing.T) {
	bad := []struct{ text, want string }{
		{"hots all all 1.2.3.4/32 trust", `line 1: invalid connection type "hots"`},
		{"host all all", "line 1: end-of-line before authentication method"},
		{"host all all example.com trust", `line 1: host name "example.com" as an address is not supported by cairn: give an IP address or CIDR`},
		{"host all all 1.2.3.4/99 trust", `line 1: invalid IP address "1.2.3.4/99"`},
		{"host all all 1.2.3.4 trust", "line 1: end-of-line before netmask specification"},
		{"local all all peer", `line 1: authentication method "peer" is not supported by cairn`},
		{"local all all magic", `line 1: invalid authentication method "magic"`},
		{"\nlocal all all md5 clientcert=verify-ca", `line 2: authentication option "clientcert=verify-ca" is not supported by cairn`},
		{"local @dbs all trust", "line 1: file inclusion (@dbs) is not supported by cairn"},
		{`local "all all trust`, "line 1: unterminated quoted string"},
		{"local all all,", "line 1: end of line after a comma"},
	}
	for _, b := range bad {
		if _, err := ParseHBA(b.text); err == nil || err.Error() != b.want {
			t.Errorf("%q: got %v, want %s", b.text, err, b.want)
		}
	}
	rules, err := ParseHBA("# comment\n\nlocal all all trust # trailing\nhost db1,\"Db 2\" +admins,bob 192.168.0.0/16 md5\n")
	if err != nil || len(rules) != 2 || rules[1].Line != 4 || len(rules[1].Databases) != 2 || rules[1].Databases[1].text != "Db 2" ||
		rules[1].Net.String() != "192.168.0.0/16" {
		t.Fatalf("%+v, %v", rules, err)
	}
	c := hbaClient{ip: net.ParseIP("192.168.3.4"), user: "admins", db: "Db 2"}
	if r := matchHBA(rules, c, nil); r == nil || r.Line != 4 {
		t.Errorf("match: %+v", r)
	}
	c.ip = net.ParseIP("::ffff:10.0.0.1")
	if r := matchHBA(rules, c, nil); r != nil {
		t.Errorf("10.0.0.1 matched %+v", r)
	}
}
