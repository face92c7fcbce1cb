package cairn

// SetWALSegmentBytes sets the WAL segment size o opens with, so that tests
// reach a new segment without writing 16 MiB.
func SetWALSegmentBytes(o *Options, n int64) { o.walSegmentBytes = n }
