package sql

import (
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// The operators of the network address types (inet, cidr, macaddr,
// macaddr8) are registered in package builtins; the binder sends an
// operator there, rather than to its own integer bitwise and arithmetic
// operators, when an operand has one of these types. Comparisons go
// through unify, where cidr meets inet as inet (and macaddr and macaddr8,
// which convert implicitly both ways, are ambiguous, as in PostgreSQL).

// isAddressType reports whether t is one of the network address types
// (inet, cidr) or MAC address types (macaddr, macaddr8).
func isAddressType(t types.T) bool {
	switch t.ID {
	case types.Inet, types.Cidr, types.MacAddr, types.MacAddr8:
		return true
	}
	return false
}

// bindNetworkOperator binds l op r when an operand is a network address
// and op is one of their operators; ok is false otherwise.
func (b *binder) bindNetworkOperator(op string, l, r expr, pos int32) (expr, bool, error) {
	if !isAddressType(l.Type()) && !isAddressType(r.Type()) {
		return nil, false, nil
	}
	switch op {
	case "<<", "<<=", ">>", ">>=", "&&", "&", "|", "+", "-":
	default:
		return nil, false, nil
	}
	f, ok := builtins.LookupOperator(op, false)
	if !ok {
		return nil, false, nil
	}
	e, err := b.bindBuiltin(f, []expr{l, r}, pos)
	return e, true, err
}

// unifyImplicit is unify's last resort for two network types: when
// one converts to the other implicitly (cidr to inet) they meet as that
// type; when each converts to the other (macaddr and macaddr8) the
// operator is not unique.
func (b *binder) unifyImplicit(l, r expr, op string, pos int32) (expr, expr, types.T, bool, error) {
	lt, rt := l.Type(), r.Type()
	if !isAddressType(lt) || !isAddressType(rt) {
		// Arrays of types that convert implicitly still do not compare
		// (anyarray = anyarray wants one type).
		return nil, nil, types.T{}, false, nil
	}
	toR, toL := types.ImplicitCast(lt.ID, rt.ID), types.ImplicitCast(rt.ID, lt.ID)
	var err error
	switch {
	case toR && toL:
		return nil, nil, types.T{}, true, notUnique(lt.Name()+" "+op+" "+rt.Name(), pos)
	case toR:
		t := types.Base(rt)
		l, err = b.cast(l, t, false, pos)
		return l, r, t, true, err
	case toL:
		t := types.Base(lt)
		r, err = b.cast(r, t, false, pos)
		return l, r, t, true, err
	}
	return nil, nil, types.T{}, false, nil
}

// networkKeyTypes reports whether a referencing column of type fk may
// reference one of type pk among the network types: inet and cidr share
// a btree operator family, and macaddr converts to macaddr8 implicitly.
func networkKeyTypes(fk, pk types.T) bool {
	return fk.IsNetwork() && pk.IsNetwork()
}

// commonNetworkType is select_common_type for two different network
// types: the one the other converts to implicitly and not back (cidr and
// inet give inet); the first when each converts to the other (macaddr
// and macaddr8). ok is false when neither converts (inet and macaddr).
func commonNetworkType(t, next types.T) (types.T, bool) {
	toNext, toT := types.ImplicitCast(t.ID, next.ID), types.ImplicitCast(next.ID, t.ID)
	switch {
	case toNext && !toT:
		return types.Base(next), true
	case toT:
		return types.Base(t), true
	}
	return t, false
}
