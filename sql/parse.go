package sql

import (
	"context"

	"github.com/cairndb/cairn/sql/parser"
)

// parsedQuery is a query string's statements and the notices the scanner
// raised while reading it.
type parsedQuery struct {
	stmts   []parser.Statement
	notices []Notice
}

// parseQuery parses query and translates its statements, checking ctx as
// it goes (a long string of statements is parsed in chunks).
func parseQuery(ctx context.Context, query string, cfg parser.Config) (*parsedQuery, error) {
	stmts, notices, err := parser.ParseStatements(ctx, query, cfg)
	if err != nil {
		return nil, err
	}
	out := &parsedQuery{stmts: stmts}
	for _, n := range notices {
		out.notices = append(out.notices, Notice{Severity: "NOTICE", Code: n.Code, Message: n.Message})
	}
	return out, nil
}
