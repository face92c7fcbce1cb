// Package lsm is cairn's ordered key/value store: a log-structured merge tree
// without a log of its own.
//
// # What it owns
//
// The memtable, sorted table files ("sstables") with partitioned indexes
// and bloom filters, a block cache, the manifest, compaction, and
// iterators that merge them. It knows
// nothing of transactions or SQL and imports only
// internal/vfs (and github.com/golang/snappy, to compress table blocks).
// Durability of unflushed writes is the caller's: the node's WAL
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
// # Table file format (NNNNNN.sst, version 4)
//
// A table is a sequence of partitions, then a top index and a footer.
// A partition is a run of data blocks, then the bloom filter of their
// keys, then the index of those blocks:
//
//	partition*    data block*, filter block, index block
//	top index     one entry per partition
//	footer        60 bytes, little-endian: 16 reserved bytes (zero),
//	              top index offset u64, top index length u64, entry
//	              count u64, flags u32 (0), version u32 (4), CRC-32C of
//	              the preceding 48 footer bytes u32, magic u64
//
// Every block ends in a 5-byte trailer: a compression type byte (0:
// none, 1: Snappy) and a little-endian CRC-32C of the stored bytes and
// that byte. A block's length, wherever it is recorded, is its stored
// length, excluding the trailer; everything below describes a block's
// bytes after decompression. An index block
// (index partition, or top index) is a uvarint count followed by its
// entries: for an index partition, per data block, uvarint key length,
// the block's last key, uvarint offset, uvarint length; for the top index,
// per partition, uvarint key length, the partition's last key, then
// uvarints: data offset, data end (where its filter starts), filter
// length, index offset, index length. A filter block is the bloom
// filter's bit array and one byte, the probe count. The writer cuts a
// partition after the data block that brings its index to
// indexPartitionBytesTarget (4 KiB) or its keys to filterPartitionKeysMax
// (4096; a block is cut short to respect it), so a filter partition is at
// most about 5 KiB. A table with no entries (written by a compaction that
// dropped everything, and removed at once) has a top index of length 0 at
// the footer's offset. The flags field is 0 and a reader refuses flags it
// does not know; compression needs no flag, since each block records its
// own.
//
// Compression (Options.Compression, default Snappy as in LevelDB and
// Pebble) is per block: the writer compresses each data and index block
// and stores the result, with type 1, only if it saves at least 1/8 of
// the block's bytes; otherwise, and for filter blocks (random bits), the
// block is stored as it is, with type 0, so incompressible data costs no
// decompression on reads. Snappy is the block format of
// github.com/golang/snappy: a uvarint decompressed length, then literals
// and copies. A reader bounds that length (maxBlockBytes, and
// snappyMaxExpansion times the stored length, beyond what any valid
// encoding reaches) before allocating, and an error in decoding, or a
// decoded length other than the one claimed, is ErrCorrupt. Why that
// package: Snappy trades ratio for speed (its package benchmarks decode
// text at 1.4 to 2.2 GB/s per core), and its encoder skips ahead faster
// and faster through input without matches, so trying to compress random
// values costs little; github.com/golang/snappy is the Go reference
// implementation of a stable format, with no dependencies and with amd64
// and arm64 assembly. klauspost/compress's s2 can also write
// Snappy-compatible blocks, but comes in a module of many other codecs;
// a second Snappy codec would add code without changing the format.
//
// A data block is
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
// cut at about 4 KiB (blockSizeTarget), restart array included.
//
// Older versions, still read: version 3 has the same data blocks but a
// 4-byte trailer (the CRC alone), and one filter block and one index
// block for the whole table (in the index partition format, after the
// data blocks, in that order); its footer's first 16 bytes are the
// filter's offset and length, and the top index fields locate the index.
// Version 2 is version 3 with data blocks of plain entries (uvarint key
// length, uvarint value length, kind, key, value) and no restarts;
// version 1 (written before bloom filters) is version 2 with no filter
// block and a 44-byte footer: the version 2 footer without its first two
// fields, so the version field sits 16 bytes from the end of the file in
// every version. Opening a version 1 to 3 table reads and checks its index
// and keeps a one-entry top index (its last key and the locations), so it
// reads as a version 4 table of one partition (a version 1 table's filter
// answers every probe with "maybe"). A version 1 or 2 block is
// re-encoded in the current block format when it is read (and cached
// that way), so one block iterator serves every version; the first
// compaction rewrites such tables as version 4. The writer writes only
// version 4. cairn is pre-release: the reading of older versions is kept
// because it is cheap, not as a compatibility promise.
//
// Open reads the footer and the top index, checks them and caches the
// top index. Every other block is read when a lookup needs it, through the
// block cache, and verified before use, once: its CRC, compression type
// and decompression; for a top index, keys strictly increasing and partitions that
// tile the file from offset 0 up to the top index (each one's data blocks,
// filter and index partition adjacent, every length within maxIndexBytes
// or maxFilterBytes); for an index partition, keys strictly increasing,
// the last one equal to the partition's key in the top index, and blocks
// that tile the partition's data range (each within maxBlockBytes); for a
// filter, a probe count from 1 to bloomProbesMax; for a data block, its
// restart array (count within the block, offsets strictly increasing
// from 0 and inside the entries) and every entry (decodes within the
// block, a shared prefix no longer than the previous key, a known kind,
// restart offsets that are entries with no shared prefix, strictly
// increasing keys, and a last key equal to the index's). A failure is an
// error wrapping ErrCorrupt, never a panic; iterators then decode a
// verified block lazily, one entry per step, still bounds-checking every
// field. The CRC catches damage on disk; what it cannot catch (bytes
// written wrong with a matching CRC) fails the checks above, except an
// index key changed so that its index stays in order, which can send a
// Get to the wrong block unnoticed until that block or partition is read:
// Check reads them all.
//
// A Get reads, for each table whose top index has a partition that may
// hold the key, that partition's filter, and only if the filter does not
// rule the key out, its index partition and one data block. An iterator
// reads index partitions and data blocks in order; it never reads filters.
// Stepping forward into a data block that is not cached, it reads ahead:
// that block and the next ones of its partition in one ReadAt, twice as
// many blocks each time in a row (2, 4, 8...), at most readaheadBytes (64
// KiB); it verifies them at once, keeps them, and caches each as it
// reaches it. A block that fails verification there is dropped with the
// rest of the read-ahead, and its error reported only if the iterator
// reaches it.
//
// # Bloom filters
//
// Each partition's filter holds every key of its data blocks, tombstones
// included (a Get must find a tombstone to stop looking in older tables).
// It is sized when the partition is cut, at bloomBitsPerKey (10) bits per
// key (at least bloomMinBytes) with bloomProbes (7) probes, about 0.8%
// false positives. All probes come from one 64-bit hash of the key
// (keyHash: FNV-1a, then the MurmurHash3 finalizer), by double hashing:
// probe i is bit (h1 + i*h2) mod m, with h1 and h2 the low and high 32
// bits and m the filter's size in bits. keyHash is part of the format. Get
// hashes the key once and skips every table whose filter rules it out
// without reading a data block; iterators do not use filters.
//
// # Block cache
//
// Verified blocks of every kind are cached in one LRU cache per DB,
// shared by all its tables, keyed by (file number, block offset) and
// limited to Options.BlockCacheBytes (default 8 MiB). Blocks are cached
// decompressed, and charged their decompressed size. Data blocks are
// cached as their bytes (entries are decoded as they are read) and
// charged their length; index blocks are cached parsed (a slice of
// entries whose keys alias the block's bytes) and charged the block's
// length plus the slice; filters are charged their length. Each entry is
// also charged cachedBlockOverheadBytes of bookkeeping. Index and filter
// blocks have an LRU list of their own and are evicted before data blocks
// only while they hold more than cacheMetaPercent (50%) of the limit (or
// when no data block is left), so that a scan or a stream of reads of
// large data does not push out the blocks every Get needs first. A table
// keeps a reference to its cached top index, and a top index one to each
// partition's cached filter and index, set when the block is cached or
// looked up and cleared when it is evicted: a Get follows them without a
// cache lookup, and marks the entry used, which earns it a second chance
// when it reaches the end of its list (clock-style; at most
// cacheSecondChancesMax per insertion), since such a hit does not move
// it. Only blocks that passed the checks above are
// inserted, so a hit is trusted. File numbers
// are never reused within an open DB, and a deleted table's blocks are
// evicted. Gets and iterators fill the cache; compactions and Check read
// through it without filling it. Eviction drops the cache's reference
// only: a reader that holds a block (a Get for its duration; an iterator
// its current top index, index partition and data block per table) keeps
// it alive until it lets go, and values returned by iterators alias
// blocks.
//
// # Memory
//
// What a DB holds is bounded by the memtable budget (the active memtable,
// plus the frozen one during a flush), the block cache limit, and per open
// table a constant: the table's struct, footer fields and file handle
// (for a version 1 to 3 table, also its last key). No structure grows
// with the data beyond those: index and filter blocks are cache entries
// like data blocks. On top come transient buffers: a table writer's
// current data block, index partition, top index (one entry per 4096
// keys) and the hashes of one partition's keys; a reader's blocks in use
// (above); and each table iterator's read-ahead (up to readaheadBytes of
// blocks, and its read buffer), compactions included. The Go
// collector lets the heap grow past the live data (GOGC; bound it with
// GOMEMLIMIT), so the process's resident size is larger than what the DB
// holds.
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
