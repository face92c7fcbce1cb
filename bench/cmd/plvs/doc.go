// Command plvs measures PL/pgSQL, cairn against PostgreSQL 15 in the same
// run, on two workloads:
//
//	trigger-insert-C  C clients (-clients, default 1 and 8), each running a
//	                  prepared autocommit INSERT of one row for -d, into a
//	                  table with a BEFORE INSERT row trigger that sets
//	                  NEW.updated_at and an AFTER INSERT row trigger that
//	                  inserts an audit row into a second table; rows/s.
//	pl-loop           one call of a PL/pgSQL function looping -n times
//	                  (default 1,000,000): integer arithmetic and a
//	                  primary-key lookup (SELECT ... INTO) in a 100-row table
//	                  on every iteration; seconds per call.
//	pl-arith          the same loop without the lookup: the interpreter's
//	                  own cost per iteration.
//
// Both servers start fresh: PostgreSQL from initdb with fsync=on and
// synchronous_commit=on, its defaults, given explicitly; cairn from
// cmd/cairn built with go build (or the binaries named by -cairn name=path,
// to compare builds in one run). Clients and servers share the machine.
//
// Every workload runs -rounds times per target; each round runs the
// targets one after another, starting with a different one each round, so
// drift in the machine's load touches all alike. The ratio is always
// "above 1: cairn is faster": cairn's median rows/s over PostgreSQL's for
// the trigger workload, PostgreSQL's median seconds per call over cairn's
// for the loops. The loop functions return a checksum, which must agree
// between the targets. Spreads are (slowest, fastest) over the median.
//
//	cd bench && go run ./cmd/plvs
package main
