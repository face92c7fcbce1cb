package heap

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/txn"
)

// Load is one row for LoadRows: its primary key and data.
type Load struct {
	PK   []byte
	Data []byte
}

// LoadRows writes a first version of each row, created by op, into a
// table storage id that only op's transaction can reach: one the
// transaction allocated for a rewrite (the table's new relfilenode, in
// PostgreSQL's words), named by a catalog entry that no other transaction
// sees before it commits. The rows must come sorted by primary key with
// no key twice (the call checks both, XX000, since anything else breaks
// its caller's contract); they are written loadBatch rows (at most about
// loadBatchBytes) to a WAL record, without waits, uniqueness probes or
// conflict checks, and leave no dead version behind.
//
// All rows of a call share one version number, taken when the call
// starts: each row gets one version here, and any later version of it is
// numbered later, which is all the version order needs (doc.go).
func (h *Heap) LoadRows(op Op, table uint32, rows []Load) error {
	if len(rows) == 0 {
		return nil
	}
	seq, err := h.tm.NextSeq()
	if err != nil {
		return fmt.Errorf("heap: numbering loaded versions: %w", err)
	}
	header := encodeHeader(txn.Version{Xmin: op.Snap.XID, Cmin: op.Snap.CID}, nil)
	prefix := tablePrefixKey(table)
	var key, val []byte
	var prev []byte
	for len(rows) > 0 {
		n, size := 0, 0
		for ; n < len(rows) && n < loadBatch && size < loadBatchBytes; n++ {
			size += len(prefix) + len(rows[n].PK) + seqSize + len(header) + len(rows[n].Data)
		}
		var b lsm.Batch
		b.Grow(n, size)
		for _, r := range rows[:n] {
			if r.PK == nil {
				return pgerr.New(pgerr.InternalError, "heap: loading a row without a key")
			}
			if prev != nil && bytes.Compare(prev, r.PK) >= 0 {
				return pgerr.New(pgerr.InternalError, "heap: loaded rows out of key order")
			}
			prev = r.PK
			key = append(append(key[:0], prefix...), r.PK...)
			key = binary.BigEndian.AppendUint64(key, seq)
			val = append(append(val[:0], header...), r.Data...)
			b.Set(key, val)
		}
		if err := h.writeBatch(op.Tx, &b); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// InsertRows inserts rows into a table without a primary key, each under
// a new row id, in one WAL record: what InsertRow with a nil key does for
// each, for a bulk load (COPY FROM) into a table whose rows need no
// uniqueness check. A new row id names a row of which no version exists,
// so there is nothing to wait for or check; a serializable writer reports
// its write of the table to SSI once. The caller bounds the batch (the
// record must stay under the WAL's record limit).
func (h *Heap) InsertRows(op Op, table uint32, rows [][]byte) error {
	if len(rows) == 0 {
		return nil
	}
	if op.Snap.Serializable {
		if err := h.tm.WriteCheck(op.Snap.Top, txn.TableTarget(table)); err != nil {
			return err
		}
	}
	header := encodeHeader(txn.Version{Xmin: op.Snap.XID, Cmin: op.Snap.CID}, nil)
	prefix := tablePrefixKey(table)
	size := 0
	for _, data := range rows {
		size += len(prefix) + 1 + 2*seqSize + len(header) + len(data)
	}
	var b lsm.Batch
	b.Grow(len(rows), size)
	var key, val []byte
	for _, data := range rows {
		rowID, err := h.tm.NextSeq()
		if err != nil {
			return fmt.Errorf("heap: numbering a row: %w", err)
		}
		key = append(append(key[:0], prefix...), 0x01)
		key = binary.BigEndian.AppendUint64(key, rowID)
		key = binary.BigEndian.AppendUint64(key, rowID)
		val = append(append(val[:0], header...), data...)
		b.Set(key, val)
	}
	return h.writeBatch(op.Tx, &b)
}
