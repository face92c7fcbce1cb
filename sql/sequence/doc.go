// Package sequence is the arithmetic of SQL sequences, as PostgreSQL 15
// has it: the options of CREATE and ALTER SEQUENCE and their checks
// (Apply, with PostgreSQL's messages and SQLSTATE 22023), nextval's fetch
// of the next value with a session's cache and the values logged ahead
// (Next), and setval's bounds (SetVal).
//
// It is a pure core: no locks, no storage. Package sql keeps each
// sequence's State in memory behind one mutex per sequence and makes it
// durable through package heap; the options live in the sequence's
// catalog descriptor.
//
// # Logging ahead
//
// A nextval that finds fewer values logged than it needs (State.LogCnt)
// fetches LogAhead values more and asks for a log record (Fetched.Log)
// holding the last value fetched (Fetched.Logged). The caller must write
// that record before it hands out Result; the values up to Logged are then
// safe to hand out without writing anything, and recovery, which starts
// from the logged value with nothing logged ahead, continues past every
// value that could have been handed out. A bound stops the fetch early
// (never past MAXVALUE or MINVALUE, cycling or not), as in PostgreSQL.
//
// # Imports
//
// sequence imports internal/pgerr and sql/types only.
package sequence
