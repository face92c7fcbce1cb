package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestParseACLItem: aclitem's input as PostgreSQL 15's aclitemin reads
// it, and its canonical output.
func TestParseACLItem(t *testing.T) {
	for _, tc := range []struct {
		in, want, code string
		noGrantor      bool
	}{
		{in: "alice=r/postgres", want: "alice=r/postgres"},
		{in: "alice=wr*/postgres", want: "alice=r*w/postgres"},
		{in: "=U/postgres", want: "=U/postgres"},
		{in: " alice =arwdDxt / bob ", want: "alice=arwdDxt/bob"},
		{in: "alice= r/bob", code: pgerr.InvalidTextRepresentation},
		{in: `"a b"=C*T/"x""y"`, want: `"a b"=C*T/"x""y"`},
		{in: "group staff=r/postgres", want: "staff=r/postgres"},
		{in: "alice=r", want: "alice=r/postgres", noGrantor: true},
		{in: "alice=", want: "alice=/postgres", noGrantor: true},
		{in: "alice=sA/postgres", want: "alice=sA/postgres"},
		{in: "alice=z/postgres", code: pgerr.InvalidTextRepresentation},
		{in: "alice=r,w/postgres", code: pgerr.InvalidTextRepresentation},
		{in: "alice=r/postgres x", code: pgerr.InvalidTextRepresentation},
		{in: "alice r/postgres", code: pgerr.InvalidTextRepresentation},
		{in: "alice=r/", code: pgerr.InvalidTextRepresentation},
		{in: `"alice=r/postgres`, code: pgerr.InvalidTextRepresentation},
		{in: "", code: pgerr.InvalidTextRepresentation},
	} {
		it, err := ParseACLItem(tc.in)
		if tc.code != "" {
			if pgerr.Code(err) != tc.code {
				t.Errorf("%q: got %v, want %s", tc.in, err, tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := it.String(); got != tc.want || it.NoGrantor != tc.noGrantor {
			t.Errorf("%q: got %s (no grantor %v), want %s (%v)", tc.in, got, it.NoGrantor, tc.want, tc.noGrantor)
		}
	}
}
