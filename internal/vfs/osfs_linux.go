package vfs

import (
	"os"
	"syscall"
)

// SyncData calls fdatasync(2).
func (f osFile) SyncData() error {
	rc, err := f.File.SyscallConn()
	if err != nil {
		return err
	}
	var syncErr error
	if err := rc.Control(func(fd uintptr) {
		for {
			syncErr = syscall.Fdatasync(int(fd))
			if syncErr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		// Control fails only on a closed file; report it as Sync does.
		return &os.PathError{Op: "fdatasync", Path: f.File.Name(), Err: os.ErrClosed}
	}
	if syncErr != nil {
		return &os.PathError{Op: "fdatasync", Path: f.File.Name(), Err: syncErr}
	}
	return nil
}
