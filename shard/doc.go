// Package shard is cairn's scale-out: hash-sharded tables placed on a
// consistent-hash ring of nodes, the cluster's state in etcd, and a
// coordinator that speaks the PostgreSQL protocol to clients and routes
// their statements to the nodes, each an ordinary cairn server (cairn
// serve).
//
// # Placement
//
// A distributed table is hash-partitioned on one column, its
// distribution column, into a fixed number of logical shards (Options.Shards,
// 64 by default; create_distributed_table's shard_count => n sets it per
// table). A value's shard is found in two steps:
//
//  1. Its hash: xxhash64 (github.com/cespare/xxhash/v2, seed 0) of its
//     canonical binary form (AppendCanonical), one rule for every type:
//     equal values have equal bytes, whatever their width or scale.
//     Integers (int2, int4, int8) are 8 bytes big-endian of the int64,
//     so widening a column keeps every row's shard; bool one byte, 0 or 1;
//     float4 and float8 the 8 big-endian bytes of the IEEE float64, -0
//     as 0 and every NaN as one NaN; numeric its text in scientific form
//     after trailing zeros are dropped (1.0, 1.00 and 1E0 alike, -0 as
//     0); text, varchar, name and bytea their bytes; bpchar its bytes
//     without trailing blanks (as its equality ignores them); uuid its 16
//     bytes; date, timestamp and timestamptz the int64 microseconds since
//     2000-01-01 UTC, PostgreSQL's binary form (infinity and -infinity as
//     the largest and smallest int64). Other types (intervals, whose '1
//     day' equals '24 hours'; json; arrays; network types) cannot be
//     distribution columns yet (0A000). NULL has no shard (23502).
//  2. Its shard: the hash space is cut into n ranges of equal width
//     (ShardIndex: the top 32 bits times n, shifted down), as Citus does;
//     ranges rather than h mod n keep a shard splittable in place.
//
// Shards are placed on a Ring: each node owns Points (256) points, the
// xxhash64 of "node#i"; shard i of a table with n shards is keyed
// "shard/n/i", so shard i of every table with n shards lands on one node
// (co-location, for joins on the distribution column later), and goes to
// the node of the first point at or after its key's hash. Adding a node
// moves to it only the shards whose first point is now one of its own;
// removing one moves only its shards (ring_test.go checks both, and that
// a node's share of the ring stays within 30% of 1/N). The placement is
// computed when a table is distributed and then kept explicitly in the
// placement map (Table.Shards): the ring decides where a new table goes
// and, later, where rebalancing moves shards; routing reads the map.
//
// The ring balances the hash space, not a table's few shards: 64 shards
// are 64 draws, so with three nodes named node-1..3 they split 20/17/27,
// and with eight nodes 4 to 13 a node (fair: 8). Smoothing that
// (bounded-load placement, or moving whole shards off the fullest nodes)
// gives up the ring's move-only-what-changes property, and is not done:
// rebalancing puts each shard where the ring says.
//
// # Where a shard lives on a node
//
// A node holds one ordinary table per distributed table, under the
// table's own name, with the rows of all the shards placed on it. So a
// statement the coordinator forwards runs on the node as the client wrote
// it (no rewriting), and a node is still an ordinary cairn server whose
// tables psql can read. The price is paid by rebalancing: moving shards
// off a node reads the node's whole table (COPY TO) and keeps the rows
// whose distribution values hash into the moving shards' ranges, found
// by evaluating the hash rule above at the coordinator, instead of
// moving a table per shard. Reference tables are copied whole to every
// node.
//
// # Adding and removing nodes, moving shards
//
// SELECT citus_add_node('host', port) (or master_add_node; Go:
// Coordinator.JoinNode) makes the cairn server at host:port a member,
// named after the others (node-4 after node-1..3; the name is returned).
// With the gate (below) closed it creates on the new node every table
// and view of the home node's public schema, their definitions read from
// the home node's catalog (columns with their types, defaults, NOT NULL,
// identity and generated expressions; primary key, unique and check
// constraints; other indexes; the sequences of nextval defaults, created
// anew; views by pg_get_viewdef — not foreign keys, other schemas,
// standalone sequences or functions; tables neither distributed nor
// reference stay empty there), copies the reference tables' rows, all in one
// transaction on the new node, and records the node in etcd and on the
// ring; then it rebalances. The new node must not have those tables yet,
// and its name must sort after the home node's (which would otherwise
// change, and the home node holds the rows of tables that are not
// distributed). cairn coordinator --node id=addr of a node that is not a
// member of a cluster that has members joins it the same way.
//
// SELECT rebalance_table_shards() (Coordinator.Rebalance) moves every
// shard the ring of members places elsewhere than the placement map,
// grouped by table, source and target. Moving one group:
//
//  1. The gate closes: every client statement, and every explicit
//     transaction from its first statement to its end, passes through a
//     gate at the coordinator, which a move shuts and waits up to
//     Options.MoveWait (10 s) for all inside to leave (else it gives up
//     with 55P03 and opens it again). While it is shut no client
//     statement starts, reads included: the whole coordinator pauses,
//     not only the moving shards' table, but for reads outside a
//     transaction that need only the home node (catalog queries, SELECT
//     1, reference tables). This is the simple and honest version: no
//     write can be missed by the copy, none can land on the source
//     after, and no read can see a shard on both nodes or on neither.
//  2. If a prepared transaction of a coordinator's is left on either
//     node, Recover runs first (its write would commit on the node a
//     shard left); if one stays, the move is refused.
//  3. In one distributed transaction: the source's table is read with
//     COPY TO (text), the rows of the moving shards kept and deleted from
//     the source by their distribution values (the count must match),
//     and the target takes them with COPY FROM. Both node transactions
//     PREPARE.
//  4. One etcd transaction writes the placement map (the shards now on
//     the target, its version one higher, compare-and-swap on its
//     revision) and the move's commit decision (2pc/GID) together.
//  5. COMMIT PREPARED on both nodes (a node that cannot be reached is
//     tried again for up to Options.MoveWait), the decision is
//     forgotten, and the gate opens. If a node stays unreachable, the
//     gate opens anyway and Recover finishes the move once the node is
//     back; until it runs (every 5 s), reads may miss the moved rows
//     (the target's part not committed) or see them twice (the source's
//     delete not committed): the one window this design leaves.
//
// So a move is a two-phase commit whose decision is the placement switch.
// A coordinator that dies before step 4 leaves prepared transactions
// without a decision, which Recover (run before a coordinator serves
// clients) rolls back: the rows stay on the source, which the map still
// names. One that dies after step 4 leaves the decision, which Recover
// commits: the rows are on the target, which the map names. Either way
// no row is lost or seen twice through the coordinator (rebalance_test.go
// stops a move after each step and recovers). The rows of a moving group
// are held in the coordinator's memory.
//
// SELECT citus_remove_node('host', port) (or master_remove_node;
// Coordinator.LeaveNode) drains the member there: new tables place no
// shards on it, each of its shards moves, as above, to the node the ring
// without it gives, and then it is removed from the members (with the
// gate closed, and only if no shard is left on it). Unlike Citus's, it
// drains rather than refusing a node with shards. It is refused for the
// home node and, so, never leaves a distributed table without a node.
// The removed node keeps its (now unused) copies of the reference tables;
// etcd remembers it was removed, so a restart of cairn cluster, which
// starts it again, does not make it a member again.
//
// # Cluster state
//
// Nothing of the cluster's state is kept by cairn itself: it lives in etcd
// (go.etcd.io/etcd/client/v3), under a prefix (/cairn/ by default; Store):
//
//	nodes/ID      a member: {"id", "addr"}
//	health/ID     what the coordinator last saw of it: {"up", "checked", "error"}
//	placement     the placement map: {"version", "tables": {name: Table}},
//	              changed only by a compare-and-swap on its revision,
//	              its version one higher each time
//	2pc/GID       the commit decision of a distributed transaction or
//	              shard move, with its commit timestamp
//	oracle        the timestamp oracle's high-water mark
//	removed/ID    a node removed from the members (citus_remove_node)
//
// StartEtcd runs an etcd server inside the process (go.etcd.io/etcd/
// server/v3/embed) for development; cairn cluster does, and cairn cluster
// --etcd host:port,... uses an existing etcd cluster instead, as cairn
// coordinator --etcd host:port,... (for nodes that run elsewhere) always
// does. A
// coordinator watches the placement map and routes by the newest version.
//
// # The coordinator
//
// Coordinator's sessions are served by pgwire (through
// pgwire.EngineFunc; shard does not import pgwire, which sits above it):
// clients connect to it with any
// PostgreSQL client. It reaches each node through a pgx pool (as
// Options.NodeUser, "postgres": the clients' roles are not passed on yet,
// so the nodes' privileges do not apply to them) and routes each statement
// by the relations it names (parser.RelationsIn) and the placement map. A
// statement with parameters is prepared once on each pooled node
// connection and run by name after that (nodestmt.go), so a client's
// prepared statement is not parsed and planned again on the node at every
// execution:
//
//   - SELECT create_distributed_table('t', 'col') and
//     create_reference_table('t') (Citus's spelling) record t in the
//     placement map. t must already exist, alike, on every node (CREATE
//     TABLE through the coordinator creates it on every node) and be
//     empty on each (moving rows in is not built yet). Not inside a
//     transaction block, as citus_add_node, citus_remove_node and
//     rebalance_table_shards are not.
//   - A statement naming one distributed table once, whose WHERE ANDs an
//     equality of the distribution column with a constant or parameter
//     ($n, in the extended protocol too), goes unchanged to the node of
//     that value's shard: SELECT, UPDATE, DELETE. A value that cannot be
//     read as the column's type without running SQL sends the statement
//     everywhere instead.
//   - INSERT ... VALUES sends each row to the node of its shard. Rows that
//     all go to one node go there as written; otherwise each node gets an
//     INSERT of its rows with their constants and parameters passed as
//     parameters (untyped, as literals are), in one distributed
//     transaction; then only constants, parameters and DEFAULT are
//     accepted, and no RETURNING or ON CONFLICT (0A000). The distribution
//     value must be a constant or parameter of every row.
//   - Other SELECTs on one distributed table go unchanged to every node
//     holding its shards, at once, and the rows are merged: concatenated;
//     DISTINCT across nodes; ORDER BY output columns (by name or position)
//     sorted again at the coordinator (each node's part is already
//     sorted and limited, so ORDER BY ... LIMIT n reads n rows a node);
//     LIMIT applied again; count, sum, min and max, alone or with GROUP BY
//     columns, combined from each node's partial aggregates. What cannot
//     be merged that way is refused with 0A000 rather than answered
//     wrong: OFFSET, HAVING, other aggregates (avg), expressions over
//     aggregates, LIMIT with aggregates, joins, set operations, WITH.
//   - UPDATE and DELETE without a single shard run on every node of the
//     table in one distributed transaction (their counts add up; changing
//     the distribution column is refused).
//   - Statements naming only reference tables: reads go to the home node
//     (the first member by ID), writes to every node in one distributed
//     transaction.
//   - Statements naming no distributed or reference table (SELECT 1,
//     catalog queries, psql's \d, tables never distributed) run on the
//     home node. DDL and other writing utility statements run on every
//     node in one distributed transaction; DROP TABLE of a distributed
//     table drops its placement when it commits. TRUNCATE is such a
//     statement. VACUUM runs on every node outside any transaction (in
//     one it is refused, 25001, as on one server); ANALYZE on every node,
//     in the client's transaction when there is one.
//   - COPY ... FROM STDIN into a distributed table splits the client's
//     data into rows as COPY reads them (text and CSV with
//     sql.CopyRowReader; binary by its frame, decoding only the
//     distribution column's field) and streams each row, unchanged, to
//     the node of its distribution value's shard, where the same COPY
//     statement reads them; a header goes to every node. All the nodes' COPYs run in
//     one distributed transaction (the client's, or one of their own
//     committed in two phases), and the client is told to send only once
//     every node accepted the statement. A reference table's data goes to
//     every node, a local table's to the home node. The distribution
//     column must be among the columns copied and not NULL. COPY ... TO
//     STDOUT of a distributed table reads each of its nodes in turn (a
//     header once; in binary format one header and one trailer); COPY
//     (query) TO STDOUT naming one is refused (0A000).
//   - SET and RESET (settings.go) run on the home node, which checks
//     them, and become the session's settings: every node connection the
//     session then uses (pooled, shared with other sessions) is given
//     them first, after RESET ALL, in one round trip and only when it
//     holds other settings, so the nodes format, time out and resolve
//     names as the session asked, and SHOW (on the home node) shows
//     them. In a transaction SET runs on every node the transaction
//     reaches; SET LOCAL ends with the transaction, and SET becomes the
//     session's only when it commits. DISCARD ALL resets them.
//   - Statements naming two distributed tables, or one twice, and
//     SAVEPOINT are refused (0A000) for now. The statements of a
//     multi-statement query string run one after the other, each on its
//     own outside an explicit transaction.
//
// Errors from a node reach the client with the node's SQLSTATE, message,
// detail and hint.
//
// # Transactions
//
// BEGIN opens a distributed transaction; each node it touches gets a
// transaction of its own, begun with the client's BEGIN (its isolation
// level) on a connection held until COMMIT or ROLLBACK. A REPEATABLE
// READ transaction reads every node at one cluster timestamp (below,
// "Cluster snapshots"); other transactions take each node's own snapshot.
// COMMIT of a transaction that wrote on at most one node commits
// there. One that wrote on several commits in two phases: PREPARE
// TRANSACTION 'cairn_<coordinator>_<n>' on each writer (any failure rolls
// every part back), then a commit timestamp C is taken from the oracle,
// then the decision (with C) is written to etcd, then SET
// cairn.commit_timestamp = 'C' and COMMIT PREPARED on each. Once the decision is written the transaction has
// committed; a node that cannot be reached for phase two keeps its
// prepared transaction, and Recover (run by cairn cluster and cairn
// coordinator before they serve clients, and every 5 s) commits the
// prepared transactions etcd has a commit decision for and rolls back
// the others (presumed abort), then forgets the decisions nobody waits
// for. It leaves alone the transactions its own coordinator is
// committing (numbered after the moment it starts, or in flight then),
// but must not run while another coordinator commits: one coordinator
// per cluster in this version.
//
// # Cluster snapshots
//
// The coordinator is the cluster's timestamp oracle (oracle.go): it hands
// out strictly increasing timestamps from a counter in memory, within a
// block whose upper end (the high-water mark, key oracle in etcd) is
// raised by Options.OracleBlock (10,000) with a compare-and-swap before
// any timestamp of the block is used, so a restarted coordinator starts
// above everything handed out before. Callers that find the block used up
// wait for one reservation together; the next block is reserved when half
// of the current one is used, while the others go on.
//
// A transaction begun with BEGIN (or START TRANSACTION) ISOLATION LEVEL
// REPEATABLE READ, or with a plain BEGIN while the session's
// default_transaction_isolation is repeatable read, takes one timestamp S when it first reaches a node and
// begins every node transaction with SET TRANSACTION SNAPSHOT
// 'cluster-S'. A transaction that commits in two phases takes its commit
// timestamp C once every node prepared it, records C with the decision
// (Recover commits with the same C) and commits on each node at C. A node
// (txn/cluster.go) sees through a snapshot at S exactly the commits whose
// timestamp is at most S; its other commits (one node's, or a node's own
// clients') take the newest timestamp it has seen plus one. Before it
// gives a snapshot at S it waits (up to 10 s, then 55P03) for the
// transactions prepared on it to be decided: one of them may commit at a
// C at most S, and judging it invisible would show the snapshot one
// node's half of a transfer and not the other's. A transaction prepared
// after S was handed out gets a C above S. So a REPEATABLE READ
// transaction sees one consistent cut across all nodes, and later reads
// repeat it (snapshot_test.go: readers summing accounts that concurrent
// transfers move money between always see the total; with
// Options.PerNodeSnapshots, each node's own snapshot, the same test sees
// torn sums).
//
// What it does not cover: READ COMMITTED transactions and statements
// outside a transaction block still read each node at its own snapshot
// (a statement reading several nodes may see a transfer on one and not
// the other); SERIALIZABLE takes per-node snapshots too (SSI orders by a
// node's own revisions), as does a transaction made REPEATABLE READ by
// SET TRANSACTION after its BEGIN. A transaction left prepared on a node
// (by a client of the node's own, or a coordinator's that Recover has not
// decided yet) holds up cluster snapshots there until it is decided. A
// node refuses a snapshot older than what its vacuum or
// commit-log fold already discarded, or than its newest commit when it
// restarted (40001: retry). Shard moves commit without a timestamp (the
// gate keeps every client transaction out meanwhile).
//
// # Failures
//
// Every call to a node goes through its circuit breaker
// (github.com/sony/gobreaker/v2): Options.BreakerFailures (3) consecutive
// failures to reach the node open it, and for Options.BreakerOpen (5 s)
// statements needing the node fail at once with 08001 "node N at ADDR is
// unavailable (circuit breaker open ...)", then one call is let through to
// test it. An error the node answers with (a unique violation) shows it
// alive and does not count. A failure to connect, before anything was
// sent, is retried with exponential backoff and jitter
// (github.com/cenkalti/backoff/v5; Options.Retries more tries from
// Options.RetryInitial, doubling, ±50%); a statement whose connection
// failed after it was sent is never retried, as its fate is unknown: the
// client gets 08006 naming the node, or 08007 when that was a COMMIT.
// A node that is down fails only the statements that need its shards.
//
// # Not built yet
//
// Moving shards without pausing the clients (copying first, then only
// the rows changed since while writes to the shard wait), moving one
// chosen shard (citus_move_shard_placement), foreign keys on the tables a
// new node gets, removing the home node, cluster snapshots for READ
// COMMITTED statements and SERIALIZABLE transactions, leader election
// among several coordinators (recovery then run by the leader only),
// distributed joins and the rest of distributed planning (re-partitioned
// aggregates, avg, spilling), pg_dist_* views, per-role admission at the
// coordinator, passing client roles to the nodes, and nodes joining by themselves (cairn serve --join).
package shard
