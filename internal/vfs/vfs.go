package vfs

import (
	"errors"
	"io"
	"syscall"
)

// Sentinel errors returned (wrapped in *os.PathError) by File implementations.
var (
	// ErrClosed is returned by operations on a File after Close.
	ErrClosed = errors.New("vfs: file already closed")
	// ErrReadOnly is returned by Write or Truncate on a File opened with Open.
	ErrReadOnly = errors.New("vfs: file opened read-only")
	// ErrLocked is wrapped by the *LockedError that FS.Lock returns when
	// another holder has the lock.
	ErrLocked = errors.New("vfs: file is locked")
)

// LockedError is the error FS.Lock returns when another holder has the
// lock. It wraps ErrLocked.
type LockedError struct {
	// Path is the lock file.
	Path string
	// PID is the holder's process id as the lock file states it, or 0
	// when the file does not hold one (the holder has not written it yet,
	// or is releasing the lock).
	PID int
}

func (e *LockedError) Error() string {
	if e.PID == 0 {
		return "vfs: lock " + e.Path + ": held by another process"
	}
	return "vfs: lock " + e.Path + ": held by process " + itoa(e.PID)
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// File is an open file. Read and Write share one offset, which starts at 0;
// a File returned by FS.OpenAppend writes at the end of the file whatever the
// offset. ReadAt does not move the offset.
type File interface {
	io.Reader
	io.ReaderAt
	io.Writer
	// WriteAt writes at off without moving the offset. It is not
	// allowed on a File returned by FS.OpenAppend.
	io.WriterAt
	io.Closer
	// Sync makes the file's current content durable.
	Sync() error
	// SyncData makes the file's data durable like Sync, but may skip
	// metadata that reading the data does not need (fdatasync: the
	// modification time). Use it only when the file's size has not changed
	// since its last Sync, as when overwriting a preallocated file.
	SyncData() error
	// Size returns the current length of the file in bytes.
	Size() (int64, error)
	// Truncate changes the length of the file (durable after Sync).
	Truncate(size int64) error
}

// FS is a file system. Names are paths built with PathJoin.
type FS interface {
	// Create creates the named file, or truncates it if it exists, and opens
	// it read-write. The parent directory must exist.
	Create(name string) (File, error)
	// Open opens an existing file read-only.
	Open(name string) (File, error)
	// OpenAppend opens an existing file read-write; every write appends at
	// the end of the file.
	OpenAppend(name string) (File, error)
	// OpenReadWrite opens an existing file read-write without truncating
	// it; writes go to the offset (Write) or to a given position (WriteAt).
	OpenReadWrite(name string) (File, error)
	// Remove removes a file or an empty directory.
	Remove(name string) error
	// Rename renames oldname to newname, replacing newname if it exists.
	Rename(oldname, newname string) error
	// MkdirAll creates dir and any missing parents.
	MkdirAll(dir string) error
	// List returns the base names of the entries of dir, sorted.
	List(dir string) ([]string, error)
	// Stat returns the size of the named file; errors.Is(err,
	// os.ErrNotExist) when it is missing.
	Stat(name string) (size int64, err error)
	// SyncDir makes the directory's entries (creations, renames, removals)
	// durable.
	SyncDir(dir string) error
	// PathJoin joins path elements the way this FS expects.
	PathJoin(elem ...string) string
	// Lock takes an exclusive lock on the named file, creating it if
	// needed (the parent directory must exist), and writes the calling
	// process's id into it, like PostgreSQL's postmaster.pid. It does not
	// wait: while another holder has the lock — another process, or an
	// earlier Lock of the same name on this FS that is not yet released —
	// it returns a *LockedError naming the holder's PID. The lock lasts
	// until the returned Closer is closed, which empties the file and
	// releases it, or until the process exits: the operating system
	// releases the lock of a killed process, so the file it leaves behind
	// does not block the next Lock.
	Lock(name string) (io.Closer, error)
}

// Linker is implemented by file systems that can give a file a second name
// (a hard link), as a backup does to share the immutable sorted tables
// with the database instead of copying them. Callers check for it with a
// type assertion and copy when it is missing or Link fails (another
// device, a file system without hard links).
type Linker interface {
	// Link makes newname a second name of oldname's file; newname must
	// not exist. The new directory entry is durable after SyncDir.
	Link(oldname, newname string) error
}

var (
	_ Linker = osFS{}
	_ Linker = (*MemFS)(nil)
)

// IsNoSpace reports whether err says the file system is full (ENOSPC),
// as a write, a file creation or a Truncate may say on a real disk and
// MemFS says past its quota.
func IsNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
