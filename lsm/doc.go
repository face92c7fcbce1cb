// Package lsm is cairn's ordered key/value store: a log-structured merge tree
// without a log of its own.
//
// # What it owns
//
// The memtable, sorted table files ("sstables") with bloom filters, a block
// cache, the manifest, compaction, and iterators that merge them. It knows
// nothing of transactions or SQL and imports only
// internal/vfs. Durability of unflushed writes is the caller's: the node's WAL
// holds every Batch (Batch.Encode/DecodeBatch), Apply records the WAL LSN,
// FlushedLSN says which WAL records are already in table files, and recovery
// re-applies the WAL records after FlushedLSN. Re-applying a batch is
// idempotent (last writer wins per key), so replaying twice is harmless.
//
// # Data model
//
// Keys and values are byte strings; the empty key is allowed. A Delete writes
// a tombstone, which hides older values in older tables and is itself hidden
// from Get and iterators. Reads see the newest version of a key: memtable,
// then the memtable being flushed, then tables newest first.
//
// An Iterator walks the live keys of [lower, upper) forward (First, SeekGE,
// Next) and backward (Last, SeekLT, Prev), and may change direction at any
// point. It merges its sources (memtables and tables) by comparing their
// current keys, newest source first on ties; on a change of direction
// every source is re-seeked around the current key. Returned keys and
// values stay valid after the iterator moves: values alias memtable
// entries or cached blocks, which are never modified, and keys are copied
// into chunks (growing from iterKeyFirstArenaBytes to iterKeyArenaBytes)
// because tables rebuild prefix-compressed keys in reused buffers.
//
// # Table file format (NNNNNN.sst, version 3)
//
//	data block*   entries, restart array, restart count (below), then a
//	              4-byte little-endian CRC-32C of all of it
//	filter block  bloom filter bit array, then one byte: the probe count;
//	              then a CRC-32C of both
//	index block   uvarint count, then per data block: uvarint key length,
//	              last key of the block, uvarint offset, uvarint length
//	              (length excludes the CRC); then a CRC-32C of the index
//	footer        60 bytes, little-endian: filter offset u64, filter length
//	              u64 (excluding the CRC), index offset u64, index length
//	              u64, entry count u64, flags u32, version u32 (3), CRC-32C
//	              of the preceding 48 footer bytes u32, magic u64
//
// A version 3 data block is
//
//	entry*        uvarint shared, uvarint unshared, uvarint value length,
//	              kind byte (0 tombstone, 1 value), the unshared key bytes,
//	              the value
//	restarts      u32 per restart point: the offset of its entry
//	count         u32: the number of restart points (at least 1)
//
// An entry's key is the first shared bytes of the previous entry's key
// followed by its unshared bytes (prefix compression). Every
// restartInterval-th entry (16) is a restart point: shared is 0, so its key
// is whole in the block. A lookup binary-searches the restart keys, then
// decodes forward at most restartInterval entries; stepping backward
// decodes forward from the restart before the current entry. Blocks are
// cut at about 4 KiB (blockSizeTarget), restart array included. The flags
// field is 0; bits are reserved for block compression, and a reader refuses
// flags it does not know.
//
// Older versions, still read: version 2 has the same footer but data
// blocks of plain entries (uvarint key length, uvarint value length, kind,
// key, value) with no restarts; version 1 (written before bloom filters)
// has version 2's blocks, no filter block and a 44-byte footer: the version
// 2 footer without its first two fields, so the version field sits 16
// bytes from the end of the file in every version. A version 1 table
// answers every filter probe with "maybe". A version 1 or 2 block is
// re-encoded in the version 3 format when it is read (and cached that
// way), so one block iterator serves every version; the first compaction
// rewrites such tables as version 3. The writer writes only version 3.
// cairn is pre-release: the reading of older versions is kept because it is
// cheap, not as a compatibility promise.
//
// Readers load the index and the filter at open (each verified by its CRC
// and bounded by maxIndexBytes and maxFilterBytes) and read one block per
// lookup with ReadAt. A block read from the file is verified before use,
// once: its CRC, then its restart array (count within the block, offsets
// strictly increasing from 0 and inside the entries) and every entry
// (decodes within the block, a shared prefix no longer than the previous
// key, a known kind, restart offsets that are entries with no shared
// prefix, strictly increasing keys, and a last key equal to the index's).
// A failure is an error wrapping ErrCorrupt, never wrong data or a panic;
// iterators then decode a verified block lazily, one entry per step, still
// bounds-checking every field.
//
// # Bloom filters
//
// Each table's filter holds every key in the table, tombstones included (a
// Get must find a tombstone to stop looking in older tables). It is sized
// at bloomBitsPerKey (10) bits per key with bloomProbes (7) probes, about
// 0.8% false positives. All probes come from one 64-bit hash of the key
// (keyHash: FNV-1a, then the MurmurHash3 finalizer), by double hashing:
// probe i is bit (h1 + i*h2) mod m, with h1 and h2 the low and high 32 bits.
// keyHash is part of the format. Get hashes the key once and skips every
// table whose filter rules it out without reading a block; iterators do
// not use filters.
//
// # Block cache
//
// Verified data blocks are cached in one LRU cache per DB, shared by all
// its tables, keyed by (file number, block offset) and limited to
// Options.BlockCacheBytes (default 8 MiB; each block is charged its bytes
// plus cachedBlockOverheadBytes of bookkeeping; entries are decoded from
// the bytes as they are read, not stored). Only blocks whose CRC matched and
// that passed the checks above are inserted, so a hit is trusted. File
// numbers are never reused within an open DB, and a deleted table's blocks
// are evicted. Gets and iterators fill the cache; compactions read through
// it without filling it.
//
// # Compaction
//
// A compaction merges every table into one new table, keeping the newest
// version of each key. Because nothing lies below its output, tombstones
// are dropped; Options.CompactionFilter may drop live values too (it is
// shown the newest version of each live key in the input; the memtables
// are never filtered). The merge code also supports a compaction of an
// oldest run of tables that is not the bottom (for leveled compaction, not
// used yet): there tombstones are kept and a filtered value becomes a
// tombstone, so that older versions stay hidden.
//
// When a flush leaves more than Options.L0CompactionThreshold tables
// (default 4), a background goroutine, started by Open and stopped by
// Close, compacts. Compact runs one synchronously. Backpressure: when there
// are Options.L0StopWritesThreshold tables (default 12), Flush first runs
// or waits for one compaction; if that one fails, the flush goes on, and
// maxTableFiles stays the hard limit. Compactions are serialized; flushes
// proceed during one (their tables are newer than the compaction's
// inputs, which stay the oldest run of the list).
//
// The switch is ordered so that every crash image is either the state
// before or after the compaction, never a mix: (1) write the output, fsync
// it, sync the directory; (2) write the new manifest (temporary file,
// fsync, rename, directory sync); (3) swap the table list in memory; (4)
// drop the inputs. A crash before the rename leaves the old manifest and an
// unlisted output, after it the new manifest and unlisted inputs; Open
// removes unlisted files either way. Each table carries a reference count
// (the table list's, plus every Get, Iterator and compaction using it): an
// input's file is closed and removed only when its last reader is done, so
// iterators opened before a compaction keep working (an iterator never
// closed pins its tables until Close; Open removes them then).
//
// A failed compaction changes nothing visible: the partial output and
// temporary manifest are removed, the error is returned by Compact (and
// recorded in Metrics for the background one), and a later compaction may
// succeed. The exception is a failed directory sync after the new manifest
// took MANIFEST's name: which manifest a crash would leave is unknown (both
// name existing files, and both files are kept), and a directory fsync is
// not retried, so the store fails as after a failed flush (ErrFailed).
// Failing to remove an obsolete input after a successful compaction is
// only counted (Metrics.ObsoleteRemoveFails): the next Open removes it.
//
// Leveled compaction (L0 by count, L1+ by size) is not implemented: every
// compaction rewrites all the data, so write amplification grows with the
// store size.
//
// # Manifest
//
// MANIFEST lists the live table files newest first and FlushedLSN:
// magic u32, version u32, FlushedLSN u64, next file number u64, count u32,
// count file numbers u64, CRC-32C u32 of everything before it (little-endian).
// It is replaced atomically: write MANIFEST.tmp, fsync, rename over MANIFEST,
// sync the directory. A new table's file is fsynced and its directory entry
// synced before any manifest names it. Open deletes every file in the
// directory that the manifest does not name (half-written tables, a stale
// MANIFEST.tmp, compaction inputs or outputs left by a crash); the directory
// belongs to the store. The manifest format did not change with compaction:
// a compaction's output takes the place of its inputs at the old end of the
// list.
//
// # Concurrency
//
// Apply, Get, NewIter, Flush, Compact, FlushedLSN, MemtableSize and Metrics
// are safe for concurrent use. A RWMutex (DB.mu) guards the memtable and
// table list; Flush freezes the memtable under the lock, writes the table
// without it (readers and writers continue; the frozen memtable stays
// readable), and installs the table under the lock. Flushes are
// serialized, and so are compactions; manifestMu serializes manifest writes
// with the table-list change each records. Lock order: flushMu, compactMu,
// manifestMu, mu. An Iterator is a consistent view as of NewIter (a
// copy-on-write clone of the memtable and pinned tables) and is not safe
// for concurrent use by itself. The block cache has its own mutex; table
// reference counts and read counters are atomics.
//
// # Errors
//
// ErrCorrupt (a mark: test with errors.Is) for bad table, manifest or batch
// bytes; ErrClosed after Close; ErrFailed after a Flush failed, or a
// compaction failed once its manifest was renamed into place (the unflushed
// data stays readable in memory and in the caller's WAL, FlushedLSN does not
// move, and every later Flush and Compact fails — an fsync is never
// retried). Other compaction failures are returned by Compact and are not
// sticky.
package lsm
