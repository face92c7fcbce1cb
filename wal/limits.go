package wal

import "time"

// Limits of the log. Going over one returns an error, never unbounded growth.
const (
	// MaxPayload is the largest record payload Append accepts (ErrTooLarge).
	MaxPayload = 64 << 20
	// headerSize is the fixed record header: length word, CRC word and
	// the record's own LSN.
	headerSize = 16
	// defaultSegmentSize is the segment size when Options.SegmentSize is
	// zero.
	defaultSegmentSize = 16 << 20
	// sparesMax is how many removed segments are kept, renamed, for reuse
	// as future segments.
	sparesMax = 4
	// zeroBlockSize is the write size used to fill a new segment with
	// zeros.
	zeroBlockSize = 1 << 20
	// maxSpareBufBytes is the largest written chunk buffer the log keeps
	// for the next sync round's records.
	maxSpareBufBytes = 1 << 20
	// defaultFlushInterval is Options.FlushInterval when it is zero
	// (PostgreSQL's wal_writer_delay).
	defaultFlushInterval = 200 * time.Millisecond
	// flushAfterBytes of records appended since the last sync wake the
	// background writer before its interval ends (PostgreSQL's
	// wal_writer_flush_after, 1 MB by default).
	flushAfterBytes = 4 << 20
)

// A payload length must fit the uint32 length word.
const _ = uint32(MaxPayload)
