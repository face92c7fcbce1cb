package sql

import (
	"math/big"
	"slices"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// scope is the set of columns an expression may name: the FROM items of one
// query level, with the enclosing query's scope as parent.
type scope struct {
	cols   []scopeCol
	parent *scope
	// agg is set when the query level aggregates: column references must
	// then be grouped or inside an aggregate.
	agg *aggScope
	// win is set where the query level's select list and ORDER BY are
	// bound: window function calls are allowed there (window.go).
	win *windowScope
	// correlated is set when an expression bound in this scope (or below)
	// refers to a column of an enclosing scope.
	correlated bool
	// setOpLeaf is set for a SELECT that is an operand of UNION, INTERSECT
	// or EXCEPT: its unknown-type literals stay unknown, to take the type
	// of the other operand's column.
	setOpLeaf bool
	// onOuterRef, when set, hears of each column of this scope that an
	// expression of a nested scope names: how a LATERAL item's scope
	// learns which earlier FROM items it reads (lateral.go).
	onOuterRef func(idx int) error
	// level, on the scope a query level's select list is bound in, is
	// the scope bindSelect was given for the level (aggouter.go).
	level *scope
}

type scopeCol struct {
	table string // alias or table name; "" for unnamed subquery columns
	name  string
	t     types.T
	// starPos, when set, is the column's place (from 1) in * and t.*
	// and a whole-row reference t: a descendant's row in a part of an
	// UPDATE or DELETE of a hierarchy shows in the named table's order.
	starPos int
	// tableID and attr name the base table column, for RowDescription.
	tableID uint32
	attr    int16
	// system marks a system column (tableoid): it is found by name but
	// left out of *.
	system bool
	// schema is the schema of the table the column belongs to, when the
	// FROM item is the table without alias: what schema.table.column
	// must match.
	schema string
	// qualifiedOnly marks a column a JOIN ... USING merged: found only
	// by its qualified name (a.x) and in a.*, not by its bare name or in
	// *, which find the merged column.
	qualifiedOnly bool
	// usingSame, when not 0, is the distance to the column (in the same
	// FROM item) that this merged JOIN ... USING column always equals:
	// the left column of an inner or LEFT join, the right one of a RIGHT
	// join. Grouping by either groups the other.
	usingSame int
	// nullable marks a column of the nullable side of an outer join: a
	// whole-row reference to its FROM item is NULL for a NULL-extended
	// row, not a record of NULLs.
	nullable bool
	// values, when set, is the VALUES list the column is read from (a
	// FROM (VALUES ...) item): EXPLAIN names the column as PostgreSQL
	// does after pulling the subquery up, "*VALUES*".columnN.
	values    *valuesNode
	valuesCol string
	// unionAll, when set, is the UNION ALL a FROM subquery's column is
	// read from: EXPLAIN prints a reference to it above the Append as
	// PostgreSQL does, as the first operand's column unionCol.
	unionAll *setOpNode
	unionCol int
	// usingCast, when not 0, is the distance to the column this merged
	// JOIN ... USING column is a conversion of (its type differs from
	// the merged one's): grouping by that column groups this one, not
	// the other way round.
	usingCast int
}

type aggScope struct {
	from   *scope
	groups []expr
	keys   []string // exprKey of each GROUP BY expression
	aggs   []*aggSpec
	aggKey map[string]int
	// groupCol maps a FROM-scope column index to its GROUP BY position.
	groupCol map[int]int
	// sets is set for GROUP BY with grouping sets: for each set, which
	// of groups are in it (groupingsets.go); targetGroup then maps a
	// select-list entry that is a GROUP BY item to its group.
	sets        [][]bool
	targetGroup map[int]int
}

func (s *scope) hasTable(name string) bool {
	for _, c := range s.cols {
		if c.table == name {
			return true
		}
	}
	return false
}

// resolve finds a column by optional table and name: its index and the
// number of scope levels up where it was found.
func (s *scope) resolve(ref *ast.ColumnRef) (idx, level int, sc *scope, err error) {
	level = 0
	if ref.Index > 0 && ref.Index <= len(s.cols) {
		return ref.Index - 1, 0, s, nil
	}
	for cur := s; cur != nil; cur = cur.parent {
		found := -1
		for i, c := range cur.cols {
			if c.name != ref.Column || (ref.Table != "" && c.table != ref.Table) || ref.Table == "" && c.qualifiedOnly || ref.Schema != "" && c.schema != ref.Schema {
				continue
			}
			if found >= 0 && ref.Table != "" && cur.cols[found].tableID != c.tableID {
				// Two tables of one name: ON CONFLICT's EXCLUDED beside a
				// target table named excluded.
				return 0, 0, nil, pgerr.New(pgerr.AmbiguousAlias, "table reference \"%s\" is ambiguous", ref.Table).WithPosition(ref.Pos)
			}
			if found >= 0 {
				return 0, 0, nil, pgerr.New(pgerr.AmbiguousColumn, "column reference \"%s\" is ambiguous", ref.Column).WithPosition(ref.Pos)
			}
			found = i
		}
		if found >= 0 {
			for c, n := s, 0; n < level; c, n = c.parent, n+1 {
				c.correlated = true
			}
			if level > 0 && cur.onOuterRef != nil {
				if err := cur.onOuterRef(found); err != nil {
					return 0, 0, nil, err
				}
			}
			return found, level, cur, nil
		}
		level++
	}
	if ref.Table != "" {
		known := false
		for cur := s; cur != nil; cur = cur.parent {
			known = known || cur.hasTable(ref.Table)
		}
		if !known {
			return 0, 0, nil, pgerr.New(pgerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", ref.Table).WithPosition(ref.Pos)
		}
		return 0, 0, nil, pgerr.New(pgerr.UndefinedColumn, "column %s.%s does not exist", ref.Table, ref.Column).WithPosition(ref.Pos)
	}
	return 0, 0, nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" does not exist", ref.Column).WithPosition(ref.Pos)
}

// exprKey renders an expression without positions, so that the same
// expression written twice (in SELECT and GROUP BY) compares equal.
func exprKey(e ast.Expr) string {
	var b strings.Builder
	writeKey(&b, e)
	return b.String()
}

func writeKey(b *strings.Builder, e ast.Expr) {
	switch x := e.(type) {
	case nil:
		b.WriteString("_")
	case *ast.Literal:
		b.WriteString(x.Kind + ":" + x.Text)
		if x.Kind == "bool" {
			if x.Bool {
				b.WriteString("t")
			} else {
				b.WriteString("f")
			}
		}
	case *ast.ColumnRef:
		b.WriteString("col:" + x.Table + "." + x.Column)
	case *ast.ParamRef:
		b.WriteString("$" + itoa(x.N))
	case *ast.UnaryExpr:
		b.WriteString("(" + x.Op + " ")
		writeKey(b, x.X)
		b.WriteString(")")
	case *ast.BinaryExpr:
		b.WriteString("(")
		writeKey(b, x.L)
		b.WriteString(" " + x.Op + " ")
		writeKey(b, x.R)
		b.WriteString(")")
	case *ast.IsExpr:
		b.WriteString("(is ")
		writeKey(b, x.X)
		b.WriteString(" " + x.What)
		if x.Not {
			b.WriteString(" not")
		}
		writeKey(b, x.Y)
		b.WriteString(")")
	case *ast.FuncCall:
		if w := x.Over; w != nil {
			b.WriteString("over(")
			for _, p := range w.PartitionBy {
				writeKey(b, p)
				b.WriteString(",")
			}
			b.WriteString(" order ")
			for _, o := range w.OrderBy {
				writeKey(b, o.Expr)
				if o.Desc {
					b.WriteString(" desc")
				}
				if o.NullsFirst != nil {
					b.WriteString(map[bool]string{true: " nf", false: " nl"}[*o.NullsFirst])
				}
				b.WriteString(",")
			}
			b.WriteString(" frame " + w.Frame.Mode + " " + w.Frame.Start.Kind + " ")
			writeKey(b, w.Frame.Start.Offset)
			b.WriteString(" " + w.Frame.End.Kind + " ")
			writeKey(b, w.Frame.End.Offset)
			b.WriteString(") ")
		}
		b.WriteString(x.Name + "(")
		if x.Star {
			b.WriteString("*")
		}
		if x.Distinct {
			b.WriteString("distinct ")
		}
		for _, a := range x.Args {
			writeKey(b, a)
			b.WriteString(",")
		}
		b.WriteString(")")
		if x.Filter != nil {
			b.WriteString(" filter(")
			writeKey(b, x.Filter)
			b.WriteString(")")
		}
		if x.WithinGroup {
			b.WriteString(" within")
		}
		for _, o := range x.OrderBy {
			b.WriteString(" order(")
			writeKey(b, o.Expr)
			if o.Desc {
				b.WriteString(" desc")
			}
			if o.NullsFirst != nil {
				b.WriteString(map[bool]string{true: " nulls first", false: " nulls last"}[*o.NullsFirst])
			}
			b.WriteString(")")
		}
	case *ast.CastExpr:
		b.WriteString("cast(")
		writeKey(b, x.X)
		b.WriteString(" as " + x.Type.Name)
		if x.Type.Array {
			b.WriteString("[]")
		}
		b.WriteString(")")
	case *ast.RowExpr:
		b.WriteString("row(")
		for _, a := range x.Items {
			writeKey(b, a)
			b.WriteString(",")
		}
		b.WriteString(")")
	case *ast.CollateExpr:
		b.WriteString("collate(")
		writeKey(b, x.X)
		b.WriteString(" " + x.Name + ")")
	case *ast.CaseExpr:
		b.WriteString("case(")
		writeKey(b, x.Arg)
		for _, w := range x.Whens {
			writeKey(b, w.Cond)
			b.WriteString("=>")
			writeKey(b, w.Result)
		}
		writeKey(b, x.Else)
		b.WriteString(")")
	case *ast.InExpr:
		b.WriteString("in(")
		writeKey(b, x.X)
		for _, a := range x.List {
			writeKey(b, a)
		}
		if x.Query != nil {
			b.WriteString("subquery@" + itoa(int(x.Pos)))
		}
		if x.Array != nil {
			b.WriteString(" array ")
			writeKey(b, x.Array)
		}
		if x.Not {
			b.WriteString(" not")
		}
		if x.Op != "" {
			b.WriteString(" " + x.Op)
			if x.All {
				b.WriteString(" all")
			}
		}
		b.WriteString(")")
	case *ast.BetweenExpr:
		b.WriteString("between(")
		writeKey(b, x.X)
		writeKey(b, x.Lo)
		writeKey(b, x.Hi)
		if x.Not {
			b.WriteString(" not")
		}
		if x.Symmetric {
			b.WriteString(" symmetric")
		}
		b.WriteString(")")
	case *ast.SubqueryExpr:
		// Subqueries are compared by identity: two textually equal
		// subqueries are still bound separately.
		b.WriteString("subquery@" + itoa(int(x.Pos)))
	case *ast.ArrayExpr:
		b.WriteString("array[")
		for _, a := range x.Items {
			writeKey(b, a)
			b.WriteString(",")
		}
		b.WriteString("]")
	case *ast.FieldExpr:
		b.WriteString("field(")
		writeKey(b, x.X)
		b.WriteString(" ." + x.Field + ")")
	case *ast.SubscriptExpr:
		b.WriteString("subscript(")
		writeKey(b, x.X)
		for k, i := range x.Indexes {
			b.WriteString("[")
			if x.Slice {
				if x.Lowers[k] != nil {
					writeKey(b, x.Lowers[k])
				}
				b.WriteString(":")
			}
			if i != nil {
				writeKey(b, i)
			}
			b.WriteString("]")
		}
		b.WriteString(")")
	case *ast.GroupingFunc:
		b.WriteString("grouping(")
		for _, a := range x.Args {
			writeKey(b, a)
			b.WriteString(",")
		}
		b.WriteString(")")
	default:
		b.WriteString("?")
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// starOrder returns cols in the order * expands them: by starPos when the
// columns have one.
func starOrder(cols []scopeCol) []scopeCol {
	order := starOrderIndexes(cols)
	out := make([]scopeCol, len(order))
	for k, i := range order {
		out[k] = cols[i]
	}
	return out
}

// starOrderIndexes is starOrder as indexes into cols.
func starOrderIndexes(cols []scopeCol) []int {
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	if !slices.ContainsFunc(cols, func(c scopeCol) bool { return c.starPos != 0 }) {
		return order
	}
	// The columns that have one trade places among themselves; the
	// others (another FROM item's) keep theirs.
	var at, sorted []int
	for i, c := range cols {
		if c.starPos != 0 {
			at, sorted = append(at, i), append(sorted, i)
		}
	}
	slices.SortStableFunc(sorted, func(a, b int) int { return cols[a].starPos - cols[b].starPos })
	for k, i := range at {
		order[i] = sorted[k]
	}
	return order
}
