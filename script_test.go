package cairn_test

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/sql"
)

// runScript runs every statement of q in s, as a simple query does, and
// returns the last one's result.
func runScript(s *sql.Session, q string) (*sql.Result, error) {
	ctx := context.Background()
	ps, err := s.PrepareAll(ctx, q)
	if err != nil {
		return nil, err
	}
	var res *sql.Result
	for _, p := range ps {
		if res, err = s.Execute(ctx, p, nil); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// mustScript is runScript failing t on an error.
func mustScript(t *testing.T, s *sql.Session, q string) *sql.Result {
	t.Helper()
	res, err := runScript(s, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}
