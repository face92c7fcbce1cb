//go:build cgo

package parser

import pg "github.com/pganalyze/pg_query_go/v6"

// scanTokens is PostgreSQL's own scanner over q.
func scanTokens(q string) (*pg.ScanResult, error) { return pg.Scan(q) }
