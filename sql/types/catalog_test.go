package types

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestCatalogTypeText checks the input and output of oid, name and
// "char" against PostgreSQL 15's.
func TestCatalogTypeText(t *testing.T) {
	for _, tc := range []struct {
		t        ID
		in, want string // want "ERROR code: message" for an error
	}{
		{OID, "16404", "16404"},
		{OID, " 7 ", "7"},
		{OID, "-1", "4294967295"},
		{OID, "4294967295", "4294967295"},
		{OID, "-2147483648", "2147483648"},
		{OID, "4294967296", `ERROR 22003: value "4294967296" is out of range for type oid`},
		{OID, "99999999999999999999", `ERROR 22003: value "99999999999999999999" is out of range for type oid`},
		{OID, "abc", `ERROR 22P02: invalid input syntax for type oid: "abc"`},
		{Char, "abc", "a"},
		{Char, "", ""},
		{Char, "é", `\303`},
		{Char, `\303`, `\303`},
		{SysName, "orders", "orders"},
		{SysName, strings.Repeat("x", 70), strings.Repeat("x", 63)},
		{SysName, strings.Repeat("x", 62) + "é", strings.Repeat("x", 62)},
		{OIDArray, "{1,-1,NULL}", "{1,4294967295,NULL}"},
		{CharArray, "{r,v,\"\"}", `{r,v,""}`},
	} {
		ty := New(tc.t)
		d, err := ParseText(ty, tc.in)
		got := ""
		if err != nil {
			got = "ERROR " + pgerr.Code(err) + ": " + err.Error()
		} else {
			got = FormatText(ty, d)
		}
		if got != tc.want {
			t.Errorf("%s %q: got %q, want %q", ty.Name(), tc.in, got, tc.want)
		}
	}
}
