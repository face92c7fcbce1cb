package txn

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Table locks, held until the transaction ends, in the four PostgreSQL
// modes cairn needs: writers take RowExclusive (they do not conflict with
// each other); CREATE INDEX takes Share, which waits for every writing
// transaction on the table to end and keeps new writers out while it
// builds; ALTER TABLE and DROP TABLE take AccessExclusive, which conflicts
// with everything; AccessShare, which conflicts with AccessExclusive only,
// is taken by LOCK TABLE ... IN ACCESS SHARE MODE (pg_dump keeps the
// tables it dumps from being dropped so). Readers take none: MVCC keeps
// them consistent. Waits go
// through WaitFor, so they join deadlock detection, lock_timeout and
// cancellation. A prepared transaction keeps its table locks until it is
// decided, across restarts: its durable record lists them.

// TableLockMode is a table lock strength.
type TableLockMode int

// The modes' numbers are stored in prepared transactions' records.
const (
	RowExclusive TableLockMode = 1 + iota
	Share
	AccessExclusive
	AccessShare
)

func tableLocksConflict(a, b TableLockMode) bool {
	switch {
	case a == AccessExclusive || b == AccessExclusive:
		return true
	case a == AccessShare || b == AccessShare || a == b:
		return false
	}
	return true // RowExclusive against Share
}

// strength orders the modes so that holding one covers taking a weaker
// one: AccessShare, then RowExclusive, Share, AccessExclusive.
func (m TableLockMode) strength() int {
	if m == AccessShare {
		return 0
	}
	return int(m)
}

// stronger is the stronger of a and b (a when b is 0).
func stronger(a, b TableLockMode) TableLockMode {
	if b != 0 && b.strength() > a.strength() || a == 0 {
		return b
	}
	return a
}

// ErrLockNotAvailable is returned (with SQLSTATE 55P03) by a table lock
// taken with NoWait that another transaction's lock conflicts with.
var ErrLockNotAvailable = errors.New("txn: table lock not available")

// NoWait, as LockTable's lockTimeout, fails at once with
// ErrLockNotAvailable instead of waiting (LOCK TABLE ... NOWAIT).
const NoWait time.Duration = -1

// LockTable takes a lock on table for t's transaction, waiting for
// conflicting holders to end.
func (m *Manager) LockTable(ctx context.Context, t *Txn, table uint32, mode TableLockMode, lockTimeout time.Duration) error {
	for {
		m.tlockMu.Lock()
		if m.tlocks == nil {
			m.tlocks = make(map[uint32]map[XID]TableLockMode)
			m.tlocksOf = make(map[XID][]uint32)
		}
		holders := m.tlocks[table]
		if held, ok := holders[t.XID]; ok && held.strength() >= mode.strength() {
			m.tlockMu.Unlock()
			return nil
		}
		var blocker XID
		for x, held := range holders {
			if x != t.XID && tableLocksConflict(mode, held) {
				blocker = x
				break
			}
		}
		if blocker == 0 {
			if holders == nil {
				holders = m.tlockSpare.holders()
				m.tlocks[table] = holders
			}
			if _, ok := holders[t.XID]; !ok {
				tables, ok := m.tlocksOf[t.XID]
				if !ok {
					tables = m.tlockSpare.tables()
				}
				m.tlocksOf[t.XID] = append(tables, table)
				m.tlockHolders.Store(int64(len(m.tlocksOf)))
			}
			holders[t.XID] = stronger(holders[t.XID], mode)
			m.tlockMu.Unlock()
			return nil
		}
		m.tlockMu.Unlock()
		if lockTimeout == NoWait {
			return pgerr.Wrap(ErrLockNotAvailable, pgerr.LockNotAvailable)
		}
		if st, _ := m.StatusOf(blocker); st != InProgress {
			// The holder has ended but releases its table locks only
			// once its commit is published, so that our snapshot
			// will see it: a moment.
			select {
			case <-ctx.Done():
				return canceled(ctx)
			case <-time.After(100 * time.Microsecond):
			}
			continue
		}
		if err := m.waitFor(ctx, t.Current(), blocker, table, mode, lockTimeout); err != nil {
			return err
		}
	}
}

// TableLock is a table lock held, as TableLocks reports it.
type TableLock struct {
	XID   XID // the transaction holding it
	Table uint32
	Mode  TableLockMode
}

// TableLocks lists the table locks held now, by table and then holder.
// Prepared transactions hold theirs until they are decided.
func (m *Manager) TableLocks() []TableLock {
	m.tlockMu.Lock()
	var out []TableLock
	for table, holders := range m.tlocks {
		for x, mode := range holders {
			out = append(out, TableLock{XID: x, Table: table, Mode: mode})
		}
	}
	m.tlockMu.Unlock()
	slices.SortFunc(out, func(a, b TableLock) int {
		if c := cmp.Compare(a.Table, b.Table); c != 0 {
			return c
		}
		return cmp.Compare(a.XID, b.XID)
	})
	return out
}

// tableLocksOf lists the table locks xid holds, by table.
func (m *Manager) tableLocksOf(xid XID) []heldTableLock {
	m.tlockMu.Lock()
	defer m.tlockMu.Unlock()
	var out []heldTableLock
	for _, table := range m.tlocksOf[xid] {
		out = append(out, heldTableLock{table: table, mode: m.tlocks[table][xid]})
	}
	slices.SortFunc(out, func(a, b heldTableLock) int { return cmp.Compare(a.table, b.table) })
	return out
}

// restoreTableLocks gives a recovered prepared transaction its table locks
// back. Nothing else runs yet, so nothing conflicts.
func (m *Manager) restoreTableLocks(xid XID, locks []heldTableLock) {
	m.tlockMu.Lock()
	defer m.tlockMu.Unlock()
	for _, l := range locks {
		if m.tlocks == nil {
			m.tlocks = make(map[uint32]map[XID]TableLockMode)
			m.tlocksOf = make(map[XID][]uint32)
		}
		if m.tlocks[l.table] == nil {
			m.tlocks[l.table] = make(map[XID]TableLockMode)
		}
		if _, ok := m.tlocks[l.table][xid]; !ok {
			m.tlocksOf[xid] = append(m.tlocksOf[xid], l.table)
			m.tlockHolders.Store(int64(len(m.tlocksOf)))
		}
		m.tlocks[l.table][xid] = stronger(m.tlocks[l.table][xid], l.mode)
	}
}

// releaseTableLocks drops the table locks of a transaction that ended.
func (m *Manager) releaseTableLocks(xid XID) {
	if m.tlockHolders.Load() == 0 {
		return
	}
	m.tlockMu.Lock()
	defer m.tlockMu.Unlock()
	tables, ok := m.tlocksOf[xid]
	if !ok {
		return
	}
	for _, table := range tables {
		holders := m.tlocks[table]
		delete(holders, xid)
		if len(holders) == 0 {
			delete(m.tlocks, table)
			m.tlockSpare.putHolders(holders)
		}
	}
	delete(m.tlocksOf, xid)
	m.tlockHolders.Store(int64(len(m.tlocksOf)))
	m.tlockSpare.putTables(tables)
}

// tableLockSpare holds emptied holder maps and table lists, guarded by
// tlockMu. Most transactions lock a few tables that no other holds, so
// without it each lock would make a map that its release drops.
type tableLockSpare struct {
	maps   []map[XID]TableLockMode
	slices [][]uint32
}

// tableLockSpareMax bounds what tableLockSpare keeps: about one entry per
// table locked by concurrent transactions is enough.
const tableLockSpareMax = 256

func (s *tableLockSpare) holders() map[XID]TableLockMode {
	if n := len(s.maps); n > 0 {
		h := s.maps[n-1]
		s.maps[n-1] = nil
		s.maps = s.maps[:n-1]
		return h
	}
	return make(map[XID]TableLockMode)
}

func (s *tableLockSpare) putHolders(h map[XID]TableLockMode) {
	if len(s.maps) < tableLockSpareMax && h != nil {
		s.maps = append(s.maps, h)
	}
}

func (s *tableLockSpare) tables() []uint32 {
	if n := len(s.slices); n > 0 {
		t := s.slices[n-1]
		s.slices[n-1] = nil
		s.slices = s.slices[:n-1]
		return t
	}
	return nil
}

func (s *tableLockSpare) putTables(t []uint32) {
	if len(s.slices) < tableLockSpareMax && cap(t) > 0 && cap(t) <= 64 {
		s.slices = append(s.slices, t[:0])
	}
}
