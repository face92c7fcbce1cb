package sql

import (
	"context"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestFunctionExecutePrivilege: a statement prepared while its role may
// execute a function fails with 42501 once another session revokes
// EXECUTE (the catalog change makes it bind again), and runs again once
// EXECUTE is granted back; a superuser is never refused; what a
// transaction revokes applies to itself before it commits, and to other
// sessions only after.
func TestFunctionExecutePrivilege(t *testing.T) {
	e := newTestEngine(t)
	admin := newTestSession(t, e)
	mustRun(t, admin, "create role worker login")
	worker, err := e.NewSession("worker", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(worker.Close)
	ctx := context.Background()
	p, err := worker.Prepare(ctx, "SELECT md5($1::text), abs(-4)", nil)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(s *Session) string {
		res, err := s.Execute(ctx, p, []any{"x"})
		if err != nil {
			return pgerr.Code(err) + " " + err.Error()
		}
		return rowsText(res)
	}
	if got := exec(worker); !strings.Contains(got, "9dd4e461268c8034f5c8564e155c67a6") {
		t.Fatalf("before REVOKE: %s", got)
	}
	mustRun(t, admin, "revoke execute on function md5(text) from public")
	if got := exec(worker); got != "42501 permission denied for function md5" {
		t.Errorf("after REVOKE: %s", got)
	}
	if got := outcome(admin, "select md5('x')"); !strings.Contains(got, "9dd4e461") {
		t.Errorf("superuser after REVOKE: %s", got)
	}
	mustRun(t, admin, "grant execute on function md5(text) to worker")
	if got := exec(worker); !strings.Contains(got, "9dd4e461") {
		t.Errorf("after GRANT: %s", got)
	}
	mustRun(t, admin, "begin")
	mustRun(t, admin, "revoke execute on function abs(integer) from public")
	mustRun(t, admin, "savepoint s; set local role worker")
	if got := outcome(admin, "select abs(-1)"); !strings.Contains(got, "42501") {
		t.Errorf("inside the revoking transaction: %s", got)
	}
	mustRun(t, admin, "rollback to s")
	if got := outcome(worker, "select abs(-1)"); strings.Contains(got, "42501") {
		t.Errorf("another session before the commit: %s", got)
	}
	mustRun(t, admin, "commit")
	if got := outcome(worker, "select abs(-1)"); !strings.Contains(got, "42501") {
		t.Errorf("another session after the commit: %s", got)
	}
}
