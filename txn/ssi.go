package txn

import (
	"sync"
	"sync/atomic"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Serializable snapshot isolation (SSI), after Cahill, Röhm and Fekete, in
// the shape PostgreSQL implements it.
//
// Serializable transactions leave SIREAD marks on what they read: a row key
// for a primary-key lookup, the whole table for any other scan. A
// read-write antidependency R →rw W arises when R read something W wrote
// concurrently: W writes a row or table R marked (checked at W's write), or
// R meets a row version W created or deleted that R's snapshot does not
// include (checked at R's read). Every serializable history that is not
// serializable contains a dangerous structure
//
//	T_in →rw T_pivot →rw T_out
//
// in which T_out commits first (T_in and T_out may be the same
// transaction). When one appears, a transaction still running is aborted
// with 40001: the pivot if it is still running, else T_in. A transaction
// declared READ ONLY is T_in of a dangerous structure only if T_out
// committed before its snapshot.
//
// Only transactions that run at SERIALIZABLE take part. A committed
// transaction's marks and edges are kept while a running serializable
// transaction overlaps it.

// ssiTarget names what a read covered: a table or one row of it.
type ssiTarget string

// TableTarget covers every row of table, present or future.
func TableTarget(table uint32) ssiTarget {
	return ssiTarget("r" + string(rune(0)) + u32(table))
}

// RowTarget covers the row of table whose primary key encodes as pk.
func RowTarget(table uint32, pk []byte) ssiTarget {
	return ssiTarget("k" + string(rune(0)) + u32(table) + string(pk))
}

func u32(v uint32) string {
	return string([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

type sxact struct {
	xid       XID
	snapshot  Rev
	commit    Rev    // revision of the commit; 0 while running
	order     uint64 // position among serializable commits
	committed bool
	readOnly  bool // declared READ ONLY
	doomed    bool
	subs      []XID // subtransactions committed with it
	in, out   map[XID]*sxact
	targets   []ssiTarget
}

type ssiState struct {
	mu sync.Mutex
	// subTop maps the subtransactions of committed serializable
	// transactions to them, for as long as SSI remembers them.
	subTop map[XID]XID
	seq    uint64 // last commit order handed out
	xacts  map[XID]*sxact
	marks  map[ssiTarget]map[XID]*sxact
	// enrolled is len(xacts), stored under mu whenever it changes. Zero
	// lets a commit skip SSI and its lock: a transaction enrolled itself
	// before it commits, and its entry stays until it has finished, so
	// it then reads at least one.
	enrolled atomic.Int64
}

func (s *ssiState) init() {
	s.subTop = make(map[XID]XID)
	s.xacts = make(map[XID]*sxact)
	s.marks = make(map[ssiTarget]map[XID]*sxact)
}

func serializationFailure(during string) error {
	return pgerr.New(pgerr.SerializationFailure, "could not serialize access due to read/write dependencies among transactions").
		WithDetail("Reason code: Canceled on identification as a pivot, " + during + ".").
		WithHint("The transaction might succeed if retried.")
}

// BeginSerializable enrols t in SSI with the snapshot it has just taken.
func (m *Manager) BeginSerializable(t *Txn, snapshot Rev, readOnly bool) {
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	if _, ok := m.ssi.xacts[t.XID]; ok {
		return
	}
	m.ssi.xacts[t.XID] = &sxact{xid: t.XID, snapshot: snapshot, readOnly: readOnly,
		in: make(map[XID]*sxact), out: make(map[XID]*sxact)}
	m.ssi.enrolled.Store(int64(len(m.ssi.xacts)))
}

// RecordRead leaves a SIREAD mark of reader on target.
func (m *Manager) RecordRead(reader XID, target ssiTarget) error {
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	x := m.ssi.xacts[reader]
	if x == nil {
		return nil
	}
	if x.doomed {
		return serializationFailure("during conflict out checking")
	}
	holders := m.ssi.marks[target]
	if holders == nil {
		holders = make(map[XID]*sxact)
		m.ssi.marks[target] = holders
	}
	if _, ok := holders[reader]; !ok {
		holders[reader] = x
		x.targets = append(x.targets, target)
	}
	return nil
}

// ReadConflict records that reader met a version that writer created or
// deleted outside reader's snapshot: reader →rw writer.
func (m *Manager) ReadConflict(reader, writer XID) error {
	writer = m.TopOf(writer)
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	if top, ok := m.ssi.subTop[writer]; ok {
		writer = top
	}
	r, w := m.ssi.xacts[reader], m.ssi.xacts[writer]
	if r == nil {
		return nil
	}
	if r.doomed {
		return serializationFailure("during conflict out checking")
	}
	if w == nil || w == r {
		return nil
	}
	return m.addEdgeLocked(r, w, r, "during conflict out checking")
}

// WriteCheck records writer's write to the given targets: every other
// serializable transaction that read them concurrently gets an edge to
// writer.
func (m *Manager) WriteCheck(writer XID, targets ...ssiTarget) error {
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	w := m.ssi.xacts[writer]
	if w == nil {
		return nil
	}
	if w.doomed {
		return serializationFailure("during write")
	}
	for _, tg := range targets {
		for _, r := range m.ssi.marks[tg] {
			if r == w || (r.committed && r.commit <= w.snapshot) {
				continue // no overlap: w's snapshot includes r's commit
			}
			if err := m.addEdgeLocked(r, w, w, "during write"); err != nil {
				return err
			}
		}
	}
	return nil
}

// outFirst reports whether in →rw pivot →rw out is dangerous: out committed
// before pivot and in, and a READ ONLY in took its snapshot after out's
// commit.
func outFirst(in, pivot, out *sxact) bool {
	if !out.committed {
		return false
	}
	if pivot.committed && pivot.order <= out.order {
		return false
	}
	if in != out {
		if in.committed && in.order <= out.order {
			return false
		}
		if in.readOnly && in.snapshot < out.commit {
			return false
		}
	}
	return true
}

// addEdgeLocked adds r →rw w and looks for a dangerous structure through
// it. actor is the transaction whose operation found the edge: if it must
// be the victim its operation fails; any other victim is doomed and fails
// at its next operation.
func (m *Manager) addEdgeLocked(r, w, actor *sxact, during string) error {
	r.out[w.xid] = w
	w.in[r.xid] = r
	var victim *sxact
	// w as pivot: r →rw w →rw out.
	for _, out := range w.out {
		if outFirst(r, w, out) {
			if !w.committed {
				victim = w
			} else if !r.committed {
				victim = r
			}
			break
		}
	}
	// r as pivot: in →rw r →rw w.
	if victim == nil {
		for _, in := range r.in {
			if outFirst(in, r, w) {
				if !r.committed {
					victim = r
				} else if !in.committed {
					victim = in
				}
				break
			}
		}
	}
	if victim == nil {
		return nil
	}
	if victim == actor {
		return serializationFailure(during)
	}
	victim.doomed = true
	return nil
}

// ssiPreCommit runs under commitMu before t commits at revision rev: t
// fails if it is the pivot of a dangerous structure whose T_out committed;
// transactions that become pivots because t commits are doomed.
func (m *Manager) ssiPreCommit(t *Txn, rev Rev) error {
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	x := m.ssi.xacts[t.XID]
	if x == nil {
		return nil
	}
	if x.doomed {
		return serializationFailure("during commit attempt")
	}
	for _, out := range x.out {
		for _, in := range x.in {
			if outFirst(in, x, out) {
				return serializationFailure("during commit attempt")
			}
		}
	}
	m.ssi.seq++
	x.committed, x.commit, x.order = true, rev, m.ssi.seq
	x.subs = t.liveSubs()
	for _, sub := range x.subs {
		m.ssi.subTop[sub] = x.xid
	}
	// x as T_out: every running r →rw x is now a pivot candidate.
	for _, r := range x.in {
		if r.committed {
			continue
		}
		for _, in := range r.in {
			if outFirst(in, r, x) {
				r.doomed = true
				break
			}
		}
	}
	return nil
}

// ssiFinish forgets an aborted transaction at once, and committed ones no
// running serializable transaction overlaps.
func (m *Manager) ssiFinish(xid XID, committed bool) {
	if m.ssi.enrolled.Load() == 0 {
		return // nothing to forget
	}
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	if x := m.ssi.xacts[xid]; x != nil && !committed {
		m.ssiForgetLocked(x)
	}
	oldest := Rev(0)
	running := false
	for _, x := range m.ssi.xacts {
		if !x.committed && (!running || x.snapshot < oldest) {
			oldest, running = x.snapshot, true
		}
	}
	for _, x := range m.ssi.xacts {
		if x.committed && (!running || x.commit <= oldest) {
			m.ssiForgetLocked(x)
		}
	}
}

func (m *Manager) ssiForgetLocked(x *sxact) {
	delete(m.ssi.xacts, x.xid)
	m.ssi.enrolled.Store(int64(len(m.ssi.xacts)))
	for _, sub := range x.subs {
		delete(m.ssi.subTop, sub)
	}
	for _, tg := range x.targets {
		if holders := m.ssi.marks[tg]; holders != nil {
			delete(holders, x.xid)
			if len(holders) == 0 {
				delete(m.ssi.marks, tg)
			}
		}
	}
	for _, o := range x.out {
		delete(o.in, x.xid)
	}
	for _, i := range x.in {
		delete(i.out, x.xid)
	}
}

// IsSerializable reports whether xid takes part in SSI.
func (m *Manager) IsSerializable(xid XID) bool {
	m.ssi.mu.Lock()
	defer m.ssi.mu.Unlock()
	return m.ssi.xacts[xid] != nil
}
