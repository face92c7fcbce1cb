package clienttest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// testPKI is a certificate authority made for one test and a server
// certificate it signed for localhost and 127.0.0.1, as PEM files in a
// directory that PostgreSQL's server (run by pgtest as an unprivileged
// user when the test runs as root) can read too.
type testPKI struct {
	dir string
	// caFile is the CA's certificate (sslrootcert); otherCAFile a CA
	// that did not sign the server's certificate.
	caFile, otherCAFile string
	// certFile and keyFile are the server's certificate and key.
	certFile, keyFile string
	roots             *x509.CertPool
}

// pgtestUser is the user pgtest runs PostgreSQL as when the test runs as
// root (pgtest's runAs).
const pgtestUser = "cairntest"

// newSharedDir makes a directory that PostgreSQL's server can read and
// write (its Unix socket goes there); it is removed with the test.
func newSharedDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "cairn-clienttest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// giveToPostgres makes path owned by the user pgtest runs PostgreSQL as,
// when the test runs as root (a server key must belong to the server's
// user and be readable by it alone).
func giveToPostgres(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	u, err := user.Lookup(pgtestUser)
	if err != nil {
		// pgtest makes the user when it first starts a server, the same
		// way.
		out, aerr := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", pgtestUser).CombinedOutput()
		if u, err = user.Lookup(pgtestUser); err != nil {
			t.Fatalf("creating user %s: %v %s", pgtestUser, aerr, out)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
}

func newTestPKI(t *testing.T, dir string) *testPKI {
	t.Helper()
	now := time.Now()
	p := &testPKI{dir: dir, caFile: filepath.Join(dir, "ca.pem"), otherCAFile: filepath.Join(dir, "other-ca.pem"),
		certFile: filepath.Join(dir, "server.pem"), keyFile: filepath.Join(dir, "server.key"), roots: x509.NewCertPool()}
	newCA := func(name string) (*x509.Certificate, *ecdsa.PrivateKey, []byte) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return cert, key, der
	}
	ca, caKey, caDER := newCA("cairn clienttest CA")
	_, _, otherDER := newCA("cairn clienttest other CA")
	p.roots.AddCert(ca)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano() + 1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path, typ string
		der       []byte
		mode      os.FileMode
	}{
		{p.caFile, "CERTIFICATE", caDER, 0o644},
		{p.otherCAFile, "CERTIFICATE", otherDER, 0o644},
		{p.certFile, "CERTIFICATE", der, 0o644},
		{p.keyFile, "PRIVATE KEY", keyDER, 0o600},
	} {
		if err := os.WriteFile(f.path, pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der}), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	return p
}
