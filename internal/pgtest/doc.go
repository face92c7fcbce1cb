// Package pgtest starts a throwaway PostgreSQL 15 server for tests, so that
// cairn's answers can be compared with PostgreSQL's own.
//
// Start initializes a new cluster in a temporary directory, starts postgres
// on a free loopback port with fsync off and TimeZone UTC, waits until a
// connection succeeds, and registers a cleanup that stops the server and
// removes the directory. Every call starts its own server: tests that need
// several databases create them on the one server they were given (CREATE
// DATABASE), which keeps servers isolated without shared state between tests.
//
// The server runs PostgreSQL's binaries from /usr/lib/postgresql/15/bin. When
// they are missing, Start skips the test. initdb refuses to run as root, so
// when the test runs as root the server runs as an unprivileged system user
// (cairntest, created with useradd when missing). Authentication is trust for
// the superuser postgres. Any other failure fails the test with the server's
// log. The server is also killed if the test process dies first.
package pgtest
