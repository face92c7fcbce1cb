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
// the overload's types and calls Fn, which sees no NULL unless the
// overload is CalledOnNull (concat_ws, format, quote_nullable).
//
// An overload with VariadicAny has a trailing VARIADIC "any" parameter
// (concat, concat_ws, format): it takes one or more further arguments of
// any types, unconverted, and runs AnyFn with their types and the
// session's output Style, so it can render each as its output function
// would. A call written f(..., VARIADIC arr) passes the array's
// elements instead (AnyCall.Spread); a non-array there is 42804, and
// VARIADIC with a function that has no such parameter is 42883.
//
// Operators are registered the same way under their symbol
// (registerOperator, LookupOperator): the integer bitwise operators &, |,
// #, ~, << and >>, and the prefix |/ and ||/ of float8 (bitops.go). Their
// resolution errors speak of operators, as PostgreSQL's do.
//
// # What is here
//
// The JSON functions with fixed argument types (json.go: jsonb_typeof,
// jsonb_set, jsonb_insert, jsonb_strip_nulls, jsonb_pretty, json_object,
// the function forms of the jsonb operators, ...) and the kernels of the
// json and jsonb operators, which the binder picks itself (sql/json.go);
// jsonpath evaluation (jsonpath.go) and the jsonb_path_* functions.
//
// The mathematical functions (math.go): abs, round, trunc, floor, ceil,
// ceiling, sign, sqrt, exp, ln, power, pow, mod, with PostgreSQL's
// overloads for cairn's numeric types. numeric.go has scale, min_scale,
// trim_scale, div, factorial, gcd, lcm, width_bucket and the numeric
// forms of sqrt, exp, ln and log, each computed to PostgreSQL's result
// scale with guard digits, truncated, then rounded once half away from
// zero. float8.go has the trigonometric functions in radians and in
// degrees (computed as float.c does, so sind(30) is exactly 0.5), the
// hyperbolic ones, cbrt, pi, degrees, radians and float8(x). cbrt is Go's,
// which is correctly rounded where glibc's is not always (cbrt(27) is
// 3.0000000000000004 in PostgreSQL on glibc, 3 here).
//
// The string functions (text.go): concat, concat_ws, format, left,
// right, lpad, rpad, split_part, translate, ascii, chr, initcap, to_hex,
// overlay, unistr, starts_with, quote_ident, quote_literal,
// quote_nullable, substr and substring (by position, by POSIX regexp and
// by SIMILAR pattern), like_escape and similar_to_escape, which the
// parser's LIKE ... ESCAPE and SIMILAR TO call. The regular expression
// functions (regexp.go): regexp_match, regexp_replace, regexp_count,
// regexp_instr, regexp_like, regexp_substr, regexp_split_to_array, and
// the kernels of regexp_matches and regexp_split_to_table and of the ~
// operators. PostgreSQL's AREs run on Go's RE2 after a translation;
// regexp.go lists what differs (back-references and lookaround are
// 0A000). The functions only bytea and uuid have (bytea.go): encode,
// decode, get_byte, set_byte, get_bit, set_bit, bit_count, the SHA-2
// digests, float4send, float8send, gen_random_uuid, and of pgcrypto and
// uuid-ossp digest, gen_random_bytes and uuid_generate_v4. The functions
// and operators of inet, cidr, macaddr and macaddr8 (network.go): host,
// hostmask, masklen, set_masklen, netmask, network, broadcast, family,
// abbrev, text, inet_same_family, inet_merge, trunc, macaddr8_set7bit,
// the function-style casts inet(x), cidr(x), macaddr(x) and macaddr8(x),
// and the operators << <<= >> >>= && ~ & | + and -, which the binder
// sends here when an operand has one of those types (sql/network.go).
// The operators and functions of the geometric types (geometry.go, with
// geo_ops.c's computations ported in geoops.go to its order of float
// operations, its EPSILON comparisons and its float8 overflow, underflow
// and division errors) and of money (money.go: arithmetic with its
// overflow checks, cashlarger, cashsmaller, cash_words); the binder sends
// an operator here when an operand is geometric or money
// (sql/geometry.go).
// The bytea forms of text functions (length, substring, trim, ...) are
// the binder's
// (sql/bytea.go). The arithmetic operators' kernels (arith.go) are here
// too, float4's included; the
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
