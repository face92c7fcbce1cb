// Command cairn runs the cairn database.
//
//	cairn                                   serve with defaults
//	cairn serve [--listen ADDR] [--data DIR] [--memory-limit SIZE] [--max-message-size SIZE]
//	            [--socket-dir DIR] [--tls-cert FILE --tls-key FILE | --tls-self-signed]
//	            [--hba-file FILE] [--allow-cleartext-password]
//	            [--max-connections N] [--superuser-reserved-connections N]
//	            [--rate-connections-per-address R [--rate-connections-per-address-burst N]]
//	            [--rate-connections-per-role R [--rate-connections-per-role-burst N]]
//	            [--rate-statements-per-address R [--rate-statements-per-address-burst N]]
//	            [--rate-statements-per-role R [--rate-statements-per-role-burst N]]
//	            [--rate-wait DURATION]
//	            [--wal-archive DIR] [--archive-command CMD]
//	            [--config FILE] [-c name=value ...]
//	cairn backup (--data DIR | --url URL) --to DIR
//	cairn restore --from BACKUP [--wal ARCHIVE] [--target-time T | --target-revision R] --to DIR
//	cairn version
//
// cairn backup takes an online backup (package cairn, DB.Backup): of a data
// directory it opens itself (--data, refused while a server has it open),
// or through a running server (--url, as a superuser: the server runs
// cairn_backup() and writes the backup on its own machine). serve
// --wal-archive copies each finished WAL segment into a directory, and
// --archive-command runs a shell command for it (%p its path, %f its file
// name, %% a percent sign), as PostgreSQL's archive_command. cairn restore
// builds a new data directory from a backup and, with --wal, the archive,
// replayed to the target or to the end of the archive, then opens and
// checks it; an incomplete backup (no backup_label) is refused.
//
// Besides ADDR, serve listens on the Unix-domain socket
// DIR/.s.PGSQL.PORT (--socket-dir, default /tmp as in PostgreSQL; ""
// for none): a socket file left by a killed server is replaced, one a
// live server answers on is an error, and the file is removed at
// shutdown. (Debian's libpq looks in /var/run/postgresql: there, psql -p
// PORT without -h needs PGHOST=/tmp.)
//
// --tls-cert and --tls-key (PEM) make the server answer SSLRequest with
// 'S'; --tls-self-signed makes a certificate in memory at start for
// localhost, the loopback addresses and the listen host, which no client
// can verify. --hba-file holds pg_hba.conf rules (package pgwire says
// which forms and methods); without it the server trusts Unix-socket and
// loopback clients and refuses others, and refuses to start when --listen
// names a non-loopback address. Rules with method password are honoured
// only over TLS and the Unix socket unless --allow-cleartext-password.
// cairn version prints the build's module version, VCS revision and Go
// version.
//
// --config names a configuration file in postgresql.conf's format
// (default: cairn.conf in the data directory, when there is one), and -c
// sets one setting, winning over the file (and --max-connections over
// both): they are the server's settings every session starts from. SIGHUP
// re-reads the file for sessions that start afterwards (package sql,
// Engine.ReloadConfig).
//
// The --rate-* flags are admission control (package pgwire, RateLimits),
// off by default: token buckets holding the burst (default: the rate
// rounded up) and refilled at R a second, one per client IP address (all
// Unix socket clients share one) and one per role (the user named at
// connection), for new connections and for statements. A connection or
// statement over a limit waits up to --rate-wait (default 1s; 0: not at
// all) for a token, then fails with SQLSTATE 53400
// (configuration_limit_exceeded): FATAL for a connection (its address's
// limit is checked before authentication, its role's after), ERROR for a
// statement, whose session goes on. A cancel
// request or statement_timeout ends a waiting statement with 57014.
//
// --memory-limit (default three quarters of the machine's or the cgroup's
// memory) sets the Go runtime's soft limit, and half of it is the budget
// the wire protocol and the database share for what clients make the server
// hold: large message bodies, parses, and the rows and states of running
// statements (package membudget). What could not fit fails with 53200 for
// that statement. --max-message-size bounds one protocol message (default
// and most: 1 GB - 1, PostgreSQL's limit). Sizes are written as PostgreSQL
// writes memory settings: 512MB, 4GB.
//
// serve listens for PostgreSQL clients (default 127.0.0.1:5432) over the
// database in DIR (default ./cairn-data). SIGINT or SIGTERM stop accepting
// connections, end the sessions, checkpoint and exit with status 0. A
// server whose write-ahead log failed (it then serves reads only) skips
// the checkpoint and still exits with status 0; the next start recovers
// from the log.
//
// serve checks its flags and binds the listen address before it opens DIR,
// so a server that cannot listen ("address already in use") exits without
// touching the directory. Opening DIR locks it (the file DIR/cairn.pid holds
// the server's PID): a second serve, or a cairn check, on a directory in use
// exits with an error naming the holder's PID. The kernel releases the lock
// when the server exits, even after SIGKILL.
//
//	cairn check --data DIR
//
// check opens DIR (recovering it), verifies the sorted tables and every row,
// and prints "DIR: ok (...)". If recovery cut a torn or damaged record from
// the end of the write-ahead log it first prints a line
// "wal: recovery cut N bytes at segment S offset O (LSN L): reason".
//
// serve turns its flags into cairn.ServeOptions and runs DB.Serve, the
// same server a program embedding cairn runs; SIGINT or SIGTERM ends the
// context, which ends the sessions (FATAL 57P01, at most 30 s), and then
// the database closes with a checkpoint. This command knows nothing of the
// wire protocol's or storage's internals.
//
// --metrics-listen serves Prometheus metrics (docs/METRICS.md);
// --log-format text|json and --log-level shape the log on stderr, and
// --log-min-duration-statement, --log-lock-waits, --deadlock-timeout,
// --log-checkpoints, --log-connections and --log-disconnections set those
// PostgreSQL settings' server values.
package main
