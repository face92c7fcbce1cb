package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestCatalogTypeText checks the input and output of oid, name and
// "char" against PostgreSQL 15's.
func TestCatalogTypeText(t *testing.T) {
	for _, tc := range []struct {
		t        TypeID
		in, want string // want "ERROR code: message" for an error
	}{
		{TypeOID, "16404", "16404"},
		{TypeOID, " 7 ", "7"},
		{TypeOID, "-1", "4294967295"},
		{TypeOID, "4294967295", "4294967295"},
		{TypeOID, "-2147483648", "2147483648"},
		{TypeOID, "4294967296", `ERROR 22003: value "4294967296" is out of range for type oid`},
		{TypeOID, "99999999999999999999", `ERROR 22003: value "99999999999999999999" is out of range for type oid`},
		{TypeOID, "abc", `ERROR 22P02: invalid input syntax for type oid: "abc"`},
		{TypeChar, "abc", "a"},
		{TypeChar, "", ""},
		{TypeChar, "é", `\303`},
		{TypeChar, `\303`, `\303`},
		{TypeSysName, "orders", "orders"},
		{TypeSysName, strings.Repeat("x", 70), strings.Repeat("x", 63)},
		{TypeSysName, strings.Repeat("x", 62) + "é", strings.Repeat("x", 62)},
		{TypeOIDArray, "{1,-1,NULL}", "{1,4294967295,NULL}"},
		{TypeCharArray, "{r,v,\"\"}", `{r,v,""}`},
	} {
		ty := typ(tc.t)
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
