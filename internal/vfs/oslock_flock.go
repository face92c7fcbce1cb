//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package vfs

import (
	"os"
	"syscall"
)

// flockExclusive takes flock(2)'s exclusive lock on f without waiting. It
// reports held=true, and no error, when another open file description has
// the lock.
func flockExclusive(f *os.File) (held bool, err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var lockErr error
	if err := rc.Control(func(fd uintptr) {
		for {
			lockErr = syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB)
			if lockErr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return false, err
	}
	if lockErr == syscall.EWOULDBLOCK {
		return true, nil
	}
	return false, lockErr
}
