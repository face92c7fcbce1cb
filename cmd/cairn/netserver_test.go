package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const psqlPath = "/usr/lib/postgresql/15/bin/psql"

// writePKI writes a CA certificate and a server certificate it signed for
// 127.0.0.1 and localhost, with the server's key, as PEM files in dir.
func writePKI(t *testing.T, dir string) (caFile, certFile, keyFile string) {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cairn test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("ca.crt", "CERTIFICATE", caDER), write("server.crt", "CERTIFICATE", der), write("server.key", "EC PRIVATE KEY", keyDER)
}

// psqlRun runs psql with args and extra environment, returning its
// combined output.
func psqlRun(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	if _, err := os.Stat(psqlPath); err != nil {
		t.Skip("psql 15 is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, psqlPath, append([]string{"-X", "-A", "-t"}, args...)...)
	cmd.Env = append(append(os.Environ(), "PGCONNECT_TIMEOUT=10", "LC_ALL=C", "PGPASSWORD=", "PAGER="), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestServeTLS: with --tls-cert and --tls-key, psql with sslmode=require
// and pgx with verify-full against the CA connect encrypted, SHOW ssl is
// on and pg_stat_ssl shows the session; --tls-self-signed serves TLS too.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	caFile, certFile, keyFile := writePKI(t, dir)
	s := startServer(t, ":memory:", "--tls-cert", certFile, "--tls-key", keyFile)
	out, err := psqlRun(t, []string{"PGSSLMODE=require"}, "-h", "127.0.0.1", "-p", fmt.Sprint(s.port), "-U", "postgres", "-d", "postgres",
		"-c", "show ssl", "-c", "select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")
	if err != nil || out != "on\nt|TLSv1.3\n" {
		t.Errorf("psql sslmode=require: %v\n%s", err, out)
	}
	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=verify-full&sslrootcert=%s", s.port, caFile)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("pgx verify-full: %v", err)
	}
	defer c.Close(ctx)
	if _, ok := c.PgConn().Conn().(*tls.Conn); !ok {
		t.Errorf("pgx connection is %T, not TLS", c.PgConn().Conn())
	}
	var ssl string
	if err := c.QueryRow(ctx, "show ssl").Scan(&ssl); err != nil || ssl != "on" {
		t.Errorf("show ssl = %q, %v", ssl, err)
	}

	self := startServer(t, ":memory:", "--tls-self-signed")
	out, err = psqlRun(t, []string{"PGSSLMODE=require"}, "-h", "127.0.0.1", "-p", fmt.Sprint(self.port), "-U", "postgres", "-d", "postgres",
		"-c", "select ssl from pg_stat_ssl where pid = pg_backend_pid()")
	if err != nil || out != "t\n" {
		t.Errorf("psql sslmode=require, self-signed: %v\n%s", err, out)
	}
	// Verifying a self-signed certificate against the CA fails.
	url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=verify-full&sslrootcert=%s", self.port, caFile)
	if c, err := pgx.Connect(ctx, url); err == nil {
		c.Close(ctx)
		t.Error("verify-full accepted a self-signed certificate")
	}

	plain := startServer(t, ":memory:")
	out, err = psqlRun(t, []string{"PGSSLMODE=prefer"}, "-h", "127.0.0.1", "-p", fmt.Sprint(plain.port), "-U", "postgres", "-d", "postgres", "-c", "show ssl")
	if err != nil || out != "off\n" {
		t.Errorf("show ssl without TLS: %v\n%s", err, out)
	}
	if out, err := psqlRun(t, []string{"PGSSLMODE=require"}, "-h", "127.0.0.1", "-p", fmt.Sprint(plain.port), "-U", "postgres", "-c", "select 1"); err == nil ||
		!strings.Contains(out, "server does not support SSL") {
		t.Errorf("sslmode=require without TLS: %v\n%s", err, out)
	}
}

// TestServeTLSFlags: bad TLS flag combinations stop the server before it
// listens.
func TestServeTLSFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--tls-cert", "x.crt"},
		{"--tls-self-signed", "--tls-key", "x.key"},
		{"--tls-cert", "/nonexistent.crt", "--tls-key", "/nonexistent.key"},
	} {
		err := run(append([]string{"serve", "--listen", "127.0.0.1:0", "--data", ":memory:"}, args...), os.Stdout, os.Stderr)
		if err == nil || !strings.Contains(err.Error(), "tls") && !strings.Contains(err.Error(), "TLS") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// TestServeUnixSocket: the server listens on DIR/.s.PGSQL.PORT, where
// psql finds it with no host given (PGHOST names the directory libpq
// looks in), removes a socket left by a dead server, refuses one a live
// server answers on, and removes its own when it stops.
func TestServeUnixSocket(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	path := filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", port))
	// A socket file left by a server that was killed.
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close()

	s := startServerPort(t, port, ":memory:", "--socket-dir", dir)
	out, err := psqlRun(t, []string{"PGHOST=" + dir}, "-p", fmt.Sprint(port), "-U", "postgres", "-d", "postgres", "-c", "select 1")
	if err != nil || out != "1\n" {
		t.Fatalf("psql over the Unix socket: %v\n%s", err, out)
	}
	// A socket a live server answers on is not taken over.
	other := freePort(t)
	live, err := net.Listen("unix", filepath.Join(dir, fmt.Sprintf(".s.PGSQL.%d", other)))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	err = run([]string{"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", other), "--socket-dir", dir, "--data", ":memory:"}, os.Stdout, os.Stderr)
	if err == nil || !strings.Contains(err.Error(), "already listening") {
		t.Errorf("serve with a live socket in the way: %v", err)
	}
	s.stop(t)
	if _, err := os.Lstat(path); err == nil {
		t.Errorf("%s is still there after shutdown", path)
	}
}

// TestServeAuth runs the real binary as on a network: TLS, rules that
// want SCRAM over TLS from TCP clients and trust postgres on the Unix
// socket. pgx connects with verify-full and channel binding; wrong
// passwords, unknown roles and unencrypted clients are refused as
// PostgreSQL refuses them; psql connects over TLS with a password.
func TestServeAuth(t *testing.T) {
	dir := t.TempDir()
	caFile, certFile, keyFile := writePKI(t, dir)
	hba := filepath.Join(dir, "pg_hba.conf")
	if err := os.WriteFile(hba, []byte("local all postgres trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := t.TempDir()
	s := startServer(t, ":memory:", "--tls-cert", certFile, "--tls-key", keyFile, "--hba-file", hba, "--socket-dir", sock)
	port := fmt.Sprint(s.port)
	out, err := psqlRun(t, nil, "-h", sock, "-p", port, "-U", "postgres", "-d", "postgres",
		"-c", "create user alice password 'wonderland'", "-c", "create role bob login")
	if err != nil {
		t.Fatalf("postgres over the socket: %v\n%s", err, out)
	}
	out, err = psqlRun(t, nil, "-h", sock, "-p", port, "-U", "postgres", "-d", "postgres", "-c", `\du`)
	if err != nil || !strings.Contains(out, "alice||{}\n") || !strings.Contains(out, "bob||{}\n") ||
		!strings.Contains(out, "postgres|Superuser, Create role, Create DB, Replication, Bypass RLS|{}\n") {
		t.Errorf("\\du: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	connectAs := func(user, password, db, sslmode string) (string, error) {
		url := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=%s&sslrootcert=%s&channel_binding=require", user, password, s.port, db, sslmode, caFile)
		if sslmode == "disable" {
			url = fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", user, password, s.port, db)
		}
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			return "", err
		}
		defer c.Close(ctx)
		var who string
		err = c.QueryRow(ctx, "select current_user || ' ' || (select ssl::text from pg_stat_ssl where pid = pg_backend_pid())").Scan(&who)
		return who, err
	}
	if who, err := connectAs("alice", "wonderland", "postgres", "verify-full"); err != nil || who != "alice true" {
		t.Errorf("alice over verify-full with channel binding: %q, %v", who, err)
	}
	for _, c := range []struct{ user, password, db, sslmode, want string }{
		{"alice", "wrong", "postgres", "verify-full", `password authentication failed for user "alice" (SQLSTATE 28P01)`},
		{"nobody", "wonderland", "postgres", "verify-full", `password authentication failed for user "nobody" (SQLSTATE 28P01)`},
		{"bob", "", "postgres", "verify-full", `password authentication failed for user "bob" (SQLSTATE 28P01)`},
		{"alice", "wonderland", "nosuchdb", "verify-full", `database "nosuchdb" does not exist (SQLSTATE 3D000)`},
		{"alice", "wonderland", "postgres", "disable", `no pg_hba.conf entry for host "127.0.0.1", user "alice", database "postgres", no encryption (SQLSTATE 28000)`},
	} {
		if _, err := connectAs(c.user, c.password, c.db, c.sslmode); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s@%s %s: %v, want %s", c.user, c.db, c.sslmode, err, c.want)
		}
	}
	out, err = psqlRun(t, []string{"PGSSLMODE=verify-full", "PGSSLROOTCERT=" + caFile, "PGPASSWORD=wonderland", "PGCHANNELBINDING=require"},
		"-h", "127.0.0.1", "-p", port, "-U", "alice", "-d", "postgres", "-c", "select current_user, session_user", "-c", "show is_superuser")
	if err != nil || out != "alice|alice\noff\n" {
		t.Errorf("psql as alice: %v\n%s", err, out)
	}
	out, err = psqlRun(t, []string{"PGSSLMODE=require", "PGPASSWORD=wonderland"}, "-h", "127.0.0.1", "-p", port, "-U", "alice", "-d", "postgres",
		"-c", "select rolname from pg_authid")
	if err == nil || !strings.Contains(out, "ERROR:  permission denied for table pg_authid") {
		t.Errorf("pg_authid as alice: %v\n%s", err, out)
	}
}

// TestServeNetworkNeedsRules: a server listening beyond loopback without
// --hba-file does not start.
func TestServeNetworkNeedsRules(t *testing.T) {
	err := run([]string{"serve", "--listen", "0.0.0.0:0", "--data", ":memory:", "--socket-dir", ""}, os.Stdout, os.Stderr)
	if err == nil || !strings.Contains(err.Error(), "no --hba-file says how they authenticate") {
		t.Fatalf("got %v", err)
	}
	var out strings.Builder
	if err := run([]string{"version"}, &out, os.Stderr); err != nil || !strings.HasPrefix(out.String(), "cairn ") {
		t.Errorf("cairn version: %q, %v", out.String(), err)
	}
}
