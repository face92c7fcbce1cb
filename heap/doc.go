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
// by transaction id (an older transaction can write a newer version). A
// write takes the number under the heap's mutex, after its last wait and
// just before it writes, so the numbers of a row's versions follow the
// order of the writes (a number taken before waiting for another
// transaction could be older than a version written during the wait).
//
// # Reading a row
//
// A lookup by primary key (ScanKey, Latest, and ScanIndex for each row an
// entry leads to) reads the row's versions newest first, iterating its key
// range backward, and stops at the first version whose creation its
// snapshot sees (txn.Snapshot.Decide): if the snapshot also sees that
// version's deletion the row is deleted for it, otherwise that is the
// version it sees. No older version can be visible then. An update claims
// the version it replaces (sets its xmax) in the same write that adds the
// new version, and an insert (or a key-changing update) finds every
// version of the key deleted by a committed transaction, or created by one
// that rolled back, before it writes (see Concurrency and conflicts). So
// every older version was created by a transaction that rolled back, or
// deleted by a transaction that committed no later than the newer
// version's creator (within one transaction: by a command no later than
// the creating one), and a snapshot that sees that creation sees the
// deletion too. For the same reason none of the older versions was
// written by a transaction concurrent with the snapshot, so a serializable
// reader loses no antidependency by not reading them. A lookup therefore
// costs the versions newer than the one it finds (those of running
// transactions, or committed after its snapshot), however many old
// versions, or tombstones of vacuumed ones, the row has.
//
// The uniqueness check of an insert reads a row's versions newest first
// too, and stops at the first one whose creator and deleter both
// committed: by the same argument every older version is dead. LiveKey
// (an upsert's look for the row its insert would conflict with) stops at
// the newest version whose creator did not roll back.
//
// A full scan (Scan) reads every version of every row in key order, oldest
// first within a row; ScanLent does the same lending each tuple instead of
// copying it. A sampling reader (ANALYZE) cuts a table into pages of about
// one stored block each where the store can list its blocks
// (TablePages, BlockLister) and reads the pages it chose (ScanPages).
//
// # Value layout
//
//	xmin (8) | xmax (8) | cmin (4) | cmax (4) | row data (opaque to the heap)
//
// Deleting or superseding a version rewrites its header with xmax set; an
// update inserts a new version. Versions written by aborted transactions stay
// until vacuum (vacuum.go) removes them; they are invisible because the
// commit log knows their creator did not commit.
//
// # Bulk loads
//
// LoadRows (load.go) writes the first versions of rows into a table
// storage id that only its transaction's uncommitted catalog entry names
// (a rewrite's new storage): sorted, one version number for the lot, no
// waits and no uniqueness probes, ingested into the LSM as tables when the
// store can (Ingester), else thousands to a WAL record; LoadRowsFrom takes
// the rows' chunks as they are produced (a rewrite's scan), so that the
// tables are built while the caller reads on. If the transaction
// does not commit, the versions are invisible (their creator rolled back)
// and the SQL layer deletes the storage with a range delete. InsertRows
// writes a batch of rows under new row ids in one WAL record (COPY FROM
// into a table without a key); IngestRows does the same for a large batch
// by ingesting it as tables when the store can (new row ids are keys no
// version has, taken in ascending order), with LoadRows' durability: the
// WAL is synced before each table and each table is durable before the
// call returns, so the commit record follows the rows.
//
// # Secondary indexes
//
//	'i' | index id (4 bytes, big-endian) | index key | primary key  →  uvarint(len(primary key))
//
// The index key comes from the caller and must be self-delimiting and
// order-preserving, so that a range of keys is a range of entries; the
// primary key is the row's key as above (without table prefix and seq), and
// the value gives its length, since the heap cannot parse the index key.
// Entries are not versioned: an insert adds one, an update that changes
// the indexed values (or the primary key) adds another, and the old one
// stays. ScanIndex therefore leads from an entry to the row's version that
// the snapshot sees, which may hold other values than the entry's, and the
// caller re-checks its condition on the row. A unique index
// (InsertUniqueIndexEntry) checks the rows its key's entries lead to with
// the primary key's live-or-may-become-live rules, with a caller's function
// telling which versions hold the key; CheckUniqueIndexEntry makes the same
// check later for an entry written unchecked (a deferrable constraint's).
// Entries of a dropped index, or of an
// index whose creating transaction rolled back, stay until a range delete
// reclaims them; index ids are never reused, so nothing reads them.
//
// # Sequences
//
//	's' | sequence id (4 bytes, big-endian)  →  last value (8) | is_called (1)
//
// A sequence's state is one key outside MVCC (sequence.go): a nextval is
// seen at once by every transaction and survives a rollback, as in
// PostgreSQL. The SQL layer writes it only when it logs values ahead, and
// makes a commit wait for the record its values depend on.
//
// # Concurrency and conflicts
//
// Checking a version's header and rewriting it happen under one mutex, so two
// writers can never both claim the same version. A write that meets a version
// claimed by a transaction that is still running waits for it to end
// (txn.Manager.WaitFor, with the mutex released), unless Op.Ctx is nil, in
// which case it fails at once with 40001. If the claimant committed, the
// write fails with ErrConcurrentUpdate or ErrConcurrentDelete (40001), and
// the caller may re-read the newest version with Latest (READ COMMITTED) or
// give up. Primary keys are unique among all versions that are live or may
// become live: an insert waits for a running transaction that inserted or
// deleted the same key, then fails with 23505 if the key is live.
//
// For serializable snapshots the heap reports reads and writes to SSI
// (txn/ssi.go): scans leave SIREAD marks, versions outside the snapshot
// report read-write antidependencies, and writes check the marks of others.
//
// # Sizes
//
// TableSize, IndexSize, SequenceSize and StoreSize (size.go) measure the
// bytes of the keys and values held for a relation, every version
// included, by walking its range: the SQL size functions' estimates of
// the stored size.
//
// TableCounts counts the versions inserted, updated and deleted per table
// since the heap opened (whether their transactions commit or not), and
// LiveDead counts a table's live and dead versions by reading it:
// pg_stat_user_tables reads both.
//
// The heap knows nothing of SQL types: rows and keys are bytes.
package heap
