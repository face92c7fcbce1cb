package sql

// A WITH query's body sees the columns of the query levels around the
// query its WITH belongs to, as a subquery in that query's FROM would:
// select (with c(x) as (values (t.a)) select (select x from c)) from t
// reads t.a in c. A reference may come from a deeper level than the
// WITH's own; at run time the body then runs below those levels, so the
// levels between (the WITH's query level included) are in its scope
// chain as levels without columns, which keeps the count of levels up to
// t right. A body that reads such a column is correlated: the levels
// between are marked so, as if they read it themselves.

// cteOuter is the scope chain a WITH query's body is bound below, with
// the stand-ins for the levels it must not see.
type cteOuter struct {
	chain *scope
	// masks pairs each column-less stand-in with the level it stands for.
	masks []*scope
	real  []*scope
}

// outerScope is the chain for a reference from the query level sc. It is
// empty when the WITH's level is not known or not above sc (a WITH of a
// data-modifying statement, of a recursive query's own body).
func (e *cteEnv) outerScope(sc *scope) *cteOuter {
	if e.owner == nil || sc == nil {
		return &cteOuter{}
	}
	// The WITH's level is found by what is above it: the binder works on
	// copies of a level's scope (the select list's), never of the level
	// above.
	above := e.owner.parent
	if sc.parent == above {
		return &cteOuter{chain: above}
	}
	found := false
	for cur := sc.parent; cur != nil; cur = cur.parent {
		if cur.parent == above {
			found = true
			break
		}
	}
	if !found {
		return &cteOuter{}
	}
	out := &cteOuter{}
	var last *scope
	for cur := sc.parent; ; cur = cur.parent {
		m := &scope{}
		if last == nil {
			out.chain = m
		} else {
			last.parent = m
		}
		last = m
		out.masks = append(out.masks, m)
		out.real = append(out.real, cur)
		if cur.parent == above {
			m.parent = above
			return out
		}
	}
}

// propagate marks the levels the stand-ins stood for correlated when the
// body read a column above them.
func (o *cteOuter) propagate() {
	for i, m := range o.masks {
		if m.correlated {
			o.real[i].correlated = true
		}
	}
}
