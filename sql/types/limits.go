package types

// Limits of the values and rows the type code reads.
const (
	// columnsMax is PostgreSQL's limit on columns in a table; a stored row
	// claiming more is corrupt.
	ColumnsMax = 1600
	// identifierBytesMax is NAMEDATALEN-1: longer names are truncated.
	IdentifierBytesMax = 63
)
