package sql

import (
	"fmt"

	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Statement memory and cancellation.
//
// A statement holds what its nodes keep: the rows of nodes that
// materialize, hash tables, groups (rows streamed between nodes are not
// counted; stream.go). Every place that materializes rows or grows an
// aggregate's state calls grow with an estimate of the bytes (datumsize.go);
// the statement reserves those bytes from the engine's budget
// (Options.Memory) in steps of memoryStepBytes, with TryAcquire, which
// never waits, and fails with 53200 when the budget refuses. A node that
// consumed its input and made new rows from it (a projection, an
// aggregate) drops the input's bytes from the count, as a hash join drops
// its table and DISTINCT its set, so the count follows what is live; the
// reservation stays at the statement's peak. Everything reserved beyond
// the statement's final count is given back when it ends;
// the rest when the session starts its next statement or closes
// (Session.Execute, Session.Close) or the caller releases the result
// (Session.ReleaseResult): until then the caller holds the Result's rows,
// which are the statement's last materialization.
//
// The same places count rows towards a cancellation check (tick): every
// cancelCheckRows rows the statement's context is consulted, and a
// cancelled or timed-out statement stops with 57014.

// stmtMemory is the memory one statement holds, as estimated. Counters are
// monotonic except used, so that a mark (a position in them) stays
// meaningful across drops: the bytes net of a range are those grown in it
// less those dropped or pinned in it.
type stmtMemory struct {
	budget *membudget.Budget
	// used is the estimate of bytes held now: grown - dropped.
	used    int64
	grown   int64
	dropped int64
	// pinned counts bytes that stay for the rest of the statement (the
	// cached rows of uncorrelated subqueries) even when the range they
	// were grown in is dropped.
	pinned int64
	// reserved is what the statement took from budget: at least used.
	reserved int64
}

// memMark is a position in a statement's memory counters.
type memMark struct{ grown, dropped, pinned int64 }

// grow adds n bytes to the statement's estimate, reserving from the budget
// when the estimate passes what is reserved. On refusal it leaves the
// estimate as it was and returns 53200.
func (m *stmtMemory) grow(n int64) error {
	m.used += n
	m.grown += n
	if m.used <= m.reserved {
		return nil
	}
	need := m.used - m.reserved
	step := (need + memoryStepBytes - 1) / memoryStepBytes * memoryStepBytes
	if !m.budget.TryAcquire(step) {
		// The last step may not fit whole where the bytes needed do.
		if step == need || !m.budget.TryAcquire(need) {
			m.used -= n
			m.grown -= n
			return outOfMemory(n)
		}
		step = need
	}
	m.reserved += step
	return nil
}

func (m *stmtMemory) mark() memMark { return memMark{m.grown, m.dropped, m.pinned} }

// net is the bytes grown between from and to and still counted, neither
// dropped nor pinned since.
func net(from, to memMark) int64 {
	return (to.grown - from.grown) - (to.dropped - from.dropped) - (to.pinned - from.pinned)
}

// drop forgets the bytes grown between from and to (what was materialized
// then is garbage now), except those pinned meanwhile.
func (m *stmtMemory) drop(from, to memMark) {
	d := net(from, to)
	m.used -= d
	m.dropped += d
}

// pin keeps the bytes grown since from for the rest of the statement.
func (m *stmtMemory) pin(from memMark) {
	m.pinned += net(from, m.mark())
}

// trim gives back what the statement reserved beyond what it holds now:
// once it has ended, only its result (as counted) is live, and an idle
// session holds no more than that.
func (m *stmtMemory) trim() {
	keep := max(m.used, 0)
	if m.reserved > keep {
		m.budget.Release(m.reserved - keep)
		m.reserved = keep
	}
}

// release gives everything reserved back to the budget and starts the
// count again.
func (m *stmtMemory) release() {
	m.budget.Release(m.reserved)
	*m = stmtMemory{budget: m.budget}
}

func outOfMemory(n int64) error {
	return pgerr.New(pgerr.OutOfMemory, "out of memory").
		WithDetail(fmt.Sprintf("Failed on request of size %d in memory context \"ExecutorState\".", n))
}

// grow adds n bytes to the statement's memory; see stmtMemory.grow. A nil
// execCtx, or one without memory accounting, counts nothing.
func (x *execCtx) grow(n int64) error {
	if x == nil || x.mem == nil {
		return nil
	}
	return x.mem.grow(n)
}

func (x *execCtx) memMark() memMark {
	if x == nil || x.mem == nil {
		return memMark{}
	}
	return x.mem.mark()
}

// memDrop forgets the bytes materialized between from and to.
func (x *execCtx) memDrop(from, to memMark) {
	if x != nil && x.mem != nil {
		x.mem.drop(from, to)
	}
}

// memPin keeps the bytes materialized since from to the statement's end.
func (x *execCtx) memPin(from memMark) {
	if x != nil && x.mem != nil {
		x.mem.pin(from)
	}
}

// tick counts one row (or one step of a loop) and, every cancelCheckRows,
// returns the statement's context error: 57014 "canceling statement due to
// statement timeout" or "... due to user request" (pgerr.FromContext).
func (x *execCtx) tick() error {
	if x == nil {
		return nil
	}
	x.ticks++
	if x.ticks%cancelCheckRows != 0 {
		return nil
	}
	return x.cancelled()
}

// cancelled returns the statement's context error, now.
func (x *execCtx) cancelled() error {
	if x == nil || x.ctx == nil {
		return nil
	}
	return pgerr.FromContext(x.ctx)
}

func (c *evalCtx) grow(n int64) error { return c.exec.grow(n) }
func (c *evalCtx) tick() error        { return c.exec.tick() }

// addRow counts a row materialized by a node: one tick and its bytes.
func (c *evalCtx) addRow(row []types.Datum) error {
	if err := c.exec.tick(); err != nil {
		return err
	}
	return c.exec.grow(rowBytes(row))
}

// memForget forgets n bytes the caller grew itself and no longer holds
// (a hash join's table once its probe side is done), whatever else was
// grown meanwhile.
func (x *execCtx) memForget(n int64) {
	if x != nil && x.mem != nil {
		x.mem.used -= n
		x.mem.dropped += n
	}
}
