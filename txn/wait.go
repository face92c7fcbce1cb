package txn

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// waitGraph records which transaction waits for which, to find deadlocks
// and to show waits (Manager.Waits). Each waiter has one wait at a time:
// for one transaction (a row or a table lock), or for the owners of an
// advisory lock (advisory.go), each standing for the transaction it runs
// when the graph is walked. A cycle is found by a walk from the holders.
type waitGraph struct {
	mu    sync.Mutex
	edges map[XID]waitEdge
}

// waitEdge is one waiter's wait: for holder (a transaction), which it
// meets as on (holder itself or one of its subtransactions), for a row or,
// when table is set, for a table lock in mode; or, when owners is set, for
// those owners' advisory locks (holder and on are then 0).
type waitEdge struct {
	holder XID
	on     XID
	table  uint32
	mode   TableLockMode
	owners []*LockOwner
}

// next lists the transactions e waits for now.
func (e waitEdge) next() []XID {
	if e.owners == nil {
		return []XID{e.holder}
	}
	out := make([]XID, 0, len(e.owners))
	for _, o := range e.owners {
		if x := o.current(); x != 0 {
			out = append(out, x)
		}
	}
	return out
}

func (g *waitGraph) init() { g.edges = make(map[XID]waitEdge) }

// add records waiter's edge unless that closes a cycle; it reports
// whether it did.
func (g *waitGraph) add(waiter XID, e waitEdge) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	seen := make(map[XID]bool)
	stack := e.next()
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == waiter {
			return false
		}
		if seen[x] {
			continue
		}
		seen[x] = true
		if next, ok := g.edges[x]; ok {
			stack = append(stack, next.next()...)
		}
	}
	g.edges[waiter] = e
	return true
}

// set replaces waiter's edge by one that waits for fewer: it cannot close
// a cycle.
func (g *waitGraph) set(waiter XID, e waitEdge) {
	g.mu.Lock()
	g.edges[waiter] = e
	g.mu.Unlock()
}

func (g *waitGraph) remove(waiter XID) {
	g.mu.Lock()
	delete(g.edges, waiter)
	g.mu.Unlock()
}

// ErrDeadlock is returned (with SQLSTATE 40P01) to the transaction whose
// wait would close a cycle; it is the victim.
var ErrDeadlock = errors.New("txn: deadlock detected")

// deadlock is the error a deadlock's victim gets: PostgreSQL's message,
// wrapping ErrDeadlock.
func deadlock() error {
	return pgerr.New(pgerr.DeadlockDetected, "deadlock detected").WithCause(ErrDeadlock)
}

// WaitFor blocks until transaction holder ends, as a writer does when it
// meets a row version holder claimed. It fails with 40P01 if waiting would
// deadlock, with 55P03 when lockTimeout (if positive) passes first, and
// with 57014 when ctx is done (statement timeout or cancel). It returns at
// once when holder has already ended.
func (m *Manager) WaitFor(ctx context.Context, waiter, holder XID, lockTimeout time.Duration) error {
	return m.waitFor(ctx, waiter, holder, 0, 0, lockTimeout)
}

// waitFor is WaitFor; a table lock's wait names the table and the mode
// wanted, for Waits.
func (m *Manager) waitFor(ctx context.Context, waiter, holder XID, table uint32, mode TableLockMode, lockTimeout time.Duration) error {
	m.mu.Lock()
	done, running := m.mu.active[holder]
	if running && done == nil {
		done = make(chan struct{})
		m.mu.active[holder] = done
	}
	m.mu.Unlock()
	if !running {
		return nil
	}
	// The graph's nodes are transactions: a subtransaction waits and is
	// waited for as the transaction it belongs to.
	waiter, holderTop := m.TopOf(waiter), m.TopOf(holder)
	if !m.waits.add(waiter, waitEdge{holder: holderTop, on: holder, table: table, mode: mode}) {
		m.stats.deadlocks.Add(1)
		return deadlock()
	}
	defer m.waits.remove(waiter)
	defer m.startWaitReport(ctx, Wait{Waiter: waiter, Holder: holderTop, Table: table, Mode: mode})()
	var timeout <-chan time.Time
	if lockTimeout > 0 {
		t := time.NewTimer(lockTimeout)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-done:
		return nil
	case <-timeout:
		return pgerr.New(pgerr.LockNotAvailable, "canceling statement due to lock timeout")
	case <-ctx.Done():
		return canceled(ctx)
	}
}

// Wait is a transaction waiting for another, as Waits reports it.
type Wait struct {
	// Waiter and Holder are transactions, never subtransactions.
	Waiter, Holder XID
	// Table is the table whose lock Waiter wants, in Mode; 0 when Waiter
	// waits for a row Holder changed or locked (that is, for Holder to
	// end).
	Table uint32
	Mode  TableLockMode
}

// Waits lists the transactions waiting now, by waiter. A wait is listed
// only while what it waits for is still running: once a holder (or the
// subtransaction waited on) has ended, its waiters are no longer listed,
// even before they have woken up. So a caller that saw a holder end (its
// COMMIT returned) and then calls Waits sees its former waiters either
// running again or waiting for something else.
func (m *Manager) Waits() []Wait {
	type edge struct {
		waiter XID
		waitEdge
	}
	m.waits.mu.Lock()
	edges := make([]edge, 0, len(m.waits.edges))
	for w, e := range m.waits.edges {
		edges = append(edges, edge{w, e})
	}
	m.waits.mu.Unlock()
	out := make([]Wait, 0, len(edges))
	m.mu.RLock()
	for _, e := range edges {
		if _, running := m.mu.active[e.on]; running {
			out = append(out, Wait{Waiter: e.waiter, Holder: e.holder, Table: e.table, Mode: e.mode})
		}
	}
	m.mu.RUnlock()
	slices.SortFunc(out, func(a, b Wait) int { return cmp.Compare(a.Waiter, b.Waiter) })
	return out
}

// canceled is the error of a wait ended by ctx: statement timeout or a
// cancel request (57014).
func canceled(ctx context.Context) error {
	return pgerr.FromContext(ctx)
}
