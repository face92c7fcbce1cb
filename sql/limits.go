package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
)

// Limits on what one statement may ask for. Going over one returns an error
// with SQLSTATE 54xxx rather than exhausting memory or the goroutine stack.
const (
	// exprDepthMax bounds the nesting of expressions and subqueries in the
	// binder and the evaluator, as it does in the translator.
	exprDepthMax = parser.ExprDepthMax
	// functionRowsMax bounds the rows one set-returning function call may
	// produce (generate_series(1, 1e12) fails instead of exhausting memory);
	// the executor materializes them. It matches the join step limit.
	functionRowsMax = 5_000_000
	// backendPIDMax bounds the process ids sessions are given; pgwire's
	// cancel keys take the same 30 bits.
	backendPIDMax = 1<<30 - 1
	// allocBytesMax is PostgreSQL's MaxAllocSize (1 GB - 1): no text
	// value reaches it (54000, "Cannot enlarge string buffer ..."), and no
	// array_agg result passes it.
	allocBytesMax = 1<<30 - 1
	// arrayAggElemsMax is where PostgreSQL 15's array_agg stops: its
	// array of values doubles from 64 and may not pass allocBytesMax
	// (8 bytes a value).
	arrayAggElemsMax = 1 << 26
	// repeatBytesMax is the longest text repeat() makes: allocBytesMax
	// less a varlena header, as PostgreSQL checks it.
	repeatBytesMax = allocBytesMax - 4
	// memoryStepBytes is how much a statement reserves from the engine's
	// memory budget at a time, so the budget's lock is not on the
	// per-row path (memory.go).
	memoryStepBytes = 1 << 20
	// cancelCheckRows is how many rows (or loop steps) a statement
	// processes between two looks at its context (memory.go).
	cancelCheckRows = 1024
	// inheritDepthMax bounds the depth of an inheritance or partition
	// hierarchy a scan or a row's routing walks (inherit.go).
	inheritDepthMax = 64
)

// tempDropLockTimeout bounds how long a closing session waits for a lock
// on one of its temporary relations (a lock_timeout value; schema.go).
const tempDropLockTimeout = "5s"

// arrayAggElemsMax is the last doubling of a Datum array (8 bytes each)
// that stays within allocBytesMax.
var (
	_ [allocBytesMax - arrayAggElemsMax*8]struct{}
	_ [arrayAggElemsMax*16 - allocBytesMax - 1]struct{}
)

func tooDeep() error {
	return pgerr.New(pgerr.StatementTooComplex, "stack depth limit exceeded").
		WithHint("The statement nests expressions too deeply.")
}

// A COPY FROM into a table that takes rows in bulk (copy.go) writes them
// copyBatchRows at a time, or sooner once they hold copyBatchBytes: one WAL
// record each, far under the WAL's record limit.
const (
	copyBatchRows  = 1024
	copyBatchBytes = 1 << 20
)

// When the heap can ingest tables (heap.Heap.CanIngest), such a COPY
// that reaches copyBatchBytes reserves a buffer of copyIngestBytes from
// the statement's memory, gathers rows until they fill it and ingests
// them as one LSM table, bypassing the WAL and the memtable; what is left
// at the end is ingested too if it holds copyIngestMinBytes, else written
// to WAL records as above (a small COPY is not worth a table and its
// syncs). A COPY that cannot have the buffer writes WAL records.
// The buffer has copyIngestSlackBytes of room past copyIngestBytes, so
// that the row that fills it is not the one that makes it grow (a copy of
// the whole buffer), unless that row is larger than the slack.
const (
	copyIngestBytes      = 16 << 20
	copyIngestMinBytes   = 1 << 20
	copyIngestSlackBytes = 256 << 10
)

var _ [copyIngestBytes - copyIngestMinBytes - 1]struct{} // the minimum is below a full buffer
var _ [copyIngestMinBytes - copyBatchBytes]struct{}      // and at least a WAL batch

// A table rewrite (ADD PRIMARY KEY) keeps the rows it read in chunks of
// rewriteChunkRows.
const rewriteChunkRows = 16384

// A rewrite hands its loader (rewriteLoad) chunks through a queue of
// rewriteLoadChunks; the chunks are held anyway, the queue only lets the
// scan run ahead of the load.
const rewriteLoadChunks = 8

// A rewrite appends the new keys to buffers of rewriteKeyBufBytes, and
// starts a new one when less than rewriteKeyRoomBytes are left (a longer
// key makes the buffer grow, which is correct, only slower).
const (
	rewriteKeyBufBytes  = 1 << 20
	rewriteKeyRoomBytes = 256
)

// A rewrite copies the rows' data into buffers of rewriteDataBufBytes,
// but a row of more than rewriteDataOwnBytes into one of its own (a
// buffer's unused tail is wasted: at most rewriteDataOwnBytes of each).
const (
	rewriteDataBufBytes = 1 << 20
	rewriteDataOwnBytes = 8 << 10
)
