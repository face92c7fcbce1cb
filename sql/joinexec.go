package sql

import (
	"github.com/cairndb/cairn/sql/types"
)

// Executing a join of FROM items (multiJoinNode) as a pipeline.
//
// The order of the items is chosen by cost when the query is planned
// (joinorder.go), else from the conjuncts alone (startItem, nextItem);
// where each conjunct applies follows from the order. The
// first item's rows then stream through one step per other item: a step
// whose item an equality connects to the items before it probes a hash
// table of that item's rows, otherwise it pairs the row with each of the
// item's rows; the conjuncts whose items are all joined filter right
// after. Each step's table (or row list) is built the first time a row
// reaches it, holding the item's rows that pass its own conditions, and
// is counted in the statement's memory until the join ends. No
// intermediate result is ever materialized: a join's memory is its build
// tables, whatever the number of rows it produces.

// joinStep joins one more item to the rows of the steps before it.
type joinStep struct {
	item int
	// eq, when set, is the equality a hash table of the item's rows is
	// keyed on.
	eq *equiJoin
	// own are the item's own conditions, applied when its rows are read;
	// after those that hold once it is joined.
	own, after []*conjunct
	// unique is set when the item's rows are unique on eq's key: a row
	// meets at most one of them (innerunique.go).
	unique bool
}

// joinOrder is the static shape of a multiJoinNode's execution.
type joinOrder struct {
	first int
	// firstOwn filters the first item's rows: its own conditions and
	// those reading no item at all.
	firstOwn []*conjunct
	steps    []joinStep
	// final are the conditions left for the end: those with subqueries.
	final []*conjunct
}

func (n *multiJoinNode) order() *joinOrder {
	applied := make([]bool, len(n.conjs))
	take := func(which func(*conjunct) bool) []*conjunct {
		var out []*conjunct
		for j, c := range n.conjs {
			if !applied[j] && which(c) {
				applied[j] = true
				out = append(out, c)
			}
		}
		return out
	}
	own := func(i int) []*conjunct {
		return take(func(c *conjunct) bool { return c.items == 1<<uint(i) && !c.complex })
	}
	o := &joinOrder{first: n.startItem()}
	if n.seq != nil {
		o.first = n.seq[0]
	}
	o.firstOwn = own(o.first)
	o.firstOwn = append(o.firstOwn, take(func(c *conjunct) bool { return c.items == 0 && !c.complex })...)
	joined := uint64(1) << uint(o.first)
	all := uint64(1)<<uint(len(n.items)) - 1
	for k := 1; joined != all; k++ {
		var next int
		var eq *equiJoin
		if n.seq != nil {
			next = n.seq[k]
			eq = n.equalityTo(joined, next, applied)
		} else {
			next, eq = n.nextItem(joined, applied)
		}
		st := joinStep{item: next, eq: eq}
		if eq != nil {
			applied[eq.index] = true
			st.unique = uniqueOnKeys(n.items[next].p, []expr{eq.itemSide}, n.items[next].off)
		}
		st.own = own(next)
		joined |= 1 << uint(next)
		st.after = take(func(c *conjunct) bool { return !c.complex && c.items&^joined == 0 })
		o.steps = append(o.steps, st)
	}
	o.final = take(func(*conjunct) bool { return true })
	return o
}

// joinBuild is a step's item rows, as read at run time.
type joinBuild struct {
	built bool
	rows  [][]types.Datum
	table map[string][][]types.Datum
	key   []byte
	// held is what the table holds; spill, once it passed work_mem,
	// holds the step's item rows and the rows reaching the step in
	// files by key instead (spilljoin_multi.go).
	held  int64
	spill *stepSpill
}

func (n *multiJoinNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *multiJoinNode) stream(ec *evalCtx, fn rowFn) error {
	o := n.order()
	var held int64
	defer func() { ec.exec.memForget(held) }()
	builds := make([]joinBuild, len(o.steps))
	semis := make([]semiState, len(n.semis))
	defer func() {
		for i := range builds {
			builds[i].spill.remove()
		}
	}()
	limit := ec.exec.workMemBytes()
	buf := make([]types.Datum, n.width)

	build := func(st *joinStep, jb *joinBuild) error {
		jb.built = true
		it := n.items[st.item]
		scratch := make([]types.Datum, n.width)
		if st.eq != nil {
			jb.table = make(map[string][][]types.Datum)
		}
		return streamRows(ec, it.p, func(r []types.Datum) error {
			if err := ec.tick(); err != nil {
				return err
			}
			copy(scratch[it.off:it.off+it.width], r)
			if ok, err := passesAll(ec, st.own, scratch); err != nil || !ok {
				return err
			}
			row := make([]types.Datum, it.width)
			copy(row, r)
			size := rowBytes(row)
			if st.eq == nil {
				if err := ec.grow(size); err != nil {
					return err
				}
				held += size
				jb.rows = append(jb.rows, row)
				return nil
			}
			v, err := st.eq.itemSide.Eval(ec, scratch)
			if err != nil || v == nil {
				return err
			}
			jb.key = appendGroupKey(jb.key[:0], v)
			if jb.spill != nil {
				return jb.spill.build.writeKeyed(string(jb.key), row)
			}
			bucket, ok := jb.table[string(jb.key)]
			if !ok {
				size += hashEntryBytes + int64(len(jb.key))
			}
			if err := ec.grow(size); err != nil {
				return err
			}
			held += size
			jb.held += size
			jb.table[string(jb.key)] = append(bucket, row)
			if jb.held > limit {
				if err := jb.startSpill(ec, limit); err != nil {
					return err
				}
				held -= jb.held
				jb.held = 0
			}
			return nil
		})
	}

	var probe func(k int) error
	var match func(k int, cands [][]types.Datum) error
	probe = func(k int) error {
		if k == len(o.steps) {
			for i, sj := range n.semis {
				if ok, err := sj.passes(ec, &semis[i], buf, &held); err != nil || !ok {
					return err
				}
				if sj.stats != nil {
					sj.stats.rows++
				}
			}
			if ok, err := passesAll(ec, o.final, buf); err != nil || !ok {
				return err
			}
			return fn(buf)
		}
		st, jb := &o.steps[k], &builds[k]
		if it := n.items[st.item]; it.deps != 0 {
			return n.probeLateral(ec, st, buf, func() error { return probe(k + 1) })
		}
		if !jb.built {
			if err := build(st, jb); err != nil {
				return err
			}
		}
		cands := jb.rows
		if st.eq != nil {
			v, err := st.eq.accSide.Eval(ec, buf)
			if err != nil || v == nil {
				return err
			}
			jb.key = appendGroupKey(jb.key[:0], v)
			if jb.spill != nil {
				return jb.spill.probe.writeKeyed(string(jb.key), buf)
			}
			cands = jb.table[string(jb.key)]
		}
		return match(k, cands)
	}
	// match joins the row in buf with each of step k's candidate rows.
	match = func(k int, cands [][]types.Datum) error {
		st := &o.steps[k]
		it := n.items[st.item]
		for _, r := range cands {
			if err := ec.tick(); err != nil {
				return err
			}
			copy(buf[it.off:it.off+it.width], r)
			ok, err := passesAll(ec, st.after, buf)
			if err != nil {
				return err
			}
			if ok {
				if n.stepRows != nil && k < len(n.stepRows) {
					n.stepRows[k].rows++
				}
				if err := probe(k + 1); err != nil {
					return err
				}
				if st.unique {
					return nil
				}
			}
		}
		return nil
	}

	first := n.items[o.first]
	err := streamRows(ec, first.p, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		copy(buf[first.off:first.off+first.width], r)
		if ok, err := passesAll(ec, o.firstOwn, buf); err != nil || !ok {
			return err
		}
		return probe(0)
	})
	if err != nil {
		return err
	}
	// The steps that spilled join their files in order: the rows a step
	// passes on reach only the steps after it.
	for k := range builds {
		if sp := builds[k].spill; sp != nil {
			if err := sp.join(ec, buf, limit, func(cands [][]types.Datum) error { return match(k, cands) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// passesAll reports whether row satisfies every one of conds.
func passesAll(ec *evalCtx, conds []*conjunct, row []types.Datum) (bool, error) {
	for _, c := range conds {
		v, err := c.pred.Eval(ec, row)
		if err != nil {
			return false, err
		}
		if v != true {
			return false, nil
		}
	}
	return true, nil
}

// appendGroupKey appends groupKey's encoding of one value to buf.
func appendGroupKey(buf []byte, v types.Datum) []byte {
	if v == nil {
		return append(buf, 0x01)
	}
	buf = append(buf, 0x02)
	return types.AppendKey(buf, []types.Datum{types.NormalizeForKey(v)})
}
