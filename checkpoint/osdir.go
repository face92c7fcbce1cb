package checkpoint

import "github.com/cairndb/cairn/internal/vfs"

// OpenDir is Open on the operating-system file system. It exists for callers
// outside this module (bench/), which cannot import internal/vfs.
func OpenDir(dir string, opts Options) (*Store, error) {
	return Open(vfs.Default, dir, opts)
}
