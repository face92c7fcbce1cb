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

// funcNameText prints a function's name in a call as PostgreSQL's
// deparser does: quoted when it is a keyword that is not unreserved
// (left, right and substring are function names and keywords alike).
func funcNameText(name string) string {
	if callableKeyword[name] {
		return `"` + name + `"`
	}
	return QuoteIdent(name)
}

// callableKeyword holds PostgreSQL's column-name and type-or-function-name
// keywords: a call of a function so named prints the name quoted.
var callableKeyword = map[string]bool{
	"authorization": true, "binary": true, "collation": true, "concurrently": true, "cross": true,
	"current_schema": true, "freeze": true, "full": true, "ilike": true, "inner": true, "is": true,
	"isnull": true, "join": true, "left": true, "like": true, "natural": true, "notnull": true,
	"outer": true, "overlaps": true, "right": true, "similar": true, "tablesample": true, "verbose": true,
	"between": true, "bigint": true, "bit": true, "boolean": true, "char": true, "character": true,
	"dec": true, "decimal": true, "exists": true, "extract": true, "float": true, "grouping": true,
	"inout": true, "int": true, "integer": true, "interval": true, "national": true, "nchar": true,
	"none": true, "normalize": true, "numeric": true, "out": true, "overlay": true, "position": true,
	"precision": true, "real": true, "row": true, "setof": true, "smallint": true, "substring": true,
	"time": true, "timestamp": true, "treat": true, "trim": true, "values": true, "varchar": true,
}
