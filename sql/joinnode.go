package sql

import (
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Executing an explicit join (joinNode): the right side is read into
// memory, as a hash table keyed on the join's equalities when it has
// some; the left side streams past it, each row meeting the right rows
// with its key (or all of them) and the full condition deciding. LEFT
// and FULL emit a left row that met none padded with NULLs; RIGHT and
// FULL then emit the right rows no left row met. A right side that
// outgrows work_mem divides both sides into files by key (spilljoin.go).

func (n *joinNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *joinNode) stream(ec *evalCtx, fn rowFn) error {
	if n.lat != nil && n.lat.right {
		return n.streamLateral(ec, fn)
	}
	// A left side that reads the items to the join's left finds them as
	// they were when the join started (lateral.go).
	prefix := ec.lateralRow
	lw, rw := len(n.left.columns()), len(n.right.columns())
	var held int64
	defer func() { ec.exec.memForget(held) }()
	row := make([]types.Datum, lw+rw)
	var rrows [][]types.Datum
	var table map[string][]int
	var key []byte
	// keyOf encodes the keys of row, false when one is NULL.
	keyOf := func(keys []expr) (bool, error) {
		key = key[:0]
		for _, k := range keys {
			v, err := k.Eval(ec, row)
			if err != nil || v == nil {
				return false, err
			}
			key = appendGroupKey(key, v)
		}
		return true, nil
	}
	if len(n.rkeys) > 0 {
		table = make(map[string][]int)
	}
	unique := n.innerUnique()
	// spill, once the right side's rows pass work_mem, divides both sides
	// into files by key instead (spilljoin.go).
	limit := ec.exec.workMemBytes()
	var spill *joinSpill
	var parts spillPartitions
	err := streamRows(ec, n.right, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		if spill != nil {
			return spill.addRight(&parts, r)
		}
		c := make([]types.Datum, rw)
		copy(c, r)
		size := rowBytes(c)
		if table != nil {
			copy(row[lw:], c)
			ok, err := keyOf(n.rkeys)
			if err != nil {
				return err
			}
			if ok {
				bucket, seen := table[string(key)]
				if !seen {
					size += hashEntryBytes + int64(len(key))
				}
				table[string(key)] = append(bucket, len(rrows))
				size += wordBytes
			}
		}
		if err := ec.grow(size); err != nil {
			return err
		}
		held += size
		rrows = append(rrows, c)
		if held > limit && n.spillable() {
			spill = &joinSpill{n: n, ec: ec, lw: lw, rw: rw, limit: limit, row: make([]types.Datum, lw+rw)}
			parts = newSpillPartitions(ec.exec, limit, 0)
			for _, r := range rrows {
				if err := spill.addRight(&parts, r); err != nil {
					return err
				}
			}
			rrows, table = nil, nil
			ec.exec.memForget(held)
			held = 0
		}
		return nil
	})
	if spill != nil {
		if err != nil {
			parts.files.remove()
			spill.files.remove()
			return err
		}
		ec.lateralRow = prefix
		return spill.finish(parts, fn)
	}
	if err != nil {
		return err
	}
	var rightMatched []bool
	if n.kind == "RIGHT" || n.kind == "FULL" {
		rightMatched = make([]bool, len(rrows))
		if err := ec.grow(int64(len(rrows))); err != nil {
			return err
		}
		held += int64(len(rrows))
	}
	// try joins the left row in row with right row j.
	try := func(j int) (bool, error) {
		if err := ec.tick(); err != nil {
			return false, err
		}
		copy(row[lw:], rrows[j])
		if n.on != nil {
			v, err := n.on.Eval(ec, row)
			if err != nil || v != true {
				return false, err
			}
		}
		if rightMatched != nil {
			rightMatched[j] = true
		}
		return true, fn(row)
	}
	ec.lateralRow = prefix
	err = streamRows(ec, n.left, func(l []types.Datum) error {
		copy(row, l)
		matched := false
		if table != nil {
			ok, err := keyOf(n.lkeys)
			if err != nil {
				return err
			}
			if ok {
				for _, j := range table[string(key)] {
					m, err := try(j)
					if err != nil {
						return err
					}
					matched = matched || m
					if m && unique {
						break
					}
				}
			}
		} else {
			for j := range rrows {
				m, err := try(j)
				if err != nil {
					return err
				}
				matched = matched || m
			}
		}
		if !matched && (n.kind == "LEFT" || n.kind == "FULL") {
			clear(row[lw:])
			return fn(row)
		}
		return nil
	})
	if err != nil || rightMatched == nil {
		return err
	}
	clear(row[:lw])
	for j, r := range rrows {
		if !rightMatched[j] {
			copy(row[lw:], r)
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinKeys finds the equalities between the two sides of a join among the
// conjuncts of its ON condition, bound in sc (the joined row's scope, the
// left's lw columns first) and cast to a common type. A side holding a
// subquery, or reading neither or both sides' columns, is no key.
func (b *binder) joinKeys(on ast.Expr, sc *scope, lw, rw int) (lkeys, rkeys []expr) {
	sides := []fromItem{{off: 0, width: lw}, {off: lw, width: rw}}
	for _, a := range splitAnd(on) {
		be, ok := a.(*ast.BinaryExpr)
		if !ok || be.Op != "=" {
			continue
		}
		lset, lcomplex := b.itemsOf(be.L, sc, sides)
		rset, rcomplex := b.itemsOf(be.R, sc, sides)
		if lcomplex || rcomplex || lset == 0 || rset == 0 || lset == 3 || rset == 3 || lset == rset {
			continue
		}
		l, err := b.bindExpr(be.L, sc)
		if err != nil {
			continue
		}
		r, err := b.bindExpr(be.R, sc)
		if err != nil {
			continue
		}
		l, r, t, err := b.unify(l, r, "=", be.Pos)
		if err != nil || !hashableEq(t) {
			continue
		}
		if lset == 2 {
			l, r = r, l
		}
		lkeys, rkeys = append(lkeys, l), append(rkeys, r)
	}
	return lkeys, rkeys
}

// hashableEq reports whether = on type t holds exactly when the two
// values' grouping keys are equal, so that a hash table can find the
// matches. Blank-padded character compares without trailing spaces.
func hashableEq(t types.T) bool {
	// The geometric types' = compares areas or lengths.
	return t.ID != types.Bpchar && !t.IsGeometric()
}
