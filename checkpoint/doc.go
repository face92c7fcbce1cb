// Package checkpoint assembles the node's write-ahead log and LSM tree into
// one durable key/value store, runs checkpoints and orchestrates recovery.
//
// # Write path
//
// Store.Write appends a key/value batch to the WAL and applies it to the LSM
// memtable under one mutex, so WAL order is apply order. It does not wait for
// the disk: callers that need durability (commits) call Sync with the
// returned LSN, which group-commits with every other waiter. Records nobody
// waits for (asynchronous commits) are synced by the WAL's background writer
// every Options.WALWriterDelay.
//
// Store.Ingest is the bulk path of a key range nothing else holds (a table
// rewrite's new storage): it syncs the WAL through its end, then adds the
// keys to the LSM as a table (lsm.DB.Ingest), durable when it returns,
// without writing them to the WAL. Whatever a crash keeps of an ingest, it
// keeps every record logged before it, and a record logged after it (the
// transaction's commit) is durable only after it.
//
// # Checkpoint
//
// A checkpoint flushes the memtable to a sorted table (the LSM records in its
// manifest the highest LSN contained in tables), then writes the control file
// with the redo LSN — the first WAL position recovery must replay — and
// finally removes WAL segments wholly before the redo LSN (the WAL keeps a
// few of them as spares to reuse). A checkpoint is due when the memtable
// passes Options.MemtableBytes or the WAL written since the redo LSN passes
// Options.MaxWALBytes (max_wal_size, 1 GiB by default): CheckpointDue says
// so, and Due signals the WAL case as soon as a Write crosses it. The node's
// checkpointer (package cairn) also checkpoints on a timer. The control file is
// replaced atomically: write CONTROL.tmp, fsync, rename, fsync the directory.
//
// # One opener at a time
//
// Open creates the directory if needed and then, before it reads anything
// in it, takes an exclusive lock on the file cairn.pid there (vfs.FS.Lock:
// flock(2) on the operating system, holding the opener's PID, as
// PostgreSQL's postmaster.pid). A second Open of the directory — from
// another process or from this one — fails with an error wrapping a
// *vfs.LockedError (errors.Is vfs.ErrLocked) that names the holder's PID,
// and touches nothing. Close releases the lock; so does the death of the
// process, so a lock file left by a killed process does not block.
//
// # Recovery
//
// Open reads the control file (none means a new store: redo from the start),
// opens the LSM and replays every WAL record at or after the redo LSN into the
// memtable. Replaying a batch is idempotent (a batch holds only whole-value
// sets and deletes), so replaying twice gives the same state as once.
// When the WAL's last segment ended in a torn or damaged record, or stale
// data, the WAL cut it off (see package wal); WALCut reports that cut so
// that the caller can log it.
//
// # Failures and a full disk
//
// A failed WAL write or fsync is fatal (fail-stop): every later Write, and
// Sync of anything not yet durable, fails; Failed reports it; the WAL
// calls Options.OnWALFailure once, for the server log; Checkpoint fails at
// once (nothing could become durable); reads go on; and the node must
// restart, which replays the WAL. Whether the records of a failed Sync
// reached the disk is unknown: a restart may find them.
//
// A full disk is not fatal. The WAL meets it when it makes a new segment's
// file, before accepting the record that starts the segment: that Write is
// refused and not applied, and the next Write tries again (see package
// wal). A checkpoint whose memtable flush meets it fails without harm: the
// memtable stays in memory, the redo point stays, no WAL is removed, and a
// later Checkpoint retries (the node's checkpointer does, with backoff).
//
// Errors of Write and Sync carry PostgreSQL's SQLSTATE and wording as
// pgerr Complete errors, naming WAL files relative to the data directory:
// 53100 disk_full, "could not extend file "wal/...": No space left on
// device" with the hint "Check free disk space."; otherwise 58030
// io_error, "could not write to file ..." or "could not fsync file ...".
// After a WAL failure the detail says that the database accepts no more
// writes until it is restarted.
//
// # Backup and WAL archiving
//
// Backup (backup.go) copies the store into an empty directory while
// writes go on: under the checkpoint mutex it checkpoints and pins that
// version of the tables (lsm.DB.Pin) and the WAL from the redo point's
// segment (Checkpoint removes nothing from there while the backup runs);
// then it hard-links or copies the tables with a manifest naming exactly
// them, writes CONTROL, syncs the WAL to its end and copies the segments
// from the redo point through that end, the last one cut there and padded
// with zeros. Opening the copy recovers the state as of that end. One
// backup runs at a time (ErrBackupRunning). With Options.ArchiveSegment,
// ArchiveFinished hands each finished WAL segment to it in order, and
// Checkpoint removes no segment before it was archived. While a backup
// runs, or the WAL is archived, Ingest writes its keys to the WAL as
// ordinary records: a restore replays the WAL and would not find an
// unlogged table. SwitchWAL ends the current segment early.
//
// # Statistics
//
// Stats gathers the WAL's and the LSM's counters with the checkpoints'
// count and, with Options.Now, their durations; Options.OnCheckpoint is
// told of each checkpoint (log_checkpoints).
//
// Layout of the data directory: wal/ holds log segments, lsm/ the tables and
// manifest, CONTROL the control file, cairn.pid the lock (the holder's PID
// while it is open, empty otherwise).
package checkpoint
