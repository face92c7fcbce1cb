package parser

import (
	"fmt"
	"testing"
)

func TestRelationsIn(t *testing.T) {
	for _, c := range []struct{ sql, want string }{
		{"SELECT 1", "[]"},
		{"SELECT * FROM t WHERE x IN (SELECT y FROM s.u)", "[{ t} {s u}]"},
		{"WITH w AS (SELECT * FROM a) SELECT * FROM w JOIN b ON true", "[{ b} { a}]"},
		{"INSERT INTO t SELECT * FROM pg_catalog.pg_class", "[{ t} {pg_catalog pg_class}]"},
		{"CREATE TABLE n (a int)", "[{ n}]"},
	} {
		got, ok := RelationsIn(c.sql)
		if !ok || fmt.Sprint(got) != c.want && !(c.want == "[]" && len(got) == 0) {
			t.Errorf("%s: got %v %v, want %s", c.sql, got, ok, c.want)
		}
	}
	if _, ok := RelationsIn("SELECT 1; SELECT 2"); ok {
		t.Error("two statements accepted")
	}
}
