//go:build !cgo

package parser

import pgquery "github.com/wasilibs/go-pgquery"

// normalize runs libpg_query's normalizer in WebAssembly.
func normalize(text string) (string, error) { return pgquery.Normalize(text) }
