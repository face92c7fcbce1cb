package sql

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestSequenceKeyHint: nextval by oid keeps finding its sequence after a
// rename and a schema change, and does not find another sequence that
// took its old name after it was dropped.
func TestSequenceKeyHint(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE SCHEMA other`)
	mustRun(t, s, `CREATE SEQUENCE sq`)
	oid := fmt.Sprint(mustRun(t, s, `SELECT 'sq'::regclass::oid`).Rows[0][0])
	next := func() (string, error) {
		res, err := run(s, `SELECT nextval(`+oid+`::oid::regclass)`)
		if err != nil {
			return "", err
		}
		return fmt.Sprint(res.Rows[0][0]), nil
	}
	for i, step := range []struct{ ddl, want string }{
		{"", "1"},
		{"", "2"},
		{`ALTER SEQUENCE sq RENAME TO sq2`, "3"},
		{`ALTER SEQUENCE sq2 SET SCHEMA other`, "4"},
		{`ALTER SEQUENCE other.sq2 RESTART WITH 10`, "10"},
	} {
		if step.ddl != "" {
			mustRun(t, s, step.ddl)
		}
		got, err := next()
		if err != nil || got != step.want {
			t.Fatalf("%d: nextval = %s, %v; want %s", i, got, err, step.want)
		}
	}
	mustRun(t, s, `DROP SEQUENCE other.sq2`)
	mustRun(t, s, `CREATE SEQUENCE other.sq2`)
	if got, err := next(); err == nil || pgerr.Code(err) == pgerr.Code(nil) {
		t.Fatalf("nextval of a dropped sequence = %s, want an error", got)
	}
}
