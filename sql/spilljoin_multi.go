package sql

import (
	"github.com/cairndb/cairn/sql/types"
)

// A step of a join pipeline (multiJoinNode) whose hash table does not fit
// work_mem.
//
// When the item's rows held pass work_mem, they are written to temporary
// files by a hash of their key, and so is the rest of the item; the rows
// that reach the step later (the joined row so far) are written to files
// by the same hash instead of probing. When the pipeline's first item is
// done, each step that spilled joins its files pair by pair, in step
// order: a build file becomes the hash table and its probe file's rows
// go on through the step and the steps after it, which may be spilled
// and so write to their own files, joined after. Each record carries its
// key as a last value. Rows with a NULL key meet none and are not kept.
// A build file beyond work_mem is divided again with its probe file (up
// to joinSpillDepthMax times: many rows of one key are loaded whole).

// stepSpill is a spilled step's files: the item's rows (build) and the
// rows that reached the step (probe), by key.
type stepSpill struct {
	build, probe spillPartitions
}

func (ss *stepSpill) remove() {
	if ss != nil {
		ss.build.files.remove()
		ss.probe.files.remove()
	}
}

// startSpill moves the step's table to files.
func (jb *joinBuild) startSpill(ec *evalCtx, limit int64) error {
	build := newSpillPartitions(ec.exec, limit, 0)
	jb.spill = &stepSpill{build: build,
		probe: spillPartitions{x: ec.exec, files: make(spillFiles, len(build.files)), seed: build.seed}}
	for key, rows := range jb.table {
		for _, r := range rows {
			if err := jb.spill.build.writeKeyed(key, r); err != nil {
				return err
			}
		}
	}
	jb.table = nil
	ec.exec.memForget(jb.held)
	return nil
}

// writeKeyed appends row with its key to key's partition.
func (p *spillPartitions) writeKeyed(key string, row []types.Datum) error {
	rec := make([]types.Datum, len(row)+1)
	copy(rec, row)
	rec[len(row)] = key
	return p.write(key, rec)
}

// join joins each build file with its probe file: each probe row is put
// in buf and handed to match with the build rows of its key.
func (ss *stepSpill) join(ec *evalCtx, buf []types.Datum, limit int64, match func(cands [][]types.Datum) error) error {
	return ss.joinPartitions(ec, buf, limit, 1, match)
}

func (ss *stepSpill) joinPartitions(ec *evalCtx, buf []types.Datum, limit int64, depth int, match func(cands [][]types.Datum) error) error {
	for i := range ss.build.files {
		bf, pf := ss.build.files[i], ss.probe.files[i]
		err := ss.joinPair(ec, bf, pf, buf, limit, depth, match)
		if bf != nil {
			bf.remove()
		}
		if pf != nil {
			pf.remove()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// joinPair joins build file bf with probe file pf. A build file that
// does not fit limit is divided again with its probe file, by another
// hash, up to joinSpillDepthMax times.
func (ss *stepSpill) joinPair(ec *evalCtx, bf, pf *spillFile, buf []types.Datum, limit int64, depth int, match func(cands [][]types.Datum) error) error {
	if bf == nil || pf == nil {
		return nil
	}
	var held int64
	defer func() { ec.exec.memForget(held) }()
	table := make(map[string][][]types.Datum)
	var sub *stepSpill
	defer func() { sub.remove() }()
	err := readAll(bf, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		key := r[len(r)-1].(string)
		if sub != nil {
			return sub.build.write(key, r)
		}
		row := r[:len(r)-1]
		size := rowBytes(row)
		bucket, ok := table[key]
		if !ok {
			size += hashEntryBytes + int64(len(key))
		}
		if err := ec.grow(size); err != nil {
			return err
		}
		held += size
		table[key] = append(bucket, row)
		if held > limit && depth < joinSpillDepthMax && len(table) > 1 {
			build := newSpillPartitions(ec.exec, limit, bf.size)
			sub = &stepSpill{build: build,
				probe: spillPartitions{x: ec.exec, files: make(spillFiles, len(build.files)), seed: build.seed}}
			for key, rows := range table {
				for _, r := range rows {
					if err := sub.build.writeKeyed(key, r); err != nil {
						return err
					}
				}
			}
			table = nil
			ec.exec.memForget(held)
			held = 0
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sub != nil {
		err := readAll(pf, func(r []types.Datum) error {
			if err := ec.tick(); err != nil {
				return err
			}
			return sub.probe.write(r[len(r)-1].(string), r)
		})
		if err != nil {
			return err
		}
		return sub.joinPartitions(ec, buf, limit, depth+1, match)
	}
	return readAll(pf, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		cands := table[r[len(r)-1].(string)]
		if len(cands) == 0 {
			return nil
		}
		copy(buf, r[:len(r)-1])
		return match(cands)
	})
}
