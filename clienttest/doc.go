// Package clienttest runs the client libraries and tools that applications
// use against a real cairn binary: golang-migrate's pgx driver, GORM, and
// pgJDBC's DatabaseMetaData (through a small Java program, compared with
// PostgreSQL 15). It is a module of its own so that those libraries never
// enter cairn's go.mod; `go test ./...` here builds cairn from the
// enclosing module first.
package clienttest
