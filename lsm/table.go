package lsm

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cairndb/cairn/internal/vfs"
	"github.com/golang/snappy"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const (
	tableMagic uint64 = 0x636169726e737374 // "cairnsst"
	// tableVersion is what the writer produces: partitioned index and
	// filter, and a compression type byte in every block's trailer.
	// Readers also accept versions 1 to 3 (one index block and one filter
	// loaded whole; see doc.go).
	tableVersion  uint32 = 4
	tableVersion3 uint32 = 3
	tableVersion2 uint32 = 2
	tableVersion1 uint32 = 1
	footerSize           = 60 // versions 2 to 4
	footerSizeV1         = 44
	crcSize              = 4
	// blockTrailerSize is the compression type byte and the CRC after
	// every version 4 block; older versions have only the CRC.
	blockTrailerSize = 1 + crcSize
)

// Compression types, the byte before each version 4 block's CRC.
const (
	compressionNone   byte = 0
	compressionSnappy byte = 1 // the Snappy block format (not its framing format)
)

func tableName(fileNum uint64) string { return fmt.Sprintf("%06d.sst", fileNum) }

// blockHandle locates a block; length excludes the trailer.
type blockHandle struct {
	offset, length uint64
}

// indexEntry locates one data block: the last key in it, and where it is.
type indexEntry struct {
	lastKey []byte
	h       blockHandle
}

// partition is a run of data blocks filling [dataOff, dataEnd), the
// filter of their keys (filterLen 0: none, version 1) starting at
// dataEnd, and the index partition locating them.
type partition struct {
	dataOff, dataEnd uint64
	filterLen        uint64
	index            blockHandle
}

func (p partition) filter() blockHandle { return blockHandle{offset: p.dataEnd, length: p.filterLen} }

// topEntry is one partition and the last key in it.
type topEntry struct {
	lastKey []byte
	p       partition
	refs    *partitionRefs
}

// partitionRefs reach a partition's filter and index in the cache without
// a lookup while they are cached.
type partitionRefs struct {
	filter, index cacheRef
}

// Bytes a parsed index holds per entry beyond its block's bytes (the keys
// alias the block), charged to the cache.
const (
	indexEntryBytes = int64(unsafe.Sizeof(indexEntry{}))
	topEntryBytes   = int64(unsafe.Sizeof(topEntry{}) + unsafe.Sizeof(partitionRefs{}))
)

// searchIndex returns the first entry whose last key is >= key, or
// len(idx).
func searchIndex(idx []indexEntry, key []byte) int {
	lo, hi := 0, len(idx)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if bytes.Compare(idx[mid].lastKey, key) >= 0 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// searchTop is searchIndex for the top index.
func searchTop(top []topEntry, key []byte) int {
	lo, hi := 0, len(top)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if bytes.Compare(top[mid].lastKey, key) >= 0 {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// tableWriter writes a table from entries added in strictly increasing key
// order. It holds one data block, one index partition, the hashes of the
// partition's keys and the top index in memory.
type tableWriter struct {
	w           *bufio.Writer
	compression byte // compressionNone or compressionSnappy
	compressed  []byte
	block       blockWriter // data block being built
	index       []byte      // entries of the index partition being built
	indexCount  int
	top         []byte // entries of the top index
	topCount    int
	hashes      []uint64 // keys of the partition being built
	lastKey     []byte
	offset      uint64
	// partStart is where the data blocks of the partition being built
	// start.
	partStart uint64
	count     uint64
	scratch   []byte
	// filterKey, if set, maps a key to what the filters hold (the user
	// part of an internal key); otherwise the key itself.
	filterKey func(key []byte) []byte
}

// newTableWriter returns a table writer that compresses blocks with
// compression (a compression type byte); expectedKeys (an upper bound)
// sizes its buffer of key hashes.
func newTableWriter(f vfs.File, compression byte, expectedKeys uint64) *tableWriter {
	return &tableWriter{
		w:           bufio.NewWriterSize(f, 64<<10),
		compression: compression,
		hashes:      make([]uint64, 0, min(expectedKeys, filterPartitionKeysMax)),
	}
}

func (tw *tableWriter) add(e entry) error {
	if tw.count > 0 && bytes.Compare(tw.lastKey, e.key) >= 0 {
		return fmt.Errorf("lsm: table writer: key %q after %q", e.key, tw.lastKey)
	}
	if len(tw.hashes) >= filterPartitionKeysMax {
		// The partition is full: cut its last block short.
		if err := tw.finishBlock(); err != nil {
			return err
		}
	}
	kind := kindSet
	if e.deleted {
		kind = kindDelete
	}
	tw.block.add(e.key, e.value, kind)
	tw.lastKey = append(tw.lastKey[:0], e.key...)
	tw.count++
	// Tombstones go in the filter too: Get must find them to stop looking
	// in older tables.
	fk := e.key
	if tw.filterKey != nil {
		fk = tw.filterKey(e.key)
	}
	tw.hashes = append(tw.hashes, keyHash(fk))
	if tw.block.size() >= blockSizeTarget {
		return tw.finishBlock()
	}
	return nil
}

// writeBlock writes data, compressed if the writer compresses and it
// saves at least 1/8 of the bytes, and its trailer (compression type,
// CRC-32C of the stored bytes and the type), and returns its handle.
// Filters are written with compress false: their bits do not compress.
func (tw *tableWriter) writeBlock(data []byte, compress bool) (blockHandle, error) {
	var trailer [blockTrailerSize]byte
	trailer[0] = compressionNone
	if compress && tw.compression == compressionSnappy {
		tw.compressed = snappy.Encode(tw.compressed[:cap(tw.compressed)], data)
		if len(tw.compressed) <= len(data)-len(data)/8 {
			data, trailer[0] = tw.compressed, compressionSnappy
		}
	}
	crc := crc32.Update(crc32.Checksum(data, castagnoli), castagnoli, trailer[:1])
	binary.LittleEndian.PutUint32(trailer[1:], crc)
	h := blockHandle{offset: tw.offset, length: uint64(len(data))}
	if _, err := tw.w.Write(data); err != nil {
		return h, err
	}
	if _, err := tw.w.Write(trailer[:]); err != nil {
		return h, err
	}
	tw.offset += uint64(len(data)) + blockTrailerSize
	return h, nil
}

// writeIndex writes an index block: uvarint count, then the entries.
func (tw *tableWriter) writeIndex(count int, entries []byte) (blockHandle, error) {
	tw.scratch = binary.AppendUvarint(tw.scratch[:0], uint64(count))
	tw.scratch = append(tw.scratch, entries...)
	return tw.writeBlock(tw.scratch, true)
}

// finishBlock writes the data block being built and indexes it; a full
// partition is then finished too.
func (tw *tableWriter) finishBlock() error {
	if tw.block.empty() {
		return nil
	}
	h, err := tw.writeBlock(tw.block.finish(), true)
	tw.block.reset()
	if err != nil {
		return err
	}
	tw.index = appendIndexEntry(tw.index, tw.lastKey, h)
	tw.indexCount++
	if len(tw.index) >= indexPartitionBytesTarget || len(tw.hashes) >= filterPartitionKeysMax {
		return tw.finishPartition()
	}
	return nil
}

// appendIndexEntry appends an index partition entry: uvarint key length,
// the block's last key, uvarint offset, uvarint length.
func appendIndexEntry(dst, lastKey []byte, h blockHandle) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(lastKey)))
	dst = append(dst, lastKey...)
	dst = binary.AppendUvarint(dst, h.offset)
	return binary.AppendUvarint(dst, h.length)
}

// appendTopEntry appends a top index entry: uvarint key length, the
// partition's last key, then uvarint data offset, data end (the filter's
// offset), filter length, index offset and index length.
func appendTopEntry(dst, lastKey []byte, p partition) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(lastKey)))
	dst = append(dst, lastKey...)
	for _, v := range []uint64{p.dataOff, p.dataEnd, p.filterLen, p.index.offset, p.index.length} {
		dst = binary.AppendUvarint(dst, v)
	}
	return dst
}

// finishPartition writes the filter of the partition's keys and its index
// partition, and adds it to the top index.
func (tw *tableWriter) finishPartition() error {
	if tw.indexCount == 0 {
		return nil
	}
	p := partition{dataOff: tw.partStart, dataEnd: tw.offset}
	f := newBloomFilter(uint64(len(tw.hashes)))
	for _, h := range tw.hashes {
		f.add(h)
	}
	fh, err := tw.writeBlock(f.encode(), false)
	if err != nil {
		return err
	}
	p.filterLen = fh.length
	if p.index, err = tw.writeIndex(tw.indexCount, tw.index); err != nil {
		return err
	}
	tw.index, tw.indexCount = tw.index[:0], 0
	tw.hashes = tw.hashes[:0]
	tw.partStart = tw.offset
	tw.top = appendTopEntry(tw.top, tw.lastKey, p)
	tw.topCount++
	return nil
}

// finish writes the last block and partition, the top index and the
// footer, and flushes the buffer (the caller syncs the file). A table with
// no entries has an empty top index (length 0).
func (tw *tableWriter) finish() error {
	if err := tw.finishBlock(); err != nil {
		return err
	}
	if err := tw.finishPartition(); err != nil {
		return err
	}
	top := blockHandle{offset: tw.offset}
	if tw.topCount > 0 {
		var err error
		if top, err = tw.writeIndex(tw.topCount, tw.top); err != nil {
			return err
		}
	}
	// The first 16 bytes (versions 2 and 3: the filter's offset and
	// length) are reserved and zero; every other field sits at the same
	// distance from the end in every version.
	var buf [footerSize]byte
	tail := buf[footerSize-footerSizeV1:]
	binary.LittleEndian.PutUint64(tail[0:8], top.offset)
	binary.LittleEndian.PutUint64(tail[8:16], top.length)
	binary.LittleEndian.PutUint64(tail[16:24], tw.count)
	binary.LittleEndian.PutUint32(tail[24:28], 0) // flags
	binary.LittleEndian.PutUint32(tail[28:32], tableVersion)
	binary.LittleEndian.PutUint32(tail[32:36], crc32.Checksum(buf[:footerSize-12], castagnoli))
	binary.LittleEndian.PutUint64(tail[36:44], tableMagic)
	if _, err := tw.w.Write(buf[:]); err != nil {
		return err
	}
	return tw.w.Flush()
}

// readStats counts table reads for DB.Metrics. Shared by a DB's tables.
type readStats struct {
	blockReads     atomic.Uint64 // data blocks read from files
	metaBlockReads atomic.Uint64 // index and filter blocks read from files
	filterSkips    atomic.Uint64 // table lookups answered by a bloom filter
}

// table is an open, immutable table file. What it holds in memory is
// constant in the table's size: the footer's fields and the file handle
// (for tables of versions 1 to 3, also a one-entry top index). Its index
// and filter blocks are read through the block cache like data blocks.
type table struct {
	fileNum uint64
	name    string
	f       vfs.File
	version uint32
	count   uint64
	top     blockHandle // the top index (version 4); length 0: no entries
	topRef  cacheRef    // reaches the top index while it is cached
	// legacyTop is the top index of a version 1 to 3 table, built at
	// open: one partition holding every block. nil for version 4.
	legacyTop []topEntry
	cache     *blockCache // nil when the DB has no cache
	stats     *readStats

	// refs counts the table list that names the table plus every Get,
	// iterator and compaction reading it. The file is closed and removed
	// when an obsolete table (replaced by a compaction) drops to zero.
	refs atomic.Int32
}

func corruptf(name string, format string, args ...any) error {
	return fmt.Errorf("%w: table %s: %s", ErrCorrupt, name, fmt.Sprintf(format, args...))
}

// openTable opens a table file, checks its footer and reads its top index
// (verified, and cached if there is a cache).
func openTable(fs vfs.FS, name string, fileNum uint64, cache *blockCache, stats *readStats) (*table, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, fmt.Errorf("lsm: open table: %w", err)
	}
	t, err := loadTable(f, name, fileNum, cache, stats)
	if err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return t, nil
}

func loadTable(f vfs.File, name string, fileNum uint64, cache *blockCache, stats *readStats) (*table, error) {
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
	case version >= tableVersion2 && version <= tableVersion && len(buf) == footerSize:
		footer = buf
	default:
		return nil, corruptf(name, "unsupported format version %d", version)
	}
	if crc32.Checksum(footer[:len(footer)-12], castagnoli) != binary.LittleEndian.Uint32(tail[32:36]) {
		return nil, corruptf(name, "footer checksum mismatch")
	}
	if stats == nil {
		stats = new(readStats)
	}
	t := &table{fileNum: fileNum, name: name, f: f, version: version, cache: cache, stats: stats}
	t.top = blockHandle{offset: binary.LittleEndian.Uint64(tail[0:8]), length: binary.LittleEndian.Uint64(tail[8:16])}
	t.count = binary.LittleEndian.Uint64(tail[16:24])
	if flags := binary.LittleEndian.Uint32(tail[24:28]); flags != 0 {
		return nil, corruptf(name, "unsupported flags %#x", flags)
	}
	dataEnd := uint64(size) - uint64(len(footer))
	if version == tableVersion {
		if binary.LittleEndian.Uint64(footer[0:8]) != 0 || binary.LittleEndian.Uint64(footer[8:16]) != 0 {
			return nil, corruptf(name, "reserved footer bytes are not zero")
		}
		if t.top.length == 0 {
			if t.top.offset != dataEnd || t.count != 0 {
				return nil, corruptf(name, "empty top index at %d, %d entries", t.top.offset, t.count)
			}
			return t, nil
		}
	}
	if t.top.length > maxIndexBytes || t.top.offset > dataEnd || t.top.length+t.trailerSize() != dataEnd-t.top.offset {
		return nil, corruptf(name, "index at %d length %d does not end at the footer (%d)", t.top.offset, t.top.length, dataEnd)
	}
	if version != tableVersion {
		if err := t.loadLegacyTop(footer); err != nil {
			return nil, err
		}
		return t, nil
	}
	// Verify the top index now, so that a damaged table fails at open.
	if _, err := t.topIndex(true); err != nil {
		return nil, err
	}
	return t, nil
}

// loadLegacyTop reads the index of a version 1 to 3 table (one block
// for the whole table, in the index partition format), checks it, and
// builds the one-entry top index that makes the table look like a version
// 4 table of one partition.
func (t *table) loadLegacyTop(footer []byte) error {
	p := partition{index: t.top, dataEnd: t.top.offset}
	if t.version != tableVersion1 {
		filterOff := binary.LittleEndian.Uint64(footer[0:8])
		filterLen := binary.LittleEndian.Uint64(footer[8:16])
		if filterLen > maxFilterBytes+1 || filterOff > t.top.offset || filterLen+crcSize != t.top.offset-filterOff {
			return corruptf(t.name, "filter at %d length %d does not end at the index (%d)", filterOff, filterLen, t.top.offset)
		}
		p.dataEnd, p.filterLen = filterOff, filterLen
	}
	idx, _, err := t.readIndex(p, nil)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		// No blocks: an empty table.
		t.top.length = 0
		return nil
	}
	t.legacyTop = []topEntry{{lastKey: bytes.Clone(idx[len(idx)-1].lastKey), p: p, refs: new(partitionRefs)}}
	return nil
}

func (t *table) trailerSize() uint64 {
	if t.version == tableVersion {
		return blockTrailerSize
	}
	return crcSize
}

// empty reports a table with no entries.
func (t *table) empty() bool { return t.legacyTop == nil && t.top.length == 0 }

// readPayload reads the block at h with its trailer, verifies the CRC and
// returns the payload, decompressed, in a buffer of its own. The bytes
// read go into a pooled buffer: a compressed block is decompressed out of
// it and an uncompressed one copied (without zeroing first), so a block
// read allocates once.
func (t *table) readPayload(h blockHandle) ([]byte, error) {
	n := int(h.length + t.trailerSize())
	bp := rawBlockPool.Get().(*[]byte)
	buf := slices.Grow((*bp)[:0], n)[:n]
	defer func() {
		if cap(buf) <= rawBlockPoolMaxBytes {
			*bp = buf[:0]
			rawBlockPool.Put(bp)
		}
	}()
	if err := t.readAt(buf, h.offset); err != nil {
		return nil, err
	}
	return t.payload(h, buf, false)
}

// rawBlockPool holds buffers (*[]byte) that readPayload reads blocks
// into; one larger than rawBlockPoolMaxBytes is left to the garbage
// collector.
var rawBlockPool = sync.Pool{New: func() any { return new([]byte) }}

// readAt fills buf from the file at off; a read past the end of the file
// is ErrCorrupt (an index pointed there).
func (t *table) readAt(buf []byte, off uint64) error {
	if _, err := t.f.ReadAt(buf, int64(off)); err != nil {
		if errors.Is(err, io.EOF) {
			return corruptf(t.name, "%d bytes at %d beyond end of file", len(buf), off)
		}
		return fmt.Errorf("lsm: read table %s at %d: %w", t.name, off, err)
	}
	return nil
}

// payload verifies raw, the block at h read with its trailer, and returns
// its payload, decompressed. An uncompressed payload aliases raw if owned
// (raw is the block's own buffer), and is copied out of raw otherwise.
func (t *table) payload(h blockHandle, raw []byte, owned bool) ([]byte, error) {
	ts := t.trailerSize()
	data, trailer := raw[:h.length], raw[h.length:]
	sum := binary.LittleEndian.Uint32(trailer[ts-crcSize:])
	if crc32.Checksum(raw[:h.length+ts-crcSize], castagnoli) != sum {
		return nil, corruptf(t.name, "checksum mismatch in block at offset %d", h.offset)
	}
	typ := compressionNone
	if ts == blockTrailerSize {
		typ = trailer[0]
	}
	switch typ {
	case compressionNone:
		if !owned {
			data = bytes.Clone(data) // unlike make, does not zero the bytes first
		}
		return data, nil
	case compressionSnappy:
		out, err := decompressSnappy(data)
		if err != nil {
			return nil, corruptf(t.name, "block at offset %d: %v", h.offset, err)
		}
		return out, nil
	default:
		return nil, corruptf(t.name, "block at offset %d: unknown compression type %d", h.offset, trailer[0])
	}
}

// decompressSnappy decodes a Snappy block into a new buffer. The length it
// claims is bounded before anything is allocated: by maxBlockBytes, and by
// snappyMaxExpansion times the compressed length, beyond which no valid
// encoding reaches.
func decompressSnappy(src []byte) ([]byte, error) {
	n, err := snappy.DecodedLen(src)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	if n > maxBlockBytes || n > snappyMaxExpansion*len(src) {
		return nil, fmt.Errorf("snappy: claims %d bytes from %d", n, len(src))
	}
	out, err := snappy.Decode(make([]byte, n), src)
	if err != nil {
		return nil, fmt.Errorf("snappy: %w", err)
	}
	if len(out) != n {
		return nil, fmt.Errorf("snappy: %d bytes decoded, %d claimed", len(out), n)
	}
	return out, nil
}

// cached returns what the cache holds for the block at offset, trying ref
// first (nil for a data block).
func (t *table) cached(offset uint64, ref *cacheRef) (any, bool) {
	if t.cache == nil {
		return nil, false
	}
	return t.cache.get(blockKey{fileNum: t.fileNum, offset: offset}, ref)
}

// fill caches v, the block at offset, if fillCache; an index or filter
// block comes with its ref.
func (t *table) fill(offset uint64, v any, charge int64, ref *cacheRef, fillCache bool) {
	if t.cache != nil && fillCache {
		t.cache.add(blockKey{fileNum: t.fileNum, offset: offset}, v, charge+cachedBlockOverheadBytes, ref != nil, ref)
	}
}

// topIndex returns the table's top index, verified (see decodeTop). nil
// for an empty table.
func (t *table) topIndex(fillCache bool) ([]topEntry, error) {
	if t.legacyTop != nil || t.top.length == 0 {
		return t.legacyTop, nil
	}
	if v, ok := t.cached(t.top.offset, &t.topRef); ok {
		return v.([]topEntry), nil
	}
	t.stats.metaBlockReads.Add(1)
	data, err := t.readPayload(t.top)
	if err != nil {
		return nil, err
	}
	top, err := t.decodeTop(data)
	if err != nil {
		return nil, corruptf(t.name, "top index: %v", err)
	}
	t.fill(t.top.offset, top, int64(len(data))+int64(len(top))*topEntryBytes, &t.topRef, fillCache)
	return top, nil
}

// decodeTop parses a version 4 top index and checks it: at least one
// partition, keys strictly increasing, and partitions that tile the file
// from offset 0 to the top index, each being its data blocks, its filter
// and its index partition, each block with its trailer. The keys alias
// data.
func (t *table) decodeTop(data []byte) ([]topEntry, error) {
	d := decoder{buf: data}
	n := d.uvarint()
	if d.err == nil && (n == 0 || n > uint64(len(data))) {
		return nil, fmt.Errorf("claims %d partitions", n)
	}
	top := make([]topEntry, 0, n)
	refs := make([]partitionRefs, n)
	var end uint64
	for i := uint64(0); i < n && d.err == nil; i++ {
		key := d.bytes()
		p := partition{dataOff: d.uvarint(), dataEnd: d.uvarint(), filterLen: d.uvarint()}
		p.index = blockHandle{offset: d.uvarint(), length: d.uvarint()}
		if d.err != nil {
			break
		}
		if i > 0 && bytes.Compare(top[i-1].lastKey, key) >= 0 {
			return nil, fmt.Errorf("keys out of order at partition %d", i)
		}
		if p.dataOff != end || p.dataEnd <= p.dataOff || p.dataEnd >= t.top.offset || p.filterLen < 2 || p.filterLen > maxFilterBytes+1 ||
			p.index.offset != p.dataEnd+p.filterLen+blockTrailerSize || p.index.length > maxIndexBytes ||
			p.index.offset+p.index.length+blockTrailerSize > t.top.offset {
			return nil, fmt.Errorf("partition %d does not fit the file", i)
		}
		end = p.index.offset + p.index.length + blockTrailerSize
		top = append(top, topEntry{lastKey: key[:len(key):len(key)], p: p, refs: &refs[i]})
	}
	if d.err == nil && len(d.buf) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.buf))
	}
	if d.err != nil {
		return nil, d.err
	}
	if end != t.top.offset {
		return nil, fmt.Errorf("partitions end at %d, the top index starts at %d", end, t.top.offset)
	}
	return top, nil
}

// indexPartition returns the index of partition e, verified (see
// readIndex).
func (t *table) indexPartition(e *topEntry, fillCache bool) ([]indexEntry, error) {
	if v, ok := t.cached(e.p.index.offset, &e.refs.index); ok {
		return v.([]indexEntry), nil
	}
	idx, size, err := t.readIndex(e.p, e.lastKey)
	if err != nil {
		return nil, err
	}
	t.fill(e.p.index.offset, idx, int64(size)+int64(len(idx))*indexEntryBytes, &e.refs.index, fillCache)
	return idx, nil
}

// readIndex reads and parses partition p's index (uvarint count, then per
// block: uvarint key length, the block's last key, uvarint offset, uvarint
// length; version 1 to 3 indexes have the same format) and checks it:
// keys strictly increasing, the last one lastKey (unless nil), and handles
// that tile [p.dataOff, p.dataEnd), each block with its trailer. Only a
// version 1 to 3 index (with lastKey nil) may be empty: an empty table.
// The keys alias the block, whose (decompressed) size is returned too.
func (t *table) readIndex(p partition, lastKey []byte) (idx []indexEntry, size int, err error) {
	t.stats.metaBlockReads.Add(1)
	data, err := t.readPayload(p.index)
	if err != nil {
		return nil, 0, err
	}
	idx, err = t.decodeIndex(data, p, lastKey)
	if err != nil {
		return nil, 0, corruptf(t.name, "index at %d: %v", p.index.offset, err)
	}
	return idx, len(data), nil
}

func (t *table) decodeIndex(data []byte, p partition, lastKey []byte) ([]indexEntry, error) {
	d := decoder{buf: data}
	n := d.uvarint()
	if d.err == nil && (n > uint64(len(data)) || n == 0 && lastKey != nil) {
		return nil, fmt.Errorf("claims %d blocks", n)
	}
	idx := make([]indexEntry, 0, n)
	end, ts := p.dataOff, t.trailerSize()
	for i := uint64(0); i < n && d.err == nil; i++ {
		key := d.bytes()
		h := blockHandle{offset: d.uvarint(), length: d.uvarint()}
		if d.err != nil {
			break
		}
		if i > 0 && bytes.Compare(idx[i-1].lastKey, key) >= 0 {
			return nil, fmt.Errorf("keys out of order at block %d", i)
		}
		if h.offset != end || h.length > maxBlockBytes || h.offset+h.length+ts > p.dataEnd {
			return nil, fmt.Errorf("block %d at %d length %d does not fit", i, h.offset, h.length)
		}
		end = h.offset + h.length + ts
		idx = append(idx, indexEntry{lastKey: key[:len(key):len(key)], h: h})
	}
	if d.err == nil && len(d.buf) != 0 {
		d.err = fmt.Errorf("%d trailing bytes", len(d.buf))
	}
	if d.err != nil {
		return nil, d.err
	}
	if end != p.dataEnd {
		return nil, fmt.Errorf("data blocks end at %d, the filter or index starts at %d", end, p.dataEnd)
	}
	if lastKey != nil && !bytes.Equal(idx[len(idx)-1].lastKey, lastKey) {
		return nil, errors.New("last key does not match the top index")
	}
	return idx, nil
}

// filter returns partition e's bloom filter (for version 1 tables, a nil
// filter, which answers "maybe").
func (t *table) filter(e *topEntry, fillCache bool) (bloomFilter, error) {
	h := e.p.filter()
	if h.length == 0 {
		return bloomFilter{}, nil
	}
	if v, ok := t.cached(h.offset, &e.refs.filter); ok {
		return v.(bloomFilter), nil
	}
	t.stats.metaBlockReads.Add(1)
	data, err := t.readPayload(h)
	if err != nil {
		return bloomFilter{}, err
	}
	f, ok := decodeBloomFilter(data)
	if !ok {
		return bloomFilter{}, corruptf(t.name, "malformed filter block at %d", h.offset)
	}
	t.fill(h.offset, f, int64(len(data)), &e.refs.filter, fillCache)
	return f, nil
}

// readBlock returns the data block at h, from the cache or else read,
// verified (CRC, then checkBlock against lastKey, its index key) and
// parsed from the file, and then cached if fillCache. The block is shared
// and must not be modified.
func (t *table) readBlock(h blockHandle, lastKey []byte, fillCache bool) (block, error) {
	if v, ok := t.cached(h.offset, nil); ok {
		return v.(block), nil
	}
	t.stats.blockReads.Add(1)
	data, err := t.readPayload(h)
	if err != nil {
		return block{}, err
	}
	b, err := t.checkedBlock(h, data, lastKey)
	if err != nil {
		return block{}, err
	}
	t.fill(h.offset, b, int64(len(b.data)), nil, fillCache)
	return b, nil
}

// checkedBlock parses and checks the payload of the data block at h
// (converting a version 1 or 2 block first).
func (t *table) checkedBlock(h blockHandle, data, lastKey []byte) (block, error) {
	if t.version < tableVersion3 {
		var err error
		if data, err = convertLegacyBlock(data); err != nil {
			return block{}, corruptf(t.name, "block at %d: %v", h.offset, err)
		}
	}
	b, err := parseBlock(data)
	if err == nil {
		err = checkBlock(b, lastKey)
	}
	if err != nil {
		return block{}, corruptf(t.name, "block at %d: %v", h.offset, err)
	}
	return b, nil
}

// readBlocks reads the data blocks of idx, which are adjacent in the file,
// with one ReadAt into buf (grown if needed, and returned for reuse), and
// verifies each as readBlock does, appending them to blocks, up to the
// first that fails: its error is returned. They are not cached: the
// caller caches each one it uses.
func (t *table) readBlocks(idx []indexEntry, blocks []block, buf []byte) ([]block, []byte, error) {
	start := idx[0].h.offset
	last := idx[len(idx)-1].h
	n := int(last.offset + last.length + t.trailerSize() - start)
	buf = slices.Grow(buf[:0], n)[:n]
	if err := t.readAt(buf, start); err != nil {
		return blocks, buf, err
	}
	for i := range idx {
		h := idx[i].h
		t.stats.blockReads.Add(1)
		data, err := t.payload(h, buf[h.offset-start:h.offset-start+h.length+t.trailerSize()], false)
		if err != nil {
			return blocks, buf, err
		}
		b, err := t.checkedBlock(h, data, idx[i].lastKey)
		if err != nil {
			return blocks, buf, err
		}
		blocks = append(blocks, b)
	}
	return blocks, buf, nil
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

// get returns the table's entry for key (possibly a tombstone); h is
// keyHash(key). The value aliases a shared block. It is the lookup of
// tables whose keys are user keys (written before sequence numbers);
// tableGet (iter.go) is the lookup of internal keys.
func (t *table) get(key []byte, h uint64) (entry, bool, error) {
	var it blockIter
	if ok, err := t.find(key, h, &it); !ok || err != nil {
		return entry{}, false, err
	}
	if !bytes.Equal(it.key, key) {
		return entry{}, false, nil
	}
	return entry{key: key, value: it.value, deleted: it.kind == kindDelete}, true, nil
}

// find positions it at the table's first entry >= key, unless the filter
// rules out the key: h is the hash of what the filters hold for it (the
// key, or the user part of an internal key). It reads the top index, the
// filter of the partition that holds that entry and, unless the filter
// rules key out, the index partition and one data block. false: no such
// entry, or the filter said no (counted in filterSkips). The entry aliases
// a shared block.
//
// With internal keys, the entry found is the newest version of the user
// key at or below key's sequence number if it has key's user part; it is
// in the partition searched, so that partition's filter holds that user
// part whenever there is such a version.
func (t *table) find(key []byte, h uint64, it *blockIter) (bool, error) {
	top, err := t.topIndex(true)
	if err != nil {
		return false, err
	}
	pi := searchTop(top, key)
	if pi == len(top) {
		return false, nil
	}
	f, err := t.filter(&top[pi], true)
	if err != nil {
		return false, err
	}
	if !f.mayContain(h) {
		t.stats.filterSkips.Add(1)
		return false, nil
	}
	idx, err := t.indexPartition(&top[pi], true)
	if err != nil {
		return false, err
	}
	// The partition's last key is >= key, and so is its last block's.
	bi := searchIndex(idx, key)
	if bi == len(idx) {
		return false, corruptf(t.name, "index at %d: no block for a key it covers", top[pi].p.index.offset)
	}
	ie := &idx[bi]
	b, err := t.readBlock(ie.h, ie.lastKey, true)
	if err != nil {
		return false, err
	}
	it.init(b)
	if !it.seekGE(key) {
		return false, t.iterErr(it)
	}
	return true, nil
}

// iterErr turns a block iterator's entry error into ErrCorrupt (nil if
// there is none). Blocks are checked before use, so this reports a bug or
// memory damage, not bad file bytes.
func (t *table) iterErr(it *blockIter) error {
	if it.err == nil {
		return nil
	}
	return corruptf(t.name, "%v", it.err)
}

func (t *table) close() error {
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("lsm: close table %s: %w", t.name, err)
	}
	return nil
}
