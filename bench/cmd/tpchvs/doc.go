// Command tpchvs runs the 22 TPC-H queries against cairn and PostgreSQL 15
// in the same run, on the same generated data, and checks that cairn
// returns PostgreSQL's answers.
//
// The data comes from this command's own generator (gen.go), which follows
// the data rules of the TPC-H specification (clause 4.2) at the scale
// factor -sf: the row counts, the sparse order keys, the partsupp supplier
// formula, the word lists, value domains and date rules. It is
// deterministic from -seed. It is not byte-equal to the reference dbgen's
// output, so the answers are checked against PostgreSQL, not against the
// specification's published answer set.
//
// Both targets load the same rows with COPY into the specification's
// tables, then get their primary keys and (unless -fk-indexes=false)
// indexes on the foreign-key columns no primary key leads with, and
// ANALYZE. cairn serves a fresh data directory with its default
// durability; PostgreSQL is a throwaway cluster with its default settings,
// or the database -pg names (whose TPC-H tables are replaced).
//
// The queries carry the specification's validation substitution
// parameters. Each query runs -rounds times per target, alternating which
// goes first; statement_timeout is -timeout on both. Times are wall time
// until the last row arrived over the simple query protocol, and the table
// gives the median per target and the ratio PostgreSQL over cairn: above
// 1, cairn is faster. Answers are the same when the rows agree in order,
// numbers compared after rounding to two decimals. Last, the EXPLAIN of
// both targets for the -plans slowest cairn queries.
//
//	cd bench && go run ./cmd/tpchvs -sf 1
package main
