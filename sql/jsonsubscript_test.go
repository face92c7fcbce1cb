package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// A jsonb subscript is a key or an index, never a slice: PostgreSQL 15
// refuses slices with 42804 while binding.
func TestJSONBSubscriptSlice(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		`SELECT ('{"a": 1}'::jsonb)['a':'b']`,
		`SELECT ('[1, "2", null]'::jsonb)[1:2]`,
		`SELECT ('[1, "2", null]'::jsonb)[:]`,
		`SELECT ('[1, "2", null]'::jsonb)[1:][1]`,
	} {
		if _, err := run(s, q); pgerr.Code(err) != pgerr.DatatypeMismatch {
			t.Errorf("%s: %v, want 42804", q, err)
		}
	}
	mustRun(t, s, `SELECT ('[1, "2", null]'::jsonb)[1]`)
}
