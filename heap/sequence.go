package heap

import (
	"encoding/binary"
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
)

// Sequences keep their state outside MVCC, as PostgreSQL's do: a nextval
// or setval is seen by every transaction at once and is not undone by a
// rollback. Each sequence's state is one key,
//
//	's' | sequence id (4 bytes, big-endian)  →  last value (8, big-endian) | is_called (1)
//
// written as a whole-value set, so replaying it is idempotent. What is
// stored is the value logged ahead (package sql/sequence), never the value
// last handed out: after a crash the sequence goes on past it.
const sequencePrefix = 's'

const sequenceStateBytes = 9

// SequenceState is the durable state of a sequence.
type SequenceState struct {
	Last   int64
	Called bool
}

func sequenceKey(id uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{sequencePrefix}, id)
}

// ReadSequence returns the stored state of sequence id; ok is false when
// none was ever written.
func (h *Heap) ReadSequence(id uint32) (st SequenceState, ok bool, err error) {
	v, ok, err := h.store.Get(sequenceKey(id))
	if err != nil || !ok {
		return st, false, err
	}
	if len(v) != sequenceStateBytes || v[8] > 1 {
		return st, false, pgerr.New(pgerr.DataCorrupted, "heap: state of sequence %d is malformed (%d bytes)", id, len(v))
	}
	return SequenceState{Last: int64(binary.BigEndian.Uint64(v)), Called: v[8] == 1}, true, nil
}

// WriteSequence stores the state of sequence id and returns the log
// position of its record. It does not wait for the disk: the state is
// durable once the store has synced through that position, which a later
// commit's sync does, since the log is a prefix (SyncSequence waits for it
// alone).
func (h *Heap) WriteSequence(id uint32, st SequenceState) (lsn uint64, err error) {
	v := binary.BigEndian.AppendUint64(make([]byte, 0, sequenceStateBytes), uint64(st.Last))
	if st.Called {
		v = append(v, 1)
	} else {
		v = append(v, 0)
	}
	var b lsm.Batch
	b.Set(sequenceKey(id), v)
	if lsn, err = h.store.Write(&b); err != nil {
		return 0, fmt.Errorf("heap: writing the state of sequence %d: %w", id, err)
	}
	return lsn, nil
}

// DeleteSequence removes the stored state of a dropped sequence.
func (h *Heap) DeleteSequence(id uint32) error {
	var b lsm.Batch
	b.Delete(sequenceKey(id))
	if _, err := h.store.Write(&b); err != nil {
		return fmt.Errorf("heap: deleting the state of sequence %d: %w", id, err)
	}
	return nil
}

// SyncSequence returns once the log is durable through lsn, a position
// WriteSequence returned.
func (h *Heap) SyncSequence(lsn uint64) error {
	return h.store.Sync(lsn)
}
