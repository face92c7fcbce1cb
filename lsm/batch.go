package lsm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

const (
	kindDelete      byte = 0
	kindSet         byte = 1
	kindRangeDelete byte = 2 // batches only: a range tombstone, key = start, value = end
)

// Sentinel errors. Test with errors.Is.
var (
	// ErrCorrupt marks bytes (table, manifest, encoded batch) that fail
	// validation.
	ErrCorrupt = errors.New("lsm: corrupt data")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("lsm: closed")
	// ErrFailed is returned by Flush and Compact after a failed flush, or
	// after a compaction or a new manifest log failed in a way that left
	// the durable state uncertain (see the package documentation).
	ErrFailed = errors.New("lsm: store failed earlier, writes refused")
)

// batchOp is one Set, Delete or DeleteRange (key: start, value: end).
type batchOp struct {
	kind  byte
	key   []byte
	value []byte
}

// Batch is an ordered list of sets, deletes and range deletes applied
// atomically by DB.Apply. Later operations on a key win over earlier ones
// in the same batch. Set, Delete and DeleteRange copy their arguments
// (SetOwned does not). The zero value is an empty batch. A Batch must not
// be modified after it is passed to Apply, nor copied.
type Batch struct {
	ops []batchOp
	// first holds the first operation, so that a batch of one (a row's
	// version written alone) costs no slice of its own.
	first [1]batchOp
	// arena, when Grow made one, holds the bytes of later Sets that fit
	// in what is left of it; it never grows, so what it holds never moves.
	arena []byte
}

// Grow makes room for ops more operations whose keys and values take
// bytes in all, so that a bulk writer's Sets cost no allocation each.
func (b *Batch) Grow(ops, bytes int) {
	b.ops = slices.Grow(b.ops, ops)
	if cap(b.arena)-len(b.arena) < bytes {
		b.arena = make([]byte, 0, bytes)
	}
}

// Set records key = value.
func (b *Batch) Set(key, value []byte) {
	n := len(key) + len(value)
	var buf []byte
	if cap(b.arena)-len(b.arena) >= n {
		start := len(b.arena)
		b.arena = append(append(b.arena, key...), value...)
		buf = b.arena[start : start+n : start+n]
	} else {
		buf = make([]byte, n)
		copy(buf, key)
		copy(buf[len(key):], value)
	}
	b.add(batchOp{kind: kindSet, key: buf[:len(key):len(key)], value: buf[len(key):]})
}

// SetOwned records key = value without copying them: the caller hands the
// slices over and must not modify them while the batch is in use.
func (b *Batch) SetOwned(key, value []byte) {
	b.add(batchOp{kind: kindSet, key: key, value: value})
}

// add appends op, into first when the batch is empty.
func (b *Batch) add(op batchOp) {
	if b.ops == nil {
		b.ops = b.first[:0]
	}
	b.ops = append(b.ops, op)
}

// Delete records a deletion of key.
func (b *Batch) Delete(key []byte) {
	b.add(batchOp{kind: kindDelete, key: append([]byte{}, key...)})
}

// DeleteRange records a deletion of every key in [start, end): every
// version of such a key older than this operation is hidden, in the
// memtable and in every table. A range with start >= end deletes nothing.
func (b *Batch) DeleteRange(start, end []byte) {
	buf := make([]byte, len(start)+len(end))
	copy(buf, start)
	copy(buf[len(start):], end)
	b.add(batchOp{kind: kindRangeDelete, key: buf[:len(start):len(start)], value: buf[len(start):]})
}

// Sets calls fn with the key and value of each Set in the batch, in
// order, until fn returns false. The slices are the batch's: fn must not
// keep or modify them.
func (b *Batch) Sets(fn func(key, value []byte) bool) {
	for _, op := range b.ops {
		if op.kind == kindSet && !fn(op.key, op.value) {
			return
		}
	}
}

// Len returns the number of operations in the batch.
func (b *Batch) Len() int { return len(b.ops) }

// Encode returns the batch as bytes for a WAL record:
//
//	uvarint count, then per operation: kind byte (0 delete, 1 set, 2
//	range delete), uvarint key length, key (a range delete's start), and
//	for a set or a range delete uvarint value length, value (the range
//	delete's end).
func (b *Batch) Encode() []byte {
	return b.AppendEncoded(nil)
}

// AppendEncoded appends Encode's bytes to dst, growing it at most once; a
// writer that keeps dst from record to record encodes without allocating.
func (b *Batch) AppendEncoded(dst []byte) []byte {
	size := binary.MaxVarintLen64
	for _, op := range b.ops {
		size += 1 + 2*binary.MaxVarintLen64 + len(op.key) + len(op.value)
	}
	out := slices.Grow(dst, size)
	out = binary.AppendUvarint(out, uint64(len(b.ops)))
	for _, op := range b.ops {
		out = append(out, op.kind)
		out = binary.AppendUvarint(out, uint64(len(op.key)))
		out = append(out, op.key...)
		if op.kind == kindSet || op.kind == kindRangeDelete {
			out = binary.AppendUvarint(out, uint64(len(op.value)))
			out = append(out, op.value...)
		}
	}
	return out
}

// DecodeBatch parses bytes made by Encode. Malformed input returns an error
// wrapping ErrCorrupt. The batch copies what it needs from data.
func DecodeBatch(data []byte) (*Batch, error) {
	d := decoder{buf: data}
	count := d.uvarint()
	// Every operation takes at least two bytes: bound the allocation.
	if d.err == nil && count > uint64(len(data)/2) {
		return nil, fmt.Errorf("%w: batch claims %d operations in %d bytes", ErrCorrupt, count, len(data))
	}
	b := &Batch{ops: make([]batchOp, 0, count)}
	for i := uint64(0); i < count && d.err == nil; i++ {
		kind := d.byte()
		key := d.bytes()
		switch kind {
		case kindSet:
			value := d.bytes()
			if d.err == nil {
				b.Set(key, value)
			}
		case kindDelete:
			if d.err == nil {
				b.Delete(key)
			}
		case kindRangeDelete:
			end := d.bytes()
			if d.err == nil {
				b.DeleteRange(key, end)
			}
		default:
			if d.err == nil {
				d.err = fmt.Errorf("unknown operation kind %d", kind)
			}
		}
	}
	if d.err == nil && len(d.buf) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.buf))
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: batch: %w", ErrCorrupt, d.err)
	}
	return b, nil
}

// decoder reads varint-framed fields and remembers the first error, so
// callers check once. It never panics on short or hostile input.
type decoder struct {
	buf []byte
	err error
}

var errShort = errors.New("unexpected end of data")

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.err = errors.New("bad uvarint")
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.buf) == 0 {
		d.err = errShort
		return 0
	}
	c := d.buf[0]
	d.buf = d.buf[1:]
	return c
}

// take returns the next n bytes (aliasing the input).
func (d *decoder) take(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.buf)) {
		d.err = fmt.Errorf("length %d beyond end of data (%d bytes left)", n, len(d.buf))
		return nil
	}
	out := d.buf[:n:n]
	d.buf = d.buf[n:]
	return out
}

// bytes reads a uvarint length and that many bytes.
func (d *decoder) bytes() []byte {
	return d.take(d.uvarint())
}
