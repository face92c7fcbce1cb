package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

func compositeShape() *RecordShape {
	at, _ := ArrayOf(New(Text))
	return &RecordShape{Names: []string{"a", "b", "c"}, Types: []T{New(Int4), New(Text), at}, OID: 16500, TypeName: "ct"}
}

// TestParseRecord reads composite values as record_in does, with its
// errors.
func TestParseRecord(t *testing.T) {
	shape := compositeShape()
	ct := T{ID: Record, Mod: -1, Shape: shape}
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: `(1,x,{a})`, want: `(1,x,{a})`},
		{in: ` (1,"a b","{x,y}") `, want: `(1,"a b","{x,y}")`},
		{in: `(,,)`, want: `(,,)`},
		{in: `(2,"",)`, want: `(2,"",)`},
		{in: `(3,"q""uote",)`, want: `(3,"q""uote",)`},
		{in: `(4,back\,slash,)`, want: `(4,"back,slash",)`},
		{in: `( 5 ,x,)`, want: `(5,x,)`},
		{in: `(1,x`, err: "Unexpected end of input."},
		{in: `1,x,y)`, err: "Missing left parenthesis."},
		{in: `(1,x,{a},d)`, err: "Too many columns."},
		{in: `(1,x)`, err: "Too few columns."},
		{in: `(1,x,{a}) z`, err: "Junk after right parenthesis."},
		{in: `(z,x,)`, err: `invalid input syntax for type integer: "z"`},
	} {
		v, err := ParseText(ct, tc.in)
		if tc.err != "" {
			pe := pgerr.Find(err)
			if pe == nil || pe.Code != pgerr.InvalidTextRepresentation || pe.Detail != tc.err && pe.Message != tc.err {
				t.Errorf("%s: error %v, want 22P02 %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := FormatText(ct, v); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, got, tc.want)
		}
	}
	anon := RecordOf([]string{"f1"}, []T{New(Int4)})
	if _, err := ParseText(anon, "(1)"); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Errorf("anonymous record input: %v", err)
	}
}

// TestCompositeStorage stores a composite value and reads it back: the
// stored value carries no shape, its type does, and fields added to the
// type after the value was stored print as NULL.
func TestCompositeStorage(t *testing.T) {
	shape := compositeShape()
	ct := T{ID: Record, Mod: -1, Shape: shape}
	v, err := ParseRecord(shape, `(1,"a b",{x})`)
	if err != nil {
		t.Fatal(err)
	}
	arrT, ok := ArrayOf(ct)
	if !ok || arrT.Shape != shape || arrT.TypeOID() != 16500|uint32(UserArrayBit) || arrT.Name() != "ct[]" {
		t.Fatalf("array of composite: %+v %v", arrT, ok)
	}
	if el, _ := arrT.Elem(); el.Shape != shape || el.TypeOID() != 16500 || el.Name() != "ct" || !el.IsComposite() {
		t.Fatalf("element of composite array: %+v", el)
	}
	row, err := DecodeRow(EncodeRow([]Datum{v, &Array{Elems: []Datum{v, nil}}}))
	if err != nil {
		t.Fatal(err)
	}
	if r := row[0].(*RecordValue); r.Shape != nil {
		t.Errorf("stored record kept a shape")
	}
	if got := FormatText(ct, row[0]); got != `(1,"a b",{x})` {
		t.Errorf("record read back: %s", got)
	}
	if got := FormatText(arrT, row[1]); got != `{"(1,\"a b\",{x})",NULL}` {
		t.Errorf("array read back: %s", got)
	}
	wider := *shape
	wider.Names = append(wider.Names, "d")
	wider.Types = append(wider.Types, New(Int4))
	if got := FormatText(T{ID: Record, Mod: -1, Shape: &wider}, row[0]); got != `(1,"a b",{x},)` {
		t.Errorf("record under a wider type: %s", got)
	}
	if Compare(row[0], v) != 0 {
		t.Errorf("record read back compares unequal")
	}
	if string(EncodeKey([]Datum{row[0]})) != string(EncodeKey([]Datum{v})) {
		t.Errorf("record keys differ")
	}
	if New(Int4).TypeOID() != uint32(Int4) || RecordOf(nil, nil).TypeOID() != uint32(Record) {
		t.Errorf("TypeOID of built-in types")
	}
}
