// Package types holds cairn's SQL types: their PostgreSQL OIDs, the Go
// form of their values (Datum), text input and output, casts, comparison,
// and the storage encoding of rows and keys.
//
// # Layout
//
// One file per type family, each declaring its types' IDs and
// registering them (registry.go) with their names, size, array type, text
// input, modifiers and casts:
//
//	bool.go      boolean
//	numeric.go   int2, int4, int8, float4, float8, numeric (float4's
//	             input, output and casts in float4.go)
//	text.go      text, varchar(n), character(n), unknown
//	bytea.go     bytea (hex and escape formats)
//	uuid.go      uuid
//	network.go   inet, cidr (InetValue), macaddr, macaddr8: input as
//	             inet_net_pton and sscanf read it, output as
//	             inet_net_ntop writes it, network_cmp's order; cidr
//	             converts to inet implicitly, inet to cidr in an
//	             assignment (Info.assignment, AssignmentCast), macaddr
//	             and macaddr8 each to the other implicitly
//	geometry.go  point, lseg, line, box, path, polygon, circle (Point,
//	             Lseg, Line, Box, *Path, *Polygon, Circle): every input
//	             form of geo_ops.c, output as float8out_internal prints
//	             (Style's extra_float_digits), pg_cast's conversions
//	             between them (computed in package builtins through
//	             GeoCast); no SQL order (Compare's is internal only); box
//	             arrays are delimited by ';' (typdelim)
//	money.go     money (Money, cents): cash_in and cash_out in the C
//	             locale, casts from numeric, int4 and int8 and to numeric
//	datetime.go  date, timestamp, timestamptz, timestamp(p)
//	datetimein.go date and time text in PostgreSQL's formats beyond ISO
//	             (DecodeDateTime), DateStyle's field order, infinity
//	interval.go  interval (months, days, microseconds), its modifiers
//	             (interval day to second(2)), every input style and the
//	             four IntervalStyle outputs
//	timeofday.go time, timetz
//	style.go     Style: the session's IntervalStyle and TimeZone, which
//	             the text of intervals and timestamptz values follows
//	zone.go      time zones by IANA name (the zone database is embedded,
//	             time/tzdata), offset or POSIX string
//	zoneabbrev.go the time-varying abbreviations of PostgreSQL's Default
//	             set (MSK means the offset Moscow gave it at the time)
//	catalog.go   oid, name, "char", regclass, regtype, regnamespace, regrole
//	json.go      json, jsonb (jsonparse.go: their input)
//	jsonpath.go  jsonpath (its parser and normalized text)
//	pseudo.go    void
//	enum.go      user-defined enums: their values (EnumValue) and input,
//	             given the labels the catalog keeps; their type ids are
//	             oids the registry does not know (T.IsUser)
//	array.go     the arrays of the types above: up to six dimensions
//	             with their lower bounds, PostgreSQL's text form
//	int2vector.go int2vector (pg_index.indkey), subscripted from 0
//	record.go    record: row values (RecordValue) typed by a RecordShape
//	             that names and types their fields; a shape with an OID
//	             is a composite type (CREATE TYPE AS), whose values have
//	             text input and are stored (without their shape)
//
// Everything that asks about a type by OID or by name asks the registry:
// T.Name, T.Size, T.Elem, ArrayOf, ParseText, Cast, Resolve (a written
// type name), Listed (what pg_type shows). Adding a type is a new family
// file, or a type registered in one, plus a case in the three places that
// dispatch on a value's Go form rather than on its type: FormatText
// (types.go), Compare (compare.go) and the row and key encoding
// (encoding.go), when the type brings a new Go form.
//
// # Contract
//
// Text input and output follow PostgreSQL 15's formats and errors: input
// errors carry SQLSTATE 22P02, 22003, 22007, 22008, 22015 or 22001, casts
// that do not exist 42846. FormatText, ParseText and Cast work in the
// default Style (IntervalStyle postgres, TimeZone UTC); FormatTextStyle,
// ParseTextStyle and CastStyle take the session's (with bytea_output,
// Style.ByteaEscape; with max_stack_depth, Style.MaxStackDepthKB, which
// lowers the nesting JSON input may have below JSONDepthMax), and
// StyleDependent says which conversions differ; ToJSONBStyle and
// AppendJSONTextStyle write timestamptz in the session's zone. Records
// become JSON objects of their fields. Intervals compare, group and key by
// their value with a month counted as 30 days and a day as 24 hours, so
// '1 mon' and '30 days' are equal. Timestamps and dates run from
// 4714-11-24 BC to the end of 294246 AD (microseconds since 1970 in an
// int64; PostgreSQL goes on to 294276), with infinity and -infinity at
// the two ends of the microsecond range (InfinityTime, NegInfinityTime).
// A Datum of type T has exactly the Go form the Datum
// comment lists; functions here may assume it (a value of another form is
// a bug in the caller, not bad input). Numeric arithmetic elsewhere
// computes in NumericContext.
//
// The row and key encodings (encoding.go) are on disk: changing them needs
// a format version. Equal keys encode to equal bytes, and integers,
// floats, strings, bytea, uuids, booleans, times and network addresses
// (family, network part, mask length, address) sort in their SQL
// order (numeric keys are canonical but sort in text order).
//
// # Imports
//
// types imports only internal/pgerr and sql/ast (Resolve reads an
// ast.TypeName). It knows nothing of the catalog, the session or storage:
// a regclass value is named by a function the caller passes (NewReg).
package types
