package vfs

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// copyBufBytes is the buffer of CopyFile.
const copyBufBytes = 1 << 20

// LinkOrCopy gives the file src the name dst: a hard link when fs is a
// Linker and the link succeeds, a synced copy otherwise (see CopyFile).
// linked reports which. Only immutable files may be linked: a later write
// through either name would show through the other. The caller syncs dst's
// directory.
func LinkOrCopy(fs FS, src, dst string) (linked bool, err error) {
	if l, ok := fs.(Linker); ok {
		if err := l.Link(src, dst); err == nil {
			return true, nil
		}
	}
	_, err = CopyFile(fs, src, dst, -1)
	return false, err
}

// CopyFile copies the first n bytes of src (all of it when n < 0) to a new
// file dst, replacing dst if it exists, syncs dst and returns the bytes
// copied. A src shorter than n is an error. The caller syncs dst's
// directory.
func CopyFile(fs FS, src, dst string, n int64) (int64, error) {
	in, err := fs.Open(src)
	if err != nil {
		return 0, fmt.Errorf("vfs: copying %s: %w", src, err)
	}
	defer in.Close()
	out, err := fs.Create(dst)
	if err != nil {
		return 0, fmt.Errorf("vfs: copying to %s: %w", dst, err)
	}
	var r io.Reader = in
	if n >= 0 {
		r = io.LimitReader(in, n)
	}
	copied, err := io.CopyBuffer(onlyWriter{out}, onlyReader{r}, make([]byte, copyBufBytes))
	if err == nil && n >= 0 && copied < n {
		err = fmt.Errorf("%s holds %d bytes, fewer than %d: %w", src, copied, n, io.ErrUnexpectedEOF)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return copied, errors.Join(fmt.Errorf("vfs: copying %s to %s: %w", src, dst, err), fs.Remove(dst))
	}
	return copied, nil
}

// onlyWriter and onlyReader hide ReadFrom/WriteTo so that CopyBuffer uses
// its buffer.
type onlyWriter struct{ io.Writer }
type onlyReader struct{ io.Reader }

// RemoveAll removes name and, when it is a directory, everything in it.
// A missing name is not an error.
func RemoveAll(fs FS, name string) error {
	err := fs.Remove(name)
	if err == nil || errors.Is(err, os.ErrNotExist) {
		return nil
	}
	entries, lerr := fs.List(name)
	if lerr != nil {
		return err // a file that cannot be removed
	}
	for _, e := range entries {
		if err := RemoveAll(fs, fs.PathJoin(name, e)); err != nil {
			return err
		}
	}
	if err := fs.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("vfs: removing %s: %w", name, err)
	}
	return nil
}
