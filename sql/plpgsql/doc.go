// Package plpgsql compiles and interprets PL/pgSQL as PostgreSQL 15 runs
// it: DO blocks, and the bodies of LANGUAGE plpgsql functions and
// procedures (package sql registers the language).
//
// # Compiling
//
// PostgreSQL's own PL/pgSQL grammar parses a body: sql/parser's
// ParsePLpgSQL runs pg_query's parser over a CREATE FUNCTION statement (a
// DO block is wrapped in one) and returns its JSON, which Build turns into
// a typed tree (tree.go). The grammar resolves variable names while it
// reads, so "not a known variable", assignments to CONSTANTs and RETURN
// NEXT in a non-SETOF function are compile errors there, with
// PostgreSQL's messages. Two things pg_query's JSON leaves out are read
// from the body's text (declscan.go): which block declares which variable
// (each BEGIN's DECLARE section, matched to datums in the parser's
// numbering order) and the variable of RETURN NEXT var. Its grammar also
// has no catalog: a variable declared with a table's or composite type's
// name is compiled as a scalar, so the engine declares those record for
// it and gives them their type back (DeclaredTypes, TypedRecord); and it
// leaves out RETURN's checks against the result type, which CheckReturns
// makes with PostgreSQL's messages. A function's name labels its
// outermost scope (f.param).
//
// Expressions and SQL statements stay text, with the block scope they
// were written in. Each runs through the engine's own binder as
// PostgreSQL does it (an expression is SELECT expr): a column reference
// that names a variable becomes a parameter carrying its value
// (Resolver); a name that is both a variable and a column is 42702, as
// under PostgreSQL's default plpgsql.variable_conflict = error. A
// statement is bound at its first run and kept in the Cache; it is bound
// again when a record variable it reads now holds a row of another shape.
//
// # Running
//
// Run interprets a body over a Runtime, which the engine (package sql)
// implements inside the session's transaction. The interpreter owns
// variables, control flow (IF, CASE with 20000 case_not_found, LOOP,
// WHILE, FOR over integers, queries and EXECUTE, FOREACH with SLICE,
// EXIT/CONTINUE with labels), SELECT INTO [STRICT] (P0002, P0003), FOUND
// and GET DIAGNOSTICS, RAISE (levels below EXCEPTION become Notices;
// EXCEPTION is P0001 unless a condition or ERRCODE says otherwise),
// ASSERT (P0004) and exception blocks: a block with handlers runs in a
// subtransaction (Runtime.Savepoint) that an error rolls back before the
// matching handler runs; WHEN OTHERS catches neither a cancel (57014) nor
// a failed assertion. SQLSTATE, SQLERRM and GET STACKED DIAGNOSTICS read
// the caught error; a bare RAISE rethrows it.
//
// Errors leaving a statement carry PostgreSQL's CONTEXT lines
// ("PL/pgSQL function inline_code_block line 3 at RAISE", after "SQL
// statement "..."" for a failed statement) in pgerr.Error.Where; the
// positions of errors inside the body's statements are dropped, since
// they do not point into the client's query.
//
// Loops check the context between iterations and statements, so a
// statement_timeout or a cancel request ends a runaway loop with 57014.
// Nesting of bodies (DO within EXECUTE, recursion) is bounded by the
// engine (54001).
//
// COMMIT and ROLLBACK go to Runtime.EndTransaction, which refuses them
// (2D000) unless the body is a top-level DO or CALL outside a transaction
// block, and inside an exception block.
//
// A trigger function (RETURNS trigger) has NEW, OLD and the TG_
// variables as its parameters (trigger.go); the engine passes a
// firing's values and reads the row RETURN gave.
//
// Cursors (cursor.go): a refcursor variable names a cursor of the
// session (Runtime.OpenCursor), so OPEN, FETCH, MOVE, CLOSE and FOR over
// a bound cursor work on cursors a caller may also FETCH from with SQL.
// Assignments reach into a variable's value (r.f.g := v, r.arr[i] := v).
// plpgsql.extra_warnings and extra_errors (extrachecks.go),
// plpgsql.check_asserts and #variable_conflict / plpgsql.variable_conflict
// are honoured; a variable of a domain type is checked on assignment.
//
// Not done: WHERE CURRENT OF a cursor, assignment to the TG_ variables,
// growing a multidimensional array by assignment, and the INTERNAL QUERY
// / position fields of errors inside the body's statements.
//
// The package imports no engine code: only types and pgerr, and
// sql/parser in tests. It is not safe for concurrent use; a Cache belongs
// to one session.
package plpgsql
