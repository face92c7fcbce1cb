package sql

// Limits of the values and rows the type code reads.
const (
	// columnsMax is PostgreSQL's limit on columns in a table; a stored row
	// claiming more is corrupt.
	columnsMax = 1600
	// identifierBytesMax is NAMEDATALEN-1: longer names are truncated.
	identifierBytesMax = 63
)
