package vfs

import (
	"bytes"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// Op names a MemFS operation for error injection.
type Op int

// Operations passed to an InjectError hook.
const (
	OpCreate Op = iota + 1
	OpOpen
	OpOpenAppend
	OpRead
	OpWrite
	OpSync
	OpTruncate
	OpClose
	OpRemove
	OpRename
	OpMkdirAll
	OpList
	OpStat
	OpSyncDir
	OpOpenReadWrite
	OpLock
	OpLink
)

var opNames = [...]string{
	OpCreate:        "create",
	OpOpen:          "open",
	OpOpenAppend:    "openappend",
	OpRead:          "read",
	OpWrite:         "write",
	OpSync:          "sync",
	OpTruncate:      "truncate",
	OpClose:         "close",
	OpRemove:        "remove",
	OpRename:        "rename",
	OpMkdirAll:      "mkdirall",
	OpList:          "list",
	OpStat:          "stat",
	OpSyncDir:       "syncdir",
	OpOpenReadWrite: "openreadwrite",
	OpLock:          "lock",
	OpLink:          "link",
}

func (o Op) String() string {
	if o > 0 && int(o) < len(opNames) {
		return opNames[o]
	}
	return "op?"
}

// memNode is one file's content. data is what readers see now; the synced
// content is what a crash would leave.
//
// Sync and writes must stay cheap for large preallocated files written in
// place (WAL segments), so the synced content is not copied at Sync: it is
// data[:syncedLen] with the pages a later write overwrote restored from
// patches (copy-on-write by page). When data itself is replaced (Create
// over an existing file, Truncate), the synced content is first copied out
// whole into syncedCopy.
type memNode struct {
	data       []byte
	syncedLen  int
	patches    map[int][]byte // page index -> page content at the last Sync
	syncedCopy []byte         // when set, the synced content outright
}

// memPageBytes is the copy-on-write unit of the synced view.
const memPageBytes = 4096

// synced returns the content a crash would leave.
func (n *memNode) synced() []byte {
	if n.syncedCopy != nil {
		return n.syncedCopy
	}
	out := append([]byte(nil), n.data[:n.syncedLen]...)
	for page, content := range n.patches {
		copy(out[page*memPageBytes:], content)
	}
	return out
}

// beforeWrite saves the synced pages that a write of [off, end) replaces.
func (n *memNode) beforeWrite(off, end int64) {
	if n.syncedCopy != nil || off >= int64(n.syncedLen) {
		return
	}
	end = min(end, int64(n.syncedLen))
	for page := int(off / memPageBytes); int64(page)*memPageBytes < end; page++ {
		if _, saved := n.patches[page]; saved {
			continue
		}
		if n.patches == nil {
			n.patches = make(map[int][]byte)
		}
		lo := page * memPageBytes
		hi := min(lo+memPageBytes, n.syncedLen)
		n.patches[page] = append([]byte(nil), n.data[lo:hi]...)
	}
}

// detach copies the synced content out before data is replaced.
func (n *memNode) detach() {
	if n.syncedCopy == nil {
		n.syncedCopy = n.synced()
		if n.syncedCopy == nil {
			n.syncedCopy = []byte{}
		}
		n.patches = nil
	}
}

// markSynced makes the current content the synced content.
func (n *memNode) markSynced() {
	n.syncedLen, n.patches, n.syncedCopy = len(n.data), nil, nil
}

// MemFS is an in-memory FS that remembers what is durable. See the package
// documentation for the durability model. The zero value is not usable; call
// NewMem.
type MemFS struct {
	mu struct {
		sync.Mutex
		files   map[string]*memNode // current namespace
		durable map[string]*memNode // namespace as of the last SyncDir of each dir
		dirs    map[string]bool
		inject  func(op Op, name string) error
		// locks are the names held through Lock. A crash ends the
		// process that held them: CrashClone copies none.
		locks map[string]bool
		// quota bounds the bytes of all files in the namespace; 0 means
		// no bound (SetQuota).
		quota int64
	}
}

var _ FS = (*MemFS)(nil)

// NewMem returns an empty in-memory file system whose root ("/" and ".")
// exists.
func NewMem() *MemFS {
	fs := &MemFS{}
	fs.mu.files = make(map[string]*memNode)
	fs.mu.durable = make(map[string]*memNode)
	fs.mu.dirs = map[string]bool{"/": true, ".": true}
	fs.mu.locks = make(map[string]bool)
	return fs
}

// InjectError installs a hook consulted before every operation; if it returns
// a non-nil error the operation fails with that error and changes nothing.
// Pass nil to remove the hook. The hook runs without MemFS locks held and may
// block (tests use that to simulate slow devices).
func (fs *MemFS) InjectError(hook func(op Op, name string) error) {
	fs.mu.Lock()
	fs.mu.inject = hook
	fs.mu.Unlock()
}

// SetQuota bounds the total size of the files in the namespace to bytes, to
// simulate a full disk; 0 removes the bound. A write or Truncate that would
// take the total past the bound fails with syscall.ENOSPC (in an
// *os.PathError) and changes nothing; overwriting bytes inside a file never
// does, so a preallocated file can still be filled. Lowering the quota below
// the current use leaves the files as they are.
func (fs *MemFS) SetQuota(bytes int64) {
	fs.mu.Lock()
	fs.mu.quota = bytes
	fs.mu.Unlock()
}

// Used returns the total size of the files in the namespace, as SetQuota
// counts it.
func (fs *MemFS) Used() int64 {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.usedLocked()
}

func (fs *MemFS) usedLocked() int64 {
	var used int64
	for _, n := range fs.mu.files {
		used += int64(len(n.data))
	}
	return used
}

// reserveLocked checks that growing node n to size bytes stays within the
// quota. A node outside the namespace (removed while open) is not counted.
func (fs *MemFS) reserveLocked(op Op, name string, n *memNode, size int64) error {
	grow := size - int64(len(n.data))
	if fs.mu.quota <= 0 || grow <= 0 || fs.mu.files[name] != n {
		return nil
	}
	if fs.usedLocked()+grow > fs.mu.quota {
		return pathErr(op, name, syscall.ENOSPC)
	}
	return nil
}

// CrashClone returns a new MemFS holding only what would survive a crash now:
// durable directory entries with their files' last synced contents. The
// receiver is not changed. The clone has no error hook.
func (fs *MemFS) CrashClone() *MemFS {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	c := NewMem()
	for d := range fs.mu.dirs {
		c.mu.dirs[d] = true
	}
	for name, n := range fs.mu.durable {
		cn := &memNode{data: n.synced()}
		cn.markSynced()
		c.mu.files[name] = cn
		c.mu.durable[name] = cn
	}
	return c
}

func (fs *MemFS) check(op Op, name string) error {
	fs.mu.Lock()
	hook := fs.mu.inject
	fs.mu.Unlock()
	if hook == nil {
		return nil
	}
	if err := hook(op, name); err != nil {
		return &os.PathError{Op: op.String(), Path: name, Err: err}
	}
	return nil
}

func clean(name string) string { return path.Clean(name) }

func pathErr(op Op, name string, err error) error {
	return &os.PathError{Op: op.String(), Path: name, Err: err}
}

// Create implements FS.
func (fs *MemFS) Create(name string) (File, error) {
	name = clean(name)
	if err := fs.check(OpCreate, name); err != nil {
		return nil, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !fs.mu.dirs[path.Dir(name)] {
		return nil, pathErr(OpCreate, name, os.ErrNotExist)
	}
	if fs.mu.dirs[name] {
		return nil, pathErr(OpCreate, name, os.ErrExist)
	}
	n, ok := fs.mu.files[name]
	if ok {
		n.detach()
		n.data = n.data[:0:0]
	} else {
		n = &memNode{}
		fs.mu.files[name] = n
	}
	return &memFile{fs: fs, node: n, name: name, writable: true}, nil
}

// Open implements FS.
func (fs *MemFS) Open(name string) (File, error) {
	return fs.open(OpOpen, name, false, false)
}

// OpenAppend implements FS.
func (fs *MemFS) OpenAppend(name string) (File, error) {
	return fs.open(OpOpenAppend, name, true, true)
}

// OpenReadWrite implements FS.
func (fs *MemFS) OpenReadWrite(name string) (File, error) {
	return fs.open(OpOpenReadWrite, name, true, false)
}

func (fs *MemFS) open(op Op, name string, writable, appendMode bool) (File, error) {
	name = clean(name)
	if err := fs.check(op, name); err != nil {
		return nil, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n, ok := fs.mu.files[name]
	if !ok {
		return nil, pathErr(op, name, os.ErrNotExist)
	}
	return &memFile{fs: fs, node: n, name: name, writable: writable, appendMode: appendMode}, nil
}

// Remove implements FS.
func (fs *MemFS) Remove(name string) error {
	name = clean(name)
	if err := fs.check(OpRemove, name); err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if _, ok := fs.mu.files[name]; ok {
		delete(fs.mu.files, name)
		return nil
	}
	if fs.mu.dirs[name] {
		if len(fs.listLocked(name)) > 0 {
			return pathErr(OpRemove, name, os.ErrExist)
		}
		delete(fs.mu.dirs, name)
		return nil
	}
	return pathErr(OpRemove, name, os.ErrNotExist)
}

// Rename implements FS. Only files can be renamed.
func (fs *MemFS) Rename(oldname, newname string) error {
	oldname, newname = clean(oldname), clean(newname)
	if err := fs.check(OpRename, oldname); err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n, ok := fs.mu.files[oldname]
	if !ok {
		return pathErr(OpRename, oldname, os.ErrNotExist)
	}
	if !fs.mu.dirs[path.Dir(newname)] || fs.mu.dirs[newname] {
		return pathErr(OpRename, newname, os.ErrNotExist)
	}
	delete(fs.mu.files, oldname)
	fs.mu.files[newname] = n
	return nil
}

// Link implements Linker: newname becomes a second name of oldname's
// content, as a hard link is (a write through one name is seen through
// the other; removing one name keeps the other). newname must not exist.
func (fs *MemFS) Link(oldname, newname string) error {
	oldname, newname = clean(oldname), clean(newname)
	if err := fs.check(OpLink, newname); err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n, ok := fs.mu.files[oldname]
	if !ok {
		return pathErr(OpLink, oldname, os.ErrNotExist)
	}
	if !fs.mu.dirs[path.Dir(newname)] {
		return pathErr(OpLink, newname, os.ErrNotExist)
	}
	if _, exists := fs.mu.files[newname]; exists || fs.mu.dirs[newname] {
		return pathErr(OpLink, newname, os.ErrExist)
	}
	fs.mu.files[newname] = n
	return nil
}

// MkdirAll implements FS.
func (fs *MemFS) MkdirAll(dir string) error {
	dir = clean(dir)
	if err := fs.check(OpMkdirAll, dir); err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for d := dir; ; d = path.Dir(d) {
		if _, isFile := fs.mu.files[d]; isFile {
			return pathErr(OpMkdirAll, d, os.ErrExist)
		}
		if fs.mu.dirs[d] {
			break
		}
		fs.mu.dirs[d] = true
	}
	return nil
}

func (fs *MemFS) listLocked(dir string) []string {
	var names []string
	for name := range fs.mu.files {
		if path.Dir(name) == dir {
			names = append(names, path.Base(name))
		}
	}
	for d := range fs.mu.dirs {
		if d != dir && path.Dir(d) == dir {
			names = append(names, path.Base(d))
		}
	}
	sort.Strings(names)
	return names
}

// List implements FS.
func (fs *MemFS) List(dir string) ([]string, error) {
	dir = clean(dir)
	if err := fs.check(OpList, dir); err != nil {
		return nil, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !fs.mu.dirs[dir] {
		return nil, pathErr(OpList, dir, os.ErrNotExist)
	}
	return fs.listLocked(dir), nil
}

// Stat implements FS. Directories have size 0.
func (fs *MemFS) Stat(name string) (int64, error) {
	name = clean(name)
	if err := fs.check(OpStat, name); err != nil {
		return 0, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if n, ok := fs.mu.files[name]; ok {
		return int64(len(n.data)), nil
	}
	if fs.mu.dirs[name] {
		return 0, nil
	}
	return 0, pathErr(OpStat, name, os.ErrNotExist)
}

// SyncDir implements FS: the durable entries of dir become its current ones.
func (fs *MemFS) SyncDir(dir string) error {
	dir = clean(dir)
	if err := fs.check(OpSyncDir, dir); err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !fs.mu.dirs[dir] {
		return pathErr(OpSyncDir, dir, os.ErrNotExist)
	}
	for name := range fs.mu.durable {
		if path.Dir(name) == dir {
			delete(fs.mu.durable, name)
		}
	}
	for name, n := range fs.mu.files {
		if path.Dir(name) == dir {
			fs.mu.durable[name] = n
		}
	}
	return nil
}

// PathJoin implements FS with slash-separated paths.
func (fs *MemFS) PathJoin(elem ...string) string {
	return path.Join(elem...)
}

// Lock implements FS. The locks are kept per MemFS: a second Lock of a
// name fails until the first is closed, as it would between two
// processes. The file holds this process's id while locked.
func (fs *MemFS) Lock(name string) (io.Closer, error) {
	name = clean(name)
	if err := fs.check(OpLock, name); err != nil {
		return nil, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !fs.mu.dirs[path.Dir(name)] {
		return nil, pathErr(OpLock, name, os.ErrNotExist)
	}
	if fs.mu.dirs[name] {
		return nil, pathErr(OpLock, name, os.ErrExist)
	}
	n, ok := fs.mu.files[name]
	if fs.mu.locks[name] {
		pid := 0
		if ok {
			pid = readPID(bytes.NewReader(n.data))
		}
		return nil, &LockedError{Path: name, PID: pid}
	}
	if !ok {
		n = &memNode{}
		fs.mu.files[name] = n
	}
	n.detach()
	n.data = []byte(itoa(os.Getpid()) + "\n")
	fs.mu.locks[name] = true
	return &memLock{fs: fs, name: name}, nil
}

// memLock is a lock held on a MemFS.
type memLock struct {
	fs     *MemFS
	name   string
	closed bool // guarded by fs.mu
}

// Close empties the lock file, if it is still there, and releases the
// lock.
func (l *memLock) Close() error {
	l.fs.mu.Lock()
	defer l.fs.mu.Unlock()
	if l.closed {
		return pathErr(OpLock, l.name, ErrClosed)
	}
	l.closed = true
	delete(l.fs.mu.locks, l.name)
	if n, ok := l.fs.mu.files[l.name]; ok {
		n.detach()
		n.data = nil
	}
	return nil
}

// String lists the files and their current and synced sizes; for test
// failure messages.
func (fs *MemFS) String() string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	names := make([]string, 0, len(fs.mu.files))
	for name := range fs.mu.files {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		n := fs.mu.files[name]
		durable := fs.mu.durable[name] == n
		b.WriteString(name)
		b.WriteString(" size=")
		b.WriteString(itoa(len(n.data)))
		b.WriteString(" synced=")
		b.WriteString(itoa(len(n.synced())))
		if !durable {
			b.WriteString(" (entry not durable)")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// memFile is an open MemFS file. Its offset is guarded by the MemFS mutex.
type memFile struct {
	fs         *MemFS
	node       *memNode
	name       string
	writable   bool
	appendMode bool
	offset     int64
	closed     bool
}

var _ File = (*memFile)(nil)

func (f *memFile) Read(p []byte) (int, error) {
	if err := f.fs.check(OpRead, f.name); err != nil {
		return 0, err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, pathErr(OpRead, f.name, ErrClosed)
	}
	if f.offset >= int64(len(f.node.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.node.data[f.offset:])
	f.offset += int64(n)
	return n, nil
}

func (f *memFile) ReadAt(p []byte, off int64) (int, error) {
	if err := f.fs.check(OpRead, f.name); err != nil {
		return 0, err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, pathErr(OpRead, f.name, ErrClosed)
	}
	if off < 0 {
		return 0, pathErr(OpRead, f.name, os.ErrInvalid)
	}
	if off >= int64(len(f.node.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.node.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *memFile) Write(p []byte) (int, error) {
	if err := f.fs.check(OpWrite, f.name); err != nil {
		return 0, err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.writableLocked(); err != nil {
		return 0, err
	}
	if f.appendMode {
		f.offset = int64(len(f.node.data))
	}
	if err := f.fs.reserveLocked(OpWrite, f.name, f.node, f.offset+int64(len(p))); err != nil {
		return 0, err
	}
	f.offset = f.writeLocked(p, f.offset)
	return len(p), nil
}

// WriteAt implements File. The hook sees it as OpWrite.
func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	if err := f.fs.check(OpWrite, f.name); err != nil {
		return 0, err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.writableLocked(); err != nil {
		return 0, err
	}
	if f.appendMode || off < 0 {
		return 0, pathErr(OpWrite, f.name, os.ErrInvalid)
	}
	if err := f.fs.reserveLocked(OpWrite, f.name, f.node, off+int64(len(p))); err != nil {
		return 0, err
	}
	f.writeLocked(p, off)
	return len(p), nil
}

func (f *memFile) writableLocked() error {
	if f.closed {
		return pathErr(OpWrite, f.name, ErrClosed)
	}
	if !f.writable {
		return pathErr(OpWrite, f.name, ErrReadOnly)
	}
	return nil
}

// writeLocked copies p into the file at off, growing it (with zeros in any
// gap) as needed, and returns the end offset.
func (f *memFile) writeLocked(p []byte, off int64) int64 {
	end := off + int64(len(p))
	f.node.beforeWrite(off, end)
	switch {
	case end > int64(cap(f.node.data)):
		grown := make([]byte, end, max(end, 2*int64(cap(f.node.data))))
		copy(grown, f.node.data)
		f.node.data = grown
	case end > int64(len(f.node.data)):
		// The bytes between len and end may hold old data from a
		// truncation: a gap must read as zeros.
		old := len(f.node.data)
		f.node.data = f.node.data[:end]
		clear(f.node.data[old:])
	}
	copy(f.node.data[off:], p)
	return end
}

func (f *memFile) Sync() error {
	if err := f.fs.check(OpSync, f.name); err != nil {
		return err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return pathErr(OpSync, f.name, ErrClosed)
	}
	f.node.markSynced()
	return nil
}

// SyncData is Sync: MemFS keeps no metadata apart from the data.
func (f *memFile) SyncData() error { return f.Sync() }

func (f *memFile) Size() (int64, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return 0, pathErr(OpStat, f.name, ErrClosed)
	}
	return int64(len(f.node.data)), nil
}

func (f *memFile) Truncate(size int64) error {
	if err := f.fs.check(OpTruncate, f.name); err != nil {
		return err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return pathErr(OpTruncate, f.name, ErrClosed)
	}
	if !f.writable {
		return pathErr(OpTruncate, f.name, ErrReadOnly)
	}
	if size < 0 {
		return pathErr(OpTruncate, f.name, os.ErrInvalid)
	}
	if err := f.fs.reserveLocked(OpTruncate, f.name, f.node, size); err != nil {
		return err
	}
	f.node.detach()
	if size <= int64(len(f.node.data)) {
		f.node.data = append([]byte(nil), f.node.data[:size]...)
	} else {
		grown := make([]byte, size)
		copy(grown, f.node.data)
		f.node.data = grown
	}
	return nil
}

func (f *memFile) Close() error {
	if err := f.fs.check(OpClose, f.name); err != nil {
		return err
	}
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.closed {
		return pathErr(OpClose, f.name, ErrClosed)
	}
	f.closed = true
	return nil
}
