package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn"
	"github.com/jackc/pgx/v5"
)

// backup takes an online backup: of a data directory this process opens
// (--data; refused while a server has it open: back that one up through
// the server with --url), or through a running server (--url), which
// writes the backup with cairn_backup() into a directory on its own file
// system, as a superuser only.
func backup(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory to back up (not while a server has it open: use --url)")
	url := fs.String("url", "", "connection string of a running server, e.g. postgres://postgres@127.0.0.1:5432/postgres (a superuser); the server writes the backup")
	to := fs.String("to", "", "directory to write the backup into (missing or empty); with --url, a path on the server's machine")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("backup: unexpected argument %q (flags: --data DIR | --url URL, --to DIR)", fs.Arg(0))
	}
	if *to == "" || (*data == "") == (*url == "") {
		return errors.New("backup: give --to DIR and one of --data DIR or --url URL")
	}
	ctx := context.Background()
	if *url != "" {
		dir, err := filepath.Abs(*to)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		conn, err := pgx.Connect(ctx, *url)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		defer conn.Close(ctx)
		view := newProgressView(stderr, "backup")
		stopWatch := watchServerBackup(ctx, *url, conn.PgConn().PID(), view)
		var label string
		err = conn.QueryRow(ctx, "SELECT cairn_backup($1)", dir).Scan(&label)
		stopWatch()
		view.finish()
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		fmt.Fprintf(stdout, "backup written to %s by the server\n%s", dir, label)
		return nil
	}
	// Opening would create a database where there is none.
	if _, err := os.Stat(filepath.Join(*data, "CONTROL")); err != nil {
		if _, werr := os.Stat(filepath.Join(*data, "wal")); werr != nil {
			return fmt.Errorf("backup: %s is not a cairn data directory: %w", *data, err)
		}
	}
	db, err := cairn.OpenWithOptions(*data, &cairn.Options{Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	if errors.Is(err, cairn.ErrLocked) {
		return fmt.Errorf("backup: %w; back up a running server with --url", err)
	}
	if err != nil {
		return err
	}
	view := newProgressView(stderr, "backup")
	rep, err := db.Backup(cairn.WithProgress(ctx, view.report), *to)
	view.finish()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s: end revision %d, %d tables (%d hard-linked, %d bytes), %d WAL segments (%d bytes); check: %s\n",
		*data, *to, rep.EndRevision, rep.Tables, rep.LinkedTables, rep.TableBytes, rep.WALSegments, rep.WALBytes, rep.Check)
	return nil
}

// serverBackupPoll is how often a backup through a server reads its
// progress.
const serverBackupPoll = 200 * time.Millisecond

// watchServerBackup shows the progress of the backup the session pid of
// the server at url runs, read from pg_stat_progress_basebackup over a
// connection of its own, until the returned stop is called. Without that
// connection no progress is shown: the backup itself goes on.
func watchServerBackup(ctx context.Context, url string, pid uint32, view *progressView) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return
		}
		defer conn.Close(context.Background())
		tick := time.NewTicker(serverBackupPoll)
		defer tick.Stop()
		for {
			var phase string
			var streamed, total int64
			err := conn.QueryRow(ctx, "SELECT phase, backup_streamed, backup_total FROM pg_stat_progress_basebackup WHERE pid = $1", int32(pid)).
				Scan(&phase, &streamed, &total)
			if err == nil {
				view.report(cairn.Progress{Phase: phase, Done: streamed, Total: total, Unit: "bytes"})
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// restore builds a data directory from a backup and, optionally, a WAL
// archive, replayed to a target; it then opens the directory, checks it
// and closes it.
func restore(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "backup directory (written by cairn backup)")
	archive := fs.String("wal", "", "WAL archive directory (serve --wal-archive) to replay past the backup")
	targetTime := fs.String("target-time", "", "stop before the first commit after this time (RFC 3339, e.g. 2026-12-07T17:30:00Z)")
	targetRev := fs.Uint64("target-revision", 0, "stop after the commit at this revision")
	to := fs.String("to", "", "new data directory (missing or empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("restore: unexpected argument %q", fs.Arg(0))
	}
	if *from == "" || *to == "" {
		return errors.New("restore: give --from BACKUP and --to DIR")
	}
	opts := cairn.RestoreOptions{From: *from, WALArchive: *archive, TargetRevision: *targetRev, To: *to}
	if *targetTime != "" {
		t, err := time.Parse(time.RFC3339Nano, *targetTime)
		if err != nil {
			return fmt.Errorf("restore: --target-time: %w", err)
		}
		opts.TargetTime = t
	}
	view := newProgressView(stderr, "restore")
	defer view.finish()
	ctx := cairn.WithProgress(context.Background(), view.report)
	rep, err := cairn.Restore(ctx, opts)
	if err != nil {
		return err
	}
	db, err := cairn.OpenWithOptions(*to, &cairn.Options{Logger: slog.New(slog.NewTextHandler(stderr, nil))})
	if err != nil {
		return err
	}
	check, err := db.CheckContext(ctx)
	view.finish()
	rev := db.Engine().Revision()
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	at := ""
	if !rep.Time.IsZero() {
		at = " committed at " + rep.Time.Format(time.RFC3339Nano)
	}
	fmt.Fprintf(stdout, "restored %s into %s at revision %d%s (%d archived WAL segments); check: %s\n", *from, *to, rev, at, rep.ArchiveSegments, check)
	return nil
}

// archiveCommand returns the function that runs command through sh -c
// for each finished WAL segment, with %p replaced by the segment's path,
// %f by its file name and %% by %, as PostgreSQL's archive_command; a
// non-zero exit keeps the segment for another try.
func archiveCommand(command string) func(path, name string) error {
	if command == "" {
		return nil
	}
	return func(path, name string) error {
		var b strings.Builder
		for i := 0; i < len(command); i++ {
			if command[i] == '%' && i+1 < len(command) {
				switch command[i+1] {
				case 'p':
					b.WriteString(path)
					i++
					continue
				case 'f':
					b.WriteString(name)
					i++
					continue
				case '%':
					b.WriteByte('%')
					i++
					continue
				}
			}
			b.WriteByte(command[i])
		}
		out, err := exec.Command("sh", "-c", b.String()).CombinedOutput()
		if err != nil {
			return fmt.Errorf("archive command %s failed: %w: %s", strconv.Quote(b.String()), err, strings.TrimSpace(string(out)))
		}
		return nil
	}
}
