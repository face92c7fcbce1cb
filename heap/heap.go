package heap

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/txn"
)

const (
	tablePrefix = 't'
	headerSize  = 8 + 8 + 4 + 4
	seqSize     = 8
)

// ErrDuplicateKey is returned (with SQLSTATE 23505) when an insert meets a
// live row with the same primary key.
var ErrDuplicateKey = errors.New("heap: duplicate key")

// Heap reads and writes tuple versions.
type Heap struct {
	store txn.Storage
	tm    *txn.Manager
	mu    sync.Mutex // serializes header check-and-set
	// probe is liveConflictLocked's iterator, guarded by mu and made
	// anew in place for each check rather than allocated.
	probe lsm.Iterator
	dead  deadCounts
	hot   hotRows
	// counts are TableCounts' counters (tablestats.go).
	counts tableCounters
	// readSteps, when set (by tests), is told the entries each row read
	// and uniqueness check stepped over (lsm.Iterator.Steps) before its
	// pooled iterator is cleared.
	readSteps func(int)
}

// New returns a heap over store, with tm deciding visibility.
func New(store txn.Storage, tm *txn.Manager) *Heap {
	return &Heap{store: store, tm: tm}
}

// TupleID names one tuple version: its key.
type TupleID []byte

// Tuple is a version as a scan returns it.
type Tuple struct {
	ID   TupleID
	Data []byte
}

func tablePrefixKey(table uint32) []byte {
	k := make([]byte, 0, 5)
	k = append(k, tablePrefix)
	return binary.BigEndian.AppendUint32(k, table)
}

// rowPrefix returns the key prefix of row pk's versions, with room for a
// version number after it.
func rowPrefix(table uint32, pk []byte) []byte {
	k := make([]byte, 0, 5+len(pk)+seqSize)
	k = append(k, tablePrefix)
	k = binary.BigEndian.AppendUint32(k, table)
	return append(k, pk...)
}

func encodeHeader(v txn.Version, data []byte) []byte {
	buf := make([]byte, headerSize, headerSize+len(data))
	binary.BigEndian.PutUint64(buf[0:], uint64(v.Xmin))
	binary.BigEndian.PutUint64(buf[8:], uint64(v.Xmax))
	binary.BigEndian.PutUint32(buf[16:], uint32(v.Cmin))
	binary.BigEndian.PutUint32(buf[20:], uint32(v.Cmax))
	return append(buf, data...)
}

// putXmax sets the xmax and cmax of the header val starts with.
func putXmax(val []byte, xmax txn.XID, cmax txn.CID) {
	binary.BigEndian.PutUint64(val[8:], uint64(xmax))
	binary.BigEndian.PutUint32(val[20:], uint32(cmax))
}

func decodeHeader(val []byte) (txn.Version, []byte, error) {
	if len(val) < headerSize {
		return txn.Version{}, nil, pgerr.New(pgerr.DataCorrupted, "heap: tuple of %d bytes is shorter than its header", len(val))
	}
	return txn.Version{
		Xmin: txn.XID(binary.BigEndian.Uint64(val[0:])),
		Xmax: txn.XID(binary.BigEndian.Uint64(val[8:])),
		Cmin: txn.CID(binary.BigEndian.Uint32(val[16:])),
		Cmax: txn.CID(binary.BigEndian.Uint32(val[20:])),
	}, val[headerSize:], nil
}

// write writes key = value, one WAL record. The batch takes the slices
// without copying them: the caller must not modify them until write
// returns (after it, the WAL and the memtable hold copies).
func (h *Heap) write(tx *txn.Txn, key, value []byte) error {
	var b lsm.Batch
	b.SetOwned(key, value)
	return h.writeBatch(tx, &b)
}

// writeBatch writes b, one WAL record, unless it is empty.
func (h *Heap) writeBatch(tx *txn.Txn, b *lsm.Batch) error {
	if b.Len() == 0 {
		return nil
	}
	tx.MarkWrote()
	if _, err := h.store.Write(b); err != nil {
		return fmt.Errorf("heap: writing tuple: %w", err)
	}
	return nil
}

// Op is one write's context: its transaction and snapshot, and how to wait
// for a transaction that holds the row. With a nil Ctx the write never
// waits: meeting a running writer fails at once with 40001.
type Op struct {
	Tx   *txn.Txn
	Snap txn.Snapshot
	Ctx  context.Context
	// LockTimeout bounds each wait (PostgreSQL's lock_timeout); 0 waits
	// until Ctx is done.
	LockTimeout time.Duration
}

// ErrConcurrentUpdate and ErrConcurrentDelete (SQLSTATE 40001) report that
// the version being written was replaced or deleted by a transaction that
// committed after the writer's snapshot. Under READ COMMITTED the caller
// re-reads the newest version (Latest) and decides again.
var (
	ErrConcurrentUpdate = errors.New("could not serialize access due to concurrent update")
	ErrConcurrentDelete = errors.New("could not serialize access due to concurrent delete")
)

// wait blocks until holder ends, with h.mu released; ok is false when op
// does not wait, and err reports a failed wait (deadlock, timeout).
func (h *Heap) waitLocked(op Op, holder txn.XID, what string) error {
	if op.Ctx == nil {
		return concurrentErr(what)
	}
	h.mu.Unlock()
	err := h.tm.WaitFor(op.Ctx, op.Snap.XID, holder, op.LockTimeout)
	h.mu.Lock()
	return err
}

// Insert adds a row with primary key pk (nil: the table has none, and a row
// id is used) and the given data.
func (h *Heap) Insert(op Op, table uint32, pk, data []byte) error {
	_, err := h.InsertRow(op, table, pk, data)
	return err
}

// InsertRow is Insert, returning the row's key: pk, or the row id chosen
// when pk is nil. Index entries name the row by this key.
func (h *Heap) InsertRow(op Op, table uint32, pk, data []byte) ([]byte, error) {
	id, err := h.InsertVersion(op, table, pk, data)
	if err != nil {
		return nil, err
	}
	return RowKey(id), nil
}

// InsertVersion is InsertRow, returning the new version's id (RowKey gives
// the row's key).
func (h *Heap) InsertVersion(op Op, table uint32, pk, data []byte) (id TupleID, err error) {
	defer func() {
		if err == nil {
			h.counts.of(table).ins.Add(1)
		}
	}()
	var rowID uint64
	if pk == nil {
		// A new row id names a row no version of which exists, so the
		// number can also order its first version.
		var err error
		if rowID, err = h.tm.NextSeq(); err != nil {
			return nil, err
		}
		pk = binary.BigEndian.AppendUint64([]byte{0x01}, rowID)
	}
	if err := h.writeCheck(op, table, pk); err != nil {
		return nil, err
	}
	header := encodeHeader(txn.Version{Xmin: op.Snap.XID, Cmin: op.Snap.CID}, data)
	if rowID != 0 {
		// No other version of a new row id can exist, so there is no
		// conflict to look for and nobody to wait for.
		key := binary.BigEndian.AppendUint64(rowPrefix(table, pk), rowID)
		return key, h.write(op.Tx, key, header)
	}
	prefix, end := rowVersionBounds(table, pk)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.checkUniqueLocked(op, prefix, end); err != nil {
		return nil, err
	}
	seq, err := h.nextSeqLocked()
	if err != nil {
		return nil, err
	}
	key := binary.BigEndian.AppendUint64(prefix, seq)
	return key, h.write(op.Tx, key, header)
}

// rowVersionBounds is rowBounds for a writer: one allocation holds the
// row's prefix, room after it for a version number (appending one to
// prefix makes the new version's key in place), and the end of the row's
// range.
func rowVersionBounds(table uint32, pk []byte) (prefix, end []byte) {
	n := 5 + len(pk)
	k := make([]byte, 0, 2*n+seqSize)
	k = append(k, tablePrefix)
	k = binary.BigEndian.AppendUint32(k, table)
	k = append(k, pk...)
	prefix = k[: n : n+seqSize]
	k = append(k[:n+seqSize], k[:n]...)
	for i := len(k) - 1; i >= n+seqSize; i-- {
		if k[i] < 0xff {
			k[i]++
			return prefix, k[n+seqSize : i+1 : i+1]
		}
	}
	return prefix, nil // unreachable: tablePrefix is below 0xff
}

// nextSeqLocked numbers a new version. It is called with h.mu held, after
// the last wait of the write that adds the version and before that write,
// so that the numbers of a row's versions follow the order in which they
// were written: a number taken before a wait could be older than a version
// written during the wait, and readers, which stop at the first version
// whose creation they see (scanRow), would then miss the new one.
func (h *Heap) nextSeqLocked() (uint64, error) {
	seq, err := h.tm.NextSeq()
	if err != nil {
		return 0, fmt.Errorf("heap: numbering a version: %w", err)
	}
	return seq, nil
}

// checkUniqueLocked fails with 23505 if a version of pk is live or may
// become live; it waits for transactions that will decide which.
// prefix and end bound the row's versions (rowVersionBounds).
func (h *Heap) checkUniqueLocked(op Op, prefix, end []byte) error {
	for {
		holder, what, err := h.liveConflictLocked(op.Snap, prefix, end, nil)
		if err != nil || holder == 0 {
			return err
		}
		if err := h.waitLocked(op, holder, what); err != nil {
			return err
		}
	}
}

// liveConflictLocked looks at the versions of the row with key prefix
// (those whose data matches, when matches is not nil): it returns a running
// transaction whose outcome decides whether one is live, or ErrDuplicateKey
// (23505) when one is live (or deleted by a transaction that rolled back).
// end is prefixEnd(prefix).
//
// It reads the versions newest first and stops at the first one whose
// creator and deleter both committed (or are the snapshot's own): every
// older version was then created by a transaction that rolled back or
// deleted by one that committed (see "Reading a row" in doc.go), so none
// can be live. A row updated many times, or begun with the tombstones of
// vacuumed versions, is so checked in a step or two, not one per version
// it ever had.
func (h *Heap) liveConflictLocked(snap txn.Snapshot, prefix, end []byte, matches func([]byte) (bool, error)) (txn.XID, string, error) {
	it := h.store.NewLiveIterInto(&h.probe, prefix, end)
	defer func() {
		it.Close()
		if h.readSteps != nil {
			h.readSteps(it.Steps())
		}
		// Forget the memtables and tables it read, which would
		// otherwise stay in memory until the next check.
		*it = lsm.Iterator{}
	}()
	for ok := it.Last(); ok; ok = it.Prev() {
		if len(it.Key()) != len(prefix)+seqSize {
			continue // a longer key of a different row sharing this prefix
		}
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return 0, "", err
		}
		// Dead versions are skipped before matches reads them: they
		// may predate a rewrite of the table (ALTER TABLE) and hold
		// another row layout.
		xmin := snap.StatusOf(v.Xmin)
		if xmin == txn.Aborted {
			continue
		}
		xmax := txn.Aborted
		if v.Xmax != 0 {
			xmax = snap.StatusOf(v.Xmax)
		}
		if xmin == txn.Committed && xmax == txn.Committed {
			break // dead, and so is every older version
		}
		if xmin != txn.InProgress && xmax == txn.Committed {
			continue
		}
		if matches != nil {
			if ok, err := matches(data); err != nil || !ok {
				if err != nil {
					return 0, "", err
				}
				continue
			}
		}
		switch {
		case xmin == txn.InProgress:
			return v.Xmin, "insert", nil
		case xmax == txn.InProgress:
			return v.Xmax, "delete", nil
		}
		return 0, "", pgerr.Wrap(ErrDuplicateKey, pgerr.UniqueViolation)
	}
	return 0, "", it.Err()
}

func concurrentErr(what string) error {
	return pgerr.New(pgerr.SerializationFailure, "could not serialize access due to concurrent %s", what)
}

// Scan calls fn for each version of table that snap sees, in key order.
func (h *Heap) Scan(snap txn.Snapshot, table uint32, fn func(Tuple) error) error {
	if snap.Serializable {
		if err := h.tm.RecordRead(snap.Top, txn.TableTarget(table)); err != nil {
			return err
		}
	}
	prefix := tablePrefixKey(table)
	return h.scanRange(snap, prefix, prefixEnd(prefix), false, fn)
}

// ScanLent is Scan lending each tuple: its ID and Data are valid only
// until fn returns, which saves a reader that keeps few of them, or
// copies them in bulk, two allocations a row.
func (h *Heap) ScanLent(snap txn.Snapshot, table uint32, fn func(Tuple) error) error {
	if snap.Serializable {
		if err := h.tm.RecordRead(snap.Top, txn.TableTarget(table)); err != nil {
			return err
		}
	}
	prefix := tablePrefixKey(table)
	return h.scanRange(snap, prefix, prefixEnd(prefix), true, fn)
}

// ScanKey calls fn for the version of row pk that snap sees, if any.
func (h *Heap) ScanKey(snap txn.Snapshot, table uint32, pk []byte, fn func(Tuple) error) error {
	if snap.Serializable {
		if err := h.tm.RecordRead(snap.Top, txn.RowTarget(table, pk)); err != nil {
			return err
		}
	}
	prefix, end := rowBounds(table, pk)
	return h.scanRow(snap, prefix, end, fn)
}

// LiveKey returns row pk's newest version when it is live in the sense of
// the uniqueness checks and snap sees it: its creator committed (or is
// snap's own transaction, in a command snap sees) and no transaction,
// running or committed, snap's own included, has deleted or replaced it.
// Otherwise, a row changed by a transaction that has not ended among
// them, found is false. It is how an upsert finds the row its insert
// would conflict with (the row such an insert's 23505 names) without
// trying the insert; a row it does not find is left to the insert, whose
// check waits for what is undecided.
func (h *Heap) LiveKey(snap txn.Snapshot, table uint32, pk []byte) (t Tuple, found bool, err error) {
	prefix, end := rowBounds(table, pk)
	it := h.store.NewLiveIterInto(rowIters.Get().(*lsm.Iterator), prefix, end)
	defer func() {
		it.Close()
		if h.readSteps != nil {
			h.readSteps(it.Steps())
		}
		*it = lsm.Iterator{}
		rowIters.Put(it)
	}()
	for ok := it.Last(); ok; ok = it.Prev() {
		if len(it.Key()) != len(prefix)+seqSize {
			continue // a longer key of a different row sharing this prefix
		}
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return Tuple{}, false, err
		}
		if snap.StatusOf(v.Xmin) == txn.Aborted {
			continue
		}
		if v.Xmax != 0 && snap.StatusOf(v.Xmax) != txn.Aborted {
			return Tuple{}, false, nil
		}
		if !snap.Visible(v) {
			return Tuple{}, false, nil
		}
		return tupleOf(it.Key(), data), true, nil
	}
	if err := it.Err(); err != nil {
		return Tuple{}, false, pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: reading a row")
	}
	return Tuple{}, false, nil
}

// rowBounds returns the key prefix of a row (rowPrefix) and the end of
// its versions' range (prefixEnd), in one allocation.
func rowBounds(table uint32, pk []byte) (prefix, end []byte) {
	n := 5 + len(pk)
	k := make([]byte, 0, 2*n)
	k = append(k, tablePrefix)
	k = binary.BigEndian.AppendUint32(k, table)
	k = append(k, pk...)
	prefix = k[:n:n]
	for i := n - 1; i >= 0; i-- {
		if k[i] < 0xff {
			k = append(k, k[:i+1]...)
			k[len(k)-1]++
			return prefix, k[n:]
		}
	}
	return prefix, nil // unreachable: tablePrefix is below 0xff
}

// tupleOf copies a version's key and data into a Tuple, in one
// allocation (each capped, so that an append to one cannot reach the
// other).
func tupleOf(key, data []byte) Tuple {
	buf := make([]byte, len(key)+len(data))
	copy(buf, key)
	copy(buf[len(key):], data)
	t := Tuple{ID: buf[:len(key):len(key)]}
	if len(data) > 0 {
		t.Data = buf[len(key):]
	}
	return t
}

// scanRow calls fn for the version of the row with key prefix (table and
// primary key) that snap sees, if any.
//
// Most rows have one version, and reading forward finds it with the
// fewest steps: if the oldest version is visible and unclaimed (no xmax),
// no newer version exists (an update or delete claims the version it
// replaces, and an insert after a delete follows a claimed one), so it is
// the answer. Otherwise, and at once for rows known to be hot, scanRow
// reads the versions newest first and stops at the first one whose
// creation snap sees: that one is the visible version, or the row is
// deleted as far as snap goes, since every older version was deleted by a
// transaction snap sees (see "Reading a row" in doc.go). So a lookup costs
// the versions newer than what it finds, not all of them. Vacuum marks the
// rows it swept hot, since they begin with the tombstones of what it
// removed, and so does a forward read that steps over many entries.
func (h *Heap) scanRow(snap txn.Snapshot, prefix, end []byte, fn func(Tuple) error) error {
	it := h.store.NewLiveIterInto(rowIters.Get().(*lsm.Iterator), prefix, end)
	defer func() {
		it.Close()
		if h.readSteps != nil {
			h.readSteps(it.Steps())
		}
		*it = lsm.Iterator{} // holds on to no memtable or table meanwhile
		rowIters.Put(it)
	}()
	if !h.hot.has(prefix) {
		ok := it.First()
		for ok && len(it.Key()) != len(prefix)+seqSize {
			ok = it.Next() // a longer key of a different row sharing this prefix
		}
		if it.Steps() > hotRowSteps {
			h.hot.add(prefix)
		}
		if !ok {
			if err := it.Err(); err != nil {
				return pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: reading a row")
			}
			return nil // no version at all
		}
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return err
		}
		if v.Xmax == 0 {
			if _, visible := snap.Decide(v); visible {
				if snap.Serializable {
					if err := h.readConflicts(snap, v, visible); err != nil {
						return err
					}
				}
				return fn(tupleOf(it.Key(), data))
			}
		}
	}
	for ok := it.Last(); ok; ok = it.Prev() {
		if len(it.Key()) != len(prefix)+seqSize {
			continue // a longer key of a different row sharing this prefix
		}
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return err
		}
		created, visible := snap.Decide(v)
		if snap.Serializable {
			if err := h.readConflicts(snap, v, visible); err != nil {
				return err
			}
		}
		if visible {
			return fn(tupleOf(it.Key(), data))
		}
		if created {
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: reading a row")
	}
	return nil
}

// rowIters are scanRow's iterators: a point read, the commonest read of
// an OLTP load, then costs no allocation of one (about 1 KB, as the
// iterator keeps its first sources and keys inline). The rows scanRow
// hands fn are copies (tupleOf), so nothing refers to an iterator once it
// is back in the pool.
var rowIters = sync.Pool{New: func() any { return new(lsm.Iterator) }}

func (h *Heap) scanRange(snap txn.Snapshot, lower, upper []byte, lend bool, fn func(Tuple) error) error {
	it := h.store.NewLiveIter(lower, upper)
	defer it.Close()
	var creator creatorMemo
	for ok := it.First(); ok; ok = it.Next() {
		v, data, err := decodeHeader(it.Value())
		if err != nil {
			return err
		}
		visible := creator.visible(snap, v)
		if snap.Serializable {
			if err := h.readConflicts(snap, v, visible); err != nil {
				return err
			}
		}
		if !visible {
			continue
		}
		t := Tuple{ID: it.Key(), Data: data}
		if !lend {
			t = Tuple{ID: append(TupleID(nil), t.ID...), Data: append([]byte(nil), data...)}
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: scanning table")
	}
	return nil
}

// readConflicts reports the SSI antidependencies a serializable reader
// incurs on meeting version v: a creator whose insert it cannot see, or a
// deleter of a version it still sees, that is running or committed after
// its snapshot.
func (h *Heap) readConflicts(snap txn.Snapshot, v txn.Version, visible bool) error {
	if !visible && snap.Concurrent(v.Xmin) {
		return h.tm.ReadConflict(snap.Top, v.Xmin)
	}
	if visible && v.Xmax != 0 && snap.Concurrent(v.Xmax) {
		return h.tm.ReadConflict(snap.Top, v.Xmax)
	}
	return nil
}

// writeCheck tells SSI that op writes row pk of table.
func (h *Heap) writeCheck(op Op, table uint32, pk []byte) error {
	if !op.Snap.Serializable {
		return nil
	}
	return h.tm.WriteCheck(op.Snap.Top, txn.TableTarget(table), txn.RowTarget(table, pk))
}

// Delete marks the version id as deleted by op's transaction.
func (h *Heap) Delete(op Op, id TupleID) error {
	if err := h.writeCheck(op, binary.BigEndian.Uint32(id[1:5]), id[5:len(id)-seqSize]); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.claimLocked(op, id, LockUpdate, "update"); err != nil {
		return err
	}
	h.counts.of(tableOf(id)).del.Add(1)
	return nil
}

// claimLocked sets xmax of version id to op's transaction, after checking
// no concurrent transaction has claimed or replaced it; it waits for a
// claimant that is still running.
func (h *Heap) claimLocked(op Op, id TupleID, mode LockMode, what string) error {
	var b lsm.Batch
	if err := h.claimIntoLocked(op, id, mode, what, &b); err != nil {
		return err
	}
	return h.writeBatch(op.Tx, &b)
}

// claimIntoLocked is claimLocked adding the claim to b instead of writing
// it (nothing when the version is already op's). The caller must write b
// before it releases h.mu.
func (h *Heap) claimIntoLocked(op Op, id TupleID, mode LockMode, what string, b *lsm.Batch) error {
	snap := op.Snap
	for {
		if err := h.waitForLockersLocked(op, id, mode, Wait, ""); err != nil {
			return err
		}
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
		if v.Xmax != 0 && !snap.Own(v.Xmax) {
			switch snap.StatusOf(v.Xmax) {
			case txn.InProgress:
				if err := h.waitLocked(op, v.Xmax, what); err != nil {
					return err
				}
				continue
			case txn.Committed:
				return h.replacedLocked(id, v.Xmax)
			}
			// The claimant rolled back: the version is free.
		} else if v.Xmax != 0 {
			return nil // already claimed by this transaction
		}
		// val is Get's copy: the claim is written into its header in
		// place, and the batch takes it (and id) without copies, as the
		// caller writes b before it returns.
		putXmax(val, snap.XID, snap.CID)
		b.SetOwned(id, val)
		h.dead.add(binary.BigEndian.Uint32(id[1:5]))
		h.dead.markDirty(binary.BigEndian.Uint32(id[1:5]), id[:len(id)-seqSize])
		return nil
	}
}

// replacedLocked tells whether the committed transaction by that claimed
// version id left a newer version of the row (an update) or none (a delete).
func (h *Heap) replacedLocked(id TupleID, by txn.XID) error {
	// Only a version newer than id can be by's, so the walk starts after
	// id; an update writes its version with its claim, so by's is usually
	// the first.
	prefix := id[:len(id)-seqSize]
	it := h.store.NewLiveIter(append(id[:len(id):len(id)], 0), prefixEnd(prefix))
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		if len(it.Key()) != len(id) {
			continue
		}
		v, _, err := decodeHeader(it.Value())
		if err != nil {
			return err
		}
		if v.Xmin == by {
			return pgerr.Wrap(ErrConcurrentUpdate, pgerr.SerializationFailure)
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return pgerr.Wrap(ErrConcurrentDelete, pgerr.SerializationFailure)
}

// Latest returns the newest committed version of the row that version id
// belongs to, as a fresh snapshot sees it, or ok=false when the row is gone.
// READ COMMITTED writers use it after ErrConcurrentUpdate.
func (h *Heap) Latest(snap txn.Snapshot, id TupleID) (t Tuple, ok bool, err error) {
	prefix := id[:len(id)-seqSize]
	err = h.scanRow(snap, prefix, prefixEnd(prefix), func(found Tuple) error {
		t, ok = found, true
		return nil
	})
	return t, ok, err
}

// Update replaces version id with a new version holding data, under primary
// key pk (nil keeps the row's current key).
func (h *Heap) Update(op Op, table uint32, id TupleID, pk, data []byte) error {
	oldPK := id[5 : len(id)-seqSize]
	if err := h.writeCheck(op, table, oldPK); err != nil {
		return err
	}
	if pk != nil && !bytes.Equal(pk, oldPK) {
		if err := h.writeCheck(op, table, pk); err != nil {
			return err
		}
	}
	mode := LockNoKeyUpdate
	if pk != nil && !bytes.Equal(pk, oldPK) {
		mode = LockUpdate
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	// The claim on the old version and the new version go in one WAL
	// record, unless the key changes: the uniqueness check may wait with
	// h.mu released, and others must see the claim meanwhile.
	var b lsm.Batch
	if mode == LockUpdate {
		if err := h.claimLocked(op, id, mode, "update"); err != nil {
			return err
		}
		prefix, end := rowVersionBounds(table, pk)
		if err := h.checkUniqueLocked(op, prefix, end); err != nil {
			return err
		}
	} else {
		if err := h.claimIntoLocked(op, id, mode, "update", &b); err != nil {
			return err
		}
		pk = oldPK
	}
	seq, err := h.nextSeqLocked()
	if err != nil {
		return err
	}
	key := binary.BigEndian.AppendUint64(rowPrefix(table, pk), seq)
	b.SetOwned(key, encodeHeader(txn.Version{Xmin: op.Snap.XID, Cmin: op.Snap.CID}, data))
	if err := h.writeBatch(op.Tx, &b); err != nil {
		return err
	}
	h.counts.of(table).upd.Add(1)
	return nil
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

// creatorMemo remembers a snapshot's verdict on the last creator (xmin and
// command) of an undeleted version a scan met: the versions a bulk load
// wrote, millions in a row, share one, and a snapshot's verdict on a
// creator does not change while it reads (a commit after it stays
// invisible to it).
type creatorMemo struct {
	xid  txn.XID
	cid  txn.CID
	sees bool
	set  bool
}

// visible is snap.Visible(v), from the memo when v is undeleted and its
// creator the last one asked about.
func (m *creatorMemo) visible(snap txn.Snapshot, v txn.Version) bool {
	if v.Xmax != 0 {
		return snap.Visible(v)
	}
	if m.set && m.xid == v.Xmin && m.cid == v.Cmin {
		return m.sees
	}
	sees := snap.Visible(v)
	*m = creatorMemo{xid: v.Xmin, cid: v.Cmin, sees: sees, set: true}
	return sees
}
