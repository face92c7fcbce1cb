// Package cairn is a transactional SQL database that speaks PostgreSQL's SQL
// and wire protocol. This package is the embedded entry point:
//
//	db, err := cairn.Open("./data")      // or cairn.Open(":memory:")
//	...
//	defer db.Close()
//
// and, through database/sql, with the driver this package registers:
//
//	import _ "github.com/cairndb/cairn"
//	conn, err := sql.Open("cairn", "./data")
//
// Open recovers the directory (replaying the write-ahead log from the last
// checkpoint) and starts a background checkpointer. Close checkpoints, so the
// next Open replays nothing. If the log ended in a torn or damaged record,
// recovery cuts it there, logs at WARN (Options.Logger) the segment, offset,
// LSN, bytes dropped and the reason, and DB.Recovery reports the cut.
//
// A directory is open in one DB at a time. Open takes an exclusive lock on
// the file cairn.pid in the directory, which holds the holder's process id,
// before it reads anything there, and holds it until Close (or the process
// exits: the lock file of a killed process does not block). Opening a
// directory in use — by a server, by cairn check, or by another DB in this
// process — fails with an error wrapping ErrLocked that names the holder:
//
//	cairn: data directory "./data" is in use by process 1234 (lock file data/cairn.pid)
//
// database/sql handles opened on the same directory in one process share one
// DB. ":memory:" databases need no lock file.
//
// Errors returned by statements carry a PostgreSQL SQLSTATE: test for it with
//
//	var e interface{ SQLState() string }
//	if errors.As(err, &e) && e.SQLState() == "23505" { ... }
//
// Storage failures follow PostgreSQL too. A full disk fails the statement
// that needed space with 53100 ("could not extend file ...", hint "Check
// free disk space."); the database stays up, reads go on, and writes
// succeed again once space is freed, without a restart. A failed write or
// fsync of the write-ahead log stops all writes until a restart (fail-stop,
// logged once at ERROR): later writes fail with 58030 (or 53100 if the disk
// was full), reads go on, Close skips its checkpoint and does not fail for
// it, and the next Open recovers from the log. A COMMIT whose log sync
// failed returns an error saying its outcome is unknown; the transaction is
// never visible before the restart, which may or may not find it committed.
//
// # Serving the embedded database
//
// DB.Serve serves an open database over PostgreSQL's wire protocol from the
// same process, with what cairn serve offers (ServeOptions: TLS, HBA rules
// with SCRAM-SHA-256, md5 or password, connection limits, the message size
// limit, the memory budget of Options.MemoryBudget), while the program goes
// on using it through database/sql:
//
//	ln, err := net.Listen("tcp", "127.0.0.1:5432")
//	...
//	go db.Serve(ctx, ln, &cairn.ServeOptions{TLSConfig: conf,
//		HBA: "hostssl all all 0.0.0.0/0 scram-sha-256"})
//
// Wire sessions and database/sql sessions are sessions of one engine: the
// same catalog, roles, locks and MVCC snapshots. cairn serve itself runs on
// DB.Serve; ServeOptions.pgwireOptions is the one place a server is
// configured. Serve returns nil when its context ends and an error when a
// listener fails, having ended its sessions (FATAL 57P01) and waited for
// their goroutines either way; Close stops a running Serve first. One Serve
// at a time per DB (ErrServing); ServeOptions.ExtraListeners adds more
// listeners to it.
//
// # Backup and point-in-time recovery
//
// DB.Backup writes an online backup into an empty directory while writes
// go on (checkpoint.Store.Backup), verifies it by restoring it into a
// scratch directory inside it, opening and checking it, and then writes
// backup_label (end revision, files and sizes, CRC-32C); Restore refuses
// a directory without a valid label (ErrNotBackup). Options.WALArchiveDir
// and Options.ArchiveSegment archive finished WAL segments (DB.SwitchWAL
// ends one early); Restore lays out a backup plus archived segments and
// cuts the WAL before the first commit past RestoreOptions.TargetRevision
// or TargetTime, refusing targets before the backup's end or past the
// WAL it has. The engine's cairn_backup() and cairn_switch_wal() run them
// for superusers (backup.go, archive.go).
//
// # Monitoring
//
// ServeOptions.MetricsListener serves the metrics package's
// Prometheus endpoint while Serve runs (DB.MetricsHandler without a
// server); Options.Settings are the server's values of run-time
// parameters (the log_* settings); checkpoints are logged when
// log_checkpoints is on.
//
// This package runs pgwire's server but knows nothing of the protocol
// itself: it hands pgwire its engine and options (pgwire must not import
// this package).
package cairn
