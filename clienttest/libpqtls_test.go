package clienttest

import (
	"context"
	dbsql "database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/cairndb/cairn/internal/pgtest"
)

// TestLibPQTLS connects with lib/pq to cairn's binary serving TLS (a
// certificate for localhost and 127.0.0.1 signed by a CA the test makes)
// and to PostgreSQL 15 set up alike, and compares the outcomes: with no
// sslmode at all (lib/pq's default, which encrypts without verifying),
// with sslrootcert and no sslmode (verifying the CA then, as libpq does
// when a root certificate is at hand: accepted with the CA, refused with
// another), with verify-full by host name and by address and with
// another CA, with prefer, and with disable. Each connection reports
// pg_stat_ssl's view of itself.
func TestLibPQTLS(t *testing.T) {
	dir := newSharedDir(t)
	pki := newTestPKI(t, dir)
	giveToPostgres(t, pki.keyFile)
	pg := pgtest.Start(t, "ssl=on", "ssl_cert_file="+pki.certFile, "ssl_key_file="+pki.keyFile)
	ports := map[string]int{
		"PostgreSQL": pg.Port,
		"cairn":      startCairnPort(t, "--tls-cert", pki.certFile, "--tls-key", pki.keyFile),
	}
	out := map[string]string{}
	for name, port := range ports {
		out[name] = libpqTLSTranscript(t, port, pki)
	}
	compareLines(t, out["PostgreSQL"], out["cairn"])
	if t.Failed() {
		t.Logf("cairn's transcript:\n%s", out["cairn"])
	}
}

func libpqTLSTranscript(t *testing.T, port int, pki *testPKI) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var b strings.Builder
	try := func(title, host, params string) {
		fmt.Fprintf(&b, "== %s\n", title)
		dsn := fmt.Sprintf("postgres://postgres@%s:%d/postgres?connect_timeout=10%s", host, port, params)
		db, err := dbsql.Open("postgres", dsn)
		if err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		defer db.Close()
		var ssl bool
		var version string
		err = db.QueryRowContext(ctx, "SELECT ssl, coalesce(version, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl, &version)
		var pe *pq.Error
		switch {
		case errors.As(err, &pe):
			fmt.Fprintf(&b, "server: %s %s\n", pe.Code, pe.Message)
		case err != nil:
			fmt.Fprintf(&b, "client: %s\n", clientCause(err))
		default:
			fmt.Fprintf(&b, "connected; pg_stat_ssl ssl %t %s\n", ssl, version)
		}
	}
	try("no sslmode", "127.0.0.1", "")
	try("no sslmode, sslrootcert of the CA", "localhost", "&sslrootcert="+pki.caFile)
	try("no sslmode, sslrootcert of another CA", "localhost", "&sslrootcert="+pki.otherCAFile)
	try("verify-full by host name", "localhost", "&sslmode=verify-full&sslrootcert="+pki.caFile)
	try("verify-full by address", "127.0.0.1", "&sslmode=verify-full&sslrootcert="+pki.caFile)
	try("verify-full with another CA", "localhost", "&sslmode=verify-full&sslrootcert="+pki.otherCAFile)
	try("prefer", "127.0.0.1", "&sslmode=prefer")
	try("disable", "127.0.0.1", "&sslmode=disable")
	return strings.ReplaceAll(b.String(), fmt.Sprint(port), "PORT")
}
