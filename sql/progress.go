package sql

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// pg_stat_progress_vacuum, pg_stat_progress_create_index and
// pg_stat_progress_copy: a session running VACUUM, CREATE INDEX or COPY
// registers a progress entry for the command's duration (one per session,
// as PostgreSQL's backends have one), which the command's loops update
// and the views read; a session that runs none of them has no row. The
// columns are PostgreSQL 15's. cairn's heap has no blocks, so the
// columns that count blocks are counted as PostgreSQL's documentation
// lets a reader use them, in row versions:
//
//   - vacuum: phase is 'scanning heap' while the table's versions are
//     read (heap_blks_scanned: versions read; num_dead_tuples: the dead
//     ones found), 'vacuuming heap' while they are removed
//     (heap_blks_vacuumed: versions removed, once done), then 'vacuuming
//     indexes' (index_vacuum_count: 1 once the indexes are done).
//     heap_blks_total is the versions read once the scan has ended (cairn
//     does not know a table's size before reading it; 0 until then) and
//     max_dead_tuples is 0: cairn holds every dead version found, without
//     PostgreSQL's bound.
//   - create index: phase 'building index: scanning table', tuples_done
//     the rows read so far; blocks_*, tuples_total and the lockers are 0
//     (the build waits for the writers' table locks before it starts,
//     not transaction by transaction).
//   - base backup (cairn_backup()): phase 'streaming database files'
//     while the tables and the WAL are copied (backup_streamed of
//     backup_total bytes; the total grows with the WAL written
//     meanwhile), then 'verifying backup', cairn's own phase, while the
//     copy is restored into a scratch directory and checked.
//     tablespaces_total is 1 (cairn has one), tablespaces_streamed 1 once
//     the copy is done.
//   - copy: command 'COPY FROM' or 'COPY TO', type 'PIPE' (cairn copies
//     to and from the client only), bytes_processed the bytes read from
//     or sent to the client, tuples_processed the rows stored or sent;
//     bytes_total and tuples_excluded are 0 (the size of a client's data
//     is unknown, and COPY ... WHERE is not supported).

// progressCommand is the command a progress entry reports on.
type progressCommand int

const (
	progressVacuum progressCommand = iota + 1
	progressCreateIndex
	progressCopy
	progressBackup
)

// progressEntry is a running command's progress. The counters are
// written by the session running it and read by others.
type progressEntry struct {
	be      *backend
	command progressCommand
	relid   atomic.Int64
	// index is the index a CREATE INDEX builds.
	index atomic.Int64
	phase atomic.Pointer[string]
	// what is COPY's command ('COPY FROM' or 'COPY TO').
	what string
	// n holds the counters; which are used depends on command.
	n [4]atomic.Int64
}

// The counters of each command in progressEntry.n.
const (
	vacScanned, vacDead, vacRemoved, vacIndexCycles = 0, 1, 2, 3
	idxTuplesDone                                   = 0
	copyBytes, copyTuples                           = 0, 1
	backupStreamed, backupTotal, backupTablespaces  = 0, 1, 2
)

func (p *progressEntry) setPhase(phase string) { p.phase.Store(&phase) }

func (p *progressEntry) phaseText() string {
	if s := p.phase.Load(); s != nil {
		return *s
	}
	return ""
}

// progressTable holds the running commands' entries.
type progressTable struct {
	mu      sync.Mutex
	running map[*progressEntry]bool
}

// progressTestHook, when set by a test, is called by the commands after
// each progress update with the entry, so that a test can read the views
// while a command runs at a known point.
var progressTestHook func(command progressCommand, done int64)

// startProgress registers a progress entry for the session's command;
// end removes it.
func (s *Session) startProgress(command progressCommand, relid uint32, what string) (p *progressEntry, end func()) {
	p = &progressEntry{be: s.backend, command: command, what: what}
	p.relid.Store(int64(relid))
	t := &s.e.progress
	t.mu.Lock()
	if t.running == nil {
		t.running = make(map[*progressEntry]bool)
	}
	t.running[p] = true
	t.mu.Unlock()
	return p, func() {
		t.mu.Lock()
		delete(t.running, p)
		t.mu.Unlock()
	}
}

// add adds n to counter i and tells the test hook.
func (p *progressEntry) add(i int, n int64) {
	if p == nil {
		return
	}
	v := p.n[i].Add(n)
	if progressTestHook != nil {
		progressTestHook(p.command, v)
	}
}

// vacuumReport is the heap's vacuum report for p.
func (p *progressEntry) vacuumReport(v heap.VacuumProgress) {
	p.n[vacScanned].Store(int64(v.Scanned))
	p.n[vacDead].Store(int64(v.Dead))
	switch {
	case v.Done:
		p.n[vacRemoved].Store(int64(v.Removed))
		p.setPhase("vacuuming indexes")
	case v.ScanDone:
		p.setPhase("vacuuming heap")
	}
	if progressTestHook != nil {
		progressTestHook(p.command, int64(v.Scanned))
	}
}

// entries returns the running entries of command, ordered by pid.
func (t *progressTable) entries(command progressCommand) []*progressEntry {
	t.mu.Lock()
	var out []*progressEntry
	for p := range t.running {
		if p.command == command && p.be != nil {
			out = append(out, p)
		}
	}
	t.mu.Unlock()
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].be.pid < out[j-1].be.pid; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// progressRows reads command's entries into rows that start with pid,
// datid, datname and relid, as each view's do, and go on with rest's.
func progressRows(x *execCtx, command progressCommand, rest func(p *progressEntry) []types.Datum) ([][]types.Datum, error) {
	e := x.s.e
	var out [][]types.Datum
	for _, p := range e.progress.entries(command) {
		row := []types.Datum{int64(p.be.pid), e.databaseOID(p.be.database), p.be.database, p.relid.Load()}
		out = append(out, append(row, rest(p)...))
	}
	return out, nil
}

var pgStatProgressVacuum = &sysView{
	name: "pg_stat_progress_vacuum",
	cols: resultColumns(catalog.Cols("pid", int4T, "datid", oidT, "datname", nameT, "relid", oidT, "phase", textT,
		"heap_blks_total", int8T, "heap_blks_scanned", int8T, "heap_blks_vacuumed", int8T,
		"index_vacuum_count", int8T, "max_dead_tuples", int8T, "num_dead_tuples", int8T)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		return progressRows(x, progressVacuum, func(p *progressEntry) []types.Datum {
			phase := p.phaseText()
			scanned := p.n[vacScanned].Load()
			var total int64
			if phase != "scanning heap" {
				total = scanned
			}
			return []types.Datum{phase, total, scanned, p.n[vacRemoved].Load(), p.n[vacIndexCycles].Load(),
				int64(0), p.n[vacDead].Load()}
		})
	},
}

var pgStatProgressCreateIndex = &sysView{
	name: "pg_stat_progress_create_index",
	cols: resultColumns(catalog.Cols("pid", int4T, "datid", oidT, "datname", nameT, "relid", oidT,
		"index_relid", oidT, "command", textT, "phase", textT,
		"lockers_total", int8T, "lockers_done", int8T, "current_locker_pid", int8T,
		"blocks_total", int8T, "blocks_done", int8T, "tuples_total", int8T, "tuples_done", int8T,
		"partitions_total", int8T, "partitions_done", int8T)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		return progressRows(x, progressCreateIndex, func(p *progressEntry) []types.Datum {
			return []types.Datum{p.index.Load(), "CREATE INDEX", p.phaseText(),
				int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), p.n[idxTuplesDone].Load(),
				int64(0), int64(0)}
		})
	},
}

var pgStatProgressCopy = &sysView{
	name: "pg_stat_progress_copy",
	cols: resultColumns(catalog.Cols("pid", int4T, "datid", oidT, "datname", nameT, "relid", oidT,
		"command", textT, "type", textT, "bytes_processed", int8T, "bytes_total", int8T,
		"tuples_processed", int8T, "tuples_excluded", int8T)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		return progressRows(x, progressCopy, func(p *progressEntry) []types.Datum {
			return []types.Datum{p.what, "PIPE", p.n[copyBytes].Load(), int64(0), p.n[copyTuples].Load(), int64(0)}
		})
	},
}

var pgStatProgressBasebackup = &sysView{
	name: "pg_stat_progress_basebackup",
	cols: resultColumns(catalog.Cols("pid", int4T, "phase", textT, "backup_total", int8T, "backup_streamed", int8T,
		"tablespaces_total", int8T, "tablespaces_streamed", int8T)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		var out [][]types.Datum
		for _, p := range x.s.e.progress.entries(progressBackup) {
			out = append(out, []types.Datum{int64(p.be.pid), p.phaseText(), p.n[backupTotal].Load(),
				p.n[backupStreamed].Load(), int64(1), p.n[backupTablespaces].Load()})
		}
		return out, nil
	},
}

type backupProgressKey struct{}

// BackupProgressFunc returns the function a Backuper's Backup reports
// its progress to (nil if none): the step, as cairn.Progress names it
// ("copying", "verifying: ..."), and the bytes copied of the total.
func BackupProgressFunc(ctx context.Context) func(step string, done, total int64) {
	f, _ := ctx.Value(backupProgressKey{}).(func(step string, done, total int64))
	return f
}

// backupReport is p's BackupProgressFunc.
func (p *progressEntry) backupReport(step string, done, total int64) {
	if step == "copying" {
		p.setPhase("streaming database files")
		p.n[backupTotal].Store(total)
		p.n[backupStreamed].Store(done)
		return
	}
	if p.n[backupTablespaces].Load() == 0 {
		p.n[backupTablespaces].Store(1)
		p.n[backupStreamed].Store(p.n[backupTotal].Load())
		p.setPhase("verifying backup")
	}
	if progressTestHook != nil {
		progressTestHook(p.command, p.n[backupStreamed].Load())
	}
}

func init() {
	for _, v := range []*sysView{pgStatProgressVacuum, pgStatProgressCreateIndex, pgStatProgressCopy, pgStatProgressBasebackup} {
		sessionSystemViews[v.name] = v
	}
}

// countingSource counts the bytes a COPY FROM reads from its client.
type countingSource struct {
	CopySource
	p *progressEntry
}

func (c countingSource) Read(b []byte) (int, error) {
	n, err := c.CopySource.Read(b)
	if n > 0 {
		c.p.n[copyBytes].Add(int64(n))
	}
	return n, err
}
