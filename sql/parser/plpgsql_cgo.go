//go:build cgo

package parser

import (
	"errors"

	pgquery "github.com/pganalyze/pg_query_go/v6/parser"
)

// parsePLpgSQLC returns the parser's JSON, or the message and context of
// the compile error it reported.
func parsePLpgSQLC(text string) (out, msg, context string, err error) {
	out, err = pgquery.ParsePlPgSqlToJSON(text)
	var pe *pgquery.Error
	if errors.As(err, &pe) {
		return "", pe.Message, pe.Context, nil
	}
	return out, "", "", err
}
