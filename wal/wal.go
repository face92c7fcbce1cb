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
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/internal/histogram"
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

// FileError is a failed file-system operation of the log. File is the base
// name of the file in the log's directory ("" for the directory itself), so
// a caller can name it relative to its own data directory without the
// absolute path; Err (the vfs error, which does carry the absolute path)
// says why. Test for it with errors.As.
type FileError struct {
	// Op is what was done, as a verb phrase: "write to", "fsync", "create",
	// "open", "rename", "close", "remove".
	Op   string
	File string
	Err  error
}

func (e *FileError) Error() string {
	file := e.File
	if file == "" {
		file = "directory"
	}
	return fmt.Sprintf("wal: %s %s: %v", e.Op, file, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

func fileErr(op, file string, err error) error { return &FileError{Op: op, File: file, Err: err} }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Options configure a Log. The zero value gives the defaults.
type Options struct {
	// SegmentSize is the size of a segment file (default 16 MiB). New
	// segments are filled with zeros to this size before use, and removed
	// ones are kept for reuse, so appending never grows a file.
	SegmentSize int64
	// FlushInterval is how often the background writer syncs records that
	// were appended but not yet synced (PostgreSQL's wal_writer_delay),
	// which bounds how long an asynchronous commit may stay volatile.
	// Zero means 200 ms; a negative value disables the background writer
	// (and with it the preparation of the next segment ahead of need).
	FlushInterval time.Duration
	// OnFail, if set, is called once, when the log fails for good (a
	// failed write, fsync or directory sync; see ErrFailed), with the
	// error every later write returns. It runs on the goroutine that met
	// the failure, with no lock of the log held; it must not call the log.
	OnFail func(err error)
	// Now, if set, is the clock that times each sync round's fsyncs for
	// Stats.FsyncSeconds; nil: fsyncs are not timed.
	Now func() time.Time
}

// Stats counts group-commit and segment work.
type Stats struct {
	// Syncs is the number of write+fsync rounds (one per group commit).
	Syncs uint64
	// SyncedRecords is the number of records those rounds made durable.
	SyncedRecords uint64
	// Preallocated is the number of segments created and zero-filled.
	Preallocated uint64
	// Recycled is the number of segments that reused a removed one.
	Recycled uint64
	// BytesWritten is the bytes of records written to segment files.
	BytesWritten uint64
	// BatchRecords has one observation per sync round: the number of
	// records it made durable (the group-commit batch size).
	BatchRecords histogram.Snapshot
	// FsyncSeconds has one observation per sync round that wrote: the
	// time its fsyncs took (only with Options.Now set).
	FsyncSeconds histogram.Snapshot
}

// Bounds of the Stats histograms: batches of 1 to 4096 records, and
// fsyncs from 50 µs to about 3 s.
var (
	batchRecordsBounds = histogram.Exponential(1, 2, 13)
	fsyncSecondsBounds = histogram.Exponential(50e-6, 2, 17)
)

// chunk is appended but unwritten bytes that all belong to one segment.
type chunk struct {
	segStart LSN
	// spare is set on the first chunk of a new segment: the prepared file
	// (a spare) that the sync leader renames to the segment's name.
	spare spareFile
	data  []byte
}

// spareFile is a file of the segment size kept for use as a future
// segment: a removed segment (recycled) or a new zero-filled one (fresh).
type spareFile struct {
	name  string // base name; "" for none
	fresh bool
}

// Log is the node's write-ahead log. See the package documentation.
type Log struct {
	fs          vfs.FS
	dir         string
	segmentSize int64
	cut         *Cut             // what Open discarded, nil if nothing
	now         func() time.Time // nil: fsyncs are not timed

	// batchRecords and fsyncSeconds are Stats' histograms.
	batchRecords, fsyncSeconds *histogram.Histogram
	bytesWritten               atomic.Uint64

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
		// spareBuf is the buffer of a chunk a sync round has written,
		// empty, for the next chunk to append into (nil: none).
		spareBuf []byte
		syncing  bool // a leader is writing outside the lock
		appended bool
		// preparedFor is the segment for which the background writer was
		// last asked to prepare a successor.
		preparedFor LSN
		closed      bool
		failed      error
		// switchSegment makes the next Append start a new segment
		// (SwitchSegment).
		switchSegment bool
		stats         Stats
	}

	// spares holds files kept for use as future segments. Its mutex is
	// held across the rename that takes or adds one; it is never held
	// together with mu.
	spares struct {
		sync.Mutex
		files        []spareFile // at most sparesMax
		nextFresh    uint64      // number in the name of the next fresh spare
		preallocated uint64
		recycled     uint64
	}

	// appendMu serializes Append, so that a segment can be prepared with
	// mu released while the end of the log stays where it is.
	appendMu sync.Mutex
	// prepMu serializes creating fresh spares (they share a temporary name).
	prepMu sync.Mutex

	onFail func(error)

	flushStop chan struct{}
	flushDone chan struct{}
	// prepare asks the background writer to prepare a spare before an
	// Append needs one (buffered 1; nil without a background writer).
	prepare chan struct{}
	// flushNow asks the background writer to sync at once: the records
	// appended since the last sync passed flushAfterBytes.
	flushNow chan struct{}
	stopOnce sync.Once

	// w is owned by the sync leader (whoever set mu.syncing) and by Open
	// and Close.
	w struct {
		file  vfs.File
		start LSN
		off   int64 // where the next record of this segment goes
	}
}

func segmentName(start LSN) string {
	return fmt.Sprintf("%016x.wal", uint64(start))
}

func spareName(start LSN) string {
	return fmt.Sprintf("%016x.spare", uint64(start))
}

// freshSpareName names the n-th fresh spare. The "new-" prefix keeps the
// names apart from recycled spares, which are named by an old segment start.
func freshSpareName(n uint64) string {
	return fmt.Sprintf("new-%016x.spare", n)
}

// preparingName is the temporary name of a fresh spare being filled;
// Open removes a leftover one.
const preparingName = "spare.tmp"

func parseSegmentName(name string) (LSN, bool) {
	return parseName(name, ".wal")
}

// parseSpareName reports whether name is a spare's, and whether a fresh
// one's with its number.
func parseSpareName(name string) (ok, fresh bool, n uint64) {
	if rest, isFresh := strings.CutPrefix(name, "new-"); isFresh {
		v, ok := parseName(rest, ".spare")
		return ok, true, uint64(v)
	}
	_, ok = parseName(name, ".spare")
	return ok, false, 0
}

func parseName(name, suffix string) (LSN, bool) {
	hex, ok := strings.CutSuffix(name, suffix)
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
// scans every segment, discards a torn or stale tail of the last one, and
// positions the log for appending. See the package documentation for what
// counts as corruption.
func Open(fs vfs.FS, dir string, opts Options) (*Log, error) {
	l := &Log{fs: fs, dir: dir, segmentSize: opts.SegmentSize, onFail: opts.OnFail, now: opts.Now,
		batchRecords: histogram.New(batchRecordsBounds), fsyncSeconds: histogram.New(fsyncSecondsBounds)}
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
	var spares []string
	for _, name := range names {
		if start, ok := parseSegmentName(name); ok {
			starts = append(starts, start)
		} else if ok, _, _ := parseSpareName(name); ok {
			spares = append(spares, name)
		} else if name == preparingName {
			// A fresh spare whose preparation a crash cut short.
			if err := fs.Remove(fs.PathJoin(dir, name)); err != nil {
				return nil, fmt.Errorf("wal: remove %s: %w", name, err)
			}
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	if err := l.loadSpares(spares); err != nil {
		return nil, err
	}

	if len(starts) == 0 {
		spare, err := l.takeSpare()
		if err != nil {
			return nil, err
		}
		f, err := l.installSegment(FirstLSN, spare)
		if err != nil {
			return nil, err
		}
		l.w.file, l.w.start = f, FirstLSN
		l.mu.segments = []LSN{FirstLSN}
		l.mu.next, l.mu.synced = FirstLSN, FirstLSN
		l.startFlusher(opts.FlushInterval)
		return l, nil
	}

	for i, start := range starts[:len(starts)-1] {
		if err := l.scanFull(start, int64(starts[i+1]-start)); err != nil {
			return nil, err
		}
	}
	lastStart := starts[len(starts)-1]
	valid, cut, err := l.scanLast(lastStart)
	if err != nil {
		return nil, err
	}
	f, err := fs.OpenReadWrite(l.path(lastStart))
	if err != nil {
		return nil, fmt.Errorf("wal: open segment: %w", err)
	}
	if cut != nil {
		// Zero the discarded tail so that no leftover of it can ever
		// pass for a record once new records are written before it.
		// What follows it is zero already.
		l.cut = cut
		if err := writeZeros(f, cut.Offset, cut.Offset+cut.Bytes); err != nil {
			return nil, errors.Join(fmt.Errorf("wal: zero torn tail of %s: %w", l.path(lastStart), err), f.Close())
		}
		if err := f.Sync(); err != nil {
			return nil, errors.Join(fmt.Errorf("wal: sync %s after zeroing torn tail: %w", l.path(lastStart), err), f.Close())
		}
	}
	l.w.file, l.w.start, l.w.off = f, lastStart, valid
	l.mu.segments = starts
	end := lastStart + LSN(valid)
	l.mu.next, l.mu.synced = end, end
	l.startFlusher(opts.FlushInterval)
	return l, nil
}

// loadSpares keeps up to sparesMax spare files of the segment size and
// removes the others (a spare of another size was made under other options,
// or its creation was cut short).
func (l *Log) loadSpares(names []string) error {
	removed := false
	for _, name := range names {
		_, fresh, n := parseSpareName(name)
		if fresh {
			l.spares.nextFresh = max(l.spares.nextFresh, n+1)
		}
		p := l.fs.PathJoin(l.dir, name)
		size, err := l.fs.Stat(p)
		if err != nil {
			return fmt.Errorf("wal: stat %s: %w", p, err)
		}
		if size == l.segmentSize && len(l.spares.files) < sparesMax {
			l.spares.files = append(l.spares.files, spareFile{name: name, fresh: fresh})
			continue
		}
		if err := l.fs.Remove(p); err != nil {
			return fmt.Errorf("wal: remove spare segment: %w", err)
		}
		removed = true
	}
	if removed {
		if err := l.fs.SyncDir(l.dir); err != nil {
			return fmt.Errorf("wal: sync dir %s after removing spares: %w", l.dir, err)
		}
	}
	return nil
}

// takeSpare returns a spare file for a new segment: a kept one, or a fresh
// one made now. It does IO; the caller holds no lock of the log but
// appendMu. A failure changes nothing: no record depends on the spare yet.
func (l *Log) takeSpare() (spareFile, error) {
	if sp, ok := l.popSpare(); ok {
		return sp, nil
	}
	l.prepMu.Lock()
	defer l.prepMu.Unlock()
	// The background writer may have made one while we waited.
	if sp, ok := l.popSpare(); ok {
		return sp, nil
	}
	return l.makeSpareLocked()
}

func (l *Log) popSpare() (spareFile, bool) {
	l.spares.Lock()
	defer l.spares.Unlock()
	n := len(l.spares.files)
	if n == 0 {
		return spareFile{}, false
	}
	sp := l.spares.files[n-1]
	l.spares.files = l.spares.files[:n-1]
	return sp, true
}

// putSpare returns a spare that was taken but not used.
func (l *Log) putSpare(sp spareFile) {
	l.spares.Lock()
	defer l.spares.Unlock()
	l.spares.files = append(l.spares.files, sp)
}

// makeSpareLocked creates a fresh spare: a file filled with zeros to the
// segment size and synced under a temporary name, then renamed to its
// spare name. Its directory entry is made durable only when it becomes a
// segment (installSegment); a crash before that loses it, which is
// harmless. On an error the temporary file is removed, so that a full disk
// gets its space back. Called with prepMu held.
func (l *Log) makeSpareLocked() (spareFile, error) {
	tmp := l.fs.PathJoin(l.dir, preparingName)
	f, err := l.fs.Create(tmp)
	if err != nil {
		return spareFile{}, fileErr("create", preparingName, err)
	}
	err = writeZeros(f, 0, l.segmentSize)
	if err != nil {
		err = fileErr("write to", preparingName, err)
	} else if serr := f.Sync(); serr != nil {
		err = fileErr("fsync", preparingName, serr)
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = fileErr("close", preparingName, cerr)
	}
	if err != nil {
		if rerr := l.fs.Remove(tmp); rerr != nil {
			err = errors.Join(err, fileErr("remove", preparingName, rerr))
		}
		return spareFile{}, err
	}
	l.spares.Lock()
	name := freshSpareName(l.spares.nextFresh)
	l.spares.nextFresh++
	l.spares.Unlock()
	if err := l.fs.Rename(tmp, l.fs.PathJoin(l.dir, name)); err != nil {
		return spareFile{}, errors.Join(fileErr("rename", preparingName, err), l.fs.Remove(tmp))
	}
	return spareFile{name: name, fresh: true}, nil
}

// prepareAhead makes a fresh spare if none is kept, so that the Append
// that starts the next segment finds one ready. It runs on the background
// writer. A failure is dropped: the Append that needs the segment tries
// again and reports it.
func (l *Log) prepareAhead() {
	l.prepMu.Lock()
	defer l.prepMu.Unlock()
	l.spares.Lock()
	have := len(l.spares.files) > 0
	l.spares.Unlock()
	if have {
		return
	}
	if sp, err := l.makeSpareLocked(); err == nil {
		l.putSpare(sp)
	}
}

// installSegment renames spare to the segment file for start, makes the
// directory entry durable and opens the file for writing at offset 0.
func (l *Log) installSegment(start LSN, spare spareFile) (vfs.File, error) {
	name := segmentName(start)
	if err := l.fs.Rename(l.fs.PathJoin(l.dir, spare.name), l.path(start)); err != nil {
		return nil, fileErr("rename", spare.name, err)
	}
	l.spares.Lock()
	if spare.fresh {
		l.spares.preallocated++
	} else {
		l.spares.recycled++
	}
	l.spares.Unlock()
	if err := l.fs.SyncDir(l.dir); err != nil {
		return nil, fileErr("fsync", "", err)
	}
	f, err := l.fs.OpenReadWrite(l.path(start))
	if err != nil {
		return nil, fileErr("open", name, err)
	}
	return f, nil
}

// writeZeros overwrites [from, to) of f with zeros.
func writeZeros(f vfs.File, from, to int64) error {
	zeros := make([]byte, min(to-from, zeroBlockSize))
	for off := from; off < to; {
		n := min(to-off, int64(len(zeros)))
		if _, err := f.WriteAt(zeros[:n], off); err != nil {
			return err
		}
		off += n
	}
	return nil
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

// validRecord returns the size of the record at the start of b if it is a
// valid record with LSN lsn, or 0. It checks the cheap fields first, so
// that scanning stale data byte by byte stays linear.
func validRecord(b []byte, lsn LSN) int {
	if len(b) < headerSize || LSN(binary.LittleEndian.Uint64(b[8:16])) != lsn {
		return 0
	}
	length := binary.LittleEndian.Uint32(b[0:4])
	if length > MaxPayload || uint64(len(b)-headerSize) < uint64(length) {
		return 0
	}
	n := headerSize + int(length)
	if recordCRC(b[:headerSize], b[headerSize:n]) != binary.LittleEndian.Uint32(b[4:8]) {
		return 0
	}
	return n
}

// whyInvalid says why the record at the start of b is not a valid record
// with LSN lsn; it is called only for error messages.
func whyInvalid(b []byte, lsn LSN) string {
	if len(b) < headerSize {
		return fmt.Sprintf("short header (%d bytes)", len(b))
	}
	length := binary.LittleEndian.Uint32(b[0:4])
	got := LSN(binary.LittleEndian.Uint64(b[8:16]))
	switch {
	case length == 0 && got == 0 && binary.LittleEndian.Uint32(b[4:8]) == 0:
		return "all-zero header"
	case got != lsn:
		return fmt.Sprintf("header says LSN %d (stale data from an earlier use of the segment, or damage)", got)
	case length > MaxPayload:
		return fmt.Sprintf("length %d over limit", length)
	case uint64(len(b)-headerSize) < uint64(length):
		return fmt.Sprintf("length %d beyond end of file", length)
	}
	return "checksum mismatch"
}

// recordCRC is the CRC-32C of the payload followed by the header's length
// word and LSN field (the CRC word itself excluded). The payload comes
// first so Append can checksum it before it knows the LSN.
func recordCRC(header, payload []byte) uint32 {
	return headerCRC(crc32.Checksum(payload, castagnoli), header)
}

func headerCRC(payloadCRC uint32, header []byte) uint32 {
	return crc32.Update(crc32.Update(payloadCRC, castagnoli, header[0:4]), castagnoli, header[8:16])
}

// scanFull checks that the records of a segment that is not the last one
// exactly fill its first limit bytes (up to the next segment's start).
func (l *Log) scanFull(start LSN, limit int64) error {
	data, err := l.readSegment(start, -1)
	if err != nil {
		return err
	}
	if int64(len(data)) < limit {
		return fmt.Errorf("%w: segment %s is %d bytes but the next segment starts at LSN %d",
			ErrCorrupt, l.path(start), len(data), start+LSN(limit))
	}
	data = data[:limit]
	for off := 0; off < len(data); {
		lsn := start + LSN(off)
		n := validRecord(data[off:], lsn)
		if n == 0 {
			return fmt.Errorf("%w: segment %s offset %d (LSN %d): %s; the next segment starts at LSN %d",
				ErrCorrupt, l.path(start), off, lsn, whyInvalid(data[off:], lsn), start+LSN(limit))
		}
		off += n
	}
	return nil
}

// scanLast checks the records of the last segment and returns the length of
// its valid prefix and, when non-zero bytes follow it, the Cut that
// discards them. A bad tail — torn, or stale data of the file's earlier
// use — is accepted when no valid record follows it; otherwise it is
// ErrCorrupt.
func (l *Log) scanLast(start LSN) (valid int64, cut *Cut, err error) {
	data, err := l.readSegment(start, -1)
	if err != nil {
		return 0, nil, err
	}
	off := 0
	for off < len(data) {
		n := validRecord(data[off:], start+LSN(off))
		if n == 0 {
			break
		}
		off += n
	}
	end := len(data)
	for end > off && data[end-1] == 0 {
		end--
	}
	if end == off {
		return int64(off), nil, nil
	}
	lsn := start + LSN(off)
	tail := data[off:]
	for p := off + 1; p+headerSize <= len(data); p++ {
		if validRecord(data[p:], start+LSN(p)) != 0 {
			return 0, nil, fmt.Errorf("%w: segment %s offset %d (LSN %d): %s, and a valid record follows at offset %d",
				ErrCorrupt, l.path(start), off, lsn, whyInvalid(tail, lsn), p)
		}
	}
	return int64(off), &Cut{
		Segment: l.path(start),
		Offset:  int64(off),
		LSN:     lsn,
		Bytes:   int64(end - off),
		Reason:  whyInvalid(tail, lsn),
		Stale:   staleHeader(tail, lsn),
	}, nil
}

// staleHeader reports whether b starts with a whole, not all-zero header
// whose LSN field is not lsn: bytes that this use of the segment did not
// write at this position.
func staleHeader(b []byte, lsn LSN) bool {
	if len(b) < headerSize {
		return false
	}
	got := LSN(binary.LittleEndian.Uint64(b[8:16]))
	zero := got == 0 && binary.LittleEndian.Uint64(b[0:8]) == 0
	return got != lsn && !zero
}

// Cut describes the bytes after the last valid record of the last segment
// that Open discarded (overwrote with zeros).
type Cut struct {
	// Segment is the path of the segment file.
	Segment string
	// Offset is where in Segment the discarded bytes start: the end of
	// its last valid record.
	Offset int64
	// LSN is the LSN at Offset: where the log now ends.
	LSN LSN
	// Bytes is how many bytes were discarded, from Offset through the
	// last non-zero byte of the file; the zeros of a preallocated segment
	// do not count.
	Bytes int64
	// Reason says why the bytes at Offset are not a valid record.
	Reason string
	// Stale reports that the header at Offset names another LSN: this
	// use of the segment did not write there. That is the normal state
	// of a recycled segment, whose earlier use's records follow the last
	// new one, so every Open of such a segment discards them. When Stale
	// is false a record of this log was torn (a crash while it was being
	// written, which loses only records not yet synced), damaged on disk
	// (which may lose a record that was synced and acknowledged), or the
	// file was cut short.
	Stale bool
}

// String describes the cut for an operator, in one line.
func (c Cut) String() string {
	if c.Stale {
		return fmt.Sprintf("recovery discarded %d bytes of stale data at segment %s offset %d (LSN %d): %s",
			c.Bytes, c.Segment, c.Offset, c.LSN, c.Reason)
	}
	return fmt.Sprintf("recovery cut %d bytes at segment %s offset %d (LSN %d): %s",
		c.Bytes, c.Segment, c.Offset, c.LSN, c.Reason)
}

// Cut returns what Open discarded after the last valid record, and false
// when the log ended cleanly (only zeros followed).
func (l *Log) Cut() (Cut, bool) {
	if l.cut == nil {
		return Cut{}, false
	}
	return *l.cut, true
}

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
			lsn := start + LSN(off)
			n := validRecord(data[off:], lsn)
			if n == 0 {
				return fmt.Errorf("%w: segment %s offset %d (LSN %d): %s",
					ErrCorrupt, l.path(start), off, lsn, whyInvalid(data[off:], lsn))
			}
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
// buffered: it is durable once SyncTo(lsn) returns nil. Append copies
// payload: the caller may reuse it once Append returns.
//
// A record that starts a new segment is accepted only once a file for that
// segment is ready (a spare, or a fresh file filled with zeros and synced
// now). If making one fails because the disk is full (vfs.IsNoSpace), the
// record is refused with that error, the log stays usable, and the next
// Append tries again; any other failure fails the log (ErrFailed).
func (l *Log) Append(payload []byte) (LSN, error) {
	if len(payload) > MaxPayload {
		return 0, fmt.Errorf("%w: %d bytes (max %d)", ErrTooLarge, len(payload), MaxPayload)
	}
	payloadCRC := crc32.Checksum(payload, castagnoli)
	recLen := int64(headerSize + len(payload))

	l.appendMu.Lock()
	defer l.appendMu.Unlock()
	l.mu.Lock()
	if err := l.writableLocked(); err != nil {
		l.mu.Unlock()
		return 0, err
	}
	cur := l.mu.segments[len(l.mu.segments)-1]
	newSegment := l.mu.next > cur && (l.mu.switchSegment || int64(l.mu.next-cur)+recLen > l.segmentSize)
	var spare spareFile
	if newSegment {
		// appendMu keeps the end of the log where it is meanwhile.
		start := l.mu.next
		l.mu.Unlock()
		var err error
		if spare, err = l.takeSpare(); err != nil {
			if vfs.IsNoSpace(err) {
				return 0, fmt.Errorf("wal: preparing segment %s: %w", segmentName(start), err)
			}
			l.mu.Lock()
			first := l.failLocked(err)
			err = l.mu.failed
			l.mu.Unlock()
			l.notifyFailed(first, err)
			return 0, err
		}
		l.mu.Lock()
		if err := l.writableLocked(); err != nil {
			l.mu.Unlock()
			l.putSpare(spare)
			return 0, err
		}
		cur = start
		l.mu.segments = append(l.mu.segments, cur)
		l.mu.switchSegment = false
	}
	defer l.mu.Unlock()
	l.mu.appended = true
	if newSegment || len(l.mu.pending) == 0 || l.mu.pending[len(l.mu.pending)-1].segStart != cur {
		l.mu.pending = append(l.mu.pending, chunk{segStart: cur, spare: spare, data: l.mu.spareBuf})
		l.mu.spareBuf = nil
	}
	lsn := l.mu.next
	c := &l.mu.pending[len(l.mu.pending)-1]
	// The header is made in place: a local array would escape to the
	// heap through the checksum's call, once per record.
	start := len(c.data)
	c.data = append(c.data, make([]byte, headerSize)...)
	header := c.data[start:]
	binary.LittleEndian.PutUint32(header[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint64(header[8:16], uint64(lsn))
	binary.LittleEndian.PutUint32(header[4:8], headerCRC(payloadCRC, header))
	c.data = append(c.data, payload...)
	l.mu.next += LSN(recLen)
	l.mu.pendingRecords++
	// A long run of appends nobody waits for (a bulk load) is written
	// and synced every flushAfterBytes, as PostgreSQL's
	// wal_writer_flush_after does, instead of growing one buffer until
	// the next round.
	if l.flushNow != nil && len(c.data) >= flushAfterBytes {
		select {
		case l.flushNow <- struct{}{}:
		default:
		}
	}
	// Past half of the segment, have the next one's file made ahead of
	// need, so that the Append that starts it does not wait for it.
	if l.prepare != nil && l.mu.preparedFor != cur && 2*int64(l.mu.next-cur) > l.segmentSize {
		l.mu.preparedFor = cur
		select {
		case l.prepare <- struct{}{}:
		default:
		}
	}
	return lsn, nil
}

// writableLocked returns the error that refuses appends, if any.
func (l *Log) writableLocked() error {
	if l.mu.closed {
		return ErrClosed
	}
	return l.mu.failed
}

// failLocked makes the log fail for good with cause, unless it already
// has; it reports whether this was the first failure. The caller calls
// notifyFailed once mu is released.
func (l *Log) failLocked(cause error) bool {
	if l.mu.failed != nil {
		return false
	}
	l.mu.failed = fmt.Errorf("%w: %w", ErrFailed, cause)
	return true
}

// notifyFailed calls Options.OnFail for the first failure. Called without mu.
func (l *Log) notifyFailed(first bool, err error) {
	if first && l.onFail != nil {
		l.onFail(err)
	}
}

// Failed returns the error that failed the log for good, or nil.
func (l *Log) Failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.failed
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
// needed. Records a finished sync covered are durable even after a later
// failure, so they succeed. Called and returns with mu held.
func (l *Log) syncToLocked(target LSN) error {
	for {
		if l.mu.synced >= target {
			return nil
		}
		if l.mu.failed != nil {
			return l.mu.failed
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
	durable, err := l.writeChunks(chunks)
	l.mu.Lock()

	// The written data is no longer referenced: keep one buffer so that
	// appending the next round's records does not grow a new one.
	if n := len(chunks); n > 0 && l.mu.spareBuf == nil && cap(chunks[n-1].data) <= maxSpareBufBytes {
		l.mu.spareBuf = chunks[n-1].data[:0]
	}
	if err != nil {
		// Whole segments synced before the failure stay durable.
		l.mu.synced = max(l.mu.synced, durable)
		if l.failLocked(err) {
			// Waiters learn of the failure after it is reported.
			failed := l.mu.failed
			l.mu.Unlock()
			l.notifyFailed(true, failed)
			l.mu.Lock()
		}
	} else if len(chunks) > 0 {
		l.mu.synced = end
		l.mu.stats.Syncs++
		l.mu.stats.SyncedRecords += records
		l.batchRecords.Observe(float64(records))
	}
	l.mu.syncing = false
	l.syncDone.Broadcast()
}

// writeChunks writes chunks in order, moving to a new segment file (the
// spare its first chunk carries) as each begins, and syncs every segment
// it wrote to. Segments keep their size (preallocated, written in place), so
// fdatasync is enough, as PostgreSQL's default wal_sync_method. On an error
// durable is the end of the segments it finished and synced (0 if none).
// Only the sync leader calls it.
func (l *Log) writeChunks(chunks []chunk) (durable LSN, err error) {
	var fsyncTime time.Duration
	if l.now != nil {
		defer func() {
			if len(chunks) > 0 {
				l.fsyncSeconds.Observe(fsyncTime.Seconds())
			}
		}()
	}
	dirty := false
	for _, c := range chunks {
		if c.segStart != l.w.start {
			if dirty {
				if err := l.syncData(&fsyncTime); err != nil {
					return durable, fileErr("fsync", segmentName(l.w.start), err)
				}
				dirty = false
			}
			// Every record before this segment is now on disk.
			durable = c.segStart
			if err := l.w.file.Close(); err != nil {
				return durable, fileErr("close", segmentName(l.w.start), err)
			}
			l.w.file = nil
			f, err := l.installSegment(c.segStart, c.spare)
			if err != nil {
				return durable, err
			}
			l.w.file, l.w.start, l.w.off = f, c.segStart, 0
		}
		if _, err := l.w.file.WriteAt(c.data, l.w.off); err != nil {
			return durable, fileErr("write to", segmentName(l.w.start), err)
		}
		l.bytesWritten.Add(uint64(len(c.data)))
		l.w.off += int64(len(c.data))
		dirty = true
	}
	if dirty {
		if err := l.syncData(&fsyncTime); err != nil {
			return durable, fileErr("fsync", segmentName(l.w.start), err)
		}
	}
	return 0, nil
}

// syncData fsyncs the segment being written, adding the time it took to
// *took when the log has a clock.
func (l *Log) syncData(took *time.Duration) error {
	if l.now == nil {
		return l.w.file.SyncData()
	}
	start := l.now()
	err := l.w.file.SyncData()
	*took += l.now().Sub(start)
	return err
}

// NextLSN returns the LSN the next Append will get: the end of the log.
func (l *Log) NextLSN() LSN {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.next
}

// Stats returns group-commit and segment counters.
func (l *Log) Stats() Stats {
	l.mu.Lock()
	st := l.mu.stats
	l.mu.Unlock()
	l.spares.Lock()
	st.Preallocated, st.Recycled = l.spares.preallocated, l.spares.recycled
	l.spares.Unlock()
	st.BytesWritten = l.bytesWritten.Load()
	st.BatchRecords = l.batchRecords.Snapshot()
	st.FsyncSeconds = l.fsyncSeconds.Snapshot()
	return st
}

// SyncedLSN returns the end of the durable prefix of the log: every record
// with an LSN below it is on stable storage.
func (l *Log) SyncedLSN() LSN {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mu.synced
}

// startFlusher starts the background writer unless interval is negative.
func (l *Log) startFlusher(interval time.Duration) {
	if interval < 0 {
		return
	}
	if interval == 0 {
		interval = defaultFlushInterval
	}
	l.flushStop, l.flushDone = make(chan struct{}), make(chan struct{})
	l.prepare = make(chan struct{}, 1)
	l.flushNow = make(chan struct{}, 1)
	go l.flushLoop(interval)
}

// flushLoop syncs whatever was appended and not yet synced, once per
// interval and whenever Append has collected flushAfterBytes, and prepares the next segment's file when Append asks. It
// stops on Close, and after a failure (which is sticky: every later call
// reports it).
func (l *Log) flushLoop(interval time.Duration) {
	defer close(l.flushDone)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-l.flushStop:
			return
		case <-l.prepare:
			l.prepareAhead()
			continue
		case <-l.flushNow:
		case <-tick.C:
		}
		l.mu.Lock()
		var err error
		if !l.mu.closed && l.mu.synced < l.mu.next {
			err = l.syncToLocked(l.mu.next)
		}
		l.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (l *Log) stopFlusher() {
	l.stopOnce.Do(func() {
		if l.flushStop != nil {
			close(l.flushStop)
			<-l.flushDone
		}
	})
}

// RemoveBefore removes every whole segment that ends at or before lsn (all
// its records have smaller LSNs) and whose successor already holds durable
// records. The segment being appended to is never removed. Up to sparesMax
// removed segments are renamed to spares for reuse instead of deleted.
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
		if err := l.retire(start); err != nil {
			return err
		}
	}
	if err := l.fs.SyncDir(l.dir); err != nil {
		return fmt.Errorf("wal: sync dir %s after removing segments: %w", l.dir, err)
	}
	return nil
}

// retire renames a removed segment to a spare if there is room for one and
// it has the segment size, and deletes it otherwise.
func (l *Log) retire(start LSN) error {
	name := l.path(start)
	l.spares.Lock()
	defer l.spares.Unlock()
	if len(l.spares.files) < sparesMax {
		size, err := l.fs.Stat(name)
		if err != nil {
			return fmt.Errorf("wal: stat old segment: %w", err)
		}
		if size == l.segmentSize {
			if err := l.fs.Rename(name, l.fs.PathJoin(l.dir, spareName(start))); err != nil {
				return fmt.Errorf("wal: keep old segment as spare: %w", err)
			}
			l.spares.files = append(l.spares.files, spareFile{name: spareName(start)})
			return nil
		}
	}
	if err := l.fs.Remove(name); err != nil {
		return fmt.Errorf("wal: remove old segment: %w", err)
	}
	return nil
}

// Close stops the background writer, syncs every appended record, closes
// the log and releases its file. It returns the sticky failure, if any.
func (l *Log) Close() error {
	l.stopFlusher()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mu.closed {
		return ErrClosed
	}
	syncErr := l.syncToLocked(l.mu.next)
	for l.mu.syncing {
		l.syncDone.Wait()
	}
	if l.mu.failed != nil {
		syncErr = l.mu.failed
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
