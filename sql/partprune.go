package sql

import (
	"context"
	"slices"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Partition pruning when the query is planned.
//
// A scan's pruner (partPruner) evaluates the WHERE conditions on
// partition key columns when the scan starts and skips the partitions
// they exclude. Where those conditions are constants, PostgreSQL's
// planner prunes the partitions already, and EXPLAIN lists only the
// partitions left. planPrune does the same: it evaluates the constant
// conditions, and the IS [NOT] NULL tests on key columns, once, and
// marks the members they exclude as pruned; the scan never reads them
// and EXPLAIN does not show them.

// planPrune marks the members of scan that the WHERE conjuncts conjs
// exclude: their constant key conditions (conds), null tests and
// character equalities, and a condition OR-ing such conditions, which
// excludes what each of its arms excludes.
func (b *binder) planPrune(scan *scanNode, conds map[int][]keyCond, conjs []ast.Expr, sc *scope, off int) {
	if b.s == nil {
		return
	}
	if _, v, ok := b.s.settingValue("enable_partition_pruning"); ok && v == "off" {
		return
	}
	for m := range b.excludedBy(scan, conds, conjs, sc, off) {
		m.pruned = true
	}
	for _, conj := range conjs {
		for _, e := range splitAnd(conj) {
			arms := splitOr(e)
			if len(arms) < 2 {
				continue
			}
			var common map[*inhMember]bool
			for i, arm := range arms {
				armConjs := []ast.Expr{arm}
				ex := b.excludedBy(scan, b.keyConds(armConjs, sc, scan.table, off), armConjs, sc, off)
				if i == 0 {
					common = ex
					continue
				}
				for m := range common {
					if !ex[m] {
						delete(common, m)
					}
				}
			}
			for m := range common {
				m.pruned = true
			}
		}
	}
}

// splitOr flattens a chain of ORs into its arms.
func splitOr(e ast.Expr) []ast.Expr {
	if be, ok := e.(*ast.BinaryExpr); ok && be.Op == "OR" {
		return append(splitOr(be.L), splitOr(be.R)...)
	}
	return []ast.Expr{e}
}

// excludedBy returns the leaf members of scan that conjs (with conds
// their key conditions) exclude, by their constant conditions alone.
func (b *binder) excludedBy(scan *scanNode, conds map[int][]keyCond, conjs []ast.Expr, sc *scope, off int) map[*inhMember]bool {
	fixed := make(map[int][]keyCond)
	for col, cs := range conds {
		for _, c := range cs {
			if c.fixed {
				fixed[col] = append(fixed[col], c)
			}
		}
	}
	var pc *prunedConds
	if p := newPruner(scan.inh, fixed); p != nil {
		x := &execCtx{ctx: context.Background(), s: b.s, mem: &b.s.mem}
		var err error
		if pc, err = p.eval(&evalCtx{exec: x}); err != nil {
			// An error is the scan's to report when it runs.
			return nil
		}
	}
	if nulls := b.nullTests(conjs, sc, scan.table, off); len(nulls) > 0 {
		if pc == nil {
			pc = &prunedConds{}
		}
		pc.nulls = nulls
	}
	if chars := b.charEqualities(conjs, sc, scan.table, off); len(chars) > 0 {
		if pc == nil {
			pc = &prunedConds{}
		}
		pc.chars = chars
	}
	if pc == nil {
		return nil
	}
	out := make(map[*inhMember]bool)
	for _, m := range scan.inh {
		if m.table.IsPartitioned() {
			continue
		}
		if pc.none || pc.excludes(m.levels) {
			out[m] = true
		}
	}
	return out
}

// nullTests collects the conjuncts column IS NULL (true) and column IS
// NOT NULL (false) on the columns of table, which sit at scope offsets
// [off, off+width).
func (b *binder) nullTests(conjs []ast.Expr, sc *scope, table *catalog.TableDesc, off int) map[int]bool {
	var out map[int]bool
	for _, conj := range conjs {
		for _, e := range splitAnd(conj) {
			is, ok := e.(*ast.IsExpr)
			if !ok || is.What != "NULL" {
				continue
			}
			cr, ok := is.X.(*ast.ColumnRef)
			if !ok || !b.inScope(cr, sc) {
				continue
			}
			idx, level, _, err := sc.resolve(cr)
			if err != nil || level != 0 || idx < off || idx >= off+len(table.Columns) {
				continue
			}
			if out == nil {
				out = make(map[int]bool)
			}
			if was, seen := out[idx-off]; seen && was != !is.Not {
				// col IS NULL AND col IS NOT NULL: no row passes; left
				// to the filter.
				continue
			}
			out[idx-off] = !is.Not
		}
	}
	return out
}

// excludesNulls reports whether the null tests exclude every row of a
// partition at level lv: a range partition admits no NULL key, a list
// partition a NULL key only when NULL is among its values, and only
// NULL when that is its only value. A default partition is never
// excluded.
func (c *prunedConds) excludesNulls(lv *partLevel) bool {
	if lv.bound.def {
		return false
	}
	for k, col := range lv.keyCols {
		if col < 0 {
			continue
		}
		isNull, tested := c.nulls[col]
		if !tested {
			continue
		}
		switch lv.strategy {
		case "r":
			if isNull {
				return true
			}
		case "l":
			if k > 0 {
				continue
			}
			hasNull, hasValue := false, false
			for _, v := range lv.bound.in {
				if v == nil {
					hasNull = true
				} else {
					hasValue = true
				}
			}
			if isNull && !hasNull || !isNull && !hasValue {
				return true
			}
		}
	}
	return false
}

// charEqualities collects, for the character(n) columns of table (at
// scope offsets [off, off+width)), the constant values the conjuncts
// column = constant and column IN (constants) allow. Key conditions
// (keyConds) leave character(n) out, as index keys hold padded values;
// a list partition's values compare as character values do, without
// trailing blanks.
func (b *binder) charEqualities(conjs []ast.Expr, sc *scope, table *catalog.TableDesc, off int) map[int][]types.Datum {
	var out map[int][]types.Datum
	column := func(e ast.Expr) int {
		cr, ok := e.(*ast.ColumnRef)
		if !ok || !b.inScope(cr, sc) {
			return -1
		}
		idx, level, _, err := sc.resolve(cr)
		if err != nil || level != 0 || idx < off || idx >= off+len(table.Columns) || table.Columns[idx-off].Type.ID != types.Bpchar {
			return -1
		}
		return idx - off
	}
	values := func(col int, list []ast.Expr) ([]types.Datum, bool) {
		var vals []types.Datum
		for _, v := range list {
			if !foldableQual(v) {
				return nil, false
			}
			e, err := b.bindExpr(v, sc)
			if err != nil {
				return nil, false
			}
			if e, err = b.cast(e, table.Columns[col].Type, false, 0); err != nil {
				return nil, false
			}
			d, err := b.evalConstant(e)
			if err != nil {
				return nil, false
			}
			if d != nil {
				vals = append(vals, d)
			}
		}
		return vals, true
	}
	add := func(col int, list []ast.Expr) {
		vals, ok := values(col, list)
		if !ok {
			return
		}
		if out == nil {
			out = make(map[int][]types.Datum)
		}
		if old, seen := out[col]; seen {
			// Both conditions hold: the values both allow.
			vals = slices.DeleteFunc(vals, func(v types.Datum) bool {
				return !slices.ContainsFunc(old, func(o types.Datum) bool { return types.CompareBpchar(o, v) == 0 })
			})
		}
		out[col] = vals
	}
	for _, conj := range conjs {
		for _, e := range splitAnd(conj) {
			switch x := e.(type) {
			case *ast.BinaryExpr:
				if x.Op != "=" {
					continue
				}
				if col := column(x.L); col >= 0 {
					add(col, []ast.Expr{x.R})
				} else if col := column(x.R); col >= 0 {
					add(col, []ast.Expr{x.L})
				}
			case *ast.InExpr:
				if x.Query != nil || x.Not || x.Op != "" || len(x.List) == 0 {
					continue
				}
				if col := column(x.X); col >= 0 {
					add(col, x.List)
				}
			}
		}
	}
	return out
}

// excludesChars reports whether the character(n) equalities exclude
// every row of list partition level lv: none of its values is allowed.
func (c *prunedConds) excludesChars(lv *partLevel) bool {
	if lv.strategy != "l" || lv.bound.def || len(lv.keyCols) != 1 {
		return false
	}
	allowed, ok := c.chars[lv.keyCols[0]]
	if !ok {
		return false
	}
	for _, v := range lv.bound.in {
		if v == nil {
			continue
		}
		if _, isText := v.(string); !isText {
			return false
		}
		if slices.ContainsFunc(allowed, func(a types.Datum) bool { return types.CompareBpchar(a, v) == 0 }) {
			return false
		}
	}
	return true
}
