package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cairndb/cairn/sql/types"
)

// ViewTable is what rendering a view's query needs of a relation the
// query reads: its name and its columns.
type ViewTable struct {
	Name    string
	Columns []ViewColumn
	// Schema, when set, qualifies the name in FROM: the search path does
	// not find the relation unqualified.
	Schema string
}

// ViewColumn is one column of a ViewTable.
type ViewColumn struct {
	Name string
	Type types.T
}

// column is the index of the column named name, or -1.
func (t *ViewTable) column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// viewdefItem is one table of a view's FROM list: the name its columns
// are qualified with and the table.
type viewdefItem struct {
	qual string
	desc *ViewTable
}

// DeparseView renders a view's query as PostgreSQL 15's
// pg_get_viewdef(view, pretty) prints it: one target per line, every
// column qualified by its table, constants typed; without pretty, with
// every expression and join parenthesized, as pg_dump receives it. It
// reads the SQL text cairn stores, with table finding the descriptors of
// the tables it names and cols the view's column names. ok is false for a query outside what it
// renders (set operations other than a UNION [ALL] of two plain queries
// of the same column types, WITH, subqueries, DISTINCT, window functions,
// functions in FROM); the caller then shows the stored text.
func DeparseView(text string, cols []string, table func(name string) *ViewTable, pretty bool) (string, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil {
		return "", false
	}
	if sel.Op == pg.SetOperation_SETOP_UNION {
		return deparseUnion(sel, cols, table, pretty)
	}
	s, _, ok := deparseSelect(sel, cols, table, pretty)
	if !ok {
		return "", false
	}
	return s + ";", true
}

// deparseUnion renders a UNION [ALL] of two plain queries whose columns
// have the same types, each branch naming its columns as the view does,
// as PostgreSQL prints it.
func deparseUnion(sel *pg.SelectStmt, cols []string, table func(name string) *ViewTable, pretty bool) (string, bool) {
	if sel.Larg == nil || sel.Rarg == nil || sel.Larg.Op != pg.SetOperation_SETOP_NONE || sel.Rarg.Op != pg.SetOperation_SETOP_NONE ||
		sel.WithClause != nil || len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil || len(sel.LockingClause) > 0 {
		return "", false
	}
	l, lt, ok := deparseSelect(sel.Larg, cols, table, pretty)
	if !ok {
		return "", false
	}
	r, rt, ok := deparseSelect(sel.Rarg, cols, table, pretty)
	if !ok {
		return "", false
	}
	for i := range lt {
		if lt[i].ID == types.Unknown || types.Base(lt[i]).ID != types.Base(rt[i]).ID {
			return "", false // PostgreSQL would show the conversions
		}
	}
	op := "\nUNION\n"
	if sel.All {
		op = "\nUNION ALL\n"
	}
	return l + op + r + ";", true
}

// deparseSelect renders a plain query (no set operation) without the
// final semicolon, and returns its columns' types.
func deparseSelect(sel *pg.SelectStmt, cols []string, table func(name string) *ViewTable, pretty bool) (string, []types.T, bool) {
	if sel.Op != pg.SetOperation_SETOP_NONE || sel.WithClause != nil || len(sel.DistinctClause) > 0 ||
		len(sel.WindowClause) > 0 || len(sel.LockingClause) > 0 || len(sel.ValuesLists) > 0 || sel.IntoClause != nil ||
		sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return "", nil, false
	}
	var items []viewdefItem
	var from []string
	for _, n := range sel.FromClause {
		s, ok := viewdefFrom(n, table, &items, !pretty)
		if !ok {
			return "", nil, false
		}
		from = append(from, s)
	}
	dp := &deparser{full: !pretty}
	dp.col = func(ref *pg.ColumnRef) (deparsed, bool) { return viewdefColumn(ref, items) }

	// The targets, * expanded, each named as the view's column is.
	var targets []string
	var exprs []deparsed
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil {
			return "", nil, false
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			qual := ""
			if len(cr.Fields) == 2 {
				qual = str(cr.Fields[0])
			}
			for _, it := range items {
				if qual != "" && it.qual != qual {
					continue
				}
				for _, c := range it.desc.Columns {
					d := deparsed{sql: QuoteIdent(it.qual) + "." + QuoteIdent(c.Name), t: c.Type}
					exprs = append(exprs, d)
					targets = append(targets, d.sql+viewdefAlias(c.Name, cols, len(targets)))
				}
			}
			continue
		}
		d, ok := dp.node(rt.Val, 0)
		if !ok {
			return "", nil, false
		}
		if d.lit != nil {
			s, err := constSQL(*d.lit, types.New(types.Text))
			if err != nil {
				return "", nil, false
			}
			d = deparsed{sql: s, t: types.New(types.Text)}
		}
		exprs = append(exprs, d)
		name := ""
		if rt.Val.GetColumnRef() != nil {
			f := rt.Val.GetColumnRef().Fields
			name = str(f[len(f)-1])
		}
		targets = append(targets, d.sql+viewdefAlias(name, cols, len(targets)))
	}
	if len(targets) != len(cols) {
		return "", nil, false
	}

	var b strings.Builder
	b.WriteString(" SELECT " + strings.Join(targets, ",\n    "))
	if len(from) > 0 {
		b.WriteString("\n   FROM " + strings.Join(from, ",\n    "))
	}
	cond := func(n *pg.Node) (string, bool) {
		d, ok := dp.node(n, 0)
		if !ok || d.lit != nil {
			return "", false
		}
		return d.sql, true
	}
	if sel.WhereClause != nil {
		s, ok := cond(sel.WhereClause)
		if !ok {
			return "", nil, false
		}
		b.WriteString("\n  WHERE " + s)
	}
	// GROUP BY and ORDER BY may name an output column by position. A
	// key is printed as get_rule_sortgroupclause prints it: a column or a
	// constant bare, a function call in parentheses, and, when pretty,
	// any other expression too (without pretty it brings its own).
	key := func(n *pg.Node) (string, bool) {
		s, expr := "", n
		if c := n.GetAConst(); c != nil && c.GetIval() != nil {
			i := int(c.GetIval().Ival)
			if i < 1 || i > len(exprs) {
				return "", false
			}
			s, expr = exprs[i-1].sql, sel.TargetList[i-1].GetResTarget().GetVal()
		} else {
			var ok bool
			if s, ok = cond(n); !ok {
				return "", false
			}
		}
		switch {
		case expr.GetColumnRef() != nil, expr.GetAConst() != nil:
			return s, true
		case expr.GetFuncCall() != nil, !dp.full:
			return "(" + s + ")", true
		}
		return s, true
	}
	if len(sel.GroupClause) > 0 {
		keys := make([]string, len(sel.GroupClause))
		for i, g := range sel.GroupClause {
			s, ok := key(g)
			if !ok {
				return "", nil, false
			}
			keys[i] = s
		}
		b.WriteString("\n  GROUP BY " + strings.Join(keys, ", "))
	}
	if sel.HavingClause != nil {
		s, ok := cond(sel.HavingClause)
		if !ok {
			return "", nil, false
		}
		b.WriteString("\n HAVING " + s)
	}
	if len(sel.SortClause) > 0 {
		keys := make([]string, len(sel.SortClause))
		for i, n := range sel.SortClause {
			by := n.GetSortBy()
			if by == nil || by.SortbyDir == pg.SortByDir_SORTBY_USING {
				return "", nil, false
			}
			s, ok := key(by.Node)
			if !ok {
				return "", nil, false
			}
			desc := by.SortbyDir == pg.SortByDir_SORTBY_DESC
			if desc {
				s += " DESC"
			}
			switch {
			case by.SortbyNulls == pg.SortByNulls_SORTBY_NULLS_FIRST && !desc:
				s += " NULLS FIRST"
			case by.SortbyNulls == pg.SortByNulls_SORTBY_NULLS_LAST && desc:
				s += " NULLS LAST"
			}
			keys[i] = s
		}
		b.WriteString("\n  ORDER BY " + strings.Join(keys, ", "))
	}
	for _, lim := range []struct {
		n    *pg.Node
		word string
	}{{sel.LimitOffset, "OFFSET"}, {sel.LimitCount, "LIMIT"}} {
		if lim.n == nil {
			continue
		}
		d, ok := dp.node(lim.n, 0)
		if !ok || d.lit != nil {
			return "", nil, false
		}
		b.WriteString("\n " + lim.word + " " + d.sql)
	}
	colTypes := make([]types.T, len(exprs))
	for i, e := range exprs {
		colTypes[i] = e.t
	}
	return b.String(), colTypes, true
}

// viewdefAlias is " AS name" unless the target is a column of that name.
func viewdefAlias(name string, cols []string, i int) string {
	if i >= len(cols) || name == cols[i] {
		return ""
	}
	return " AS " + QuoteIdent(cols[i])
}

// viewdefFrom renders one FROM item, adding its tables to items; in full
// mode a join is parenthesized, and so is its condition.
func viewdefFrom(n *pg.Node, table func(string) *ViewTable, items *[]viewdefItem, full bool) (string, bool) {
	switch {
	case n.GetRangeVar() != nil:
		rv := n.GetRangeVar()
		name := rv.Relname
		if rv.Schemaname != "" && rv.Schemaname != "public" {
			name = QualifiedName(rv.Schemaname, rv.Relname)
		}
		d := table(name)
		if d == nil {
			return "", false
		}
		s := QuoteIdent(d.Name)
		if d.Schema != "" {
			s = QuoteIdent(d.Schema) + "." + s
		}
		qual := d.Name
		if rv.Alias != nil {
			if len(rv.Alias.Colnames) > 0 {
				return "", false
			}
			qual = rv.Alias.Aliasname
			s += " " + QuoteIdent(qual)
		}
		*items = append(*items, viewdefItem{qual: qual, desc: d})
		return s, true
	case n.GetJoinExpr() != nil:
		j := n.GetJoinExpr()
		if j.IsNatural || len(j.UsingClause) > 0 || j.Alias != nil {
			return "", false
		}
		kind := map[pg.JoinType]string{pg.JoinType_JOIN_INNER: "JOIN", pg.JoinType_JOIN_LEFT: "LEFT JOIN",
			pg.JoinType_JOIN_RIGHT: "RIGHT JOIN", pg.JoinType_JOIN_FULL: "FULL JOIN"}[j.Jointype]
		if kind == "" {
			return "", false
		}
		l, ok := viewdefFrom(j.Larg, table, items, full)
		if !ok {
			return "", false
		}
		r, ok := viewdefFrom(j.Rarg, table, items, full)
		if !ok {
			return "", false
		}
		open, close := "", ""
		if full {
			open, close = "(", ")"
		}
		if j.Quals == nil {
			return open + l + "\n     CROSS JOIN " + r + close, kind == "JOIN"
		}
		dp := &deparser{full: full}
		dp.col = func(ref *pg.ColumnRef) (deparsed, bool) { return viewdefColumn(ref, *items) }
		q, ok := dp.node(j.Quals, 0)
		if !ok || q.lit != nil {
			return "", false
		}
		return open + l + "\n     " + kind + " " + r + " ON " + open + q.sql + close + close, true
	}
	return "", false
}

// viewdefColumn resolves a column reference of a view's query to its
// qualified name and type.
func viewdefColumn(ref *pg.ColumnRef, items []viewdefItem) (deparsed, bool) {
	qual, name := "", ""
	switch len(ref.Fields) {
	case 1:
		name = str(ref.Fields[0])
	case 2:
		qual, name = str(ref.Fields[0]), str(ref.Fields[1])
	default:
		return deparsed{}, false
	}
	var found *deparsed
	for _, it := range items {
		if qual != "" && it.qual != qual {
			continue
		}
		i := it.desc.column(name)
		if i < 0 {
			continue
		}
		if found != nil {
			return deparsed{}, false // ambiguous: the view could not have been made
		}
		found = &deparsed{sql: QuoteIdent(it.qual) + "." + QuoteIdent(name), t: it.desc.Columns[i].Type}
	}
	if found == nil {
		return deparsed{}, false
	}
	return *found, true
}

// QualifyRelations returns the stored query text with every relation it
// names without a schema, and that isRelation recognizes, written as
// schema.name, and whether it could: what pg_get_viewdef prints for a
// query DeparseView does not render, when the search path would not find
// the relations unqualified. Names of WITH queries are left alone.
func QualifyRelations(text, schema string, isRelation func(name string) bool) (string, bool) {
	return QualifyRelationsBy(text, func(name string) string {
		if isRelation(name) {
			return schema
		}
		return ""
	})
}

// QualifyRelationsBy returns the stored query text with every relation it
// names without a schema written as schemaOf(name).name, or left bare
// when schemaOf returns "", and whether it could. Names of WITH queries
// are left alone. The text is deparsed only when a name was qualified.
func QualifyRelationsBy(text string, schemaOf func(name string) string) (string, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	ctes := make(map[string]bool)
	var rangeVars []*pg.RangeVar
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg.RangeVar:
			rangeVars = append(rangeVars, x)
		case *pg.CommonTableExpr:
			ctes[x.Ctename] = true
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.Kind() != protoreflect.MessageKind, fd.IsMap():
			case fd.IsList():
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			default:
				walk(v.Message())
			}
			return true
		})
	}
	walk(tree.ProtoReflect())
	changed := false
	for _, rv := range rangeVars {
		if rv.Schemaname == "" && !ctes[rv.Relname] {
			if s := schemaOf(rv.Relname); s != "" {
				rv.Schemaname, changed = s, true
			}
		}
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
