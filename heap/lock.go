package heap

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// Row locks (SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE)
// live in their own key range, one record per row:
//
//	'l' | table id (4) | primary key  →  (xid (8), mode (1))*
//
// A record lists the transactions (or subtransactions) that locked the row
// and how. Entries of transactions that ended are dead and dropped when the
// record is next rewritten; a subtransaction's locks go when it rolls back,
// because its id then reads as aborted. Updates and deletes take a lock
// mode too (NO KEY UPDATE for an update that keeps the key, UPDATE for a
// delete or a key change) and wait for conflicting lockers, as PostgreSQL's
// lock matrix says.

// LockMode is a row lock strength, weakest first.
type LockMode byte

const (
	LockKeyShare LockMode = 1 + iota
	LockShare
	LockNoKeyUpdate
	LockUpdate
)

// conflicts is PostgreSQL's row-lock conflict table.
func conflicts(a, b LockMode) bool {
	switch {
	case a == LockUpdate || b == LockUpdate:
		return true
	case a == LockKeyShare || b == LockKeyShare:
		return false
	case a == LockShare && b == LockShare:
		return false
	}
	return true
}

// WaitPolicy says what a locker does when the row is locked by another.
type WaitPolicy byte

const (
	// Wait until the holder ends (the default).
	Wait WaitPolicy = iota
	// NoWait fails at once with 55P03.
	NoWait
	// SkipLocked leaves the row out (ErrSkipped).
	SkipLocked
)

// ErrSkipped reports a row SKIP LOCKED passed over.
var ErrSkipped = errors.New("heap: row skipped: locked by another transaction")

const lockPrefix = 'l'

func lockKey(id TupleID) []byte {
	k := make([]byte, 0, len(id)-seqSize)
	k = append(k, lockPrefix)
	return append(k, id[1:len(id)-seqSize]...)
}

type rowLock struct {
	xid  txn.XID
	mode LockMode
}

func decodeLocks(v []byte) ([]rowLock, error) {
	if len(v)%9 != 0 {
		return nil, pgerr.New(pgerr.DataCorrupted, "heap: row lock record of %d bytes", len(v))
	}
	out := make([]rowLock, 0, len(v)/9)
	for i := 0; i < len(v); i += 9 {
		out = append(out, rowLock{xid: txn.XID(binary.BigEndian.Uint64(v[i:])), mode: LockMode(v[i+8])})
	}
	return out, nil
}

func encodeLocks(ls []rowLock) []byte {
	buf := make([]byte, 0, 9*len(ls))
	for _, l := range ls {
		buf = binary.BigEndian.AppendUint64(buf, uint64(l.xid))
		buf = append(buf, byte(l.mode))
	}
	return buf
}

// liveLocksLocked returns the lock entries of row id held by running
// transactions.
func (h *Heap) liveLocksLocked(id TupleID) ([]rowLock, error) {
	v, ok, err := h.store.Get(lockKey(id))
	if err != nil || !ok {
		return nil, err
	}
	all, err := decodeLocks(v)
	if err != nil {
		return nil, err
	}
	live := all[:0]
	for _, l := range all {
		if st, _ := h.tm.StatusOf(l.xid); st == txn.InProgress {
			live = append(live, l)
		}
	}
	return live, nil
}

// waitForLockersLocked waits until no running transaction other than op's
// holds a lock on row id that conflicts with mode.
func (h *Heap) waitForLockersLocked(op Op, id TupleID, mode LockMode, policy WaitPolicy, relation string) error {
	for {
		locks, err := h.liveLocksLocked(id)
		if err != nil {
			return err
		}
		holder := conflictingLocker(op, locks, mode)
		if holder == 0 {
			return nil
		}
		if err := h.blockedLocked(op, holder, policy, relation); err != nil {
			return err
		}
	}
}

// conflictingLocker returns a transaction other than op's whose lock in
// locks conflicts with mode, or 0.
func conflictingLocker(op Op, locks []rowLock, mode LockMode) txn.XID {
	for _, l := range locks {
		if !op.Snap.Own(l.xid) && conflicts(mode, l.mode) {
			return l.xid
		}
	}
	return 0
}

// blockedLocked applies policy to a row held by holder: wait for it, fail,
// or skip.
func (h *Heap) blockedLocked(op Op, holder txn.XID, policy WaitPolicy, relation string) error {
	switch policy {
	case NoWait:
		return pgerr.New(pgerr.LockNotAvailable, "could not obtain lock on row in relation \"%s\"", relation)
	case SkipLocked:
		return ErrSkipped
	}
	return h.waitLocked(op, holder, "update")
}

// LockRow locks the row whose visible version is id, in mode, for op's
// transaction. Like an update it waits for (or, by policy, refuses) a
// running transaction that changed or locked the row; if one that
// committed after op's snapshot changed it, it fails with
// ErrConcurrentUpdate or ErrConcurrentDelete so the caller can re-check
// the newest version (READ COMMITTED) or give up. relation names the table
// in messages.
func (h *Heap) LockRow(op Op, id TupleID, mode LockMode, policy WaitPolicy, relation string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		val, ok, err := h.store.Get(id)
		if err != nil {
			return fmt.Errorf("heap: reading tuple: %w", err)
		}
		if !ok {
			return pgerr.New(pgerr.InternalError, "heap: tuple vanished")
		}
		v, _, err := decodeHeader(val)
		if err != nil {
			return err
		}
		if v.Xmax != 0 && !op.Snap.Own(v.Xmax) {
			st, _ := h.tm.StatusOf(v.Xmax)
			if st == txn.InProgress {
				if err := h.blockedLocked(op, v.Xmax, policy, relation); err != nil {
					return err
				}
				continue
			}
			if st == txn.Committed {
				return h.replacedLocked(id, v.Xmax)
			}
		}
		locks, err := h.liveLocksLocked(id)
		if err != nil {
			return err
		}
		if holder := conflictingLocker(op, locks, mode); holder != 0 {
			if err := h.blockedLocked(op, holder, policy, relation); err != nil {
				return err
			}
			continue // read the version again: it may have changed meanwhile
		}
		// h.mu has been held since the version was read, so it is as
		// read, and the record just read is the one to extend.
		for _, l := range locks {
			if l.xid == op.Snap.XID && l.mode >= mode {
				return nil
			}
		}
		locks = append(locks, rowLock{xid: op.Snap.XID, mode: mode})
		return h.write(op.Tx, lockKey(id), encodeLocks(locks))
	}
}
