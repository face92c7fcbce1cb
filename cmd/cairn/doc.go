// Command cairn runs the cairn database.
//
//	cairn                                   serve with defaults
//	cairn serve [--listen ADDR] [--data DIR]
//
// serve listens for PostgreSQL clients (default 127.0.0.1:5432) over the
// database in DIR (default ./cairn-data). SIGINT or SIGTERM stop accepting
// connections, end the sessions, checkpoint and exit with status 0. A
// server whose write-ahead log failed (it then serves reads only) skips
// the checkpoint and still exits with status 0; the next start recovers
// from the log.
//
// This command joins the embedded database (package cairn) to the wire
// protocol (package pgwire); it knows nothing of storage internals.
package main
