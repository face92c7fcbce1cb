package builtins

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/bits"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The functions of bytea and uuid that no text function shares a name
// with (length, substring, md5 ... on bytea are the binder's, beside
// their text forms): encode, decode, get_byte, set_byte, the SHA-2
// digests, float4send and float8send, gen_random_uuid, pgcrypto's digest
// and gen_random_bytes, and uuid-ossp's uuid_generate_v4 (the extensions'
// functions exist without CREATE EXTENSION). Random values read
// crypto/rand, the operating system's entropy, as PostgreSQL's
// pg_strong_random does.

func init() {
	by, text, i4, f4, f8, uuid := types.Bytea, types.Text, types.Int4, types.Float4, types.Float8, types.UUID
	register("encode", &Overload{Args: []types.ID{by, text}, Result: text, Fn: encode})
	register("decode", &Overload{Args: []types.ID{text, text}, Result: by, Fn: decode})
	register("get_bit", &Overload{Args: []types.ID{by, types.Int8}, Result: i4, Fn: getBit})
	register("set_bit", &Overload{Args: []types.ID{by, types.Int8, i4}, Result: by, Fn: setBit})
	register("bit_count", &Overload{Args: []types.ID{by}, Result: types.Int8, Fn: func(a []types.Datum) (types.Datum, error) {
		n := 0
		for _, c := range []byte(a[0].(string)) {
			n += bits.OnesCount8(c)
		}
		return int64(n), nil
	}})
	register("get_byte", &Overload{Args: []types.ID{by, i4}, Result: i4, Fn: getByte})
	register("set_byte", &Overload{Args: []types.ID{by, i4, i4}, Result: by, Fn: setByte})
	digest := func(sum func([]byte) []byte) *Overload {
		return &Overload{Args: []types.ID{by}, Result: by, Fn: func(a []types.Datum) (types.Datum, error) {
			return string(sum([]byte(a[0].(string)))), nil
		}}
	}
	register("sha224", digest(func(b []byte) []byte { s := sha256.Sum224(b); return s[:] }))
	register("sha256", digest(func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }))
	register("sha384", digest(func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }))
	register("sha512", digest(func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }))
	register("float4send", &Overload{Args: []types.ID{f4}, Result: by, Fn: func(a []types.Datum) (types.Datum, error) {
		return string(binary.BigEndian.AppendUint32(nil, math.Float32bits(float32(a[0].(float64))))), nil
	}})
	register("float8send", &Overload{Args: []types.ID{f8}, Result: by, Fn: func(a []types.Datum) (types.Datum, error) {
		return string(binary.BigEndian.AppendUint64(nil, math.Float64bits(a[0].(float64)))), nil
	}})
	register("digest",
		&Overload{Args: []types.ID{text, text}, Result: by, Fn: digestFn},
		&Overload{Args: []types.ID{by, text}, Result: by, Fn: digestFn})
	register("gen_random_bytes", &Overload{Args: []types.ID{i4}, Result: by, Fn: randomBytes})
	random := &Overload{Result: uuid, Fn: func([]types.Datum) (types.Datum, error) { return RandomUUID() }}
	register("gen_random_uuid", random)
	register("uuid_generate_v4", random)
}

// RandomUUID is a version 4 (random) uuid, as gen_random_uuid makes.
func RandomUUID() (types.Datum, error) {
	var u types.UUIDValue
	if _, err := rand.Read(u[:]); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.InternalError, "could not generate random values")
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u, nil
}

// digestFn is pgcrypto's digest(data, type).
func digestFn(a []types.Datum) (types.Datum, error) {
	b := []byte(a[0].(string))
	switch strings.ToLower(a[1].(string)) {
	case "md5":
		s := md5.Sum(b)
		return string(s[:]), nil
	case "sha1":
		s := sha1.Sum(b)
		return string(s[:]), nil
	case "sha224":
		s := sha256.Sum224(b)
		return string(s[:]), nil
	case "sha256":
		s := sha256.Sum256(b)
		return string(s[:]), nil
	case "sha384":
		s := sha512.Sum384(b)
		return string(s[:]), nil
	case "sha512":
		s := sha512.Sum512(b)
		return string(s[:]), nil
	}
	return nil, pgerr.New(pgerr.InvalidParameterValue, "Cannot use \"%s\": No such hash algorithm", a[1].(string))
}

// randomBytesMax is pgcrypto's limit on gen_random_bytes.
const randomBytesMax = 1024

// randomBytes is pgcrypto's gen_random_bytes(n).
func randomBytes(a []types.Datum) (types.Datum, error) {
	n := a[0].(int64)
	if n < 1 || n > randomBytesMax {
		return nil, pgerr.New(externalRoutineInvocation, "Length not in range")
	}
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.InternalError, "could not generate random values")
	}
	return string(b), nil
}

// externalRoutineInvocation is SQLSTATE 39000, which internal/pgerr does
// not name.
const externalRoutineInvocation = "39000"

func unrecognizedEncoding(name string) error {
	return pgerr.New(pgerr.InvalidParameterValue, "unrecognized encoding: \"%s\"", name)
}

// encode(bytes, format) writes bytes as hex, base64 (lines of 76
// characters) or escape (only NUL, high-bit bytes and backslashes
// escaped, unlike bytea's escape output).
func encode(a []types.Datum) (types.Datum, error) {
	b, format := a[0].(string), a[1].(string)
	switch strings.ToLower(format) {
	case "hex":
		return hex.EncodeToString([]byte(b)), nil
	case "base64":
		s := base64.StdEncoding.EncodeToString([]byte(b))
		var out strings.Builder
		for len(s) > 76 {
			out.WriteString(s[:76])
			out.WriteByte('\n')
			s = s[76:]
		}
		out.WriteString(s)
		return out.String(), nil
	case "escape":
		var out strings.Builder
		for i := 0; i < len(b); i++ {
			c := b[i]
			switch {
			case c == 0 || c >= 0x80:
				out.WriteByte('\\')
				out.WriteByte('0' + c>>6)
				out.WriteByte('0' + (c>>3)&7)
				out.WriteByte('0' + c&7)
			case c == '\\':
				out.WriteString(`\\`)
			default:
				out.WriteByte(c)
			}
		}
		return out.String(), nil
	}
	return nil, unrecognizedEncoding(format)
}

// decode(text, format) reads what encode writes.
func decode(a []types.Datum) (types.Datum, error) {
	s, format := a[0].(string), a[1].(string)
	switch strings.ToLower(format) {
	case "hex":
		return types.DecodeHex(s)
	case "base64":
		return decodeBase64(s)
	case "escape":
		return types.DecodeEscape(s)
	}
	return nil, unrecognizedEncoding(format)
}

// decodeBase64 is b64_decode: blanks are skipped, padding is required.
func decodeBase64(s string) (types.Datum, error) {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
	out, err := base64.StdEncoding.DecodeString(clean)
	if err == nil {
		return string(out), nil
	}
	for i := 0; i < len(clean); i++ {
		c := clean[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			n := 1
			for i+n < len(clean) && n < 4 && clean[i+n]&0xc0 == 0x80 {
				n++
			}
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid symbol \"%s\" found while decoding base64 sequence", clean[i:i+n])
		}
	}
	return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid base64 end sequence").
		WithHint("Input data is missing padding, is truncated, or is otherwise corrupted.")
}

// byteIndex checks get_byte's and set_byte's index.
func byteIndex(b string, n int64) error {
	if n < 0 || n >= int64(len(b)) {
		return pgerr.New(arraySubscriptError, "index %d out of valid range, 0..%d", n, len(b)-1)
	}
	return nil
}

// arraySubscriptError is SQLSTATE 2202E, which internal/pgerr does not
// name.
const arraySubscriptError = "2202E"

func getByte(a []types.Datum) (types.Datum, error) {
	b, n := a[0].(string), a[1].(int64)
	if err := byteIndex(b, n); err != nil {
		return nil, err
	}
	return int64(b[n]), nil
}

func setByte(a []types.Datum) (types.Datum, error) {
	b, n, v := a[0].(string), a[1].(int64), a[2].(int64)
	if err := byteIndex(b, n); err != nil {
		return nil, err
	}
	out := []byte(b)
	out[n] = byte(v)
	return string(out), nil
}

// bitIndex checks get_bit's and set_bit's index: bit n is bit n%8 of
// byte n/8, counting from the least significant.
func bitIndex(b string, n int64) error {
	if n < 0 || n >= int64(len(b))*8 {
		return pgerr.New(arraySubscriptError, "index %d out of valid range, 0..%d", n, int64(len(b))*8-1)
	}
	return nil
}

func getBit(a []types.Datum) (types.Datum, error) {
	b, n := a[0].(string), a[1].(int64)
	if err := bitIndex(b, n); err != nil {
		return nil, err
	}
	return int64(b[n/8]>>(n%8)) & 1, nil
}

func setBit(a []types.Datum) (types.Datum, error) {
	b, n, v := a[0].(string), a[1].(int64), a[2].(int64)
	if err := bitIndex(b, n); err != nil {
		return nil, err
	}
	if v != 0 && v != 1 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "new bit must be 0 or 1")
	}
	out := []byte(b)
	out[n/8] = out[n/8]&^(1<<(n%8)) | byte(v)<<(n%8)
	return string(out), nil
}
