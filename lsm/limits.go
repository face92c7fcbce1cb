package lsm

// Limits and sizes, in one place.
const (
	// defaultMemtableBytes is the flush threshold hint when
	// Options.MemtableBytes is zero.
	defaultMemtableBytes = 4 << 20
	// blockSizeTarget is where the table writer cuts a data block.
	blockSizeTarget = 4 << 10
	// restartInterval is the number of entries from one restart point of
	// a data block to the next: a lookup decodes at most this many
	// entries after its binary search.
	restartInterval = 16
	// indexPartitionBytesTarget is where the table writer cuts an index
	// partition (and the filter partition of the same data blocks).
	indexPartitionBytesTarget = 4 << 10
	// filterPartitionKeysMax is the most keys in one partition, which
	// bounds a filter partition at about filterPartitionKeysMax *
	// bloomBitsPerKey / 8 bytes (5 KiB).
	filterPartitionKeysMax = 4096
	// readaheadBytes is the most a table iterator reads ahead in one
	// ReadAt when it steps forward into blocks that are not cached.
	readaheadBytes = 64 << 10
	// iterKeyArenaBytes is the largest chunk an Iterator copies returned
	// keys into (keys must stay valid after it moves; one chunk holds
	// many). The first chunk is iterKeyFirstArenaBytes and each next one
	// doubles, so a point lookup that returns one or two keys does not pay
	// for a whole chunk.
	iterKeyArenaBytes      = 4 << 10
	iterKeyFirstArenaBytes = 64
	// iterInlineSources, iterInlineLevels and iterInlineBoundBytes size
	// what an Iterator holds inside itself rather than in allocations of
	// their own: slots for that many sources (memtables, L0 tables and
	// levels), level sources, and bytes of bounds with their internal
	// keys. A point lookup usually reads the memtable and one or two
	// levels; more sources than that cost an allocation, no more.
	iterInlineSources    = 8
	iterInlineLevels     = 2
	iterInlineBoundBytes = 96
	// rawBlockPoolMaxBytes is the largest buffer readPayload keeps for
	// the next block read (blocks are about blockSizeTarget; index
	// partitions about indexPartitionBytesTarget).
	rawBlockPoolMaxBytes = 64 << 10
	// tableSourceKeyBytes is the key buffer a table source holds inside
	// itself (internal keys of a table row are about 30 bytes); a longer
	// key grows it once per source.
	tableSourceKeyBytes = 48
	// entryOverheadBytes is the memtable accounting cost of one entry
	// beyond its key and value.
	entryOverheadBytes = 32
	// maxTableFiles bounds the manifest (and the open table files).
	maxTableFiles = 1 << 16
	// maxIndexBytes bounds an index block (a top index, an index
	// partition, or the whole index of a version 1 to 3 table) that a
	// reader loads into memory.
	maxIndexBytes = 256 << 20
	// maxBlockBytes bounds one data block read from a table, and what a
	// compressed block may decompress to.
	maxBlockBytes = 1 << 30
	// snappyMaxExpansion bounds what a reader accepts as the decompressed
	// length of a Snappy block, as a multiple of its compressed length:
	// the densest Snappy element (a 3-byte copy of 64 bytes) expands
	// about 21 times.
	snappyMaxExpansion = 32
	// skipMaxHeight is the tallest tower of the memtable's skiplist. Each
	// level holds about a quarter of the nodes of the one below, so 16
	// levels keep searches logarithmic up to about 4^16 (4 billion)
	// entries.
	skipMaxHeight = 16
	// The memtable's arena is chunks of uint64 words that double from the
	// first size to the largest. A node (header, tower and key) or a
	// value bigger than a quarter of the largest that does not fit in
	// the current chunk gets a chunk of its own.
	skipFirstChunkWords = 512       // 4 KiB
	skipMaxChunkWords   = 128 << 10 // 1 MiB

	// bloomBitsPerKey sizes a table's bloom filter; with bloomProbes
	// probes (about bloomBitsPerKey * ln 2) the false-positive rate is
	// about 0.8%.
	bloomBitsPerKey = 10
	bloomProbes     = 7
	// bloomProbesMax is the most probes a reader accepts from a file.
	bloomProbesMax = 30
	// bloomMinBytes is the smallest filter written.
	bloomMinBytes = 8
	// maxFilterBytes bounds one filter block a reader loads: a version 4
	// partition is far smaller; a version 2 or 3 table had one filter for
	// all its keys.
	maxFilterBytes = 32 << 20

	// defaultBlockCacheBytes is the block cache limit when
	// Options.BlockCacheBytes is zero.
	defaultBlockCacheBytes = 8 << 20
	// cachedBlockOverheadBytes is the cache accounting cost of one block's
	// bookkeeping (list element, map slot, header).
	cachedBlockOverheadBytes = 128
	// cacheShardBytesMin and cacheShardsMax decide how many shards the
	// block cache has (see blockCache): one per cacheShardBytesMin of
	// its limit, at most cacheShardsMax (a power of two).
	cacheShardBytesMin = 8 << 20
	cacheShardsMax     = 16
	// cacheMetaPercent is the share of the block cache that index and
	// filter blocks may hold before they, rather than data blocks, are
	// evicted first.
	cacheMetaPercent = 50
	// cacheSecondChancesMax bounds the index and filter blocks that one
	// insertion into the cache moves back to the front of their list,
	// rather than evicts, because they were used since they last moved.
	cacheSecondChancesMax = 64

	// defaultL0CompactionThreshold is the table count above which the
	// background compaction runs when Options.L0CompactionThreshold is
	// zero.
	defaultL0CompactionThreshold = 4
	// defaultL0StopWritesThreshold is the table count at which Flush
	// waits for a compaction when Options.L0StopWritesThreshold is zero.
	defaultL0StopWritesThreshold = 12
	// defaultL1TargetBytes is L1's size target when Options.L1TargetBytes
	// is zero; each deeper level's is levelSizeMultiplier times larger.
	defaultL1TargetBytes = 10 << 20
	levelSizeMultiplier  = 10
	// defaultTargetFileBytes is where a compaction cuts its output when
	// Options.TargetFileBytes is zero.
	defaultTargetFileBytes = 2 << 20
	// defaultManifestRotateBytes is the manifest log size at which a new
	// log, starting with a snapshot of the version, replaces it.
	defaultManifestRotateBytes = 4 << 20
	// compactionAbortCheckEntries is how often (in entries written) a
	// compaction checks whether Close wants it to stop.
	compactionAbortCheckEntries = 1024
)

const (
	_ = uint(maxIndexBytes - blockSizeTarget)                             // the index limit exceeds a block
	_ = uint(maxTableFiles - defaultL0StopWritesThreshold)                // writes stall before the hard limit
	_ = uint(defaultL0StopWritesThreshold - defaultL0CompactionThreshold) // compaction starts before stalls
	_ = uint(bloomProbesMax - bloomProbes)                                // the writer's probes are readable
	_ = uint(restartInterval - 1)                                         // every block starts with a restart
	_ = uint(maxFilterBytes - filterPartitionKeysMax*bloomBitsPerKey/8)   // a written filter partition is readable
	_ = uint(defaultBlockCacheBytes - 64*indexPartitionBytesTarget)       // the default cache holds many partitions
	_ = uint(defaultBlockCacheBytes - 64*blockSizeTarget)                 // the default cache holds many blocks
	_ = uint(100 - cacheMetaPercent)                                      // a share of the cache
	_ = uint(readaheadBytes - 2*blockSizeTarget)                          // a read-ahead spans blocks
	_ = uint(skipFirstChunkWords - 2*(3+skipMaxHeight))                   // the first chunk holds the head and a node
	_ = uint(skipMaxChunkWords - skipFirstChunkWords)                     // chunks grow
)
