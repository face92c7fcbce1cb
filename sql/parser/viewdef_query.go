package parser

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/types"
)

// This file prints a view's query as PostgreSQL 15's pg_get_viewdef does
// (ruleutils.c: get_query_def and what it calls). The query is read from
// the SQL text cairn stores and resolved against the catalog as it is now
// (table returns a relation's current columns), so that every column
// reference prints qualified by the FROM item that supplies it, * prints
// expanded, a NATURAL join prints as the USING join it is, and the layout
// (line breaks, indentation, parentheses) follows PostgreSQL's pretty
// printer: both of pg_get_viewdef's forms indent; without pretty, every
// join and operator expression is also parenthesized.

// Indentation steps of ruleutils.c.
const (
	vdIndentStd  = 8 // PRETTYINDENT_STD
	vdIndentJoin = 4 // PRETTYINDENT_JOIN
	vdIndentVar  = 4 // PRETTYINDENT_VAR
)

// vdCol is a column a query level can name: the name a reference finds
// it by, its type, and how a reference to it prints.
type vdCol struct {
	name string
	t    types.T
	sql  string
	// print is the name as printed, when it differs from name: a column
	// renamed apart from a USING column of the same name.
	print string
	// qualifiedOnly marks a side's own copy of a JOIN ... USING column:
	// named only through its table.
	qualifiedOnly bool
}

// vdItem is a name that qualifies columns in a query level: a table, a
// subquery, a join alias or a USING alias.
type vdItem struct {
	qual string
	cols []vdCol
}

// vdScope is the FROM clause of one query level as references see it.
type vdScope struct {
	items []vdItem
	// star is what * expands to, which is also what a bare column name
	// finds.
	star   []vdCol
	parent *vdScope
}

// resolve finds the column ref names, in this level or an enclosing one.
func (sc *vdScope) resolve(ref *pg.ColumnRef) (deparsed, bool) {
	c := sc.lookup(ref)
	if c == nil {
		return deparsed{}, false
	}
	return deparsed{sql: c.sql, t: c.t}, true
}

// printName is the name a column prints as.
func (c *vdCol) printName() string {
	if c.print != "" {
		return c.print
	}
	return c.name
}

// lookup finds the column ref names, or nil.
func (sc *vdScope) lookup(ref *pg.ColumnRef) *vdCol {
	qual, name := "", ""
	switch len(ref.Fields) {
	case 1:
		name = str(ref.Fields[0])
	case 2:
		qual, name = str(ref.Fields[0]), str(ref.Fields[1])
	default:
		return nil
	}
	for cur := sc; cur != nil; cur = cur.parent {
		var found *vdCol
		if qual == "" {
			for i := range cur.star {
				if cur.star[i].name == name {
					if found != nil {
						return nil // ambiguous: the view could not have been made
					}
					found = &cur.star[i]
				}
			}
		} else {
			for _, it := range cur.items {
				if it.qual != qual {
					continue
				}
				for i := range it.cols {
					if it.cols[i].name == name {
						if found != nil {
							return nil
						}
						found = &it.cols[i]
					}
				}
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}

// vdPrinter prints one query level into buf, tracking the indentation
// as ruleutils.c's deparse_context does.
type vdPrinter struct {
	buf    *strings.Builder
	indent int
	pretty bool
	table  func(name string) *ViewTable
	depth  int
	// canonical prints the text a view stores (CanonicalView).
	canonical bool
	// The names of this query level's JOIN ... USING columns, as
	// set_using_names chooses them: a USING column of a join without
	// alias prints bare, so its name must differ from every other
	// column's in the level; the columns it merges are printed by it.
	usingGlobal map[string]bool
	usingNames  map[*pg.JoinExpr][]string
	pushed      map[any]map[string]string // RangeVar or JoinExpr -> column -> name
	// ctes is the WITH queries in scope; outer the reference names the
	// enclosing levels use, refnames this level's (set_rtable_names).
	ctes     *vdCTEs
	outer    map[string]bool
	refnames map[any]string
	// fallbackHidden is colNamesVisible false: this level is a set
	// operation's branch right of the operator.
	fallbackHidden bool
}

// keyword is appendContextKeyword: a line break and indentation before
// s, the indentation level moved by before and after.
func (p *vdPrinter) keyword(s string, before, after, plus int) {
	p.indent += before
	cur := p.buf.String()
	trimmed := strings.TrimRight(cur, " ")
	if len(trimmed) != len(cur) {
		p.buf.Reset()
		p.buf.WriteString(trimmed)
	}
	n := p.indent
	if n < 0 {
		n = 0
	}
	p.buf.WriteString("\n" + strings.Repeat(" ", n+plus) + s)
	p.indent += after
	if p.indent < 0 {
		p.indent = 0
	}
}

// sub prints a nested query (a subquery in FROM, a set operation's
// branch) at the current indentation, returning its text.
func (p *vdPrinter) sub(sel *pg.SelectStmt, names []string, parent *vdScope) (string, []vdCol, bool) {
	return p.subQuery(sel, names, parent, false)
}

// subQuery is sub for a set operation's branch, whose unnamed
// expressions print without AS "?column?" when fallbackHidden.
func (p *vdPrinter) subQuery(sel *pg.SelectStmt, names []string, parent *vdScope, fallbackHidden bool) (string, []vdCol, bool) {
	if p.depth > ExprDepthMax {
		return "", nil, false
	}
	var b strings.Builder
	q := &vdPrinter{buf: &b, indent: p.indent, pretty: p.pretty, table: p.table, depth: p.depth + 1, canonical: p.canonical,
		ctes: p.ctes, outer: p.levelNames(), fallbackHidden: fallbackHidden}
	cols, ok := q.query(sel, names, parent)
	return b.String(), cols, ok
}

// DeparseView renders a view's query as PostgreSQL 15's
// pg_get_viewdef(view, pretty) prints it. It reads the SQL text cairn
// stores, with table finding the relations it names as they are now and
// cols the view's column names. ok is false for a query outside what it
// renders (DISTINCT, window clauses, most functions in FROM, set
// operations whose branches differ in type, expressions the expression
// printer does not know); the caller then shows the stored text.
func DeparseView(text string, cols []string, table func(name string) *ViewTable, pretty bool) (string, bool) {
	return deparseView(text, cols, table, pretty, false)
}

// CanonicalView is the text a view stores for its query: DeparseView's
// without pretty, * expanded and every column qualified, except that a
// NATURAL join without common columns is kept as written.
func CanonicalView(text string, cols []string, table func(name string) *ViewTable) (string, bool) {
	return deparseView(text, cols, table, false, true)
}

func deparseView(text string, cols []string, table func(name string) *ViewTable, pretty, canonical bool) (string, bool) {
	tree, err := parseOne(text)
	if err != nil || len(tree.Stmts) != 1 {
		return "", false
	}
	sel := tree.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil {
		return "", false
	}
	var b strings.Builder
	p := &vdPrinter{buf: &b, pretty: pretty, table: table, canonical: canonical}
	out, ok := p.query(sel, cols, nil)
	if !ok || len(out) != len(cols) {
		return "", false
	}
	return b.String() + ";", true
}

// query prints a whole query: a set operation or a plain SELECT, with
// the names of its result columns (nil to keep the query's own); it
// returns the columns it yields.
func (p *vdPrinter) query(sel *pg.SelectStmt, names []string, parent *vdScope) ([]vdCol, bool) {
	if len(sel.LockingClause) > 0 || sel.IntoClause != nil ||
		sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return nil, false
	}
	// The level's names are chosen before its WITH queries print, which
	// avoid them.
	if sel.Op == pg.SetOperation_SETOP_NONE {
		p.nameLevel(sel.FromClause)
	} else {
		p.nameLevel(nil)
	}
	if sel.WithClause != nil && !p.with(sel.WithClause, parent) {
		return nil, false
	}
	if sel.Op == pg.SetOperation_SETOP_NONE {
		return p.basic(sel, names, parent)
	}
	cols, ok := p.setop(sel, names, parent, true)
	if !ok {
		return nil, false
	}
	// ORDER BY and LIMIT of a set operation name its result columns.
	sc := &vdScope{parent: parent}
	for _, c := range cols {
		sc.star = append(sc.star, vdCol{name: c.name, t: c.t, sql: QuoteIdent(c.name)})
	}
	if !p.tail(sel, sc, cols, nil) {
		return nil, false
	}
	return cols, true
}

// setop is get_setop_query: the branches of UNION, INTERSECT and EXCEPT
// with the line breaks and parentheses PostgreSQL prints.
// A branch right of an operator (namesVisible false) leaves an unnamed
// expression's fallback name "?column?" implied: its column names are
// not the result's.
func (p *vdPrinter) setop(sel *pg.SelectStmt, names []string, parent *vdScope, namesVisible bool) ([]vdCol, bool) {
	if sel.Op == pg.SetOperation_SETOP_NONE {
		leaf := sel.WithClause != nil || len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil
		if leaf {
			p.buf.WriteString("(")
		}
		s, cols, ok := p.subQuery(sel, names, parent, !namesVisible)
		if !ok {
			return nil, false
		}
		p.buf.WriteString(s)
		if leaf {
			p.buf.WriteString(")")
		}
		return cols, true
	}
	if sel.Larg == nil || sel.Rarg == nil {
		return nil, false
	}
	paren := sel.Larg.Op != pg.SetOperation_SETOP_NONE && (sel.Larg.Op != sel.Op || sel.Larg.All != sel.All)
	sub := 0
	if paren {
		p.buf.WriteString("(")
		sub = vdIndentStd
		p.keyword("", sub, 0, 0)
	}
	lcols, ok := p.setop(sel.Larg, names, parent, namesVisible)
	if !ok {
		return nil, false
	}
	if paren {
		p.keyword(") ", -sub, 0, 0)
	} else {
		p.keyword("", -sub, 0, 0)
	}
	switch sel.Op {
	case pg.SetOperation_SETOP_UNION:
		p.buf.WriteString("UNION ")
	case pg.SetOperation_SETOP_INTERSECT:
		p.buf.WriteString("INTERSECT ")
	case pg.SetOperation_SETOP_EXCEPT:
		p.buf.WriteString("EXCEPT ")
	default:
		return nil, false
	}
	if sel.All {
		p.buf.WriteString("ALL ")
	}
	paren = sel.Rarg.Op != pg.SetOperation_SETOP_NONE
	sub = 0
	if paren {
		p.buf.WriteString("(")
		sub = vdIndentStd
	}
	p.keyword("", sub, 0, 0)
	rcols, ok := p.setop(sel.Rarg, names, parent, false)
	if !ok {
		return nil, false
	}
	p.indent -= sub
	if paren {
		p.keyword(")", 0, 0, 0)
	}
	if len(lcols) != len(rcols) {
		return nil, false
	}
	// A branch's column of another type than the result's is converted
	// above the branch, which prints as written; only an untyped literal
	// would be printed converted, which is not done here.
	for i := range lcols {
		if lcols[i].t.ID == types.Unknown || rcols[i].t.ID == types.Unknown {
			return nil, false
		}
	}
	return lcols, true
}

// basic is get_basic_select_query: SELECT list, FROM, WHERE, GROUP BY,
// HAVING, then ORDER BY and LIMIT; or a VALUES list.
func (p *vdPrinter) basic(sel *pg.SelectStmt, names []string, parent *vdScope) ([]vdCol, bool) {
	if len(sel.DistinctClause) > 0 || len(sel.WindowClause) > 0 {
		return nil, false
	}
	p.indent += vdIndentStd
	p.buf.WriteString(" ")
	if len(sel.ValuesLists) > 0 {
		return p.values(sel, parent)
	}
	sc := &vdScope{parent: parent}
	p.usingGlobal, p.usingNames, p.pushed = make(map[string]bool), make(map[*pg.JoinExpr][]string), make(map[any]map[string]string)
	for _, n := range sel.FromClause {
		p.assignUsing(n)
	}
	var from []string
	for _, n := range sel.FromClause {
		s, items, star, ok := p.fromItem(n, sc)
		if !ok {
			return nil, false
		}
		sc.items = append(sc.items, items...)
		sc.star = append(sc.star, star...)
		from = append(from, s)
	}
	dp := p.exprs(sc)

	// The targets, * expanded, each named as the result column is.
	type target struct {
		d    deparsed
		attr string // the column's own name, when the target is one
		name string
		expr *pg.Node
	}
	var targets []target
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil {
			return nil, false
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && cr.Fields[len(cr.Fields)-1].GetAStar() != nil {
			var cols []vdCol
			switch len(cr.Fields) {
			case 1:
				cols = sc.star
			case 2:
				qual := str(cr.Fields[0])
				found := false
				for _, it := range sc.items {
					if it.qual == qual {
						cols, found = it.cols, true
						break
					}
				}
				if !found {
					return nil, false
				}
			default:
				return nil, false
			}
			for _, c := range cols {
				targets = append(targets, target{d: deparsed{sql: c.sql, t: c.t}, attr: c.printName(), name: c.name, expr: rt.Val})
			}
			continue
		}
		d, ok := dp.node(rt.Val, 0)
		if !ok {
			return nil, false
		}
		if d.lit != nil {
			s, err := constSQL(*d.lit, types.New(types.Text))
			if err != nil {
				return nil, false
			}
			d = deparsed{sql: s, t: types.New(types.Text)}
		}
		attr := ""
		if cr := rt.Val.GetColumnRef(); cr != nil {
			if c := sc.lookup(cr); c != nil {
				attr = c.printName()
			}
		}
		name := rt.Name
		if name == "" {
			name = resultName(rt.Val)
		}
		targets = append(targets, target{d: d, attr: attr, name: name, expr: rt.Val})
	}
	if names != nil && len(names) != len(targets) {
		return nil, false
	}
	p.buf.WriteString("SELECT")
	out := make([]vdCol, len(targets))
	for i, t := range targets {
		if i > 0 {
			p.buf.WriteString(",")
			p.keyword("", -vdIndentStd, vdIndentStd, vdIndentVar)
		} else {
			p.buf.WriteString(" ")
		}
		name := t.name
		if names != nil {
			name = names[i]
		}
		p.buf.WriteString(t.d.sql)
		if t.attr != name && !(p.fallbackHidden && t.attr == "" && name == "?column?") {
			p.buf.WriteString(" AS " + QuoteIdent(name))
		}
		out[i] = vdCol{name: name, t: t.d.t}
	}
	for i, f := range from {
		if i == 0 {
			p.keyword(" FROM ", -vdIndentStd, vdIndentStd, 2)
			p.buf.WriteString(f)
			continue
		}
		p.buf.WriteString(",")
		if !strings.HasPrefix(f, "\n") {
			p.keyword("", -vdIndentStd, vdIndentStd, vdIndentVar)
		}
		p.buf.WriteString(f)
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
			return nil, false
		}
		p.keyword(" WHERE ", -vdIndentStd, vdIndentStd, 1)
		p.buf.WriteString(s)
	}
	exprs := make([]deparsed, len(targets))
	nodes := make([]*pg.Node, len(targets))
	for i, t := range targets {
		exprs[i], nodes[i] = t.d, t.expr
	}
	key := p.sortKey(dp, exprs, nodes)
	if len(sel.GroupClause) > 0 {
		keys := make([]string, len(sel.GroupClause))
		for i, g := range sel.GroupClause {
			s, ok := key(g)
			if !ok {
				return nil, false
			}
			keys[i] = s
		}
		p.keyword(" GROUP BY ", -vdIndentStd, vdIndentStd, 1)
		p.buf.WriteString(strings.Join(keys, ", "))
	}
	if sel.HavingClause != nil {
		s, ok := cond(sel.HavingClause)
		if !ok {
			return nil, false
		}
		p.keyword(" HAVING ", -vdIndentStd, vdIndentStd, 0)
		p.buf.WriteString(s)
	}
	if !p.tail(sel, sc, out, key) {
		return nil, false
	}
	return out, true
}

// exprs is the expression printer of a query level.
func (p *vdPrinter) exprs(sc *vdScope) *deparser {
	dp := &deparser{full: !p.pretty}
	dp.col = sc.resolve
	return dp
}

// sortKey returns the printer of a GROUP BY or ORDER BY key, which may
// name an output column by position. A key is printed as
// get_rule_sortgroupclause prints it: a column or a constant bare, a
// function call in parentheses, and, when pretty, any other expression
// too (without pretty it brings its own).
func (p *vdPrinter) sortKey(dp *deparser, exprs []deparsed, nodes []*pg.Node) func(n *pg.Node) (string, bool) {
	return func(n *pg.Node) (string, bool) {
		s, expr := "", n
		if c := n.GetAConst(); c != nil && c.GetIval() != nil {
			i := int(c.GetIval().Ival)
			if i < 1 || i > len(exprs) {
				return "", false
			}
			s, expr = exprs[i-1].sql, nodes[i-1]
			if expr.GetColumnRef() != nil && expr.GetColumnRef().Fields[len(expr.GetColumnRef().Fields)-1].GetAStar() != nil {
				return s, true
			}
		} else {
			d, ok := dp.node(n, 0)
			if !ok || d.lit != nil {
				return "", false
			}
			s = d.sql
		}
		switch {
		case expr.GetColumnRef() != nil, expr.GetAConst() != nil:
			return s, true
		case expr.GetFuncCall() != nil, !dp.full:
			return "(" + s + ")", true
		}
		return s, true
	}
}

// tail prints ORDER BY, OFFSET and LIMIT. key prints a sort key; nil
// (a set operation's) resolves keys against the result columns.
func (p *vdPrinter) tail(sel *pg.SelectStmt, sc *vdScope, out []vdCol, key func(*pg.Node) (string, bool)) bool {
	dp := p.exprs(sc)
	if key == nil {
		exprs := make([]deparsed, len(out))
		nodes := make([]*pg.Node, len(out))
		for i, c := range out {
			exprs[i] = deparsed{sql: QuoteIdent(c.name), t: c.t}
			nodes[i] = &pg.Node{Node: &pg.Node_ColumnRef{ColumnRef: &pg.ColumnRef{}}}
		}
		key = p.sortKey(dp, exprs, nodes)
	}
	if len(sel.SortClause) > 0 {
		keys := make([]string, len(sel.SortClause))
		for i, n := range sel.SortClause {
			by := n.GetSortBy()
			if by == nil || by.SortbyDir == pg.SortByDir_SORTBY_USING {
				return false
			}
			s, ok := key(by.Node)
			if !ok {
				return false
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
		p.keyword(" ORDER BY ", -vdIndentStd, vdIndentStd, 1)
		p.buf.WriteString(strings.Join(keys, ", "))
	}
	for _, lim := range []struct {
		n    *pg.Node
		word string
	}{{sel.LimitOffset, " OFFSET "}, {sel.LimitCount, " LIMIT "}} {
		if lim.n == nil {
			continue
		}
		d, ok := dp.node(lim.n, 0)
		if !ok || d.lit != nil {
			return false
		}
		p.keyword(lim.word, -vdIndentStd, vdIndentStd, 0)
		p.buf.WriteString(d.sql)
	}
	return true
}

// values is get_values_def: VALUES (...), (...), its columns named
// column1, column2, ... and typed by the first row.
func (p *vdPrinter) values(sel *pg.SelectStmt, parent *vdScope) ([]vdCol, bool) {
	if len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil {
		return nil, false
	}
	dp := p.exprs(&vdScope{parent: parent})
	var cols []vdCol
	rows := make([]string, len(sel.ValuesLists))
	for r, row := range sel.ValuesLists {
		list := row.GetList()
		if list == nil || r > 0 && len(list.Items) != len(cols) {
			return nil, false
		}
		items := make([]string, len(list.Items))
		for i, n := range list.Items {
			d, ok := dp.node(n, 0)
			if !ok {
				return nil, false
			}
			if d.lit != nil {
				if len(sel.ValuesLists) > 1 {
					return nil, false // its type comes from the other rows
				}
				s, err := constSQL(*d.lit, types.New(types.Text))
				if err != nil {
					return nil, false
				}
				d = deparsed{sql: s, t: types.New(types.Text)}
			}
			if r == 0 {
				cols = append(cols, vdCol{name: "column" + strconv.Itoa(i+1), t: d.t})
			} else if types.Base(d.t).ID != types.Base(cols[i].t).ID {
				return nil, false
			}
			items[i] = d.sql
		}
		rows[r] = "(" + strings.Join(items, ",") + ")"
	}
	p.buf.WriteString("VALUES " + strings.Join(rows, ", "))
	return cols, true
}

// fromItem is get_from_clause_item: one FROM item printed, the names it
// brings into scope and the columns * finds through it.
func (p *vdPrinter) fromItem(n *pg.Node, sc *vdScope) (string, []vdItem, []vdCol, bool) {
	switch {
	case n.GetRangeVar() != nil:
		rv := n.GetRangeVar()
		if !rv.Inh {
			return "", nil, nil, false // ONLY
		}
		d := p.relation(rv)
		if d == nil {
			return "", nil, nil, false
		}
		s := QuoteIdent(d.Name)
		if d.Schema != "" {
			s = QuoteIdent(d.Schema) + "." + s
		}
		qual := d.Name
		var aliases []string
		if rv.Alias != nil {
			qual = rv.Alias.Aliasname
			aliases = strs(rv.Alias.Colnames)
		}
		real := make([]string, len(d.Columns))
		typs := make([]types.T, len(d.Columns))
		for i, c := range d.Columns {
			real[i], typs[i] = c.Name, c.Type
		}
		names, _, ok := aliasColumns(real, aliases)
		if !ok {
			return "", nil, nil, false
		}
		printed, list := p.printColumns(real, aliases, p.pushed[rv])
		ref := p.refname(rv, qual)
		if rv.Alias != nil || list != "" || ref != d.Name {
			s += " " + QuoteIdent(ref) + list
		}
		cols := make([]vdCol, len(names))
		for i, c := range names {
			cols[i] = vdCol{name: c, t: typs[i], sql: QuoteIdent(ref) + "." + QuoteIdent(printed[i])}
			if printed[i] != c {
				cols[i].print = printed[i]
			}
		}
		return s, []vdItem{{qual: qual, cols: cols}}, cols, true
	case n.GetRangeSubselect() != nil:
		rs := n.GetRangeSubselect()
		if rs.Alias == nil {
			return "", nil, nil, false
		}
		inner := sc
		if !rs.Lateral {
			inner = sc.parent
		}
		q, cols, ok := p.sub(rs.Subquery.GetSelectStmt(), nil, inner)
		if !ok {
			return "", nil, nil, false
		}
		real := make([]string, len(cols))
		for i, c := range cols {
			real[i] = c.name
		}
		names, list, ok := aliasColumns(real, strs(rs.Alias.Colnames))
		if !ok {
			return "", nil, nil, false
		}
		qual := rs.Alias.Aliasname
		ref := p.refname(rs, qual)
		out := make([]vdCol, len(cols))
		for i := range cols {
			out[i] = vdCol{name: names[i], t: cols[i].t, sql: QuoteIdent(ref) + "." + QuoteIdent(names[i])}
		}
		s := "(" + q + ") " + QuoteIdent(ref) + list
		if rs.Lateral {
			s = "LATERAL " + s
		}
		return s, []vdItem{{qual: qual, cols: out}}, out, true
	case n.GetJoinExpr() != nil:
		return p.join(n.GetJoinExpr(), sc)
	case n.GetRangeFunction() != nil:
		return p.functionItem(n.GetRangeFunction(), sc)
	}
	return "", nil, nil, false
}

// join prints a JOIN: its sides, the join keyword on a line of its own,
// and its USING list or ON condition; a NATURAL join prints as the USING
// join it is, or as a CROSS JOIN (ON TRUE when outer) when the sides
// have no column name in common.
func (p *vdPrinter) join(j *pg.JoinExpr, sc *vdScope) (string, []vdItem, []vdCol, bool) {
	var b strings.Builder
	saved := p.buf
	p.buf = &b
	defer func() { p.buf = saved }()
	if !p.pretty || j.Alias != nil {
		b.WriteString("(")
	}
	l, litems, lstar, ok := p.fromItem(j.Larg, sc)
	if !ok {
		return "", nil, nil, false
	}
	b.WriteString(l)
	// The right side sees the left's names only through LATERAL, which
	// is resolved against the whole level; here each side resolves alone.
	rsc := &vdScope{parent: sc.parent, items: sc.items, star: sc.star}
	r, ritems, rstar, ok := p.fromItem(j.Rarg, rsc)
	if !ok {
		return "", nil, nil, false
	}
	var using []string
	if j.IsNatural {
		for _, lc := range lstar {
			for _, rc := range rstar {
				if lc.name == rc.name {
					using = append(using, lc.name)
					break
				}
			}
		}
	} else {
		using = strs(j.UsingClause)
	}
	kind := ""
	switch j.Jointype {
	case pg.JoinType_JOIN_INNER:
		kind = " JOIN "
		if len(using) == 0 && j.Quals == nil {
			kind = " CROSS JOIN "
		}
	case pg.JoinType_JOIN_LEFT:
		kind = " LEFT JOIN "
	case pg.JoinType_JOIN_RIGHT:
		kind = " RIGHT JOIN "
	case pg.JoinType_JOIN_FULL:
		kind = " FULL JOIN "
	default:
		return "", nil, nil, false
	}
	p.keyword(kind, -vdIndentStd, vdIndentStd, vdIndentJoin)
	parenRight := p.pretty && j.Rarg.GetJoinExpr() != nil && j.Rarg.GetJoinExpr().Alias == nil
	if parenRight {
		b.WriteString("(" + r + ")")
	} else {
		b.WriteString(r)
	}

	// The join's columns: the USING columns once, then the left's
	// others, then the right's.
	var star, merged []vdCol
	usedL, usedR := make(map[int]bool), make(map[int]bool)
	assigned := p.usingNames[j]
	for k, u := range using {
		li, ri := vdFind(lstar, u), vdFind(rstar, u)
		if li < 0 || ri < 0 || usedL[li] {
			return "", nil, nil, false
		}
		usedL[li], usedR[ri] = true, true
		lc, rc := lstar[li], rstar[ri]
		// The merged column is the side whose type is the columns'
		// common type (the left's when both are); a side converted to it
		// would print its conversion, which is not done here.
		// A merged column that is a side's column prints as that
		// column; one that is computed (a FULL join's, or a side's
		// converted to the common type) by its name, bare.
		bare := QuoteIdent(u)
		if k < len(assigned) {
			bare = QuoteIdent(assigned[k])
		}
		m := vdCol{name: u, t: lc.t, sql: lc.sql}
		lb, rb := types.Base(lc.t).ID, types.Base(rc.t).ID
		common, numeric := numericCommon(lb, rb)
		switch j.Jointype {
		case pg.JoinType_JOIN_INNER:
			switch {
			case lb == rb:
			case numeric && common == rb:
				m = vdCol{name: u, t: rc.t, sql: rc.sql}
			case !numeric:
				m.sql = bare
			}
		case pg.JoinType_JOIN_LEFT:
			if lb != rb && (!numeric || common != lb) {
				m.sql = bare
			}
		case pg.JoinType_JOIN_RIGHT:
			m.t, m.sql = rc.t, rc.sql
			if lb != rb && (!numeric || common != rb) {
				m.sql = bare
			}
		case pg.JoinType_JOIN_FULL:
			m.sql = bare
		}
		if k < len(assigned) && assigned[k] != u {
			m.print = assigned[k]
		}
		merged = append(merged, m)
	}
	star = append(star, merged...)
	for i, c := range lstar {
		if !usedL[i] {
			star = append(star, c)
		}
	}
	for i, c := range rstar {
		if !usedR[i] {
			star = append(star, c)
		}
	}
	items := append(append([]vdItem(nil), litems...), ritems...)
	switch {
	case len(using) > 0:
		quoted := make([]string, len(using))
		for i, u := range using {
			if i < len(assigned) {
				u = assigned[i]
			}
			quoted[i] = QuoteIdent(u)
		}
		b.WriteString(" USING (" + strings.Join(quoted, ", ") + ")")
		if a := j.JoinUsingAlias; a != nil {
			b.WriteString(" AS " + QuoteIdent(a.Aliasname))
			items = append(items, vdItem{qual: a.Aliasname, cols: merged})
		}
	case j.Quals != nil:
		jsc := &vdScope{parent: sc.parent, items: append(append([]vdItem(nil), sc.items...), items...), star: append(append([]vdCol(nil), sc.star...), star...)}
		dp := p.exprs(jsc)
		q, ok := dp.node(j.Quals, 0)
		if !ok || q.lit != nil {
			return "", nil, nil, false
		}
		if p.pretty {
			b.WriteString(" ON " + q.sql)
		} else {
			b.WriteString(" ON (" + q.sql + ")")
		}
	case j.Jointype != pg.JoinType_JOIN_INNER:
		b.WriteString(" ON TRUE")
	}
	if p.canonical && j.IsNatural && len(using) == 0 {
		// Stored, a NATURAL join without common columns stays one, so
		// that it prints as such (ON TRUE, not an ON true written).
		b.Reset()
		if j.Alias != nil || !p.pretty {
			b.WriteString("(")
		}
		if kind == " CROSS JOIN " {
			kind = " JOIN "
		}
		b.WriteString(l + " NATURAL" + kind + r)
		if j.Alias != nil || !p.pretty {
			b.WriteString(")")
		}
	}
	if !p.pretty || j.Alias != nil {
		b.WriteString(")")
	}
	if j.Alias != nil {
		// The join's columns are named as its sides name them, made
		// unique (a name both sides have, outside USING, is name_1 on the
		// right).
		real := make([]string, len(star))
		for i, c := range star {
			real[i] = c.name
		}
		names, list, ok := aliasColumns(real, strs(j.Alias.Colnames))
		if !ok {
			return "", nil, nil, false
		}
		qual := j.Alias.Aliasname
		ref := p.refname(j, qual)
		b.WriteString(" " + QuoteIdent(ref) + list)
		out := make([]vdCol, len(star))
		for i, c := range star {
			out[i] = vdCol{name: names[i], t: c.t, sql: QuoteIdent(ref) + "." + QuoteIdent(names[i])}
		}
		return b.String(), []vdItem{{qual: qual, cols: out}}, out, true
	}
	return b.String(), items, star, true
}

// vdFind is the index of the column named name among cols, -1 when none
// or several are.
func vdFind(cols []vdCol, name string) int {
	found := -1
	for i, c := range cols {
		if c.name == name {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// aliasColumns applies a FROM item's column aliases to its columns'
// names, and returns the list PostgreSQL prints after the alias: every
// column's name, when any differs from the real one.
func aliasColumns(real, aliases []string) ([]string, string, bool) {
	if len(aliases) > len(real) {
		return nil, "", false
	}
	names := make([]string, len(real))
	taken := make(map[string]bool)
	changed := false
	for i := range real {
		if i < len(aliases) {
			names[i] = aliases[i]
		} else {
			// A column without alias keeps its name unless an earlier
			// one has it: then it is made unique as make_colname_unique
			// makes it, name_1, name_2, ...
			names[i] = uniqueName(real[i], taken)
		}
		taken[names[i]] = true
		changed = changed || names[i] != real[i]
	}
	if !changed {
		return names, "", true
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = QuoteIdent(n)
	}
	return names, "(" + strings.Join(quoted, ", ") + ")", true
}

// strs is a list of String nodes' values.
func strs(list []*pg.Node) []string {
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = str(n)
	}
	return out
}

// resultName is the name PostgreSQL gives a result column written
// without AS (FigureColname).
func resultName(n *pg.Node) string {
	switch {
	case n.GetAArrayExpr() != nil:
		return "array"
	case n.GetRowExpr() != nil:
		return "row"
	}
	if s := figureColname(n, 0); s != "" {
		return s
	}
	return "?column?"
}

// numericCommon is the type two numeric types unify to, as PostgreSQL's
// implicit casts take the narrower to the wider.
func numericCommon(a, b types.ID) (types.ID, bool) {
	rank := map[types.ID]int{types.Int2: 1, types.Int4: 2, types.Int8: 3, types.Numeric: 4, types.Float4: 5, types.Float8: 6}
	ra, rb := rank[a], rank[b]
	if ra == 0 || rb == 0 {
		return 0, false
	}
	if ra >= rb {
		return a, true
	}
	return b, true
}

// uniqueName is name, or name_N for the first N that taken lacks.
func uniqueName(name string, taken map[string]bool) string {
	if !taken[name] {
		return name
	}
	for i := 1; ; i++ {
		if n := name + "_" + strconv.Itoa(i); !taken[n] {
			return n
		}
	}
}

// printColumns names a table's columns as printed: its aliases, then the
// names USING lists pushed down to it, then its own names made unique
// among those and the level's bare USING names; and the column list to
// print after the alias when any differs from the real name.
func (p *vdPrinter) printColumns(real, aliases []string, pushed map[string]string) ([]string, string) {
	names := make([]string, len(real))
	taken := make(map[string]bool)
	changed := false
	for i, r := range real {
		switch {
		case i < len(aliases):
			names[i] = aliases[i]
		case pushed[r] != "":
			names[i] = pushed[r]
		default:
			names[i] = r
			for n := 1; taken[names[i]] || p.usingGlobal[names[i]]; n++ {
				names[i] = r + "_" + strconv.Itoa(n)
			}
		}
		taken[names[i]] = true
		changed = changed || names[i] != r
	}
	if !changed {
		return names, ""
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = QuoteIdent(n)
	}
	return names, "(" + strings.Join(quoted, ", ") + ")"
}

// assignUsing is set_using_names for one FROM item: each JOIN ... USING
// column gets the name pushed down from a join above that uses it, or
// its own made unique among the bare USING names of the level (to which,
// for a join without alias, it is added); the columns it merges are
// pushed that name.
func (p *vdPrinter) assignUsing(n *pg.Node) {
	j := n.GetJoinExpr()
	if j == nil {
		return
	}
	var using []string
	if j.IsNatural {
		l, r := p.starNames(j.Larg), p.starNames(j.Rarg)
		for _, c := range l {
			if slicesContains(r, c) {
				using = append(using, c)
			}
		}
	} else {
		using = strs(j.UsingClause)
	}
	from := p.pushed[j]
	names := make([]string, len(using))
	for i, u := range using {
		name := from[u]
		if name == "" {
			name = u
			for k := 1; p.usingGlobal[name]; k++ {
				name = u + "_" + strconv.Itoa(k)
			}
		}
		if j.Alias == nil {
			p.usingGlobal[name] = true
		}
		names[i] = name
		p.push(j.Larg, u, name)
		p.push(j.Rarg, u, name)
	}
	// A name pushed to this join for a column it does not merge goes on
	// to the side that has it.
	for u, name := range from {
		if slicesContains(using, u) {
			continue
		}
		inL, inR := slicesContains(p.starNames(j.Larg), u), slicesContains(p.starNames(j.Rarg), u)
		switch {
		case inL && !inR:
			p.push(j.Larg, u, name)
		case inR && !inL:
			p.push(j.Rarg, u, name)
		}
	}
	p.usingNames[j] = names
	p.assignUsing(j.Larg)
	p.assignUsing(j.Rarg)
}

// push records that column u of FROM item n prints as name.
func (p *vdPrinter) push(n *pg.Node, u, name string) {
	var key any
	switch {
	case n.GetRangeVar() != nil:
		key = n.GetRangeVar()
	case n.GetJoinExpr() != nil:
		key = n.GetJoinExpr()
	default:
		return
	}
	if p.pushed[key] == nil {
		p.pushed[key] = make(map[string]string)
	}
	p.pushed[key][u] = name
}

// starNames is the names of the columns * finds through FROM item n, as
// its stored text names them; nil when it cannot tell.
func (p *vdPrinter) starNames(n *pg.Node) []string {
	switch {
	case n.GetRangeVar() != nil:
		rv := n.GetRangeVar()
		d := p.relation(rv)
		if d == nil {
			return nil
		}
		real := make([]string, len(d.Columns))
		for i, c := range d.Columns {
			real[i] = c.Name
		}
		var aliases []string
		if rv.Alias != nil {
			aliases = strs(rv.Alias.Colnames)
		}
		names, _, _ := aliasColumns(real, aliases)
		return names
	case n.GetJoinExpr() != nil:
		j := n.GetJoinExpr()
		l, r := p.starNames(j.Larg), p.starNames(j.Rarg)
		var using []string
		if j.IsNatural {
			for _, c := range l {
				if slicesContains(r, c) {
					using = append(using, c)
				}
			}
		} else {
			using = strs(j.UsingClause)
		}
		out := append([]string(nil), using...)
		for _, c := range l {
			if !slicesContains(using, c) {
				out = append(out, c)
			}
		}
		for _, c := range r {
			if !slicesContains(using, c) {
				out = append(out, c)
			}
		}
		if j.Alias != nil && len(j.Alias.Colnames) > 0 {
			copy(out, strs(j.Alias.Colnames))
		}
		return out
	}
	return nil
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
