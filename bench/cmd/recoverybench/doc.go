// Command recoverybench measures crash recovery: how fast checkpoint.Open
// replays the WAL written since the last checkpoint, against PostgreSQL 15's
// crash recovery (redo) of the same WAL volume, in the same run.
//
// For each size in -mib (default 64 and 256 MiB):
//
// cairn: a child copy of this program opens a fresh store
// (checkpoint.OpenDir), writes records of -keys keys (16 bytes) with
// -value-bytes values (random) until the WAL holds that many MiB past the
// redo point, syncs, and exits without Close or checkpoint — as a crash after
// the last commit. The parent runs sync(2), then times checkpoint.OpenDir on
// the directory, which reads the control file, scans every WAL segment and
// replays every record into the memtable, and prints MiB, records, seconds,
// MiB/s and rows/s.
//
// PostgreSQL: a fresh cluster (package pgcluster: initdb, run as the
// unprivileged user cairntest when this runs as root) starts with fsync=on,
// full_page_writes=on (the default), checkpoint_timeout=1d and max_wal_size
// the larger of 4x the size and 1 GB (the default), so that no checkpoint
// starts during the load; shared_buffers is the default 128 MB. It creates
//
//	kv (k bytea PRIMARY KEY, v bytea NOT NULL) WITH (autovacuum_enabled = off)
//
// (no autovacuum, so the WAL holds only the load), runs CHECKPOINT, and
// commits transactions of -keys rows, one INSERT each, with the same keys
// and values as cairn's records, until pg_current_wal_lsn() minus the last
// checkpoint's redo point (pg_control_checkpoint().redo_lsn) reaches the
// size. The session commits with synchronous_commit=off, as cairn's child
// writes without a sync per record; the load then waits until the WAL is
// flushed up to its last record, as cairn's child syncs once at the end.
// The WAL itself is the same as with synchronous commits.
//
// The server is then crashed with an immediate shutdown: SIGQUIT to the
// postmaster, which is what pg_ctl stop -m immediate sends. Every server
// process exits at once without flushing buffers or writing a shutdown
// checkpoint, and the next start runs crash recovery. SIGKILL of the
// postmaster alone was not used: its children would go on running and hold
// the shared memory, so a restart would have to wait for them to notice.
//
// After sync(2) the server is started again and timed until it accepts a
// connection (postmaster.pid is polled every 5 ms, a connection is tried as
// soon as it says ready). PostgreSQL's own log line
//
//	redo done at 0/5D6E7F0 system usage: CPU: user: 1.23 s, system: 0.45 s, elapsed: 1.70 s
//
// gives the redo time alone (10 ms resolution); the log also gives the
// time before redo (mostly fsyncing every file of the data directory, which
// PostgreSQL does after any crash) and the end-of-recovery checkpoint,
// which writes and fsyncs every page redo dirtied before connections are
// accepted. After the restart the table's row count is checked against the
// rows committed.
//
// One line per size:
//
//	recover 64 MiB: cairn X s, postgres redo Y s (start to ready Z s), ratio Y/X
//
// with the details of each below it. A ratio above 1 means cairn replays the
// same WAL volume faster than PostgreSQL's redo does. The same WAL volume is
// not the same number of rows: PostgreSQL's WAL for a row (heap tuple, index
// entry) is about twice cairn's, so rows/s are printed for both.
//
// The page cache is warm for both engines: the files were just written, and
// sync(2) before each timed recovery leaves nothing dirty, so this measures
// the CPU side of recovery, not the disk's read rate. The data directories
// are removed afterwards unless -keep; -postgres=false measures cairn only;
// -cpuprofile PREFIX writes a CPU profile of each cairn recovery to
// PREFIX-cairn-N.pprof (N MiB), for go tool pprof.
//
//	cd bench && go run ./cmd/recoverybench [-mib 64,256] [-dir /tmp] [-postgres=false] [-cpuprofile PREFIX]
package main
