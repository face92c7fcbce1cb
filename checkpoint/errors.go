package checkpoint

import (
	"errors"
	"io/fs"
	"syscall"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/wal"
)

// walError gives a failure of the WAL the SQLSTATE and wording PostgreSQL
// uses, naming the file relative to the data directory (never the absolute
// path, which only the wrapped cause and the logs carry): 53100
// disk_full for a full disk, 58030 io_error for anything else. The error
// is pgerr Complete: clients see this message alone. Errors that are not
// file failures of the log are returned as they are.
func walError(err error) error {
	var fe *wal.FileError
	if !errors.As(err, &fe) {
		return err
	}
	file := "wal"
	if fe.File != "" {
		file += "/" + fe.File
	}
	var pe *pgerr.Error
	if vfs.IsNoSpace(err) {
		pe = pgerr.New(pgerr.DiskFull, "could not extend file \"%s\": %s", file, reason(fe.Err)).
			WithHint("Check free disk space.")
	} else {
		pe = pgerr.New(pgerr.IOError, "could not %s file \"%s\": %s", fe.Op, file, reason(fe.Err))
	}
	if errors.Is(err, wal.ErrFailed) {
		pe.Detail = "The write-ahead log failed: the database accepts no more writes until it is restarted."
	}
	return pe.WithCause(err).AsComplete()
}

// reason is the operating system's word for why a file operation failed,
// as PostgreSQL's %m prints it ("No space left on device"), without the
// path an *fs.PathError would add.
func reason(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return capitalize(errno.Error())
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return capitalize(pe.Err.Error())
	}
	// The innermost cause, which names no file.
	for next := errors.Unwrap(err); next != nil; next = errors.Unwrap(err) {
		err = next
	}
	return capitalize(err.Error())
}

func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
