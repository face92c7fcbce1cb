package sql

import (
	"io"
	"slices"

	"github.com/cairndb/cairn/sql/types"
)

// Hash aggregation (GROUP BY) within work_mem.
//
// The groups are a hash table from the grouping values' key to their
// aggregates' states. While the table and the states fit in work_mem a
// row's new group joins the table; once they do not, a row whose group is
// not in the table is written, as it came, to one of a few temporary files
// chosen by a hash of its key, and the groups in the table go on taking
// their rows. When the input ends the table's groups are emitted and
// dropped, and each file is aggregated in turn as the input of the same
// procedure, with another hash, so that a file still too big spills
// again into smaller ones. A group's rows all go the same way, in their
// order, so an aggregate sensitive to order (array_agg) sees them as it
// would in memory; each pass takes at least one group, so it ends.
//
// Only the output's order changes when the aggregate spills: the groups
// of the table first, then those of each file.

// aggGroup is one group's values and aggregate states.
type aggGroup struct {
	vals []types.Datum
	accs []*accumulator
}

// aggPass is one pass of an aggregation over its input or a spilled
// file.
type aggPass struct {
	n      *aggNode
	ec     *evalCtx
	limit  int64
	order  []*aggGroup
	groups map[string]*aggGroup
	// own is what the table and the states hold, as the statement's
	// memory counts it.
	own int64
	// parts are the files rows of groups not in the table go to; input
	// is the size of the file the pass reads, 0 for the node's input.
	parts spillPartitions
	input int64
}

func (n *aggNode) newPass(ec *evalCtx) *aggPass {
	return &aggPass{n: n, ec: ec, limit: ec.exec.workMemBytes(), groups: make(map[string]*aggGroup)}
}

// memUsed is the statement's memory count now.
func (x *execCtx) memUsed() int64 {
	if x == nil || x.mem == nil {
		return 0
	}
	return x.mem.used
}

func (p *aggPass) newGroup(vals []types.Datum, key string) (*aggGroup, error) {
	// The group, its values, its map entry and its accumulators; the
	// accumulators count what they grow by themselves.
	size := rowBytes(vals) + groupStateBytes + int64(len(key)) + accumulatorBytes*int64(len(p.n.aggs))
	if err := p.ec.exec.grow(size); err != nil {
		return nil, err
	}
	p.own += size
	g := &aggGroup{vals: vals, accs: make([]*accumulator, len(p.n.aggs))}
	for i, a := range p.n.aggs {
		g.accs[i] = newAccumulator(a)
	}
	p.order = append(p.order, g)
	return g, nil
}

// feed adds row r to g's aggregates.
func (p *aggPass) feed(g *aggGroup, r []types.Datum) error {
	ec, x := p.ec, p.ec.exec
	before := x.memUsed()
	defer func() { p.own += x.memUsed() - before }()
	for i, a := range p.n.aggs {
		if a.transFrom != 0 {
			continue
		}
		if a.filter != nil {
			ok, err := a.filter.Eval(ec, r)
			if err != nil {
				return err
			}
			if ok != true {
				continue
			}
		}
		var v types.Datum
		var err error
		if a.arg != nil {
			if v, err = a.arg.Eval(ec, r); err != nil {
				return err
			}
		}
		if a.sep != nil {
			if g.accs[i].sep, err = a.sep.Eval(ec, r); err != nil {
				return err
			}
		}
		if len(a.order) > 0 {
			keys := make([]types.Datum, len(a.order))
			for j, o := range a.order {
				if keys[j], err = o.Eval(ec, r); err != nil {
					return err
				}
			}
			g.accs[i].keys = keys
		}
		if err := g.accs[i].add(x, v); err != nil {
			return err
		}
	}
	return nil
}

// spill writes r, which belongs to grouping set set (0 without sets), to
// the file its group key hashes to.
func (p *aggPass) spill(r []types.Datum, key string, set int) error {
	if p.parts.files == nil {
		p.parts = newSpillPartitions(p.ec.exec, p.limit, p.input)
	}
	rec := r
	if p.n.sets != nil {
		rec = append(slices.Clip(r), int64(set))
	}
	return p.parts.write(key, rec)
}

// add takes one input row; set, for a row read back from a file of a
// grouping sets aggregate, is the one set it is for (-1: all).
func (p *aggPass) add(r []types.Datum, set int) error {
	n := p.n
	if err := p.ec.exec.tick(); err != nil {
		return err
	}
	if len(n.groups) == 0 {
		return p.feed(p.order[0], r)
	}
	vals := make([]types.Datum, len(n.groups))
	for i, e := range n.groups {
		if n.sets != nil && i == len(n.groups)-1 {
			break // the grouping set's number, set below
		}
		var err error
		if vals[i], err = e.Eval(p.ec, r); err != nil {
			return err
		}
	}
	for s := 0; s == 0 || s < len(n.sets); s++ {
		if set >= 0 && s != set {
			continue
		}
		gv := vals
		if n.sets != nil {
			gv = n.setValues(vals, s)
		}
		key := string(groupKey(gv))
		g := p.groups[key]
		if g == nil {
			if p.own > p.limit && len(p.groups) > 0 {
				if err := p.spill(r, key, s); err != nil {
					return err
				}
				continue
			}
			var err error
			if g, err = p.newGroup(gv, key); err != nil {
				return err
			}
			p.groups[key] = g
		}
		if err := p.feed(g, r); err != nil {
			return err
		}
	}
	return nil
}

// emit hands on the table's groups as result rows, each new.
func (p *aggPass) emit(out rowFn) error {
	for _, g := range p.order {
		row := append(make([]types.Datum, 0, len(p.n.groups)+len(p.n.aggs)), g.vals...)
		if err := p.n.groupedDirectArgs(p.ec, g.vals, g.accs); err != nil {
			return err
		}
		for i, a := range g.accs {
			if p.n.aggs[i].transFrom == 0 && p.n.sharedState(i) {
				if err := a.settleUser(p.ec.exec); err != nil {
					return err
				}
			}
			if from := p.n.aggs[i].transFrom; from != 0 {
				// The state is the other call's; the final function
				// this call's.
				shared := *g.accs[from-1]
				shared.spec = p.n.aggs[i]
				a = &shared
			}
			v, err := a.result(p.ec.exec)
			if err != nil {
				return err
			}
			row = append(row, v)
		}
		if err := out(row); err != nil {
			return err
		}
	}
	return nil
}

// aggregate runs the aggregation, handing each result row (new) to out.
func (n *aggNode) aggregate(ec *evalCtx, out rowFn) error {
	if n.sorted {
		return n.aggregateSorted(ec, out)
	}
	p := n.newPass(ec)
	if len(n.groups) == 0 {
		if _, err := p.newGroup(nil, ""); err != nil {
			return err
		}
	}
	// An empty grouping set has its one group even without input rows.
	for s, set := range n.sets {
		if !slices.Contains(set, true) {
			vals := n.setValues(nil, s)
			key := string(groupKey(vals))
			g, err := p.newGroup(vals, key)
			if err != nil {
				return err
			}
			p.groups[key] = g
		}
	}
	err := streamRows(ec, n.in, func(r []types.Datum) error { return p.add(r, -1) })
	if err == nil {
		err = p.emit(out)
	}
	p.close()
	if err != nil || p.parts.files == nil {
		p.parts.files.remove()
		return err
	}
	return n.aggregateFiles(ec, p.parts.files, out)
}

// close drops the pass's table; its files stay.
func (p *aggPass) close() {
	p.ec.exec.memForget(p.own)
	p.own = 0
	p.order, p.groups = nil, nil
}

// aggregateFiles aggregates each of files as an input of its own,
// removing each when done.
func (n *aggNode) aggregateFiles(ec *evalCtx, files spillFiles, out rowFn) error {
	defer files.remove()
	for i, f := range files {
		if f == nil {
			continue
		}
		p := n.newPass(ec)
		p.input = f.size
		err := f.rewind()
		for err == nil {
			var r []types.Datum
			if r, err = f.readRow(); err != nil {
				break
			}
			set := -1
			if n.sets != nil {
				set = int(r[len(r)-1].(int64))
				r = r[:len(r)-1]
			}
			err = p.add(r, set)
		}
		if err == io.EOF {
			err = p.emit(out)
		}
		p.close()
		f.remove()
		files[i] = nil
		if err != nil {
			p.parts.files.remove()
			return err
		}
		if p.parts.files != nil {
			if err := n.aggregateFiles(ec, p.parts.files, out); err != nil {
				return err
			}
		}
	}
	return nil
}

func (n *aggNode) run(ec *evalCtx) ([][]types.Datum, error) {
	x := ec.exec
	from := x.memMark()
	var out [][]types.Datum
	err := n.aggregate(ec, func(row []types.Datum) error {
		out = append(out, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The input rows and the groups' states are garbage now, but for the
	// values the result rows share with them: count the result rows,
	// values included, in their place.
	x.memDrop(from, x.memMark())
	for _, row := range out {
		if err := x.grow(rowBytes(row)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// stream hands on the groups' rows as they are finished; the groups of a
// pass are held until its last is handed on. What the consumer keeps of
// them it counts itself, so nothing is dropped here but the groups.
func (n *aggNode) stream(ec *evalCtx, fn rowFn) error {
	return n.aggregate(ec, fn)
}
