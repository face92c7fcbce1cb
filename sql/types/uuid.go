package types

import (
	"bytes"
)

// The uuid type. A uuid value is a UUIDValue, its 16 bytes; values order
// bytewise, as uuid_cmp does.
const (
	UUID      ID = 2950
	UUIDArray ID = 2951
)

// UUIDValue is the Go form of a uuid value.
type UUIDValue [16]byte

func init() {
	register(&Info{ID: UUID, Typname: "uuid", SQLName: "uuid", Len: 16, Array: UUIDArray, arrays: true,
		Category: 'U', aliases: []string{"uuid"},
		input: func(_ T, s string) (Datum, error) { return ParseUUID(s) }, cast: castToUUID})
}

// ParseUUID is uuid_in: 32 hex digits, with a hyphen allowed after any
// group of four, optionally in braces. Nothing else, not even blanks.
func ParseUUID(s string) (Datum, error) {
	var u UUIDValue
	src := s
	braces := len(src) > 0 && src[0] == '{'
	if braces {
		src = src[1:]
	}
	for i := range u {
		if len(src) < 2 {
			return nil, invalidInput(New(UUID), s)
		}
		hi, ok1 := hexValue(src[0])
		lo, ok2 := hexValue(src[1])
		if !ok1 || !ok2 {
			return nil, invalidInput(New(UUID), s)
		}
		u[i] = hi<<4 | lo
		src = src[2:]
		if len(src) > 0 && src[0] == '-' && i%2 == 1 && i < len(u)-1 {
			src = src[1:]
		}
	}
	if braces {
		if len(src) == 0 || src[0] != '}' {
			return nil, invalidInput(New(UUID), s)
		}
		src = src[1:]
	}
	if src != "" {
		return nil, invalidInput(New(UUID), s)
	}
	return u, nil
}

// String is uuid_out's form: 8-4-4-4-12 lower-case hex digits.
func (u UUIDValue) String() string {
	out := make([]byte, 0, 36)
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexDigits[b>>4], hexDigits[b&0xf])
	}
	return string(out)
}

func compareUUID(a, b UUIDValue) int { return bytes.Compare(a[:], b[:]) }

// castToUUID converts the string types through uuid_in.
func castToUUID(d Datum, from, to T, explicit bool) (Datum, error) {
	if s, ok := d.(string); ok && from.IsString() {
		return castFromText(s, to, explicit)
	}
	return nil, cannotCast(from, to)
}
