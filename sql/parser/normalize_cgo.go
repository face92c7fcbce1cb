//go:build cgo

package parser

import pgquery "github.com/pganalyze/pg_query_go/v6"

// normalize runs libpg_query's normalizer on the calling thread: its text
// is short (normalizeTextBytesMax) and has parsed already, so its depth is
// bounded.
func normalize(text string) (string, error) { return pgquery.Normalize(text) }
