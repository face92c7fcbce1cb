package wal

import (
	"errors"
	"fmt"
	"sort"

	"github.com/cairndb/cairn/internal/vfs"
)

// Segment is one segment file of the log.
type Segment struct {
	Start LSN    // LSN of its first record
	End   LSN    // where its records end: the next segment's start
	Name  string // base name of its file
}

// SegmentName returns the file name of the segment that starts at start.
func SegmentName(start LSN) string { return segmentName(start) }

// ParseSegmentName returns the start LSN a segment file name stands for.
func ParseSegmentName(name string) (LSN, bool) { return parseSegmentName(name) }

// SegmentPath returns the path of the segment that starts at start.
func (l *Log) SegmentPath(start LSN) string { return l.path(start) }

// Segments returns the start LSNs of the log's segments, oldest first; the
// last is the one being appended to (its file may not exist yet when no
// record went into it).
func (l *Log) Segments() []LSN {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]LSN(nil), l.mu.segments...)
}

// Finished returns the segments that no record will be added to and whose
// records are all durable, oldest first: each one before the segment being
// appended to, once its successor holds a durable record (the successor's
// file exists only after its predecessor was synced). Their files stay
// unchanged until RemoveBefore removes them; a WAL archiver copies them.
func (l *Log) Finished() []Segment {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Segment
	for i := 0; i+1 < len(l.mu.segments); i++ {
		end := l.mu.segments[i+1]
		if end >= l.mu.synced {
			break
		}
		out = append(out, Segment{Start: l.mu.segments[i], End: end, Name: segmentName(l.mu.segments[i])})
	}
	return out
}

// SwitchSegment makes the next Append start a new segment if the current
// one holds any record, so that the current one becomes Finished once that
// record is durable (PostgreSQL's pg_switch_wal). It reports false, and
// does nothing, when the current segment holds no record.
func (l *Log) SwitchSegment() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.mu.next == l.mu.segments[len(l.mu.segments)-1] {
		return false
	}
	l.mu.switchSegment = true
	return true
}

// TruncateAt cuts the closed log in dir at lsn, which must be a record
// boundary or its end: the segment holding lsn keeps the records before
// it and zeros from there to the end of its file (so that no leftover can
// pass for a record), later segments are removed, and Open then ends the
// log at lsn. A restore to a point in time cuts the log this way before
// the first record past its target. The log must not be open.
func TruncateAt(fs vfs.FS, dir string, lsn LSN) error {
	names, err := fs.List(dir)
	if err != nil {
		return fmt.Errorf("wal: list %s: %w", dir, err)
	}
	var starts []LSN
	for _, name := range names {
		if start, ok := parseSegmentName(name); ok {
			starts = append(starts, start)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	i := sort.Search(len(starts), func(i int) bool { return starts[i] > lsn }) - 1
	if i < 0 {
		return fmt.Errorf("wal: truncating %s at LSN %d: no segment holds it", dir, lsn)
	}
	for _, start := range starts[i+1:] {
		if err := fs.Remove(fs.PathJoin(dir, segmentName(start))); err != nil {
			return fmt.Errorf("wal: truncating %s: %w", dir, err)
		}
	}
	name := fs.PathJoin(dir, segmentName(starts[i]))
	f, err := fs.OpenReadWrite(name)
	if err != nil {
		return fmt.Errorf("wal: truncating %s: %w", name, err)
	}
	size, err := f.Size()
	if off := int64(lsn - starts[i]); err == nil && off < size {
		err = writeZeros(f, off, size)
	}
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("wal: truncating %s at LSN %d: %w", name, lsn, err)
	}
	if err := fs.SyncDir(dir); err != nil {
		return fmt.Errorf("wal: sync dir %s: %w", dir, err)
	}
	return nil
}
