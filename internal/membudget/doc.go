// Package membudget bounds the memory a server gives to work that clients
// can make arbitrarily large: message bodies, parse trees, and the rows and
// aggregate states a statement materializes.
//
// A Budget is a byte count with a limit. Work that can wait for memory
// (reading a large message, parsing a large statement) calls Acquire, which
// waits, in arrival order, until the bytes fit or its context ends. Work
// that is already running and cannot wait without risking a deadlock (a
// statement growing its sort) calls TryAcquire, which never waits and
// succeeds whenever the bytes fit, even while others queue in Acquire; the
// caller turns a refusal into SQLSTATE 53200. A request larger than the
// whole limit is treated as a request for the whole limit, so it runs
// alone rather than never.
//
// Release returns bytes. When a release leaves the budget idle after large
// reservations, the budget calls its OnIdle hook (from a new goroutine, at
// most once per IdleInterval), which a server uses to hand freed memory back
// to the operating system.
//
// A nil *Budget is valid and unlimited. Budget is safe for concurrent use.
// This package imports nothing from cairn.
package membudget
