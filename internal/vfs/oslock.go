package vfs

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// osLock is a held lock file: an open descriptor holding flock(2)'s
// exclusive lock. Closing the descriptor releases the lock.
type osLock struct {
	name string
	mu   sync.Mutex
	f    *os.File // nil once closed
}

// Lock implements FS with flock(2) (LOCK_EX|LOCK_NB). An flock belongs to
// the open file description, so a second Lock of the same file in this
// process fails like one from another process; descriptors are opened
// close-on-exec, so a child process never inherits the lock.
func (osFS) Lock(name string) (io.Closer, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	held, err := flockExclusive(f)
	if err != nil {
		return nil, errors.Join(&os.PathError{Op: "flock", Path: name, Err: err}, f.Close())
	}
	if held {
		var err error = &LockedError{Path: name, PID: readPID(f)}
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		return nil, err
	}
	// The lock is ours; what the file holds is a former holder's PID.
	if err := f.Truncate(0); err != nil {
		return nil, errors.Join(err, f.Close())
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return nil, errors.Join(err, f.Close())
	}
	return &osLock{name: name, f: f}, nil
}

// readPID returns the process id a lock file holds, or 0.
func readPID(r io.ReaderAt) int {
	var buf [32]byte
	n, _ := r.ReadAt(buf[:], 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Close empties the lock file, so that it names no holder, and releases
// the lock. The file stays: removing it would let a process that opened
// it just before the removal lock a file nobody else can see.
func (l *osLock) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return &os.PathError{Op: "unlock", Path: l.name, Err: ErrClosed}
	}
	f := l.f
	l.f = nil
	return errors.Join(f.Truncate(0), f.Close())
}
