//go:build !cgo

package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	wasmparser "github.com/wasilibs/go-pgquery/parser"
	"google.golang.org/protobuf/proto"
)

// scanTokens is PostgreSQL's own scanner over q.
func scanTokens(q string) (*pg.ScanResult, error) {
	buf, err := wasmparser.ScanToProtobuf(q)
	if err != nil {
		return nil, err
	}
	res := &pg.ScanResult{}
	return res, proto.Unmarshal(buf, res)
}
