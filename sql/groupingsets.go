package sql

import (
	"slices"
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Grouping sets: GROUP BY ROLLUP (a, b), CUBE (a, b), GROUPING SETS ((a),
// (b), ()) and their combinations with plain GROUP BY items, as
// PostgreSQL 15 expands them (parse_agg.c's expand_grouping_sets): each
// top-level item stands for a list of sets, and the query's sets are the
// cartesian product of those lists, each set the union of one set of
// every item. GROUP BY DISTINCT drops duplicate sets.
//
// The aggregation (aggNode) groups by the distinct expressions of all
// sets plus one more value, the number of the row's set; an expression
// not in a set is NULL in that set's groups. GROUPING(a, b) reads the
// set number and returns a bit for each argument, the first argument the
// highest bit, set when the argument is not grouped in that set.

// maxGroupingSets is PostgreSQL's limit on the grouping sets of a query;
// maxCubeItems its limit on the items of one CUBE.
const (
	maxGroupingSets = 4096
	maxCubeItems    = 12
)

// hasGroupingSets reports whether a GROUP BY list uses grouping set
// constructs.
func hasGroupingSets(items []ast.Expr) bool {
	for _, g := range items {
		if gs, ok := g.(*ast.GroupingSet); ok && gs.Kind != "LIST" {
			return true
		}
	}
	return false
}

// expandGroupingSets returns the grouping sets of a GROUP BY list, each
// as the list of its expressions (duplicates possible).
func expandGroupingSets(items []ast.Expr, distinct bool) ([][]ast.Expr, error) {
	sets := [][]ast.Expr{nil}
	for _, item := range items {
		expanded, err := expandGroupItem(item)
		if err != nil {
			return nil, err
		}
		if len(sets)*len(expanded) > maxGroupingSets {
			return nil, pgerr.New(pgerr.StatementTooComplex, "too many grouping sets present (maximum %d)", maxGroupingSets)
		}
		product := make([][]ast.Expr, 0, len(sets)*len(expanded))
		for _, s := range sets {
			for _, e := range expanded {
				product = append(product, append(slices.Clip(s), e...))
			}
		}
		sets = product
	}
	if distinct {
		seen := make(map[string]bool, len(sets))
		out := sets[:0]
		for _, s := range sets {
			keys := make([]string, 0, len(s))
			for _, e := range s {
				if k := exprKey(e); !slices.Contains(keys, k) {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			k := ""
			for _, x := range keys {
				k += strconv.Itoa(len(x)) + ":" + x
			}
			if !seen[k] {
				seen[k] = true
				out = append(out, s)
			}
		}
		sets = out
	}
	return sets, nil
}

// expandGroupItem returns the sets one GROUP BY item stands for.
func expandGroupItem(item ast.Expr) ([][]ast.Expr, error) {
	gs, ok := item.(*ast.GroupingSet)
	if !ok {
		return [][]ast.Expr{{item}}, nil
	}
	switch gs.Kind {
	case "EMPTY":
		return [][]ast.Expr{nil}, nil
	case "LIST":
		return [][]ast.Expr{gs.Items}, nil
	case "ROLLUP":
		// ROLLUP (a, b, c) is (a, b, c), (a, b), (a), ().
		var out [][]ast.Expr
		for n := len(gs.Items); n >= 0; n-- {
			var set []ast.Expr
			for _, u := range gs.Items[:n] {
				set = append(set, groupUnit(u)...)
			}
			out = append(out, set)
		}
		return out, nil
	case "CUBE":
		if len(gs.Items) > maxCubeItems {
			return nil, pgerr.New(pgerr.TooManyColumns, "CUBE is limited to %d elements", maxCubeItems).WithPosition(gs.Pos)
		}
		// Every subset, in the order of the bit masks that pick them.
		n := len(gs.Items)
		out := make([][]ast.Expr, 0, 1<<n)
		for mask := 0; mask < 1<<n; mask++ {
			var set []ast.Expr
			for i, u := range gs.Items {
				if mask&(1<<i) != 0 {
					set = append(set, groupUnit(u)...)
				}
			}
			out = append(out, set)
		}
		return out, nil
	}
	// GROUPING SETS: the sets of each item, in turn.
	var out [][]ast.Expr
	for _, it := range gs.Items {
		sub, err := expandGroupItem(it)
		if err != nil {
			return nil, err
		}
		out = append(out, sub...)
		if len(out) > maxGroupingSets {
			return nil, pgerr.New(pgerr.StatementTooComplex, "too many grouping sets present (maximum %d)", maxGroupingSets)
		}
	}
	return out, nil
}

// groupUnit returns the expressions of one item of ROLLUP or CUBE.
func groupUnit(u ast.Expr) []ast.Expr {
	if gs, ok := u.(*ast.GroupingSet); ok && gs.Kind == "LIST" {
		return gs.Items
	}
	return []ast.Expr{u}
}

// flattenGroupBy returns a GROUP BY list without grouping set constructs
// as its expressions, parenthesized lists taken apart.
func flattenGroupBy(items []ast.Expr) []ast.Expr {
	var out []ast.Expr
	for _, g := range items {
		if gs, ok := g.(*ast.GroupingSet); ok {
			out = append(out, flattenGroupBy(gs.Items)...)
			continue
		}
		out = append(out, g)
	}
	return out
}

// groupSetNumber stands in aggNode.groups for the number of a row's
// grouping set, which aggNode sets itself.
type groupSetNumber struct{}

func (groupSetNumber) Type() types.T { return types.New(types.Int8) }
func (groupSetNumber) Eval(*evalCtx, []types.Datum) (types.Datum, error) {
	return nil, pgerr.New(pgerr.InternalError, "grouping set number evaluated outside its aggregation")
}

// setValues returns a group's values in grouping set s: vals with the
// expressions not in s replaced by NULL and the last one by s.
func (n *aggNode) setValues(vals []types.Datum, s int) []types.Datum {
	out := make([]types.Datum, len(n.groups))
	for i, in := range n.sets[s] {
		if in && vals != nil {
			out[i] = vals[i]
		}
	}
	out[len(out)-1] = int64(s)
	return out
}

// groupingExpr is GROUPING(...): masks[s] is its value in grouping set s,
// whose number set reads.
type groupingExpr struct {
	set   *colExpr
	masks []int64
}

func (e *groupingExpr) Type() types.T { return types.New(types.Int4) }
func (e *groupingExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.set.Eval(c, row)
	if err != nil {
		return nil, err
	}
	s, ok := v.(int64)
	if !ok || s < 0 || int(s) >= len(e.masks) {
		return nil, pgerr.New(pgerr.InternalError, "GROUPING read no grouping set")
	}
	return e.masks[s], nil
}

// maxGroupingArgs bounds GROUPING's arguments: its value is an int4 mask.
const maxGroupingArgs = 31

// bindGroupingFunc binds GROUPING(args) at the query level whose GROUP BY
// expressions the arguments are: sc's own level or, from a subquery, an
// enclosing one.
func (b *binder) bindGroupingFunc(x *ast.GroupingFunc, sc *scope) (expr, error) {
	if len(x.Args) > maxGroupingArgs {
		return nil, pgerr.New(pgerr.TooManyArguments, "GROUPING must have fewer than 32 arguments").WithPosition(x.Pos)
	}
	notGrouping := pgerr.New(pgerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level").WithPosition(x.Pos)
	// The level is the innermost one whose columns the arguments name.
	level := -1
	for _, arg := range x.Args {
		var err error
		ast.WalkExpr(arg, func(e ast.Expr) bool {
			if ref, ok := e.(*ast.ColumnRef); ok && err == nil {
				var l int
				if _, l, _, err = sc.resolve(ref); err == nil && (level < 0 || l < level) {
					level = l
				}
			}
			_, sub := e.(*ast.SubqueryExpr)
			return err == nil && !sub
		})
		if err != nil {
			return nil, err
		}
	}
	level = max(level, 0)
	cur := sc
	for n := 0; n < level; n++ {
		cur = cur.parent
	}
	if cur.agg == nil {
		return nil, notGrouping
	}
	a := cur.agg
	pos := make([]int, len(x.Args))
	for i, arg := range x.Args {
		pos[i] = slices.Index(a.keys, exprKey(arg))
		if ref, ok := arg.(*ast.ColumnRef); ok && pos[i] < 0 {
			// A column however qualified: the GROUP BY column it is.
			if idx, l, _, err := sc.resolve(ref); err == nil && l == level {
				if p, ok := a.groupCol[idx]; ok {
					pos[i] = p
				}
			}
		}
		if pos[i] < 0 {
			return nil, notGrouping
		}
	}
	if level > 0 {
		for c, n := sc, 0; n < level; c, n = c.parent, n+1 {
			c.correlated = true
		}
	}
	if a.sets == nil {
		// Plain GROUP BY: every argument is grouped in the one set.
		return &constExpr{t: types.New(types.Int4), v: int64(0)}, nil
	}
	masks := make([]int64, len(a.sets))
	for s, set := range a.sets {
		for i, p := range pos {
			if !set[p] {
				masks[s] |= 1 << (len(pos) - 1 - i)
			}
		}
	}
	return &groupingExpr{set: &colExpr{t: types.New(types.Int8), idx: len(a.groups) - 1, level: level}, masks: masks}, nil
}

// containsGroupingFunc returns the first GROUPING(...) in e outside a
// subquery, or nil.
func containsGroupingFunc(e ast.Expr) *ast.GroupingFunc {
	var found *ast.GroupingFunc
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if g, ok := x.(*ast.GroupingFunc); ok && found == nil {
			found = g
		}
		_, sub := x.(*ast.SubqueryExpr)
		return found == nil && !sub
	})
	return found
}

// bindGroupBy binds q's GROUP BY into a: its expressions and, with
// grouping sets, the sets and the slot for the set number.
func (b *binder) bindGroupBy(q *ast.SelectStmt, targets []ast.Target, sc *scope, a *aggScope) error {
	// resolve returns the expression a GROUP BY item stands for and the
	// select-list entry it is (-1 for none): the one it names by
	// position or alias, or the first equal to it.
	resolve := func(g ast.Expr) (ast.Expr, int, error) {
		if lit, ok := g.(*ast.Literal); ok && lit.Kind == "int" {
			n, _ := strconv.Atoi(lit.Text)
			if n < 1 || n > len(targets) {
				return nil, -1, pgerr.New(pgerr.InvalidColumnReference, "GROUP BY position %d is not in select list", n).WithPosition(lit.Pos)
			}
			return targets[n-1].Expr, n - 1, nil
		}
		if ref, ok := g.(*ast.ColumnRef); ok && ref.Table == "" && !b.inScope(ref, sc) {
			// GROUP BY may name an output column.
			for i, t := range targets {
				if t.Alias == ref.Column {
					return t.Expr, i, nil
				}
			}
		}
		key := exprKey(g)
		for i, t := range targets {
			if !t.Star && exprKey(t.Expr) == key {
				return g, i, nil
			}
		}
		return g, -1, nil
	}
	// With grouping sets, GROUP BY items are told apart as PostgreSQL's
	// select-list entries are: two entries of one expression are two
	// grouping columns, each NULL in the sets without it.
	var idents []string
	add := func(g ast.Expr) (int, error) {
		g, target, err := resolve(g)
		if err != nil {
			return 0, err
		}
		ident := "e:" + exprKey(g)
		if target >= 0 {
			ident = "t:" + strconv.Itoa(target)
		}
		if a.sets != nil {
			if i := slices.Index(idents, ident); i >= 0 {
				return i, nil
			}
		}
		if containsAggregate(g) {
			return 0, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in GROUP BY").WithPosition(g.Position())
		}
		e, err := b.bindExpr(g, sc)
		if err != nil {
			return 0, err
		}
		if err := checkOrderable(e.Type(), "equality", g.Position()); err != nil {
			return 0, err
		}
		if c, ok := e.(*colExpr); ok && c.level == 0 {
			if _, dup := a.groupCol[c.idx]; !dup {
				a.groupCol[c.idx] = len(a.groups)
			}
		}
		if a.sets != nil && target >= 0 {
			if a.targetGroup == nil {
				a.targetGroup = make(map[int]int)
			}
			a.targetGroup[target] = len(a.groups)
		}
		a.groups = append(a.groups, e)
		a.keys = append(a.keys, exprKey(g))
		idents = append(idents, ident)
		return len(a.groups) - 1, nil
	}
	if !hasGroupingSets(q.GroupBy) {
		for _, g := range flattenGroupBy(q.GroupBy) {
			if _, err := add(g); err != nil {
				return err
			}
		}
		b.groupDependents(a, sc)
		return nil
	}
	sets, err := expandGroupingSets(q.GroupBy, q.GroupDistinct)
	if err != nil {
		return err
	}
	a.sets = make([][]bool, len(sets)) // marks the scope as one of sets for add
	members := make([][]int, len(sets))
	// The expressions in the order the GROUP BY list names them.
	for _, g := range flattenGroupBy(q.GroupBy) {
		if _, err := add(g); err != nil {
			return err
		}
	}
	for s, set := range sets {
		for _, g := range set {
			i, err := add(g)
			if err != nil {
				return err
			}
			members[s] = append(members[s], i)
		}
	}
	// Columns that depend on a primary key grouped in every set are
	// grouped in every set too.
	common := make(map[int]int)
	for col, pos := range a.groupCol {
		every := true
		for _, m := range members {
			every = every && slices.Contains(m, pos)
		}
		if every {
			common[col] = pos
		}
	}
	dep := &aggScope{groups: a.groups, keys: a.keys, groupCol: common}
	b.groupDependents(dep, sc)
	for pos := len(a.groups); pos < len(dep.groups); pos++ {
		for s := range members {
			members[s] = append(members[s], pos)
		}
	}
	for col, pos := range dep.groupCol {
		if _, grouped := a.groupCol[col]; !grouped && pos >= len(a.groups) {
			a.groupCol[col] = pos
		}
	}
	a.groups, a.keys = dep.groups, dep.keys
	a.groups = append(a.groups, groupSetNumber{})
	a.keys = append(a.keys, "\x00grouping set")
	for s := range sets {
		a.sets[s] = make([]bool, len(a.groups))
		for _, i := range members[s] {
			a.sets[s][i] = true
		}
	}
	return nil
}

// groupOf returns the group a select-list entry is, with grouping sets.
func (a *aggScope) groupOf(target int) (int, bool) {
	if a == nil {
		return 0, false
	}
	pos, ok := a.targetGroup[target]
	return pos, ok
}
