package txn

import (
	"context"
	"sync/atomic"
	"time"
)

// Stats are a Manager's counters since it opened, for monitoring.
type Stats struct {
	// Commits counts transactions that committed (COMMIT PREPARED
	// included); Rollbacks those that rolled back or failed to commit.
	Commits, Rollbacks uint64
	// LockWaits counts waits that blocked: for a row, a table lock or an
	// advisory lock. Deadlocks counts the waits refused because they
	// would have closed a cycle (40P01).
	LockWaits, Deadlocks uint64
}

// stats are the atomic counters behind Stats.
type stats struct {
	commits, rollbacks   atomic.Uint64
	lockWaits, deadlocks atomic.Uint64
	// writerAborts backs WriterAborts.
	writerAborts atomic.Uint64
}

// WriterAborts counts the transactions and subtransactions that may have
// written and ended without committing (a rollback, a ROLLBACK TO
// SAVEPOINT, a failed commit) since the manager opened. Each is counted
// after StatusOf reports its xids aborted, so a reader that finds the
// count unchanged since it last read it knows that every xid aborted
// before that first read already looked aborted then: the heap's vacuum
// relies on this to know when no insert can have been rolled back since
// it last walked a table.
func (m *Manager) WriterAborts() uint64 { return m.stats.writerAborts.Load() }

// countWriterAbort counts an abort for WriterAborts, when wrote says the
// aborted work may have written; it is called after the xids are ended.
func (m *Manager) countWriterAbort(wrote bool) {
	if wrote {
		m.stats.writerAborts.Add(1)
	}
}

// Stats returns the manager's counters.
func (m *Manager) Stats() Stats {
	return Stats{Commits: m.stats.commits.Load(), Rollbacks: m.stats.rollbacks.Load(),
		LockWaits: m.stats.lockWaits.Load(), Deadlocks: m.stats.deadlocks.Load()}
}

// countEnd counts a transaction's end by its commit's outcome.
func (m *Manager) countEnd(err error) {
	if err == nil {
		m.stats.commits.Add(1)
	} else {
		m.stats.rollbacks.Add(1)
	}
}

// WaitReport asks the waits made under a context to report themselves
// once they have lasted After (PostgreSQL's log_lock_waits, reporting a
// wait longer than deadlock_timeout). Report runs on its own goroutine
// while the wait goes on, at most once per wait; it must not block long.
type WaitReport struct {
	After  time.Duration
	Report func(w Wait, waited time.Duration)
}

type waitReportKey struct{}

// WithWaitReport returns ctx with r attached for the waits made under it.
func WithWaitReport(ctx context.Context, r *WaitReport) context.Context {
	return context.WithValue(ctx, waitReportKey{}, r)
}

// startWaitReport counts a wait that blocks and arms ctx's WaitReport for
// it, if any; the returned stop disarms it when the wait ends.
func (m *Manager) startWaitReport(ctx context.Context, w Wait) (stop func()) {
	m.stats.lockWaits.Add(1)
	r, _ := ctx.Value(waitReportKey{}).(*WaitReport)
	if r == nil || r.Report == nil || r.After < 0 {
		return func() {}
	}
	t := time.AfterFunc(r.After, func() { r.Report(w, r.After) })
	return func() { t.Stop() }
}
