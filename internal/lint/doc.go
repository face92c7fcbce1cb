// Package lint holds tests of the code base's shape rather than of its
// behaviour, as Pebble's internal/lint does. TestImportDirection keeps
// imports pointing down the layers docs/ARCHITECTURE.md draws: cmd/cairn,
// sqltest, the cairn package, pgwire, sql, sql/catalog, sql/parser,
// sql/builtins, sql/types, sql/ast, heap, txn, checkpoint, wal, lsm,
// internal/*. It also keeps pg_query_go inside sql/parser, and SQL out of
// the storage packages and their tests. A new package must be given its
// layer there.
//
// The package has no code of its own, and nothing imports it.
package lint
