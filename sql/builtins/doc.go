// Package builtins holds cairn's built-in functions and operators as a
// registry: a function is a name with overloads, each overload its
// argument types, result type and implementation.
//
// # Resolution
//
// Func.Resolve picks the overload a call runs from its arguments' types,
// as PostgreSQL's func_get_detail and func_select_candidate do: an exact
// match first; else the overloads every argument converts to implicitly
// (types.ImplicitCast: pg_cast's implicit casts, and an untyped literal
// to anything), narrowed by exact matches, then by the preferred type of
// each argument's category (types.Info.Category, Preferred), then by the
// category of untyped arguments (string first), then by taking untyped
// arguments to have the one type the typed ones share. No overload is
// 42883 "function f(...) does not exist"; several left is 42725 "is not
// unique", with PostgreSQL's hints. The binder converts the arguments to
// the overload's types and calls Fn, which sees no NULL: built-in
// functions are strict.
//
// # What is here
//
// The mathematical functions (math.go): abs, round, trunc, floor, ceil,
// ceiling, sign, sqrt, exp, ln, power, pow, mod, with PostgreSQL's
// overloads for cairn's numeric types; sqrt, exp and ln lack their numeric
// forms. The arithmetic operators' kernels (arith.go) are here too; the
// binder still chooses the operator's types itself (sql/bind.go). Every
// other function is still a case of the binder's switch in sql/funcs.go,
// and moves here family by family.
//
// The date and time functions (datetime.go): extract and date_part of
// interval, date, timestamp, time and timetz, date_trunc of timestamp and
// interval, age, justify_hours, justify_days, justify_interval,
// make_interval, make_date, make_time, make_timestamp and isfinite, with
// the kernels of the date, time and interval operators. Their
// timestamptz forms need the session's TimeZone and are bound in package
// sql (datetime.go), which calls the kernels here.
//
// Adding a function is registering its overloads in its family's init
// function; adding an overload to an existing name may change which one
// existing calls resolve to, as it would in PostgreSQL.
//
// # Imports
//
// builtins imports sql/types and internal/pgerr. It knows nothing of the
// binder, the catalog or the session.
package builtins
