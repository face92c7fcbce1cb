// Package txn owns transaction ids, the commit log, snapshots and the commit
// pipeline.
//
// # Model
//
// Every transaction gets a 64-bit transaction id (XID) when it begins; XIDs
// never wrap. A transaction that commits is given a commit revision, a
// logical clock that increases by one per commit. The commit log maps each
// committed XID to its revision; an XID that is neither committed nor active
// is aborted (that includes every transaction that was running at a crash).
//
// A commit keeps its revision only while some snapshot may be older than
// it; below the vacuum horizon it is folded, in memory and in storage, into
// a bitmap of one bit per XID (clog.go), so the commit log costs about a
// bit per transaction, and Open reads pages of bits instead of a key per
// transaction.
//
// A snapshot is one number: the newest published revision (or, through
// SnapshotAt, an older one another running transaction's snapshot still
// holds above the vacuum horizon). It sees a
// transaction's writes if and only if that transaction committed with a
// revision at or below it. Visibility of a single tuple version is decided
// by Snapshot.Visible from the version's xmin/xmax and command ids.
//
// # Commit pipeline
//
// Two invariants (ARCHITECTURE.md 1 and 2): a synchronous commit becomes
// observable to other transactions only once its commit record is durable,
// and revisions are published in order.
//
//  1. Under the commit mutex the transaction is given the next revision and
//     its commit record (a key/value batch holding its commit-log entry) is
//     appended to the log. Nothing in memory says it committed yet: its
//     xids stay in progress, so waiters keep waiting and snapshots and
//     StatusOf do not see it.
//  2. Outside the mutex it waits until the log is synced through that record
//     (group commit shares one fsync between everyone waiting).
//  3. The revision is then settled and published (publish) only when every
//     smaller revision is settled too. Publishing a revision is the one
//     place where its xids are marked committed in the commit log, their
//     waiters (WaitFor: row waits, READ COMMITTED re-checks, SELECT ... FOR
//     UPDATE, uniqueness checks) are woken, and the published revision
//     moves past it, in that order, so a snapshot at revision R sees
//     exactly the commits with revision <= R even while several commits are
//     in flight, and StatusOf reports Committed only for a durable commit.
//
// Commit returns only after step 3: the committer's next snapshot sees its
// own commit.
//
// If the sync fails, the log has failed for good (the node accepts no more
// writes until restarted) and whether the record reached the disk is
// unknown. The revision is still settled, as a hole that no xid maps to, so
// that later revisions are not blocked forever: its xids end as aborted in
// this process (a prepared transaction whose COMMIT PREPARED failed stays
// prepared instead), so no one here ever sees the transaction, and the
// committer gets an error wrapping ErrCommitUnknown with the storage
// failure's SQLSTATE (58030, or 53100 on a full disk). A restart replays
// the log and may find the transaction committed — allowed, since its
// client was told the outcome is unknown — or not. Nothing in this process
// built on it: its writes were never visible, and every later write fails.
// A record the log refused to accept (a full disk when the log needs a new
// segment) commits nothing: the transaction is aborted and the error is
// the storage's (53100).
//
// Asynchronous commit (synchronous_commit = off, Txn.SetSynchronousCommit)
// skips step 2: the commit is published in revision order as soon as every
// earlier revision is, without waiting for the disk — visible before it is
// durable, as in PostgreSQL. The log's background writer syncs it within its
// flush interval (wal_writer_delay). A crash before that loses the commit
// record, so the transaction is aborted as a whole; and since the log is a
// prefix, a synchronous commit that follows in the log can only survive
// together with every asynchronous one before it.
//
// XIDs and row sequence numbers are handed out from blocks reserved in
// durable storage (a synced record raising the limit), so that they stay
// unique across restarts without scanning the data at startup. The next
// block is reserved when half of the current one is used, by the taker
// that crosses that mark and without holding the counter's lock, so that
// Begin does not wait for an fsync while numbers are left. Once the
// storage has failed for good (it has a Failed method that says so), a
// block is reserved in memory only: nothing stamped with its numbers can
// reach the disk any more, and reads, which need a transaction id, go on.
//
// # Waiting and serializability
//
// WaitFor lets a writer wait for the transaction holding a row, over a
// wait-for graph that refuses the wait closing a cycle (40P01), with
// lock_timeout (55P03) and cancellation (57014). Table locks
// (tablelock.go) wait through the same graph. Waits and TableLocks show
// the graph and the table locks as they are now, for pg_locks; a wait is
// shown only while what it waits for still runs, so a waiter released by
// a commit is not shown once that commit has returned. Advisory locks
// (advisory.go) are held by sessions (LockOwner) rather than
// transactions; their waits join the same graph, an owner standing for
// the transaction it runs, and a release hands the lock to the waiters it
// lets through before it returns (AdvisoryLocks shows them). ssi.go implements
// serializable snapshot isolation for SERIALIZABLE transactions.
//
// # Commit records and time
//
// A commit record is a batch of commit-log entries (commitrecord.go): one
// per xid, each holding the revision and, when the Manager has a clock
// (Options.Now), the commit time in microseconds, which never goes back
// from one revision to the next, and, when it has one, the commit's
// cluster timestamp. Values without a time (8 bytes, from
// earlier versions) are read too. DecodeCommit recognizes a commit record
// in a batch read back from the WAL, for a restore to a revision or a time.
//
// # Cluster timestamps
//
// A node of a sharded cluster also reads and commits at timestamps from
// the cluster's timestamp oracle (cluster.go): ClusterSnapshot gives a
// snapshot that sees the commits whose cluster timestamp is at most S,
// whatever the node's own revisions, and CommitPreparedAt commits a
// prepared transaction at the timestamp the coordinator chose for all its
// nodes. The node's revisions keep their meaning for everything else
// (local snapshots, publication order, vacuum, the fold); a commit's
// timestamp is kept next to its revision in memory and in its commit
// record, and a cluster snapshot holds the vacuum horizon at the newest
// revision below which every commit's timestamp is at most S. Before it
// is given, a cluster snapshot waits for the prepared transactions (which
// may commit at a timestamp it covers) and for the revisions in flight.
//
// # Statistics
//
// Manager.Stats counts commits, rollbacks, lock waits that blocked and
// deadlocks; a context given WithWaitReport has its waits report
// themselves once they last longer than asked (log_lock_waits).
//
// This package knows nothing of SQL. It reaches storage only through the
// Storage interface. Errors that a client must see carry SQLSTATEs
// (40001 for write conflicts; a commit of unknown outcome keeps the
// storage failure's code).
package txn
