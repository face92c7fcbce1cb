package sql

import (
	"container/heap"
	"io"

	"github.com/cairndb/cairn/sql/types"
)

// External merge sort (ORDER BY).
//
// The sort reads its input into memory until the rows held pass work_mem;
// it then sorts them, writes them to a temporary file as a sorted run and
// starts again. Without a run, the rows are sorted in memory as before
// (quicksort). With runs, the last rows become a run too and the runs are
// merged, at most mergeFanIn at a time, into fewer runs until one merge
// yields the output; a merge holds one row and one read buffer per run.
// On equal keys the merge takes the earlier run's row first, so rows that
// tie come out in the order the runs were written.

// externalSort is one execution of a sort.
type externalSort struct {
	ec    *evalCtx
	keys  []sortKey
	limit int64
	rows  [][]types.Datum
	held  int64
	runs  spillFiles
}

func newExternalSort(ec *evalCtx, keys []sortKey) *externalSort {
	return &externalSort{ec: ec, keys: keys, limit: ec.exec.workMemBytes()}
}

// add takes row, which becomes the sort's.
func (s *externalSort) add(row []types.Datum) error {
	size := rowBytes(row) + sliceHeaderBytes
	if err := s.ec.grow(size); err != nil {
		return err
	}
	s.held += size
	s.rows = append(s.rows, row)
	if s.held > s.limit && len(s.rows) > 1 {
		return s.writeRun()
	}
	return nil
}

// writeRun sorts the rows held and writes them out as a run.
func (s *externalSort) writeRun() error {
	if err := sortRows(s.ec, s.rows, s.keys); err != nil {
		return err
	}
	f, err := s.ec.exec.newSpillFile()
	if err != nil {
		return err
	}
	s.runs = append(s.runs, f)
	for _, r := range s.rows {
		if err := f.writeRow(r); err != nil {
			return err
		}
	}
	if err := f.rewind(); err != nil {
		return err
	}
	clear(s.rows)
	s.rows = s.rows[:0]
	s.ec.exec.memForget(s.held)
	s.held = 0
	return nil
}

// close removes the runs and forgets the rows held.
func (s *externalSort) close() {
	s.runs.remove()
	s.runs = nil
	s.ec.exec.memForget(s.held)
	s.held = 0
	s.rows = nil
}

// mergeFanIn is how many runs one merge reads: as many read buffers as
// work_mem holds, at least a few.
func (s *externalSort) mergeFanIn() int {
	return int(min(max(s.limit/spillBufferBytes, 4), 256))
}

// finish hands the sorted rows to fn. Without runs they are sorted in
// memory and stay held (the caller forgets them with close).
func (s *externalSort) finish(fn rowFn) error {
	if len(s.runs) == 0 {
		if err := sortRows(s.ec, s.rows, s.keys); err != nil {
			return err
		}
		for _, r := range s.rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	if len(s.rows) > 0 {
		if err := s.writeRun(); err != nil {
			return err
		}
	}
	fanIn := s.mergeFanIn()
	for len(s.runs) > fanIn {
		// Merge the first runs into one at the end, so that every run is
		// merged about as many times as the others.
		out, err := s.ec.exec.newSpillFile()
		if err != nil {
			return err
		}
		group := s.runs[:fanIn]
		s.runs = append(s.runs[fanIn:], out)
		err = s.merge(group, out.writeRow)
		group.remove()
		if err != nil {
			return err
		}
		if err := out.rewind(); err != nil {
			return err
		}
	}
	return s.merge(s.runs, fn)
}

// mergeHead is a run's current row in a merge.
type mergeHead struct {
	row []types.Datum
	run int
}

type mergeHeap struct {
	heads []mergeHead
	keys  []sortKey
}

func (h *mergeHeap) Len() int { return len(h.heads) }
func (h *mergeHeap) Less(i, j int) bool {
	if c := compareRows(h.heads[i].row, h.heads[j].row, h.keys); c != 0 {
		return c < 0
	}
	return h.heads[i].run < h.heads[j].run
}
func (h *mergeHeap) Swap(i, j int) { h.heads[i], h.heads[j] = h.heads[j], h.heads[i] }
func (h *mergeHeap) Push(x any)    { h.heads = append(h.heads, x.(mergeHead)) }
func (h *mergeHeap) Pop() any {
	x := h.heads[len(h.heads)-1]
	h.heads = h.heads[:len(h.heads)-1]
	return x
}

// merge reads runs from their start and hands their rows to fn in order.
func (s *externalSort) merge(runs spillFiles, fn rowFn) error {
	h := &mergeHeap{keys: s.keys}
	for i, f := range runs {
		if err := f.rewind(); err != nil {
			return err
		}
		row, err := f.readRow()
		if err == io.EOF {
			continue
		}
		if err != nil {
			return err
		}
		h.heads = append(h.heads, mergeHead{row: row, run: i})
	}
	heap.Init(h)
	for h.Len() > 0 {
		if err := s.ec.tick(); err != nil {
			return err
		}
		top := h.heads[0]
		if err := fn(top.row); err != nil {
			return err
		}
		row, err := runs[top.run].readRow()
		switch {
		case err == io.EOF:
			heap.Pop(h)
		case err != nil:
			return err
		default:
			h.heads[0].row = row
			heap.Fix(h, 0)
		}
	}
	return nil
}

// sortInput reads the node's input into the sort.
func (n *sortNode) sortInput(ec *evalCtx) (*externalSort, error) {
	s := newExternalSort(ec, n.keys)
	err := streamRows(ec, n.in, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		return s.add(append([]types.Datum(nil), r...))
	})
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (n *sortNode) run(ec *evalCtx) ([][]types.Datum, error) {
	s, err := n.sortInput(ec)
	if err != nil {
		return nil, err
	}
	if len(s.runs) == 0 {
		// Sorted in memory: the rows held are the result, and stay
		// counted as it.
		if err := sortRows(ec, s.rows, n.keys); err != nil {
			s.close()
			return nil, err
		}
		return s.rows, nil
	}
	defer s.close()
	var out [][]types.Datum
	err = s.finish(func(r []types.Datum) error {
		if err := ec.addRow(r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (n *sortNode) stream(ec *evalCtx, fn rowFn) error {
	s, err := n.sortInput(ec)
	if err != nil {
		return err
	}
	defer s.close()
	return s.finish(fn)
}
