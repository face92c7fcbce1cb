package lsm

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"sync/atomic"

	"github.com/cairndb/cairn/internal/vfs"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	tableMagic uint64 = 0x636169726e737374 // "cairnsst"
	// tableVersion is what the writer produces (prefix-compressed data
	// blocks with restart points); readers also accept tableVersion2
	// (plain data blocks) and tableVersion1 (plain data blocks, no bloom
	// filter, shorter footer).
	tableVersion  uint32 = 3
	tableVersion2 uint32 = 2
	tableVersion1 uint32 = 1
	footerSize           = 60 // versions 2 and 3
	footerSizeV1         = 44
	crcSize              = 4
)

func tableName(fileNum uint64) string { return fmt.Sprintf("%06d.sst", fileNum) }

// indexEntry locates one data block.
type indexEntry struct {
	lastKey []byte
	offset  uint64
	length  uint64 // excluding the CRC
}

// tableWriter writes a table from entries added in strictly increasing key
// order.
type tableWriter struct {
	w       *bufio.Writer
	version uint32 // tableVersion; older versions only in tests
	block   blockWriter
	legacy  []byte // the block being built, for versions 1 and 2
	lastKey []byte
	offset  uint64
	index   []indexEntry
	count   uint64
	// filter is sized for the expected keys and fitted to the keys
	// actually written when the table is finished (a compaction that
	// drops most of its input must not write a filter sized for all of it).
	filter bloomFilter
	// filterKey, if set, maps a key to what the filter holds (the user
	// part of an internal key); otherwise the key itself.
	filterKey func(key []byte) []byte
}

// newTableWriter returns a table writer whose bloom filter starts sized for
// expectedKeys keys (an upper bound).
func newTableWriter(f vfs.File, expectedKeys uint64) *tableWriter {
	return &tableWriter{
		w:       bufio.NewWriterSize(f, 64<<10),
		version: tableVersion,
		filter:  newBloomFilter(expectedKeys),
	}
}

func (tw *tableWriter) add(e entry) error {
	if tw.count > 0 && bytes.Compare(tw.lastKey, e.key) >= 0 {
		return fmt.Errorf("lsm: table writer: key %q after %q", e.key, tw.lastKey)
	}
	kind := kindSet
	if e.deleted {
		kind = kindDelete
	}
	size := 0
	if tw.version == tableVersion {
		tw.block.add(e.key, e.value, kind)
		size = tw.block.size()
	} else {
		tw.legacy = appendLegacyEntry(tw.legacy, e.key, e.value, kind)
		size = len(tw.legacy)
	}
	tw.lastKey = append(tw.lastKey[:0], e.key...)
	tw.count++
	// Tombstones go in the filter too: Get must find them to stop looking
	// in older tables.
	fk := e.key
	if tw.filterKey != nil {
		fk = tw.filterKey(e.key)
	}
	tw.filter.add(keyHash(fk))
	if size >= blockSizeTarget {
		return tw.finishBlock()
	}
	return nil
}

// appendLegacyEntry appends a version 1 and 2 data-block entry: uvarint
// key length, uvarint value length, kind, key, value.
func appendLegacyEntry(dst, key, value []byte, kind byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(key)))
	dst = binary.AppendUvarint(dst, uint64(len(value)))
	dst = append(dst, kind)
	dst = append(dst, key...)
	return append(dst, value...)
}

// writeChecked writes data followed by its CRC-32C.
func (tw *tableWriter) writeChecked(data []byte) error {
	var sum [crcSize]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.Checksum(data, castagnoli))
	if _, err := tw.w.Write(data); err != nil {
		return err
	}
	_, err := tw.w.Write(sum[:])
	return err
}

func (tw *tableWriter) finishBlock() error {
	var data []byte
	if tw.version == tableVersion {
		if tw.block.empty() {
			return nil
		}
		data = tw.block.finish()
		tw.block.reset()
	} else {
		if len(tw.legacy) == 0 {
			return nil
		}
		data = tw.legacy
		tw.legacy = tw.legacy[:0]
	}
	if err := tw.writeChecked(data); err != nil {
		return err
	}
	tw.index = append(tw.index, indexEntry{
		lastKey: append([]byte(nil), tw.lastKey...),
		offset:  tw.offset,
		length:  uint64(len(data)),
	})
	tw.offset += uint64(len(data)) + crcSize
	return nil
}

// finish writes the last block, the filter, the index and the footer, and
// flushes the buffer (the caller syncs the file).
func (tw *tableWriter) finish() error {
	if err := tw.finishBlock(); err != nil {
		return err
	}
	filterOff, filterLen := tw.offset, uint64(0)
	if tw.version != tableVersion1 {
		tw.filter.fit(tw.count)
		fb := tw.filter.encode()
		if err := tw.writeChecked(fb); err != nil {
			return err
		}
		filterLen = uint64(len(fb))
		tw.offset += filterLen + crcSize
	}
	idx := binary.AppendUvarint(nil, uint64(len(tw.index)))
	for _, ie := range tw.index {
		idx = binary.AppendUvarint(idx, uint64(len(ie.lastKey)))
		idx = append(idx, ie.lastKey...)
		idx = binary.AppendUvarint(idx, ie.offset)
		idx = binary.AppendUvarint(idx, ie.length)
	}
	if err := tw.writeChecked(idx); err != nil {
		return err
	}
	// Version 2 prefixes the version 1 footer with the filter's offset and
	// length, so every other field sits at the same distance from the end.
	var buf [footerSize]byte
	footer := buf[:]
	if tw.version == tableVersion1 {
		footer = buf[footerSize-footerSizeV1:]
	} else {
		binary.LittleEndian.PutUint64(buf[0:8], filterOff)
		binary.LittleEndian.PutUint64(buf[8:16], filterLen)
	}
	tail := buf[footerSize-footerSizeV1:]
	binary.LittleEndian.PutUint64(tail[0:8], tw.offset)
	binary.LittleEndian.PutUint64(tail[8:16], uint64(len(idx)))
	binary.LittleEndian.PutUint64(tail[16:24], tw.count)
	binary.LittleEndian.PutUint32(tail[24:28], 0) // flags
	binary.LittleEndian.PutUint32(tail[28:32], tw.version)
	binary.LittleEndian.PutUint32(tail[32:36], crc32.Checksum(footer[:len(footer)-12], castagnoli))
	binary.LittleEndian.PutUint64(tail[36:44], tableMagic)
	if _, err := tw.w.Write(footer); err != nil {
		return err
	}
	return tw.w.Flush()
}

// readStats counts table reads for DB.Metrics. Shared by a DB's tables.
type readStats struct {
	blockReads  atomic.Uint64 // data blocks read from files
	filterSkips atomic.Uint64 // table lookups answered by a bloom filter
}

// table is an open, immutable table file.
type table struct {
	fileNum uint64
	name    string
	f       vfs.File
	version uint32
	index   []indexEntry
	count   uint64
	filter  bloomFilter // nil bits for version 1 tables
	cache   *blockCache // nil when the DB has no cache
	stats   *readStats

	// refs counts the table list that names the table plus every Get,
	// iterator and compaction reading it. The file is closed and removed
	// when an obsolete table (replaced by a compaction) drops to zero.
	refs atomic.Int32
}

func corruptf(name string, format string, args ...any) error {
	return fmt.Errorf("%w: table %s: %s", ErrCorrupt, name, fmt.Sprintf(format, args...))
}

// openTable opens a table file and loads its index and filter.
func openTable(fs vfs.FS, name string, fileNum uint64, cache *blockCache, stats *readStats) (*table, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, fmt.Errorf("lsm: open table: %w", err)
	}
	t, err := loadTable(f, name, fileNum)
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	t.cache, t.stats = cache, stats
	return t, nil
}

func loadTable(f vfs.File, name string, fileNum uint64) (*table, error) {
	size, err := f.Size()
	if err != nil {
		return nil, fmt.Errorf("lsm: size of table %s: %w", name, err)
	}
	if size < footerSizeV1 {
		return nil, corruptf(name, "%d bytes, shorter than the footer", size)
	}
	// Read the longest footer the file can hold; the version field, at
	// the same distance from the end in every version, says which it is.
	buf := make([]byte, min(size, footerSize))
	if _, err := f.ReadAt(buf, size-int64(len(buf))); err != nil {
		return nil, fmt.Errorf("lsm: read footer of %s: %w", name, err)
	}
	tail := buf[len(buf)-footerSizeV1:]
	if binary.LittleEndian.Uint64(tail[36:44]) != tableMagic {
		return nil, corruptf(name, "bad magic number")
	}
	version := binary.LittleEndian.Uint32(tail[28:32])
	var footer []byte
	switch {
	case version == tableVersion1:
		footer = tail
	case (version == tableVersion || version == tableVersion2) && len(buf) == footerSize:
		footer = buf
	default:
		return nil, corruptf(name, "unsupported format version %d", version)
	}
	if crc32.Checksum(footer[:len(footer)-12], castagnoli) != binary.LittleEndian.Uint32(tail[32:36]) {
		return nil, corruptf(name, "footer checksum mismatch")
	}
	indexOff := binary.LittleEndian.Uint64(tail[0:8])
	indexLen := binary.LittleEndian.Uint64(tail[8:16])
	count := binary.LittleEndian.Uint64(tail[16:24])
	flags := binary.LittleEndian.Uint32(tail[24:28])
	if flags != 0 {
		return nil, corruptf(name, "unsupported flags %#x", flags)
	}
	dataEnd := uint64(size) - uint64(len(footer))
	if indexLen > maxIndexBytes || indexOff > dataEnd || indexLen+crcSize > dataEnd-indexOff {
		return nil, corruptf(name, "index at %d length %d outside file of %d bytes", indexOff, indexLen, size)
	}
	// Data blocks end where the filter starts (version 2) or the index
	// starts (version 1).
	blocksEnd := indexOff
	var filter bloomFilter
	if version != tableVersion1 {
		filterOff := binary.LittleEndian.Uint64(footer[0:8])
		filterLen := binary.LittleEndian.Uint64(footer[8:16])
		if filterLen > maxFilterBytes+1 || filterOff > indexOff || filterLen+crcSize != indexOff-filterOff {
			return nil, corruptf(name, "filter at %d length %d does not end at the index (%d)", filterOff, filterLen, indexOff)
		}
		fb, err := readChecked(f, name, filterOff, filterLen)
		if err != nil {
			return nil, err
		}
		var ok bool
		if filter, ok = decodeBloomFilter(fb); !ok {
			return nil, corruptf(name, "malformed filter block")
		}
		blocksEnd = filterOff
	}
	idx, err := readChecked(f, name, indexOff, indexLen)
	if err != nil {
		return nil, err
	}
	d := decoder{buf: idx}
	n := d.uvarint()
	if d.err == nil && n > uint64(len(idx)) {
		return nil, corruptf(name, "index claims %d blocks", n)
	}
	t := &table{fileNum: fileNum, name: name, f: f, version: version, count: count, filter: filter}
	var prevEnd uint64
	for i := uint64(0); i < n && d.err == nil; i++ {
		ie := indexEntry{lastKey: d.bytes(), offset: d.uvarint(), length: d.uvarint()}
		if d.err != nil {
			break
		}
		if ie.offset != prevEnd || ie.length > maxBlockBytes || ie.offset+ie.length+crcSize > blocksEnd {
			return nil, corruptf(name, "index entry %d: block at %d length %d does not fit", i, ie.offset, ie.length)
		}
		if i > 0 && bytes.Compare(t.index[i-1].lastKey, ie.lastKey) >= 0 {
			return nil, corruptf(name, "index keys out of order at block %d", i)
		}
		prevEnd = ie.offset + ie.length + crcSize
		t.index = append(t.index, ie)
	}
	if d.err == nil && len(d.buf) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.buf))
	}
	if d.err != nil {
		return nil, corruptf(name, "index: %v", d.err)
	}
	if prevEnd != blocksEnd {
		return nil, corruptf(name, "data blocks end at %d, filter or index starts at %d", prevEnd, blocksEnd)
	}
	return t, nil
}

// readChecked reads length bytes at off followed by a CRC-32C and verifies it.
func readChecked(f vfs.File, name string, off, length uint64) ([]byte, error) {
	buf := make([]byte, length+crcSize)
	if _, err := f.ReadAt(buf, int64(off)); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, corruptf(name, "block at %d length %d beyond end of file", off, length)
		}
		return nil, fmt.Errorf("lsm: read table %s at %d: %w", name, off, err)
	}
	data := buf[:length]
	if crc32.Checksum(data, castagnoli) != binary.LittleEndian.Uint32(buf[length:]) {
		return nil, corruptf(name, "checksum mismatch in block at offset %d", off)
	}
	return data, nil
}

// readBlock returns data block i, from the cache or else read, verified
// (CRC, then checkBlock) and parsed from the file, and then cached if
// fillCache. The block is shared and must not be modified.
func (t *table) readBlock(i int, fillCache bool) (block, error) {
	ie := t.index[i]
	k := blockKey{fileNum: t.fileNum, offset: ie.offset}
	if t.cache != nil {
		if b, ok := t.cache.get(k); ok {
			return b, nil
		}
	}
	b, err := t.loadBlock(i)
	if err != nil {
		return block{}, err
	}
	if t.cache != nil && fillCache {
		t.cache.add(k, b, blockCharge(len(b.data)))
	}
	return b, nil
}

func (t *table) loadBlock(i int) (block, error) {
	ie := t.index[i]
	if t.stats != nil {
		t.stats.blockReads.Add(1)
	}
	data, err := readChecked(t.f, t.name, ie.offset, ie.length)
	if err != nil {
		return block{}, err
	}
	if t.version != tableVersion {
		if data, err = convertLegacyBlock(data); err != nil {
			return block{}, corruptf(t.name, "block %d: %v", i, err)
		}
	}
	b, err := parseBlock(data)
	if err == nil {
		err = checkBlock(b, ie.lastKey)
	}
	if err != nil {
		return block{}, corruptf(t.name, "block %d: %v", i, err)
	}
	return b, nil
}

// convertLegacyBlock re-encodes a version 1 or 2 data block (entries of
// uvarint key length, uvarint value length, kind, key, value) in the
// current block format, so that one iterator serves every version. The
// result is checked like a block read from a current table.
func convertLegacyBlock(data []byte) ([]byte, error) {
	var w blockWriter
	d := decoder{buf: data}
	for len(d.buf) > 0 && d.err == nil {
		klen := d.uvarint()
		vlen := d.uvarint()
		kind := d.byte()
		key := d.take(klen)
		value := d.take(vlen)
		if d.err != nil {
			break
		}
		if kind != kindSet && kind != kindDelete {
			return nil, fmt.Errorf("unknown entry kind %d", kind)
		}
		w.add(key, value, kind)
	}
	if d.err != nil {
		return nil, d.err
	}
	if w.empty() {
		return nil, errors.New("empty block")
	}
	return w.finish(), nil
}

// findBlock returns the first block whose last key is >= key, or
// len(t.index).
func (t *table) findBlock(key []byte) int {
	return sort.Search(len(t.index), func(i int) bool {
		return bytes.Compare(t.index[i].lastKey, key) >= 0
	})
}

// get returns the table's entry for key (possibly a tombstone); h is
// keyHash(key). The value aliases a shared block.
func (t *table) get(key []byte, h uint64) (entry, bool, error) {
	if !t.filter.mayContain(h) {
		if t.stats != nil {
			t.stats.filterSkips.Add(1)
		}
		return entry{}, false, nil
	}
	bi := t.findBlock(key)
	if bi == len(t.index) {
		return entry{}, false, nil
	}
	b, err := t.readBlock(bi, true)
	if err != nil {
		return entry{}, false, err
	}
	var it blockIter
	it.init(b)
	if !it.seekGE(key) {
		if it.err != nil {
			return entry{}, false, corruptf(t.name, "block %d: %v", bi, it.err)
		}
		return entry{}, false, nil
	}
	if !bytes.Equal(it.key, key) {
		return entry{}, false, nil
	}
	return entry{key: key, value: it.value, deleted: it.kind == kindDelete}, true, nil
}

func (t *table) close() error {
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("lsm: close table %s: %w", t.name, err)
	}
	return nil
}
