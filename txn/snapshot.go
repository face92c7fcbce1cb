package txn

// Snapshot is what one statement of a transaction may see: every commit at
// or below Rev, plus its own transaction's writes from earlier statements.
type Snapshot struct {
	m   *Manager
	Rev Rev
	XID XID
	CID CID
	// Serializable makes reads through this snapshot take part in SSI
	// (ssi.go): they leave SIREAD marks and report conflicts.
	Serializable bool
}

// Concurrent reports whether xid's writes are outside s while not being
// rolled back: xid is running, or committed after s was taken.
func (s Snapshot) Concurrent(xid XID) bool {
	if xid == s.XID {
		return false
	}
	st, rev := s.m.StatusOf(xid)
	return st == InProgress || (st == Committed && rev > s.Rev)
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

// sees reports whether the effects of command cid of transaction xid are
// visible to s.
func (s Snapshot) sees(xid XID, cid CID) bool {
	if xid == s.XID {
		return cid < s.CID
	}
	st, rev := s.m.StatusOf(xid)
	return st == Committed && rev <= s.Rev
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
	if xid == s.XID {
		return NoConflict
	}
	st, rev := s.m.StatusOf(xid)
	switch {
	case st == Aborted:
		return ConflictAborted
	case st == Committed && rev <= s.Rev:
		return NoConflict
	default:
		return ConflictConcurrent
	}
}

// StatusOf reports the state of xid, for uniqueness checks.
func (s Snapshot) StatusOf(xid XID) Status {
	if xid == s.XID {
		return Committed
	}
	st, _ := s.m.StatusOf(xid)
	return st
}
