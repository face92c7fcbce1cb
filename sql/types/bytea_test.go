package types

import (
	"bytes"
	"math"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestByteaText reads and prints bytea as PostgreSQL 15's byteain and
// byteaout do, in both output formats.
func TestByteaText(t *testing.T) {
	for _, tc := range []struct {
		in, hex, escape string
		code            string
	}{
		{in: `\x0102ff`, hex: `\x0102ff`, escape: `\001\002\377`},
		{in: `\xDEADbeef`, hex: `\xdeadbeef`, escape: `\336\255\276\357`},
		{in: "\\x 01\n02\t", hex: `\x0102`, escape: `\001\002`},
		{in: `abc`, hex: `\x616263`, escape: `abc`},
		{in: `a\\b\001\377`, hex: `\x615c6201ff`, escape: `a\\b\001\377`},
		{in: ``, hex: `\x`, escape: ``},
		{in: `\x1g`, code: pgerr.InvalidParameterValue},
		{in: `\x123`, code: pgerr.InvalidParameterValue},
		{in: `\q`, code: pgerr.InvalidTextRepresentation},
		{in: `\400`, code: pgerr.InvalidTextRepresentation},
		{in: `a\`, code: pgerr.InvalidTextRepresentation},
		{in: `\X01`, code: pgerr.InvalidTextRepresentation},
	} {
		d, err := ParseText(New(Bytea), tc.in)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%q: %v, want %s", tc.in, err, tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := FormatText(New(Bytea), d); got != tc.hex {
			t.Errorf("%q: hex %q, want %q", tc.in, got, tc.hex)
		}
		if got := FormatTextStyle(New(Bytea), d, Style{ByteaEscape: true}); got != tc.escape {
			t.Errorf("%q: escape %q, want %q", tc.in, got, tc.escape)
		}
	}
	arr := &Array{Elems: []Datum{"\x01", "ab", nil}}
	if got := FormatTextStyle(New(ByteaArray), arr, Style{ByteaEscape: true}); got != `{"\\001",ab,NULL}` {
		t.Errorf("bytea[] in escape format: %s", got)
	}
	if got := FormatText(New(ByteaArray), arr); got != `{"\\x01","\\x6162",NULL}` {
		t.Errorf("bytea[] in hex format: %s", got)
	}
}

// TestUUIDText reads uuids in the forms uuid_in accepts and refuses the
// rest with 22P02.
func TestUUIDText(t *testing.T) {
	const want = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
	for _, in := range []string{
		want, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
	} {
		d, err := ParseText(New(UUID), in)
		if err != nil || FormatText(New(UUID), d) != want {
			t.Errorf("%q: %v %v", in, d, err)
		}
	}
	for _, in := range []string{
		"", "x", " " + want, want + " ", want[:35], want + "1", "{" + want, want + "}",
		"a0eebc9-99c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1-",
		"g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
	} {
		if _, err := ParseText(New(UUID), in); pgerr.Code(err) != pgerr.InvalidTextRepresentation {
			t.Errorf("%q: %v, want 22P02", in, err)
		}
	}
}

// TestNewTypesStorage checks that bytea, uuid and real values survive the
// row encoding, and that their keys sort as PostgreSQL compares them.
func TestNewTypesStorage(t *testing.T) {
	u := func(s string) Datum {
		d, err := ParseUUID(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	row := []Datum{"\x00\xff", u("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), float64(float32(1.1)), nil}
	back, err := DecodeRow(EncodeRow(row))
	if err != nil || len(back) != len(row) {
		t.Fatalf("DecodeRow: %v %v", back, err)
	}
	for i := range row {
		if row[i] == nil && back[i] != nil || row[i] != nil && Compare(row[i], back[i]) != 0 {
			t.Errorf("column %d: %v came back as %v", i, row[i], back[i])
		}
	}
	if _, err := DecodeRow(EncodeRow([]Datum{row[1]})[:10]); pgerr.Code(err) != pgerr.DataCorrupted {
		t.Errorf("a cut uuid decoded: %v", err)
	}
	negNaN := math.Float64frombits(0xfff8000000000000)
	if !bytes.Equal(EncodeKey([]Datum{negNaN}), EncodeKey([]Datum{math.NaN()})) ||
		bytes.Compare(EncodeKey([]Datum{negNaN}), EncodeKey([]Datum{math.Inf(1)})) <= 0 {
		t.Errorf("a NaN with the sign bit set does not key as NaN, above Infinity")
	}
	for _, ordered := range [][]Datum{
		{"", "\x00", "\x00\x00", "\x01", "\x01\x00", "\x01\xff", "\x02"},
		{u("00000000-0000-0000-0000-000000000000"), u("00000000-0000-0000-0000-000000000001"),
			u("7fffffff-ffff-ffff-ffff-ffffffffffff"), u("80000000-0000-0000-0000-000000000000"), u("ffffffff-ffff-ffff-ffff-ffffffffffff")},
	} {
		for i := 1; i < len(ordered); i++ {
			a, b := ordered[i-1], ordered[i]
			if Compare(a, b) >= 0 || Compare(b, a) <= 0 {
				t.Errorf("Compare(%v, %v) does not order them", a, b)
			}
			if bytes.Compare(EncodeKey([]Datum{a}), EncodeKey([]Datum{b})) >= 0 {
				t.Errorf("key of %q does not sort before key of %q", FormatText(New(Bytea), a), FormatText(New(Bytea), b))
			}
		}
	}
}
