package lsm

import (
	"bytes"
	"math/rand"
	"testing"
)

// refUserPart and refUserKey are the escaping as first written (a search
// for each 0x00): the one-pass versions must agree with them on any bytes.
func refUserPart(dst, user []byte) []byte {
	for {
		i := bytes.IndexByte(user, 0)
		if i < 0 {
			dst = append(dst, user...)
			break
		}
		dst = append(dst, user[:i+1]...)
		dst = append(dst, 0xff)
		user = user[i+1:]
	}
	return append(dst, 0x00, 0x01)
}

func refUserKey(dst, part []byte) []byte {
	part = part[:max(len(part)-2, 0)]
	for {
		i := bytes.IndexByte(part, 0)
		if i < 0 || i+2 > len(part) {
			return append(dst, part...)
		}
		dst = append(dst, part[:i+1]...)
		part = part[i+2:]
	}
}

// TestEscapingMatchesReference compares the escaping of user keys both
// ways with the reference on random keys rich in 0x00 and 0xFF bytes, and
// on random (also malformed) user parts.
func TestEscapingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte{0x00, 0x00, 0x01, 0xff, 'a'}
	for range 20000 {
		b := make([]byte, rng.Intn(24))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		prefix := []byte("p")
		if got, want := appendUserPart(prefix[:1:1], b), refUserPart(prefix[:1:1], b); !bytes.Equal(got, want) {
			t.Fatalf("appendUserPart(%x) = %x, want %x", b, got, want)
		}
		part := appendUserPart(nil, b)
		if got := appendUserKey(nil, part); !bytes.Equal(got, b) {
			t.Fatalf("appendUserKey(appendUserPart(%x)) = %x", b, got)
		}
		if got, want := appendUserKey(nil, b), refUserKey(nil, b); !bytes.Equal(got, want) {
			t.Fatalf("appendUserKey(%x) = %x, want %x", b, got, want)
		}
	}
}
