// Package cairn is a transactional SQL database that speaks PostgreSQL's SQL
// and wire protocol. This package is the embedded entry point:
//
//	db, err := cairn.Open("./data")      // or cairn.Open(":memory:")
//	...
//	defer db.Close()
//
// and, through database/sql, with the driver this package registers:
//
//	import _ "github.com/cairndb/cairn"
//	conn, err := sql.Open("cairn", "./data")
//
// Open recovers the directory (replaying the write-ahead log from the last
// checkpoint) and starts a background checkpointer. Close checkpoints, so the
// next Open replays nothing. A directory must be opened by one DB at a time;
// database/sql handles opened on the same directory in one process share one
// DB.
//
// Errors returned by statements carry a PostgreSQL SQLSTATE: test for it with
//
//	var e interface{ SQLState() string }
//	if errors.As(err, &e) && e.SQLState() == "23505" { ... }
//
// This package must not know the wire protocol (pgwire); cmd/cairn joins the
// two.
package cairn
