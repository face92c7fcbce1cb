package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// SEARCH and CYCLE clauses of WITH RECURSIVE add columns to the query, as
// PostgreSQL's rewriter does (rewriteSearchCycle.c):
//
//   - SEARCH DEPTH FIRST BY a, b SET seq: seq is an array of the rows
//     (a, b) on the path to the row, ARRAY[ROW(a, b)] in the
//     non-recursive term and the producing row's seq || ARRAY[ROW(a, b)]
//     in the recursive term, so that ORDER BY seq sorts depth first.
//   - SEARCH BREADTH FIRST BY a, b SET seq: seq is ROW(depth, a, b), the
//     depth 0 in the non-recursive term and one more than the producing
//     row's in the recursive term.
//   - CYCLE a, b SET mark [TO v DEFAULT d] USING path: path is the array
//     of the rows (a, b) on the path; mark is v when the row's (a, b) is
//     already on the producing row's path, else d; the recursive term
//     does not extend a row whose mark is v.
//
// The recursive term reaches the producing row's added columns through
// the working table, whose added columns carry names no SQL text can
// write (hiddenCTEColumn) and are left out of *; each is passed through
// the recursive term as an extra output column, from which a projection
// above it computes the new values.

// hiddenCTEColumn prefixes the names of the columns the binder adds to a
// recursive query: no identifier can contain a NUL byte.
const hiddenCTEColumn = "\x00cte "

func hiddenCTEName(s string) string { return hiddenCTEColumn + s }

func isHiddenCTEName(s string) bool { return strings.HasPrefix(s, hiddenCTEColumn) }

func hiddenRef(s string, pos int32) *ast.ColumnRef {
	return &ast.ColumnRef{Column: hiddenCTEName(s), Pos: pos}
}

// searchCycle is a recursive query's SEARCH and CYCLE clauses, checked
// against its columns.
type searchCycle struct {
	def   *ast.CTE
	names []string // the query's own columns
	// extra names the added columns in order: seq, then mark and path.
	extra []string
}

// checkSearchCycleForm refuses SEARCH and CYCLE on a recursive query
// whose terms are not both plain SELECTs; it runs before the terms are
// bound, as in PostgreSQL.
func checkSearchCycleForm(def *ast.CTE) error {
	if def.Search == nil && def.Cycle == nil {
		return nil
	}
	q := def.Query
	if q.Left.Op != "" {
		return pgerr.New(pgerr.FeatureNotSupported, "with a SEARCH or CYCLE clause, the left side of the UNION must be a SELECT")
	}
	if q.Right.Op != "" {
		return pgerr.New(pgerr.SyntaxError, "with a SEARCH or CYCLE clause, the right side of the UNION must be a SELECT")
	}
	// The added columns pass through the recursive term from its own
	// FROM list.
	shadowed := false
	for _, c := range q.Right.With {
		shadowed = shadowed || c.Name == def.Name
	}
	if shadowed || !fromNames(q.Right.From, def.Name) {
		return pgerr.New(pgerr.FeatureNotSupported, "with a SEARCH or CYCLE clause, the recursive reference to WITH query \"%s\" must be at the top level of its right-hand SELECT", def.Name)
	}
	return nil
}

// fromNames reports whether a FROM list names the relation name itself,
// outside subqueries.
func fromNames(items []ast.TableExpr, name string) bool {
	for _, it := range items {
		switch x := it.(type) {
		case *ast.TableRef:
			if x.Name == name && !x.System && !x.InfoSchema {
				return true
			}
		case *ast.JoinExpr:
			if fromNames([]ast.TableExpr{x.Left, x.Right}, name) {
				return true
			}
		}
	}
	return false
}

// newSearchCycle checks def's SEARCH and CYCLE clauses against the
// query's column names; nil when it has neither.
func (b *binder) newSearchCycle(def *ast.CTE, cols []Column) (*searchCycle, error) {
	if def.Search == nil && def.Cycle == nil {
		return nil, nil
	}
	sc := &searchCycle{def: def}
	for _, c := range cols {
		sc.names = append(sc.names, c.Name)
	}
	if s := def.Search; s != nil {
		if err := sc.checkColumns(s.Columns, "search", s.Pos); err != nil {
			return nil, err
		}
		if sc.isColumn(s.SeqColumn) {
			return nil, pgerr.New(pgerr.SyntaxError, "search sequence column name \"%s\" already used in WITH query column list", s.SeqColumn).WithPosition(s.Pos)
		}
		sc.extra = append(sc.extra, s.SeqColumn)
	}
	if c := def.Cycle; c != nil {
		if err := sc.checkColumns(c.Columns, "cycle", c.Pos); err != nil {
			return nil, err
		}
		if sc.isColumn(c.MarkColumn) {
			return nil, pgerr.New(pgerr.SyntaxError, "cycle mark column name \"%s\" already used in WITH query column list", c.MarkColumn).WithPosition(c.Pos)
		}
		if sc.isColumn(c.PathColumn) {
			return nil, pgerr.New(pgerr.SyntaxError, "cycle path column name \"%s\" already used in WITH query column list", c.PathColumn).WithPosition(c.Pos)
		}
		if c.MarkColumn == c.PathColumn {
			return nil, pgerr.New(pgerr.SyntaxError, "cycle mark column name and cycle path column name are the same").WithPosition(c.Pos)
		}
		sc.extra = append(sc.extra, c.MarkColumn, c.PathColumn)
	}
	if def.Search != nil && def.Cycle != nil {
		if def.Search.SeqColumn == def.Cycle.MarkColumn {
			return nil, pgerr.New(pgerr.SyntaxError, "search sequence column name and cycle mark column name are the same").WithPosition(def.Search.Pos)
		}
		if def.Search.SeqColumn == def.Cycle.PathColumn {
			return nil, pgerr.New(pgerr.SyntaxError, "search sequence column name and cycle path column name are the same").WithPosition(def.Search.Pos)
		}
	}
	return sc, nil
}

func (sc *searchCycle) isColumn(name string) bool {
	for _, n := range sc.names {
		if n == name {
			return true
		}
	}
	return false
}

func (sc *searchCycle) checkColumns(list []string, what string, pos int32) error {
	for i, n := range list {
		if !sc.isColumn(n) {
			return pgerr.New(pgerr.SyntaxError, "%s column \"%s\" not in WITH query column list", what, n).WithPosition(pos)
		}
		for _, prev := range list[:i] {
			if prev == n {
				return pgerr.New(pgerr.DuplicateColumn, "%s column \"%s\" specified more than once", what, n).WithPosition(pos)
			}
		}
	}
	return nil
}

// row is ROW(columns...) over the term's output columns, named by their
// place (termScope).
func (sc *searchCycle) row(list []string, pos int32, lead ...ast.Expr) *ast.RowExpr {
	r := &ast.RowExpr{Items: lead, Pos: pos}
	for _, n := range list {
		for i, c := range sc.names {
			if c == n {
				r.Items = append(r.Items, hiddenRef("#"+strconv.Itoa(i), pos))
			}
		}
	}
	return r
}

// termScope names a term's output columns by their place, and the added
// columns the recursive term passes through by their own names.
func (sc *searchCycle) termScope(p plan, passed bool) *scope {
	s := &scope{}
	for i, c := range p.columns() {
		name := hiddenCTEName("#" + strconv.Itoa(i))
		if i >= len(sc.names) && passed {
			name = hiddenCTEName(sc.extra[i-len(sc.names)])
		}
		s.cols = append(s.cols, scopeCol{name: name, t: c.Type})
	}
	return s
}

// cycleMarks binds the CYCLE clause's TO and DEFAULT values, cast to
// their common type.
func (b *binder) cycleMarks(c *ast.CTECycle) (value, dflt expr, err error) {
	if value, err = b.bindExpr(c.MarkValue, &scope{}); err != nil {
		return nil, nil, err
	}
	if dflt, err = b.bindExpr(c.MarkDefault, &scope{}); err != nil {
		return nil, nil, err
	}
	t, es, err := b.commonType([]expr{value, dflt}, "CYCLE", c.Pos)
	if err != nil {
		return nil, nil, err
	}
	// The recursive term compares marks with the type's <> operator.
	if err := checkOrderable(t, "equality", 0); err != nil {
		return nil, nil, err
	}
	return es[0], es[1], nil
}

// leftExtras computes the added columns' values for the non-recursive
// term's rows.
func (b *binder) leftExtras(sc *searchCycle, left plan) ([]expr, error) {
	tsc := sc.termScope(left, false)
	var out []expr
	if s := sc.def.Search; s != nil {
		var seq ast.Expr
		if s.BreadthFirst {
			seq = sc.row(s.Columns, s.Pos, &ast.Literal{Kind: "int", Text: "0", Pos: s.Pos})
		} else {
			seq = &ast.ArrayExpr{Items: []ast.Expr{sc.row(s.Columns, s.Pos)}, Pos: s.Pos}
		}
		e, err := b.bindExpr(seq, tsc)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if c := sc.def.Cycle; c != nil {
		_, dflt, err := b.cycleMarks(c)
		if err != nil {
			return nil, err
		}
		path, err := b.bindExpr(&ast.ArrayExpr{Items: []ast.Expr{sc.row(c.Columns, c.Pos)}, Pos: c.Pos}, tsc)
		if err != nil {
			return nil, err
		}
		out = append(out, dflt, path)
	}
	return out, nil
}

// recursiveTerm is the recursive term with the producing rows' added
// columns passed through, and without the rows a cycle ended.
func (sc *searchCycle) recursiveTerm(q *ast.SelectStmt) *ast.SelectStmt {
	r := *q
	r.Targets = append([]ast.Target(nil), q.Targets...)
	for _, n := range sc.extra {
		r.Targets = append(r.Targets, ast.Target{Expr: hiddenRef(n, sc.def.Pos), Pos: sc.def.Pos})
	}
	if c := sc.def.Cycle; c != nil {
		ongoing := &ast.BinaryExpr{Op: "<>", L: hiddenRef(c.MarkColumn, c.Pos), R: c.MarkValue, Pos: c.Pos}
		if r.Where == nil {
			r.Where = ongoing
		} else {
			r.Where = &ast.BinaryExpr{Op: "AND", L: r.Where, R: ongoing, Pos: c.Pos}
		}
	}
	return &r
}

// rightExtras computes the added columns' values for the recursive
// term's rows from its output, cast to the non-recursive term's types.
func (b *binder) rightExtras(sc *searchCycle, right plan, types []Column) ([]expr, error) {
	tsc := sc.termScope(right, true)
	var asts []ast.Expr
	if s := sc.def.Search; s != nil {
		in := hiddenRef(s.SeqColumn, s.Pos)
		if s.BreadthFirst {
			depth := &ast.BinaryExpr{Op: "+", L: &ast.FieldExpr{X: in, Field: "f1", Pos: s.Pos},
				R: &ast.Literal{Kind: "int", Text: "1", Pos: s.Pos}, Pos: s.Pos}
			asts = append(asts, sc.row(s.Columns, s.Pos, depth))
		} else {
			asts = append(asts, &ast.BinaryExpr{Op: "||", L: in,
				R: &ast.ArrayExpr{Items: []ast.Expr{sc.row(s.Columns, s.Pos)}, Pos: s.Pos}, Pos: s.Pos})
		}
	}
	if c := sc.def.Cycle; c != nil {
		path := hiddenRef(c.PathColumn, c.Pos)
		seen := &ast.InExpr{X: sc.row(c.Columns, c.Pos), Op: "=", Array: path, Pos: c.Pos}
		asts = append(asts,
			&ast.CaseExpr{Whens: []ast.CaseWhen{{Cond: seen, Result: c.MarkValue}}, Else: c.MarkDefault, Pos: c.Pos},
			&ast.BinaryExpr{Op: "||", L: path, R: &ast.ArrayExpr{Items: []ast.Expr{sc.row(c.Columns, c.Pos)}, Pos: c.Pos}, Pos: c.Pos})
	}
	out := make([]expr, len(asts))
	for i, a := range asts {
		e, err := b.bindExpr(a, tsc)
		if err != nil {
			return nil, err
		}
		if out[i], err = b.cast(e, types[i].Type, false, sc.def.Pos); err != nil {
			return nil, err
		}
	}
	return out, nil
}
