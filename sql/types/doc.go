// Package types holds cairn's SQL types: their PostgreSQL OIDs, the Go
// form of their values (Datum), text input and output, casts, comparison
// and the storage encoding of rows and keys.
package types
