package sql

import (
	"context"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestParseStatementTimeout: statement_timeout covers parsing; a long
// string of statements stops between its chunks with PostgreSQL's message.
func TestParseStatementTimeout(t *testing.T) {
	e := newTestEngine(t)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustRun(t, s, "SET statement_timeout = '1ms'")
	// Over 60 chunks; each takes far longer than 1 ms to parse.
	_, err = s.PrepareAll(context.Background(), strings.Repeat("SELECT 1;", 500_000))
	pe := pgerr.Find(err)
	if pe == nil || pe.Code != pgerr.QueryCanceled || pe.Message != "canceling statement due to statement timeout" {
		t.Fatalf("parsing past statement_timeout: %v, want 57014 canceling statement due to statement timeout", err)
	}
}
