// Command txbench measures committed transactions per second of a short
// read-write transaction, for cairn and PostgreSQL 15 in the same run.
//
// The transaction is a small pgbench TPC-B-like one, with $1 a random delta
// in [-5000, 5000], $2 a random account id and $3 a history key made by the
// client (neither engine needs a sequence):
//
//	BEGIN;
//	UPDATE accounts SET balance = balance + $1 WHERE id = $2;
//	SELECT balance FROM accounts WHERE id = $2;
//	INSERT INTO history (id, aid, delta) VALUES ($3, $2, $1);
//	COMMIT;
//
// over -accounts rows (default 100,000) of
//
//	accounts (id int4 PRIMARY KEY, balance int8 NOT NULL)
//	history  (id int8 PRIMARY KEY, aid int4 NOT NULL, delta int8 NOT NULL)
//
// The same schema is used everywhere. The history key is
// (configuration*1000 + client)*1e9 + n, so keys never repeat within a run.
// Account ids come from a PCG generator seeded from -seed and the client
// number. A transaction that fails with 40001 (serialization failure) or 40P01
// (deadlock) is rolled back and retried with the same arguments; retries are
// counted, and its latency runs from the first BEGIN to the successful COMMIT.
// Isolation is each engine's default, READ COMMITTED.
//
// Three targets run, for each client count in -clients (default 1,8,64):
//
//   - cairn over pgwire: the cairn binary, built from ../cmd/cairn with go
//     build into a temporary directory, serving a temporary data directory on
//     a loopback port;
//   - PostgreSQL 15 (/usr/lib/postgresql/15/bin) over the same client code:
//     a temporary cluster made with initdb, run as the unprivileged user
//     cairntest when txbench runs as root (created with useradd if missing),
//     with fsync=on and synchronous_commit=on — PostgreSQL's defaults, given
//     explicitly. cairn always fsyncs its log before acknowledging a commit
//     (group commit), so both make every acknowledged commit durable;
//   - cairn embedded, through database/sql with the driver "cairn" on a
//     temporary directory, in this process.
//
// A fourth target, cairn-nosync, is off by default (-targets adds it): a
// second cairn server whose clients connect with synchronous_commit=off, so
// commits are acknowledged before the log reaches the disk. It is not a
// durable configuration and not a fair peer of PostgreSQL; it measures the
// ceiling of cairn's pgwire path when a commit costs no fsync, which bounds
// what any speed-up of cairn's own work could reach with durable commits.
//
// Both pgwire targets use one pgx.Conn per client and pgx's default query
// mode, which prepares each statement once per connection and caches it.
// The embedded target prepares the three statements on the *sql.DB and binds
// them to each transaction with Tx.StmtContext, which reuses the driver
// statement of that connection; MaxOpenConns and MaxIdleConns equal the
// client count, so each client keeps its connection.
//
// Each measurement lasts -d (default 10s) after every client has connected
// and run one transaction. The three targets run back to back for one client
// count before the next count, so drift in the machine's load touches all
// three alike. After the runs, each target checks that the sum of balances
// equals the sum of history deltas.
//
// -cpuprofile PREFIX writes a CPU profile of each embedded measurement to
// PREFIX-embedded-N.pprof (N clients), for go tool pprof.
//
// Timings are wall-clock on a shared machine: compare the ratios, not the
// absolute figures.
package main
