package sql

import (
	"errors"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Streaming execution.
//
// A plan node that can hand its rows on one at a time implements streamer
// besides run. A consumer that reads its input once, in order (a filter, a
// projection, LIMIT, a join's probe side, an aggregate) streams it through
// streamRows instead of materializing it, so that rows in between nodes
// are never held all at once and a LIMIT stops the nodes below it.
//
// A row handed to fn is borrowed: it is valid only during the call, and a
// consumer that keeps it copies it (and counts the copy's bytes). Rows in
// flight are not counted in the statement's memory; what a node keeps
// (a hash table, a materialized input) is.
//
// A node that pushes a row on the evaluation context's outer stack while
// it produces rows (a correlated subquery) must not call fn meanwhile:
// fn's expressions read the outer stack of the consumer.

// rowFn receives one borrowed row.
type rowFn func(row []types.Datum) error

type streamer interface {
	stream(ec *evalCtx, fn rowFn) error
}

// stopStream is returned by a consumer's fn to end its input early (LIMIT,
// EXISTS). Each consumer makes its own, so that it stops only its input.
type stopStream struct{}

func (*stopStream) Error() string { return "stream stopped" }

// streamUntil streams p into fn; fn ends the stream by returning stop,
// which is not an error.
func streamUntil(ec *evalCtx, p plan, stop *stopStream, fn rowFn) error {
	err := streamRows(ec, p, fn)
	if errors.Is(err, stop) {
		return nil
	}
	return err
}

// streamRows hands p's rows to fn, one at a time. A node that cannot
// stream is run, its rows handed on, and their bytes forgotten after.
func streamRows(ec *evalCtx, p plan, fn rowFn) error {
	if s, ok := p.(streamer); ok {
		return s.stream(ec, fn)
	}
	from := ec.exec.memMark()
	rows, err := p.run(ec)
	if err != nil {
		return err
	}
	to := ec.exec.memMark()
	defer ec.exec.memDrop(from, to)
	for _, r := range rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// collect materializes a streaming node's rows, counting them.
func collect(ec *evalCtx, s streamer) ([][]types.Datum, error) {
	var out [][]types.Datum
	err := s.stream(ec, func(row []types.Datum) error {
		r := make([]types.Datum, len(row))
		copy(r, row)
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

func (n *scanNode) stream(ec *evalCtx, fn rowFn) error {
	if m, err := n.memoFor(ec); err != nil || m != nil {
		if err != nil {
			return err
		}
		return m.lookup(ec, n, fn)
	}
	return n.scan(ec, func(id heap.TupleID, row []types.Datum) error {
		if n.withID {
			row = append(row, string(id))
		}
		return fn(row)
	})
}

func (n *filterNode) stream(ec *evalCtx, fn rowFn) error {
	if n.never {
		return nil
	}
	return streamRows(ec, n.in, func(r []types.Datum) error {
		if err := ec.tick(); err != nil {
			return err
		}
		v, err := n.pred.Eval(ec, r)
		if err != nil {
			return err
		}
		if v == true {
			return fn(r)
		}
		return nil
	})
}

func (n *filterNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *projectNode) stream(ec *evalCtx, fn rowFn) error {
	row := make([]types.Datum, len(n.exprs))
	return streamRows(ec, n.in, func(r []types.Datum) error {
		var err error
		for j, e := range n.exprs {
			if row[j], err = e.Eval(ec, r); err != nil {
				return err
			}
		}
		return fn(row)
	})
}

func (n *projectNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *trimNode) stream(ec *evalCtx, fn rowFn) error {
	return streamRows(ec, n.in, func(r []types.Datum) error { return fn(r[:n.width]) })
}

func (n *trimNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

// bounds evaluates OFFSET and LIMIT; limit is -1 without one.
func (n *limitNode) bounds(ec *evalCtx) (offset, limit int64, err error) {
	limit = -1
	if n.offset != nil {
		v, err := n.offset.Eval(ec, nil)
		if err != nil {
			return 0, 0, err
		}
		if v != nil {
			if offset = v.(int64); offset < 0 {
				return 0, 0, pgerr.New(pgerr.InvalidRowCountInOffset, "OFFSET must not be negative")
			}
		}
	}
	if n.limit != nil {
		v, err := n.limit.Eval(ec, nil)
		if err != nil {
			return 0, 0, err
		}
		if v != nil {
			if limit = v.(int64); limit < 0 {
				return 0, 0, pgerr.New(pgerr.InvalidRowCountInLimit, "LIMIT must not be negative")
			}
		}
	}
	return offset, limit, nil
}

// stream reads its input only as far as the rows it passes on: a LIMIT
// ends the nodes below it, an endless recursive query among them.
func (n *limitNode) stream(ec *evalCtx, fn rowFn) error {
	offset, limit, err := n.bounds(ec)
	if err != nil || limit == 0 {
		return err
	}
	stop := &stopStream{}
	var seen, passed int64
	// last is the row the limit was reached on, when WITH TIES passes
	// on the rows after it that equal it in the ORDER BY keys.
	var last []types.Datum
	return streamUntil(ec, n.in, stop, func(r []types.Datum) error {
		if seen++; seen <= offset {
			return ec.tick()
		}
		if last != nil {
			if compareRows(last, r, n.ties) != 0 {
				return stop
			}
			return fn(r)
		}
		if err := fn(r); err != nil {
			return err
		}
		if passed++; passed == limit {
			if n.ties == nil {
				return stop
			}
			last = slices.Clone(r)
		}
		return nil
	})
}

func (n *limitNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

// stream hands on UNION ALL's rows as its inputs produce them.
func (n *setOpNode) stream(ec *evalCtx, fn rowFn) error {
	if n.op != "UNION" || !n.all {
		from := ec.exec.memMark()
		rows, err := n.runSet(ec)
		if err != nil {
			return err
		}
		defer ec.exec.memDrop(from, ec.exec.memMark())
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	if err := streamRows(ec, n.left, fn); err != nil {
		return err
	}
	return streamRows(ec, n.right, fn)
}

func (n *setOpNode) run(ec *evalCtx) ([][]types.Datum, error) {
	if n.op == "UNION" && n.all {
		return collect(ec, n)
	}
	return n.runSet(ec)
}
