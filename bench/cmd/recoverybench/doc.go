// Command recoverybench measures crash recovery: how fast checkpoint.Open
// replays the WAL written since the last checkpoint.
//
// For each size in -mib (default 64 and 256 MiB) it runs a child copy of
// itself that opens a fresh store (checkpoint.OpenDir), writes batches of
// -keys keys with -value-byte values until the WAL holds that many MiB past
// the redo point, syncs, and exits without Close or checkpoint — as a crash
// after the last commit. The parent then times checkpoint.OpenDir on the
// directory, which reads the control file, scans every WAL segment and
// replays every record into the memtable, and prints MiB, records, seconds
// and MiB/s. The data directory is removed afterwards unless -keep.
//
//	cd bench && go run ./cmd/recoverybench [-mib 64,256] [-dir /tmp]
package main
