package main

import (
	"context"
	"fmt"
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/bench/internal/pgcluster"
)

// pgResult is one crash recovery of PostgreSQL.
type pgResult struct {
	walBytes     int64 // WAL from the redo point to the end, at the crash
	txns, rows   int
	records, fpi int64   // WAL records and full-page images of the load (pg_stat_wal)
	loadSecs     float64 // the load, not timed against cairn
	redoSecs     float64 // elapsed, from "redo done at ..."
	redoUser     float64 // user CPU, from the same line
	redoSys      float64 // system CPU, from the same line
	ckptSecs     float64 // the end-of-recovery checkpoint's total
	ckptBuffers  int
	preRedoSecs  float64 // from the postmaster's first log line to "redo starts at"
	dirSyncSecs  float64 // of which fsyncing the data directory
	readySecs    float64 // from starting postgres to the first accepted connection
}

func (r pgResult) String() string {
	mib := float64(r.walBytes) / (1 << 20)
	return fmt.Sprintf("%d transactions of %d rows, %.1f MiB of WAL past the redo point "+
		"(%d records, %d full-page images), loaded in %.1f s\n"+
		"  postgres restart: %.3f s to the start of redo (%.3f s of it fsyncing the data directory), "+
		"redo %.2f s = %.0f MiB/s, %.2f M rows/s (CPU user %.2f s, system %.2f s), end-of-recovery checkpoint %.3f s (%d buffers)",
		r.txns, r.rows/r.txns, mib, r.records, r.fpi, r.loadSecs,
		r.preRedoSecs, r.dirSyncSecs, r.redoSecs, mib/r.redoSecs, float64(r.rows)/r.redoSecs/1e6, r.redoUser, r.redoSys, r.ckptSecs, r.ckptBuffers)
}

const pgCreateTable = `CREATE TABLE kv (k bytea PRIMARY KEY, v bytea NOT NULL) WITH (autovacuum_enabled = off)`

// pgCheckInterval is how many transactions the load commits between two
// looks at the WAL's size.
const pgCheckInterval = 32

// runPostgres makes a PostgreSQL cluster in dir, loads mib MiB of WAL past
// the redo point of a checkpoint, crashes the server (immediate shutdown)
// and times its restart. printSettings prints the server's settings.
func runPostgres(dir string, mib, keys, valueBytes int, printSettings bool) (pgResult, error) {
	ctx := context.Background()
	var r pgResult
	c, err := pgcluster.Create(dir)
	if err != nil {
		return r, err
	}
	// No checkpoint may start during the load: the timeout is a day, and
	// max_wal_size (PostgreSQL's default of 1 GB unless 4x the size is
	// more) is past the WAL a load writes.
	settings := []string{"fsync=on", "full_page_writes=on", "checkpoint_timeout=1d",
		fmt.Sprintf("max_wal_size=%dMB", max(4*mib, 1024)), "log_checkpoints=on"}
	if err := c.Start(settings...); err != nil {
		return r, err
	}
	defer c.Stop()
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		return r, err
	}
	defer conn.Close(ctx)
	if printSettings {
		desc, err := describePostgres(ctx, conn)
		if err != nil {
			return r, err
		}
		fmt.Printf("# postgres: %s; max_wal_size = max(4x the size, 1 GB)\n", desc)
	}

	start := time.Now()
	if err := load(ctx, conn, &r, mib, keys, valueBytes); err != nil {
		return r, fmt.Errorf("postgres: loading %d MiB: %w", mib, err)
	}
	r.loadSecs = time.Since(start).Seconds()
	conn.Close(ctx)

	if err := c.Crash(); err != nil {
		return r, err
	}
	// As for cairn: nothing dirty left in the page cache, all of it warm.
	syscall.Sync()
	start = time.Now()
	if err := c.Start(settings...); err != nil {
		return r, fmt.Errorf("postgres: restarting after the crash: %w", err)
	}
	r.readySecs = time.Since(start).Seconds()
	if err := parseRecoveryLog(c.LogText(), &r); err != nil {
		return r, err
	}

	conn, err = pgx.Connect(ctx, c.URL())
	if err != nil {
		return r, err
	}
	defer conn.Close(ctx)
	var rows int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM kv").Scan(&rows); err != nil {
		return r, err
	}
	if rows != r.rows {
		return r, fmt.Errorf("postgres: %d rows after recovery, %d committed", rows, r.rows)
	}
	return r, nil
}

// load checkpoints, then commits transactions of keys rows until the WAL
// past the checkpoint's redo point reaches mib MiB, and waits until the
// walwriter has flushed it all. The rows are those cairn's child writes:
// the same keys, and values from the same random sequence.
//
// The session commits with synchronous_commit=off, so that, as in cairn's
// child, records are written without waiting for the disk and the log is
// flushed once at the end; the server still runs with fsync=on and flushes
// all of the WAL before the crash. The WAL is the same as with synchronous
// commits.
func load(ctx context.Context, conn *pgx.Conn, r *pgResult, mib, keys, valueBytes int) error {
	for _, q := range []string{pgCreateTable, "CHECKPOINT", "SET synchronous_commit = off"} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return err
		}
	}
	var redo string
	if err := conn.QueryRow(ctx, "SELECT (pg_control_checkpoint()).redo_lsn::text").Scan(&redo); err != nil {
		return err
	}
	records0, fpi0, err := walStats(ctx, conn)
	if err != nil {
		return err
	}

	var b strings.Builder
	b.WriteString("INSERT INTO kv (k, v) VALUES ")
	for k := range keys {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "($%d, $%d)", 2*k+1, 2*k+2)
	}
	insert := b.String()
	rng := rand.New(rand.NewSource(1))
	args := make([]any, 2*keys)
	target := int64(mib) << 20
	for n := 0; ; n++ {
		for k := range keys {
			value := make([]byte, valueBytes)
			rng.Read(value)
			args[2*k], args[2*k+1] = recordKey(n, k), value
		}
		if _, err := conn.Exec(ctx, insert, args...); err != nil {
			return err
		}
		r.txns++
		r.rows += keys
		if r.txns%pgCheckInterval != 0 {
			continue
		}
		var size int64
		err := conn.QueryRow(ctx, "SELECT (pg_current_wal_lsn() - (pg_control_checkpoint()).redo_lsn)::int8").Scan(&size)
		if err != nil {
			return err
		}
		if size >= target {
			break
		}
	}

	// Wait until the walwriter has flushed every record inserted.
	var end string
	if err := conn.QueryRow(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&end); err != nil {
		return err
	}
	for {
		var flushed bool
		err := conn.QueryRow(ctx, "SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn", end).Scan(&flushed)
		if err != nil {
			return err
		}
		if flushed {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var redoNow string
	err = conn.QueryRow(ctx, "SELECT (pg_control_checkpoint()).redo_lsn::text, ($1::pg_lsn - (pg_control_checkpoint()).redo_lsn)::int8",
		end).Scan(&redoNow, &r.walBytes)
	if err != nil {
		return err
	}
	if redoNow != redo {
		return fmt.Errorf("a checkpoint ran during the load (redo point %s, was %s)", redoNow, redo)
	}
	records1, fpi1, err := walStats(ctx, conn)
	if err != nil {
		return err
	}
	r.records, r.fpi = records1-records0, fpi1-fpi0
	return nil
}

// walStats returns pg_stat_wal's record and full-page-image counts, after
// making this backend report its own (a backend reports its statistics
// when it goes idle, at most once a second unless forced).
func walStats(ctx context.Context, conn *pgx.Conn) (records, fpi int64, err error) {
	if _, err := conn.Exec(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
		return 0, 0, err
	}
	err = conn.QueryRow(ctx, "SELECT wal_records, wal_fpi FROM pg_stat_wal").Scan(&records, &fpi)
	return records, fpi, err
}

var (
	// PostgreSQL 15 logs, at the end of crash recovery:
	//	redo starts at 0/1A2B3C0
	//	redo done at 0/5D6E7F0 system usage: CPU: user: 1.23 s, system: 0.45 s, elapsed: 1.70 s
	//	checkpoint starting: end-of-recovery immediate wait
	//	checkpoint complete: wrote 1234 buffers (7.5%); ... total=0.321 s; ...
	redoDoneRE = regexp.MustCompile(`redo done at [0-9A-F]+/[0-9A-F]+ system usage: CPU: user: ([0-9.]+) s, system: ([0-9.]+) s, elapsed: ([0-9.]+) s`)
	ckptRE     = regexp.MustCompile(`checkpoint complete: wrote (\d+) buffers .* total=([0-9.]+) s`)
)

// parseRecoveryLog reads the redo and end-of-recovery checkpoint times from
// the log of the restarted server, and the time before redo from the log
// lines' timestamps (PostgreSQL's default log_line_prefix starts with the
// time to the millisecond).
func parseRecoveryLog(log string, r *pgResult) error {
	m := redoDoneRE.FindStringSubmatch(log)
	if m == nil {
		return fmt.Errorf("postgres: no \"redo done at\" line in the log:\n%s", log)
	}
	r.redoUser, _ = strconv.ParseFloat(m[1], 64)
	r.redoSys, _ = strconv.ParseFloat(m[2], 64)
	r.redoSecs, _ = strconv.ParseFloat(m[3], 64)
	if !strings.Contains(log, "checkpoint starting: end-of-recovery") {
		return fmt.Errorf("postgres: no end-of-recovery checkpoint in the log:\n%s", log)
	}
	if m := ckptRE.FindStringSubmatch(log); m != nil {
		r.ckptBuffers, _ = strconv.Atoi(m[1])
		r.ckptSecs, _ = strconv.ParseFloat(m[2], 64)
	}
	// Between these two lines the startup process fsyncs every file of the
	// data directory (recovery_init_sync_method=fsync), as it does after
	// any crash before reading the WAL.
	started, ok1 := logTime(log, "starting PostgreSQL")
	interrupted, ok2 := logTime(log, "database system was interrupted")
	recovering, ok3 := logTime(log, "automatic recovery in progress")
	redo, ok4 := logTime(log, "redo starts at")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return fmt.Errorf("postgres: the log lacks the startup lines expected:\n%s", log)
	}
	r.preRedoSecs = redo.Sub(started).Seconds()
	r.dirSyncSecs = recovering.Sub(interrupted).Seconds()
	return nil
}

// logTime returns the timestamp of the first log line containing s.
func logTime(log, s string) (time.Time, bool) {
	const layout = "2006-01-02 15:04:05.000"
	for line := range strings.SplitSeq(log, "\n") {
		if strings.Contains(line, s) && len(line) >= len(layout) {
			t, err := time.Parse(layout, line[:len(layout)])
			return t, err == nil
		}
	}
	return time.Time{}, false
}

// describePostgres returns the server's version and the settings that decide
// what its WAL holds and how recovery reads the pages.
func describePostgres(ctx context.Context, conn *pgx.Conn) (string, error) {
	names := []string{"server_version", "shared_buffers", "fsync", "full_page_writes", "wal_compression",
		"wal_sync_method", "checkpoint_timeout"}
	parts := make([]string, len(names))
	for i, name := range names {
		var v string
		if err := conn.QueryRow(ctx, "SHOW "+name).Scan(&v); err != nil {
			return "", err
		}
		parts[i] = name + "=" + v
	}
	return "PostgreSQL " + strings.Join(parts, ", "), nil
}
