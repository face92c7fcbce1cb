package types

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The binary string type. A bytea value is a Go string holding the raw
// bytes (not text: it may hold any byte, NUL included); Compare and the
// key encoding order it bytewise, as byteacmp does. Its text form is hex
// (\x0102) or, with bytea_output = escape, the escape format
// (Style.ByteaEscape); byteain reads both.
const (
	Bytea      ID = 17
	ByteaArray ID = 1001
)

func init() {
	register(&Info{ID: Bytea, Typname: "bytea", SQLName: "bytea", Len: -1, Array: ByteaArray, arrays: true,
		Category: 'U', aliases: []string{"bytea"},
		input: func(_ T, s string) (Datum, error) {
			b, err := ParseBytea(s)
			if err != nil {
				return nil, err
			}
			return b, nil
		}, cast: castToBytea})
}

// ParseBytea is byteain: hex format when s starts with \x, else the escape
// format, where \\ is a backslash and \ooo an octal byte.
func ParseBytea(s string) (string, error) {
	if strings.HasPrefix(s, `\x`) {
		return DecodeHex(s[2:])
	}
	return DecodeEscape(s)
}

// DecodeEscape reads the escape format: \\ is a backslash, \ooo an octal
// byte (the first digit 0-3), any other byte itself.
func DecodeEscape(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			b.WriteByte('\\')
			i += 2
		case i+3 < len(s) && isOctal(s[i+1]) && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]):
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 4
		default:
			return "", pgerr.New(pgerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
		}
	}
	return b.String(), nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// DecodeHex is hex_decode: pairs of hex digits, with blanks allowed
// between the pairs.
func DecodeHex(s string) (string, error) {
	out := make([]byte, 0, len(s)/2)
	for i := 0; i < len(s); {
		switch s[i] {
		case ' ', '\n', '\t', '\r':
			i++
			continue
		}
		hi, ok := hexValue(s[i])
		if !ok {
			return "", badHexDigit(s[i:])
		}
		i++
		if i >= len(s) {
			return "", pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal data: odd number of digits")
		}
		lo, ok := hexValue(s[i])
		if !ok {
			return "", badHexDigit(s[i:])
		}
		i++
		out = append(out, hi<<4|lo)
	}
	return string(out), nil
}

// badHexDigit names the offending character (all of its UTF-8 bytes), as
// get_hex does.
func badHexDigit(rest string) error {
	n := 1
	for n < len(rest) && n < 4 && rest[n]&0xc0 == 0x80 {
		n++
	}
	return pgerr.New(pgerr.InvalidParameterValue, "invalid hexadecimal digit: \"%s\"", rest[:n])
}

func hexValue(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

const hexDigits = "0123456789abcdef"

// FormatByteaHex is byteaout's hex format: \x and two lower-case digits a
// byte.
func FormatByteaHex(s string) string {
	out := make([]byte, 2, 2+2*len(s))
	out[0], out[1] = '\\', 'x'
	for i := 0; i < len(s); i++ {
		out = append(out, hexDigits[s[i]>>4], hexDigits[s[i]&0xf])
	}
	return string(out)
}

// FormatByteaEscape is byteaout's escape format (and encode(b, 'escape')):
// a backslash doubled, bytes outside printable ASCII as \ooo.
func FormatByteaEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c < 0x20 || c > 0x7e:
			b.WriteByte('\\')
			b.WriteByte('0' + c>>6)
			b.WriteByte('0' + (c>>3)&7)
			b.WriteByte('0' + c&7)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// castToBytea converts the string types through byteain; no other type
// has a cast to bytea.
func castToBytea(d Datum, from, to T, explicit bool) (Datum, error) {
	if s, ok := d.(string); ok && from.IsString() {
		return castFromText(s, to, explicit)
	}
	return nil, cannotCast(from, to)
}
