package scram

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// RFC 7677, section 3: user "user", password "pencil".
const (
	rfcClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
	rfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	rfcSalt        = "W22ZaJ0SNY7soEsUEjb6gQ=="
	rfcServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
	rfcClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
	rfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
)

func rfcVerifier(t *testing.T, password string) Verifier {
	salt, err := base64.StdEncoding.DecodeString(rfcSalt)
	if err != nil {
		t.Fatal(err)
	}
	return NewVerifier(password, salt, 4096)
}

// TestRFC7677 runs the RFC's example exchange through the server side.
func TestRFC7677(t *testing.T) {
	for _, c := range []struct {
		password string
		mock     bool
		wantOK   bool
	}{{"pencil", false, true}, {"pen", false, false}, {"pencil", true, false}} {
		x := NewExchange(rfcVerifier(t, c.password), c.mock, rfcServerNonce, nil)
		sf, err := x.ClientFirst(Mechanism, []byte(rfcClientFirst))
		if err != nil || string(sf) != rfcServerFirst {
			t.Fatalf("server-first %q, %v; want %q", sf, err, rfcServerFirst)
		}
		final, ok, err := x.ClientFinal([]byte(rfcClientFinal))
		if err != nil || ok != c.wantOK {
			t.Errorf("password %q mock %v: ok %v, %v", c.password, c.mock, ok, err)
		}
		if c.wantOK && string(final) != rfcServerFinal {
			t.Errorf("server-final %q, want %q", final, rfcServerFinal)
		}
	}
}

func TestVerifierRoundTrip(t *testing.T) {
	v := rfcVerifier(t, "pencil")
	s := v.String()
	if !strings.HasPrefix(s, "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$") {
		t.Errorf("stored form %q", s)
	}
	w, ok := ParseVerifier(s)
	if !ok || w.String() != s {
		t.Errorf("ParseVerifier(%q) = %v, %v", s, w, ok)
	}
	for _, bad := range []string{"", "SCRAM-SHA-256$", "SCRAM-SHA-256$x:abc$a:b", "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$AA==:AA==", "md5abc"} {
		if _, ok := ParseVerifier(bad); ok {
			t.Errorf("ParseVerifier(%q) accepted", bad)
		}
	}
	if !Verify(s, "user", "pencil") || Verify(s, "user", "pencil2") {
		t.Error("Verify of a SCRAM password")
	}
}

// TestMD5 checks the stored form against PostgreSQL's
// (SELECT 'md5' || md5('secret' || 'alice')) and the challenge answer.
func TestMD5(t *testing.T) {
	stored := MD5("secret", "alice")
	if stored != "md54a0a68b43b6cd5cf266fa02f196e2371" || !IsMD5(stored) {
		t.Fatalf("MD5 = %q", stored)
	}
	if !Verify(stored, "alice", "secret") || Verify(stored, "bob", "secret") {
		t.Error("Verify of an md5 password")
	}
	if IsMD5("md5xyz") || IsMD5("md5"+strings.Repeat("A", 32)) {
		t.Error("IsMD5 accepted a malformed value")
	}
	r := MD5Response(stored, [4]byte{1, 2, 3, 4})
	if len(r) != 35 || !strings.HasPrefix(r, "md5") {
		t.Errorf("MD5Response = %q", r)
	}
}

// TestExchangeErrors: malformed and downgraded exchanges are refused with
// PostgreSQL's errors.
func TestExchangeErrors(t *testing.T) {
	v := rfcVerifier(t, "pencil")
	cb := []byte("end-point-hash")
	cases := []struct {
		name      string
		mechanism string
		cbData    []byte
		first     string
		final     string
		want      string
	}{
		{"unknown mechanism", "SCRAM-SHA-1", nil, rfcClientFirst, "", "client selected an invalid SASL authentication mechanism"},
		{"PLUS without TLS", MechanismPlus, nil, rfcClientFirst, "", "client selected an invalid SASL authentication mechanism"},
		{"y while the server binds", Mechanism, cb, "y,,n=user,r=abc", "", "SCRAM channel binding negotiation error"},
		{"PLUS without binding data", MechanismPlus, cb, rfcClientFirst, "", "malformed SCRAM message"},
		{"binding data without PLUS", Mechanism, cb, "p=tls-server-end-point,,n=,r=abc", "", "malformed SCRAM message"},
		{"other binding type", MechanismPlus, cb, "p=tls-unique,,n=,r=abc", "", "unsupported SCRAM channel-binding type \"tls-unique\""},
		{"authzid", Mechanism, nil, "n,a=bob,n=,r=abc", "", "client uses authorization identity, but it is not supported"},
		{"empty", Mechanism, nil, "", "", "malformed SCRAM message"},
		{"no nonce", Mechanism, nil, "n,,n=user", "", "malformed SCRAM message"},
		{"wrong nonce", Mechanism, nil, rfcClientFirst, "c=biws,r=xyz,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "malformed SCRAM message"},
		{"wrong binding", MechanismPlus, cb, "p=tls-server-end-point,,n=,r=abc",
			"c=" + base64.StdEncoding.EncodeToString([]byte("p=tls-server-end-point,,other")) + ",r=abc" + rfcServerNonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
			"SCRAM channel binding check failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := NewExchange(v, false, rfcServerNonce, c.cbData)
			_, err := x.ClientFirst(c.mechanism, []byte(c.first))
			if c.final != "" {
				if err != nil {
					t.Fatalf("client-first: %v", err)
				}
				_, _, err = x.ClientFinal([]byte(c.final))
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if code := pgerr.Code(err); code != pgerr.ProtocolViolation && code != pgerr.FeatureNotSupported {
				t.Errorf("SQLSTATE %s", code)
			}
		})
	}
}

// TestMockVerifier: the same name always gets the same salt, names
// differ, and no password matches.
func TestMockVerifier(t *testing.T) {
	secret := []byte("server secret")
	a, b := MockVerifier("alice", secret), MockVerifier("bob", secret)
	if string(a.Salt) != string(MockVerifier("alice", secret).Salt) || string(a.Salt) == string(b.Salt) || len(a.Salt) != SaltBytes {
		t.Error("mock salts")
	}
}

func TestSASLprep(t *testing.T) {
	for in, want := range map[string]string{
		"pencil":          "pencil",
		"I\u00ADX":        "IX",             // mapped to nothing
		"a\u00A0b":        "a b",            // non-ASCII space
		"\u2168":          "IX",             // NFKC
		"\u00AA":          "a",              // NFKC
		"a\u0007b\u00e9":  "a\u0007b\u00e9", // prohibited: used as given
		"\u0627\u0031":    "\u0627\u0031",   // RandALCat not last: as given
		"caf\u0065\u0301": "caf\u00e9",
	} {
		if got := SASLprep(in); got != want {
			t.Errorf("SASLprep(%q) = %q, want %q", in, got, want)
		}
	}
}
