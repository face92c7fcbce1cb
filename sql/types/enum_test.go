package types

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

func testEnum() *Enum {
	return &Enum{ID: 16400, Name: "mood", Labels: []EnumValue{
		{Order: 1, Label: "sad"}, {Order: 1.5, Label: "meh"}, {Order: 2, Label: "ok"}, {Order: 3, Label: "happy"}}}
}

// TestEnumTypeIDs checks that an enum's id and its array's pair up without
// the catalog, and that registered types are not user types.
func TestEnumTypeIDs(t *testing.T) {
	e := New(16400)
	if !e.IsUser() || !e.IsEnum() || e.IsArray() || e.Size() != 4 {
		t.Errorf("enum type: user %v enum %v array %v size %d", e.IsUser(), e.IsEnum(), e.IsArray(), e.Size())
	}
	at, ok := ArrayOf(e)
	if !ok || at.ID != 16400|UserArrayBit || !at.IsUser() || at.IsEnum() {
		t.Fatalf("ArrayOf(enum) = %v %v", at, ok)
	}
	if el, ok := at.Elem(); !ok || el.ID != 16400 {
		t.Errorf("Elem(enum[]) = %v %v", el, ok)
	}
	if _, ok := ArrayOf(at); ok {
		t.Error("an array of an enum array exists")
	}
	for _, id := range []ID{Int4, Text, Int4Array, 1000} {
		if New(id).IsUser() {
			t.Errorf("type %d is a user type", id)
		}
	}
}

// TestEnumInputAndOrder checks enum_in's errors, and that values compare,
// store and key by their sort order rather than their labels.
func TestEnumInputAndOrder(t *testing.T) {
	e := testEnum()
	for _, tc := range []struct {
		in, code string
	}{
		{"happy", ""}, {"meh", ""}, {"Happy", pgerr.InvalidTextRepresentation}, {"", pgerr.InvalidTextRepresentation},
		{" ok", pgerr.InvalidTextRepresentation},
	} {
		v, err := ParseEnum(e, tc.in)
		if pgerr.Code(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("ParseEnum(%q) = %v, %v; want code %q", tc.in, v, err, tc.code)
		}
		if err == nil && FormatText(New(e.ID), v) != tc.in {
			t.Errorf("ParseEnum(%q) prints as %q", tc.in, FormatText(New(e.ID), v))
		}
	}
	_, err := ParseEnum(e, "x")
	if want := `invalid input value for enum mood: "x"`; err == nil || pgerr.Find(err).Message != want {
		t.Errorf("message %v, want %s", err, want)
	}
	e.Unsafe = map[string]bool{"meh": true}
	if _, err := ParseEnum(e, "meh"); pgerr.Code(err) != pgerr.UnsafeNewEnumValueUsage {
		t.Errorf("unsafe label: %v", err)
	}
	e.Unsafe = nil

	// Declaration order, not label order: sad < meh < ok < happy.
	vals := e.Labels
	for i := range vals {
		for j := range vals {
			want := cmpOrdered(int64(i), int64(j))
			if got := Compare(vals[i], vals[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", vals[i].Label, vals[j].Label, got, want)
			}
			ki, kj := EncodeKey([]Datum{vals[i]}), EncodeKey([]Datum{vals[j]})
			if got := bytes.Compare(ki, kj); got != want {
				t.Errorf("key order of %s and %s = %d, want %d", vals[i].Label, vals[j].Label, got, want)
			}
		}
	}
	// A renamed label keeps its key.
	renamed := EnumValue{Order: 2, Label: "fine"}
	if !bytes.Equal(EncodeKey([]Datum{renamed}), EncodeKey([]Datum{vals[2]})) {
		t.Error("renaming a label changes its key")
	}
}

// TestEnumRowEncoding round-trips enum values and arrays of them through
// the row encoding, and refuses truncated rows.
func TestEnumRowEncoding(t *testing.T) {
	e := testEnum()
	arr, err := ParseEnumArray(e, "{happy,NULL,sad}")
	if err != nil {
		t.Fatal(err)
	}
	row := []Datum{e.Labels[1], nil, arr, int64(7)}
	buf := EncodeRow(row)
	got, err := DecodeRow(buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, row) {
		t.Errorf("round trip %v, want %v", got, row)
	}
	if s := FormatText(T{ID: e.ID | UserArrayBit, Mod: -1}, arr); s != "{happy,NULL,sad}" {
		t.Errorf("array text %q", s)
	}
	for n := 1; n < len(buf); n++ {
		if _, err := DecodeRow(buf[:n]); err == nil {
			t.Errorf("a row cut to %d of %d bytes decodes", n, len(buf))
		}
	}
	if _, err := ParseEnumArray(e, "{happy,nope}"); pgerr.Code(err) != pgerr.InvalidTextRepresentation {
		t.Errorf("array with an unknown label: %v", err)
	}
}

// TestCastToEnum checks the casts that reach an enum: text, the same
// enum, arrays element by element; another enum is 42846.
func TestCastToEnum(t *testing.T) {
	e := testEnum()
	if v, err := CastToEnum(e, "ok", New(Text), false); err != nil || v.(EnumValue).Label != "ok" {
		t.Errorf("text: %v %v", v, err)
	}
	if _, err := CastToEnum(e, EnumValue{Order: 1, Label: "x"}, New(16500), false); pgerr.Code(err) != pgerr.CannotCoerce {
		t.Errorf("another enum: %v", err)
	}
	in := &Array{Elems: []Datum{"sad", nil}}
	v, err := CastToEnum(e, in, New(TextArray), true)
	if err != nil || !reflect.DeepEqual(v, &Array{Elems: []Datum{e.Labels[0], nil}}) {
		t.Errorf("text[]: %v %v", v, err)
	}
}
