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
// re-applies the WAL records after FlushedLSN. Re-applying a batch gives
// its operations new, higher sequence numbers (last writer wins per key),
// so replaying the WAL in order twice is harmless.
//
// # Data model
//
// Keys and values are byte strings; the empty key is allowed. Every
// operation Apply applies becomes a version of its key with the next
// sequence number (a batch's operations take consecutive numbers in order,
// so a later operation on a key in the batch is the newer version; a batch
// is visible all at once). A Set's version holds a value, a Delete's is a
// tombstone. A DeleteRange(start, end) is a range tombstone with its own
// sequence number: it hides every version with a lower number of every key
// in [start, end) (see Range deletes). The memtable keeps every version applied since the last
// flush; tables keep what compaction leaves (see Compaction). A read at
// sequence number S sees, for each key, the newest version with a number
// at most S, and nothing if that is a tombstone: Get and NewIter read at
// the current sequence number, a Snapshot (DB.NewSnapshot) at the number
// current when it was taken, for as long as it is open. Versions are found
// in the memtable, then the memtable being flushed, then the tables of L0
// newest first, then L1 to L6 in order (see Levels).
//
// Sequence numbers start at 1 and persist: the manifest records the last
// one used, and each table its largest, so numbers continue after a
// reopen. Number 0 belongs to the entries of tables written before
// sequence numbers existed (manifest tag 5), which are read as versions
// older than any other.
//
// # Range deletes
//
// A range tombstone is kept beside the data, not in tables: in its
// memtable (a list, appended to), then, when that memtable is flushed, in
// the version — the flush's manifest edit adds it (tag 9) — until it can
// hide nothing. A read at sequence number S finds the newest range
// tombstone at or below S covering the key (in the memtables and the
// version); a version below it is hidden. Compaction drops a version a
// range tombstone of its version covers, with a higher sequence number
// and no snapshot between the two (the version's snapshot stripe), and
// records, for each output table, which range tombstones still cover a
// version in it (one kept for a snapshot). After every manifest edit, a
// range tombstone goes from the version (tag 10) when no table overlapping
// its range may hold a version in it older than it: for a table written
// by a compaction that applied it, as that compaction recorded (in memory:
// after a reopen every table is judged as below); for any other, the
// table's smallest sequence number must be above the tombstone's. So a
// range delete costs one manifest record, reads check every live range
// tombstone (a linear scan: many range deletes slow reads until
// compactions remove them), and a table of dropped data is removed by the
// compactions that would rewrite it anyway. There is no limit on the
// number of live range tombstones other than the manifest's size.
//
// # Internal keys
//
// A version is stored, in the memtable and in tables, under its internal
// key: the user key with each 0x00 byte escaped as 0x00 0xFF, the
// terminator 0x00 0x01, then the bitwise complement of the sequence number
// as 8 bytes big-endian. Plain bytewise order of internal keys is user key
// ascending, then sequence number descending (LevelDB's order), so the
// table format, blocks, index and memtable compare keys with bytes.Compare
// and know nothing of the encoding. The escaped user key with its
// terminator (the user part) sorts like the user key: two versions are of
// the same key exactly when their user parts are equal, and key ranges
// (table bounds, level overlaps) compare user parts.
//
// An Iterator walks the live keys of [lower, upper) forward (First, SeekGE,
// Next) and backward (Last, SeekLT, Prev), and may change direction at any
// point. It merges its sources (memtables, each L0 table, and one level
// iterator per deeper level, which concatenates that level's tables and
// moves from one to the next as it runs out) by internal key, newest
// source first on ties: forward through a binary heap of the sources (a
// step costs about log2(sources) key comparisons), backward by comparing
// every source's key. Forward, the first version of a user key met at or
// below the iterator's sequence number decides it, and every other version
// of that key is stepped over (for a key returned, by the next forward
// move, so that reading one key moves no source beyond it and reads no
// block after its own); backward, a key's versions come oldest
// first and the last one at or below the sequence number decides. On a
// change of direction every source is re-seeked past every version of the
// current key. Tables and levels wholly outside the bounds are left out.
// An Iterator holds its first sources, level sources, bounds and first
// returned keys inside itself (iterInline* in limits.go), and a level
// source reuses one table source from table to table, so a point lookup
// costs an allocation or two, not one per source.
// Iterator.Steps counts the entries the sources were moved past (versions
// and tombstones alike; seeks are not counted), so that a caller's tests
// can check what a read costs without timing it.
// The memtables are read in place, without the lock, while Apply goes on
// inserting into the active one (see Memtable); versions applied after
// the iterator was created carry higher sequence numbers and are skipped,
// so every iterator is a consistent view without copying the memtable
// (NewLiveIter, which once read it without a snapshot, is now NewIter).
// Returned keys and values stay valid after the iterator moves: values
// alias the memtable's arena or cached blocks, which are never modified,
// and user keys are decoded into chunks (growing from
// iterKeyFirstArenaBytes to iterKeyArenaBytes).
//
// # Memtable
//
// The memtable is a skiplist of internal keys (LevelDB's design) in an
// arena, with its range tombstones in a list beside it (see Range
// deletes). Each version is a node: a tower of next-node references, one
// per level, its key, and a reference to its value; a node's height is
// random, 1 with probability 3/4 and each further level a quarter as
// likely, up to skipMaxHeight (16). A search starts at the top level of
// the head and moves right while the next key is below the target, then
// down; an insert links the new node after the predecessors such a search
// finds. An insert of a key just after the previous insert's, with nothing
// between the two (keys applied in ascending order, as by a load in key
// order or the WAL replay of one), reuses that insert's predecessors and
// does not search. There are no backward links: a step back (Prev) is a
// search for the last key below the current one.
//
// The arena is chunks of 8-byte words, allocated as the memtable grows,
// from skipFirstChunkWords (4 KiB) doubling to skipMaxChunkWords (1 MiB);
// a node or value bigger than a quarter of that which does not fit in the
// current chunk gets a chunk of its own. Nodes with their keys fill one
// chunk at a time and values another, so that searches touch dense
// memory. The chunks hold no Go pointers, so the garbage collector neither
// scans them nor sees one object per version, and a version costs no
// allocation of its own. Nothing in the arena is moved, reused or freed
// while the memtable is referenced (by the DB, an iterator, or a key or
// value slice a caller holds), and a key or value is never modified once
// written, which is what keeps returned values valid. MemtableSize is the
// arena bytes used (each node's header, tower and key padded to 8 bytes,
// each value, and the unused tails of filled chunks; not the head node)
// plus the range tombstones (their bytes and entryOverheadBytes each), so
// an empty memtable is 0.
//
// One goroutine writes at a time: Apply holds DB.mu for writing while it
// inserts a batch. Readers take no lock: the writer fills in a node and
// its value, publishes any new chunk (the chunk table is a slice replaced
// through an atomic pointer) and the list's new height, then links the
// node with an atomic store of each predecessor's tower word, level 0
// first; readers load tower words atomically. So a reader that reaches a
// node sees all of it, and a search sees every node linked before it
// started. A batch's versions become reachable one by one, but no reader
// returns them early: an iterator skips versions above its sequence
// number, which is at most the number current when it was created, and
// the DB's sequence number moves past a batch only once all of it is
// inserted; Get reads under the read lock, so never during an Apply.
//
// # Table file format (NNNNNN.sst, version 4)
//
// A table is a sequence of partitions, then a top index and a footer.
// A partition is a run of data blocks, then the bloom filter of their
// keys, then the index of those blocks. Keys are internal keys (tables
// listed with manifest tag 5 hold user keys: see Internal keys); the
// format itself does not say which, and the blocks and indexes compare
// keys with bytes.Compare either way.
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
// compaction rewrites such tables as version 4. Versions 1 and 2 predate
// sequence numbers and hold user keys; a version 3 table holds user keys
// or internal keys (with filters of user parts), as its manifest tag says
// (5, or 7 and 8), like a version 4 table. The writer writes only
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
// A Get reads, for each table it looks in (see Levels) whose top index
// has a partition that may hold the version it wants, that partition's
// filter, and only if the filter does not rule the key out, its index
// partition and one data block. An iterator
// reads index partitions and data blocks in order; it never reads filters.
// Stepping forward into a data block that is not cached, it reads ahead:
// that block and the next ones of its partition in one ReadAt, twice as
// many blocks each time in a row (2, 4, 8...), at most readaheadBytes (64
// KiB); it verifies them at once, keeps them, and caches each as it
// reaches it. A block that fails verification there is dropped with the
// rest of the read-ahead, and its error reported only if the iterator
// reaches it. A level iterator (see Internal keys) opens one table
// iterator at a time, so it holds at most one read-ahead; a compaction
// reads its inputs the same way (one read-ahead per L0 input and per
// level), without filling the cache.
//
// # Bloom filters
//
// Each partition's filter holds what Get probes for each key of its data
// blocks: the user part of the internal key (tableWriter.filterKey; in a
// table of user keys, the key itself), tombstones included (a Get must
// find a tombstone to stop looking in older tables). The versions of a
// user key in a partition set the same bits (the filter is sized for its
// entries, versions included). A Get at sequence
// number S searches the top index for ikey(key, S): the partition it
// lands in holds the first entry at or above that internal key, which is
// the version the Get wants if the table has one, so that partition's
// filter holds the user part whenever the table has a version the Get can
// see (versions of one key may span partitions). A filter is sized when
// the partition is cut, at bloomBitsPerKey (10) bits per key (at least
// bloomMinBytes) with bloomProbes (7) probes, about 0.8% false positives.
// All probes come from one 64-bit hash of the key
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
// limited to Options.BlockCacheBytes (default 8 MiB). A cache of 16 MiB or
// more is split by a hash of the key into shards (one per 8 MiB, at most
// 16), each with its own lock, lists and an equal share of the limit, so
// that concurrent readers seldom wait for each other; what follows holds
// per shard. Blocks are cached
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
// evicted. Gets and iterators fill the cache; compactions, Check and
// BlockBounds (which lists where the data blocks of a key range end, for a
// reader that samples the range by blocks) read through it without
// filling it. Eviction drops the cache's reference
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
// (for a version 1 to 3 table, also its last key), and its record in the
// version (smallest and largest keys, size, sequence numbers). No
// structure grows with the table data beyond those: index and filter
// blocks are cache entries like data blocks. What grows otherwise is
// bounded by use, not by data: the live range tombstones (in memory until
// compactions let them go: see Range deletes), the open snapshots, and
// versions pinned by open iterators (their tables stay open). On top come transient buffers: a table writer's
// current data block, index partition, top index (one entry per 4096
// keys) and the hashes of one partition's keys; a reader's blocks in use
// (above); and each table iterator's read-ahead (up to readaheadBytes of
// blocks, and its read buffer), compactions included. The Go
// collector lets the heap grow past the live data (GOGC; bound it with
// GOMEMLIMIT), so the process's resident size is larger than what the DB
// holds.
//
// # Levels
//
// The tables form a version: seven levels, L0 to L6. L0 holds flushed
// tables, newest first (by decreasing file number: a flush takes its number
// when it freezes the memtable, and flushes are serialized); their key
// ranges may overlap. L1 to L6 each hold tables sorted by key whose user
// key ranges do not overlap (no user key spans two tables of a level), and
// every version of a key in Ln is older than any in Ln-1 or L0. Each
// table's smallest and largest internal keys, size and sequence number
// range are recorded in the manifest. Get looks in every L0 table whose
// range holds the key (newest first), then in the one table of each deeper
// level whose range holds it, found by binary search, and stops at the
// first version at or below its sequence number (hidden if a newer range
// tombstone it sees covers it); a bloom filter usually answers for a table
// that does not hold the key.
//
// A version is immutable and reference counted: the DB holds its current
// version, and each Get, Iterator and compaction holds the version it
// started with. Each table counts the versions holding it; when none does,
// the table is obsolete, its file is closed and removed and its blocks are
// evicted. So iterators opened before a compaction keep working (an
// iterator never closed pins its version until Close; Open removes the
// files then).
//
// # Ingestion
//
// Ingest (ingest.go) writes a sorted run of keys that exist nowhere in the
// store, and that nothing writes meanwhile (a fresh key range: a table
// rewrite's new storage), as one table with one new sequence number, and
// adds it with one manifest edit, which also records the number: no WAL,
// no memtable, no flush. The table goes to the deepest level above which
// no level (from L1) holds a table whose range meets its own, or to L0
// when L1 does. It may then sit below tables with newer versions of other
// keys in its range, never of its own keys, so "every version of a key in
// Ln is older than any in Ln-1 or L0" still holds, and so does every read
// and compaction rule above. It holds compactMu from choosing the level to
// the edit, so that no compaction installs an overlapping table there
// meanwhile. NewSnapshot waits while an Ingest runs: a snapshot taken
// after the number was chosen would otherwise see the table appear.
//
// # Compaction
//
// Leveled, as in LevelDB. A compaction is needed when L0 holds
// Options.L0CompactionThreshold tables (default 4), or a level Ln (1 to 5)
// holds more bytes than its target: Options.L1TargetBytes (default 10 MiB)
// for L1, ten times the level above's for the others (L6 has none). Each
// needing level scores its table count over the threshold (L0) or its bytes
// over its target; the highest score is compacted first.
//
//   - L0 into L1: the oldest L0 table and every L0 table overlapping the key
//     range the chosen ones span, until it stops growing (an L0 table left
//     out overlaps none of them, so moving them below it reorders no
//     versions), merged with the L1 tables they overlap.
//   - Ln into Ln+1: one table of Ln, round robin by a compact pointer per
//     level (the largest key of the last table picked there, recorded in the
//     manifest): the first table whose largest key is above it, wrapping
//     around; merged with the Ln+1 tables it overlaps.
//   - A trivial move: a single input table overlapping nothing in the next
//     level is moved there by a manifest edit, not rewritten.
//
// The merge sees every version of each key, newest first, and keeps the
// newest version each open snapshot sees: the sequence numbers of the
// snapshots open when the compaction was picked cut the versions into
// stripes (stripe i holds the numbers above i snapshots and at or below
// the next), and only the newest version in each stripe is kept. A
// snapshot taken during the compaction is above every input version. In
// stripe 0 (below every snapshot, so the newest version there is what
// every reader sees of the older versions), a tombstone is dropped when no
// level below the output level has a table whose key range holds its key
// (so no older version can resurface); otherwise it is kept.
// Options.CompactionFilter is shown the newest version of each live key in
// the inputs when that version is in stripe 0 (the memtables are never
// filtered, and a value some snapshot could see an older version behind is
// not offered); a value it rejects is dropped like a tombstone would be,
// and otherwise written as a tombstone, which keeps older versions below
// hidden. Output is cut into tables of about Options.TargetFileBytes
// (default 2 MiB; a table is cut after the data block that reaches it)
// only between user keys, so no user key spans two tables of a level. Output tables are never split
// to limit their overlap with the level below the output (LevelDB's
// grandparent limit), and L0 inputs are not limited in number.
//
// A background goroutine, started by Open and stopped by Close, runs
// compactions one at a time after each flush that leaves a level needing
// one, until none does. Compact compacts every level, from L0 down, into
// the level below the deepest level holding data (L6 into itself), so all
// data ends in one level with its tombstones dropped. Backpressure: when
// L0 holds Options.L0StopWritesThreshold tables (default 12), Flush first
// runs or waits for one L0 compaction; if that one fails, the flush goes
// on, and maxTableFiles stays the hard limit. Compactions are serialized;
// flushes proceed during one (they only add L0 tables, newer than any
// compaction input, and a compaction's output goes below L0).
//
// Metrics reports per-level table counts and bytes, the table bytes
// written by flushes and by compactions and read by compactions, and
// WriteAmp: table bytes written per byte flushed.
//
// The switch is ordered so that every crash image is either the state
// before or after the compaction, never a mix: (1) write the outputs, fsync
// them, sync the directory; (2) append the edit to the manifest log and
// fsync it; (3) install the new version in memory; (4) the inputs go when
// the last version holding them is released. A crash before the edit is
// durable leaves the old version and unlisted outputs, after it the new
// version and unlisted inputs; Open removes unlisted files either way.
//
// A failed compaction changes nothing visible: the partial outputs are
// removed, the error is returned by Compact (and recorded in Metrics for
// the background one), and a later compaction may succeed. The exception
// is a failed manifest append whose replacement log also failed (see
// Manifest): which version a crash would leave is unknown (the outputs and
// the inputs are both kept), and the store fails as after a failed flush
// (ErrFailed). Failing to remove an obsolete input after a successful
// compaction is only counted (Metrics.ObsoleteRemoveFails): the next Open
// removes it.
//
// # Manifest
//
// The manifest is a log of version edits, MANIFEST-NNNNNN (its own
// numbering, from 1), named by the file CURRENT, which holds the name and
// a newline. A log is
//
//	header   magic u32 ("cfml"), version u32 (3)
//	record*  payload length u32, CRC-32C u32 of the payload, payload
//
// (little-endian), each payload a version edit: a sequence of fields, each
// a uvarint tag and its values (uvarints; keys as a uvarint length and the
// bytes):
//
//	1 FlushedLSN
//	2 next file number
//	3 compact pointer: level, key (an internal key)
//	4 deleted table: level, file number
//	5 added table of user keys (written before sequence numbers): level,
//	  file number, size in bytes, smallest user key, largest user key
//	6 last sequence number used
//	7 added table: level, file number, size in bytes, smallest internal
//	  key, largest internal key, largest sequence number
//	8 added table: tag 7's fields, then the smallest sequence number
//	9 range tombstone: start user key, end user key, sequence number
//	10 deleted range tombstone: sequence number
//
// The writer writes tag 8 for tables, 5 only for tables of user keys that
// are still live.
//
// The first record is a snapshot: it adds every table and range tombstone
// of the version and sets FlushedLSN, the next file number and the last
// sequence number. Each flush and compaction then
// appends one edit (its added and deleted tables and range tombstones, the
// new FlushedLSN, the next file number, the last sequence number, and the
// compact pointer it moved) and fsyncs the log
// before the new version is installed in memory. Recovery replays the
// edits in order, checking each against the version so far (a deleted
// table must exist, an added one must not, L1..L6 must not overlap) and at
// the end that every table is numbered below the next file number. A torn
// last record — the file ends inside it, it is the last record and its
// checksum fails, or the rest of the file is zeros — is a crash during its
// append and is cut off; any other bad record is ErrCorrupt naming the file
// and the record's offset.
//
// A new log is started (a snapshot as its first record, fsynced; then
// CURRENT.tmp written, fsynced and renamed over CURRENT, and the directory
// synced; then the old log removed) at every Open (so a torn tail is never
// appended to, and the log is compacted), when the log passes
// defaultManifestRotateBytes (4 MiB) after an edit, and after a failed
// append. A failed append or fsync may leave part of the record on disk,
// so that log is never appended to again: a new log holding the version
// without the edit is started at once; if that succeeds, the edit is
// certainly not recorded and the failure is clean (a compaction removes its
// outputs; a flush still fails the store, as every failed flush does). If
// it fails, which state a crash would leave is unknown and the store fails
// (ErrFailed), keeping the edit's tables on disk. A new log started for
// size that fails before CURRENT is renamed is only counted
// (Metrics.ManifestRotationFailures): the old log goes on. A failed
// directory sync after CURRENT's rename fails the store: either log may
// be the one a crash leaves.
//
// A new table's file is fsynced and its directory entry synced before any
// manifest edit names it. Open deletes every file in the directory that
// the manifest does not name (half-written tables, stale logs, CURRENT.tmp,
// compaction inputs or outputs left by a crash), then starts a new log; the
// directory belongs to the store.
//
// Older formats are still read, once, by Open, which then writes a log and
// removes them: a single-file MANIFEST, version 2 (magic u32 "cfnm",
// version u32, one snapshot edit, CRC-32C u32 of everything before it) or
// version 1 (magic, version, FlushedLSN u64, next file number u64, count
// u32, that many table numbers u64 newest first, CRC), used when there is
// no CURRENT. Version 1 has no levels or key ranges: its oldest table
// becomes L1 (a version 1 compaction's output, which may carry a number
// above newer tables', was always the oldest table) and the others L0, and
// their sizes and key ranges are read from the tables.
//
// # Pinning a version for a backup
//
// Pin takes a reference on the current version, as an iterator does, so
// that its tables stay on disk whatever compactions replace meanwhile;
// Pin.CopyTo hard-links (vfs.Linker) or copies them into another
// directory with a new manifest naming exactly them (its counters and
// flushed LSN from the same edit), which lsm.Open then opens as a store of
// its own; Release drops the reference. Batch.Sets lets a reader of the
// WAL look into a batch (a restore finds commit records).
//
// # Concurrency
//
// Apply, Get, NewIter, NewSnapshot, Flush, Compact, Ingest, BlockBounds, FlushedLSN,
// MemtableSize and Metrics are safe for concurrent use, and so are a
// Snapshot's methods. A RWMutex (DB.mu) guards the memtable pointers and
// sizes, the current version, the sequence number and the open
// snapshots; Apply inserts into the active memtable holding it for
// writing, Get reads the memtables under the read lock, and iterators
// read them without it (see Memtable). Flush freezes the memtable under
// the lock, writes the table without it (readers and writers continue;
// the frozen memtable stays readable), and installs the table under the
// lock. Flushes are serialized, and so are compactions;
// manifestMu serializes manifest writes with the version change each
// records. Lock order: ingestMu, flushMu, compactMu, manifestMu, mu. An Iterator is
// a consistent view as of its sequence number (the memtables read without
// the lock, skipping newer versions, and a pinned version) and is not safe
// for concurrent use by itself. The block cache has its own mutex;
// version and table reference counts and read counters are atomics.
//
// # Not done yet
//
//   - Range tombstones live in the manifest and memory, not in tables
//     (no range-deletion block, no fragmentation); a read scans them all.
//   - Compaction output is not cut to bound its overlap with the level
//     below the output (LevelDB's grandparent limit), L0 is not split into
//     sublevels, and compactions run one at a time.
//   - Flushes write every version in the memtable, even those no reader
//     can see; compactions drop them.
//   - Metrics count table bytes only: write amplification excludes the
//     caller's WAL and the manifest.
//   - Tables carry no sequence numbers of their own: a table's range of
//     numbers is in the manifest only; nor does a table say whether it
//     holds internal or user keys (the manifest tag does).
//   - Compression is Snappy or none, chosen per DB (not per level); there
//     is no dictionary compression and no checksum other than CRC-32C.
//   - Filters are partitioned by the index, not by prefix: a range scan
//     gets no help from them, and there is no prefix bloom filter.
//   - The block cache is one LRU (two lists: data, and index and filter
//     blocks) behind one mutex, not sharded; it is not shared between DBs.
//
// # Errors
//
// ErrCorrupt (a mark: test with errors.Is) for bad table, manifest, CURRENT
// or batch bytes; ErrClosed after Close; ErrFailed after a Flush failed, a
// compaction failed leaving the manifest uncertain, or a new manifest log's
// directory sync failed (the unflushed data stays readable in memory and
// in the caller's WAL, FlushedLSN does not move past what is durable, and
// every later Flush and Compact fails — an fsync is never retried; reopen
// to go on; Failed reports it). Other compaction failures are returned by
// Compact and are not sticky.
//
// A full disk (vfs.IsNoSpace) is not sticky when a Flush meets it before
// its manifest edit can be durable: writing the table, or appending the
// edit when a new manifest log without the edit could still be started.
// The partial or unnamed table is removed, the frozen memtable stays
// frozen and readable (writes go on into a new active memtable), FlushedLSN
// stays, and the error is returned; the next Flush writes the frozen
// memtable first and then the active one, so the caller retries once space
// is back (the node's checkpointer does, with backoff). Nothing is fsynced
// twice: a retry writes a new table file.
package lsm
