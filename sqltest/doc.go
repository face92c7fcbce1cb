// Package sqltest runs sqllogictest files against cairn, embedded or over
// the wire, and against PostgreSQL itself.
//
// # Format
//
// The format is SQLite's sqllogictest, as the shared corpus describes it:
// records separated by blank lines; `statement ok|error`; `query <types>
// <sort> [label]` with `----` and the expected values one per line;
// `hash-threshold N`; `halt`; and `skipif|onlyif <engine>` conditions. A
// Runner answers to the engine names in Runner.Engines (by default
// "postgresql" and "cairn": cairn speaks PostgreSQL's dialect).
//
// Values are formatted as the reference runner does: NULL, "(empty)" for an
// empty string, integers in decimal (reals truncated toward zero, text by its
// leading number), reals as %.3f, and text with every character outside
// printable ASCII replaced by '@'. rowsort sorts rows as sequences of their
// formatted values, valuesort sorts the values, nosort keeps the engine's
// order. Results with more values than the hash threshold are compared as
// "N values hashing to H", H being the MD5 of every value followed by a
// newline. Queries with the same label in a file must hash alike.
//
// # Targets
//
// A Target opens one fresh database per file: Embedded opens an in-memory
// cairn; Remote connects to a server URL and, where the server allows it,
// creates a scratch database per file (PostgreSQL); otherwise it drops the
// tables and views the file created when the file ends (cairn over pgwire).
//
// Every record runs under a time limit (Runner.StatementTimeout, 10 s by
// default); one that exceeds it counts as failed and its statement is
// cancelled.
package sqltest
