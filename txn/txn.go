package txn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
)

// XID is a transaction id. 0 is never a valid id.
type XID uint64

// Rev is a commit revision. Revision 0 is "before anything committed".
type Rev uint64

// CID is a command id: the number of the statement within its transaction.
type CID uint32

// Storage is what the transaction layer needs from durable storage.
type Storage interface {
	// Write appends b to the log and applies it; it is durable once Sync
	// through the returned LSN has succeeded.
	Write(b *lsm.Batch) (uint64, error)
	// Sync returns once everything up to lsn is on stable storage.
	Sync(lsn uint64) error
	// Get reads the newest value of key.
	Get(key []byte) ([]byte, bool, error)
	// NewIter iterates over [lower, upper) as of the call.
	NewIter(lower, upper []byte) *lsm.Iterator
	// NewLiveIter iterates over [lower, upper) without a snapshot of the
	// memtable (lsm.DB.NewLiveIter): cheaper for readers whose data
	// carries its own versions.
	NewLiveIter(lower, upper []byte) *lsm.Iterator
	// NewLiveIterInto is NewLiveIter made in it, reused
	// (lsm.DB.NewLiveIterInto).
	NewLiveIterInto(it *lsm.Iterator, lower, upper []byte) *lsm.Iterator
}

// Key prefixes this package owns in the key space. The heap uses 't'.
var (
	clogPrefix     = []byte("\x00clog/")
	clogPagePrefix = []byte("\x00clogpage/")
	clogRevKey     = []byte("\x00clogrev")
	clogTSKey      = []byte("\x00clogts")
	counterKeyXID  = []byte("\x00meta/xid-limit")
	counterKeySeq  = []byte("\x00meta/seq-limit")
	counterKeyOID  = []byte("\x00meta/oid-limit")
)

// FirstOID is the first object id handed out, PostgreSQL's first normal OID.
const FirstOID = 16384

const counterBlock = 4096

// ErrClosed is returned after the manager's storage has failed.
var ErrClosed = errors.New("txn: manager closed")

// ErrCommitUnknown is returned (wrapped, with the storage failure's
// SQLSTATE) by a synchronous commit whose record was written but could not
// be made durable: the transaction is not visible in this process, and a
// restart may find it committed or not.
var ErrCommitUnknown = errors.New("txn: commit outcome unknown")

// failer is implemented by storage that can say it accepts no more writes
// until it is reopened (checkpoint.Store after a WAL failure).
type failer interface {
	Failed() error
}

// Manager hands out transactions and decides visibility.
type Manager struct {
	store Storage

	// published is the newest revision every snapshot may see.
	published atomic.Uint64

	xids counter
	seqs counter
	oids counter

	commitMu sync.Mutex // orders revisions with their log records
	nextRev  Rev
	// clock is the newest cluster timestamp seen, tsLog the running
	// maximum of commit timestamps by revision since the last fold, and
	// trimmedMaxTS that maximum over the marks the fold forgot; all
	// under commitMu (cluster.go).
	clock        Rev
	tsLog        []tsMark
	trimmedMaxTS Rev
	// usedHorizon is the highest horizon ever computed: vacuum or the
	// fold may have acted on it, so no snapshot may be registered below.
	usedHorizon atomic.Uint64
	// now, if set, stamps commit records with their time (commitrecord.go);
	// lastCommitMicros, under commitMu, keeps those times from going back.
	now              func() time.Time
	lastCommitMicros int64

	commitsSinceFold atomic.Uint64
	// foldMu serializes commit-log folds; foldedRev is the newest
	// revision folded so far, foldedTS the newest cluster timestamp
	// (clog.go). Lock order: foldMu, mu.
	foldMu    sync.Mutex
	foldedRev Rev
	foldedTS  Rev

	mu struct {
		sync.RWMutex
		// committed holds the revision of each commit a snapshot in use
		// may not see; bits holds the older ones (clog.go).
		committed map[XID]Rev
		bits      committedBits
		// tsOf holds the cluster timestamp of each commit in committed
		// that has one (cluster.go).
		tsOf          map[XID]Rev
		foldedHorizon Rev
		// active maps each running transaction to a channel closed when
		// it ends, for transactions that wait on it: nil until one does
		// (waitFor makes it), as most transactions are never waited for.
		active map[XID]chan struct{}
		// subOf maps a running subtransaction to its transaction.
		subOf map[XID]XID
		// snaps holds the revision of the snapshot each running
		// transaction uses, for the vacuum horizon.
		snaps map[XID]Rev
	}

	waits    waitGraph
	stats    stats
	ssi      ssiState
	advisory advisoryTable

	prepMu   sync.Mutex
	prepared map[string]*PreparedTxn
	// deciding holds the prepared transactions a COMMIT PREPARED or
	// ROLLBACK PREPARED has taken out of prepared and not yet finished:
	// still undecided for ClusterSnapshot (cluster.go).
	deciding map[string]*PreparedTxn

	tlockMu  sync.Mutex
	tlocks   map[uint32]map[XID]TableLockMode // table -> holders
	tlocksOf map[XID][]uint32                 // holder -> tables
	// tlockHolders is len(tlocksOf), stored under tlockMu whenever it
	// changes: zero lets a transaction that took no table lock (a
	// reader) end without tlockMu, as its own entry would keep it
	// above zero until it ends.
	tlockHolders atomic.Int64
	// tlockSpare keeps emptied holder maps and table lists for reuse
	// (tablelock.go), so that a transaction's table locks cost no
	// allocation each.
	tlockSpare tableLockSpare

	// pubMu orders publication (publish): a revision's effects become
	// visible only once every smaller revision is settled. Lock order:
	// pubMu, mu.
	pubMu   sync.Mutex
	pubCond *sync.Cond
	settled map[Rev]settledRev // settled but not yet published
}

// settledRev is what publish does with a revision once every smaller one
// is published too.
type settledRev struct {
	xids []XID
	// visible: the xids commit at the revision. Otherwise the revision is
	// a hole no xid maps to, and the xids end as aborted (for this
	// process) unless keep is set (a prepared transaction, which stays
	// prepared).
	visible bool
	keep    bool
	// ts is the commits' cluster timestamp, 0 for none (cluster.go).
	ts Rev
}

// Options configure a Manager. The zero value gives the defaults.
type Options struct {
	// Now is the clock that stamps each commit record with its commit
	// time (a backup restores to a point in time by it). Nil records no
	// time.
	Now func() time.Time
}

// Open loads the commit log from storage and prepares to hand out ids above
// everything used before.
func Open(store Storage) (*Manager, error) { return OpenWithOptions(store, Options{}) }

// OpenWithOptions is Open with options.
func OpenWithOptions(store Storage, opts Options) (*Manager, error) {
	m := &Manager{store: store, now: opts.Now}
	m.mu.committed = make(map[XID]Rev)
	m.mu.tsOf = make(map[XID]Rev)
	m.mu.bits = make(committedBits)
	m.mu.active = make(map[XID]chan struct{})
	m.mu.subOf = make(map[XID]XID)
	m.mu.snaps = make(map[XID]Rev)
	m.waits.init()
	m.ssi.init()
	m.settled = make(map[Rev]settledRev)
	m.pubCond = sync.NewCond(&m.pubMu)
	maxRev, err := m.loadPages()
	if err != nil {
		return nil, err
	}
	m.foldedRev = maxRev
	maxTS := m.foldedTS
	var unfolded []XID
	it := store.NewIter(clogPrefix, prefixEnd(clogPrefix))
	for ok := it.First(); ok; ok = it.Next() {
		k, v := it.Key(), it.Value()
		rev, micros, ts, ok := decodeCommitValue(v)
		if len(k) != len(clogPrefix)+8 || !ok {
			it.Close()
			return nil, fmt.Errorf("txn: malformed commit log entry %q", k)
		}
		xid := XID(binary.BigEndian.Uint64(k[len(clogPrefix):]))
		m.lastCommitMicros = max(m.lastCommitMicros, micros)
		// No snapshot is older than the newest commit yet: every
		// stored commit is seen by all (clog.go).
		m.mu.bits.add(xid)
		unfolded = append(unfolded, xid)
		if rev > maxRev {
			maxRev = rev
		}
		maxTS = max(maxTS, ts)
	}
	if err := it.Close(); err != nil {
		return nil, fmt.Errorf("txn: loading commit log: %w", err)
	}
	m.foldMu.Lock()
	err = m.storeFold(unfolded, maxRev, maxTS)
	m.foldMu.Unlock()
	if err != nil {
		return nil, err
	}
	m.nextRev = maxRev + 1
	// Every commit is folded now, seen by every cluster snapshot: one
	// older than the newest commit's timestamp must be refused. The
	// clock goes on from below it: that timestamp is the oracle's, or
	// one above a timestamp of the oracle's (cluster.go).
	if maxTS != 0 {
		m.clock, m.trimmedMaxTS = maxTS-1, maxTS
	}
	m.published.Store(uint64(maxRev))
	if err := m.loadPrepared(); err != nil {
		return nil, err
	}
	if err := m.xids.init(store, counterKeyXID, 1); err != nil {
		return nil, err
	}
	if err := m.seqs.init(store, counterKeySeq, 1); err != nil {
		return nil, err
	}
	if err := m.oids.init(store, counterKeyOID, FirstOID); err != nil {
		return nil, err
	}
	return m, nil
}

func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// counter hands out unique increasing numbers, reserving them in blocks
// whose upper limit is made durable before any number of the block is used.
// The taker that uses the first half of a block reserves the next one, and
// writes and syncs its limit without holding the counter's lock, so that
// the other takers go on with the numbers left meanwhile; only a taker
// that finds the block used up waits, for that reservation or its own.
type counter struct {
	mu    sync.Mutex
	done  sync.Cond // signalled, under mu, when a reservation ends
	key   []byte
	next  uint64
	limit uint64
	store Storage
	// reserving says a taker is writing the next limit; aheadFailed that
	// the last reservation made ahead failed, so that the next is made
	// only when the block is used up (and its error returned then).
	reserving, aheadFailed bool
}

func (c *counter) init(store Storage, key []byte, start uint64) error {
	c.store, c.key = store, key
	c.done.L = &c.mu
	v, ok, err := store.Get(key)
	if err != nil {
		return fmt.Errorf("txn: reading %s: %w", key, err)
	}
	c.next = start
	if ok {
		if len(v) != 8 {
			return fmt.Errorf("txn: malformed counter %s", key)
		}
		c.next = binary.BigEndian.Uint64(v)
	}
	c.limit = c.next
	return nil
}

func (c *counter) take() (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.next >= c.limit {
		if c.reserving {
			c.done.Wait()
			continue
		}
		if err := c.reserveLocked(); err != nil {
			return 0, err
		}
	}
	n := c.next
	c.next++
	if !c.reserving && !c.aheadFailed && c.limit-c.next <= counterBlock/2 {
		// The numbers in hand last while this reservation is written;
		// if it fails, the one made when they are used up returns the
		// error.
		c.aheadFailed = c.reserveLocked() != nil
	}
	return n, nil
}

// reserveLocked makes the limit one block above the current one durable
// and then raises the limit to it. It is called with mu held and no
// reservation under way, and releases mu while it writes and syncs.
func (c *counter) reserveLocked() error {
	c.reserving = true
	newLimit := max(c.limit, c.next) + counterBlock
	c.mu.Unlock()
	var b lsm.Batch
	b.Set(c.key, binary.BigEndian.AppendUint64(nil, newLimit))
	lsn, err := c.store.Write(&b)
	if err == nil {
		err = c.store.Sync(lsn)
	}
	c.mu.Lock()
	c.reserving = false
	c.done.Broadcast()
	if err != nil {
		f, ok := c.store.(failer)
		if !ok || f.Failed() == nil {
			return fmt.Errorf("txn: reserving ids: %w", err)
		}
		// The storage accepts no more writes until it is reopened,
		// so no number handed out from now on reaches the disk:
		// numbering goes on in memory, and the reads that need
		// transaction ids go on too. After the restart numbering
		// resumes from the last durable limit.
	}
	c.limit, c.aheadFailed = newLimit, false
	return nil
}

// NextSeq returns a number never returned before, across restarts too. The
// heap uses it to order the versions of a row by creation.
func (m *Manager) NextSeq() (uint64, error) { return m.seqs.take() }

// NextOID returns a new object id (for tables), unique across restarts.
func (m *Manager) NextOID() (uint32, error) {
	n, err := m.oids.take()
	if err != nil {
		return 0, err
	}
	if n > 1<<32-1 {
		return 0, errors.New("txn: object ids exhausted")
	}
	return uint32(n), nil
}

// ReadSnapshot returns a snapshot at the newest published revision that
// belongs to no transaction, for short reads outside one (the catalog). It
// is not registered, so it does not hold the horizon back: vacuum and the
// commit-log fold may act on commits newer than it, which it then sees as
// of a later revision. Use Snapshot for anything longer than a lookup.
func (m *Manager) ReadSnapshot() Snapshot {
	return Snapshot{m: m, Rev: Rev(m.published.Load())}
}

// LatestSnapshot returns a snapshot at the newest published revision for
// t without registering it: for a short read of the newest committed state
// (the row an upsert conflicts with) made while t holds a snapshot taken
// earlier through Snapshot or SnapshotAt. That older registration keeps
// the horizon at or below this snapshot's revision, so nothing it sees is
// vacuumed under it, and t's registered snapshot is left as it was (and
// the manager's lock untaken).
func (m *Manager) LatestSnapshot(t *Txn, cid CID) Snapshot {
	return Snapshot{m: m, t: t, Rev: Rev(m.published.Load()), XID: t.Current(), Top: t.XID, CID: cid}
}

// beginSub allocates a subtransaction id for t.
func (m *Manager) beginSub(t *Txn) (XID, error) {
	x, err := m.xids.take()
	if err != nil {
		return 0, err
	}
	xid := XID(x)
	m.mu.Lock()
	m.mu.active[xid] = nil
	m.mu.subOf[xid] = t.XID
	m.mu.Unlock()
	return xid, nil
}

// TopOf returns the transaction a subtransaction belongs to, or xid itself.
func (m *Manager) TopOf(xid XID) XID {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if top, ok := m.mu.subOf[xid]; ok {
		return top
	}
	return xid
}

// Begin starts a transaction.
func (m *Manager) Begin() (*Txn, error) {
	x, err := m.xids.take()
	if err != nil {
		return nil, err
	}
	xid := XID(x)
	m.mu.Lock()
	m.mu.active[xid] = nil
	m.mu.Unlock()
	return &Txn{m: m, XID: xid}, nil
}

// Snapshot returns a snapshot at the newest published revision for t.
func (m *Manager) Snapshot(t *Txn, cid CID) Snapshot {
	m.mu.Lock()
	rev := Rev(m.published.Load())
	m.mu.snaps[t.XID] = rev
	m.mu.Unlock()
	return Snapshot{m: m, t: t, Rev: rev, XID: t.Current(), Top: t.XID, CID: cid}
}

// ErrSnapshotTooOld is returned by SnapshotAt for a revision below the
// vacuum horizon: what it saw may be gone.
var ErrSnapshotTooOld = errors.New("txn: snapshot below the vacuum horizon")

// SnapshotAt returns a snapshot at revision rev, not newer than the
// published one, for t (PostgreSQL's SET TRANSACTION SNAPSHOT). It fails
// with ErrSnapshotTooOld when no running transaction's snapshot holds rev
// above the vacuum horizon any more. Snapshots other than these are
// always at the published revision, so the horizon only rises, and once
// registered here t holds rev in turn.
func (m *Manager) SnapshotAt(t *Txn, rev Rev, cid CID) (Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rev < m.horizonLocked() || rev > Rev(m.published.Load()) {
		return Snapshot{}, ErrSnapshotTooOld
	}
	m.mu.snaps[t.XID] = rev
	return Snapshot{m: m, t: t, Rev: rev, XID: t.Current(), Top: t.XID, CID: cid}, nil
}

// Horizon is the oldest revision a running transaction's snapshot may be
// at: a row version deleted by a commit at or below it is seen by no
// snapshot in use or to come, and may be removed.
func (m *Manager) Horizon() Rev {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.horizonLocked()
}

func (m *Manager) horizonLocked() Rev {
	h := Rev(m.published.Load())
	for _, r := range m.mu.snaps {
		if r < h {
			h = r
		}
	}
	for {
		used := m.usedHorizon.Load()
		if uint64(h) <= used || m.usedHorizon.CompareAndSwap(used, uint64(h)) {
			return h
		}
	}
}

// Status tells the state of xid.
type Status int

const (
	InProgress Status = iota
	Committed
	Aborted
)

// StatusOf reports xid's state and, when committed, its revision, or 0 for
// a commit every snapshot in use or to come sees (clog.go).
func (m *Manager) StatusOf(xid XID) (Status, Rev) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if rev, ok := m.mu.committed[xid]; ok {
		return Committed, rev
	}
	if m.mu.bits.has(xid) {
		return Committed, 0
	}
	if _, ok := m.mu.active[xid]; ok {
		return InProgress, 0
	}
	return Aborted, 0
}

// Published returns the newest published revision.
func (m *Manager) Published() Rev { return Rev(m.published.Load()) }

func clogKey(xid XID) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), clogPrefix...), uint64(xid))
}

// commit runs the commit pipeline for t; see the package comment.
func (m *Manager) commit(t *Txn) error {
	if !t.wrote && m.ssi.enrolled.Load() == 0 {
		// A read-only transaction outside SSI (which t would be in,
		// were it serializable: ssiState.enrolled) has nothing to
		// order, so it takes no commit lock.
		for _, x := range t.liveSubs() {
			m.finish(x)
		}
		m.finish(t.XID)
		return nil
	}
	if !t.wrote {
		// A read-only transaction commits at the newest published
		// revision: SSI orders it there.
		m.commitMu.Lock()
		err := m.ssiPreCommit(t, m.nextRev-1)
		m.commitMu.Unlock()
		for _, x := range t.liveSubs() {
			m.finish(x)
		}
		m.finish(t.XID)
		m.ssiFinish(t.XID, err == nil)
		return err
	}
	m.commitMu.Lock()
	rev := m.nextRev
	if err := m.ssiPreCommit(t, rev); err != nil {
		m.commitMu.Unlock()
		for _, x := range t.liveSubs() {
			m.finish(x)
		}
		m.finish(t.XID)
		m.ssiFinish(t.XID, false)
		m.countWriterAbort(true)
		return err
	}
	// One record commits the transaction and every subtransaction it
	// kept, at one revision.
	xids := append([]XID{t.XID}, t.liveSubs()...)
	written, err := m.commitXIDs(t.XID, xids, !t.async, false, 0, nil)
	if !written {
		for _, x := range xids {
			m.finish(x)
		}
		m.ssiFinish(t.XID, false)
		m.countWriterAbort(true)
	}
	return err
}

// commitXIDs writes the commit record of xids (a transaction and its
// subtransactions) at the next revision, plus whatever extra adds to the
// record, and publishes the revision in order once the record is durable
// (at once with wait unset: synchronous_commit = off). Called with
// commitMu held; it releases it.
//
// written is false when the record could not be written: nothing happened
// and the xids are still in progress, for the caller to end. Otherwise the
// revision is settled: committed (nil error), or, when the sync failed, a
// hole whose xids end aborted for this process, or stay in progress with
// keep set (a prepared transaction); the error then wraps
// ErrCommitUnknown.
func (m *Manager) commitXIDs(top XID, xids []XID, wait, keep bool, ts Rev, extra func(*lsm.Batch)) (written bool, err error) {
	rev := m.nextRev
	given := ts != 0
	ts = m.commitTSLocked(ts)
	var b lsm.Batch
	value := m.commitValueLocked(rev, ts)
	for _, x := range xids {
		b.Set(clogKey(x), value)
	}
	if extra != nil {
		extra(&b)
	}
	lsn, err := m.store.Write(&b)
	if err != nil {
		m.commitMu.Unlock()
		return false, fmt.Errorf("txn: writing commit record: %w", err)
	}
	// The revision is taken: from here on it must be settled, or every
	// later revision would wait for it forever.
	m.recordTSLocked(rev, ts, given)
	m.nextRev++
	m.commitMu.Unlock()

	// Group commit: everyone who wrote a record meanwhile shares the
	// leader's fsync. An asynchronous commit does not wait: the log's
	// background writer syncs it within its flush interval, and any later
	// synchronous commit syncs it too (the log is a prefix). A crash
	// before then loses the whole commit record, so the transaction is
	// aborted as a whole, never half of it.
	var syncErr error
	if wait {
		syncErr = m.store.Sync(lsn)
	}
	visible := syncErr == nil
	m.publish(rev, settledRev{xids: xids, visible: visible, keep: keep, ts: ts})
	if visible {
		m.releaseTableLocks(top)
		m.releaseXactAdvisory(xids...)
		m.ssiFinish(top, true)
		m.maybeFold()
		return true, nil
	}
	if !keep {
		m.releaseTableLocks(top)
		m.releaseXactAdvisory(xids...)
		m.ssiFinish(top, false)
		// publish has ended the xids: aborted for this process.
		m.countWriterAbort(true)
	}
	return true, commitUnknown(top, syncErr)
}

// commitUnknown is the error of a commit whose record may or may not be
// durable: the storage failure's SQLSTATE and words, saying what became
// of the transaction.
func commitUnknown(top XID, syncErr error) error {
	cause := fmt.Errorf("%w: transaction %d: %w", ErrCommitUnknown, top, syncErr)
	msg, hint := syncErr.Error(), ""
	if shown := pgerr.Shown(syncErr); shown != nil {
		msg, hint = shown.Message, shown.Hint
	}
	pe := pgerr.New(pgerr.Code(syncErr), "the outcome of the commit of transaction %d is unknown: %s", top, msg)
	pe.Hint = hint
	pe.Detail = "Its commit record may or may not have reached the disk. It is not visible now; a restart finds it committed if the record is there."
	return pe.WithCause(cause).AsComplete()
}

// publish settles rev as s says and publishes, in revision order, every
// revision whose predecessors are all settled; it returns once rev itself
// is published. A revision's effects become observable only here, when it
// is published: its xids are marked committed (StatusOf) and their waiters
// woken before the published revision moves past it, so a snapshot at R
// sees every commit at or below R, and nothing sees a commit before its
// record is durable (before its revision is settled).
func (m *Manager) publish(rev Rev, s settledRev) {
	m.pubMu.Lock()
	defer m.pubMu.Unlock()
	m.settled[rev] = s
	for {
		next := Rev(m.published.Load()) + 1
		s, ok := m.settled[next]
		if !ok {
			break
		}
		delete(m.settled, next)
		var dones []chan struct{}
		if s.visible || !s.keep {
			m.mu.Lock()
			for _, x := range s.xids {
				if s.visible {
					m.mu.committed[x] = next
					if s.ts != 0 {
						m.mu.tsOf[x] = s.ts
					}
				}
				if d := m.mu.active[x]; d != nil {
					dones = append(dones, d)
				}
				delete(m.mu.active, x)
				delete(m.mu.subOf, x)
				delete(m.mu.snaps, x)
			}
			m.mu.Unlock()
		}
		m.published.Store(uint64(next))
		for _, d := range dones {
			close(d)
		}
		m.pubCond.Broadcast()
	}
	for Rev(m.published.Load()) < rev {
		m.pubCond.Wait()
	}
}

func (m *Manager) finish(xid XID) {
	m.mu.Lock()
	done := m.mu.active[xid]
	delete(m.mu.active, xid)
	delete(m.mu.subOf, xid)
	delete(m.mu.snaps, xid)
	m.mu.Unlock()
	if done != nil {
		close(done)
	}
	m.releaseTableLocks(xid)
	m.releaseXactAdvisory(xid)
}

// OldestActive returns the smallest active XID, or 0 when none is active.
func (m *Manager) OldestActive() XID {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var oldest XID
	for x := range m.mu.active {
		if oldest == 0 || x < oldest {
			oldest = x
		}
	}
	return oldest
}

// Txn is one transaction. It is used by one goroutine at a time.
type Txn struct {
	m     *Manager
	XID   XID
	wrote bool
	ended bool
	// subs are the subtransactions savepoints started, oldest first; a
	// rolled-back one is aborted for good. levels[i] is the index in subs
	// of the subtransaction current at savepoint level i+1.
	subs   []subtxn
	levels []int
	async  bool // commit without waiting for the log sync
}

type subtxn struct {
	xid     XID
	aborted bool
}

// Current returns the id that stamps t's writes now: the subtransaction of
// the innermost savepoint, or t's own id.
func (t *Txn) Current() XID {
	if len(t.levels) == 0 {
		return t.XID
	}
	return t.subs[t.levels[len(t.levels)-1]].xid
}

func (t *Txn) liveSub(xid XID) bool {
	for _, s := range t.subs {
		if s.xid == xid {
			return !s.aborted
		}
	}
	return false
}

// Savepoint starts a subtransaction one level deeper and returns the new
// level (1 for the first savepoint).
func (t *Txn) Savepoint() (int, error) {
	xid, err := t.m.beginSub(t)
	if err != nil {
		return 0, err
	}
	t.subs = append(t.subs, subtxn{xid: xid})
	t.levels = append(t.levels, len(t.subs)-1)
	return len(t.levels), nil
}

// RollbackTo undoes everything done since savepoint level began: that
// level's subtransaction and every deeper one are aborted, the deeper
// levels end, and level continues in a fresh subtransaction.
func (t *Txn) RollbackTo(level int) error {
	if level < 1 || level > len(t.levels) {
		return errors.New("txn: no such savepoint level")
	}
	first := t.levels[level-1]
	for i := first; i < len(t.subs); i++ {
		if !t.subs[i].aborted {
			t.subs[i].aborted = true
			t.m.finish(t.subs[i].xid)
		}
	}
	// Whether the subtransactions wrote is not known apart from the
	// transaction: any write so far counts.
	t.m.countWriterAbort(t.wrote)
	t.levels = t.levels[:level-1]
	_, err := t.Savepoint()
	return err
}

// Release ends savepoint level and the deeper ones, keeping their work as
// part of the enclosing level.
func (t *Txn) Release(level int) error {
	if level < 1 || level > len(t.levels) {
		return errors.New("txn: no such savepoint level")
	}
	t.levels = t.levels[:level-1]
	return nil
}

// liveSubs lists the subtransactions that commit with t.
func (t *Txn) liveSubs() []XID {
	var out []XID
	for _, s := range t.subs {
		if !s.aborted {
			out = append(out, s.xid)
		}
	}
	return out
}

// MarkWrote records that t has written, so its commit must be logged.
func (t *Txn) MarkWrote() { t.wrote = true }

// SetSynchronousCommit chooses whether Commit waits for the commit record
// to be on stable storage (on, the default) or returns once the commit is
// logged in memory and published (off: PostgreSQL's synchronous_commit =
// off). An asynchronous commit is still published in revision order; a
// crash within the log's flush interval may lose it, but only whole, and
// never while keeping a synchronous commit made after it.
func (t *Txn) SetSynchronousCommit(on bool) { t.async = !on }

// Commit makes t's writes visible to later snapshots, durably unless
// SetSynchronousCommit(false) was called.
func (t *Txn) Commit() error {
	if t.ended {
		return errors.New("txn: transaction already ended")
	}
	t.ended = true
	err := t.m.commit(t)
	t.m.countEnd(err)
	return err
}

// Rollback discards t. Its tuple versions stay on disk but are invisible:
// an XID that is neither active nor committed is aborted.
func (t *Txn) Rollback() {
	if t.ended {
		return
	}
	t.ended = true
	t.m.stats.rollbacks.Add(1)
	for _, x := range t.liveSubs() {
		t.m.finish(x)
	}
	t.m.finish(t.XID)
	t.m.ssiFinish(t.XID, false)
	t.m.countWriterAbort(t.wrote)
}
