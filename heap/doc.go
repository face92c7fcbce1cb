// Package heap stores tables as ranges of keys, one key per tuple version,
// and decides which versions a snapshot sees.
//
// # Key layout
//
//	't' | table id (4 bytes, big-endian) | primary key | version seq (8 bytes, big-endian)
//
// The primary key bytes come from the caller and must be self-delimiting and
// canonical (equal keys encode equally), so that a prefix scan over
// 't' | table | pk finds exactly the versions of one row. Tables without a
// primary key use a row id. The version sequence number comes from
// txn.Manager.NextSeq, so the versions of a row are ordered by creation, not
// by transaction id (an older transaction can write a newer version).
//
// # Value layout
//
//	xmin (8) | xmax (8) | cmin (4) | cmax (4) | row data (opaque to the heap)
//
// Deleting or superseding a version rewrites its header with xmax set; an
// update inserts a new version. Versions written by aborted transactions stay
// until vacuum (a later layer) removes them; they are invisible because the
// commit log knows their creator did not commit.
//
// # Concurrency and conflicts
//
// Checking a version's header and rewriting it happen under one mutex, so two
// writers can never both claim the same version. A write that meets a version
// claimed by a transaction that is still running, or that committed after the
// writer's snapshot, fails at once with SQLSTATE 40001; waiting for the other
// transaction instead, as PostgreSQL does, belongs to the transaction layer's
// lock manager and is not done here yet. Primary keys are unique among all
// versions that are live or may become live: a duplicate of a committed or own
// live row fails with 23505, a duplicate of a row another running
// transaction inserted or deleted fails with 40001.
//
// The heap knows nothing of SQL types: rows and keys are bytes.
package heap
