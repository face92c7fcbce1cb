package txn

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Cluster timestamps: a node of a sharded cluster sees one consistent cut
// of the whole cluster through timestamps that a timestamp oracle (the
// coordinator) hands out, strictly increasing. A cluster transaction's
// snapshot is one timestamp S (ClusterSnapshot), and a transaction
// committed in two phases across nodes commits everywhere with one
// timestamp C, taken after every node prepared it (CommitPreparedAt).
//
// A node keeps its own revisions as they are (dense, published in order,
// durable in the commit records): they serve its local snapshots, vacuum
// and the commit-log fold. Next to a commit's revision it keeps, in
// memory, the commit's timestamp, and a snapshot with a timestamp S sees
// exactly the commits whose timestamp is at most S:
//
//   - COMMIT PREPARED with C commits at timestamp C, whatever the node's
//     revision (two nodes may receive the phase twos of two transactions
//     in opposite orders).
//   - Any other commit, once the node has seen a timestamp (its clock:
//     the newest S or C it was given), gets clock+1: newer than every
//     snapshot registered here so far, which may have passed over its
//     rows as uncommitted, and not newer than any timestamp the oracle
//     hands out after it returns (each is above the clock), so a
//     snapshot taken after the commit sees it. Commits made before the
//     node saw any timestamp, and commits folded into the bitmap, have
//     timestamp 0: every cluster snapshot sees them.
//
// A cluster snapshot is registered for the vacuum horizon and the fold at
// a revision: R_S, the newest revision up to which every commit has a
// timestamp at most S (a running maximum of timestamps in revision order,
// tsLog, answers it). A commit folded or a deletion vacuumed at a horizon
// at or below R_S is one the snapshot sees.
//
// ClusterSnapshot, before registering S:
//
//  1. waits for every transaction prepared on the node at that moment to
//     be committed or rolled back (bounded), those whose COMMIT PREPARED
//     has begun included. A prepared transaction may
//     yet commit with a C at most S; were it judged invisible now and
//     committed later, the snapshot would see one node's half of it and
//     not another's. A transaction prepared here later cannot: the
//     oracle gives C only after every node prepared, which is after S
//     was handed out;
//  2. raises the clock to S, so that every later commit but a prepared
//     one gets a timestamp above S, and waits until every revision taken
//     before is published (an in-flight commit got a timestamp at most
//     the old clock+1, which S may see);
//  3. refuses S (ErrSnapshotTooOld) when the vacuum horizon or the fold
//     already went past R_S: what the snapshot must not see may be
//     folded into "seen by all" or vacuumed away.
//
// Each commit record carries its commit's timestamp (commitrecord.go),
// and the fold keeps the newest it folded (clog.go), so a node that
// restarts, and has then folded every commit (timestamp 0), knows the
// newest timestamp among them: it refuses snapshots below it, and its
// clock goes on from there.

// tsMark records that every commit at or below rev has a timestamp at
// most maxTS (the running maximum, in revision order).
type tsMark struct {
	rev   Rev
	maxTS Rev
}

// DefaultPreparedWait bounds how long ClusterSnapshot waits for the
// prepared transactions it must see resolved.
const DefaultPreparedWait = 10 * time.Second

// commitTSLocked picks the timestamp of a commit: ts when it brings one
// (COMMIT PREPARED with C), clock+1 once the node has seen a timestamp, 0
// before. Called with commitMu held.
func (m *Manager) commitTSLocked(ts Rev) Rev {
	if ts == 0 && m.clock != 0 {
		ts = m.clock + 1
	}
	return ts
}

// recordTSLocked records that the commit at revision rev, its record
// written, has timestamp ts, for ClusterSnapshot; given is set when the
// timestamp came from the oracle (only those move the clock: a node's own
// commits do not run ahead of the oracle). Called with commitMu held.
func (m *Manager) recordTSLocked(rev, ts Rev, given bool) {
	if ts == 0 {
		return
	}
	if given {
		m.clock = max(m.clock, ts)
	}
	top := ts
	if n := len(m.tsLog); n > 0 {
		top = max(top, m.tsLog[n-1].maxTS)
	}
	m.tsLog = append(m.tsLog, tsMark{rev: rev, maxTS: top})
}

// revForTSLocked is R_S: the newest revision up to which every commit's
// timestamp is at most ts, not above through. ok is false when a commit
// forgotten by trimTSLog already had a timestamp above ts. Called with
// commitMu held.
func (m *Manager) revForTSLocked(ts, through Rev) (Rev, bool) {
	if m.trimmedMaxTS > ts {
		return 0, false
	}
	i := sort.Search(len(m.tsLog), func(i int) bool { return m.tsLog[i].maxTS > ts })
	if i < len(m.tsLog) {
		return min(through, m.tsLog[i].rev-1), true
	}
	return through, true
}

// trimTSLog forgets the marks of commits at or below h, which every
// snapshot sees (they were folded).
func (m *Manager) trimTSLog(h Rev) {
	m.commitMu.Lock()
	defer m.commitMu.Unlock()
	i := sort.Search(len(m.tsLog), func(i int) bool { return m.tsLog[i].rev > h })
	if i > 0 {
		m.trimmedMaxTS = max(m.trimmedMaxTS, m.tsLog[i-1].maxTS)
		m.tsLog = append(m.tsLog[:0], m.tsLog[i:]...)
	}
}

// ClusterSnapshot returns t's snapshot at cluster timestamp ts (see
// above), registered for the vacuum horizon. It waits up to wait for the
// transactions prepared on this node to be decided; ctx cancels the wait.
func (m *Manager) ClusterSnapshot(ctx context.Context, t *Txn, ts Rev, cid CID, wait time.Duration) (Snapshot, error) {
	if ts == 0 {
		return Snapshot{}, pgerr.New(pgerr.InvalidParameterValue, "a cluster snapshot's timestamp must be positive")
	}
	if err := m.waitPrepared(ctx, wait); err != nil {
		return Snapshot{}, err
	}
	m.commitMu.Lock()
	m.clock = max(m.clock, ts)
	through := m.nextRev - 1
	rs, ok := m.revForTSLocked(ts, through)
	m.commitMu.Unlock()
	if !ok {
		return Snapshot{}, ErrSnapshotTooOld
	}
	m.waitPublished(through)
	m.mu.Lock()
	defer m.mu.Unlock()
	if rs < Rev(m.usedHorizon.Load()) {
		return Snapshot{}, ErrSnapshotTooOld
	}
	m.mu.snaps[t.XID] = rs
	return Snapshot{m: m, t: t, Rev: rs, TS: ts, XID: t.Current(), Top: t.XID, CID: cid}, nil
}

// waitPrepared waits until every transaction prepared now has been
// committed or rolled back, up to wait.
func (m *Manager) waitPrepared(ctx context.Context, wait time.Duration) error {
	m.prepMu.Lock()
	var pending []*PreparedTxn
	for _, p := range m.prepared {
		pending = append(pending, p)
	}
	for _, p := range m.deciding {
		pending = append(pending, p)
	}
	m.prepMu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for _, p := range pending {
		m.mu.Lock()
		done, running := m.mu.active[p.XID]
		if running && done == nil {
			done = make(chan struct{})
			m.mu.active[p.XID] = done
		}
		m.mu.Unlock()
		if !running {
			continue
		}
		select {
		case <-done:
		case <-timer.C:
			return pgerr.New(pgerr.LockNotAvailable, "prepared transaction %q was not decided within %s", p.GID, wait).
				WithHint("A cluster snapshot waits for the transactions prepared on the node, which may commit within it; the coordinator's recovery decides those it left.")
		case <-ctx.Done():
			return canceled(ctx)
		}
	}
	return nil
}

// waitPublished returns once revision rev is published.
func (m *Manager) waitPublished(rev Rev) {
	if Rev(m.published.Load()) >= rev {
		return
	}
	m.pubMu.Lock()
	defer m.pubMu.Unlock()
	for Rev(m.published.Load()) < rev {
		m.pubCond.Wait()
	}
}

// CommitPreparedAt commits the transaction prepared under gid at cluster
// timestamp ts (see above); ts 0 is CommitPrepared.
func (m *Manager) CommitPreparedAt(gid string, ts Rev) error {
	p, err := m.takePrepared(gid)
	if err != nil {
		return err
	}
	defer m.decided(gid)
	if err := m.commitPrepared(p, ts); err != nil {
		return fmt.Errorf("txn: committing prepared %q: %w", gid, err)
	}
	return nil
}

// commitTS reports the cluster timestamp of xid's commit: 0 when it has
// none (committed before the node saw a timestamp, or folded).
func (m *Manager) commitTS(xid XID) Rev {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.mu.tsOf[xid]
}

// Clock returns the newest cluster timestamp this node has seen, 0 when
// none.
func (m *Manager) Clock() Rev {
	m.commitMu.Lock()
	defer m.commitMu.Unlock()
	return m.clock
}
