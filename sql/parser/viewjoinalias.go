package parser

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// A join written with a column alias list, (t1 CROSS JOIN t2) j(a, b, c),
// names the join's columns by position. PostgreSQL binds a view once, so
// a column added to (or dropped from) t1 later does not shift the aliases
// onto other columns: the join gets one more (or one fewer) column, which
// pg_get_viewdef lists under its own name made unique. cairn stores the
// view's text, so ExtendJoinAliases and DropJoinAlias rewrite the alias
// list to keep each alias on the column it named.
//
// Only joins whose column list cairn can count are rewritten: their
// inputs are tables, views and joins without USING or NATURAL (which
// merge columns). Another join is left as written.

// RelationWidth returns the number of columns of the relation a view's
// query names, or false when it is not a relation it knows.
type RelationWidth func(name string) (int, bool)

// joinSlot is one column of a join's output: the column at index col of
// the range variable rv.
type joinSlot struct {
	rv  *pg.RangeVar
	col int
}

// joinColumns lists the columns node yields, in order; ok is false for an
// input whose columns it cannot count. changedWidth is the width of the
// relation isTable recognizes, as it was before the change.
func joinColumns(node *pg.Node, isTable func(string) bool, width RelationWidth, changedWidth int, ctes map[string]bool, depth int) ([]joinSlot, bool) {
	if node == nil || depth > ExprDepthMax {
		return nil, false
	}
	switch {
	case node.GetRangeVar() != nil:
		rv := node.GetRangeVar()
		if rv.Schemaname == "" && ctes[rv.Relname] {
			return nil, false
		}
		n := changedWidth
		if !isTable(rangeVarName(rv)) {
			var ok bool
			if n, ok = width(rangeVarName(rv)); !ok {
				return nil, false
			}
		}
		if rv.Alias != nil && len(rv.Alias.Colnames) > n {
			return nil, false
		}
		out := make([]joinSlot, n)
		for i := range out {
			out[i] = joinSlot{rv: rv, col: i}
		}
		return out, true
	case node.GetJoinExpr() != nil:
		j := node.GetJoinExpr()
		if j.IsNatural || len(j.UsingClause) > 0 {
			return nil, false
		}
		l, ok := joinColumns(j.Larg, isTable, width, changedWidth, ctes, depth+1)
		if !ok {
			return nil, false
		}
		r, ok := joinColumns(j.Rarg, isTable, width, changedWidth, ctes, depth+1)
		if !ok {
			return nil, false
		}
		return append(l, r...), true
	}
	return nil, false
}

// aliasedJoins returns the joins of the stored query that have a column
// alias list.
func aliasedJoins(tree *pg.ParseResult) []*pg.JoinExpr {
	var out []*pg.JoinExpr
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		if j, ok := m.Interface().(*pg.JoinExpr); ok && j.Alias != nil && len(j.Alias.Colnames) > 0 {
			out = append(out, j)
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			case fd.Message() != nil && !fd.IsMap():
				walk(v.Message())
			}
			return true
		})
	}
	for _, s := range tree.Stmts {
		walk(s.ProtoReflect())
	}
	return out
}

// ExtendJoinAliases rewrites a view's stored query for a column added
// to the relation isTable recognizes, which had n columns before: a join
// with a column alias list that reaches past where the new column falls
// gets an alias for it there, the column's name made unique among the
// list, so that the aliases after it keep naming the columns they named.
func ExtendJoinAliases(text string, isTable func(string) bool, width RelationWidth, n int, name string) (out string, changed, ok bool) {
	return rewriteJoinAliases(text, isTable, width, n, func(j *pg.JoinExpr, slots []joinSlot) bool {
		aliases := j.Alias.Colnames
		did := false
		// From the right, so that an insertion does not move the
		// positions still to visit.
		for i := len(slots) - 1; i >= 0; i-- {
			s := slots[i]
			if !isTable(rangeVarName(s.rv)) || s.col != n-1 {
				continue
			}
			at := i + 1
			if at >= len(aliases) {
				continue
			}
			taken := make(map[string]bool, len(aliases))
			for _, a := range aliases {
				taken[str(a)] = true
			}
			aliases = slices.Insert(aliases, at, pg.MakeStrNode(uniqueName(name, taken)))
			did = true
		}
		j.Alias.Colnames = aliases
		return did
	})
}

// DropJoinAlias rewrites a view's stored query for the drop of the
// column at index col of the relation isTable recognizes, which had n
// columns: a join with a column alias list naming that column loses the
// alias.
func DropJoinAlias(text string, isTable func(string) bool, width RelationWidth, n, col int) (out string, changed, ok bool) {
	return rewriteJoinAliases(text, isTable, width, n, func(j *pg.JoinExpr, slots []joinSlot) bool {
		aliases := j.Alias.Colnames
		did := false
		for i := len(slots) - 1; i >= 0; i-- {
			s := slots[i]
			if !isTable(rangeVarName(s.rv)) || s.col != col || i >= len(aliases) {
				continue
			}
			aliases = slices.Delete(aliases, i, i+1)
			did = true
		}
		j.Alias.Colnames = aliases
		return did
	})
}

// rewriteJoinAliases applies edit to each aliased join of the stored
// query whose columns it can count, and deparses the query when any
// changed.
func rewriteJoinAliases(text string, isTable func(string) bool, width RelationWidth, n int, edit func(*pg.JoinExpr, []joinSlot) bool) (string, bool, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false, false
	}
	ctes := collectViewNodes(tree).ctes
	joins := aliasedJoins(tree)
	// Count every join's columns before any alias list changes.
	slots := make([][]joinSlot, len(joins))
	counted := make([]bool, len(joins))
	for i, j := range joins {
		slots[i], counted[i] = joinColumns(&pg.Node{Node: &pg.Node_JoinExpr{JoinExpr: j}}, isTable, width, n, ctes, 0)
	}
	changed := false
	for i, j := range joins {
		if counted[i] && edit(j, slots[i]) {
			changed = true
		}
	}
	if !changed {
		return text, false, true
	}
	out, err := Deparse(tree)
	if err != nil {
		return "", false, false
	}
	return out, true, true
}
