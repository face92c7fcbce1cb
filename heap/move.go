package heap

import (
	"encoding/binary"
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/txn"
)

// Move names a row for MoveRows: the version to replace, the row's new
// primary key and the new version's data.
type Move struct {
	ID   TupleID
	PK   []byte
	Data []byte
}

// MoveRows does for each move what Delete of its version and InsertRow
// under its new key would do, moveBatch rows to a write. It is the bulk
// path of a table rewrite (ALTER TABLE ... ADD PRIMARY KEY), and its
// caller must hold a lock that keeps every other transaction away from the
// table (ACCESS EXCLUSIVE) and must have checked that no two moves share a
// key: MoveRows neither waits for other transactions nor checks the new
// keys for uniqueness. A version claimed by another transaction that did
// not roll back breaks that contract and fails the call with XX000.
func (h *Heap) MoveRows(op Op, table uint32, moves []Move) error {
	for len(moves) > 0 {
		n := min(len(moves), moveBatch)
		if err := h.moveBatch(op, table, moves[:n]); err != nil {
			return err
		}
		moves = moves[n:]
	}
	return nil
}

func (h *Heap) moveBatch(op Op, table uint32, moves []Move) error {
	snap := op.Snap
	h.mu.Lock()
	defer h.mu.Unlock()
	var b lsm.Batch
	for _, m := range moves {
		val, ok, err := h.store.Get(m.ID)
		if err != nil {
			return fmt.Errorf("heap: reading tuple: %w", err)
		}
		if !ok {
			return pgerr.New(pgerr.InternalError, "heap: tuple vanished")
		}
		v, data, err := decodeHeader(val)
		if err != nil {
			return err
		}
		if v.Xmax != 0 && !snap.Own(v.Xmax) && snap.StatusOf(v.Xmax) != txn.Aborted {
			return pgerr.New(pgerr.InternalError, "heap: moving a version claimed by transaction %d", v.Xmax)
		}
		v.Xmax, v.Cmax = snap.XID, snap.CID
		b.Set(m.ID, encodeHeader(v, data))
		h.dead.markDirty(table, m.ID[:len(m.ID)-seqSize])
		seq, err := h.nextSeqLocked()
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(rowPrefix(table, m.PK), seq)
		b.Set(key, encodeHeader(txn.Version{Xmin: snap.XID, Cmin: snap.CID}, m.Data))
	}
	h.dead.addN(table, len(moves))
	return h.writeBatch(op.Tx, &b)
}
