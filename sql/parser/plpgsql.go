package parser

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// plpgsqlBytesMax bounds the text of a function handed to the PL/pgSQL
// parser, which runs on the calling thread's C stack: its grammar is
// bison's (a depth limit of its own), and the tree writer recurses once per
// nested statement, a few hundred bytes each.
const plpgsqlBytesMax = 1 << 20

// ParsePLpgSQL runs PostgreSQL's PL/pgSQL parser over a whole CREATE
// FUNCTION ... LANGUAGE plpgsql statement and returns pg_query's JSON
// rendering of the compiled function (package plpgsql reads it). A DO
// block's body is parsed by wrapping it in such a statement. The parser
// resolves variable names while it reads the body, so errors such as
// "\"x\" is not a known variable" come from here too; they carry SQLSTATE
// 42601 unless the message names another condition, and the line of the
// body they were found at (Line, from 1; 0 when unknown).
func ParsePLpgSQL(createFunction string) (string, error) {
	if len(createFunction) > plpgsqlBytesMax {
		return "", pgerr.New(pgerr.ProgramLimitExceeded, "PL/pgSQL function body too long (%d bytes, at most %d)", len(createFunction), plpgsqlBytesMax)
	}
	out, msg, context, err := parsePLpgSQLC(createFunction)
	if err != nil {
		return "", err
	}
	if msg != "" {
		e := &PLpgSQLError{Message: msg, Line: contextLine(context)}
		return "", e
	}
	return out, nil
}

// PLpgSQLError is a compile error of a PL/pgSQL body.
type PLpgSQLError struct {
	Message string
	// Line is the line of the body the parser was at, from 1 (0: unknown).
	Line int
}

func (e *PLpgSQLError) Error() string { return e.Message }

// SQLState is the condition PostgreSQL reports for the message.
func (e *PLpgSQLError) SQLState() string {
	switch {
	case strings.HasPrefix(e.Message, "cannot use RETURN NEXT in a non-SETOF function"),
		strings.HasPrefix(e.Message, "RETURN NEXT cannot have a parameter"),
		strings.HasPrefix(e.Message, "RETURN cannot have a parameter"),
		strings.HasPrefix(e.Message, "cannot use RETURN QUERY in a non-SETOF function"):
		return pgerr.DatatypeMismatch
	case strings.HasSuffix(e.Message, "is declared CONSTANT"):
		return "22005" // error_in_assignment
	case strings.HasPrefix(e.Message, "type ") && strings.HasSuffix(e.Message, "does not exist"):
		return pgerr.UndefinedObject
	case strings.HasPrefix(e.Message, "unrecognized exception condition"):
		return pgerr.UndefinedObject
	}
	return pgerr.SyntaxError
}

// contextLine reads the line from pg_query's "compilation of PL/pgSQL
// function "f" near line 3".
func contextLine(context string) int {
	i := strings.LastIndex(context, "near line ")
	if i < 0 {
		return 0
	}
	n := 0
	for _, c := range context[i+len("near line "):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
