package parser

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/types"
)

// This file prints a view query's WITH clause as ruleutils.c's
// get_with_clause does, and names the FROM items of each query level as
// set_rtable_names does: a name an enclosing level (or an earlier item
// of the same level) already uses gets a suffix, _1, _2, ...

// vdCTEs is the WITH queries one query level defines, seen by it and by
// the levels nested in it.
type vdCTEs struct {
	byName map[string]*vdCTE
	parent *vdCTEs
}

// vdCTE is a WITH query as references to it see it. pending marks one
// whose columns are not known yet (a forward or a recursive reference
// the printer does not resolve).
type vdCTE struct {
	cols    []ViewColumn
	pending bool
}

// find is the WITH query named name visible here, or nil.
func (c *vdCTEs) find(name string) *vdCTE {
	for cur := c; cur != nil; cur = cur.parent {
		if q, ok := cur.byName[name]; ok {
			return q
		}
	}
	return nil
}

// relation is what a RangeVar names: a WITH query in scope (ok false
// when it cannot be resolved yet) or a relation of the catalog.
func (p *vdPrinter) relation(rv *pg.RangeVar) *ViewTable {
	if rv.Schemaname == "" && rv.Catalogname == "" {
		if q := p.ctes.find(rv.Relname); q != nil {
			if q.pending {
				return nil
			}
			return &ViewTable{Name: rv.Relname, Columns: q.cols}
		}
	}
	name := rv.Relname
	if rv.Schemaname != "" && rv.Schemaname != "public" {
		name = QualifiedName(rv.Schemaname, rv.Relname)
	}
	return p.table(name)
}

// nameLevel assigns the reference names of one query level's FROM items
// in the order the parser adds them to the range table (a join's sides
// before the join), each unique among them and the names of the
// enclosing levels.
func (p *vdPrinter) nameLevel(from []*pg.Node) {
	p.refnames = make(map[any]string)
	counter := make(map[string]int, len(p.outer))
	for n := range p.outer {
		counter[n] = 0
	}
	assign := func(key any, name string) {
		if _, used := counter[name]; !used {
			counter[name] = 0
			p.refnames[key] = name
			return
		}
		for {
			counter[name]++
			mod := name + "_" + strconv.Itoa(counter[name])
			if _, used := counter[mod]; !used {
				counter[mod] = 0
				p.refnames[key] = mod
				return
			}
		}
	}
	var visit func(n *pg.Node)
	visit = func(n *pg.Node) {
		switch {
		case n.GetRangeVar() != nil:
			rv := n.GetRangeVar()
			name := rv.Relname
			if rv.Alias != nil {
				name = rv.Alias.Aliasname
			} else if d := p.relation(rv); d != nil {
				name = d.Name
			}
			assign(rv, name)
		case n.GetRangeSubselect() != nil:
			rs := n.GetRangeSubselect()
			if rs.Alias != nil {
				assign(rs, rs.Alias.Aliasname)
			}
		case n.GetRangeFunction() != nil:
			rf := n.GetRangeFunction()
			name := "generate_series"
			if rf.Alias != nil {
				name = rf.Alias.Aliasname
			}
			assign(rf, name)
		case n.GetJoinExpr() != nil:
			j := n.GetJoinExpr()
			visit(j.Larg)
			visit(j.Rarg)
			if j.Alias != nil {
				assign(j, j.Alias.Aliasname)
			}
		}
	}
	for _, n := range from {
		visit(n)
	}
}

// refname is the name FROM item key prints as, written the name written
// when the level assigned none.
func (p *vdPrinter) refname(key any, written string) string {
	if s, ok := p.refnames[key]; ok {
		return s
	}
	return written
}

// levelNames is the names a query nested in this level must avoid.
func (p *vdPrinter) levelNames() map[string]bool {
	out := make(map[string]bool, len(p.outer)+len(p.refnames))
	for n := range p.outer {
		out[n] = true
	}
	for _, n := range p.refnames {
		out[n] = true
	}
	return out
}

// with is get_with_clause: each WITH query's name, column list and
// materialization, its query indented on the lines below, and its
// SEARCH and CYCLE clauses after the closing parenthesis; the queries
// become visible to the level's FROM clause.
func (p *vdPrinter) with(w *pg.WithClause, parent *vdScope) bool {
	scope := &vdCTEs{byName: make(map[string]*vdCTE), parent: p.ctes}
	p.ctes = scope
	if w.Recursive {
		// Every name of a recursive list is in scope from the start; one
		// used before its columns are known is not resolved.
		for _, n := range w.Ctes {
			if c := n.GetCommonTableExpr(); c != nil {
				scope.byName[c.Ctename] = &vdCTE{pending: true}
			}
		}
	}
	p.indent += vdIndentStd
	p.buf.WriteString(" ")
	sep := "WITH "
	if w.Recursive {
		sep = "WITH RECURSIVE "
	}
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if c == nil {
			return false
		}
		sel := c.Ctequery.GetSelectStmt()
		if sel == nil {
			return false // a data-modifying WITH query; no view has one
		}
		aliases := strs(c.Aliascolnames)
		p.buf.WriteString(sep + QuoteIdent(c.Ctename))
		if len(aliases) > 0 {
			quoted := make([]string, len(aliases))
			for i, a := range aliases {
				quoted[i] = QuoteIdent(a)
			}
			p.buf.WriteString("(" + strings.Join(quoted, ", ") + ")")
		}
		p.buf.WriteString(" AS ")
		switch c.Ctematerialized {
		case pg.CTEMaterialize_CTEMaterializeAlways:
			p.buf.WriteString("MATERIALIZED ")
		case pg.CTEMaterialize_CTEMaterializeNever:
			p.buf.WriteString("NOT MATERIALIZED ")
		}
		p.buf.WriteString("(")
		p.keyword("", 0, 0, 0)
		self := scope.byName[c.Ctename]
		if w.Recursive && sel.Op == pg.SetOperation_SETOP_UNION && sel.Larg != nil {
			// The recursive term reads the query's columns, which are
			// the non-recursive term's.
			_, cols, ok := p.sub(sel.Larg, nil, parent)
			if !ok {
				return false
			}
			if self.cols, ok = cteColumns(cols, aliases); !ok {
				return false
			}
			self.pending = false
		}
		s, cols, ok := p.sub(sel, nil, parent)
		if !ok {
			return false
		}
		p.buf.WriteString(s)
		p.keyword("", 0, 0, 0)
		p.buf.WriteString(")")
		out, ok := cteColumns(cols, aliases)
		if !ok {
			return false
		}
		if self != nil && !self.pending && !sameColumns(self.cols, out) {
			return false
		}
		if out, ok = p.searchCycle(c, out); !ok {
			return false
		}
		scope.byName[c.Ctename] = &vdCTE{cols: out}
		sep = ", "
	}
	p.indent -= vdIndentStd
	p.keyword("", 0, 0, 0)
	return true
}

// cteColumns is a WITH query's columns: its query's, renamed by the
// column list written after its name.
func cteColumns(cols []vdCol, aliases []string) ([]ViewColumn, bool) {
	real := make([]string, len(cols))
	for i, c := range cols {
		real[i] = c.name
	}
	if len(aliases) > len(real) {
		return nil, false
	}
	out := make([]ViewColumn, len(cols))
	for i, c := range cols {
		out[i] = ViewColumn{Name: c.name, Type: c.t}
		if i < len(aliases) {
			out[i].Name = aliases[i]
		}
	}
	return out, true
}

func sameColumns(a, b []ViewColumn) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || types.Base(a[i].Type).ID != types.Base(b[i].Type).ID {
			return false
		}
	}
	return true
}

// searchCycle prints a recursive WITH query's SEARCH and CYCLE clauses
// and returns its columns with those the clauses add: the sequence
// column (a record, or an array of records depth first), the cycle mark
// and the path (an array of records). The cycle mark's values print
// unless they are true and false.
func (p *vdPrinter) searchCycle(c *pg.CommonTableExpr, cols []ViewColumn) ([]ViewColumn, bool) {
	has := func(name string) bool {
		for _, col := range cols {
			if col.Name == name {
				return true
			}
		}
		return false
	}
	list := func(nodes []*pg.Node) (string, bool) {
		names := strs(nodes)
		quoted := make([]string, len(names))
		for i, n := range names {
			if !has(n) {
				return "", false
			}
			quoted[i] = QuoteIdent(n)
		}
		return strings.Join(quoted, ", "), len(names) > 0
	}
	if s := c.SearchClause; s != nil {
		by, ok := list(s.SearchColList)
		if !ok || s.SearchSeqColumn == "" || has(s.SearchSeqColumn) {
			return nil, false
		}
		order, seq := "DEPTH", types.New(types.RecordArray)
		if s.SearchBreadthFirst {
			order, seq = "BREADTH", types.New(types.Record)
		}
		p.buf.WriteString(" SEARCH " + order + " FIRST BY " + by + " SET " + QuoteIdent(s.SearchSeqColumn))
		cols = append(cols, ViewColumn{Name: s.SearchSeqColumn, Type: seq})
	}
	if cy := c.CycleClause; cy != nil {
		of, ok := list(cy.CycleColList)
		if !ok || cy.CycleMarkColumn == "" || cy.CyclePathColumn == "" || has(cy.CycleMarkColumn) || has(cy.CyclePathColumn) ||
			cy.CycleMarkColumn == cy.CyclePathColumn {
			return nil, false
		}
		p.buf.WriteString(" CYCLE " + of + " SET " + QuoteIdent(cy.CycleMarkColumn))
		mark := types.New(types.Bool)
		if cy.CycleMarkValue != nil || cy.CycleMarkDefault != nil {
			to, def, t, ok := p.cycleMark(cy.CycleMarkValue, cy.CycleMarkDefault)
			if !ok {
				return nil, false
			}
			mark = t
			if !(t.ID == types.Bool && to == "true" && def == "false") {
				p.buf.WriteString(" TO " + to + " DEFAULT " + def)
			}
		}
		p.buf.WriteString(" USING " + QuoteIdent(cy.CyclePathColumn))
		cols = append(cols, ViewColumn{Name: cy.CycleMarkColumn, Type: mark}, ViewColumn{Name: cy.CyclePathColumn, Type: types.New(types.RecordArray)})
	}
	return cols, true
}

// cycleMark prints a CYCLE clause's mark values, the constants of their
// common type they are stored as: two untyped literals are text, an
// untyped literal beside a typed constant takes its type. Values of two
// different types are not printed.
func (p *vdPrinter) cycleMark(value, def *pg.Node) (string, string, types.T, bool) {
	if value == nil || def == nil {
		return "", "", types.T{}, false
	}
	dp := p.exprs(&vdScope{})
	v, ok1 := dp.node(value, 0)
	d, ok2 := dp.node(def, 0)
	if !ok1 || !ok2 {
		return "", "", types.T{}, false
	}
	var t types.T
	switch {
	case v.lit != nil && d.lit != nil:
		t = types.New(types.Text)
	case v.lit == nil && d.lit == nil:
		if v.t.ID == types.Unknown || v.t.ID != d.t.ID || v.t.Mod != d.t.Mod {
			return "", "", types.T{}, false
		}
		return v.sql, d.sql, v.t, true
	case v.lit != nil:
		t = d.t
	default:
		t = v.t
	}
	if t.ID == types.Unknown {
		return "", "", types.T{}, false
	}
	str := func(x deparsed) (string, bool) {
		if x.lit == nil {
			return x.sql, true
		}
		s, err := constSQL(*x.lit, t)
		return s, err == nil
	}
	vs, ok1 := str(v)
	ds, ok2 := str(d)
	return vs, ds, t, ok1 && ok2
}
