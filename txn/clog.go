package txn

// The in-memory commit log comes in two parts. Recent commits keep their
// revision (Manager.mu.committed), because a snapshot in use may be older
// than them. A commit at or below the horizon (Horizon: every snapshot in
// use or to come sees it) needs no revision any more, only the fact that it
// committed, so foldCommitted moves it into a bitmap of one bit per XID
// (committedBits). StatusOf answers a folded XID with revision 0, which
// every snapshot's revision passes, so visibility and vacuum decide exactly
// as with the real revision. Memory is then about one bit per transaction
// instead of a map entry (about 40 bytes), and the map holds only the
// commits some snapshot might not see. Open loads the stored commit log
// straight into the bitmap: after a restart no snapshot is older than the
// newest commit.

// clogPageBits is the number of XIDs per bitmap page (8 KiB pages).
const clogPageBits = 1 << 16

// foldEvery is how many commits pass between attempts to fold.
const foldEvery = 1024

// committedBits is a set of XIDs, as pages of bits allocated on first use
// (XIDs are handed out densely, so pages fill).
type committedBits map[uint64]*[clogPageBits / 64]uint64

func (b committedBits) add(xid XID) {
	page := b[uint64(xid)/clogPageBits]
	if page == nil {
		page = new([clogPageBits / 64]uint64)
		b[uint64(xid)/clogPageBits] = page
	}
	i := uint64(xid) % clogPageBits
	page[i/64] |= 1 << (i % 64)
}

func (b committedBits) has(xid XID) bool {
	page := b[uint64(xid)/clogPageBits]
	if page == nil {
		return false
	}
	i := uint64(xid) % clogPageBits
	return page[i/64]&(1<<(i%64)) != 0
}

// maybeFold folds the commit log every foldEvery commits.
func (m *Manager) maybeFold() {
	if m.commitsSinceFold.Add(1)%foldEvery == 0 {
		m.foldCommitted()
	}
}

// foldCommitted moves the commits at or below the horizon from the map
// into the bitmap. It does nothing while the horizon has not moved since
// the last fold (a long-running transaction holds it back), so that a
// large map is not walked over and over for nothing.
func (m *Manager) foldCommitted() {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.horizonLocked()
	if h == m.mu.foldedHorizon {
		return
	}
	m.mu.foldedHorizon = h
	for xid, rev := range m.mu.committed {
		if rev <= h {
			m.mu.bits.add(xid)
			delete(m.mu.committed, xid)
		}
	}
}
