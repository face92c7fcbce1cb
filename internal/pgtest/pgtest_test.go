package pgtest

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStart(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var v string
	if err := conn.QueryRow(ctx, "select version()").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, "PostgreSQL 15") {
		t.Fatalf("version() = %q, want PostgreSQL 15", v)
	}
}
