// Package clienttest runs the client libraries and tools that applications
// use against a real cairn binary: golang-migrate's pgx driver, GORM,
// pgJDBC's DatabaseMetaData, notifications and PreparedStatement paths
// (typed parameters past prepareThreshold, batches, fetch-size cursors,
// generated keys, TLS; through small Java programs), lib/pq, psycopg2 and psycopg 3 (through a Python script run
// by Debian's /usr/bin/python3), and node-postgres with pg-cursor (node/,
// whose packages `npm ci` installs from package-lock.json), psql (\du,
// \dp, \password, \c, the Unix socket, TLS with a CA the test makes) and
// failed logins timed against each other (TestAuthTiming), pgx's
// notifications in commit order and the extended protocol's row-limited
// Execute message by message (TestPgxProtocol), lib/pq's default sslmode
// against a TLS server (TestLibPQTLS), and a slow reader of a big result,
// with the server's resident memory watched (TestBackpressure). Most run
// the same steps against PostgreSQL 15 and compare the transcripts line
// by line. It is a module of its own so that those libraries never enter
// cairn's go.mod; `go test ./...` here builds cairn from the enclosing
// module first.
package clienttest
