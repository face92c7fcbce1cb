package lsm

import (
	"slices"
	"sync"
)

// Snapshot is a consistent view of the store as of its creation: Get and
// NewIter through it see the versions applied before NewSnapshot and none
// after, however long it stays open. While it is open, compactions keep,
// for each key, the newest version it sees (see the package
// documentation), so close it when done. Safe for concurrent use.
type Snapshot struct {
	d   *DB
	seq uint64

	mu     sync.Mutex
	closed bool
}

// NewSnapshot returns a snapshot at the current sequence number.
func (d *DB) NewSnapshot() *Snapshot {
	// A snapshot waits out an Ingest, which would add versions numbered
	// below the snapshot's sequence number after it was taken.
	d.ingestMu.RLock()
	defer d.ingestMu.RUnlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	s := &Snapshot{d: d, seq: d.mu.seq}
	// Sequence numbers only grow: appending keeps the list sorted.
	d.mu.snapshots = append(d.mu.snapshots, s.seq)
	return s
}

// Seq returns the sequence number the snapshot reads at.
func (s *Snapshot) Seq() uint64 { return s.seq }

// Get is DB.Get as of the snapshot.
func (s *Snapshot) Get(key []byte) (value []byte, ok bool, err error) {
	if s.isClosed() {
		return nil, false, ErrClosed
	}
	return s.d.get(key, s.seq)
}

// NewIter is DB.NewIter as of the snapshot.
func (s *Snapshot) NewIter(lower, upper []byte) *Iterator {
	if s.isClosed() {
		return &Iterator{err: ErrClosed}
	}
	return s.d.newIter(lower, upper, s.seq, true)
}

func (s *Snapshot) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close releases the snapshot; later reads through it return ErrClosed.
// Closing twice returns ErrClosed.
func (s *Snapshot) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.closed = true
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if i := slices.Index(d.mu.snapshots, s.seq); i >= 0 {
		d.mu.snapshots = slices.Delete(d.mu.snapshots, i, i+1)
	}
	return nil
}
