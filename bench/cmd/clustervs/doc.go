// Command clustervs measures what distributing a table over a cairn cluster
// costs and gains, in one run on one machine: three `cairn serve` nodes and
// a `cairn coordinator` (its state in an etcd run inside clustervs), and a
// separate single `cairn serve` holding the same data. Every process listens
// on loopback; clients, coordinator and nodes share the machine's CPUs.
//
// Three workloads, each in alternating rounds (the order of the two sides
// swaps every round) and reported as the median of the rounds:
//
//   - point: a prepared `SELECT v FROM kv WHERE k = $1` by the distribution
//     key, for keys held by one node, sent through the coordinator and sent
//     to that node directly. At 1 client the per-query latency (p50 and
//     mean), reported as the coordinator's added latency in percent,
//     (coordinator / direct - 1) * 100; at 8 clients the queries per second,
//     reported as coordinator / direct.
//   - aggregate: `SELECT g, count(*), sum(v), min(v), max(v) FROM kv GROUP
//     BY g` (100 groups) over all of kv's rows, run on the cluster through
//     the coordinator (each node aggregates its shards, the coordinator
//     merges) and on the single node. Reported as single time / cluster
//     time: above 1, the cluster is faster. avg is not in the list because
//     the coordinator refuses it (it cannot merge it yet).
//   - tpcb: PostgreSQL's pgbench TPC-B script, -M prepared -c 8 -j 2,
//     with pgbench's four tables distributed on their ids (history on aid)
//     as docs/CLUSTER.md describes, against the same on the single node.
//     Reported as cluster tps / single tps.
//
// kv (k int8 primary key, g int4, v int8; -rows rows, g = k % 100) is
// loaded with COPY through the coordinator and into the single node.
//
// Usage, from bench/:
//
//	go run ./cmd/clustervs                      # -rows 1000000 -d 5s -rounds 3 -scale 5
//	go run ./cmd/clustervs -cairn /path/to/cairn -workloads point
package main
