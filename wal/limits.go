package wal

// Limits of the log. Going over one returns an error, never unbounded growth.
const (
	// MaxPayload is the largest record payload Append accepts (ErrTooLarge).
	MaxPayload = 64 << 20
	// headerSize is the fixed record header: length word and CRC word.
	headerSize = 8
	// defaultSegmentSize is the segment cut size when Options.SegmentSize
	// is zero.
	defaultSegmentSize = 16 << 20
)

// A payload length must fit the uint32 length word.
const _ = uint32(MaxPayload)
