package pgwire

import (
	"bytes"
	"math"
	"net"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

func dec(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

func mustJSONB(s string) *types.JSON {
	j, err := types.ParseJSONB(s)
	if err != nil {
		panic(err)
	}
	return j
}

// TestBinaryRoundTrip encodes each Datum form in binary and decodes it back
// as a parameter of the same type.
func TestBinaryRoundTrip(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	ty := func(id types.ID) types.T { return types.T{ID: id, Mod: -1} }
	cases := []struct {
		typ types.T
		in  types.Datum
	}{
		{ty(types.Bool), false},
		{ty(types.Int2), int64(math.MinInt16)},
		{ty(types.Int4), int64(math.MaxInt32)},
		{ty(types.Int8), int64(math.MinInt64)},
		{ty(types.Float8), -0.125},
		{ty(types.Float8), math.Inf(1)},
		{ty(types.Numeric), dec("0")},
		{ty(types.Numeric), dec("-123.4500")},
		{ty(types.Numeric), dec("1E+20")},
		{ty(types.Numeric), dec("0.000000000000000000001")},
		{ty(types.Numeric), &apd.Decimal{Form: apd.NaN}},
		{ty(types.Numeric), &apd.Decimal{Form: apd.Infinite, Negative: true}},
		{ty(types.Text), "héllo"},
		{types.T{ID: types.Varchar, Mod: 3}, "abc"},
		{ty(types.Unknown), "x"},
		{ty(types.Char), "r"},
		{ty(types.Char), ""},
		{ty(types.SysName), "orders"},
		{ty(types.OID), int64(4294967295)},
		{ty(types.Date), time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC)},
		{ty(types.Timestamp), time.Date(2000, 1, 1, 0, 0, 0, 1000, time.UTC)},
		{ty(types.TimestampTZ), time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{ty(types.JSONType), `{"b" : [1,  2]}`},
		{ty(types.JSONB), mustJSONB(`{"b": [1, 2], "a": null}`)},
		{ty(types.JSONPathType), `$."a"[*]?(@ > 1)`},
	}
	for _, tc := range cases {
		name := tc.typ.Name() + "/" + types.FormatText(tc.typ, tc.in)
		t.Run(name, func(t *testing.T) {
			raw, err := c.appendBinary(nil, tc.typ, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := c.decodeBinaryParam(tc.typ, raw, 1)
			if err != nil {
				t.Fatal(err)
			}
			// Compare text forms: numeric 1.0 and 1.00 differ, as in PostgreSQL.
			if got, want := types.FormatText(tc.typ, out), types.FormatText(tc.typ, tc.in); got != want ||
				reflect.TypeOf(out) != reflect.TypeOf(tc.in) {
				t.Errorf("round trip %T %s -> %T %s", tc.in, want, out, got)
			}
		})
	}
}

func TestBinaryEncodeErrors(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	cases := []struct {
		typ  types.T
		in   types.Datum
		code string
	}{
		{types.T{ID: types.Int2, Mod: -1}, int64(40000), pgerr.NumericValueOutOfRange},
		{types.T{ID: types.Int4, Mod: -1}, int64(math.MaxInt32 + 1), pgerr.NumericValueOutOfRange},
		{types.T{ID: types.Bool, Mod: -1}, time.Time{}, pgerr.InternalError},
	}
	for _, tc := range cases {
		if _, err := c.appendBinary(nil, tc.typ, tc.in); pgerr.Code(err) != tc.code {
			t.Errorf("%s %v: got %v, want %s", tc.typ.Name(), tc.in, err, tc.code)
		}
	}
}

func TestBinaryDecodeErrors(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	cases := []struct {
		id   types.ID
		raw  []byte
		code string
	}{
		{types.Int8, []byte{1, 2, 3}, invalidBinaryRepresentation},
		{types.Bool, []byte{}, invalidBinaryRepresentation},
		{types.Float8, []byte{1}, invalidBinaryRepresentation},
		{types.Numeric, []byte{0, 1}, invalidBinaryRepresentation},
		{types.Text, []byte{0xff}, pgerr.CharacterNotInRepertoire},
		{types.Date, []byte{0x7f, 0xff, 0xff, 0xff}, ""}, // infinity
		{types.Interval, []byte{0, 0, 0, 0}, invalidBinaryRepresentation},
		{types.Time, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, pgerr.DatetimeFieldOverflow},
		{types.TimeTZ, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0, 0, 0}, "22009"},
		{types.Varchar, nil, ""},
		{types.PointType, []byte{1}, invalidBinaryRepresentation},
		{types.LineType, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 63, 240, 0, 0, 0, 0, 0, 0}, invalidBinaryRepresentation},    // A = B = 0
		{types.CircleType, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 191, 240, 0, 0, 0, 0, 0, 0}, invalidBinaryRepresentation}, // radius -1
		{types.PathType, []byte{1, 0, 0, 0, 0}, invalidBinaryRepresentation},                                                                // no points
		{types.MoneyType, []byte{0, 0, 1}, invalidBinaryRepresentation},
	}
	for _, tc := range cases {
		_, err := c.decodeBinaryParam(types.T{ID: tc.id, Mod: -1}, tc.raw, 3)
		if tc.code == "" && err != nil || tc.code != "" && pgerr.Code(err) != tc.code {
			t.Errorf("type %d %x: got %v, want %q", tc.id, tc.raw, err, tc.code)
		}
	}
}

func TestCheckUTF8(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", ""},
		{"héllo €", ""},
		{"a\xffb", "0xff"},
		{"\xe2\x82", "0xe2 0x82"},
		{"x\xe2\x82\x28y", "0xe2 0x82 0x28"},
		{"\xc3\x28", "0xc3 0x28"},
		{"\xed\xa0\x80", "0xed 0xa0 0x80"}, // a surrogate
		{"a\x00b", "0x00"},
		{"\x80", "0x80"},
	}
	for _, tc := range cases {
		err := checkUTF8(tc.in)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: unexpected %v", tc.in, err)
		case tc.want != "":
			want := `invalid byte sequence for encoding "UTF8": ` + tc.want
			if err == nil || err.Error() != want || pgerr.Code(err) != pgerr.CharacterNotInRepertoire {
				t.Errorf("%q: got %v, want %s", tc.in, err, want)
			}
		}
	}
}

func TestBatchTag(t *testing.T) {
	cases := []struct {
		tag  string
		n    int
		want string
	}{
		{"SELECT 5", 2, "SELECT 2"},
		{"INSERT 0 7", 3, "INSERT 0 3"},
		{"SHOW", 1, "SHOW"},
		{"CREATE TABLE", 0, "CREATE TABLE"},
	}
	for _, tc := range cases {
		if got := batchTag(tc.tag, tc.n); got != tc.want {
			t.Errorf("batchTag(%q, %d) = %q, want %q", tc.tag, tc.n, got, tc.want)
		}
	}
}

func TestParseStartupParams(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]string
		ok   bool
	}{
		{"user\x00bob\x00\x00", map[string]string{"user": "bob"}, true},
		{"user\x00bob\x00database\x00d\x00options\x00-c x=1\x00\x00", map[string]string{"user": "bob", "database": "d", "options": "-c x=1"}, true},
		{"\x00", map[string]string{}, true},
		{"user\x00bob\x00", nil, false},      // no terminator
		{"user\x00", nil, false},             // no value
		{"user\x00bob\x00\x00x", nil, false}, // bytes after the terminator
		{"", nil, false},
	}
	for _, tc := range cases {
		got, ok := parseStartupParams([]byte(tc.in))
		if ok != tc.ok || ok && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTrustAndEncodingNames(t *testing.T) {
	hosts := []struct {
		addr    net.Addr
		host    string
		trusted bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1")}, "127.0.0.1", true},
		{&net.TCPAddr{IP: net.ParseIP("::1")}, "::1", true},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.9")}, "192.168.1.9", false},
		{&net.UnixAddr{Name: "/tmp/.s.PGSQL.5432", Net: "unix"}, "[local]", true},
	}
	for _, h := range hosts {
		host, ip, local := clientHost(h.addr)
		r := matchHBA(DefaultHBA(), hbaClient{local: local, ip: ip, user: "u", db: "d"}, func() []*net.IPNet { return nil })
		if ok := r != nil && r.Method == authTrust; host != h.host || ok != h.trusted {
			t.Errorf("%v: got %q %v", h.addr, host, ok)
		}
	}
	encs := []struct {
		name string
		utf8 bool
	}{{"UTF8", true}, {"utf-8", true}, {"Unicode", true}, {"LATIN1", false}, {"SQL_ASCII", false}}
	for _, e := range encs {
		if isUTF8Name(e.name) != e.utf8 {
			t.Errorf("isUTF8Name(%q) != %v", e.name, e.utf8)
		}
	}
}

func TestRowDescriptionFields(t *testing.T) {
	cols := []sql.Column{
		{Name: "id", Type: types.T{ID: types.Int8, Mod: -1}, TableID: 16384, Attr: 1},
		{Name: "name", Type: types.T{ID: types.Varchar, Mod: 20}, TableID: 16384, Attr: 2},
		{Name: "?column?", Type: types.T{ID: types.Numeric, Mod: -1}},
	}
	rd := rowDescription(cols, []int16{1, 0, 1})
	var got []string
	for _, f := range rd.Fields {
		got = append(got, strings.Join([]string{string(f.Name), itoa(int(f.TableOID)), itoa(int(f.TableAttributeNumber)),
			itoa(int(f.DataTypeOID)), itoa(int(f.DataTypeSize)), itoa(int(f.TypeModifier)), itoa(int(f.Format))}, " "))
	}
	equalLines(t, "fields", got, []string{
		"id 16384 1 20 8 -1 1",
		"name 16384 2 1043 -1 24 0",
		"?column? 0 0 1700 -1 -1 1",
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestSendRowDescriptionBytes checks that the RowDescription appended
// straight into the output buffer is byte for byte the encoding of the
// message rowDescription builds.
func TestSendRowDescriptionBytes(t *testing.T) {
	cols := []sql.Column{
		{Name: "id", Type: types.T{ID: types.Int8, Mod: -1}, TableID: 16384, Attr: 1},
		{Name: "name", Type: types.T{ID: types.Varchar, Mod: 20}, TableID: 16384, Attr: 2},
		{Name: "?column?", Type: types.T{ID: types.Numeric, Mod: -1}},
		{Name: "", Type: types.T{ID: types.Int2, Mod: -1}, TableID: 0xfffffff0, Attr: 0x7fff},
	}
	for _, tc := range []struct {
		cols    []sql.Column
		formats []int16
	}{
		{cols, []int16{1, 0, 1, 1}},
		{cols, nil},
		{cols[:1], []int16{0}},
		{nil, nil},
	} {
		want, err := rowDescription(tc.cols, tc.formats).Encode([]byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		c := &conn{wbuf: []byte("prefix")}
		c.sendRowDescription(tc.cols, tc.formats)
		if !bytes.Equal(c.wbuf, want) {
			t.Errorf("%d columns, formats %v:\n got %x\nwant %x", len(tc.cols), tc.formats, c.wbuf, want)
		}
	}
}

func TestDataRowOnEncodeErrorLeavesNoPartialRow(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	cols := []sql.Column{{Name: "a", Type: types.T{ID: types.Int8, Mod: -1}}, {Name: "b", Type: types.T{ID: types.Int2, Mod: -1}}}
	c.wbuf = []byte("prefix")
	err := c.sendDataRow(cols, []types.Datum{int64(1), int64(1 << 20)}, []int16{1, 1}, types.Style{})
	if pgerr.Code(err) != pgerr.NumericValueOutOfRange || string(c.wbuf) != "prefix" {
		t.Errorf("err %v, buffer %q", err, c.wbuf)
	}
	if err := c.sendDataRow(cols, []types.Datum{nil}, nil, types.Style{}); err == nil || pgerr.Code(err) != pgerr.InternalError {
		t.Errorf("short row: %v", err)
	}
}

// TestBinaryArrays compares the binary form of arrays with what
// PostgreSQL 15's array_send produces for the same values.
func TestBinaryArrays(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	ty := func(id types.ID) types.T { return types.T{ID: id, Mod: -1} }
	cases := []struct {
		typ  types.T
		in   *types.Array
		want string // hex of array_send's result
	}{
		{ty(types.Int4Array), &types.Array{Elems: []types.Datum{int64(1), nil, int64(3)}},
			"00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003"},
		{ty(types.Int8Array), &types.Array{}, "000000000000000000000014"},
		{ty(types.TextArray), &types.Array{Elems: []types.Datum{"a", "b c"}},
			"0000000100000000000000190000000200000001000000016100000003622063"},
		{ty(types.Int2Array), &types.Array{Elems: []types.Datum{int64(2)}},
			"0000000100000000000000150000000100000001000000020002"},
	}
	for _, tc := range cases {
		raw, err := c.appendBinary(nil, tc.typ, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := hexString(raw); got != tc.want {
			t.Errorf("%s %s: got %s, want %s", tc.typ.Name(), types.FormatText(tc.typ, tc.in), got, tc.want)
		}
	}
	if _, err := c.appendBinary(nil, ty(types.Int2Array), &types.Array{Elems: []types.Datum{int64(1 << 20)}}); err == nil {
		t.Error("an int2 element out of range was sent")
	}
}

func hexString(b []byte) string {
	var sb strings.Builder
	for _, x := range b {
		sb.WriteString(hex2(x))
	}
	return sb.String()
}

// TestBinaryArrayParams decodes array parameters: what appendBinary sends
// reads back, and malformed input gets an error, never a panic.
func TestBinaryArrayParams(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	ty := func(id types.ID) types.T { return types.T{ID: id, Mod: -1} }
	for _, tc := range []struct {
		typ types.T
		in  *types.Array
	}{
		{ty(types.Int4Array), &types.Array{Elems: []types.Datum{int64(1), nil, int64(-3)}}},
		{ty(types.TextArray), &types.Array{Elems: []types.Datum{"a", "", "b c"}}},
		{ty(types.Int8Array), &types.Array{}},
		{ty(types.Int4Array), types.NewArray([]types.Datum{int64(1), int64(2), nil, int64(4)}, []int{2, 2}, nil)},
		{ty(types.TextArray), types.NewArray([]types.Datum{"x", "y"}, []int{2}, []int{0})},
		{ty(types.Int4Array), types.NewArray([]types.Datum{int64(7), int64(8)}, []int{1, 2, 1}, []int{-3, 5, 1})},
	} {
		raw, err := c.appendBinary(nil, tc.typ, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.decodeBinaryParam(tc.typ, raw, 1)
		if err != nil {
			t.Fatalf("%s: %v", tc.typ.Name(), err)
		}
		if got, want := types.FormatText(tc.typ, out), types.FormatText(tc.typ, tc.in); got != want {
			t.Errorf("%s: round trip %s -> %s", tc.typ.Name(), want, got)
		}
	}
	hex := func(s string) []byte {
		b := make([]byte, len(s)/2)
		for i := range b {
			v, _ := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
			b[i] = byte(v)
		}
		return b
	}
	for _, tc := range []struct {
		name, raw, code string
	}{
		{"truncated header", "00000001", "22P03"},
		{"element type", "000000010000000000000019" + "0000000100000001" + "0000000161", "42804"},
		{"two dimensions, no data", "000000020000000000000017" + "0000000100000001" + "0000000100000001", "22P03"},
		{"seven dimensions", "000000070000000000000017" + strings.Repeat("0000000100000001", 7) + "0000000400000001", "22P03"},
		{"upper bound past int4", "000000010000000000000017" + "000000027fffffff" + "00000004000000010000000400000001", "54000"},
		{"count past the data", "000000010000000000000017" + "7fffffff00000001", "22P03"},
		{"element past the data", "000000010000000000000017" + "0000000100000001" + "0000000800000001", "22P03"},
		{"trailing bytes", "000000010000000000000017" + "0000000100000001" + "000000040000000100", "22P03"},
		{"bad element", "000000010000000000000017" + "0000000100000001" + "00000002aaaa", "22P03"},
	} {
		_, err := c.decodeBinaryParam(ty(types.Int4Array), hex(tc.raw), 1)
		if got := pgerr.Code(err); got != tc.code {
			t.Errorf("%s: got %v (%s), want %s", tc.name, err, got, tc.code)
		}
	}
}

// TestBinaryComposite sends a composite value in record_send's form, a
// stored value (no shape of its own) included, and reads it back as a
// parameter; a field count or field type other than the type's is
// refused.
func TestBinaryComposite(t *testing.T) {
	c := &conn{types: pgtype.NewMap()}
	shape := &types.RecordShape{Names: []string{"a", "b"}, Types: []types.T{{ID: types.Int4, Mod: -1}, {ID: types.Text, Mod: -1}}, OID: 16600, TypeName: "ct"}
	ct := types.T{ID: types.Record, Mod: -1, Shape: shape}
	stored := &types.RecordValue{Fields: []types.Datum{int64(7)}} // stored before b was added
	raw, err := c.appendBinary(nil, ct, stored)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.decodeBinaryParam(ct, raw, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := types.FormatText(ct, out); got != "(7,)" {
		t.Errorf("round trip gave %s", got)
	}
	full, _ := c.appendBinary(nil, ct, &types.RecordValue{Fields: []types.Datum{int64(1), "x y"}})
	if out, err = c.decodeBinaryParam(ct, full, 1); err != nil || types.FormatText(ct, out) != `(1,"x y")` {
		t.Errorf("round trip gave %v %v", out, err)
	}
	short := append([]byte{0, 0, 0, 1}, full[4:]...)
	if _, err := c.decodeBinaryParam(ct, short, 1); pgerr.Code(err) != pgerr.DatatypeMismatch {
		t.Errorf("wrong field count: %v", err)
	}
	wrongType := append([]byte(nil), full...)
	wrongType[7] = byte(types.Int8)
	if _, err := c.decodeBinaryParam(ct, wrongType, 1); pgerr.Code(err) != pgerr.DatatypeMismatch {
		t.Errorf("wrong field type: %v", err)
	}
	if _, err := c.decodeBinaryParam(ct, full[:len(full)-1], 1); pgerr.Code(err) != "22P03" {
		t.Errorf("truncated value: %v", err)
	}
}

// TestSendCommandCompleteBytes checks that CommandComplete appended
// straight into the output buffer is pgproto3's encoding of it.
func TestSendCommandCompleteBytes(t *testing.T) {
	for _, tag := range []string{"SELECT 1", "", "INSERT 0 1000000", "UPDATE 0"} {
		want, err := (&pgproto3.CommandComplete{CommandTag: []byte(tag)}).Encode([]byte("prefix"))
		if err != nil {
			t.Fatal(err)
		}
		c := &conn{wbuf: []byte("prefix")}
		c.sendCommandComplete(tag)
		if !bytes.Equal(c.wbuf, want) {
			t.Errorf("%q: got %x, want %x", tag, c.wbuf, want)
		}
	}
}
