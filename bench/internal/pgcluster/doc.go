// Package pgcluster runs throwaway PostgreSQL 15 clusters for the
// benchmarks: initdb into a directory, start the server on a free loopback
// port with extra settings, stop it (fast shutdown) or crash it (immediate
// shutdown), and read its log.
//
// When the benchmark runs as root, initdb and postgres run as the
// unprivileged user cairntest (created with useradd if missing), since
// PostgreSQL refuses to run as root.
package pgcluster
