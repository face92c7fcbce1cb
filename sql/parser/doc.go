// Package parser runs PostgreSQL's own grammar (libpg_query, through
// pg_query_go, or as WebAssembly without cgo) over query strings, safely: it
// is the only code in cairn that calls into the C parser.
//
// # Why it is more than a call
//
// The C parser has no stack-depth checks of its own on the paths cairn uses
// (libpg_query never sets PostgreSQL's stack base), and a stack overflow in
// C cannot be recovered in Go: it takes the whole process, every connection
// with it. Its protobuf writer is also quadratic in nesting depth. So before
// any text reaches it, a linear prescan (scan.go) computes an upper bound on
// each statement's nesting; a statement above depthMax is refused with
// 54001 "stack depth limit exceeded", as PostgreSQL refuses deep
// expressions. A statement whose bound exceeds inlineDepthMax is parsed on a
// thread whose C stack is parseStackBytes, so the bound, not the operating
// system's stack limit, is what decides. Deparsing runs on such a thread
// too.
//
// A query string longer than chunkBytesMax is parsed in chunks of whole
// statements, cut where the prescan saw a statement end; the context is
// checked between chunks, so a cancel request or a statement timeout ends a
// megabyte-long string of statements promptly. Positions in errors are
// relative to the whole string. A string holding a SQL-standard function
// body (BEGIN ATOMIC) is parsed whole, since its semicolons do not end
// statements.
//
// The scanner reports, as PostgreSQL's does, a NOTICE (42622) for each
// identifier longer than 63 bytes that will be truncated; identifiers with
// Unicode escapes (U&"...") are not checked.
//
// # Without cgo
//
// A build with CGO_ENABLED=0 runs the same C code compiled to WebAssembly
// (github.com/wasilibs/go-pgquery on wazero, wasm.go), with the same
// protobuf encoding of the same trees. Its stack is small and a trap
// damages its pooled instance, so its depth limit is lower (1,000 levels,
// prefix operators counted) and Deparse refuses trees deeper than 100
// protobuf messages (54001); a trap that still happens is an error for that
// call, not a crash.
//
// # Contract
//
// Parse returns pg_query's parse trees; the translation into cairn's AST
// lives in package sql for now, and moves here when the AST leaves that
// package. Errors carry SQLSTATEs (internal/pgerr). Parse and Deparse are
// safe for concurrent use.
package parser
