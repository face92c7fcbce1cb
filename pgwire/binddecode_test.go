package pgwire

import (
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestDecodeBindLikePgproto3 checks that decodeBind accepts and refuses
// the same Bind bodies as decodeExact with pgproto3's decoder, with the
// same SQLSTATE and message and the same fields, decoding each body into
// the one Bind the bodies before it were decoded into (as a connection
// does), so that nothing of an earlier Bind is left over.
func TestDecodeBindLikePgproto3(t *testing.T) {
	var got pgproto3.Bind
	for _, body := range []string{
		// portal, statement, no formats, no parameters, no result formats
		"\x00\x00\x00\x00\x00\x00\x00\x00",
		// named statement, one binary format, two parameters, one result format
		"\x00s1\x00\x00\x01\x00\x01\x00\x02\x00\x00\x00\x04\x00\x00\x00\x07\x00\x00\x00\x01x\x00\x01\x00\x01",
		// the same again: the names and slices are reused
		"\x00s1\x00\x00\x01\x00\x01\x00\x02\x00\x00\x00\x04\x00\x00\x00\x07\x00\x00\x00\x01x\x00\x01\x00\x01",
		// a named portal, a NULL and an empty parameter, two result formats
		"p\x00s1\x00\x00\x00\x00\x02\xff\xff\xff\xff\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01",
		// one NULL parameter after the earlier ones
		"\x00s2\x00\x00\x00\x00\x01\xff\xff\xff\xff\x00\x00",
		// truncated at every field
		"",
		"\x00",
		"\x00s1",
		"\x00s1\x00",
		"\x00s1\x00\x00",
		"\x00s1\x00\x00\x02\x00\x01",
		"\x00s1\x00\x00\x00\x00\x01",
		"\x00s1\x00\x00\x00\x00\x01\x00\x00\x00\x05abc",
		"\x00s1\x00\x00\x00\x00\x01\x00\x00\x00\x01a",
		"\x00s1\x00\x00\x00\x00\x00\x00\x02\x00\x01",
		// a negative length other than -1
		"\x00s1\x00\x00\x00\x00\x01\xff\xff\xff\xfe\x00\x00",
		// bytes after the last field
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		"\x00s1\x00\x00\x00\x00\x01\x00\x00\x00\x01a\x00\x00zz",
	} {
		var want pgproto3.Bind
		wantErr := decodeExact(&want, []byte(body), "insufficient data left in message")
		err := decodeBind(&got, []byte(body))
		if (err == nil) != (wantErr == nil) {
			t.Errorf("%q: error %v, want %v", body, err, wantErr)
			continue
		}
		if err != nil {
			if pgerr.Code(err) != pgerr.Code(wantErr) || err.Error() != wantErr.Error() {
				t.Errorf("%q: error %v (%s), want %v (%s)", body, err, pgerr.Code(err), wantErr, pgerr.Code(wantErr))
			}
			continue
		}
		if got.DestinationPortal != want.DestinationPortal || got.PreparedStatement != want.PreparedStatement ||
			!slices.Equal(got.ParameterFormatCodes, want.ParameterFormatCodes) ||
			!slices.Equal(got.ResultFormatCodes, want.ResultFormatCodes) ||
			len(got.Parameters) != len(want.Parameters) {
			t.Errorf("%q: %+v, want %+v", body, got, want)
			continue
		}
		for i, p := range want.Parameters {
			if (p == nil) != (got.Parameters[i] == nil) || string(p) != string(got.Parameters[i]) {
				t.Errorf("%q: parameter %d is %q (nil %v), want %q (nil %v)", body, i+1, got.Parameters[i], got.Parameters[i] == nil, p, p == nil)
			}
		}
	}
}

// TestDecodeBindAllocations checks that binding the same statement again
// allocates nothing once the first Bind sized the slices.
func TestDecodeBindAllocations(t *testing.T) {
	body := []byte("\x00select\x00\x00\x01\x00\x01\x00\x01\x00\x00\x00\x04\x00\x00\x00\x07\x00\x01\x00\x01")
	var m pgproto3.Bind
	if err := decodeBind(&m, body); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		if err := decodeBind(&m, body); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per Bind, want 0", n)
	}
}
