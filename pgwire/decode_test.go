package pgwire

import (
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestDecodeExecuteLikePgproto3 checks that decodeExecute accepts and
// refuses the same Execute bodies as decodeExact with pgproto3's decoder,
// with the same SQLSTATE and message.
func TestDecodeExecuteLikePgproto3(t *testing.T) {
	for _, body := range []string{
		"\x00\x00\x00\x00\x00",
		"p1\x00\x00\x00\x00\x0a",
		"\x00\x00\x00\x00",
		"\x00\x00\x00\x00\x00\x00",
		"p1\x00\x00\x00\x00\x0a\x00",
		"p1",
		"",
		"\x00",
		"p\x00\x00\x00\x01",
		"p\x00\xff\xff\xff\xff",
	} {
		var want pgproto3.Execute
		wantErr := decodeExact(&want, []byte(body), "invalid message format")
		got, err := decodeExecute([]byte(body))
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
		if got != want {
			t.Errorf("%q: %+v, want %+v", body, got, want)
		}
	}
}
