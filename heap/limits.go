package heap

// Limits of the heap, in one place.

// vacuumBatch bounds the deletions written in one WAL record.
const vacuumBatch = 1024

// moveBatch bounds the rows MoveRows writes in one WAL record.
const moveBatch = 1024

// loadBatch and loadBatchBytes bound the rows LoadRows writes in one WAL
// record; a record ends after the row that reaches loadBatchBytes.
const (
	loadBatch      = 4096
	loadBatchBytes = 4 << 20
)

// ingestBytes is about the size of the tables LoadRows ingests (keys and
// values before compression); a table ends after the row that reaches it.
const ingestBytes = 64 << 20

// A vacuum remembers a row as swept, and later vacuums start it at its
// oldest kept version (see Vacuum), once it has stepped over
// vacuumSweptRowSteps entries of the row (versions and the tombstones of
// versions removed before); at most vacuumSweptRowsMax rows per table are
// remembered, about 100 bytes each.
const (
	vacuumSweptRowSteps = 32
	vacuumSweptRowsMax  = 4096
)

// A row whose forward read steps over more than hotRowSteps entries is
// read newest first from then on (see scanRow); the set of such rows has
// hotRowsSlots slots (8 bytes each), a row evicting the one whose slot it
// takes (see hotRows).
const (
	hotRowSteps  = 16
	hotRowsSlots = 1 << 16
)

// The background vacuum walks only the rows claimed since a table's last
// vacuum (VacuumDirty) while at most vacuumDirtyRowsMax are marked, and
// walks the whole table every vacuumWholeEvery passes.
const (
	vacuumDirtyRowsMax = 1 << 16
	vacuumWholeEvery   = 16
)
