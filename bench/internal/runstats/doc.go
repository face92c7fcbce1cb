// Package runstats summarizes the repeated runs of a benchmark: the median
// a ratio is taken from, and the spread of the runs around it, which shows
// whether throughput held over consecutive runs. Callers pass at least one
// run; nothing here asserts a figure.
package runstats
