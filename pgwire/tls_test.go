package pgwire

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testPKI is a certificate authority and a server certificate it signed
// for 127.0.0.1 and localhost.
type testPKI struct {
	server *tls.Config    // the server's certificate and key
	roots  *x509.CertPool // the CA, for verify-full clients
	caDER  []byte
}

func newTestPKI(t *testing.T) *testPKI {
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
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
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
	roots := x509.NewCertPool()
	roots.AddCert(caCert)
	return &testPKI{server: &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		roots: roots, caDER: caDER}
}

// connectTLS connects with pgx, verifying the server as sslmode=verify-full
// does when verify is set, else encrypting only (sslmode=require).
func connectTLS(t *testing.T, ts *testServer, pki *testPKI, user, password string, verify bool) (*pgx.Conn, error) {
	t.Helper()
	cfg, err := pgx.ParseConfig("postgres://" + ts.addr + "/postgres?sslmode=require")
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Password = user, password
	cfg.ConnectTimeout = 10 * time.Second
	cfg.TLSConfig = &tls.Config{InsecureSkipVerify: true}
	if verify {
		cfg.TLSConfig = &tls.Config{RootCAs: pki.roots, ServerName: "127.0.0.1"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return pgx.ConnectConfig(ctx, cfg)
}

// TestTLS: with a certificate, SSLRequest is answered 'S' and the
// connection is encrypted (the session is told so); a verify-full client
// accepts the server's certificate; GSSENCRequest is still refused.
func TestTLS(t *testing.T) {
	pki := newTestPKI(t)
	ts := startServer(t, Options{TLSConfig: pki.server}, nil)
	for _, verify := range []bool{false, true} {
		c, err := connectTLS(t, ts, pki, "postgres", "", verify)
		if err != nil {
			t.Fatalf("verify=%v: %v", verify, err)
		}
		if _, ok := c.PgConn().Conn().(*tls.Conn); !ok {
			t.Errorf("verify=%v: connection is %T, want *tls.Conn", verify, c.PgConn().Conn())
		}
		c.Close(context.Background())
	}
	ts.eng.mu.Lock()
	for _, s := range ts.eng.sessions {
		if s.conn == nil || !s.conn.SSL || !s.conn.ServerSSL || s.conn.SSLVersion != "TLSv1.3" || s.conn.SSLBits == 0 {
			t.Errorf("session told %+v, want SSL over TLSv1.3", s.conn)
		}
	}
	ts.eng.mu.Unlock()

	r := dialRaw(t, ts.addr)
	r.write(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), gssEncRequestCode))
	var b [1]byte
	if _, err := r.nc.Read(b[:]); err != nil || b[0] != 'N' {
		t.Errorf("GSSENCRequest answered %q (%v), want 'N'", b[0], err)
	}

	// Plaintext sent together with the SSLRequest is refused: it would
	// have bypassed the encryption the client asked for.
	r = dialRaw(t, ts.addr)
	r.write(append(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), sslRequestCode), startupPacket(3<<16, "user", "postgres")...))
	if _, err := r.nc.Read(b[:]); err != nil || b[0] != 'S' {
		t.Fatalf("SSLRequest answered %q (%v), want 'S'", b[0], err)
	}
	if got := r.roundTrip(); len(got) == 0 || got[0] != "FATAL 08P01 received unencrypted data after SSL request" {
		t.Errorf("after pipelined plaintext: %q", got)
	}
}

// TestNoTLS: without a certificate the session is told the server has no
// TLS, and a client that requires it cannot connect.
func TestNoTLS(t *testing.T) {
	pki := newTestPKI(t)
	ts := startServer(t, Options{}, nil)
	if c, err := connectTLS(t, ts, pki, "postgres", "", false); err == nil {
		c.Close(context.Background())
		t.Fatal("sslmode=require connected to a server without TLS")
	}
	connect(t, ts, pgx.QueryExecModeExec)
	ts.eng.mu.Lock()
	defer ts.eng.mu.Unlock()
	last := ts.eng.sessions[len(ts.eng.sessions)-1]
	if last.conn == nil || last.conn.SSL || last.conn.ServerSSL {
		t.Errorf("session told %+v, want no TLS", last.conn)
	}
}
