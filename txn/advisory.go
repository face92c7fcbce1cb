package txn

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Advisory locks are PostgreSQL's pg_advisory_lock family: locks on
// numbers that mean whatever the application says, taken and released by
// the application. They are held by a LockOwner (a session), either at
// session level, re-entrant and counted, until unlocked or until the
// session ends, or at transaction level, until the transaction (or the
// subtransaction that took them, if it rolls back) ends. One owner's locks
// never conflict with each other, whatever their level; shared locks of
// different owners do not conflict; an exclusive lock conflicts with any
// lock of another owner.
//
// A request that cannot be granted joins the key's queue, behind earlier
// waiters, unless its owner already holds a lock on the key (it would wait
// behind a waiter that waits for it). A release grants the waiters at the
// head of the queue that no longer conflict, there and then, before it
// returns, as PostgreSQL's ProcLockWakeup does: once an unlock or a commit
// has returned, the waiters it let through hold their locks and are no
// longer shown waiting.
//
// A waiter takes part in deadlock detection with row and table waits: its
// edges in the wait graph point to the owners that block it (holders, and
// waiters ahead of it it conflicts with), and an owner stands for the
// transaction it is running when the graph is walked. An owner with no
// transaction running waits for nothing, so no cycle passes through it
// until it starts one and waits; that wait is then checked.

// LockOwner holds advisory locks: a session. The zero value is ready to
// use. Its owner tells it the transaction it runs (SetXID), for deadlock
// detection.
type LockOwner struct {
	xid atomic.Uint64
}

// SetXID records the transaction o runs now (0: none).
func (o *LockOwner) SetXID(x XID) { o.xid.Store(uint64(x)) }

func (o *LockOwner) current() XID { return XID(o.xid.Load()) }

// AdvisoryKey identifies an advisory lock as PostgreSQL's lock tag does:
// a bigint key k is (k's high 32 bits, its low 32 bits, 1), a pair of
// integers (a, b) is (a, b, 2); pg_locks shows them as classid, objid and
// objsubid.
type AdvisoryKey struct {
	ClassID, ObjID uint32
	ObjSubID       uint16
}

// AdvisoryKey64 is the key of pg_advisory_lock(bigint).
func AdvisoryKey64(k int64) AdvisoryKey {
	return AdvisoryKey{ClassID: uint32(uint64(k) >> 32), ObjID: uint32(k), ObjSubID: 1}
}

// AdvisoryKey32 is the key of pg_advisory_lock(int, int).
func AdvisoryKey32(a, b int32) AdvisoryKey {
	return AdvisoryKey{ClassID: uint32(a), ObjID: uint32(b), ObjSubID: 2}
}

// AdvisoryMode is an advisory lock's strength: PostgreSQL's ShareLock or
// ExclusiveLock.
type AdvisoryMode uint8

const (
	AdvisoryShare AdvisoryMode = iota
	AdvisoryExclusive
)

func (m AdvisoryMode) String() string {
	if m == AdvisoryShare {
		return "ShareLock"
	}
	return "ExclusiveLock"
}

func advisoryConflict(a, b AdvisoryMode) bool {
	return a == AdvisoryExclusive || b == AdvisoryExclusive
}

// AdvisoryRequest asks for an advisory lock.
type AdvisoryRequest struct {
	Owner *LockOwner
	Key   AdvisoryKey
	Mode  AdvisoryMode
	// Txn is the transaction the request is made in; a waiter waits as
	// this transaction in the wait graph.
	Txn *Txn
	// Xact takes a transaction-level lock: released when Txn's current
	// subtransaction rolls back or Txn ends. Otherwise the lock is
	// session level.
	Xact bool
	// Try returns false at once instead of waiting.
	Try bool
	// LockTimeout, if positive, bounds the wait (55P03).
	LockTimeout time.Duration
}

// advisoryTable is the Manager's advisory locks.
type advisoryTable struct {
	mu struct {
		sync.Mutex
		locks map[AdvisoryKey]*advLock
		// xact lists, per transaction or subtransaction, the
		// transaction-level locks taken in it, to release when it ends.
		xact map[XID][]advXactRef
	}
	// xactHolders is len(mu.xact), stored under mu whenever it changes:
	// zero lets a transaction that took no transaction-level advisory
	// lock end without mu, as its own entry would keep it above zero
	// until it ends.
	xactHolders atomic.Int64
}

type advXactRef struct {
	owner *LockOwner
	key   AdvisoryKey
}

type advLock struct {
	holds map[*LockOwner]*advHold
	queue []*advWaiter
}

// advHold is what one owner holds on one key: counts by mode, at session
// level and per transaction.
type advHold struct {
	session [2]int
	xact    map[XID]*[2]int
}

func (h *advHold) count(mode AdvisoryMode) int {
	n := h.session[mode]
	for _, c := range h.xact {
		n += c[mode]
	}
	return n
}

func (h *advHold) empty() bool { return h.count(AdvisoryShare) == 0 && h.count(AdvisoryExclusive) == 0 }

// advWaiter is a request in a key's queue. granted is closed when the lock
// is granted to it.
type advWaiter struct {
	owner   *LockOwner
	waiter  XID // the waiting transaction, in the wait graph
	mode    AdvisoryMode
	xactXID XID // 0: session level
	granted chan struct{}
}

func (a *advisoryTable) lockLocked(k AdvisoryKey) *advLock {
	if a.mu.locks == nil {
		a.mu.locks = make(map[AdvisoryKey]*advLock)
		a.mu.xact = make(map[XID][]advXactRef)
	}
	l := a.mu.locks[k]
	if l == nil {
		l = &advLock{holds: make(map[*LockOwner]*advHold)}
		a.mu.locks[k] = l
	}
	return l
}

// blockersLocked lists the owners that keep o from taking k in mode: other
// owners' conflicting holds and, unless o already holds a lock on k, the
// conflicting waiters queued before position (len(queue) for a new
// request).
func (l *advLock) blockersLocked(o *LockOwner, mode AdvisoryMode, position int) []*LockOwner {
	var out []*LockOwner
	for owner, h := range l.holds {
		if owner == o {
			continue
		}
		if h.count(AdvisoryExclusive) > 0 || mode == AdvisoryExclusive && h.count(AdvisoryShare) > 0 {
			out = append(out, owner)
		}
	}
	if _, holds := l.holds[o]; holds {
		return out
	}
	for _, w := range l.queue[:position] {
		if w.owner != o && advisoryConflict(mode, w.mode) && !slices.Contains(out, w.owner) {
			out = append(out, w.owner)
		}
	}
	return out
}

// grantLocked records the lock as held.
func (a *advisoryTable) grantLocked(l *advLock, k AdvisoryKey, o *LockOwner, mode AdvisoryMode, xactXID XID) {
	h := l.holds[o]
	if h == nil {
		h = &advHold{}
		l.holds[o] = h
	}
	if xactXID == 0 {
		h.session[mode]++
		return
	}
	if h.xact == nil {
		h.xact = make(map[XID]*[2]int)
	}
	c := h.xact[xactXID]
	if c == nil {
		c = new([2]int)
		h.xact[xactXID] = c
		a.mu.xact[xactXID] = append(a.mu.xact[xactXID], advXactRef{owner: o, key: k})
		a.xactHolders.Store(int64(len(a.mu.xact)))
	}
	c[mode]++
}

// LockAdvisory takes the advisory lock req asks for. It reports false when
// req.Try is set and the lock is not free. A wait fails with 40P01 if it
// would deadlock, 55P03 after req.LockTimeout, and 57014 when ctx is done.
func (m *Manager) LockAdvisory(ctx context.Context, req AdvisoryRequest) (bool, error) {
	var xactXID XID
	if req.Xact {
		xactXID = req.Txn.Current()
	}
	a := &m.advisory
	a.mu.Lock()
	l := a.lockLocked(req.Key)
	blockers := l.blockersLocked(req.Owner, req.Mode, len(l.queue))
	if len(blockers) == 0 {
		a.grantLocked(l, req.Key, req.Owner, req.Mode, xactXID)
		a.mu.Unlock()
		return true, nil
	}
	if req.Try {
		a.dropIfUnusedLocked(req.Key, l)
		a.mu.Unlock()
		return false, nil
	}
	w := &advWaiter{owner: req.Owner, waiter: req.Txn.XID, mode: req.Mode, xactXID: xactXID, granted: make(chan struct{})}
	if !m.waits.add(w.waiter, waitEdge{owners: blockers}) {
		a.dropIfUnusedLocked(req.Key, l)
		a.mu.Unlock()
		m.stats.deadlocks.Add(1)
		return false, deadlock()
	}
	l.queue = append(l.queue, w)
	a.mu.Unlock()
	defer m.startWaitReport(ctx, Wait{Waiter: w.waiter})()

	var timeout <-chan time.Time
	if req.LockTimeout > 0 {
		t := time.NewTimer(req.LockTimeout)
		defer t.Stop()
		timeout = t.C
	}
	var err error
	select {
	case <-w.granted:
		return true, nil
	case <-timeout:
		err = pgerr.New(pgerr.LockNotAvailable, "canceling statement due to lock timeout")
	case <-ctx.Done():
		err = canceled(ctx)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	select {
	case <-w.granted:
		// Granted while giving up: keep it, the statement succeeded.
		return true, nil
	default:
	}
	l.queue = slices.DeleteFunc(l.queue, func(q *advWaiter) bool { return q == w })
	m.waits.remove(w.waiter)
	// Those behind it may go now.
	m.wakeAdvisoryLocked(req.Key, l)
	return false, err
}

// wakeAdvisoryLocked grants the queued requests of k that conflict with
// no hold and no waiter ahead of them, and points the rest's wait-graph
// edges at the owners that still block them.
func (m *Manager) wakeAdvisoryLocked(k AdvisoryKey, l *advLock) {
	a := &m.advisory
	for i := 0; i < len(l.queue); {
		w := l.queue[i]
		blockers := l.blockersLocked(w.owner, w.mode, i)
		if len(blockers) > 0 {
			m.waits.set(w.waiter, waitEdge{owners: blockers})
			i++
			continue
		}
		a.grantLocked(l, k, w.owner, w.mode, w.xactXID)
		l.queue = slices.Delete(l.queue, i, i+1)
		m.waits.remove(w.waiter)
		close(w.granted)
	}
	a.dropIfUnusedLocked(k, l)
}

func (a *advisoryTable) dropIfUnusedLocked(k AdvisoryKey, l *advLock) {
	if len(l.holds) == 0 && len(l.queue) == 0 {
		delete(a.mu.locks, k)
	}
}

// UnlockAdvisory releases one count of o's session-level lock on k in
// mode. It reports false, releasing nothing, when o holds no such lock
// (a transaction-level one does not count).
func (m *Manager) UnlockAdvisory(o *LockOwner, k AdvisoryKey, mode AdvisoryMode) bool {
	a := &m.advisory
	a.mu.Lock()
	defer a.mu.Unlock()
	l := a.mu.locks[k]
	if l == nil {
		return false
	}
	h := l.holds[o]
	if h == nil || h.session[mode] == 0 {
		return false
	}
	h.session[mode]--
	if h.empty() {
		delete(l.holds, o)
	}
	m.wakeAdvisoryLocked(k, l)
	return true
}

// UnlockAllAdvisory releases every session-level advisory lock o holds
// (pg_advisory_unlock_all, and a session's end); transaction-level ones
// stay until their transaction ends.
func (m *Manager) UnlockAllAdvisory(o *LockOwner) {
	a := &m.advisory
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, l := range a.mu.locks {
		h := l.holds[o]
		if h == nil || h.session == [2]int{} {
			continue
		}
		h.session = [2]int{}
		if h.empty() {
			delete(l.holds, o)
		}
		m.wakeAdvisoryLocked(k, l)
	}
}

// releaseXactAdvisory releases the transaction-level advisory locks taken
// in the (sub)transactions xids, which have ended.
func (m *Manager) releaseXactAdvisory(xids ...XID) {
	a := &m.advisory
	if a.xactHolders.Load() == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, x := range xids {
		refs := a.mu.xact[x]
		if refs == nil {
			continue
		}
		delete(a.mu.xact, x)
		a.xactHolders.Store(int64(len(a.mu.xact)))
		for _, r := range refs {
			l := a.mu.locks[r.key]
			if l == nil {
				continue
			}
			if h := l.holds[r.owner]; h != nil {
				delete(h.xact, x)
				if h.empty() {
					delete(l.holds, r.owner)
				}
			}
			m.wakeAdvisoryLocked(r.key, l)
		}
	}
}

// HoldsXactAdvisory reports whether t (or one of its live subtransactions)
// holds transaction-level advisory locks.
func (m *Manager) HoldsXactAdvisory(t *Txn) bool {
	a := &m.advisory
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.mu.xact[t.XID]) > 0 {
		return true
	}
	for _, x := range t.liveSubs() {
		if len(a.mu.xact[x]) > 0 {
			return true
		}
	}
	return false
}

// AdvisoryLock is an advisory lock held or waited for, as AdvisoryLocks
// reports it: one per owner, key and mode, whatever the count and level.
type AdvisoryLock struct {
	Owner   *LockOwner
	Key     AdvisoryKey
	Mode    AdvisoryMode
	Granted bool
}

// AdvisoryLocks lists the advisory locks held and waited for now, by key,
// then held before waited for, then by mode. A waiter a release let
// through is shown holding its lock as soon as that release has returned.
func (m *Manager) AdvisoryLocks() []AdvisoryLock {
	a := &m.advisory
	a.mu.Lock()
	var out []AdvisoryLock
	for k, l := range a.mu.locks {
		for o, h := range l.holds {
			for _, mode := range []AdvisoryMode{AdvisoryShare, AdvisoryExclusive} {
				if h.count(mode) > 0 {
					out = append(out, AdvisoryLock{Owner: o, Key: k, Mode: mode, Granted: true})
				}
			}
		}
		for _, w := range l.queue {
			out = append(out, AdvisoryLock{Owner: w.owner, Key: k, Mode: w.mode})
		}
	}
	a.mu.Unlock()
	slices.SortStableFunc(out, func(x, y AdvisoryLock) int {
		return cmp.Or(cmp.Compare(x.Key.ClassID, y.Key.ClassID), cmp.Compare(x.Key.ObjID, y.Key.ObjID),
			cmp.Compare(x.Key.ObjSubID, y.Key.ObjSubID), -cmp.Compare(b2i(x.Granted), b2i(y.Granted)),
			cmp.Compare(x.Mode, y.Mode))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
