package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"
)

// RenameRelationIn returns a stored query's text (a view's) with every
// relation it names that refers recognizes renamed to newName, and whether
// it could. PostgreSQL's views hold relations by oid and so follow a
// renamed table; cairn stores the query's text and rewrites it. A renamed
// reference without an alias is given the old name as its alias, so that
// columns qualified with that name still resolve. Names of WITH queries
// are left alone. The text is deparsed only when a name changed.
func RenameRelationIn(text string, refers func(schema, name string) bool, newName string) (string, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	rangeVars, ctes := relationRefs(tree)
	changed := false
	for _, rv := range rangeVars {
		if rv.Schemaname == "" && ctes[rv.Relname] || !refers(rv.Schemaname, rv.Relname) {
			continue
		}
		if rv.Alias == nil {
			rv.Alias = &pg.Alias{Aliasname: rv.Relname}
		}
		rv.Relname, changed = newName, true
	}
	if !changed {
		return text, true
	}
	out, err := Deparse(tree)
	if err != nil {
		return "", false
	}
	return out, true
}
