// Package cairnserver runs cairn servers for the benchmarks: it builds
// cmd/cairn from the cairn module the benchmark module points at (or takes
// a binary already built), serves a fresh data directory on a free loopback
// port, and stops the server with a fast shutdown.
//
// The server prints its address once it listens; Start reads it from
// standard output and copies everything else to a log file beside the data
// directory, which LogText returns for error reports.
package cairnserver
