package cairn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/wal"
)

// MemoryDSN opens a database that lives only in memory.
const MemoryDSN = ":memory:"

// Options configure a DB. A nil *Options and zero fields mean defaults.
type Options struct {
	// CheckpointInterval is the longest time between checkpoints
	// (PostgreSQL's checkpoint_timeout). Default 5 minutes.
	CheckpointInterval time.Duration
	// MemtableBytes is the memtable size that triggers a checkpoint.
	// Default 32 MiB.
	MemtableBytes int64
	// MaxWALSize is the volume of WAL since the last checkpoint that
	// triggers one (PostgreSQL's max_wal_size). Default 1 GiB.
	MaxWALSize int64
	// BlockCacheBytes limits the cache of table blocks read from disk
	// (PostgreSQL's shared_buffers plays this part). Default 128 MiB,
	// PostgreSQL's default shared_buffers; memory is taken as blocks are
	// read, not up front.
	BlockCacheBytes int64
	// MemoryBudget bounds the memory queries take (nil: unlimited):
	// parsing a query string waits for the memory its size calls for, and
	// running statements share it for their rows and aggregate states; a
	// statement that needs more than is free fails with SQLSTATE 53200
	// (sql/doc.go). A server shares one budget between its wire protocol
	// and the database.
	MemoryBudget *membudget.Budget
	// TempDir is where statements that outgrow work_mem write their
	// temporary files. Default: the data directory's pgsql_tmp, emptied
	// when the database opens; the system's temporary directory for
	// MemoryDSN or a database on an FS of its own.
	TempDir string
	// Logger receives background errors and, when log_checkpoints is on,
	// the checkpoints. Default slog.Default(), which then hears of
	// checkpoints only if Settings sets log_checkpoints.
	Logger *slog.Logger
	// WALArchiveDir, if set, archives every finished WAL segment into
	// this directory (PostgreSQL's archive_mode with a copy as
	// archive_command); a segment is removed only once archived. With a
	// base backup (DB.Backup), the archive lets Restore replay to any
	// later revision or time. See backup.go and archive.go.
	WALArchiveDir string
	// ArchiveSegment, if set, archives every finished WAL segment by
	// calling it with the segment file's path and base name
	// (PostgreSQL's archive_command with %p and %f; cmd/cairn's
	// --archive-command runs a shell command). An error keeps the
	// segment, and it is tried again later. It runs after the copy into
	// WALArchiveDir when both are set.
	ArchiveSegment func(path, name string) error
	// FS overrides the file system, for tests.
	FS vfs.FS
	// Settings are the server's values of run-time parameters, as
	// postgresql.conf holds them: every session starts with them, and
	// the server-wide ones (log_checkpoints, log_connections,
	// log_disconnections) are read from here. Open refuses an unknown
	// parameter or an invalid value.
	Settings map[string]string
	// ConfigFile, when set, names a configuration file in
	// postgresql.conf's format ("name = value" lines) whose settings are
	// server settings too; Settings win over it. Open refuses a file with
	// an unknown parameter or an invalid value, naming its line;
	// DB.ReloadConfig re-reads it.
	ConfigFile string

	// checkpointPoll overrides checkpointPoll, for tests.
	checkpointPoll time.Duration
	// walSegmentBytes overrides the WAL segment size, for tests.
	walSegmentBytes int64
}

// MemoryBudget is a memory budget for Options.MemoryBudget: a number of
// bytes that the queries of a database (and the wire protocol of a server in
// front of it) share.
type MemoryBudget = membudget.Budget

// NewMemoryBudget returns a budget of limit bytes.
func NewMemoryBudget(limit int64) *MemoryBudget { return membudget.New(limit, membudget.Options{}) }

// DB is an open database.
type DB struct {
	fs       vfs.FS
	inMemory bool // opened as MemoryDSN: nothing on disk to back up
	store    *checkpoint.Store
	engine   *sql.Engine
	logger   *slog.Logger

	stop     chan struct{}
	done     chan struct{}
	closeMu  sync.Mutex
	closed   bool
	backups  sync.WaitGroup // running Backups; Close waits for them
	serving  *serving       // the running Serve, under closeMu
	memory   *membudget.Budget
	bgErr    error
	interval time.Duration
	poll     time.Duration
}

// defaultBlockCacheBytes is Options.BlockCacheBytes when unset: 128 MiB,
// PostgreSQL's default shared_buffers.
const defaultBlockCacheBytes = 128 << 20

var (
	// ErrClosed is returned by operations on a closed DB.
	ErrClosed = errors.New("cairn: database is closed")
	// ErrLocked is wrapped by the error Open returns when the data
	// directory is in use: another process, or another DB of this
	// process, has it open. The error names the holder's PID.
	ErrLocked = errors.New("cairn: data directory in use")
)

// lockedError is Open's error for a directory in use.
type lockedError struct {
	dir  string
	held *vfs.LockedError
	err  error // the chain below, which holds held
}

func (e *lockedError) Error() string {
	holder := "another process"
	switch e.held.PID {
	case 0:
	case os.Getpid():
		holder = fmt.Sprintf("process %d (this process)", e.held.PID)
	default:
		holder = fmt.Sprintf("process %d", e.held.PID)
	}
	return fmt.Sprintf("cairn: data directory %q is in use by %s (lock file %s)", e.dir, holder, e.held.Path)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

func (e *lockedError) Unwrap() error { return e.err }

// Open opens (creating if needed) the database in dir, or an in-memory
// database when dir is ":memory:".
func Open(dir string) (*DB, error) { return OpenWithOptions(dir, nil) }

// OpenWithOptions is Open with options.
func OpenWithOptions(dir string, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.CheckpointInterval <= 0 {
		o.CheckpointInterval = 5 * time.Minute
	}
	// An embedded database opened without a Logger logs its checkpoints
	// only when its Settings ask for it: a program using cairn as a
	// library should not find a line on its stderr every few minutes.
	quietCheckpoints := o.Logger == nil && o.Settings["log_checkpoints"] == ""
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BlockCacheBytes == 0 {
		o.BlockCacheBytes = defaultBlockCacheBytes
	}
	fs := o.FS
	if fs == nil {
		fs = vfs.Default
		if dir == MemoryDSN {
			fs = vfs.NewMem()
		}
	}
	name := dir
	if dir == MemoryDSN {
		dir = "memory"
	}
	logger := o.Logger
	// The engine, once open, says whether checkpoints are logged.
	var engineRef *sql.Engine
	store, err := checkpoint.Open(fs, dir, checkpoint.Options{
		Now: time.Now,
		OnCheckpoint: func(info checkpoint.Info) {
			if !quietCheckpoints && engineRef != nil && engineRef.ServerSetting("log_checkpoints") == "on" {
				logCheckpoint(logger, info)
			}
		},
		MemtableBytes:   o.MemtableBytes,
		MaxWALBytes:     o.MaxWALSize,
		BlockCacheBytes: o.BlockCacheBytes,
		WALSegmentBytes: o.walSegmentBytes,
		ArchiveSegment:  archiver(fs, o.WALArchiveDir, o.ArchiveSegment),
		OnWALFailure: func(err error) {
			logger.Error("write-ahead log failed: the database accepts no more writes until it is restarted; reads go on, and the restart recovers from the log",
				"err", err)
		},
	})
	if held := (*vfs.LockedError)(nil); errors.As(err, &held) {
		return nil, &lockedError{dir: name, held: held, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("cairn: opening %s: %w", dir, err)
	}
	logRecovery(o.Logger, store)
	blockCache := func() (hits, misses uint64) {
		m := store.Stats().LSM
		return m.BlockCacheHits, m.BlockCacheMisses
	}
	tempDir := o.TempDir
	if tempDir == "" && o.FS == nil && name != MemoryDSN {
		// What a process that ended without removing its temporary
		// files left goes now: the directory is this DB's.
		tempDir = filepath.Join(dir, "pgsql_tmp")
		if err := os.RemoveAll(tempDir); err != nil {
			o.Logger.Warn("removing old temporary files", "dir", tempDir, "err", err)
		}
	}
	engine, err := sql.NewEngine(store, sql.Options{Logger: o.Logger, Memory: o.MemoryBudget, Settings: o.Settings, ConfigFile: o.ConfigFile,
		BlockCacheCounts: blockCache, TempDir: tempDir})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("cairn: opening %s: %w", dir, err)
	}
	engineRef = engine
	db := &DB{fs: fs, inMemory: name == MemoryDSN, store: store, engine: engine, logger: o.Logger, memory: o.MemoryBudget, interval: o.CheckpointInterval,
		poll: o.checkpointPoll, stop: make(chan struct{}), done: make(chan struct{})}
	if db.poll <= 0 {
		db.poll = checkpointPoll
	}
	engine.SetBackuper(sqlBackuper{db})
	go db.checkpointer()
	return db, nil
}

// Recovery describes what Open did to bring the directory up to date.
type Recovery struct {
	// ReplayedRecords is the number of WAL records Open replayed.
	ReplayedRecords int
	// WALCut, when not nil, is what Open cut from the end of the WAL: a
	// torn or damaged last record, or stale data of a recycled segment.
	// Its String method gives one line for an operator.
	WALCut *wal.Cut
}

// Recovery reports what Open did to bring the directory up to date; Open
// also logged the WAL cut, if any.
func (db *DB) Recovery() Recovery {
	r := Recovery{ReplayedRecords: db.store.ReplayedRecords}
	if cut, ok := db.store.WALCut(); ok {
		r.WALCut = &cut
	}
	return r
}

// logRecovery logs what recovery cut from the WAL: at WARN when a record of
// this log was torn or damaged (a damaged record may be a commit that was
// acknowledged), at INFO for the stale data a recycled segment holds after
// its last record, which every restart on such a segment discards.
func logRecovery(logger *slog.Logger, store *checkpoint.Store) {
	cut, ok := store.WALCut()
	if !ok {
		return
	}
	attrs := []any{"segment", cut.Segment, "offset", cut.Offset, "lsn", uint64(cut.LSN),
		"bytes", cut.Bytes, "reason", cut.Reason}
	if cut.Stale {
		logger.Info("wal: recovery discarded stale data after the last record", attrs...)
		return
	}
	logger.Warn("wal: recovery cut the end of the log at an invalid record", attrs...)
}

// Engine returns the SQL engine, for serving it over the wire.
func (db *DB) Engine() *sql.Engine { return db.engine }

// NewSession starts a SQL session as user postgres on database postgres.
func (db *DB) NewSession() (*sql.Session, error) {
	return db.engine.NewSession("postgres", "postgres", nil)
}

// Exec runs one or more statements in a new session, discarding results;
// it is a convenience for setup code.
func (db *DB) Exec(ctx context.Context, query string) error {
	s, err := db.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	stmts, err := s.PrepareAll(ctx, query)
	if err != nil {
		return err
	}
	for _, p := range stmts {
		if _, err := s.Execute(ctx, p, nil); err != nil {
			return err
		}
	}
	return nil
}

// checkpointPoll is how often the background checkpointer looks at the
// memtable size and the clock; WAL volume wakes it at once (Store.Due).
const checkpointPoll = time.Second

// retryBackoffMax bounds the wait before retrying a failed checkpoint or
// autovacuum (a full disk: the wait doubles from checkpointPoll up to it).
const retryBackoffMax = time.Minute

// backoff is when a failing background task may run next.
type backoff struct {
	wait  time.Duration // 0 after a success
	until time.Time
}

func (b *backoff) ready(now time.Time) bool { return !now.Before(b.until) }

func (b *backoff) result(now time.Time, err error, first time.Duration) {
	if err == nil {
		b.wait, b.until = 0, time.Time{}
		return
	}
	b.wait = min(max(2*b.wait, first), retryBackoffMax)
	b.until = now.Add(b.wait)
}

// checkpointer runs autovacuum and checkpoints in the background. A failed
// run is logged and retried with backoff (a full disk: the memtable stays
// in memory and the WAL is kept, so nothing is lost meanwhile). After a WAL
// failure it does nothing: no write can succeed until a restart, and the
// failure was logged once when it happened.
func (db *DB) checkpointer() {
	defer close(db.done)
	tick := time.NewTicker(db.poll)
	defer tick.Stop()
	last := time.Now()
	var ckptRetry, vacuumRetry backoff
	for {
		var now time.Time
		select {
		case <-db.stop:
			return
		case <-db.store.Due():
			// The WAL passed max_wal_size. The signal may predate a
			// checkpoint that already ran: CheckpointDue decides.
			now = time.Now()
		case now = <-tick.C:
			if n, err := db.store.ArchiveFinished(); err != nil {
				db.logger.Error("archiving WAL failed; the segment is kept and tried again", "err", err, "archived", n)
			}
			if db.store.Failed() == nil && vacuumRetry.ready(now) {
				_, err := db.engine.AutoVacuum()
				if err != nil {
					db.logger.Error("autovacuum failed", "err", err)
				}
				vacuumRetry.result(now, err, db.poll)
			}
		}
		if db.store.Failed() != nil || !ckptRetry.ready(now) {
			continue
		}
		if !db.store.CheckpointDue() && now.Sub(last) < db.interval {
			continue
		}
		last = now
		err := db.store.Checkpoint()
		if err != nil {
			// A failed checkpoint leaves the WAL in place, so no
			// data is lost; a later attempt retries the flush.
			db.logger.Error("checkpoint failed", "err", err)
		}
		ckptRetry.result(now, err, db.poll)
	}
}

// Check verifies the database's storage and its SQL data against each
// other (the sorted tables' checksums, key order and counts; every row
// against its table's definition and indexes) and describes what it read.
func (db *DB) Check() (string, error) { return db.CheckContext(context.Background()) }

// CheckContext is Check reporting its progress to ctx's WithProgress.
func (db *DB) CheckContext(ctx context.Context) (string, error) {
	report := progressOf(ctx)
	if err := db.store.Checkpoint(); err != nil {
		return "", err
	}
	storage, err := db.store.CheckReporting(tableProgress(report, "checking storage"))
	if err != nil {
		return "", fmt.Errorf("cairn: checking storage: %w", err)
	}
	data, err := db.engine.CheckReporting(tableProgress(report, "checking data"))
	if err != nil {
		return "", fmt.Errorf("cairn: checking data: %w", err)
	}
	return "storage: " + storage.String() + "; data: " + data.String(), nil
}

// Checkpoint flushes everything to sorted tables and truncates the WAL.
func (db *DB) Checkpoint() error { return db.store.Checkpoint() }

// Compact checkpoints and then merges all sorted tables into one, dropping
// what vacuum deleted and versions no snapshot can see: the space a
// VACUUM freed comes back on disk.
func (db *DB) Compact() error {
	if err := db.store.Checkpoint(); err != nil {
		return err
	}
	return db.store.Compact()
}

// Close checkpoints and closes the database. Sessions must be closed first;
// a running Serve is stopped (its sessions ended) before anything closes.
//
// A database whose write-ahead log failed (it refuses writes since) closes
// without the final checkpoint, which could not succeed; the failure was
// reported when it happened, so Close does not return it again, and the
// next Open recovers from the log. A final checkpoint that fails (a full
// disk) is logged and Close goes on: the log keeps everything it would
// have flushed.
func (db *DB) Close() error {
	db.closeMu.Lock()
	defer db.closeMu.Unlock()
	if db.closed {
		return ErrClosed
	}
	db.closed = true
	if sv := db.serving; sv != nil {
		// Serve clears db.serving under the lock before it is done.
		close(sv.stop)
		db.closeMu.Unlock()
		<-sv.done
		db.closeMu.Lock()
	}
	close(db.stop)
	<-db.done
	db.backups.Wait()
	failed := db.store.Failed()
	if failed != nil {
		db.logger.Warn("closing without a checkpoint: the write-ahead log failed earlier; the next start recovers from it",
			"err", failed)
	} else if err := db.store.Checkpoint(); err != nil {
		db.logger.Error("closing without a checkpoint: the next start recovers from the write-ahead log", "err", err)
	}
	if failed == nil {
		if _, err := db.store.ArchiveFinished(); err != nil {
			db.logger.Error("archiving WAL failed; the next start tries again", "err", err)
		}
	}
	err := db.store.Close()
	if failed != nil && errors.Is(err, failed) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("cairn: closing: %w", err)
	}
	return nil
}

// ReloadConfig re-reads Options.ConfigFile, as PostgreSQL does on SIGHUP:
// sessions that start afterwards begin from its settings; running
// sessions keep theirs. A file with an error changes nothing.
func (db *DB) ReloadConfig() error {
	return db.engine.ReloadConfig()
}
