package wal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cairndb/cairn/internal/vfs"
)

// LSN is the byte position in the log at which a record starts. LSNs of
// successive records strictly increase. 0 means "no LSN".
type LSN uint64

// FirstLSN is the LSN of the first record of a new log.
const FirstLSN LSN = 1

// Sentinel errors. Test with errors.Is.
var (
	// ErrCorrupt marks a damaged record that is not a torn tail.
	ErrCorrupt = errors.New("wal: corrupt record")
	// ErrFailed is returned by every write after a write or fsync failed.
	ErrFailed = errors.New("wal: log failed")
	// ErrTooLarge is returned by Append for a payload over MaxPayload.
	ErrTooLarge = errors.New("wal: record too large")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("wal: log closed")
	// ErrReplayAfterAppend is returned by Replay once Append has been called.
	ErrReplayAfterAppend = errors.New("wal: replay after append")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Options configure a Log. The zero value gives the defaults.
type Options struct {
	// SegmentSize is the size at which a new segment file starts
	// (default 16 MiB).
	SegmentSize int64
}

// Stats counts group-commit work.
type Stats struct {
	// Syncs is the number of write+fsync rounds (one per group commit).
	Syncs uint64
	// SyncedRecords is the number of records those rounds made durable.
	SyncedRecords uint64
}

// chunk is appended but unwritten bytes that all belong to one segment.
type chunk struct {
	segStart LSN
	data     []byte
}

// Log is the node's write-ahead log. See the package documentation.
type Log struct {
	fs             vfs.FS
	dir            string
	segmentSize    int64
	truncatedBytes int64

	// syncDone is signalled (on mu) whenever a sync round ends.
	syncDone *sync.Cond

	mu struct {
		sync.Mutex
		// segments are the start LSNs of the segments, ascending; the last
		// is the one Append writes to (its file may not exist yet).
		segments       []LSN
		next           LSN // LSN of the next Append
		synced         LSN // every record ending at or below this is durable
		pending        []chunk
		pendingRecords uint64
		syncing        bool // a leader is writing outside the lock
		appended       bool
		closed         bool
		failed         error
		stats          Stats
	}

	// w is owned by the sync leader (whoever set mu.syncing) and by Open
	// and Close.
	w struct {
		file  vfs.File
		start LSN
	}
}

func segmentName(start LSN) string {
	return fmt.Sprintf("%016x.wal", uint64(start))
}

func parseSegmentName(name string) (LSN, bool) {
	hex, ok := strings.CutSuffix(name, ".wal")
	if !ok || len(hex) != 16 {
		return 0, false
	}
	v, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return 0, false
	}
	return LSN(v), true
}

func (l *Log) path(start LSN) string {
	return l.fs.PathJoin(l.dir, segmentName(start))
}

// Open opens the log in dir, creating dir and a first segment if needed,
// scans every segment, cuts a torn tail off the last one, and positions the
// log for appending. See the package documentation for what counts as
// corruption.
func Open(fs vfs.FS, dir string, opts Options) (*Log, error) {
	l := &Log{fs: fs, dir: dir, segmentSize: opts.SegmentSize}
	if l.segmentSize <= 0 {
		l.segmentSize = defaultSegmentSize
	}
	l.syncDone = sync.NewCond(&l.mu.Mutex)
	if err := fs.MkdirAll(dir); err != nil {
		return nil, fmt.Errorf("wal: create dir %s: %w", dir, err)
	}
	names, err := fs.List(dir)
	if err != nil {
		return nil, fmt.Errorf("wal: list %s: %w", dir, err)
	}
	var starts []LSN
	for _, name := range names {
		if start, ok := parseSegmentName(name); ok {
			starts = append(starts, start)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })

	if len(starts) == 0 {
		f, err := l.createSegment(FirstLSN)
		if err != nil {
			return nil, err
		}
		l.w.file, l.w.start = f, FirstLSN
		l.mu.segments = []LSN{FirstLSN}
		l.mu.next, l.mu.synced = FirstLSN, FirstLSN
		return l, nil
	}

	var end LSN
	var validLast int64
	for i, start := range starts {
		if i > 0 && start != end {
			return nil, fmt.Errorf("%w: segment %s starts at LSN %d but the previous segment ends at LSN %d",
				ErrCorrupt, l.path(start), start, end)
		}
		last := i == len(starts)-1
		valid, size, err := l.scanSegment(start, last)
		if err != nil {
			return nil, err
		}
		end = start + LSN(valid)
		if last {
			validLast = valid
			l.truncatedBytes = size - valid
		}
	}

	lastStart := starts[len(starts)-1]
	f, err := fs.OpenAppend(l.path(lastStart))
	if err != nil {
		return nil, fmt.Errorf("wal: open segment: %w", err)
	}
	if l.truncatedBytes > 0 {
		if err := f.Truncate(validLast); err != nil {
			return nil, errors.Join(fmt.Errorf("wal: cut torn tail of %s: %w", l.path(lastStart), err), f.Close())
		}
		if err := f.Sync(); err != nil {
			return nil, errors.Join(fmt.Errorf("wal: sync %s after cutting torn tail: %w", l.path(lastStart), err), f.Close())
		}
	}
	l.w.file, l.w.start = f, lastStart
	l.mu.segments = starts
	l.mu.next, l.mu.synced = end, end
	return l, nil
}

// createSegment creates the segment file for start and makes its directory
// entry durable.
func (l *Log) createSegment(start LSN) (vfs.File, error) {
	f, err := l.fs.Create(l.path(start))
	if err != nil {
		return nil, fmt.Errorf("wal: create segment: %w", err)
	}
	if err := l.fs.SyncDir(l.dir); err != nil {
		return nil, errors.Join(fmt.Errorf("wal: sync dir %s after creating %s: %w", l.dir, segmentName(start), err), f.Close())
	}
	return f, nil
}

// readSegment returns the first n bytes of a segment file (all of it if n<0).
func (l *Log) readSegment(start LSN, n int64) ([]byte, error) {
	name := l.path(start)
	f, err := l.fs.Open(name)
	if err != nil {
		return nil, fmt.Errorf("wal: open segment: %w", err)
	}
	defer f.Close()
	if n < 0 {
		if n, err = f.Size(); err != nil {
			return nil, fmt.Errorf("wal: size of %s: %w", name, err)
		}
	}
	data := make([]byte, n)
	if _, err := f.ReadAt(data, 0); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, fmt.Errorf("wal: read %s: %w", name, err)
	}
	return data, nil
}

// checkRecord validates the record at the start of b and returns its total
// size, or a reason why it is not a valid record.
func checkRecord(b []byte) (n int, reason string) {
	if len(b) < headerSize {
		return 0, fmt.Sprintf("short header (%d bytes)", len(b))
	}
	length := binary.LittleEndian.Uint32(b[0:4])
	sum := binary.LittleEndian.Uint32(b[4:8])
	if length == 0 && sum == 0 {
		return 0, "all-zero header"
	}
	if length > MaxPayload {
		return 0, fmt.Sprintf("length %d over limit", length)
	}
	if uint64(len(b)-headerSize) < uint64(length) {
		return 0, fmt.Sprintf("length %d beyond end of file", length)
	}
	n = headerSize + int(length)
	if recordCRC(b[0:4], b[headerSize:n]) != sum {
		return 0, "checksum mismatch"
	}
	return n, ""
}

func recordCRC(lengthBytes, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(lengthBytes, castagnoli), castagnoli, payload)
}

// scanSegment checks every record of a segment and returns the length of its
// valid prefix and the file size. In the last segment a bad tail with no
// valid record after it is accepted (valid < size); anything else bad is
// ErrCorrupt.
func (l *Log) scanSegment(start LSN, last bool) (valid, size int64, err error) {
	data, err := l.readSegment(start, -1)
	if err != nil {
		return 0, 0, err
	}
	off := 0
	for off < len(data) {
		n, reason := checkRecord(data[off:])
		if reason == "" {
			off += n
			continue
		}
		if !last {
			return 0, 0, fmt.Errorf("%w: segment %s offset %d (LSN %d): %s",
				ErrCorrupt, l.path(start), off, start+LSN(off), reason)
		}
		for p := off + 1; p+headerSize <= len(data); p++ {
			if _, r := checkRecord(data[p:]); r == "" {
				return 0, 0, fmt.Errorf("%w: segment %s offset %d (LSN %d): %s, and a valid record follows at offset %d",
					ErrCorrupt, l.path(start), off, start+LSN(off), reason, p)
			}
		}
		break
	}
	return int64(off), int64(len(data)), nil
}

// TruncatedBytes reports how many bytes of torn tail Open cut off the last
// segment.
func (l *Log) TruncatedBytes() int64 { return l.truncatedBytes }

// Replay calls fn for every record with LSN >= from, in LSN order. It must be
// called before the first Append. fn must not keep payload after it returns;
// an error from fn stops the replay and is returned wrapped.
func (l *Log) Replay(from LSN, fn func(lsn LSN, payload []byte) error) error {
	l.mu.Lock()
	if l.mu.appended {
		l.mu.Unlock()
		return ErrReplayAfterAppend
	}
	if l.mu.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	segments := append([]LSN(nil), l.mu.segments...)
	end := l.mu.next
	l.mu.Unlock()

	for i, start := range segments {
		segEnd := end
		if i+1 < len(segments) {
			segEnd = segments[i+1]
		}
		if segEnd <= from || segEnd == start {
			continue
		}
		data, err := l.readSegment(start, int64(segEnd-start))
		if err != nil {
			return err
		}
		for off := 0; off < len(data); {
			n, reason := checkRecord(data[off:])
			if reason != "" {
				return fmt.Errorf("%w: segment %s offset %d (LSN %d): %s",
					ErrCorrupt, l.path(start), off, start+LSN(off), reason)
			}
			lsn := start + LSN(off)
			if lsn >= from {
				if err := fn(lsn, data[off+headerSize:off+n]); err != nil {
					return fmt.Errorf("wal: replay record at LSN %d: %w", lsn, err)
				}
			}
			off += n
		}
	}
	return nil
}

// Append adds a record to the log and returns its LSN. The record is only
// buffered: it is durable once SyncTo(lsn) returns nil.
func (l *Log) Append(payload []byte) (LSN, error) {
	if len(payload) > MaxPayload {
		return 0, fmt.Errorf("%w: %d bytes (max %d)", ErrTooLarge, len(payload), MaxPayload)
	}
	var header [headerSize]byte
	binary.LittleEndian.PutUint32(header[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(header[4:8], recordCRC(header[0:4], payload))
	recLen := int64(headerSize + len(payload))

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mu.closed {
		return 0, ErrClosed
	}
	if l.mu.failed != nil {
		return 0, l.mu.failed
	}
	l.mu.appended = true
	cur := l.mu.segments[len(l.mu.segments)-1]
	if l.mu.next > cur && int64(l.mu.next-cur)+recLen > l.segmentSize {
		cur = l.mu.next
		l.mu.segments = append(l.mu.segments, cur)
	}
	if len(l.mu.pending) == 0 || l.mu.pending[len(l.mu.pending)-1].segStart != cur {
		l.mu.pending = append(l.mu.pending, chunk{segStart: cur})
	}
	c := &l.mu.pending[len(l.mu.pending)-1]
	c.data = append(c.data, header[:]...)
	c.data = append(c.data, payload...)
	lsn := l.mu.next
	l.mu.next += LSN(recLen)
	l.mu.pendingRecords++
	return lsn, nil
}

// AppendSync appends a record and waits until it is durable.
func (l *Log) AppendSync(payload []byte) (LSN, error) {
	lsn, err := l.Append(payload)
	if err != nil {
		return 0, err
	}
	return lsn, l.SyncTo(lsn)
}

// SyncTo returns once every record with LSN <= lsn is written and fsynced
// (every record appended so far, if lsn is at or past NextLSN). Concurrent
// callers share one write+fsync.
func (l *Log) SyncTo(lsn LSN) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	target := l.mu.next
	if lsn < l.mu.next {
		target = lsn + 1
	}
	return l.syncToLocked(target)
}

// syncToLocked waits until mu.synced >= target, leading sync rounds as
// needed. Called and returns with mu held.
func (l *Log) syncToLocked(target LSN) error {
	for {
		if l.mu.failed != nil {
			return l.mu.failed
		}
		if l.mu.synced >= target {
			return nil
		}
		if l.mu.closed {
			return ErrClosed
		}
		if !l.mu.syncing {
			l.leadSyncLocked()
			continue
		}
		l.syncDone.Wait()
	}
}

// leadSyncLocked takes everything appended so far, writes and fsyncs it with
// mu released, then publishes the result. Called and returns with mu held.
func (l *Log) leadSyncLocked() {
	l.mu.syncing = true
	chunks := l.mu.pending
	records := l.mu.pendingRecords
	end := l.mu.next
	l.mu.pending = nil
	l.mu.pendingRecords = 0

	l.mu.Unlock()
	err := l.writeChunks(chunks)
	l.mu.Lock()

	l.mu.syncing = false
	if err != nil {
		if l.mu.failed == nil {
			l.mu.failed = fmt.Errorf("%w: %w", ErrFailed, err)
		}
	} else if len(chunks) > 0 {
		l.mu.synced = end
		l.mu.stats.Syncs++
		l.mu.stats.SyncedRecords += records
	}
	l.syncDone.Broadcast()
}

// writeChunks writes chunks in order, rolling to new segment files as they
// begin, and fsyncs every segment it wrote to. Only the sync leader calls it.
func (l *Log) writeChunks(chunks []chunk) error {
	dirty := false
	for _, c := range chunks {
		if c.segStart != l.w.start {
			if dirty {
				if err := l.w.file.Sync(); err != nil {
					return fmt.Errorf("wal: sync %s: %w", segmentName(l.w.start), err)
				}
				dirty = false
			}
			if err := l.w.file.Close(); err != nil {
				return fmt.Errorf("wal: close %s: %w", segmentName(l.w.start), err)
			}
			l.w.file = nil
			f, err := l.createSegment(c.segStart)
			if err != nil {
				return err
			}
			l.w.file, l.w.start = f, c.segStart
		}
		if _, err := l.w.file.Write(c.data); err != nil {
			return fmt.Errorf("wal: write %s: %w", segmentName(l.w.start), err)
		}
		dirty = true
	}
	if dirty {
		if err := l.w.file.Sync(); err != nil {
			return fmt.Errorf("wal: sync %s: %w", segmentName(l.w.start), err)
		}
	}
	return nil
}

// NextLSN returns the LSN the next Append will get: the end of the log.
func (l *Log) NextLSN() LSN {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.next
}

// Stats returns group-commit counters.
func (l *Log) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.stats
}

// RemoveBefore deletes every whole segment that ends at or before lsn (all
// its records have smaller LSNs) and whose successor already holds durable
// records. The segment being appended to is never removed.
func (l *Log) RemoveBefore(lsn LSN) error {
	l.mu.Lock()
	if l.mu.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	var doomed []LSN
	for len(l.mu.segments) > 1 {
		end := l.mu.segments[1]
		if end > lsn || end >= l.mu.synced {
			break
		}
		doomed = append(doomed, l.mu.segments[0])
		l.mu.segments = l.mu.segments[1:]
	}
	l.mu.Unlock()

	if len(doomed) == 0 {
		return nil
	}
	for _, start := range doomed {
		if err := l.fs.Remove(l.path(start)); err != nil {
			return fmt.Errorf("wal: remove old segment: %w", err)
		}
	}
	if err := l.fs.SyncDir(l.dir); err != nil {
		return fmt.Errorf("wal: sync dir %s after removing segments: %w", l.dir, err)
	}
	return nil
}

// Close syncs every appended record, closes the log and releases its file.
// It returns the sticky failure, if any.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mu.closed {
		return ErrClosed
	}
	syncErr := l.syncToLocked(l.mu.next)
	for l.mu.syncing {
		l.syncDone.Wait()
	}
	l.mu.closed = true
	l.syncDone.Broadcast()
	var closeErr error
	if l.w.file != nil {
		if err := l.w.file.Close(); err != nil {
			closeErr = fmt.Errorf("wal: close %s: %w", segmentName(l.w.start), err)
		}
		l.w.file = nil
	}
	return errors.Join(syncErr, closeErr)
}
