package heap

// Limits of the heap, in one place.

// vacuumBatch bounds the deletions written in one WAL record.
const vacuumBatch = 1024

// A vacuum remembers a row as swept, and later vacuums start it at its
// oldest kept version (see Vacuum), once it has stepped over
// vacuumSweptRowSteps entries of the row (versions and the tombstones of
// versions removed before); at most vacuumSweptRowsMax rows per table are
// remembered, about 100 bytes each.
const (
	vacuumSweptRowSteps = 32
	vacuumSweptRowsMax  = 4096
)
