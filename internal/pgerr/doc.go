// Package pgerr carries PostgreSQL SQLSTATE codes on Go errors.
//
// Any layer that knows the SQL condition behind a failure attaches a code with
// New or Wrap; layers above only read it with Code. The wire protocol formats
// the code, message, detail, hint and position; an error that carries no code
// is reported as XX000 (internal_error). When errors are wrapped several
// times, the innermost code wins, except that an inner XX000 is overridden by
// a more specific outer code.
//
// The message a client reads is the whole chain's (err.Error()), unless an
// error in it is marked Complete: then that error's message, detail and
// hint are shown alone (Shown), and the Go context that layers above added
// appears only in logs. Storage failures (53100 disk full, 58030 I/O error)
// are Complete, so that clients read PostgreSQL's wording.
//
// This package imports nothing from cairn and must stay a leaf.
package pgerr
