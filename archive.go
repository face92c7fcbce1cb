package cairn

import (
	"errors"
	"fmt"

	"github.com/cairndb/cairn/internal/vfs"
)

// archiver returns the function that archives one finished WAL segment
// into dir and then calls command, or nil when neither is set. A segment
// is copied under a temporary name, synced and renamed, and the directory
// synced, so that the archive never holds part of a segment under a
// segment's name. A segment archived again (after a restart, the segments
// still on disk are) replaces the same content.
func archiver(fs vfs.FS, dir string, command func(path, name string) error) func(path, name string) error {
	if dir == "" && command == nil {
		return nil
	}
	return func(path, name string) error {
		if dir != "" {
			if err := fs.MkdirAll(dir); err != nil {
				return fmt.Errorf("cairn: creating the WAL archive %s: %w", dir, err)
			}
			tmp := fs.PathJoin(dir, name+".tmp")
			if _, err := vfs.CopyFile(fs, path, tmp, -1); err != nil {
				return err
			}
			if err := fs.Rename(tmp, fs.PathJoin(dir, name)); err != nil {
				return errors.Join(fmt.Errorf("cairn: archiving %s: %w", name, err), fs.Remove(tmp))
			}
			if err := fs.SyncDir(dir); err != nil {
				return fmt.Errorf("cairn: archiving %s: %w", name, err)
			}
		}
		if command != nil {
			return command(path, name)
		}
		return nil
	}
}

// SwitchWAL ends the current WAL segment (if it holds any record) and
// archives every finished segment now, as PostgreSQL's pg_switch_wal
// followed by the archiver: afterwards the archive holds every commit
// made before the call. Without archiving it only switches.
func (db *DB) SwitchWAL() error {
	if _, err := db.store.SwitchWAL(); err != nil {
		return fmt.Errorf("cairn: switching the WAL segment: %w", err)
	}
	if _, err := db.store.ArchiveFinished(); err != nil {
		return fmt.Errorf("cairn: archiving the WAL: %w", err)
	}
	return nil
}
