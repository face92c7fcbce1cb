// Package shard is cairn's scale-out: placement of hash-sharded tables on
// a consistent-hash ring of nodes, the cluster state in etcd, and a
// coordinator that speaks the PostgreSQL protocol to clients and routes
// their statements to the nodes, each an ordinary cairn server.
package shard
