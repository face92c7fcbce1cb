package sql

import (
	"strconv"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Shared transition states. As PostgreSQL does, two calls of user-defined
// aggregates of one query level that fold the same inputs with the same
// transition function from the same initial state (same arguments,
// DISTINCT, ORDER BY and FILTER) keep one state: the transition function
// runs once per row for both (it may have side effects, such as RAISE
// NOTICE), and each call's final function reads the state. A final
// function declared to modify its state (FINALFUNC_MODIFY = READ_WRITE)
// keeps the state to itself, and calls with volatile arguments do not
// share.

// transShareKey is what two calls must agree on to share a state: the
// aggregate's transition function, state type and INITCOND, and the
// call's inputs, DISTINCT, ORDER BY and FILTER. "" when the call keeps
// its own state.
func transShareKey(x *ast.FuncCall, u *userAggSpec) string {
	def := u.desc.Agg
	if def == nil || def.FinalModify == "w" || hasVolatileCall(x) {
		return ""
	}
	call := *x
	call.Name, call.Schema, call.Pos = "", "", 0
	key := strconv.FormatUint(uint64(def.TransFn.OID), 10) + "/" + def.TransFn.Name + "/" + types.Format(def.State) + "/"
	if def.InitCond != nil {
		key += strconv.Quote(*def.InitCond)
	}
	return key + "/" + exprKey(&call)
}

// shareTransitions points each aggregate that can share an earlier one's
// transition state at it (aggSpec.transFrom).
func shareTransitions(aggs []*aggSpec) {
	first := map[string]int{}
	for i, a := range aggs {
		if a.user == nil || a.user.shareKey == "" {
			continue
		}
		if j, ok := first[a.user.shareKey]; ok {
			a.transFrom = j + 1
			continue
		}
		first[a.user.shareKey] = i
	}
}

// sharedState reports whether a later aggregate of n reads the i-th
// one's transition state.
func (n *aggNode) sharedState(i int) bool {
	for _, a := range n.aggs[i+1:] {
		if a.transFrom == i+1 {
			return true
		}
	}
	return false
}
