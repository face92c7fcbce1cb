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
	// iterKeyArenaBytes is the largest chunk an Iterator copies returned
	// keys into (keys must stay valid after it moves; one chunk holds
	// many). The first chunk is iterKeyFirstArenaBytes and each next one
	// doubles, so a point lookup that returns one or two keys does not pay
	// for a whole chunk.
	iterKeyArenaBytes      = 4 << 10
	iterKeyFirstArenaBytes = 64
	// entryOverheadBytes is the memtable accounting cost of one entry
	// beyond its key and value.
	entryOverheadBytes = 32
	// maxTableFiles bounds the manifest (and the open table files).
	maxTableFiles = 1 << 16
	// maxIndexBytes bounds the index block a reader loads into memory.
	maxIndexBytes = 256 << 20
	// maxBlockBytes bounds one data block read from a table.
	maxBlockBytes = 1 << 30
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
	// maxFilterBytes bounds one table's filter, written or loaded (about
	// 27 million keys at bloomBitsPerKey; bigger tables get a fuller
	// filter, not a bigger one).
	maxFilterBytes = 32 << 20

	// defaultBlockCacheBytes is the block cache limit when
	// Options.BlockCacheBytes is zero.
	defaultBlockCacheBytes = 8 << 20
	// cachedBlockOverheadBytes is the cache accounting cost of one block's
	// bookkeeping (list element, map slot, header).
	cachedBlockOverheadBytes = 128

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
	_ = uint(defaultBlockCacheBytes - 64*blockSizeTarget)                 // the default cache holds many blocks
	_ = uint(skipFirstChunkWords - 2*(3+skipMaxHeight))                   // the first chunk holds the head and a node
	_ = uint(skipMaxChunkWords - skipFirstChunkWords)                     // chunks grow
)
