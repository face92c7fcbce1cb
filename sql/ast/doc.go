// Package ast is cairn's syntax tree for SQL: what a statement says,
// before any name or type is resolved. Package parser builds it from
// PostgreSQL's parse tree; the binder in package sql reads it.
//
// # Contract
//
// Nodes are plain data. Every expression keeps the 1-based character
// position of its start in the query string (Expr.Position; 0 when
// unknown), so that errors found later can point at it, as PostgreSQL's
// do. Names are as PostgreSQL reads them: unquoted identifiers folded to
// lower case, every identifier truncated to 63 bytes. A statement knows
// its command tag (Stmt.Tag) as PostgreSQL's CommandComplete spells it,
// before any row count. WalkExpr visits an expression's children; it does
// not enter subqueries.
//
// The tree is what cairn runs, not all PostgreSQL can say: the parser
// refuses with 0A000 what has no node here.
//
// # Imports
//
// ast imports nothing of cairn's. In particular it never sees the parser's
// protobuf node types (only package parser does) and knows no SQL types:
// a type in a statement is a TypeName, as written.
package ast
