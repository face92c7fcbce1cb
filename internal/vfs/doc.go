// Package vfs is the only door between cairn and the file system.
//
// Every storage layer (wal, lsm, checkpoint) does file IO through the FS
// interface, never through package os, so that tests can run the same code
// on an in-memory file system that loses unsynced data and fails on demand.
//
// # What it owns
//
//   - FS and File: the small set of operations the storage layers need.
//   - Default: the operating-system implementation (package os underneath).
//   - MemFS: an in-memory implementation for tests with crash simulation
//     (CrashClone), error injection (InjectError) and a byte quota that
//     simulates a full disk (SetQuota).
//
// # Durability model (what MemFS simulates)
//
// File contents become durable only through File.Sync. Directory entries
// (a file's creation, a rename, a removal) become durable only through
// FS.SyncDir on the parent directory. MemFS.CrashClone returns the state a
// machine would find after a power cut at that instant: each durable
// directory entry, holding the content its file had at its last Sync.
// A file that was created and synced but whose directory was never synced
// does not exist after the crash; a rename whose directory was not synced
// reverts. Directories themselves (MkdirAll) are treated as durable at once;
// callers that create a directory still SyncDir its parent for the OS case.
// Truncate changes content like a write: durable after the next Sync.
//
// # Locks
//
// FS.Lock takes an exclusive, non-waiting lock on a file and writes the
// process id into it (a pid file); the storage layers use it so that one
// data directory is never open in two processes, or twice in one. Default
// uses flock(2) (LOCK_EX|LOCK_NB) on a descriptor kept open while the lock
// is held: the kernel releases it when the process exits, even by SIGKILL,
// so a lock file left behind never blocks the next holder. Closing the lock
// empties the file but keeps it (removing it would race with a process that
// had just opened it). Where flock(2) does not exist Default.Lock fails with
// errors.ErrUnsupported. MemFS keeps its held locks in a set per MemFS, so
// tests see a second Lock refused; CrashClone copies no locks (the crash
// ended their holder).
//
// # Links and copies
//
// Linker is an optional interface (Default and MemFS have it): Link gives
// a file a second name, as a hard link does, for immutable files a backup
// shares with the database. LinkOrCopy links where it can and copies
// otherwise; CopyFile copies (a prefix of) a file and syncs it; RemoveAll
// removes a directory tree.
//
// # Errors
//
// Errors are *os.PathError values wrapping the cause, so callers test them
// with errors.Is: os.ErrNotExist for a missing file or directory,
// os.ErrExist, and for injected faults whatever the hook returned (tests use
// syscall.EIO and syscall.ENOSPC). Operations on a closed File return
// ErrClosed; writes on a read-only File return ErrReadOnly. Lock returns a
// *LockedError (wrapping ErrLocked, carrying the holder's PID) while another
// holder has the lock. A write or Truncate past MemFS's quota fails with
// syscall.ENOSPC and changes nothing (a real disk may write part first).
// IsNoSpace tells a full disk.
//
// # Concurrency
//
// FS implementations are safe for concurrent use. A File is safe for
// concurrent use in MemFS; with Default it has the guarantees of *os.File
// (ReadAt may run concurrently with anything; Read and Write share an offset).
//
// vfs imports nothing from cairn.
package vfs
