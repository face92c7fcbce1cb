package lsm

// Limits and sizes, in one place.
const (
	// defaultMemtableBytes is the flush threshold hint when
	// Options.MemtableBytes is zero.
	defaultMemtableBytes = 4 << 20
	// blockSizeTarget is where the table writer cuts a data block.
	blockSizeTarget = 4 << 10
	// entryOverheadBytes is the memtable accounting cost of one entry
	// beyond its key and value.
	entryOverheadBytes = 32
	// maxTableFiles bounds the manifest (and the open table files).
	maxTableFiles = 1 << 16
	// maxIndexBytes bounds the index block a reader loads into memory.
	maxIndexBytes = 256 << 20
	// maxBlockBytes bounds one data block read from a table.
	maxBlockBytes = 1 << 30
	// iterFillCount is how many memtable entries an iterator copies out of
	// the B-tree at a time.
	iterFillCount = 64
)

const _ = uint(maxIndexBytes - blockSizeTarget) // the index limit exceeds a block
