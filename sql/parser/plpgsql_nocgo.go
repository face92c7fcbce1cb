//go:build !cgo

package parser

import (
	"errors"

	wasmparser "github.com/wasilibs/go-pgquery/parser"
)

// parsePLpgSQLC returns the parser's JSON, or the message and context of
// the compile error it reported.
func parsePLpgSQLC(text string) (out, msg, context string, err error) {
	defer trapped(&err)
	out, err = wasmparser.ParsePlPgSqlToJSON(text)
	var pe *wasmparser.Error
	if errors.As(err, &pe) {
		return "", pe.Message, pe.Context, nil
	}
	return out, "", "", err
}
