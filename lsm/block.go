package lsm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// Data block format (table versions 3 and 4; see doc.go):
//
//	entry*      uvarint shared, uvarint unshared, uvarint value length,
//	            kind byte, unshared key bytes, value bytes
//	restarts    u32 offset of each restart entry, little-endian
//	count       u32 number of restarts (at least 1)
//
// An entry's key is the first shared bytes of the previous entry's key
// followed by its unshared bytes. Every restartInterval-th entry is a
// restart: shared is 0, so its key is whole in the block and a binary
// search over the restarts finds the interval holding a key.

// blockWriter builds one data block.
type blockWriter struct {
	buf      []byte
	restarts []uint32
	lastKey  []byte
	entries  int
}

func (w *blockWriter) add(key, value []byte, kind byte) {
	shared := 0
	if w.entries%restartInterval == 0 {
		w.restarts = append(w.restarts, uint32(len(w.buf)))
	} else {
		shared = sharedPrefixLen(w.lastKey, key)
	}
	w.buf = binary.AppendUvarint(w.buf, uint64(shared))
	w.buf = binary.AppendUvarint(w.buf, uint64(len(key)-shared))
	w.buf = binary.AppendUvarint(w.buf, uint64(len(value)))
	w.buf = append(w.buf, kind)
	w.buf = append(w.buf, key[shared:]...)
	w.buf = append(w.buf, value...)
	w.lastKey = append(w.lastKey[:0], key...)
	w.entries++
}

// size is the encoded size of the block if finished now.
func (w *blockWriter) size() int { return len(w.buf) + 4*len(w.restarts) + 4 }

func (w *blockWriter) empty() bool { return w.entries == 0 }

// finish appends the restart array and returns the block, which stays
// valid until the next reset.
func (w *blockWriter) finish() []byte {
	for _, r := range w.restarts {
		w.buf = binary.LittleEndian.AppendUint32(w.buf, r)
	}
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(w.restarts)))
	return w.buf
}

func (w *blockWriter) reset() {
	w.buf, w.restarts, w.entries = w.buf[:0], w.restarts[:0], 0
}

func sharedPrefixLen(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// block is a parsed data block: its entries end at restartsOff, where the
// restart array starts. A block returned by table.readBlock passed
// checkBlock and is shared and immutable.
type block struct {
	data        []byte
	restartsOff int
	restarts    int
}

var (
	errBlockShort    = errors.New("block shorter than its restart count")
	errRestartsCount = errors.New("restart count out of range")
	errRestartsOrder = errors.New("restart offsets out of order or out of range")
	errEntry         = errors.New("malformed entry")
	errRestartShared = errors.New("restart entry shares a prefix")
)

// parseBlock checks the restart array's bounds and order. Entries are
// checked by checkBlock.
func parseBlock(data []byte) (block, error) {
	if len(data) < 4 {
		return block{}, errBlockShort
	}
	n := binary.LittleEndian.Uint32(data[len(data)-4:])
	if n == 0 || uint64(n) > uint64(len(data)-4)/4 {
		return block{}, fmt.Errorf("%w: %d restarts in %d bytes", errRestartsCount, n, len(data))
	}
	b := block{data: data, restarts: int(n), restartsOff: len(data) - 4 - 4*int(n)}
	prev := -1
	for i := range b.restarts {
		r := b.restart(i)
		if r <= prev || r >= b.restartsOff || (i == 0 && r != 0) {
			return block{}, fmt.Errorf("%w: restart %d at %d", errRestartsOrder, i, r)
		}
		prev = r
	}
	return b, nil
}

func (b *block) restart(i int) int {
	return int(binary.LittleEndian.Uint32(b.data[b.restartsOff+4*i:]))
}

// uvarintAt decodes a uvarint at off, never reading at or past end; n is 0
// when it is malformed or runs past end.
func uvarintAt(data []byte, off, end int) (v uint64, n int) {
	if off < end && data[off] < 0x80 {
		return uint64(data[off]), 1
	}
	if off >= end {
		return 0, 0
	}
	v, n = binary.Uvarint(data[off:end])
	if n <= 0 {
		return 0, 0
	}
	return v, n
}

// entryHeader is one decoded entry header; the key suffix is
// data[keyOff:valueOff] and the value data[valueOff:end].
type entryHeader struct {
	shared   int
	keyOff   int
	valueOff int
	end      int
	kind     byte
}

// decodeEntry decodes the entry header at off; ok is false if the entry is
// malformed or overruns the entries. prevKeyLen bounds shared.
func (b *block) decodeEntry(off, prevKeyLen int) (h entryHeader, ok bool) {
	end := b.restartsOff
	var shared, unshared, vlen uint64
	var kind byte
	if off >= 0 && off+4 <= end && b.data[off]|b.data[off+1]|b.data[off+2] < 0x80 {
		// The common header: three one-byte uvarints and the kind.
		shared, unshared, vlen = uint64(b.data[off]), uint64(b.data[off+1]), uint64(b.data[off+2])
		kind = b.data[off+3]
		off += 4
	} else {
		var n1, n2, n3 int
		shared, n1 = uvarintAt(b.data, off, end)
		if n1 == 0 {
			return h, false
		}
		off += n1
		unshared, n2 = uvarintAt(b.data, off, end)
		if n2 == 0 {
			return h, false
		}
		off += n2
		vlen, n3 = uvarintAt(b.data, off, end)
		if n3 == 0 || off+n3 >= end {
			return h, false
		}
		off += n3
		kind = b.data[off]
		off++
	}
	if shared > uint64(prevKeyLen) || unshared > uint64(end-off) || vlen > uint64(end-off)-unshared ||
		(kind != kindSet && kind != kindDelete) {
		return h, false
	}
	h = entryHeader{shared: int(shared), keyOff: off, valueOff: off + int(unshared), kind: kind}
	h.end = h.valueOff + int(vlen)
	return h, true
}

// restartKey returns the key of restart entry i, which lies whole in the
// block.
func (b *block) restartKey(i int) ([]byte, bool) {
	off := b.restart(i)
	// Fast path: shared 0 and one-byte key and value lengths, the usual
	// header of a restart entry.
	if off+4 <= b.restartsOff && b.data[off] == 0 && b.data[off+1] < 0x80 && b.data[off+2] < 0x80 {
		end := off + 4 + int(b.data[off+1])
		if end <= b.restartsOff {
			return b.data[off+4 : end], true
		}
	}
	h, ok := b.decodeEntry(off, 0)
	if !ok {
		return nil, false
	}
	return b.data[h.keyOff:h.valueOff], true
}

// checkBlock walks every entry of a parsed block and checks that each
// decodes within the block, that every restart offset is an entry with no
// shared prefix, that keys strictly increase, and that the last key is
// lastKey (from the index). A block that passes is safe to iterate and
// cache.
func checkBlock(b block, lastKey []byte) error {
	var keyBuf [64]byte // most keys fit: no allocation
	key := keyBuf[:0]
	nextRestart := 0
	entries := 0
	for off := 0; off < b.restartsOff; entries++ {
		h, ok := b.decodeEntry(off, len(key))
		if !ok {
			return fmt.Errorf("%w at offset %d", errEntry, off)
		}
		if nextRestart < b.restarts && off == b.restart(nextRestart) {
			if h.shared != 0 {
				return fmt.Errorf("%w: restart %d", errRestartShared, nextRestart)
			}
			nextRestart++
		} else if nextRestart < b.restarts && off > b.restart(nextRestart) {
			return fmt.Errorf("%w: restart %d at %d is inside an entry", errRestartsOrder, nextRestart, b.restart(nextRestart))
		}
		suffix := b.data[h.keyOff:h.valueOff]
		// key and the new key share key[:shared]: the order is decided
		// by what follows.
		if entries > 0 && bytes.Compare(suffix, key[h.shared:]) <= 0 {
			return fmt.Errorf("keys out of order at offset %d", off)
		}
		key = append(key[:h.shared], suffix...)
		off = h.end
	}
	if nextRestart != b.restarts {
		return fmt.Errorf("%w: %d of %d restarts are entries", errRestartsOrder, nextRestart, b.restarts)
	}
	if entries == 0 || !bytes.Equal(key, lastKey) {
		return errors.New("last key does not match the index")
	}
	return nil
}

// blockIter walks one checked block, decoding one entry at a time. The key
// of a restart entry (no shared prefix) aliases the block; any other key
// is rebuilt in the iterator's buffer. Either way it is valid until the
// iterator moves; the value aliases the block.
type blockIter struct {
	b       block
	off     int // current entry; b.restartsOff when past the end
	nextOff int
	key     []byte
	buf     []byte // holds key when keyInBuf
	value   []byte
	kind    byte
	valid   bool
	// keyInBuf says key is buf (rebuilt), not a slice of the block.
	keyInBuf bool
	err      error // errEntry: only for a block that skipped checkBlock
}

func (it *blockIter) init(b block) {
	it.b, it.valid, it.err = b, false, nil
	it.key = nil
}

// decodeAt makes the entry at off current; it.key holds the previous
// entry's key (or anything, at a restart).
func (it *blockIter) decodeAt(off int) bool {
	if off >= it.b.restartsOff {
		it.off, it.valid = it.b.restartsOff, false
		return false
	}
	h, ok := it.b.decodeEntry(off, len(it.key))
	if !ok {
		it.valid, it.err = false, fmt.Errorf("%w at offset %d", errEntry, off)
		return false
	}
	suffix := it.b.data[h.keyOff:h.valueOff:h.valueOff]
	switch {
	case h.shared == 0:
		// Capped: an append to the key cannot reach the value.
		it.key, it.keyInBuf = suffix, false
	case it.keyInBuf:
		it.buf = append(it.buf[:h.shared], suffix...)
		it.key = it.buf
	default:
		it.buf = append(append(it.buf[:0], it.key[:h.shared]...), suffix...)
		it.key, it.keyInBuf = it.buf, true
	}
	it.value = it.b.data[h.valueOff:h.end:h.end]
	it.kind = h.kind
	it.off, it.nextOff, it.valid = off, h.end, true
	return true
}

func (it *blockIter) first() bool {
	it.key = nil
	return it.decodeAt(0)
}

func (it *blockIter) next() bool {
	if !it.valid {
		return false
	}
	return it.decodeAt(it.nextOff)
}

// seekToRestart positions at restart entry i.
func (it *blockIter) seekToRestart(i int) bool {
	it.key = nil
	return it.decodeAt(it.b.restart(i))
}

func (it *blockIter) last() bool {
	if !it.seekToRestart(it.b.restarts - 1) {
		return false
	}
	for it.nextOff < it.b.restartsOff {
		if !it.decodeAt(it.nextOff) {
			return false
		}
	}
	return true
}

// prev moves to the entry before the current one: it decodes forward from
// the restart before it (at most restartInterval entries).
func (it *blockIter) prev() bool {
	if !it.valid {
		return false
	}
	target := it.off
	if target == 0 {
		it.valid = false
		return false
	}
	// The last restart before the current entry.
	r := sort.Search(it.b.restarts, func(i int) bool { return it.b.restart(i) >= target }) - 1
	if !it.seekToRestart(r) {
		return false
	}
	for it.nextOff < target {
		if !it.decodeAt(it.nextOff) {
			return false
		}
	}
	return true
}

// seekGE positions at the first entry with key >= target; false if there
// is none in the block.
func (it *blockIter) seekGE(target []byte) bool {
	// The first restart whose key is >= target; the answer lies in the
	// interval before it, or is that restart.
	lo, hi := 0, it.b.restarts
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		k, ok := it.b.restartKey(mid)
		if !ok {
			it.valid, it.err = false, fmt.Errorf("%w at restart %d", errEntry, mid)
			return false
		}
		if bytes.Compare(k, target) >= 0 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	r := lo
	if !it.seekToRestart(max(r-1, 0)) {
		return false
	}
	for bytes.Compare(it.key, target) < 0 {
		if !it.next() {
			return false
		}
	}
	return true
}
