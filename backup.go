package cairn

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/txn"
	"github.com/cairndb/cairn/wal"
)

// Online backup and point-in-time recovery.
//
// DB.Backup copies a consistent base of a running database into an empty
// directory while writes go on (checkpoint.Store.Backup: a checkpoint,
// the tables of that moment hard-linked or copied, the manifest and
// control file, and the WAL from the checkpoint's redo point to the
// backup's end point), verifies the copy the way `cairn check` does (it
// restores it into a scratch directory inside the backup, opens it, checks
// storage and data, and removes the scratch copy) and only then writes
// backup_label: a small text file with the redo point, the end point, the
// end revision and the files of the backup with their sizes, under a
// CRC-32C. A directory without a valid label is not a backup: Restore
// refuses it, so that a backup cut short (a killed process, a full disk)
// is never mistaken for one.
//
// With Options.WALArchiveDir or Options.ArchiveSegment, each finished WAL
// segment is archived before it may be removed. Restore rebuilds a data
// directory from a backup plus, optionally, an archive, and cuts the WAL
// before the first commit past a target revision or time; opening the
// directory then replays to the target. Commit records carry their commit
// time (package txn) for the time target.

// backupLabelName is the label file that marks a complete backup.
const backupLabelName = "backup_label"

// backupVerifyName is the scratch directory, inside the backup, where the
// backup is restored and checked before the label is written.
const backupVerifyName = "verify.tmp"

// labelHeader is the first line of a backup label (its format version).
const labelHeader = "cairn backup label 1"

// ErrNotBackup is wrapped by Restore's error for a directory that is not a
// complete backup: no label, a damaged one, or a file the label lists
// that is missing or of another size.
var ErrNotBackup = errors.New("cairn: not a complete backup")

// ErrBackupDirNotEmpty is wrapped by Backup's and Restore's errors for a
// target directory that already holds files.
var ErrBackupDirNotEmpty = errors.New("cairn: directory is not empty")

// BackupReport describes a backup.
type BackupReport struct {
	Dir string
	// RedoLSN and EndLSN bound the WAL the backup holds; EndRevision is
	// the newest commit in it: restoring the backup alone gives the
	// database as of that revision.
	RedoLSN, EndLSN uint64
	EndRevision     uint64
	// EndTime is the commit time of EndRevision (zero if unknown).
	EndTime time.Time
	// Tables and LinkedTables count the sorted tables (hard links where
	// the file system allowed).
	Tables, LinkedTables int
	TableBytes           uint64
	WALSegments          int
	WALBytes             int64
	// Check is what the verification read (as `cairn check` prints it).
	Check string
	// Files are the backup's files (relative paths) and sizes, as the
	// label lists them.
	Files []BackupFile
}

// BackupFile is one file of a backup.
type BackupFile struct {
	Name string // slash-separated, relative to the backup directory
	Size int64
}

// Backup writes an online backup of the database into dir, which must be
// missing or empty, and verifies it; see the comment at the top of
// backup.go. Writes go on meanwhile. The backup's WAL ends where Backup
// found the log's end after copying the tables. One backup runs at a time.
// A backup that fails removes what it wrote.
func (db *DB) Backup(ctx context.Context, dir string) (_ BackupReport, err error) {
	rep := BackupReport{Dir: dir}
	db.closeMu.Lock()
	closed := db.closed
	if !closed {
		db.backups.Add(1)
	}
	db.closeMu.Unlock()
	if closed {
		return rep, ErrClosed
	}
	defer db.backups.Done()
	if db.inMemory {
		return rep, errors.New("cairn: an in-memory database cannot be backed up")
	}
	fs := db.fs
	_, statErr := fs.List(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := ensureEmptyDir(fs, dir); err != nil {
		return rep, fmt.Errorf("cairn: backup to %s: %w", dir, err)
	}
	// A failed backup removes what it wrote, as pg_basebackup does (and
	// the directory, if it made it): the source is never touched.
	defer func() {
		if err == nil {
			return
		}
		rerr := vfs.RemoveAll(fs, dir)
		if rerr == nil && !created {
			rerr = fs.MkdirAll(dir)
		}
		if rerr != nil {
			err = errors.Join(err, fmt.Errorf("cairn: removing the failed backup in %s: %w", dir, rerr))
		}
	}()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	report := progressOf(ctx)
	info, err := db.store.BackupReporting(dir, func(p checkpoint.BackupProgress) {
		report(Progress{Phase: "copying", Done: int64(p.Done), Total: int64(p.Total), Unit: "bytes"})
	})
	if err != nil {
		return rep, fmt.Errorf("cairn: backup to %s: %w", dir, err)
	}
	rep.RedoLSN, rep.EndLSN = info.RedoLSN, info.EndLSN
	rep.Tables, rep.LinkedTables, rep.TableBytes = info.Tables.Tables, info.Tables.Linked, info.Tables.Bytes
	rep.WALSegments, rep.WALBytes = info.WALSegments, info.WALBytes
	if err := ctx.Err(); err != nil {
		return rep, err
	}

	// The newest commit the backup's WAL holds.
	last, err := scanCommits(fs, fs.PathJoin(dir, "wal"), info.RedoLSN, nil)
	if err != nil {
		return rep, fmt.Errorf("cairn: backup to %s: reading its wal: %w", dir, err)
	}
	// Zero when no commit followed the checkpoint: the verification
	// below finds the base's revision.
	rep.EndRevision, rep.EndTime = uint64(last.Rev), last.Time
	if rep.Files, err = listBackupFiles(fs, dir); err != nil {
		return rep, err
	}

	// Verify: restore into a scratch directory, open, check.
	scratch := fs.PathJoin(dir, backupVerifyName)
	rev, check, err := verifyBackup(ctx, fs, dir, scratch, info.RedoLSN)
	if rerr := vfs.RemoveAll(fs, scratch); err == nil && rerr != nil {
		err = fmt.Errorf("cairn: removing %s: %w", scratch, rerr)
	}
	if err != nil {
		return rep, fmt.Errorf("cairn: backup to %s failed its check (the backup is not usable; the database is unharmed): %w", dir, err)
	}
	if rep.EndRevision == 0 {
		rep.EndRevision = rev
	}
	if rev != rep.EndRevision {
		return rep, fmt.Errorf("cairn: backup to %s failed its check: restored at revision %d, its WAL ends at revision %d", dir, rev, rep.EndRevision)
	}
	rep.Check = check
	if err := writeLabel(fs, dir, &rep); err != nil {
		return rep, fmt.Errorf("cairn: backup to %s: %w", dir, err)
	}
	return rep, nil
}

// verifyBackup restores the backup in dir (without its label, which is not
// written yet) into scratch, opens it and checks it, returning the
// revision it opened at and what the check read.
func verifyBackup(ctx context.Context, fs vfs.FS, dir, scratch string, redo uint64) (uint64, string, error) {
	report := progressOf(ctx)
	ctx = WithProgress(ctx, func(p Progress) {
		p.Phase = "verifying: " + p.Phase
		report(p)
	})
	if _, err := restoreFiles(ctx, fs, dir, "", scratch, redo); err != nil {
		return 0, "", err
	}
	if err := ctx.Err(); err != nil {
		return 0, "", err
	}
	v, err := OpenWithOptions(scratch, &Options{FS: fs, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return 0, "", err
	}
	rev := v.engine.Revision()
	check, err := v.CheckContext(ctx)
	if cerr := v.Close(); err == nil {
		err = cerr
	}
	return rev, check, err
}

// ensureEmptyDir creates dir, or accepts it if it exists and is empty.
func ensureEmptyDir(fs vfs.FS, dir string) error {
	names, err := fs.List(dir)
	if err == nil && len(names) > 0 {
		return fmt.Errorf("%w: %s", ErrBackupDirNotEmpty, dir)
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return fs.MkdirAll(dir)
}

// listBackupFiles lists the files of the backup in dir (lsm/, wal/,
// CONTROL) with their sizes.
func listBackupFiles(fs vfs.FS, dir string) ([]BackupFile, error) {
	var out []BackupFile
	for _, sub := range []string{"lsm", "wal"} {
		names, err := fs.List(fs.PathJoin(dir, sub))
		if err != nil {
			return nil, fmt.Errorf("cairn: listing the backup: %w", err)
		}
		for _, n := range names {
			size, err := fs.Stat(fs.PathJoin(dir, sub, n))
			if err != nil {
				return nil, fmt.Errorf("cairn: listing the backup: %w", err)
			}
			out = append(out, BackupFile{Name: sub + "/" + n, Size: size})
		}
	}
	size, err := fs.Stat(fs.PathJoin(dir, "CONTROL"))
	if err != nil {
		return nil, fmt.Errorf("cairn: listing the backup: %w", err)
	}
	return append(out, BackupFile{Name: "CONTROL", Size: size}), nil
}

// writeLabel writes backup_label (temporary file, sync, rename, directory
// sync): the last step of a backup.
func writeLabel(fs vfs.FS, dir string, rep *BackupReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", labelHeader)
	fmt.Fprintf(&b, "redo lsn: %d\n", rep.RedoLSN)
	fmt.Fprintf(&b, "end lsn: %d\n", rep.EndLSN)
	fmt.Fprintf(&b, "end revision: %d\n", rep.EndRevision)
	if !rep.EndTime.IsZero() {
		fmt.Fprintf(&b, "end time: %s\n", rep.EndTime.UTC().Format(time.RFC3339Nano))
	}
	fmt.Fprintf(&b, "check: %s\n", strings.ReplaceAll(rep.Check, "\n", " "))
	for _, f := range rep.Files {
		fmt.Fprintf(&b, "file: %d %s\n", f.Size, f.Name)
	}
	body := b.String()
	body += fmt.Sprintf("crc: %08x\n", crc32.Checksum([]byte(body), crc32.MakeTable(crc32.Castagnoli)))
	tmp := fs.PathJoin(dir, backupLabelName+".tmp")
	f, err := fs.Create(tmp)
	if err != nil {
		return fmt.Errorf("writing the backup label: %w", err)
	}
	_, err = f.Write([]byte(body))
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return fmt.Errorf("writing the backup label: %w", err)
	}
	if err := fs.Rename(tmp, fs.PathJoin(dir, backupLabelName)); err != nil {
		return fmt.Errorf("installing the backup label: %w", err)
	}
	return fs.SyncDir(dir)
}

// backupLabel is a parsed backup_label.
type backupLabel struct {
	redo, end, endRev uint64
	endTime           time.Time
	files             []BackupFile
}

// readLabel reads and validates the label of the backup in dir, and checks
// that the files it lists are there with their sizes.
func readLabel(fs vfs.FS, dir string) (*backupLabel, error) {
	name := fs.PathJoin(dir, backupLabelName)
	f, err := fs.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s (the backup did not finish, or this is not a backup directory)", ErrNotBackup, dir, backupLabelName)
	}
	if err != nil {
		return nil, fmt.Errorf("cairn: reading %s: %w", name, err)
	}
	data, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err = errors.Join(err, f.Close()); err != nil {
		return nil, fmt.Errorf("cairn: reading %s: %w", name, err)
	}
	bad := func(why string) error {
		return fmt.Errorf("%w: %s is damaged: %s", ErrNotBackup, name, why)
	}
	i := bytes.LastIndex(data, []byte("crc: "))
	if i < 0 || !bytes.HasSuffix(data, []byte("\n")) {
		return nil, bad("no checksum line")
	}
	sum, err := strconv.ParseUint(string(bytes.TrimSpace(data[i+5:])), 16, 32)
	if err != nil || uint32(sum) != crc32.Checksum(data[:i], crc32.MakeTable(crc32.Castagnoli)) {
		return nil, bad("checksum mismatch")
	}
	l := &backupLabel{}
	sc := bufio.NewScanner(bytes.NewReader(data[:i]))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() || sc.Text() != labelHeader {
		return nil, bad("unknown format (want " + labelHeader + ")")
	}
	seen := map[string]bool{}
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			return nil, bad(fmt.Sprintf("line %q", sc.Text()))
		}
		seen[key] = true
		switch key {
		case "redo lsn":
			l.redo, err = strconv.ParseUint(val, 10, 64)
		case "end lsn":
			l.end, err = strconv.ParseUint(val, 10, 64)
		case "end revision":
			l.endRev, err = strconv.ParseUint(val, 10, 64)
		case "end time":
			l.endTime, err = time.Parse(time.RFC3339Nano, val)
		case "file":
			sizeText, fname, _ := strings.Cut(val, " ")
			var size int64
			size, err = strconv.ParseInt(sizeText, 10, 64)
			if fname == "" || strings.Contains(fname, "..") {
				err = fmt.Errorf("file name %q", fname)
			}
			l.files = append(l.files, BackupFile{Name: fname, Size: size})
		}
		if err != nil {
			return nil, bad(fmt.Sprintf("%s: %v", key, err))
		}
	}
	if !seen["redo lsn"] || !seen["end lsn"] || !seen["end revision"] || len(l.files) == 0 {
		return nil, bad("a required line is missing")
	}
	for _, bf := range l.files {
		size, err := fs.Stat(fs.PathJoin(append([]string{dir}, strings.Split(bf.Name, "/")...)...))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %s is missing: %v", ErrNotBackup, dir, bf.Name, err)
		}
		if size != bf.Size {
			return nil, fmt.Errorf("%w: %s: %s is %d bytes, the label says %d", ErrNotBackup, dir, bf.Name, size, bf.Size)
		}
	}
	return l, nil
}

// RestoreOptions say what Restore restores.
type RestoreOptions struct {
	// From is the backup directory (written by Backup).
	From string
	// WALArchive, if set, is a directory of archived WAL segments
	// (Options.WALArchiveDir) to replay past the backup's end.
	WALArchive string
	// TargetRevision, if not zero, stops the replay after the commit at
	// that revision: the restored database holds exactly the commits at
	// or below it. It must not be below the backup's end revision.
	TargetRevision uint64
	// TargetTime, if not zero, stops the replay before the first commit
	// whose commit time is after it. Commits written without a time
	// (before commit records carried one) never stop it.
	TargetTime time.Time
	// To is the new data directory; it must be missing or empty.
	To string
	// FS overrides the file system, for tests.
	FS vfs.FS
}

// RestoreReport says what Restore did.
type RestoreReport struct {
	// Revision is the newest commit the restored database holds, and
	// Time its commit time (zero if unknown).
	Revision uint64
	Time     time.Time
	// ArchiveSegments counts the archived segments used.
	ArchiveSegments int
	// StopLSN is where the WAL was cut (0: it was replayed to its end).
	StopLSN uint64
}

// errStopReplay stops a scan of the WAL at the target.
var errStopReplay = errors.New("cairn: restore target reached")

// Restore builds a data directory in opts.To from a backup and, with
// opts.WALArchive, the archived WAL after it, cut at the target (or at the
// end of the WAL without one). Opening the directory replays the WAL to
// that point. The backup itself is only read; its tables are hard-linked
// where the file system allows. A backup without a valid label is refused
// (ErrNotBackup), as is a target before the backup's end or past the WAL
// it finds. On an error, what Restore wrote into opts.To is removed (and
// opts.To itself, if Restore made it).
func Restore(ctx context.Context, opts RestoreOptions) (rep RestoreReport, err error) {
	fs := opts.FS
	if fs == nil {
		fs = vfs.Default
	}
	if opts.TargetRevision != 0 && !opts.TargetTime.IsZero() {
		return rep, errors.New("cairn: restore: give a target revision or a target time, not both")
	}
	label, err := readLabel(fs, opts.From)
	if err != nil {
		return rep, err
	}
	if opts.TargetRevision != 0 && opts.TargetRevision < label.endRev {
		return rep, fmt.Errorf("cairn: restore: target revision %d is before the end of the backup (revision %d): restore from an older backup", opts.TargetRevision, label.endRev)
	}
	_, statErr := fs.List(opts.To)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := ensureEmptyDir(fs, opts.To); err != nil {
		return rep, fmt.Errorf("cairn: restore to %s: %w", opts.To, err)
	}
	defer func() {
		if err == nil {
			return
		}
		rerr := vfs.RemoveAll(fs, opts.To)
		if rerr == nil && !created {
			rerr = fs.MkdirAll(opts.To)
		}
		if rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	if rep.ArchiveSegments, err = restoreFiles(ctx, fs, opts.From, opts.WALArchive, opts.To, label.redo); err != nil {
		return rep, err
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	walDir := fs.PathJoin(opts.To, "wal")
	var stop uint64
	last, err := scanCommits(fs, walDir, label.redo, func(lsn uint64, c txn.CommitRecord) bool {
		past := (opts.TargetRevision != 0 && uint64(c.Rev) > opts.TargetRevision) ||
			(!opts.TargetTime.IsZero() && !c.Time.IsZero() && c.Time.After(opts.TargetTime))
		if past {
			stop = lsn
		}
		return past
	})
	if errors.Is(err, wal.ErrCorrupt) && opts.WALArchive != "" {
		return rep, fmt.Errorf("cairn: restore: the backup's WAL and the archived segments do not join up (is a segment missing from %s?): %w", opts.WALArchive, err)
	}
	if err != nil {
		return rep, fmt.Errorf("cairn: restore: reading the wal: %w", err)
	}
	rep.Revision, rep.Time = uint64(last.Rev), last.Time
	if rep.Revision == 0 {
		rep.Revision = label.endRev
	}
	switch {
	case stop != 0 && stop < label.end:
		return rep, fmt.Errorf("cairn: restore: the target time %s is before the end of the backup (revision %d at %s): restore from an older backup",
			opts.TargetTime.UTC().Format(time.RFC3339Nano), label.endRev, label.endTime.Format(time.RFC3339Nano))
	case opts.TargetRevision != 0 && rep.Revision < opts.TargetRevision:
		return rep, fmt.Errorf("cairn: restore: recovery ended before the target revision %d was reached: the backup and the WAL archive hold commits through revision %d", opts.TargetRevision, rep.Revision)
	case !opts.TargetTime.IsZero() && stop == 0:
		return rep, fmt.Errorf("cairn: restore: recovery ended before the target time %s was reached: the newest commit in the backup and the WAL archive is revision %d at %s",
			opts.TargetTime.UTC().Format(time.RFC3339Nano), rep.Revision, rep.Time.Format(time.RFC3339Nano))
	}
	if stop != 0 {
		rep.StopLSN = stop
		if err := wal.TruncateAt(fs, walDir, wal.LSN(stop)); err != nil {
			return rep, fmt.Errorf("cairn: restore: %w", err)
		}
	}
	return rep, nil
}

// restoreFiles lays out a data directory in to from the backup in from:
// tables hard-linked (or copied), everything else copied, and the WAL
// segments of archive, when given, that the backup's WAL does not hold
// complete (from the backup's last segment on). It returns the number of
// archived segments it used.
func restoreFiles(ctx context.Context, fs vfs.FS, from, archive, to string, redo uint64) (int, error) {
	for _, sub := range []string{"lsm", "wal"} {
		if err := fs.MkdirAll(fs.PathJoin(to, sub)); err != nil {
			return 0, fmt.Errorf("cairn: restore: %w", err)
		}
	}
	tell, err := restoreProgress(ctx, fs, from, archive)
	if err != nil {
		return 0, err
	}
	names, err := fs.List(fs.PathJoin(from, "lsm"))
	if err != nil {
		return 0, fmt.Errorf("cairn: restore: %w", err)
	}
	for _, n := range names {
		src, dst := fs.PathJoin(from, "lsm", n), fs.PathJoin(to, "lsm", n)
		if strings.HasSuffix(n, ".sst") {
			_, err = vfs.LinkOrCopy(fs, src, dst)
		} else {
			// The manifest is appended to by the restored database.
			_, err = vfs.CopyFile(fs, src, dst, -1)
		}
		if err != nil {
			return 0, fmt.Errorf("cairn: restore: %w", err)
		}
		tell(src)
	}
	if _, err := vfs.CopyFile(fs, fs.PathJoin(from, "CONTROL"), fs.PathJoin(to, "CONTROL"), -1); err != nil {
		return 0, fmt.Errorf("cairn: restore: %w", err)
	}
	tell(fs.PathJoin(from, "CONTROL"))
	names, err = fs.List(fs.PathJoin(from, "wal"))
	if err != nil {
		return 0, fmt.Errorf("cairn: restore: %w", err)
	}
	var lastStart wal.LSN
	for _, n := range names {
		start, ok := wal.ParseSegmentName(n)
		if !ok {
			continue
		}
		lastStart = max(lastStart, start)
		if _, err := vfs.CopyFile(fs, fs.PathJoin(from, "wal", n), fs.PathJoin(to, "wal", n), -1); err != nil {
			return 0, fmt.Errorf("cairn: restore: %w", err)
		}
		tell(fs.PathJoin(from, "wal", n))
	}
	if archive == "" {
		return 0, nil
	}
	names, err = fs.List(archive)
	if err != nil {
		return 0, fmt.Errorf("cairn: restore: reading the WAL archive: %w", err)
	}
	used := 0
	for _, n := range names {
		start, ok := wal.ParseSegmentName(n)
		if !ok || start < lastStart {
			continue
		}
		// The backup's last segment was cut at its end point; the
		// archived one is the whole segment.
		if _, err := vfs.CopyFile(fs, fs.PathJoin(archive, n), fs.PathJoin(to, "wal", n), -1); err != nil {
			return 0, fmt.Errorf("cairn: restore: %w", err)
		}
		tell(fs.PathJoin(archive, n))
		used++
	}
	return used, nil
}

// restoreProgress returns the function restoreFiles calls after writing
// each file it read from path: it reports the bytes written of the
// backup's files and the archived segments (all of them: the total is an
// upper bound when the archive holds segments the backup also holds).
func restoreProgress(ctx context.Context, fs vfs.FS, from, archive string) (func(path string), error) {
	report := progressOf(ctx)
	var done, total int64
	dirs := []string{fs.PathJoin(from, "lsm"), fs.PathJoin(from, "wal")}
	if archive != "" {
		dirs = append(dirs, archive)
	}
	for _, d := range dirs {
		names, err := fs.List(d)
		if err != nil {
			return nil, fmt.Errorf("cairn: restore: %w", err)
		}
		for _, n := range names {
			if size, err := fs.Stat(fs.PathJoin(d, n)); err == nil {
				total += size
			}
		}
	}
	if size, err := fs.Stat(fs.PathJoin(from, "CONTROL")); err == nil {
		total += size
	}
	report(Progress{Phase: "restoring files", Total: total, Unit: "bytes"})
	return func(path string) {
		if size, err := fs.Stat(path); err == nil {
			done += size
		}
		report(Progress{Phase: "restoring files", Done: done, Total: max(total, done), Unit: "bytes"})
	}, nil
}

// scanCommits reads the WAL in dir from redo and returns the last commit
// record before stop returned true (stop may be nil). The log is opened
// without a background writer and closed again.
func scanCommits(fs vfs.FS, dir string, redo uint64, stop func(lsn uint64, c txn.CommitRecord) bool) (txn.CommitRecord, error) {
	var last txn.CommitRecord
	log, err := wal.Open(fs, dir, wal.Options{FlushInterval: -1})
	if err != nil {
		return last, err
	}
	err = log.Replay(wal.LSN(redo), func(lsn wal.LSN, payload []byte) error {
		b, err := lsm.DecodeBatch(payload)
		if err != nil {
			return err
		}
		c, ok := txn.DecodeCommit(b)
		if !ok {
			return nil
		}
		if stop != nil && stop(uint64(lsn), c) {
			return errStopReplay
		}
		last = c
		return nil
	})
	if errors.Is(err, errStopReplay) {
		err = nil
	}
	if cerr := log.Close(); err == nil {
		err = cerr
	}
	return last, err
}

// sqlBackuper runs cairn_backup and cairn_switch_wal for the SQL layer.
type sqlBackuper struct{ db *DB }

func (b sqlBackuper) Backup(ctx context.Context, dir string) (string, error) {
	if report := sql.BackupProgressFunc(ctx); report != nil {
		ctx = WithProgress(ctx, func(p Progress) { report(p.Phase, p.Done, p.Total) })
	}
	if _, err := b.db.Backup(ctx, dir); err != nil {
		return "", err
	}
	f, err := b.db.fs.Open(b.db.fs.PathJoin(dir, backupLabelName))
	if err != nil {
		return "", fmt.Errorf("cairn: reading the label of the backup in %s: %w", dir, err)
	}
	label, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err = errors.Join(err, f.Close()); err != nil {
		return "", fmt.Errorf("cairn: reading the label of the backup in %s: %w", dir, err)
	}
	return string(label), nil
}

func (b sqlBackuper) SwitchWAL() (bool, error) {
	end, err := b.db.store.SwitchWAL()
	if err != nil {
		return false, fmt.Errorf("cairn: switching the WAL segment: %w", err)
	}
	if _, err := b.db.store.ArchiveFinished(); err != nil {
		return end != 0, fmt.Errorf("cairn: archiving the WAL: %w", err)
	}
	return end != 0, nil
}
