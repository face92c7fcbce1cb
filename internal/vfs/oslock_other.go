//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package vfs

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// flockExclusive fails where flock(2) is not available: a data directory
// that cannot be locked is not opened.
func flockExclusive(*os.File) (bool, error) {
	return false, fmt.Errorf("vfs: file locking is not implemented on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
