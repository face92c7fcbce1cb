package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestInheritMergeNotices: CREATE TABLE ... INHERITS sends its notices of
// merged columns before an error the merge then ends in, as PostgreSQL
// does (they are not lost with the statement).
func TestInheritMergeNotices(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE p1 (d date DEFAULT now()::date + 1, a int)")
	mustRun(t, s, "CREATE TABLE p2 (d date DEFAULT now()::date - 1)")
	mustRun(t, s, "CREATE TABLE p3 (a text)")
	for _, tc := range []struct {
		stmt, notices, code string
	}{
		{"CREATE TABLE c1 () INHERITS (p1, p2)", `merging multiple inherited definitions of column "d"`, "42611"},
		{"CREATE TABLE c2 () INHERITS (p1, p3)", `merging multiple inherited definitions of column "a"`, "42804"},
		{"CREATE TABLE c3 (d date DEFAULT now()) INHERITS (p1, p2)",
			`merging multiple inherited definitions of column "d"|merging column "d" with inherited definition`, ""},
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
		if strings.Join(got, "|") != tc.notices {
			t.Errorf("%s: notices %q, want %q", tc.stmt, got, tc.notices)
		}
		if code := pgerr.Code(err); err != nil && code != tc.code || err == nil && tc.code != "" {
			t.Errorf("%s: error %v, want SQLSTATE %q", tc.stmt, err, tc.code)
		}
	}
}
