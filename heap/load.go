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
// sees before it commits. The rows come in chunks, read in order, and
// must be sorted by primary key with no key twice (the call checks both,
// XX000, since anything else breaks its caller's contract). They are
// written without waits, uniqueness probes or conflict checks, and leave
// no dead version behind.
//
// When the store can ingest tables (Ingester, the node's store), the rows
// go straight into the LSM as tables of about ingestBytes each, bypassing
// the WAL and the memtable: the store syncs the WAL first, so the catalog
// entry that names the storage is durable before any of its rows, and
// each table is durable before LoadRows goes on, so the commit record
// follows them. Otherwise they are written loadBatch rows (at most about
// loadBatchBytes) to a WAL record.
//
// All rows of a call share one version number, taken when the call
// starts: each row gets one version here, and any later version of it is
// numbered later, which is all the version order needs (doc.go).
func (h *Heap) LoadRows(op Op, table uint32, chunks [][]Load) error {
	return h.LoadRowsFrom(op, table, func() ([]Load, error) {
		if len(chunks) == 0 {
			return nil, nil
		}
		c := chunks[0]
		chunks = chunks[1:]
		if c == nil {
			c = []Load{} // an empty chunk, not the end
		}
		return c, nil
	})
}

// LoadRowsFrom is LoadRows taking the chunks from next, which returns a
// nil chunk after the last one (an empty one is skipped) and whose error
// ends the load with that error. The chunks are read as the rows are
// written, so a caller may produce them while LoadRowsFrom writes the
// ones before (from another goroutine: next is called from LoadRowsFrom's
// own). While an ingested table is built, the store's ingests wait for
// next: it must not wait for another ingest. The chunks must stay
// unchanged until LoadRowsFrom returns.
func (h *Heap) LoadRowsFrom(op Op, table uint32, next func() ([]Load, error)) error {
	seq, err := h.tm.NextSeq()
	if err != nil {
		return fmt.Errorf("heap: numbering loaded versions: %w", err)
	}
	l := loader{
		header: encodeHeader(txn.Version{Xmin: op.Snap.XID, Cmin: op.Snap.CID}, nil),
		prefix: tablePrefixKey(table),
		seq:    seq,
		source: next,
	}
	if ing, ok := h.store.(Ingester); ok {
		op.Tx.MarkWrote()
		for {
			more, err := l.more()
			if err != nil {
				return err
			}
			if !more {
				return nil
			}
			err = ing.Ingest(func(add func(key, value []byte) error) error {
				for size := 0; size < ingestBytes; {
					more, err := l.more()
					if err != nil {
						return err
					}
					if !more {
						return nil
					}
					key, val, err := l.next()
					if err != nil {
						return err
					}
					if err := add(key, val); err != nil {
						return err
					}
					size += len(key) + len(val)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("heap: loading rows: %w", err)
			}
		}
	}
	for {
		var b lsm.Batch
		for n, size := 0, 0; n < loadBatch && size < loadBatchBytes; n++ {
			more, err := l.more()
			if err != nil {
				return err
			}
			if !more {
				break
			}
			key, val, err := l.next()
			if err != nil {
				return err
			}
			b.Set(key, val)
			size += len(key) + len(val)
		}
		if b.Len() == 0 {
			return nil
		}
		if err := h.writeBatch(op.Tx, &b); err != nil {
			return err
		}
	}
}

// Ingester is a store that can add a sorted run of keys nothing else holds
// as a table, durably, without the WAL (checkpoint.Store.Ingest).
type Ingester interface {
	Ingest(fill func(add func(key, value []byte) error) error) error
}

// loader walks LoadRowsFrom's chunks, checking the order of the keys and
// making each row's key and value (valid until the next call).
type loader struct {
	header, prefix []byte
	seq            uint64
	source         func() ([]Load, error)
	chunk          []Load
	i              int  // next row of chunk
	end            bool // source has no more chunks
	prev           []byte
	key, val       []byte
}

// more reports whether a row is left, taking chunks from the source until
// one has a row or the source ends.
func (l *loader) more() (bool, error) {
	for !l.end && l.i == len(l.chunk) {
		c, err := l.source()
		if err != nil {
			return false, err
		}
		l.chunk, l.i, l.end = c, 0, c == nil
	}
	return l.i < len(l.chunk), nil
}

// next returns the next row's key and value; call it only when more()
// reported one.
func (l *loader) next() (key, val []byte, err error) {
	r := l.chunk[l.i]
	l.i++
	if r.PK == nil {
		return nil, nil, pgerr.New(pgerr.InternalError, "heap: loading a row without a key")
	}
	if l.prev != nil && bytes.Compare(l.prev, r.PK) >= 0 {
		return nil, nil, pgerr.New(pgerr.InternalError, "heap: loaded rows out of key order")
	}
	l.prev = r.PK
	l.key = append(append(l.key[:0], l.prefix...), r.PK...)
	l.key = binary.BigEndian.AppendUint64(l.key, l.seq)
	l.val = append(append(l.val[:0], l.header...), r.Data...)
	return l.key, l.val, nil
}

// CanIngest reports whether the heap's store ingests tables (Ingester), so
// that IngestRows skips the WAL and the memtable; else IngestRows writes
// WAL records as InsertRows does, and a caller gains nothing by gathering
// large batches for it.
func (h *Heap) CanIngest() bool {
	_, ok := h.store.(Ingester)
	return ok
}

// IngestRows inserts rows into a table without a primary key, each under a
// new row id, as InsertRows does, for a bulk load (COPY FROM) large enough
// to be worth a table of its own. When the store can ingest (CanIngest),
// the rows are written as LSM tables of about ingestBytes each and added
// to the store directly, bypassing the WAL and the memtable, and hence the
// memtable flush and the compaction that would follow it; else they go to
// WAL records of at most loadBatch rows and about loadBatchBytes.
//
// Ingesting needs keys that no version in the store has and nothing else
// writes while the table is built (lsm.DB.Ingest). A new row id gives
// that: it was never handed out before, and row ids are taken in
// ascending order, so the keys are sorted too (the ingest checks it).
// Durability is LoadRows': the store syncs the WAL before each table, so
// every record of the transaction before the rows (and the reservation of
// the row ids and of its xid) is durable first, and each table is durable
// before IngestRows returns, so the commit record follows the rows. If the
// transaction does not commit, the rows stay as versions of a creator that
// rolled back, as InsertRows' do, until vacuum removes them.
func (h *Heap) IngestRows(op Op, table uint32, rows [][]byte) error {
	if len(rows) == 0 {
		return nil
	}
	ing, ok := h.store.(Ingester)
	if !ok {
		for len(rows) > 0 {
			n, size := 0, 0
			for n < len(rows) && n < loadBatch && size < loadBatchBytes {
				size += len(rows[n])
				n++
			}
			if err := h.InsertRows(op, table, rows[:n]); err != nil {
				return err
			}
			rows = rows[n:]
		}
		return nil
	}
	if op.Snap.Serializable {
		if err := h.tm.WriteCheck(op.Snap.Top, txn.TableTarget(table)); err != nil {
			return err
		}
	}
	header := encodeHeader(txn.Version{Xmin: op.Snap.XID, Cmin: op.Snap.CID}, nil)
	prefix := tablePrefixKey(table)
	op.Tx.MarkWrote()
	var key, val []byte
	for len(rows) > 0 {
		err := ing.Ingest(func(add func(key, value []byte) error) error {
			for size := 0; size < ingestBytes && len(rows) > 0; rows = rows[1:] {
				rowID, err := h.tm.NextSeq()
				if err != nil {
					return fmt.Errorf("heap: numbering a row: %w", err)
				}
				key = append(append(key[:0], prefix...), 0x01)
				key = binary.BigEndian.AppendUint64(key, rowID)
				key = binary.BigEndian.AppendUint64(key, rowID)
				val = append(append(val[:0], header...), rows[0]...)
				if err := add(key, val); err != nil {
					return err
				}
				size += len(key) + len(val)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("heap: ingesting rows: %w", err)
		}
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
	if err := h.writeBatch(op.Tx, &b); err != nil {
		return err
	}
	h.counts.of(table).ins.Add(uint64(len(rows)))
	return nil
}
