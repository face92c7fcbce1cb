package scram

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"

	"golang.org/x/crypto/pbkdf2"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Iterations is PostgreSQL's default iteration count (scram_iterations),
// SaltBytes its salt length.
const (
	Iterations = 4096
	SaltBytes  = 16
)

// Mechanism names, as the server lists them in AuthenticationSASL.
const (
	Mechanism     = "SCRAM-SHA-256"
	MechanismPlus = "SCRAM-SHA-256-PLUS"
)

// Verifier is what the server keeps of a SCRAM password.
type Verifier struct {
	Iterations int
	Salt       []byte
	StoredKey  []byte
	ServerKey  []byte
}

// NewVerifier computes the verifier of password with salt.
func NewVerifier(password string, salt []byte, iterations int) Verifier {
	salted := pbkdf2.Key([]byte(SASLprep(password)), salt, iterations, sha256.Size, sha256.New)
	clientKey := hmacSHA256(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	return Verifier{Iterations: iterations, Salt: salt, StoredKey: stored[:], ServerKey: hmacSHA256(salted, "Server Key")}
}

// String is the verifier in PostgreSQL's stored form.
func (v Verifier) String() string {
	b64 := base64.StdEncoding.EncodeToString
	return "SCRAM-SHA-256$" + strconv.Itoa(v.Iterations) + ":" + b64(v.Salt) + "$" + b64(v.StoredKey) + ":" + b64(v.ServerKey)
}

// ParseVerifier reads a stored SCRAM password; ok is false when s is not
// one (PostgreSQL's parse_scram_secret).
func ParseVerifier(s string) (v Verifier, ok bool) {
	rest, found := strings.CutPrefix(s, "SCRAM-SHA-256$")
	if !found {
		return v, false
	}
	iterSalt, keys, found := strings.Cut(rest, "$")
	if !found {
		return v, false
	}
	iter, salt, found := strings.Cut(iterSalt, ":")
	if !found {
		return v, false
	}
	stored, server, found := strings.Cut(keys, ":")
	if !found {
		return v, false
	}
	n, err := strconv.Atoi(iter)
	if err != nil || n <= 0 {
		return v, false
	}
	v.Iterations = n
	dec := base64.StdEncoding.DecodeString
	if v.Salt, err = dec(salt); err != nil || len(v.Salt) == 0 {
		return v, false
	}
	if v.StoredKey, err = dec(stored); err != nil || len(v.StoredKey) != sha256.Size {
		return v, false
	}
	if v.ServerKey, err = dec(server); err != nil || len(v.ServerKey) != sha256.Size {
		return v, false
	}
	return v, true
}

// IsMD5 reports whether s is a stored md5 password: "md5" and 32 hex
// digits (PostgreSQL's isMD5).
func IsMD5(s string) bool {
	if len(s) != 35 || !strings.HasPrefix(s, "md5") {
		return false
	}
	for _, c := range s[3:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// MD5 is the stored md5 form of user's password.
func MD5(password, user string) string {
	sum := md5.Sum([]byte(password + user))
	return "md5" + hex.EncodeToString(sum[:])
}

// MD5Response is what a client answers an md5 challenge with, given the
// stored md5 form ("md5...") and the 4-byte salt.
func MD5Response(stored string, salt [4]byte) string {
	sum := md5.Sum(append([]byte(strings.TrimPrefix(stored, "md5")), salt[:]...))
	return "md5" + hex.EncodeToString(sum[:])
}

// Verify reports whether the clear-text password matches the stored one
// (SCRAM or md5) of user.
func Verify(stored, user, password string) bool {
	if v, ok := ParseVerifier(stored); ok {
		w := NewVerifier(password, v.Salt, v.Iterations)
		return subtle.ConstantTimeCompare(w.StoredKey, v.StoredKey) == 1 &&
			subtle.ConstantTimeCompare(w.ServerKey, v.ServerKey) == 1
	}
	if IsMD5(stored) {
		return subtle.ConstantTimeCompare([]byte(MD5(password, user)), []byte(stored)) == 1
	}
	return false
}

// MockVerifier is the verifier a SCRAM exchange uses for a user name that
// has no usable SCRAM password: its salt is derived from the name and the
// server's secret, so that the same name always gets the same salt and
// nothing tells it from a real one; no password matches it.
func MockVerifier(user string, secret []byte) Verifier {
	h := sha256.New()
	h.Write([]byte(user))
	h.Write(secret)
	sum := h.Sum(nil)
	keys := sha256.Sum256(append(sum, 'k'))
	return Verifier{Iterations: Iterations, Salt: sum[:SaltBytes], StoredKey: keys[:], ServerKey: keys[:]}
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// Exchange is the server side of one SCRAM-SHA-256 authentication.
type Exchange struct {
	v      Verifier
	mock   bool
	nonce  string // the server's part of the nonce
	cbData []byte // tls-server-end-point data; nil without TLS

	mechanism       string
	gs2Header       string
	clientFirstBare string
	serverFirst     string
	fullNonce       string
}

// NewExchange starts an exchange against v (mock: the verifier is a mock,
// and the proof must fail). serverNonce is printable ASCII without commas
// (base64 of random bytes). cbData is the connection's
// tls-server-end-point channel binding data (EndPoint), or nil when the
// connection is not TLS.
func NewExchange(v Verifier, mock bool, serverNonce string, cbData []byte) *Exchange {
	return &Exchange{v: v, mock: mock, nonce: serverNonce, cbData: cbData}
}

// Mechanisms are the SASL mechanisms to offer: with channel binding data
// the -PLUS one first.
func Mechanisms(tls bool) []string {
	if tls {
		return []string{MechanismPlus, Mechanism}
	}
	return []string{Mechanism}
}

func malformed(detail string) error {
	return pgerr.New(pgerr.ProtocolViolation, "malformed SCRAM message").WithDetail(detail)
}

// ClientFirst takes the mechanism the client chose and its
// client-first-message, and returns the server-first-message.
func (x *Exchange) ClientFirst(mechanism string, msg []byte) ([]byte, error) {
	switch {
	case mechanism == Mechanism:
	case mechanism == MechanismPlus && x.cbData != nil:
	default:
		return nil, pgerr.New(pgerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	x.mechanism = mechanism
	s := string(msg)
	if len(s) == 0 {
		return nil, malformed("The message is empty.")
	}
	// gs2-cbind-flag
	var rest string
	switch s[0] {
	case 'p':
		if mechanism != MechanismPlus {
			return nil, pgerr.New(pgerr.ProtocolViolation, "malformed SCRAM message").
				WithDetail("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.")
		}
		typ, r, ok := strings.Cut(s, ",")
		if !ok || !strings.HasPrefix(typ, "p=") {
			return nil, malformed("Expected attribute \"p\".")
		}
		if typ != "p=tls-server-end-point" {
			return nil, pgerr.New(pgerr.ProtocolViolation, "unsupported SCRAM channel-binding type \"%s\"", typ[2:])
		}
		rest = r
	case 'y', 'n':
		if mechanism == MechanismPlus {
			return nil, malformed("The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.")
		}
		if s[0] == 'y' && x.cbData != nil {
			return nil, pgerr.New(pgerr.ProtocolViolation, "SCRAM channel binding negotiation error").
				WithDetail("The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.")
		}
		if len(s) < 2 || s[1] != ',' {
			return nil, malformed("Comma expected, but found character \"" + s[1:min(2, len(s))] + "\".")
		}
		rest = s[2:]
	default:
		return nil, malformed("Unexpected channel-binding flag \"" + s[:1] + "\".")
	}
	// authzid: PostgreSQL accepts none.
	if strings.HasPrefix(rest, "a=") {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "client uses authorization identity, but it is not supported")
	}
	if !strings.HasPrefix(rest, ",") {
		return nil, malformed("Unexpected attribute \"" + rest[:min(1, len(rest))] + "\" in client-first-message.")
	}
	x.gs2Header = s[:len(s)-len(rest)+1]
	x.clientFirstBare = rest[1:]
	attrs := strings.Split(x.clientFirstBare, ",")
	if strings.HasPrefix(attrs[0], "m=") {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "client requires an unsupported SCRAM extension")
	}
	if len(attrs) < 2 || !strings.HasPrefix(attrs[0], "n=") {
		return nil, malformed("Expected attribute \"n\".")
	}
	// The user name in the message is ignored, as PostgreSQL ignores it:
	// the startup packet's user is the one authenticated.
	cnonce, ok := strings.CutPrefix(attrs[1], "r=")
	if !ok {
		return nil, malformed("Expected attribute \"r\".")
	}
	if cnonce == "" || !printable(cnonce) {
		return nil, malformed("Client nonce is not printable.")
	}
	x.fullNonce = cnonce + x.nonce
	x.serverFirst = "r=" + x.fullNonce + ",s=" + base64.StdEncoding.EncodeToString(x.v.Salt) + ",i=" + strconv.Itoa(x.v.Iterations)
	return []byte(x.serverFirst), nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e || s[i] == ',' {
			return false
		}
	}
	return true
}

// ClientFinal takes the client-final-message. ok reports whether the
// client proved it knows the password; then serverFinal is the
// server-final-message to send with AuthenticationSASLFinal.
func (x *Exchange) ClientFinal(msg []byte) (serverFinal []byte, ok bool, err error) {
	s := string(msg)
	cb, rest, found := strings.Cut(s, ",")
	if !found || !strings.HasPrefix(cb, "c=") {
		return nil, false, malformed("Expected attribute \"c\".")
	}
	got, err := base64.StdEncoding.DecodeString(cb[2:])
	if err != nil {
		return nil, false, malformed("Malformed channel binding data.")
	}
	want := []byte(x.gs2Header)
	if x.mechanism == MechanismPlus {
		want = append(want, x.cbData...)
	}
	if !bytes.Equal(got, want) {
		if x.mechanism == MechanismPlus {
			return nil, false, pgerr.New(pgerr.ProtocolViolation, "SCRAM channel binding check failed")
		}
		return nil, false, malformed("Unexpected SCRAM channel-binding attribute in client-final-message.")
	}
	nonce, rest, found := strings.Cut(rest, ",")
	if !found || !strings.HasPrefix(nonce, "r=") {
		return nil, false, malformed("Expected attribute \"r\".")
	}
	if nonce[2:] != x.fullNonce {
		return nil, false, malformed("Nonce does not match.")
	}
	i := strings.LastIndex(s, ",p=")
	if i < 0 {
		return nil, false, malformed("Expected attribute \"p\".")
	}
	proof, err := base64.StdEncoding.DecodeString(s[i+3:])
	if err != nil || len(proof) != sha256.Size {
		return nil, false, malformed("Malformed proof in client-final-message.")
	}
	authMessage := x.clientFirstBare + "," + x.serverFirst + "," + s[:i]
	sig := hmacSHA256(x.v.StoredKey, authMessage)
	clientKey := make([]byte, sha256.Size)
	for j := range clientKey {
		clientKey[j] = proof[j] ^ sig[j]
	}
	h := sha256.Sum256(clientKey)
	if subtle.ConstantTimeCompare(h[:], x.v.StoredKey) != 1 || x.mock {
		return nil, false, nil
	}
	return []byte("v=" + base64.StdEncoding.EncodeToString(hmacSHA256(x.v.ServerKey, authMessage))), true, nil
}
