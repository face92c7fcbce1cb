package sql

import (
	"io"

	"github.com/cairndb/cairn/sql/types"
)

// A hash join (joinNode) whose right side does not fit work_mem.
//
// The right side is read into memory as long as it fits; once the rows
// held pass work_mem they are written to temporary files chosen by a hash
// of their join key, and so is the rest of the right side. The left side
// is then written to files by the same hash, and each pair of files is
// joined alone: the right file becomes the hash table, the left file
// probes it. A right file still too big for work_mem is divided again,
// with its left file, by another hash (up to joinSpillDepthMax times: a
// single key with more rows than work_mem holds is joined in memory).
//
// A row whose key is NULL meets no row: a left one is handed on at once
// for LEFT and FULL, a right one kept in a file of its own for RIGHT and
// FULL and handed on at the end. Only the order of the rows changes.

// joinSpillDepthMax bounds how many times a partition is divided again.
const joinSpillDepthMax = 4

// joinSpill is one execution of a joinNode that spilled.
type joinSpill struct {
	n      *joinNode
	ec     *evalCtx
	lw, rw int
	limit  int64
	row    []types.Datum
	key    []byte
	// nullRight holds the right rows with a NULL key, for RIGHT and FULL.
	nullRight *spillFile
	files     spillFiles
}

// spillable reports whether the join can divide its rows by key.
func (n *joinNode) spillable() bool { return n.lat == nil && len(n.rkeys) > 0 }

func (n *joinNode) keepsLeft() bool  { return n.kind == "LEFT" || n.kind == "FULL" }
func (n *joinNode) keepsRight() bool { return n.kind == "RIGHT" || n.kind == "FULL" }

// keyOf encodes keys evaluated over j.row, false when one is NULL.
func (j *joinSpill) keyOf(keys []expr) (bool, error) {
	j.key = j.key[:0]
	for _, k := range keys {
		v, err := k.Eval(j.ec, j.row)
		if err != nil || v == nil {
			return false, err
		}
		j.key = appendGroupKey(j.key, v)
	}
	return true, nil
}

// addRight writes right row r to its partition, or to nullRight.
func (j *joinSpill) addRight(parts *spillPartitions, r []types.Datum) error {
	copy(j.row[j.lw:], r)
	ok, err := j.keyOf(j.n.rkeys)
	if err != nil {
		return err
	}
	if ok {
		return parts.write(string(j.key), r)
	}
	if !j.n.keepsRight() {
		return nil
	}
	if j.nullRight == nil {
		if j.nullRight, err = j.ec.exec.newSpillFile(); err != nil {
			return err
		}
		j.files = append(j.files, j.nullRight)
	}
	return j.nullRight.writeRow(r)
}

// addLeft writes left row l to its partition; a row with a NULL key is
// handed on padded (LEFT, FULL) or dropped.
func (j *joinSpill) addLeft(parts *spillPartitions, l []types.Datum, fn rowFn) error {
	copy(j.row, l)
	ok, err := j.keyOf(j.n.lkeys)
	if err != nil {
		return err
	}
	if ok {
		return parts.write(string(j.key), l)
	}
	if j.n.keepsLeft() {
		clear(j.row[j.lw:])
		return fn(j.row)
	}
	return nil
}

// readAll hands each row of f to fn; a nil f has none.
func readAll(f *spillFile, fn rowFn) error {
	if f == nil {
		return nil
	}
	if err := f.rewind(); err != nil {
		return err
	}
	for {
		r, err := f.readRow()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
}

// finish joins the left side with the right side's partitions, and
// removes every file.
func (j *joinSpill) finish(right spillPartitions, fn rowFn) error {
	defer func() {
		right.files.remove()
		j.files.remove()
	}()
	left := spillPartitions{x: j.ec.exec, files: make(spillFiles, len(right.files)), seed: right.seed}
	defer func() { left.files.remove() }()
	err := streamRows(j.ec, j.n.left, func(l []types.Datum) error {
		if err := j.ec.tick(); err != nil {
			return err
		}
		return j.addLeft(&left, l, fn)
	})
	if err != nil {
		return err
	}
	if err := j.joinPartitions(right, left, 1, fn); err != nil {
		return err
	}
	clear(j.row[:j.lw])
	return readAll(j.nullRight, func(r []types.Datum) error {
		copy(j.row[j.lw:], r)
		return fn(j.row)
	})
}

// joinPartitions joins each pair of partitions, removing them as it goes.
func (j *joinSpill) joinPartitions(right, left spillPartitions, depth int, fn rowFn) error {
	for i := range right.files {
		err := j.joinPair(right.files[i], left.files[i], depth, fn)
		if right.files[i] != nil {
			right.files[i].remove()
		}
		if left.files[i] != nil {
			left.files[i].remove()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// joinPair joins the rows of left file lf with those of right file rf
// (either may be nil: no rows).
func (j *joinSpill) joinPair(rf, lf *spillFile, depth int, fn rowFn) error {
	n, ec := j.n, j.ec
	var held int64
	defer func() { ec.exec.memForget(held) }()
	var rrows [][]types.Datum
	table := make(map[string][]int)
	var sub spillPartitions
	err := readAll(rf, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		if sub.files != nil {
			return j.addRight(&sub, r)
		}
		copy(j.row[j.lw:], r)
		if _, err := j.keyOf(n.rkeys); err != nil {
			return err
		}
		bucket, seen := table[string(j.key)]
		size := rowBytes(r) + wordBytes
		if !seen {
			size += hashEntryBytes + int64(len(j.key))
		}
		if err := ec.grow(size); err != nil {
			return err
		}
		held += size
		table[string(j.key)] = append(bucket, len(rrows))
		rrows = append(rrows, r)
		if held > j.limit && depth < joinSpillDepthMax && len(table) > 1 {
			// Too big still: divide this pair again.
			sub = newSpillPartitions(ec.exec, j.limit, rf.size)
			for _, r := range rrows {
				if err := j.addRight(&sub, r); err != nil {
					return err
				}
			}
			rrows, table = nil, nil
			ec.exec.memForget(held)
			held = 0
		}
		return nil
	})
	if sub.files != nil {
		left := spillPartitions{x: ec.exec, files: make(spillFiles, len(sub.files)), seed: sub.seed}
		defer func() {
			sub.files.remove()
			left.files.remove()
		}()
		if err != nil {
			return err
		}
		err := readAll(lf, func(l []types.Datum) error {
			if err := ec.tick(); err != nil {
				return err
			}
			return j.addLeft(&left, l, fn)
		})
		if err != nil {
			return err
		}
		return j.joinPartitions(sub, left, depth+1, fn)
	}
	if err != nil {
		return err
	}
	var matched []bool
	if n.keepsRight() {
		matched = make([]bool, len(rrows))
	}
	err = readAll(lf, func(l []types.Datum) error {
		copy(j.row, l)
		if _, err := j.keyOf(n.lkeys); err != nil {
			return err
		}
		any := false
		for _, k := range table[string(j.key)] {
			if err := ec.tick(); err != nil {
				return err
			}
			copy(j.row[j.lw:], rrows[k])
			if n.on != nil {
				v, err := n.on.Eval(ec, j.row)
				if err != nil {
					return err
				}
				if v != true {
					continue
				}
			}
			any = true
			if matched != nil {
				matched[k] = true
			}
			if err := fn(j.row); err != nil {
				return err
			}
		}
		if !any && n.keepsLeft() {
			clear(j.row[j.lw:])
			return fn(j.row)
		}
		return nil
	})
	if err != nil || matched == nil {
		return err
	}
	clear(j.row[:j.lw])
	for k, r := range rrows {
		if !matched[k] {
			copy(j.row[j.lw:], r)
			if err := fn(j.row); err != nil {
				return err
			}
		}
	}
	return nil
}
