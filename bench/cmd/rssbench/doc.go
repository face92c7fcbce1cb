// Command rssbench loads many keys into cairn's lsm and reports the
// process's peak resident memory against the configured budgets.
//
//	cd bench && go run ./cmd/rssbench [-n 10000000] [-memtable 67108864] [-cache 8388608]
//
// It writes -n random 16-byte keys with 100-byte values through
// lsm.OpenDir, flushing whenever the memtable reaches its budget (cairn's
// checkpointer does the same), reads a sample back through the block cache,
// and prints the peak RSS (VmHWM), the budgets (two memtables may be live
// while one flushes, plus the block cache) and what is left over. Memory
// that grows with the number of keys, rather than staying within budget
// plus a constant, shows as a growing remainder across -n. It also prints
// the peak live heap (what GC cycles found reachable, sampled every 5 ms):
// RSS adds the collector's headroom (GOGC, default 100: the heap may grow
// to twice the live data between cycles), which GOMEMLIMIT bounds.
package main
