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
// starts at the LSN where the previous one's records end. A record never
// spans segments: a new segment starts when the next record would take the
// current one past Options.SegmentSize (a record bigger than that gets a
// segment of its own). Each record is
//
//	length  uint32 little-endian, payload length (at most MaxPayload)
//	crc     uint32 little-endian, CRC-32C (Castagnoli) of the payload
//	        followed by the length word and the LSN field
//	lsn     uint64 little-endian, the record's own LSN
//	payload length bytes
//
// A record is valid at LSN x only if its lsn field is x and its CRC matches.
// An all-zero header is never valid (no record has LSN 0).
//
// Segment files have a fixed size, Options.SegmentSize. A new segment is a
// spare renamed to the segment's name: either a removed segment kept for
// reuse (RemoveBefore renames up to four removed segments of that size to
// spares named by their old start LSN plus ".spare",
// "0000000000000001.spare") or a fresh file, filled with zeros to the
// segment size and synced under the temporary name "spare.tmp", then named
// "new-" plus a 16-hex-digit counter plus ".spare". The directory is synced
// after the rename to the segment's name, before the first record goes in,
// and appending only overwrites bytes inside the file, so a sync never
// changes the file's size. The bytes after a segment's records are therefore
// zeros or stale records of the file's earlier use. Stale records carry LSNs
// of that earlier use, all below the segment's start, so none is ever valid
// at its position now: the lsn field is what tells them from records of
// this use. Open drops spares of another size and any beyond four, and a
// leftover "spare.tmp". Other file names are ignored.
//
// # Recovery
//
// Open scans every segment in order ("read to the end before appending").
// The records of a segment that is not the last must exactly fill it up to
// the next segment's start LSN; what follows in the file is ignored. In the
// last segment the first position that holds no valid record — a short
// header or payload, zeros, stale data, or a bad CRC — ends the log, provided
// no valid record follows at any later offset. If anything after that end
// is not zero, Open overwrites it with zeros and syncs the file, so that no
// leftover can pass for a record once new records are written before it.
// Log.Cut reports what it discarded: the segment file, the offset in it and
// the LSN where the log now ends, the number of bytes (through the last
// non-zero one), and why the bytes there are not a record (short header,
// all-zero header, wrong LSN, length over the limit or past the end of the
// file, checksum mismatch). Cut.Stale tells the routine case — the header
// names another LSN, as the earlier use's records in a recycled segment do
// — from a record of this log that was torn or damaged; the caller logs
// the cut (PostgreSQL likewise ends recovery at the first invalid record
// and says where). A bad record anywhere
// else, or a bad record followed by a valid one, is corruption: Open returns
// an error wrapping ErrCorrupt that names the segment file and offset, and
// refuses to start. Replay re-checks every record as it reads.
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
// first syncs the previous one, then renames the segment's prepared file into
// place and syncs the directory, so a segment's existence implies its
// predecessor is complete.
//
// Because the log is a prefix, syncing a record syncs every earlier one. A
// background writer syncs whatever is appended but unsynced at least every
// Options.FlushInterval (PostgreSQL's wal_writer_delay, 200 ms by default),
// which bounds how long a record nobody waits for — an asynchronous commit —
// stays volatile, and sooner once 4 MB (flushAfterBytes) are appended and
// unsynced, which bounds the memory a bulk load's records hold meanwhile.
//
// # Full disk and failures
//
// The file of a new segment is made before any record goes into it: Append
// accepts the record that starts a segment only once it holds a spare for
// it (the background writer makes a fresh spare when the current segment is
// half full and none is kept; otherwise Append makes it). That is where a
// full disk shows, since a segment is written in place and never grows: the
// record is then refused with the file system's ENOSPC error (a FileError
// for which vfs.IsNoSpace is true), the partial file is removed, and
// nothing else changes — records accepted before stay buffered and sync
// normally, the log does not fail, and the next Append tries again, so
// writes go on once space is back without a restart. No record is ever
// dropped from the buffer: a record the log accepted is either made durable
// or lost with the whole log.
//
// Any other failure is fatal: a failed write, fsync, close or rename of a
// segment, a failed directory sync, or a failure other than ENOSPC while
// making a segment's file (the device is sick). Data already handed to the
// kernel may be lost and the page cache may have dropped the dirty pages,
// so the log never retries an fsync: it calls Options.OnFail once, and
// every later Append, SyncTo of a record not yet durable, AppendSync and
// Close returns an error wrapping ErrFailed and the original cause. Records
// a sync finished before the failure stay durable, and SyncTo still
// succeeds for them. A restart replays whatever reached the disk.
//
// # Segments for backups and archiving
//
// Segments lists the segments, Finished those no record will be added to
// and whose records are durable (a WAL archiver copies them),
// SwitchSegment makes the next Append start a new segment, and TruncateAt
// cuts a closed log at a record boundary (a restore to a point in time):
// it zeros the rest of that segment and removes the later ones.
//
// # Concurrency
//
// Append, SyncTo, AppendSync, NextLSN, SyncedLSN, Failed, Stats and
// RemoveBefore are safe for concurrent use (Appends are serialized). Replay must be called after Open and before the
// first Append (it returns ErrReplayAfterAppend otherwise), and not
// concurrently with other methods. Close stops the background writer, waits
// for an in-flight sync, syncs what was appended, and makes later calls
// return ErrClosed.
//
// # Errors
//
// ErrCorrupt (a mark: test with errors.Is), ErrFailed, ErrTooLarge, ErrClosed,
// ErrReplayAfterAppend. A file-system error of appending or syncing is a
// *FileError naming the file by its base name (errors.As), so that callers
// can report it without the absolute path; Open's errors are wrapped with
// the file name.
//
// Stats counts sync rounds, their records (a histogram of group-commit
// batch sizes), the bytes written and, with Options.Now, the time each
// round's fsyncs took.
package wal
