package sql

import (
	"io"

	"github.com/cairndb/cairn/sql/types"
)

// DISTINCT within work_mem.
//
// The node hands on the first row of each set of equal rows as it reads
// it, remembering the keys it has passed. Once the keys pass work_mem, a
// row whose key is not remembered is written to a temporary file chosen
// by a hash of its key instead; when the input ends the keys are dropped
// and each file is made distinct in turn as an input of its own (spilling
// again if it must). Equal rows go to the same file in their order, so
// the row handed on is still the first of its set.

func (n *distinctNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *distinctNode) stream(ec *evalCtx, fn rowFn) error {
	parts, err := n.distinct(ec, 0, func(emit func(r []types.Datum) error) error {
		return streamRows(ec, n.in, emit)
	}, fn)
	if err != nil || parts.files == nil {
		parts.files.remove()
		return err
	}
	return n.distinctFiles(ec, parts.files, fn)
}

// distinct passes on the first of each set of equal rows read from
// input, spilling the rows of new keys once the keys held pass work_mem
// into the partitions it returns.
// size is that of the file input reads, 0 for the node's input.
func (n *distinctNode) distinct(ec *evalCtx, size int64, input func(func(r []types.Datum) error) error, fn rowFn) (spillPartitions, error) {
	limit := ec.exec.workMemBytes()
	var held int64
	defer func() { ec.exec.memForget(held) }()
	seen := make(map[string]bool)
	var parts spillPartitions
	err := input(func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		k := string(groupKey(r[:n.width]))
		if seen[k] {
			return nil
		}
		if held > limit {
			if parts.files == nil {
				parts = newSpillPartitions(ec.exec, limit, size)
			}
			return parts.write(k, r)
		}
		size := hashEntryBytes + int64(len(k))
		if err := ec.grow(size); err != nil {
			return err
		}
		held += size
		seen[k] = true
		return fn(r)
	})
	return parts, err
}

// distinctFiles makes each of files distinct as an input of its own,
// removing each when done.
func (n *distinctNode) distinctFiles(ec *evalCtx, files spillFiles, fn rowFn) error {
	defer files.remove()
	for i, f := range files {
		if f == nil {
			continue
		}
		parts, err := n.distinct(ec, f.size, func(emit func(r []types.Datum) error) error {
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
				if err := emit(r); err != nil {
					return err
				}
			}
		}, fn)
		f.remove()
		files[i] = nil
		if err != nil {
			parts.files.remove()
			return err
		}
		if parts.files != nil {
			if err := n.distinctFiles(ec, parts.files, fn); err != nil {
				return err
			}
		}
	}
	return nil
}
