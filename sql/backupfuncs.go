package sql

import (
	"context"
	"path/filepath"
	"sync"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// Backup functions, cairn's own (PostgreSQL takes base backups through
// the replication protocol instead):
//
//	cairn_backup(dir text) returns text
//	    writes an online backup of the database into dir, a directory
//	    on the server's file system that must be missing or empty and
//	    named by an absolute path (42602 otherwise), and returns the
//	    backup's label; a superuser only (42501), as writing server
//	    files with COPY TO is.
//	cairn_switch_wal() returns bool
//	    ends the current WAL segment and archives the finished ones, as
//	    pg_switch_wal does; a superuser only; false when the segment
//	    held nothing.
//
// The database registers what runs them (Engine.SetBackuper); an engine
// without one refuses them (55000).

// Backuper takes backups for the backup functions.
type Backuper interface {
	// Backup writes a backup into dir and returns its label's text.
	Backup(ctx context.Context, dir string) (string, error)
	// SwitchWAL ends the current WAL segment and archives it.
	SwitchWAL() (bool, error)
}

type backupers struct {
	mu sync.Mutex
	b  Backuper
}

// SetBackuper registers what runs cairn_backup and cairn_switch_wal.
func (e *Engine) SetBackuper(b Backuper) {
	e.backups.mu.Lock()
	defer e.backups.mu.Unlock()
	e.backups.b = b
}

func (e *Engine) backuper() Backuper {
	e.backups.mu.Lock()
	defer e.backups.mu.Unlock()
	return e.backups.b
}

func (b *binder) bindBackupFunc(name string, args []expr, pos int32) (expr, bool, error) {
	f := &builtins.Func{Name: name}
	var fn func(x *execCtx, vals []types.Datum) (types.Datum, error)
	result := types.Text
	switch name {
	case "cairn_backup":
		f.Overloads = []*builtins.Overload{{Args: []types.ID{types.Text}, Result: types.Text}}
		fn = func(x *execCtx, vals []types.Datum) (types.Datum, error) {
			bk, err := backupAllowed(x, name)
			if err != nil {
				return nil, err
			}
			if vals[0] == nil {
				return nil, nil
			}
			dir := vals[0].(string)
			if !filepath.IsAbs(dir) {
				return nil, pgerr.New(pgerr.InvalidName, "relative path not allowed for a backup on the server")
			}
			prog, endProgress := x.s.startProgress(progressBackup, 0, "")
			defer endProgress()
			prog.setPhase("initializing")
			label, err := bk.Backup(context.WithValue(x.ctx, backupProgressKey{}, prog.backupReport), dir)
			if err != nil {
				return nil, pgerr.Wrap(err, pgerr.IOError)
			}
			return label, nil
		}
	case "cairn_switch_wal":
		result = types.Bool
		f.Overloads = []*builtins.Overload{{Result: types.Bool}}
		fn = func(x *execCtx, vals []types.Datum) (types.Datum, error) {
			bk, err := backupAllowed(x, name)
			if err != nil {
				return nil, err
			}
			switched, err := bk.SwitchWAL()
			if err != nil {
				return nil, err
			}
			return switched, nil
		}
	default:
		return nil, false, nil
	}
	if _, err := b.resolveArgs(f, args, pos); err != nil {
		return nil, true, err
	}
	return &ctxFuncExpr{t: types.New(result), args: args, fn: fn}, true, nil
}

// backupAllowed checks that the session's role is a superuser and that
// the engine can take backups.
func backupAllowed(x *execCtx, name string) (Backuper, error) {
	super, _, err := x.roleRights()
	if err != nil {
		return nil, err
	}
	if !super {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to run %s()", name)
	}
	bk := x.s.e.backuper()
	if bk == nil {
		return nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "%s() is not available: this engine has no storage to back up", name)
	}
	return bk, nil
}
