// Command lsmbench compares cairn's lsm package with Pebble
// (github.com/cockroachdb/pebble/v2) in one run on one machine.
//
// Workloads, each run on cairn then on Pebble, on fresh directories under
// -dir (default: the OS temp directory):
//
//	fillseq           -n sets of 16-byte keys, 100-byte values, in key order
//	fillrandom        the same keys in a random order (a permutation, so the
//	                  store ends with -n keys)
//	readrandom-hits   -reads point reads of keys present (after fillrandom)
//	readrandom-misses -reads point reads of absent keys, inside the key range
//	scan              one iterator over every key, in order
//
// Writes are one key per write, with no per-write fsync on either side:
// cairn's lsm has no log of its own (cairn's WAL makes writes durable), so
// Pebble runs with DisableWAL. Both keep a -memtable budget (default 64 MiB):
// cairn flushes on another goroutine whenever MemtableSize reaches it, as
// cairn's checkpointer does (lsm never flushes by itself), and a writer that
// fills the next memtable before that flush ends waits for it; Pebble gets
// the budget as MemTableSize and flushes in the background. A fill ends with an explicit Flush,
// which is inside the timed region. Other options are each store's
// defaults: cairn has an 8 MiB block cache (holding index and filter
// blocks too), partitioned bloom filters, Snappy compression and leveled
// background compactions (L0 into L1 at 4 tables, L1 target 10 MiB, x10
// per level, 2 MiB tables); Pebble has an 8 MiB block cache, Snappy
// compression and
// leveled background compactions, and is given bloom filters of 10 bits per
// key on every level (Pebble's default is none), the size cairn writes.
//
// Each workload prints one line:
//
//	fillrandom: cairn X ops/s, pebble Y ops/s, ratio X/Y
//
// Write amplification is the bytes the process passed to write(2) during a
// fill (from /proc/self/io wchar, so background flushes and compactions
// count; measured after both stores' compactions settle) divided by
// the user bytes (-n × (16+100)). Space amplification is the size of the
// data directory, walked after the fill, divided by the same user bytes.
// The table-file and compaction counts after each fill are printed too,
// and for cairn a line with its levels and the write amplification lsm
// counts itself (table bytes written per byte flushed, after settling).
//
// -cpuprofile FILE writes a CPU profile of the whole run (both stores;
// look at the lsm and pebble frames apart) for go tool pprof.
//
// Timings are wall-clock on a shared machine: compare the ratio, not the
// absolute figures.
package main
