// Command walbench measures group commit in cairn's wal package on a real
// directory (-dir, default: the OS temp directory).
//
// For each committer count in -committers (default 1,8,64), a fresh log is
// opened and that many goroutines call AppendSync with a -record-byte payload
// (default 100) in a loop for -d (default 3s). It prints the commits per
// second, the fsyncs per second, and the commits per fsync taken from
// wal.Log.Stats (SyncedRecords / Syncs over the run).
//
// The peer is the disk itself: a loop of write (one framed record's size)
// plus fdatasync, appending to a file in the same directory, for the same
// duration. It is measured again right before each committer count, since
// the disk's rate drifts with other load; the same loop with fsync (the call
// the log makes) is measured once at the start. A single committer cannot
// beat that rate; with group commit, more committers share each fsync, so
// commits/s can exceed it.
//
// Timings are wall-clock on a shared machine: compare the ratios, not the
// absolute figures.
package main
