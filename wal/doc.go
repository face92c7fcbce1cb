// Package wal is cairn's write-ahead log: one log for the whole node.
//
// # What it owns
//
// A segmented, append-only log of opaque records: framing, checksums, group
// commit, replay, tail repair on recovery and removal of old segments. It does
// not know what records mean (that is the caller's), and imports only
// internal/vfs.
//
// # LSNs
//
// An LSN is the byte position at which a record starts in the logical log, so
// LSNs strictly increase. LSN 0 means "none": a new log begins at FirstLSN (1),
// so no record ever has LSN 0. A record with LSN x occupies [x, x+8+len).
//
// # On-disk format
//
// The log is a directory of segment files named by their start LSN as 16
// lowercase hex digits plus ".wal" (the first is "0000000000000001.wal").
// The first record of a segment has the segment's start LSN, and a record at
// offset o of segment s has LSN s+o. Segments are contiguous: each segment
// starts at the LSN where the previous one ends. A record never spans
// segments: a new segment starts when the next record would take the current
// one past Options.SegmentSize (a record bigger than that gets a segment of
// its own). Each record is
//
//	length  uint32 little-endian, payload length (at most MaxPayload)
//	crc     uint32 little-endian, CRC-32C (Castagnoli) of the 4 length bytes
//	        followed by the payload
//	payload length bytes
//
// An all-zero header is never valid (the CRC-32C of a zero length is not 0).
// Files whose names are not segment names are ignored.
//
// # Recovery
//
// Open scans every segment in order ("read to the end before appending").
// In the last segment a torn tail — short header, short payload, a length
// beyond the end of the file, an all-zero header, or a bad CRC — is cut off
// (the file is truncated to its last good record and synced) provided no
// valid record follows it at any later offset; TruncatedBytes reports how many
// bytes were cut. A bad record anywhere else, or a bad record followed by a
// valid one, is corruption: Open returns an error wrapping ErrCorrupt that
// names the segment file and offset, and refuses to start. Replay re-checks
// every CRC as it reads.
//
// # Durability and group commit
//
// Append only buffers the record in memory. SyncTo(lsn) returns once every
// record with LSN <= lsn is written and fsynced. Concurrent callers share one
// write+fsync: the first waiter becomes the leader, takes everything appended
// so far, and writes and syncs it without holding the log's mutex; callers
// that arrive meanwhile append and wait; when the leader finishes, one of them
// leads the next batch for all of them. A caller whose records a finished sync
// already covered returns at once. When the leader starts a new segment it
// first syncs the previous one, then creates the file and syncs the directory,
// so a segment's existence implies its predecessor is complete.
//
// A failed write or fsync is fatal: the log never retries an fsync (the page
// cache may have dropped the dirty pages), and every later Append, SyncTo and
// AppendSync returns an error wrapping ErrFailed and the original cause.
//
// # Concurrency
//
// Append, SyncTo, AppendSync, NextLSN, Stats and RemoveBefore are safe for
// concurrent use. Replay must be called after Open and before the first
// Append (it returns ErrReplayAfterAppend otherwise), and not concurrently
// with other methods. Close waits for an in-flight sync, syncs what was
// appended, and makes later calls return ErrClosed.
//
// # Errors
//
// ErrCorrupt (a mark: test with errors.Is), ErrFailed, ErrTooLarge, ErrClosed,
// ErrReplayAfterAppend; file-system errors are wrapped with the file name.
package wal
