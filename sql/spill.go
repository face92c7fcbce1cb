package sql

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// Spilling to temporary files.
//
// A sort, a hash aggregate (GROUP BY, DISTINCT) and a hash join keep their
// state in memory while it stays within work_mem (the session's setting,
// as estimated by datumsize.go); past it they write rows to temporary
// files and read them back: the sort as sorted runs it merges
// (spillsort.go), the aggregate and the join as partitions by hash of the
// key, each processed alone (spillagg.go, spilljoin.go).
//
// The files live in the engine's temporary directory (Options.TempDir:
// the database directory's pgsql_tmp, or the system's for an in-memory
// database). The operator that creates a file removes it when it is done
// with it, whether it finished, failed or was cancelled; the session
// keeps a list of its open files and removes what is left when it ends.
// A removed file counts in its database's temp_files and temp_bytes
// (pg_stat_database), and is logged when log_temp_files asks. The files
// a session holds at once are bounded by temp_file_limit (53400).
//
// Rows are written with the heap's row encoding (types.AppendRow), which
// round-trips the values it can store exactly; a value it cannot (an
// object identifier alias, a record of a named type, an array with
// bounds, a time with a zone or nanoseconds) is kept in memory and the
// file refers to it, so every value comes back as it went.

// spillBufferBytes is the buffer of one temporary file's reader or
// writer; a merge reads as many runs at once as work_mem has room for
// buffers.
const spillBufferBytes = 32 << 10

// defaultWorkMemBytes is work_mem's default, for an execution without a
// session.
const defaultWorkMemBytes = 4 << 20

// workMemBytes is the session's work_mem in bytes.
func (x *execCtx) workMemBytes() int64 {
	if x == nil || x.s == nil {
		return defaultWorkMemBytes
	}
	kb, ok := memorySettingKB(x.s.settings["work_mem"])
	if !ok || kb <= 0 {
		return defaultWorkMemBytes
	}
	return kb << 10
}

// memorySettingKB reads a memory setting's canonical value ("64kB",
// "4MB", "-1") in kB.
func memorySettingKB(v string) (int64, bool) {
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		kb     int64
	}{{"kB", 1}, {"MB", 1 << 10}, {"GB", 1 << 20}, {"TB", 1 << 30}} {
		if strings.HasSuffix(v, u.suffix) {
			v, unit = strings.TrimSuffix(v, u.suffix), u.kb
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	return n * unit, true
}

// tempFileSet is the temporary files a session has open.
type tempFileSet struct {
	mu    sync.Mutex
	open  map[*spillFile]struct{}
	bytes int64 // the open files' sizes, for temp_file_limit
}

// removeAll removes the files still open (the session ends).
func (t *tempFileSet) removeAll() {
	t.mu.Lock()
	files := make([]*spillFile, 0, len(t.open))
	for f := range t.open {
		files = append(files, f)
	}
	t.mu.Unlock()
	for _, f := range files {
		f.remove()
	}
}

// spillFile is one temporary file of rows, written once and then read,
// possibly several times, from its start.
type spillFile struct {
	x     *execCtx
	f     *os.File
	w     *bufio.Writer
	r     *bufio.Reader
	size  int64
	rows  int64
	codec spillCodec
	buf   []byte
	// removed is set once the file is gone.
	removed bool
}

// tempDir is where the engine's temporary files go.
func (e *Engine) tempDir() string {
	if e.opts.TempDir != "" {
		return e.opts.TempDir
	}
	return os.TempDir()
}

// spillPartitionBufferBytes is the write buffer of a partition's file:
// smaller, as a hash aggregate or join writes to many at once.
const spillPartitionBufferBytes = 8 << 10

// newSpillFile creates a temporary file for the statement.
func (x *execCtx) newSpillFile() (*spillFile, error) {
	return x.newSpillFileBuffered(spillBufferBytes)
}

// newSpillFileBuffered creates a temporary file whose writes are buffered
// by size bytes.
func (x *execCtx) newSpillFileBuffered(size int) (*spillFile, error) {
	dir := os.TempDir()
	if x.s != nil {
		dir = x.s.e.tempDir()
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, pgerr.New(pgerr.IOError, "could not create directory \"%s\": %v", dir, err)
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf("pgsql_tmp%d.", os.Getpid()))
	if err != nil {
		return nil, pgerr.New(pgerr.IOError, "could not create temporary file: %v", err)
	}
	sf := &spillFile{x: x, f: f, w: bufio.NewWriterSize(f, size)}
	if x.s != nil {
		set := &x.s.spills
		set.mu.Lock()
		if set.open == nil {
			set.open = make(map[*spillFile]struct{})
		}
		set.open[sf] = struct{}{}
		set.mu.Unlock()
	}
	return sf, nil
}

// writeRow appends row to the file.
func (f *spillFile) writeRow(row []types.Datum) error {
	rec := f.codec.appendRow(f.buf[:0], row)
	var head [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(head[:], uint64(len(rec)))
	if _, err := f.w.Write(head[:n]); err != nil {
		return f.ioError("write to", err)
	}
	if _, err := f.w.Write(rec); err != nil {
		return f.ioError("write to", err)
	}
	f.buf = rec
	f.rows++
	return f.grew(int64(n + len(rec)))
}

// grew adds n bytes to the file's size and checks temp_file_limit.
func (f *spillFile) grew(n int64) error {
	f.size += n
	s := f.x.s
	if s == nil {
		return nil
	}
	s.spills.mu.Lock()
	s.spills.bytes += n
	total := s.spills.bytes
	s.spills.mu.Unlock()
	if limit, ok := memorySettingKB(s.settings["temp_file_limit"]); ok && limit >= 0 && total > limit<<10 {
		return pgerr.New(pgerr.ConfigurationLimitExceeded, "temporary file size exceeds temp_file_limit (%dkB)", limit)
	}
	return nil
}

func (f *spillFile) ioError(what string, err error) error {
	return pgerr.New(pgerr.IOError, "could not %s temporary file \"%s\": %v", what, f.f.Name(), err)
}

// rewind ends writing (or a read) and starts reading from the first row.
func (f *spillFile) rewind() error {
	if f.w != nil {
		if err := f.w.Flush(); err != nil {
			return f.ioError("write to", err)
		}
		f.w = nil
	}
	if _, err := f.f.Seek(0, io.SeekStart); err != nil {
		return f.ioError("seek in", err)
	}
	if f.r == nil {
		f.r = bufio.NewReaderSize(f.f, spillBufferBytes)
	} else {
		f.r.Reset(f.f)
	}
	return nil
}

// readRow returns the next row, or io.EOF after the last. The row is the
// caller's.
func (f *spillFile) readRow() ([]types.Datum, error) {
	n, err := binary.ReadUvarint(f.r)
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, f.ioError("read from", err)
	}
	if uint64(cap(f.buf)) < n {
		f.buf = make([]byte, n)
	}
	rec := f.buf[:n]
	if _, err := io.ReadFull(f.r, rec); err != nil {
		return nil, f.ioError("read from", err)
	}
	row, err := f.codec.decodeRow(rec)
	if err != nil {
		return nil, fmt.Errorf("reading temporary file %s: %w", f.f.Name(), err)
	}
	return row, nil
}

// remove closes and deletes the file, counting it; a second call does
// nothing.
func (f *spillFile) remove() {
	s := f.x.s
	if s != nil {
		s.spills.mu.Lock()
		if f.removed {
			s.spills.mu.Unlock()
			return
		}
		f.removed = true
		delete(s.spills.open, f)
		s.spills.bytes -= f.size
		s.spills.mu.Unlock()
	} else if f.removed {
		return
	}
	f.removed = true
	name := f.f.Name()
	f.f.Close()
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) && s != nil {
		s.e.logger.Warn("removing a temporary file", "file", name, "err", err)
	}
	f.codec.refs = nil
	if s == nil {
		return
	}
	if c := s.backend.dbStats; c != nil {
		c.tempFiles.Add(1)
		c.tempBytes.Add(f.size)
	}
	if limit, ok := memorySettingKB(s.settings["log_temp_files"]); ok && limit >= 0 && f.size >= limit<<10 {
		s.e.logger.Info(fmt.Sprintf("temporary file: path \"%s\", size %d", name, f.size))
	}
}

// spillFiles is a set of files an operator removes together.
type spillFiles []*spillFile

func (fs spillFiles) remove() {
	for _, f := range fs {
		if f != nil {
			f.remove()
		}
	}
}

// spillPartitions are files that rows go to by a hash of their key, for
// a hash aggregate or join that does not fit work_mem.
type spillPartitions struct {
	x     *execCtx
	files spillFiles
	seed  maphash.Seed
}

// newSpillPartitions makes enough partitions that a few rounds bring any
// input within limit, few enough that their write buffers take a quarter
// of it. input, when not 0, is the size of the file being divided again:
// then as many partitions as bring it well within limit are enough (its
// rows take two to three times their encoding's size in memory). Each
// set hashes with a seed of its own, so that a partition spilled again
// divides.
func newSpillPartitions(x *execCtx, limit, input int64) spillPartitions {
	n := min(max(limit/(4*spillPartitionBufferBytes), 4), 256)
	if input > 0 {
		n = min(max(4*input/limit+1, 4), n)
	}
	return spillPartitions{x: x, files: make(spillFiles, n), seed: maphash.MakeSeed()}
}

// of is the partition of key.
func (p *spillPartitions) of(key string) int {
	return int(maphash.String(p.seed, key) % uint64(len(p.files)))
}

// write appends row to key's partition.
func (p *spillPartitions) write(key string, row []types.Datum) error {
	return p.writeTo(p.of(key), row)
}

// writeTo appends row to partition i, creating its file.
func (p *spillPartitions) writeTo(i int, row []types.Datum) error {
	if p.files[i] == nil {
		f, err := p.x.newSpillFileBuffered(spillPartitionBufferBytes)
		if err != nil {
			return err
		}
		p.files[i] = f
	}
	return p.files[i].writeRow(row)
}

// spillCodec encodes rows for a temporary file. Values the row encoding
// cannot round-trip exactly stay in refs, and the file holds their index.
type spillCodec struct {
	refs []types.Datum
	tmp  []types.Datum
}

// appendRow appends row's record: the number of values kept by
// reference, each one's column and index, then the row encoded with those
// values as NULL.
func (c *spillCodec) appendRow(buf []byte, row []types.Datum) []byte {
	nrefs := 0
	for _, v := range row {
		if !spillable(v) {
			nrefs++
		}
	}
	buf = binary.AppendUvarint(buf, uint64(nrefs))
	if nrefs == 0 {
		return types.AppendRow(buf, row)
	}
	c.tmp = append(c.tmp[:0], row...)
	for i, v := range row {
		if !spillable(v) {
			buf = binary.AppendUvarint(buf, uint64(i))
			buf = binary.AppendUvarint(buf, uint64(len(c.refs)))
			c.refs = append(c.refs, v)
			c.tmp[i] = nil
		}
	}
	buf = types.AppendRow(buf, c.tmp)
	clear(c.tmp)
	return buf
}

func (c *spillCodec) decodeRow(rec []byte) ([]types.Datum, error) {
	nrefs, k := binary.Uvarint(rec)
	if k <= 0 {
		return nil, pgerr.New(pgerr.DataCorrupted, "invalid spilled row")
	}
	rec = rec[k:]
	type ref struct{ col, idx uint64 }
	var refs []ref
	for range nrefs {
		col, k1 := binary.Uvarint(rec)
		if k1 <= 0 {
			return nil, pgerr.New(pgerr.DataCorrupted, "invalid spilled row")
		}
		idx, k2 := binary.Uvarint(rec[k1:])
		if k2 <= 0 || idx >= uint64(len(c.refs)) {
			return nil, pgerr.New(pgerr.DataCorrupted, "invalid spilled row")
		}
		refs = append(refs, ref{col, idx})
		rec = rec[k1+k2:]
	}
	row, err := types.DecodeRow(rec)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		if r.col >= uint64(len(row)) {
			return nil, pgerr.New(pgerr.DataCorrupted, "invalid spilled row")
		}
		row[r.col] = c.refs[r.idx]
	}
	return row, nil
}

// spillable reports whether the row encoding gives v back exactly.
func spillable(v types.Datum) bool {
	switch x := v.(type) {
	case nil, bool, int64, float64, string, types.UUIDValue, types.InetValue, types.MacAddrValue,
		types.MacAddr8Value, types.Money, types.IntervalValue, types.EnumValue, types.TimeOfDay,
		types.TimeTZValue, types.Point, types.Lseg, types.Line, types.Box, types.Circle:
		return true
	case *types.Path, *types.Polygon:
		return true
	case time.Time:
		return x.Location() == time.UTC && x.Nanosecond()%1000 == 0
	case *apd.Decimal:
		return true
	case *types.JSON:
		return true
	case *types.Array:
		if x.Dims != nil || x.Lower != nil {
			return false
		}
		for _, e := range x.Elems {
			if !spillable(e) {
				return false
			}
		}
		return true
	case *types.RecordValue:
		if x.Shape != nil {
			return false
		}
		for _, e := range x.Fields {
			if !spillable(e) {
				return false
			}
		}
		return true
	}
	return false
}
