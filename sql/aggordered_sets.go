package sql

import (
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Direct arguments of ordered-set aggregates under grouping sets. The
// direct arguments are evaluated once per group, and may only read the
// query's grouped columns; under GROUPING SETS a column not in a group's
// set reads as NULL there (rank(a) WITHIN GROUP (ORDER BY b) in the
// grand total of ROLLUP (a) ranks a NULL). The per-row evaluation of the
// arguments over the input rows (aggSpec.sep) cannot see that, so for a
// query with grouping sets they are bound a second time over the group's
// row, and evaluated there when the group's result is made.

// bindGroupedDirectArgs binds the direct arguments of the ordered-set
// aggregate call x, whose spec is spec, over the groups of a, setting
// spec.ordered.groupedSep.
func (b *binder) bindGroupedDirectArgs(x *ast.FuncCall, spec *aggSpec, sc *scope) error {
	if a := sc.agg; a == nil || a.sets == nil || spec.ordered == nil || spec.sep == nil || len(x.Args) == 0 {
		return nil
	}
	saved := b.directArgs
	b.directArgs = &scope{cols: sc.cols, parent: sc.parent, agg: sc.agg}
	again, err := b.bindOrderedSetAgg(x, &aggSpec{name: spec.name, distinct: spec.distinct}, sc.agg.from)
	b.directArgs = saved
	if err != nil {
		return err
	}
	spec.ordered.groupedSep = again.sep
	return nil
}

// directArgScope is the scope the direct arguments of an ordered-set
// aggregate bind in: the FROM rows', or the groups' (bindGroupedDirectArgs).
func (b *binder) directArgScope(plain *scope) *scope {
	if b.directArgs != nil {
		return b.directArgs
	}
	return plain
}

// groupedDirectArgs evaluates, for the group whose row is vals, the
// direct arguments of the aggregates bound over the groups, handing each
// to its accumulator.
func (n *aggNode) groupedDirectArgs(ec *evalCtx, vals []types.Datum, accs []*accumulator) error {
	for i, a := range n.aggs {
		if a.ordered == nil || a.ordered.groupedSep == nil {
			continue
		}
		v, err := a.ordered.groupedSep.Eval(ec, vals)
		if err != nil {
			return err
		}
		accs[i].sep = v
	}
	return nil
}
