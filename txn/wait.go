package txn

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// waitGraph records which transaction waits for which, to find deadlocks.
// Each waiter waits for one transaction at a time, so the graph is a set of
// chains, and a cycle is found by following edges from the holder.
type waitGraph struct {
	mu    sync.Mutex
	edges map[XID]XID
}

func (g *waitGraph) init() { g.edges = make(map[XID]XID) }

// add records waiter → holder unless that closes a cycle; it reports
// whether it did.
func (g *waitGraph) add(waiter, holder XID) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for x, n := holder, 0; n <= len(g.edges); n++ {
		if x == waiter {
			return false
		}
		next, ok := g.edges[x]
		if !ok {
			break
		}
		x = next
	}
	g.edges[waiter] = holder
	return true
}

func (g *waitGraph) remove(waiter XID) {
	g.mu.Lock()
	delete(g.edges, waiter)
	g.mu.Unlock()
}

// ErrDeadlock is returned (with SQLSTATE 40P01) to the transaction whose
// wait would close a cycle; it is the victim.
var ErrDeadlock = errors.New("txn: deadlock detected")

// WaitFor blocks until transaction holder ends, as a writer does when it
// meets a row version holder claimed. It fails with 40P01 if waiting would
// deadlock, with 55P03 when lockTimeout (if positive) passes first, and
// with 57014 when ctx is done (statement timeout or cancel). It returns at
// once when holder has already ended.
func (m *Manager) WaitFor(ctx context.Context, waiter, holder XID, lockTimeout time.Duration) error {
	m.mu.RLock()
	done, running := m.mu.active[holder]
	m.mu.RUnlock()
	if !running {
		return nil
	}
	// The graph's nodes are transactions: a subtransaction waits and is
	// waited for as the transaction it belongs to.
	waiter, holderTop := m.TopOf(waiter), m.TopOf(holder)
	if !m.waits.add(waiter, holderTop) {
		return pgerr.Wrap(ErrDeadlock, pgerr.DeadlockDetected)
	}
	defer m.waits.remove(waiter)
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

// canceled is the error of a wait ended by ctx: statement timeout or a
// cancel request (57014).
func canceled(ctx context.Context) error {
	return pgerr.FromContext(ctx)
}
