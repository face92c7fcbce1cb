// Package lsm is cairn's ordered key/value store: a log-structured merge tree
// without a log of its own.
//
// # What it owns
//
// The memtable, sorted table files ("sstables"), the manifest, and iterators
// that merge them. It knows nothing of transactions or SQL and imports only
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
// # Table file format (NNNNNN.sst, version 1)
//
//	data block*   entries, then a 4-byte little-endian CRC-32C of the entries
//	index block   uvarint count, then per data block: uvarint key length,
//	              last key of the block, uvarint offset, uvarint length
//	              (length excludes the CRC); then a CRC-32C of the index
//	footer        44 bytes, little-endian: index offset u64, index length
//	              u64, entry count u64, flags u32, version u32, CRC-32C of
//	              the preceding 32 footer bytes u32, magic u64
//
// A data-block entry is uvarint key length, uvarint value length, kind byte
// (0 tombstone, 1 value), key, value. Blocks are cut at about 4 KiB
// (blockSizeTarget). The flags field is 0 today; bits are reserved for bloom
// filters and block compression, and a reader refuses flags it does not know.
// Readers load the index at open and read one block per lookup with ReadAt,
// verifying its CRC: a mismatch or an undecodable block is an error wrapping
// ErrCorrupt, never wrong data.
//
// # Manifest
//
// MANIFEST lists the live table files newest first and FlushedLSN:
// magic u32, version u32, FlushedLSN u64, next file number u64, count u32,
// count file numbers u64, CRC-32C u32 of everything before it (little-endian).
// It is replaced atomically: write MANIFEST.tmp, fsync, rename over MANIFEST,
// sync the directory. Open deletes every file in the directory that the
// manifest does not name (half-written tables, a stale MANIFEST.tmp); the
// directory belongs to the store.
//
// Compaction is not implemented yet: tables accumulate, newest first, and the
// format (tombstones in tables, file numbers, flags) leaves room for it.
//
// # Concurrency
//
// Apply, Get, NewIter, Flush, FlushedLSN and MemtableSize are safe for
// concurrent use. A RWMutex guards the memtable and table list; Flush freezes
// the memtable under the lock, writes the table without it (readers and
// writers continue; the frozen memtable stays readable), and installs the
// table under the lock. Flushes are serialized. An Iterator is a consistent
// view as of NewIter (a copy-on-write clone of the memtable) and is not safe
// for concurrent use by itself.
//
// # Errors
//
// ErrCorrupt (a mark: test with errors.Is) for bad table, manifest or batch
// bytes; ErrClosed after Close; ErrFailed after a Flush failed (the unflushed
// data stays readable in memory and in the caller's WAL, FlushedLSN does not
// move, and every later Flush fails — an fsync is never retried).
package lsm
