package txn

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/cairndb/cairn/lsm"
)

// The commit log comes in two parts. Recent commits keep their revision
// (Manager.mu.committed, and one key per XID in storage), because a
// snapshot in use may be older than them. A commit at or below the horizon
// (Horizon: every snapshot in use or to come sees it) needs no revision any
// more, only the fact that it committed, so foldCommitted moves it into a
// bitmap of one bit per XID (committedBits), in memory and in storage.
// StatusOf answers a folded XID with revision 0, which every snapshot's
// revision passes, so visibility and vacuum decide exactly as with the real
// revision.
//
// In storage a bitmap page is one key (clogPagePrefix + page number →
// clogPageBits/8 bytes); a fold writes, in one batch, the whole image of
// every page it touched, a delete of each folded XID's key, and the newest
// revision folded so far (clogRevKey), which Open needs to go on numbering
// revisions once the keys that carried them are gone, and the newest
// cluster timestamp folded (clogTSKey), below which Open refuses cluster
// snapshots (cluster.go). The batch follows the
// commit records it folds in the log, so a crash keeps either both or the
// commit records alone. Folds are serialized (foldMu): each writes complete
// page images, so a later batch never carries an older image of a page.
//
// Open loads the bitmap pages and the remaining per-XID keys into the
// in-memory bitmap (after a restart no snapshot is older than the newest
// commit) and folds those keys in storage too. Memory and storage then
// cost about a bit per transaction instead of a map entry (about 40 bytes)
// and a key.

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
		// An error loses nothing (see foldCommitted); the storage
		// reports its own failures to every later writer.
		_ = m.foldCommitted()
	}
}

// foldCommitted moves the commits at or below the horizon from the map
// into the bitmap, in memory and then in storage. It does nothing while the
// horizon has not moved since the last fold (a long-running transaction
// holds it back), so that a large map is not walked over and over for
// nothing. A failure to write the fold to storage loses nothing: the
// commits' own keys stay until a later fold (or Open) removes them.
func (m *Manager) foldCommitted() error {
	m.foldMu.Lock()
	defer m.foldMu.Unlock()
	m.mu.Lock()
	h := m.horizonLocked()
	if h == m.mu.foldedHorizon {
		m.mu.Unlock()
		return nil
	}
	m.mu.foldedHorizon = h
	var xids []XID
	var newest, newestTS Rev
	for xid, rev := range m.mu.committed {
		if rev <= h {
			m.mu.bits.add(xid)
			delete(m.mu.committed, xid)
			newestTS = max(newestTS, m.mu.tsOf[xid])
			delete(m.mu.tsOf, xid)
			xids = append(xids, xid)
			newest = max(newest, rev)
		}
	}
	m.mu.Unlock()
	m.trimTSLog(h)
	return m.storeFold(xids, newest, newestTS)
}

// foldBatchXIDs bounds the XID keys one fold batch deletes.
const foldBatchXIDs = 4096

// storeFold writes the fold of xids (already in the in-memory bitmap) to
// storage: page images, deletes of their keys, and the newest revision.
// Called with foldMu held.
func (m *Manager) storeFold(xids []XID, newest, newestTS Rev) error {
	if len(xids) == 0 {
		return nil
	}
	slices.Sort(xids)
	m.foldedRev = max(m.foldedRev, newest)
	m.foldedTS = max(m.foldedTS, newestTS)
	for len(xids) > 0 {
		chunk := xids[:min(len(xids), foldBatchXIDs)]
		xids = xids[len(chunk):]
		var b lsm.Batch
		m.mu.RLock()
		for i, x := range chunk {
			if page := uint64(x) / clogPageBits; i == 0 || page != uint64(chunk[i-1])/clogPageBits {
				img := m.mu.bits[page]
				b.Set(clogPageKey(page), encodePage(img))
			}
		}
		m.mu.RUnlock()
		for _, x := range chunk {
			b.Delete(clogKey(x))
		}
		b.Set(clogRevKey, binary.BigEndian.AppendUint64(nil, uint64(m.foldedRev)))
		if m.foldedTS != 0 {
			b.Set(clogTSKey, binary.BigEndian.AppendUint64(nil, uint64(m.foldedTS)))
		}
		if _, err := m.store.Write(&b); err != nil {
			return fmt.Errorf("txn: writing commit-log fold: %w", err)
		}
	}
	return nil
}

func clogPageKey(page uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), clogPagePrefix...), page)
}

func encodePage(p *[clogPageBits / 64]uint64) []byte {
	out := make([]byte, 0, clogPageBits/8)
	for _, w := range p {
		out = binary.LittleEndian.AppendUint64(out, w)
	}
	return out
}

// loadPages ORs the stored bitmap pages into the in-memory bitmap and
// returns the newest folded revision. Called by Open.
func (m *Manager) loadPages() (Rev, error) {
	it := m.store.NewIter(clogPagePrefix, prefixEnd(clogPagePrefix))
	for ok := it.First(); ok; ok = it.Next() {
		k, v := it.Key(), it.Value()
		if len(k) != len(clogPagePrefix)+8 || len(v) != clogPageBits/8 {
			it.Close()
			return 0, fmt.Errorf("txn: malformed commit-log page %q (%d bytes)", k, len(v))
		}
		page := binary.BigEndian.Uint64(k[len(clogPagePrefix):])
		img := m.mu.bits[page]
		if img == nil {
			img = new([clogPageBits / 64]uint64)
			m.mu.bits[page] = img
		}
		for i := range img {
			img[i] |= binary.LittleEndian.Uint64(v[8*i:])
		}
	}
	if err := it.Close(); err != nil {
		return 0, fmt.Errorf("txn: loading commit-log pages: %w", err)
	}
	switch v, ok, err := m.store.Get(clogTSKey); {
	case err != nil:
		return 0, fmt.Errorf("txn: loading commit-log pages: %w", err)
	case ok && len(v) != 8:
		return 0, fmt.Errorf("txn: malformed folded cluster timestamp (%d bytes)", len(v))
	case ok:
		m.foldedTS = Rev(binary.BigEndian.Uint64(v))
	}
	v, ok, err := m.store.Get(clogRevKey)
	switch {
	case err != nil:
		return 0, fmt.Errorf("txn: loading commit-log pages: %w", err)
	case !ok:
		return 0, nil
	case len(v) != 8:
		return 0, fmt.Errorf("txn: malformed folded revision (%d bytes)", len(v))
	}
	return Rev(binary.BigEndian.Uint64(v)), nil
}
