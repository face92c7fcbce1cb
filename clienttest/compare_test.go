package clienttest

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
)

// servers starts PostgreSQL 15 and cairn, each on a fresh data directory,
// and returns their connection URLs by name.
func servers(t *testing.T) map[string]string {
	t.Helper()
	pg := pgtest.Start(t)
	return map[string]string{"PostgreSQL": pg.URL(), "cairn": startCairn(t)}
}

// compareLines fails t with every line where cairn's transcript differs
// from PostgreSQL's.
func compareLines(t *testing.T, pg, cairn string) {
	t.Helper()
	if testing.Verbose() {
		t.Logf("PostgreSQL's transcript:\n%s", pg)
	}
	want, got := strings.Split(pg, "\n"), strings.Split(cairn, "\n")
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("line %d:\n  cairn:      %s\n  PostgreSQL: %s", i+1, g, w)
		}
	}
}
