package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestTempViewNotice: a view reading a temporary table is made temporary
// with a NOTICE, which PostgreSQL sends even when the view's schema then
// refuses a temporary relation (the notice precedes the 42P16 error).
func TestTempViewNotice(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE SCHEMA perm")
	mustRun(t, s, "CREATE TEMP TABLE tt (a int)")
	for _, tc := range []struct {
		stmt, notice, code string
	}{
		{"CREATE VIEW v1 AS SELECT * FROM tt", `view "v1" will be a temporary view`, ""},
		{"CREATE VIEW perm.v2 AS SELECT * FROM tt", `view "v2" will be a temporary view`, "42P16"},
		{"CREATE TEMP VIEW v3 AS SELECT * FROM tt", "", ""},
	} {
		res, err := run(s, tc.stmt)
		notices := ErrorNotices(err)
		if res != nil {
			notices = res.Notices
		}
		var got []string
		for _, n := range notices {
			got = append(got, n.Message)
		}
		if strings.Join(got, "|") != tc.notice {
			t.Errorf("%s: notices %q, want %q", tc.stmt, got, tc.notice)
		}
		if code := pgerr.Code(err); err != nil && code != tc.code || err == nil && tc.code != "" {
			t.Errorf("%s: error %v, want SQLSTATE %q", tc.stmt, err, tc.code)
		}
	}
}
