package sql

import (
	"sync"
	"sync/atomic"

	"github.com/cairndb/cairn/txn"
)

// storageReclaim is the engine's state for deleting the data of dropped
// and replaced table storage (reclaimDropped).
//
// A table rewrite (ADD PRIMARY KEY) leaves the old storage to the
// snapshots that still see the old descriptor, and a rolled-back rewrite
// leaves its new storage to nobody: either is deleted with one range
// delete once its catalog entry is dead below the horizon. VACUUM without
// a table list does it at once; the background vacuum does it when a
// statement has left storage to reclaim (pending), and keeps trying on
// each pass while a catalog version is still dying.
type storageReclaim struct {
	pending atomic.Bool

	mu sync.Mutex // serializes reclaimDropped; guards the sets below
	// tables and indexes hold the storage ids already deleted since the
	// engine started, so that repeated passes over the same dead catalog
	// entries write no new range deletes (ids are never reused). After a
	// restart one more range delete each is harmless.
	tables  map[uint32]bool
	indexes map[uint32]bool
}

// initLocked makes the sets on first use.
func (r *storageReclaim) initLocked() {
	if r.tables == nil {
		r.tables = make(map[uint32]bool)
		r.indexes = make(map[uint32]bool)
	}
}

// noteStorageDropped tells the background vacuum that a statement left
// table storage that will need deleting once no snapshot can see it, or
// at once if its transaction rolls back.
func (e *Engine) noteStorageDropped() { e.reclaim.pending.Store(true) }

// reclaimInBackground runs reclaimDropped for AutoVacuum when a statement
// left storage to reclaim, and again on later passes until no catalog
// version is dying.
func (e *Engine) reclaimInBackground() error {
	if !e.reclaim.pending.Swap(false) {
		return nil
	}
	waiting, err := e.reclaimDropped()
	if err != nil || waiting {
		e.reclaim.pending.Store(true)
	}
	return err
}

// tableRewrites remembers, by table OID, the (sub)transactions that gave a
// table new storage, so that a writer whose snapshot predates such a
// rewrite's commit, and so still sees the old descriptor, does not write
// rows into storage that is about to be deleted (lockTableForWrite). An
// entry goes once its rewrite rolled back or every snapshot sees it.
type tableRewrites struct {
	tables atomic.Int64 // len(by), read without mu on every write
	mu     sync.Mutex
	by     map[uint32][]txn.XID
}

// noteRewrite records that xid gave table oid new storage.
func (e *Engine) noteRewrite(oid uint32, xid txn.XID) {
	r := &e.rewrites
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.by == nil {
		r.by = make(map[uint32][]txn.XID)
	}
	r.by[oid] = append(r.by[oid], xid)
	r.tables.Store(int64(len(r.by)))
}

// rewrittenAfter reports whether a rewrite of table oid committed after
// snap, so that snap sees the table's old descriptor and old storage.
func (e *Engine) rewrittenAfter(oid uint32, snap txn.Snapshot) bool {
	r := &e.rewrites
	if r.tables.Load() == 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	after := false
	for _, xid := range e.pruneRewriteLocked(oid) {
		if st, rev := e.tm.StatusOf(xid); st == txn.Committed && rev > snap.Rev {
			after = true
		}
	}
	return after
}

// pruneRewrites forgets the rewrites no snapshot in use predates.
func (e *Engine) pruneRewrites() {
	r := &e.rewrites
	if r.tables.Load() == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for oid := range r.by {
		e.pruneRewriteLocked(oid)
	}
}

// pruneRewriteLocked drops table oid's rewrites that rolled back or that
// every snapshot in use sees, and returns the others.
func (e *Engine) pruneRewriteLocked(oid uint32) []txn.XID {
	r := &e.rewrites
	xids := r.by[oid]
	horizon := e.tm.Horizon()
	kept := xids[:0]
	for _, xid := range xids {
		st, rev := e.tm.StatusOf(xid)
		if st == txn.Aborted || (st == txn.Committed && rev <= horizon) {
			continue
		}
		kept = append(kept, xid)
	}
	if len(kept) == 0 {
		delete(r.by, oid)
		r.tables.Store(int64(len(r.by)))
		return nil
	}
	r.by[oid] = kept
	return kept
}
