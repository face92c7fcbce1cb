// Package histogram is a fixed-bucket histogram of float64 observations
// whose Observe is a few atomic adds, for the storage and SQL layers to
// record latencies and sizes without knowing who reads them. A reader
// takes a Snapshot (cumulative bucket counts, count and sum), as a
// Prometheus histogram exports them; the metrics package does that.
//
// A Snapshot taken while observations run may count an observation in its
// bucket but not yet in Count or Sum (or the reverse): each field is
// exact on its own, and they agree once observers are quiet.
package histogram
