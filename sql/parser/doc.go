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
// ParsePLpgSQL runs pg_query's PL/pgSQL parser over a whole CREATE
// FUNCTION ... LANGUAGE plpgsql statement (plpgsql.go) and returns its
// JSON for package plpgsql, or the compile error with PostgreSQL's message,
// its SQLSTATE and the body's line. It runs on the calling thread; the
// text is bounded by plpgsqlBytesMax.
//
// # Translation
//
// ParseStatements hands each chunk's trees to the translator
// (translate.go, translate_ddl.go), which turns them into cairn's AST
// (package ast) and refuses with 0A000 what cairn does not run. The
// translator limits expression nesting to ExprDepthMax (54001), counts
// error positions in characters from the start of the whole string, and
// truncates identifiers to 63 bytes (TruncateIdent). Column defaults and
// view queries keep their SQL text, rendered by PostgreSQL's own deparser,
// for the catalog. The grammar is PostgreSQL 17's; what it accepts that
// PostgreSQL 15 does not is refused with 15's error: MERGE's RETURNING and
// WHEN NOT MATCHED BY SOURCE (42601 at the keyword), WITH RECURSIVE on
// MERGE.
//
// DeparseDefault and DeparseView read such stored text again and print
// it as PostgreSQL 15's pg_get_expr and pg_get_viewdef do (deparse.go,
// viewdef.go): literals typed, implicit casts shown or hidden, operands
// parenthesized, columns qualified. They know the types through package
// types and the tables a view reads through ViewTable, which the caller
// fills from its catalog; where they cannot render an expression they say
// so, and the caller shows the stored text. DeparseView follows
// ruleutils.c's layout and naming (viewdef_query.go): * expanded, NATURAL
// joins as USING, join and USING aliases, subqueries and VALUES in FROM,
// set operations, WITH clauses (RECURSIVE, MATERIALIZED, SEARCH, CYCLE;
// viewdef_with.go), FROM items named apart from those of enclosing levels
// (t t_1) as set_rtable_names does, and the column renaming
// set_using_names does around a bare USING column. CanonicalView is the same text without pretty,
// which is what a view stores; RenameViewColumn, ExtendViewAliases and
// DropViewAlias rewrite that stored text when a column it reads is
// renamed, added or dropped, so that it keeps reading the same columns
// (viewrename.go).
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
// This is the only package that imports pg_query_go (internal/lint checks
// it): its node types do not leave it. Parse, Chunk and Deparse work on
// pg_query's trees and are called only from this package's own code;
// every other package receives ast nodes from ParseStatements. Errors carry SQLSTATEs
// (internal/pgerr). Every function is safe for concurrent use.
//
// # Imports
//
// parser imports sql/ast, sql/types and internal/pgerr. It must not import
// package sql, sql/catalog or anything below them in the storage layers.
package parser
