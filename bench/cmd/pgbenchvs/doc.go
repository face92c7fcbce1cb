// Command pgbenchvs runs PostgreSQL's own pgbench against cairn and
// PostgreSQL 15 in the same run and prints cairn's ratio for each workload.
//
// Both servers start fresh: PostgreSQL from initdb (run as the unprivileged
// user cairntest when pgbenchvs runs as root) with fsync=on and
// synchronous_commit=on, its defaults, given explicitly; cairn from
// cmd/cairn built with go build (or the binaries named by -cairn), whose
// commits always fsync the log before they are acknowledged. Both listen
// on loopback ports on this machine, where pgbench runs too.
//
// The workloads are pgbench's built-in ones:
//
//	init       pgbench -i -s SCALE          (load with COPY, then primary keys)
//	tpcb-1     pgbench -M prepared -c 1 -j 1 -T D          (TPC-B, latency)
//	tpcb-8     pgbench -M prepared -c 8 -j 2 -T D          (TPC-B, hot rows)
//	simple-8   pgbench -N -M prepared -c 8 -j 2 -T D       (no branch/teller updates)
//	select-8   pgbench -S -M prepared -c 8 -j 2 -T D       (select-only)
//
// init runs once per target, PostgreSQL first; its ratio is PostgreSQL's
// time over cairn's, so above 1 means cairn loaded faster. Every other
// workload runs -rounds times per target; each round runs the targets one
// after another, starting with a different one each round, so drift in the
// machine's load touches all alike. Runs of one workload follow each other
// on the same data, as a user running pgbench twice would see. The ratio
// is cairn's median tps over PostgreSQL's median tps; the spread is a
// target's (slowest, fastest) tps over its median, which shows whether
// throughput holds up over consecutive runs.
//
// Output is a Markdown table of ratios, then every run's pgbench summary
// line. No figure is asserted; docs/BENCHMARKS.md records them with the
// command that produced them.
package main
