package parser

import (
	"strings"
)

// QuoteIdent is quote_ident: a name that is not a plain lower-case
// identifier is double-quoted.
func QuoteIdent(s string) string {
	plain := s != ""
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '$')) {
			plain = false
		}
	}
	if plain && !reservedKeyword[s] {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// reservedKeyword holds the keywords quote_ident quotes that a schema is
// likely to use as a column name.
var reservedKeyword = map[string]bool{
	"all": true, "and": true, "any": true, "array": true, "as": true, "asc": true, "case": true, "check": true,
	"column": true, "constraint": true, "create": true, "default": true, "desc": true, "distinct": true,
	"do": true, "else": true, "end": true, "false": true, "for": true, "foreign": true, "from": true,
	"grant": true, "group": true, "having": true, "in": true, "into": true, "is": true, "join": true,
	"limit": true, "not": true, "null": true, "offset": true, "on": true, "or": true, "order": true,
	"primary": true, "references": true, "select": true, "table": true, "then": true, "to": true,
	"true": true, "union": true, "unique": true, "user": true, "using": true, "when": true, "where": true,
	"with": true,
}
