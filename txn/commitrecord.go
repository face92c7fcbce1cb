package txn

import (
	"encoding/binary"
	"time"

	"github.com/cairndb/cairn/lsm"
)

// A commit record is the batch that commitXIDs writes: one commit-log
// entry per xid it commits, key clogPrefix + xid, all with the same value:
//
//	rev     uint64 big-endian, the commit revision
//	micros  int64 big-endian, the commit time in microseconds since the
//	        Unix epoch (present only when the Manager has a clock, or
//	        as 0 when ts follows)
//	ts      uint64 big-endian, the commit's cluster timestamp (present
//	        only when it has one: cluster.go)
//
// Values of 8 bytes (no time) are what earlier versions wrote, and what a
// Manager without a clock writes; all three lengths are read. Commit times never
// go back from one revision to the next within a process (a clock stepped
// back repeats the last time), so that a restore to a point in time stops
// at one place in revision order.

// commitValueLocked returns the commit-log value for a commit at rev with
// cluster timestamp ts (0: none). Called with commitMu held.
func (m *Manager) commitValueLocked(rev, ts Rev) []byte {
	out := binary.BigEndian.AppendUint64(make([]byte, 0, 24), uint64(rev))
	var micros int64
	if m.now != nil {
		micros = max(m.now().UnixMicro(), m.lastCommitMicros)
		m.lastCommitMicros = micros
	}
	if micros != 0 || ts != 0 {
		out = binary.BigEndian.AppendUint64(out, uint64(micros))
	}
	if ts != 0 {
		out = binary.BigEndian.AppendUint64(out, uint64(ts))
	}
	return out
}

// decodeCommitValue decodes a commit-log value; micros is 0 when it
// carries no time, ts 0 when it carries no cluster timestamp.
func decodeCommitValue(v []byte) (rev Rev, micros int64, ts Rev, ok bool) {
	switch len(v) {
	case 8:
		return Rev(binary.BigEndian.Uint64(v)), 0, 0, true
	case 16:
		return Rev(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint64(v[8:])), 0, true
	case 24:
		return Rev(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint64(v[8:])), Rev(binary.BigEndian.Uint64(v[16:])), true
	}
	return 0, 0, 0, false
}

// CommitRecord describes a WAL record that commits transactions.
type CommitRecord struct {
	Rev Rev
	// Time is the commit time; zero when the record carries none (written
	// without a clock, or by an earlier version).
	Time time.Time
}

// DecodeCommit reports whether b, a batch read back from the WAL, is a
// commit record, and which revision (and time) it commits at. Restoring
// to a revision or a time stops before the first commit record past it.
func DecodeCommit(b *lsm.Batch) (CommitRecord, bool) {
	var rec CommitRecord
	found := false
	b.Sets(func(key, value []byte) bool {
		if len(key) != len(clogPrefix)+8 || string(key[:len(clogPrefix)]) != string(clogPrefix) {
			return true
		}
		rev, micros, _, ok := decodeCommitValue(value)
		if !ok {
			return true
		}
		rec.Rev, found = rev, true
		if micros != 0 {
			rec.Time = time.UnixMicro(micros).UTC()
		}
		return false
	})
	return rec, found
}
