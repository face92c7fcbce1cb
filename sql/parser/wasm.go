//go:build !cgo

package parser

// Without cgo, pg_query's C code runs as WebAssembly on the wazero runtime
// (github.com/wasilibs/go-pgquery), which produces the same protobuf
// encoding of the same parse trees. It is about five times slower than the
// C build. WebAssembly runs on its own stack, so no parsing thread is
// needed; the prescan's depth limit still applies.

import (
	"errors"
	"fmt"

	wasmparser "github.com/wasilibs/go-pgquery/parser"
)

// WebAssembly's stack is small and a trap leaves go-pgquery's pooled
// instance unusable, so the bound counts prefix operators too and stays
// well under what overflows it (measured: 3,000 chained additions parse,
// 4,000 trap; 1,200 nested subqueries, some 3,600 levels, parse).
//
// The WebAssembly deparser is shallower still: a tree nested about 200
// protobuf messages deep (94 chained additions, 32 nested subqueries)
// leaves the module's memory damaged so that later parses fail, and 160
// nested UNIONs trap. Deparse refuses trees deeper than deparseDepthMax
// messages.
const (
	buildDepthMax   = 1000
	countPrefixOps  = true
	cgoBuild        = false
	deparseDepthMax = 100
)

// cError is an error reported by the parser or deparser.
type cError struct {
	message   string
	cursorPos int // 1-based character position in the input; 0: none
}

func (e *cError) Error() string { return e.message }

// parseC parses text into pg_query's protobuf encoding of its parse tree.
func parseC(text string, _ bool) (tree []byte, err error) {
	defer trapped(&err)
	tree, err = wasmparser.ParseToProtobuf(text)
	return tree, wasmError(err)
}

// deparseC turns a protobuf-encoded parse tree back into SQL text.
func deparseC(tree []byte) (text string, err error) {
	defer trapped(&err)
	text, err = wasmparser.DeparseFromProtobuf(tree)
	return text, wasmError(err)
}

func wasmError(err error) error {
	var pe *wasmparser.Error
	if errors.As(err, &pe) {
		return &cError{message: pe.Message, cursorPos: pe.Cursorpos}
	}
	return err
}

// trapped turns a trap of the WebAssembly module (go-pgquery panics with
// it) into an error for this parse.
func trapped(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("parser: the WebAssembly parser trapped: %v", r)
	}
}
