// Command sqlitevs measures cairn embedded (database/sql, driver "cairn")
// against SQLite (github.com/mattn/go-sqlite3) on the three workloads an
// embedded user meets first, in the same run, and prints cairn's ratios.
//
// Both engines get the same table, each in a fresh directory:
//
//	CREATE TABLE t (id bigint PRIMARY KEY, a bigint NOT NULL, b text NOT NULL)
//
// SQLite runs in WAL mode with synchronous=FULL, so that like cairn it
// syncs its log at every commit and a committed transaction survives a
// power loss. Both use one connection (SetMaxOpenConns(1)), prepared
// statements and the rows' values as parameters; b is 40 bytes of text.
//
//	bulk      -rows rows (default 100,000) inserted with one prepared INSERT
//	          in one transaction: rows per second, commit included.
//	point     -lookups (default 200,000) SELECT a, b FROM t WHERE id = $1 of
//	          random ids over the bulk-loaded table: lookups per second.
//	autocommit  INSERTs of new rows, each its own durable transaction, for
//	          -d (default 5s): commits per second.
//
// Each workload runs -rounds times (default 3) per engine, the engines
// alternating and starting with a different one each round; bulk starts
// from an empty table each round (a new database), point reads the table
// the last bulk round loaded, autocommit appends to it. The ratio is
// cairn's median over SQLite's median (above 1: cairn is faster). No figure
// is asserted; docs/BENCHMARKS.md records them with the command.
package main
