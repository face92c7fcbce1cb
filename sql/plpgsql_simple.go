package sql

import (
	"context"

	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
)

// Simple expressions: most of a PL/pgSQL body's expressions (x := x + 1,
// IF n > 0, RETURN acc) are SELECT of one expression over no relation.
// PostgreSQL's plpgsql evaluates those straight through the executor's
// expression evaluator (exec_eval_simple_expr) rather than as queries;
// here a routine's statement of that shape is evaluated by its bound
// expression, with the same checks a statement of the body gets (its
// plan revalidated, the command counter advanced and the snapshot taken
// as for any statement of a VOLATILE routine), but without a Result, rows
// or the per-statement bookkeeping of a query that may write.

var _ plpgsql.ScalarQuery = (*plQuery)(nil)

// Scalar implements plpgsql.ScalarQuery for a routine's statement.
func (q *plQuery) Scalar(ctx context.Context, params []types.Datum) (types.Datum, types.T, bool, error) {
	if q.rs == nil || q.busy > 0 {
		return nil, types.T{}, false, nil
	}
	q.busy++
	defer func() { q.busy-- }()
	return q.rs.scalar(q.r.srt, params)
}

// simpleExpr returns the expression of a bound SELECT expr that reads no
// relation and has no FROM, WHERE, grouping, ordering, limit or set
// operation, or nil. Reading no relation, it takes no table lock, so its
// plan cannot go stale while it runs.
func simpleExpr(p *Prepared) (expr, types.T) {
	sp, ok := p.bound.(*selectPlan)
	if !ok || p.binder == nil || len(p.binder.perms) > 0 {
		return nil, types.T{}
	}
	proj, ok := sp.p.(*projectNode)
	if !ok || len(proj.exprs) != 1 || len(proj.cols) != 1 {
		return nil, types.T{}
	}
	if _, ok := proj.in.(oneRowNode); !ok {
		return nil, types.T{}
	}
	return proj.exprs[0], proj.cols[0].Type
}

// stale reports whether p must be bound again before it runs: the
// catalog, search_path, role or row_security changed since it was bound.
func (rs *routineStmt) stale(s *Session) bool {
	p := rs.p
	return p.bound == nil || p.gen != s.e.gen.Load() || p.path != s.settings["search_path"] || p.role != s.currentUser() || p.rowSecOff == s.rowSecurityOn()
}

// scalarPlan is what routineStmt keeps of its statement when that is a
// simple expression, for the plan it was bound to.
type scalarPlan struct {
	of   boundStmt // the plan this was derived from
	e    expr      // nil: the statement is no simple expression
	t    types.T
	pure bool
	// x and ec are the contexts a pure expression is evaluated in,
	// reused from one evaluation to the next: nothing it calls keeps them.
	x  execCtx
	ec evalCtx
}

// scalar evaluates a simple expression statement as runOnce would run
// it; ok is false when the statement is not one.
func (rs *routineStmt) scalar(rt *sessionRuntime, args []types.Datum) (types.Datum, types.T, bool, error) {
	s := rt.x.s
	if rs.stale(s) {
		if err := rs.bind(rt); err != nil {
			return nil, types.T{}, true, err
		}
	}
	sp := rs.simple
	if sp == nil || sp.of != rs.p.bound {
		sp = &scalarPlan{of: rs.p.bound}
		sp.e, sp.t = simpleExpr(rs.p)
		sp.pure = sp.e != nil && pureExpr(sp.e)
		rs.simple = sp
	}
	if sp.e == nil {
		return nil, types.T{}, false, nil
	}
	outer := rt.x
	if rt.volatile && s.tx != nil {
		s.cid++
	}
	if sp.pure {
		// Reading nothing of the database, it needs no snapshot of its
		// own (PostgreSQL takes none for an expression without mutable
		// functions either).
		sp.x = execCtx{ctx: outer.ctx, s: s, tx: outer.tx, snap: outer.snap, planGen: rs.p.gen, mem: outer.mem}
		sp.ec = evalCtx{params: args, exec: &sp.x}
		v, err := sp.e.Eval(&sp.ec, nil)
		sp.ec.params = nil
		return v, sp.t, true, err
	}
	x := &execCtx{ctx: outer.ctx, s: s, tx: outer.tx, snap: rt.snapshot(), planGen: rs.p.gen, mem: outer.mem}
	v, err := sp.e.Eval(&evalCtx{params: args, exec: x}, nil)
	outer.notices = append(outer.notices, x.notices...)
	return v, sp.t, true, err
}

// pureExpr reports whether e computes its value from its operands alone:
// constants, parameters, built-in functions and operators (whose
// implementations see only their arguments), and the conditional forms
// over those. Such an expression reads no table, catalog or setting, so
// no snapshot or command counter can change its value.
func pureExpr(e expr) bool {
	all := func(es []expr) bool {
		for _, x := range es {
			if !pureExpr(x) {
				return false
			}
		}
		return true
	}
	switch x := e.(type) {
	case *constExpr, *paramExpr:
		return true
	case *funcExpr:
		return all(x.args)
	case *builtinCallExpr:
		return all(x.args)
	case *andExpr:
		return pureExpr(x.l) && pureExpr(x.r)
	case *orExpr:
		return pureExpr(x.l) && pureExpr(x.r)
	case *caseExpr:
		return all(x.conds) && all(x.res) && (x.els == nil || pureExpr(x.els))
	case *coalesceExpr:
		return all(x.args)
	case *inListExpr:
		return pureExpr(x.x) && all(x.list)
	}
	return false
}
