package clienttest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
)

// pgxTLSHBA admits postgres by trust over TCP, and alice by SCRAM over
// TLS only.
const pgxTLSHBA = `host all postgres 127.0.0.1/32 trust
hostssl all alice 127.0.0.1/32 scram-sha-256
hostnossl all alice 127.0.0.1/32 reject
`

// TestPgxTLS connects with pgx over TLS to cairn's binary, started with
// --tls-cert and --tls-key (a certificate for localhost and 127.0.0.1
// signed by a CA the test makes), and to PostgreSQL 15 set up alike, and
// compares the outcomes: sslmode=verify-full accepts the server by host
// name and by IP address with the CA, and refuses it with another CA or
// for a name the certificate does not carry; SCRAM with
// channel_binding=require (SCRAM-SHA-256-PLUS, tls-server-end-point) and
// require_auth=scram-sha-256 logs in with the right password and fails
// with 28P01 with a wrong one; a hostnossl reject rule refuses the same
// role without TLS; sslmode=require without verification encrypts too.
func TestPgxTLS(t *testing.T) {
	dir := newSharedDir(t)
	pki := newTestPKI(t, dir)
	hba := filepath.Join(dir, "pg_hba.conf")
	if err := os.WriteFile(hba, []byte(pgxTLSHBA), 0o644); err != nil {
		t.Fatal(err)
	}
	giveToPostgres(t, pki.keyFile)
	pg := pgtest.Start(t, "hba_file="+hba, "ssl=on", "ssl_cert_file="+pki.certFile, "ssl_key_file="+pki.keyFile)
	ports := map[string]int{
		"PostgreSQL": pg.Port,
		"cairn":      startCairnPort(t, "--hba-file", hba, "--tls-cert", pki.certFile, "--tls-key", pki.keyFile),
	}
	out := map[string]string{}
	for name, port := range ports {
		out[name] = pgxTLSTranscript(t, port, pki)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
	if t.Failed() {
		t.Logf("cairn's transcript:\n%s", out["cairn"])
	}
}

func pgxTLSTranscript(t *testing.T, port int, pki *testPKI) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var b strings.Builder
	admin, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "CREATE ROLE alice LOGIN PASSWORD 'wonderland'"); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)

	try := func(title, dsn string, adjust func(*pgx.ConnConfig)) {
		fmt.Fprintf(&b, "== %s\n", title)
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		cfg.ConnectTimeout = 10 * time.Second
		if adjust != nil {
			adjust(cfg)
		}
		c, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				fmt.Fprintf(&b, "server: %s %s %s\n", pe.Severity, pe.Code, pe.Message)
			} else {
				fmt.Fprintf(&b, "client: %s\n", clientCause(err))
			}
			return
		}
		defer c.Close(ctx)
		_, isTLS := c.PgConn().Conn().(*tls.Conn)
		var user, version string
		var ssl bool
		if err := c.QueryRow(ctx, "SELECT current_user, ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").
			Scan(&user, &ssl, &version); err != nil {
			fmt.Fprintf(&b, "query: %v\n", err)
			return
		}
		fmt.Fprintf(&b, "connected as %s; TLS on the client's side %t; pg_stat_ssl ssl %t %s\n", user, isTLS, ssl, version)
	}
	u := func(host, user, password, params string) string {
		return fmt.Sprintf("postgres://%s:%s@%s:%d/postgres?%s", user, password, host, port, params)
	}
	full := "sslmode=verify-full&sslrootcert=" + pki.caFile
	try("verify-full by host name", u("localhost", "postgres", "", full), nil)
	try("verify-full by IP address", u("127.0.0.1", "postgres", "", full), nil)
	try("verify-full with another CA", u("127.0.0.1", "postgres", "", "sslmode=verify-full&sslrootcert="+pki.otherCAFile), nil)
	try("verify-full for another host name", u("127.0.0.1", "postgres", "", full), func(c *pgx.ConnConfig) {
		c.TLSConfig.ServerName = "db.example"
	})
	try("require", u("127.0.0.1", "postgres", "", "sslmode=require"), nil)
	scram := full + "&channel_binding=require&require_auth=scram-sha-256"
	try("SCRAM with channel binding", u("localhost", "alice", "wonderland", scram), nil)
	try("SCRAM with channel binding, wrong password", u("localhost", "alice", "wonder", scram), nil)
	try("SCRAM over TLS without channel binding", u("localhost", "alice", "wonderland", full+"&channel_binding=disable"), nil)
	try("no TLS: the hostnossl rule rejects", u("127.0.0.1", "alice", "wonderland", "sslmode=disable"), nil)
	try("channel binding required without TLS", u("127.0.0.1", "alice", "wonderland", "sslmode=disable&channel_binding=require"), nil)
	return strings.ReplaceAll(b.String(), fmt.Sprint(port), "PORT")
}

// clientCause is the innermost message of a client-side connection error,
// without the address pgx puts first.
func clientCause(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "): "); i >= 0 {
		msg = msg[i+3:]
	}
	return msg
}
