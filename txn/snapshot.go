package txn

// Snapshot is what one statement of a transaction may see: every commit at
// or below Rev, plus its own transaction's writes from earlier statements.
type Snapshot struct {
	m   *Manager
	t   *Txn // nil for a snapshot outside any transaction
	Rev Rev
	// TS, when set, makes this a cluster snapshot (cluster.go): it sees
	// the commits whose cluster timestamp is at most TS, and Rev is only
	// where it holds the vacuum horizon.
	TS Rev
	// XID stamps the writes made through this snapshot: the transaction's
	// current subtransaction (savepoint level), or the transaction itself.
	XID XID
	// Top is the transaction's own id, whatever the savepoint level.
	Top XID
	CID CID
	// Serializable makes reads through this snapshot take part in SSI
	// (ssi.go): they leave SIREAD marks and report conflicts.
	Serializable bool
}

// Concurrent reports whether xid's writes are outside s while not being
// rolled back: xid is running, or committed after s was taken.
func (s Snapshot) Concurrent(xid XID) bool {
	if s.Own(xid) {
		return false
	}
	st, rev := s.m.StatusOf(xid)
	return st == InProgress || (st == Committed && !s.within(xid, rev))
}

// within reports whether s sees the commit of xid at revision rev.
func (s Snapshot) within(xid XID, rev Rev) bool {
	if s.TS != 0 {
		return s.m.commitTS(xid) <= s.TS
	}
	return rev <= s.Rev
}

// Version is the header of one tuple version, as far as visibility goes.
type Version struct {
	Xmin, Xmax XID
	Cmin, Cmax CID
}

// Visible reports whether s sees the version v: its creator is visible to s
// and its deleter (if any) is not.
func (s Snapshot) Visible(v Version) bool {
	if !s.sees(v.Xmin, v.Cmin) {
		return false
	}
	return v.Xmax == 0 || !s.sees(v.Xmax, v.Cmax)
}

// Decide reports whether s sees the creation of v and whether it sees v
// (its creation and not its deletion), with one look at each transaction.
// A reader of a row's versions newest first may stop at the first version
// whose creation it sees: package heap says why no older one can be
// visible then.
func (s Snapshot) Decide(v Version) (created, visible bool) {
	if !s.sees(v.Xmin, v.Cmin) {
		return false, false
	}
	return true, v.Xmax == 0 || !s.sees(v.Xmax, v.Cmax)
}

// sees reports whether the effects of command cid of transaction xid are
// visible to s.
func (s Snapshot) sees(xid XID, cid CID) bool {
	if s.Own(xid) {
		return cid < s.CID
	}
	st, rev := s.m.StatusOf(xid)
	return st == Committed && s.within(xid, rev)
}

// Conflict classifies how a writer of s relates to a change made by xid:
// whether it may overwrite it, must treat it as a concurrent change, or may
// ignore it because it was rolled back.
type Conflict int

const (
	// NoConflict: xid is s's own transaction or committed within s's snapshot.
	NoConflict Conflict = iota
	// ConflictAborted: xid rolled back; its change does not count.
	ConflictAborted
	// ConflictConcurrent: xid is still running or committed after s was taken.
	ConflictConcurrent
)

// ConflictWith classifies xid relative to s.
func (s Snapshot) ConflictWith(xid XID) Conflict {
	if s.Own(xid) {
		return NoConflict
	}
	st, rev := s.m.StatusOf(xid)
	switch {
	case st == Aborted:
		return ConflictAborted
	case st == Committed && s.within(xid, rev):
		return NoConflict
	default:
		return ConflictConcurrent
	}
}

// Own reports whether xid is s's transaction or one of its subtransactions
// that has not been rolled back.
func (s Snapshot) Own(xid XID) bool {
	if xid == s.XID || (xid == s.Top && xid != 0) {
		return true
	}
	return s.t != nil && s.t.liveSub(xid)
}

// StatusOf reports the state of xid, for uniqueness checks.
func (s Snapshot) StatusOf(xid XID) Status {
	if s.Own(xid) {
		return Committed
	}
	st, _ := s.m.StatusOf(xid)
	return st
}
