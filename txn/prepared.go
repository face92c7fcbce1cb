package txn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
)

// Two-phase commit, as PostgreSQL spells it: PREPARE TRANSACTION 'gid'
// makes a transaction's work durable without committing it, detached from
// its session; COMMIT PREPARED or ROLLBACK PREPARED, from any session and
// after any number of restarts, decides it.
//
// A prepared transaction is recorded durably under a key of its own,
//
//	\x00prep/<gid>  →  0xff | xid (8) | n (4) | n subtransaction ids (8 each)
//	                    | k (4) | k table locks (table (4), mode (1)) | meta
//
// and stays "in progress": its row versions, row locks and table locks keep
// blocking writers, and vacuum's horizon stays behind it. Recovery (Open)
// reads the records back, marks their transactions in progress again and
// gives them back their table locks. The meta bytes belong to the caller
// (the SQL layer keeps owner, database and time there). A record without
// the leading 0xff (an xid's first byte is 0 below 2^56) is the first
// format, without table locks.

var prepPrefix = []byte("\x00prep/")

// PreparedTxn describes a prepared transaction.
type PreparedTxn struct {
	GID   string
	XID   XID
	subs  []XID
	locks []heldTableLock
	Meta  []byte
}

// heldTableLock is a table lock a prepared transaction holds.
type heldTableLock struct {
	table uint32
	mode  TableLockMode
}

// preparedFormat2 starts a prepared record that lists table locks.
const preparedFormat2 = 0xff

// ErrNoPrepared reports an unknown global transaction id.
var ErrNoPrepared = errors.New("txn: no such prepared transaction")

func prepKey(gid string) []byte { return append(append([]byte(nil), prepPrefix...), gid...) }

func encodePrepared(p *PreparedTxn) []byte {
	buf := []byte{preparedFormat2}
	buf = binary.BigEndian.AppendUint64(buf, uint64(p.XID))
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(p.subs)))
	for _, s := range p.subs {
		buf = binary.BigEndian.AppendUint64(buf, uint64(s))
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(p.locks)))
	for _, l := range p.locks {
		buf = binary.BigEndian.AppendUint32(buf, l.table)
		buf = append(buf, byte(l.mode))
	}
	return append(buf, p.Meta...)
}

func decodePrepared(gid string, v []byte) (*PreparedTxn, error) {
	malformed := fmt.Errorf("txn: malformed prepared transaction %q", gid)
	withLocks := len(v) > 0 && v[0] == preparedFormat2
	if withLocks {
		v = v[1:]
	}
	if len(v) < 12 {
		return nil, malformed
	}
	p := &PreparedTxn{GID: gid, XID: XID(binary.BigEndian.Uint64(v))}
	n := uint64(binary.BigEndian.Uint32(v[8:]))
	v = v[12:]
	if uint64(len(v)) < 8*n {
		return nil, malformed
	}
	for i := range n {
		p.subs = append(p.subs, XID(binary.BigEndian.Uint64(v[8*i:])))
	}
	v = v[8*n:]
	if withLocks {
		if len(v) < 4 {
			return nil, malformed
		}
		k := uint64(binary.BigEndian.Uint32(v))
		v = v[4:]
		if uint64(len(v)) < 5*k {
			return nil, malformed
		}
		for i := range k {
			l := heldTableLock{table: binary.BigEndian.Uint32(v[5*i:]), mode: TableLockMode(v[5*i+4])}
			if l.mode < RowExclusive || l.mode > AccessExclusive {
				return nil, malformed
			}
			p.locks = append(p.locks, l)
		}
		v = v[5*k:]
	}
	p.Meta = append([]byte(nil), v...)
	return p, nil
}

// loadPrepared marks the prepared transactions found in storage as in
// progress again. Called by Open.
func (m *Manager) loadPrepared() error {
	m.prepared = make(map[string]*PreparedTxn)
	m.deciding = make(map[string]*PreparedTxn)
	it := m.store.NewIter(prepPrefix, prefixEnd(prepPrefix))
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		gid := string(it.Key()[len(prepPrefix):])
		p, err := decodePrepared(gid, it.Value())
		if err != nil {
			return err
		}
		m.prepared[gid] = p
		m.mu.active[p.XID] = make(chan struct{})
		for _, s := range p.subs {
			m.mu.active[s] = make(chan struct{})
			m.mu.subOf[s] = p.XID
		}
		m.restoreTableLocks(p.XID, p.locks)
	}
	return it.Err()
}

// Prepare makes t's work durable under gid and detaches it: t stays in
// progress until CommitPrepared or RollbackPrepared. On error t is rolled
// back.
func (m *Manager) Prepare(t *Txn, gid string, meta []byte) error {
	if t.ended {
		return errors.New("txn: transaction already ended")
	}
	if m.HoldsXactAdvisory(t) {
		// PostgreSQL hands them to the prepared transaction; cairn's
		// prepared record does not list them, so they could not be
		// restored after a restart.
		t.Rollback()
		return pgerr.New(pgerr.FeatureNotSupported, "cannot PREPARE a transaction that holds transaction-level advisory locks")
	}
	m.prepMu.Lock()
	if _, dup := m.prepared[gid]; dup {
		m.prepMu.Unlock()
		t.Rollback()
		return pgerr.New(pgerr.DuplicateObject, "transaction identifier \"%s\" is already in use", gid)
	}
	p := &PreparedTxn{GID: gid, XID: t.XID, subs: t.liveSubs(), locks: m.tableLocksOf(t.XID), Meta: meta}
	m.prepared[gid] = p
	m.prepMu.Unlock()
	// A serializable transaction must pass its commit-time check now: once
	// prepared, it can no longer be chosen as a victim.
	m.commitMu.Lock()
	err := m.ssiPreCommit(t, m.nextRev)
	m.commitMu.Unlock()
	if err == nil {
		var b lsm.Batch
		b.Set(prepKey(gid), encodePrepared(p))
		var lsn uint64
		if lsn, err = m.store.Write(&b); err == nil {
			err = m.store.Sync(lsn)
		}
	}
	if err != nil {
		m.prepMu.Lock()
		delete(m.prepared, gid)
		m.prepMu.Unlock()
		t.Rollback()
		return err
	}
	t.ended = true
	// A prepared transaction reads no more: its snapshot does not hold
	// the vacuum horizon back, while its own changes stay undecided.
	m.mu.Lock()
	delete(m.mu.snaps, t.XID)
	m.mu.Unlock()
	return nil
}

// Prepared lists the prepared transactions, by gid.
func (m *Manager) Prepared() []PreparedTxn {
	m.prepMu.Lock()
	defer m.prepMu.Unlock()
	out := make([]PreparedTxn, 0, len(m.prepared))
	for _, p := range m.prepared {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GID < out[j].GID })
	return out
}

func (m *Manager) takePrepared(gid string) (*PreparedTxn, error) {
	m.prepMu.Lock()
	defer m.prepMu.Unlock()
	p, ok := m.prepared[gid]
	if !ok {
		return nil, pgerr.Wrap(fmt.Errorf("%w: prepared transaction with identifier \"%s\" does not exist", ErrNoPrepared, gid), pgerr.UndefinedObject)
	}
	delete(m.prepared, gid)
	m.deciding[gid] = p
	return p, nil
}

// decided ends what takePrepared started, whatever the outcome.
func (m *Manager) decided(gid string) {
	m.prepMu.Lock()
	delete(m.deciding, gid)
	m.prepMu.Unlock()
}

// CommitPrepared commits the transaction prepared under gid.
func (m *Manager) CommitPrepared(gid string) error { return m.CommitPreparedAt(gid, 0) }

// commitPrepared commits p, taken from the prepared ones, at cluster
// timestamp ts (0: none); on failure p is prepared again.
func (m *Manager) commitPrepared(p *PreparedTxn, ts Rev) error {
	gid := p.GID
	m.commitMu.Lock()
	// If the record cannot be made durable the transaction stays prepared
	// in this process (keep): a restart finds it committed or prepared.
	_, err := m.commitXIDs(p.XID, append([]XID{p.XID}, p.subs...), true, true, ts, func(b *lsm.Batch) {
		b.Delete(prepKey(gid))
	})
	if err != nil {
		m.prepMu.Lock()
		m.prepared[gid] = p
		m.prepMu.Unlock()
	}
	if err != nil {
		return err
	}
	m.stats.commits.Add(1)
	return nil
}

// RollbackPrepared aborts the transaction prepared under gid.
func (m *Manager) RollbackPrepared(gid string) error {
	p, err := m.takePrepared(gid)
	if err != nil {
		return err
	}
	defer m.decided(gid)
	var b lsm.Batch
	b.Delete(prepKey(gid))
	lsn, err := m.store.Write(&b)
	if err == nil {
		err = m.store.Sync(lsn)
	}
	if err != nil {
		m.prepMu.Lock()
		m.prepared[gid] = p
		m.prepMu.Unlock()
		return fmt.Errorf("txn: rolling back prepared %q: %w", gid, err)
	}
	m.stats.rollbacks.Add(1)
	for _, s := range p.subs {
		m.finish(s)
	}
	m.finish(p.XID)
	m.ssiFinish(p.XID, false)
	m.countWriterAbort(true)
	return nil
}
