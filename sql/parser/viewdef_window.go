package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/types"
)

// Window calls and set-returning functions in FROM, as pg_get_viewdef
// prints them (ruleutils.c's get_rule_windowspec and the function RTE of
// get_from_clause_item).

// overClause prints an inline window definition: "(PARTITION BY ...
// ORDER BY ... frame)". A named window (OVER w) is not printed: false.
func (dp *deparser) overClause(w *pg.WindowDef, depth int) (string, bool) {
	if w.Name != "" || w.Refname != "" {
		return "", false
	}
	var parts []string
	if len(w.PartitionClause) > 0 {
		keys := make([]string, len(w.PartitionClause))
		for i, n := range w.PartitionClause {
			d, ok := dp.windowKey(n, depth)
			if !ok {
				return "", false
			}
			keys[i] = d
		}
		parts = append(parts, "PARTITION BY "+strings.Join(keys, ", "))
	}
	if len(w.OrderClause) > 0 {
		keys := make([]string, len(w.OrderClause))
		for i, n := range w.OrderClause {
			by := n.GetSortBy()
			if by == nil || by.SortbyDir == pg.SortByDir_SORTBY_USING {
				return "", false
			}
			s, ok := dp.windowKey(by.Node, depth)
			if !ok {
				return "", false
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
		parts = append(parts, "ORDER BY "+strings.Join(keys, ", "))
	}
	if w.FrameOptions&frameNonDefault != 0 {
		frame, ok := dp.frameClause(w, depth)
		if !ok {
			return "", false
		}
		parts = append(parts, frame)
	}
	return "(" + strings.Join(parts, " ") + ")", true
}

// windowKey prints a PARTITION BY or ORDER BY expression of a window as
// get_rule_sortgroupclause does: a column or a constant as it is, a
// function call in parentheses, an operator expression in its own.
func (dp *deparser) windowKey(n *pg.Node, depth int) (string, bool) {
	d, ok := dp.node(n, depth+1)
	if !ok || d.lit != nil {
		return "", false
	}
	switch {
	case n.GetColumnRef() != nil, n.GetAConst() != nil:
		return d.sql, true
	case n.GetFuncCall() != nil, !dp.full:
		return "(" + d.sql + ")", true
	}
	return d.sql, true
}

// frameClause prints a window's frame: its mode, bounds and exclusion.
func (dp *deparser) frameClause(w *pg.WindowDef, depth int) (string, bool) {
	opts := w.FrameOptions
	var b strings.Builder
	switch {
	case opts&frameRange != 0:
		b.WriteString("RANGE ")
	case opts&frameRows != 0:
		b.WriteString("ROWS ")
	case opts&frameGroups != 0:
		b.WriteString("GROUPS ")
	default:
		return "", false
	}
	const frameBetween = 0x00010
	between := opts&frameBetween != 0
	if between {
		b.WriteString("BETWEEN ")
	}
	offset := func(n *pg.Node) (string, bool) {
		d, ok := dp.node(n, depth+1)
		if !ok || d.lit != nil {
			// An untyped offset takes the ORDER BY column's type, which
			// the printer does not know.
			return "", false
		}
		return d.sql, true
	}
	switch {
	case opts&frameStartUnboundedPreceding != 0:
		b.WriteString("UNBOUNDED PRECEDING")
	case opts&frameStartCurrentRow != 0:
		b.WriteString("CURRENT ROW")
	case opts&(frameStartOffsetPreceding|frameStartOffsetFollowing) != 0:
		s, ok := offset(w.StartOffset)
		if !ok {
			return "", false
		}
		if opts&frameStartOffsetPreceding != 0 {
			b.WriteString(s + " PRECEDING")
		} else {
			b.WriteString(s + " FOLLOWING")
		}
	default:
		return "", false
	}
	if between {
		b.WriteString(" AND ")
		switch {
		case opts&frameEndUnboundedFollowing != 0:
			b.WriteString("UNBOUNDED FOLLOWING")
		case opts&frameEndCurrentRow != 0:
			b.WriteString("CURRENT ROW")
		case opts&(frameEndOffsetPreceding|frameEndOffsetFollowing) != 0:
			s, ok := offset(w.EndOffset)
			if !ok {
				return "", false
			}
			if opts&frameEndOffsetPreceding != 0 {
				b.WriteString(s + " PRECEDING")
			} else {
				b.WriteString(s + " FOLLOWING")
			}
		default:
			return "", false
		}
	}
	switch {
	case opts&frameExcludeCurrentRow != 0:
		b.WriteString(" EXCLUDE CURRENT ROW")
	case opts&frameExcludeGroup != 0:
		b.WriteString(" EXCLUDE GROUP")
	case opts&frameExcludeTies != 0:
		b.WriteString(" EXCLUDE TIES")
	}
	return b.String(), true
}

// functionItem prints a FROM item calling generate_series, the
// set-returning function whose one result column has the type of its
// first argument: "generate_series(1, 10) i(i)", the column named by the
// alias (or the function) as PostgreSQL names it.
func (p *vdPrinter) functionItem(rf *pg.RangeFunction, sc *vdScope) (string, []vdItem, []vdCol, bool) {
	if rf.Lateral || rf.Ordinality || rf.IsRowsfrom || len(rf.Functions) != 1 || len(rf.Coldeflist) > 0 {
		return "", nil, nil, false
	}
	pair := rf.Functions[0].GetList()
	if pair == nil || len(pair.Items) == 0 || (len(pair.Items) > 1 && pair.Items[1] != nil && pair.Items[1].GetList() != nil && len(pair.Items[1].GetList().Items) > 0) {
		return "", nil, nil, false
	}
	call := pair.Items[0].GetFuncCall()
	if call == nil || call.Over != nil || len(call.Funcname) != 1 || strings.ToLower(str(call.Funcname[0])) != "generate_series" {
		return "", nil, nil, false
	}
	// The arguments see the level's outer scopes only (not LATERAL).
	dp := p.exprs(&vdScope{parent: sc.parent})
	d, ok := dp.node(pair.Items[0], 0)
	if !ok || len(call.Args) == 0 {
		return "", nil, nil, false
	}
	first, ok := dp.node(call.Args[0], 1)
	if !ok || first.lit != nil || first.t.ID == types.Unknown {
		return "", nil, nil, false
	}
	for _, a := range call.Args {
		// Arguments of another type are converted to the overload's,
		// and the conversion would show; a numeric literal's type is
		// told by its text.
		d, ok := dp.node(a, 1)
		if !ok || d.lit != nil || d.t.ID != first.t.ID || d.num != nil && strings.ContainsAny(*d.num, ".eE") {
			return "", nil, nil, false
		}
	}
	qual, col := "generate_series", "generate_series"
	if rf.Alias != nil {
		qual, col = rf.Alias.Aliasname, rf.Alias.Aliasname
		switch names := strs(rf.Alias.Colnames); len(names) {
		case 0:
		case 1:
			col = names[0]
		default:
			return "", nil, nil, false
		}
	}
	ref := p.refname(rf, qual)
	c := vdCol{name: col, t: first.t, sql: QuoteIdent(ref) + "." + QuoteIdent(col)}
	s := d.sql + " " + QuoteIdent(ref) + "(" + QuoteIdent(col) + ")"
	return s, []vdItem{{qual: qual, cols: []vdCol{c}}}, []vdCol{c}, true
}
