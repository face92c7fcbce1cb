package parser

// Relation is a relation a statement names: its schema as written ("" when
// bare) and its name.
type Relation struct{ Schema, Name string }

// RelationsIn returns every relation the one statement in text names, in
// subqueries, CTE bodies and DDL targets too, except bare names of its
// WITH queries; ok is false when text is not one statement that parses.
// The cluster coordinator uses it to tell which tables a statement
// touches.
func RelationsIn(text string) (rels []Relation, ok bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return nil, false
	}
	rangeVars, ctes := relationRefs(tree)
	for _, rv := range rangeVars {
		if rv.Schemaname == "" && ctes[rv.Relname] {
			continue
		}
		rels = append(rels, Relation{Schema: rv.Schemaname, Name: rv.Relname})
	}
	return rels, true
}
