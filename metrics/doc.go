// Package metrics exports cairn's counters to Prometheus. The layers below
// keep plain counters and histograms (checkpoint.Stats with the WAL's and
// the LSM's, sql.Stats with txn's, pgwire.Stats) and know nothing of
// Prometheus; a Collector reads them at each scrape and turns them into
// metric families named by Prometheus' conventions (cairn_ prefix, _total
// for counters, base units _seconds and _bytes). docs/metrics.md lists
// them.
//
// Only the cairn package (ServeOptions.MetricsListener) and cmd/cairn
// import this package; it imports the layers' Stats types and nothing
// imports it back.
//
// Reading the sources costs a few locks and map copies per scrape; nothing
// on a statement's path waits for a scrape.
package metrics
