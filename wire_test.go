package cairn_test

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/pgwire"
)

// openMemoryDB opens an in-memory database that is closed when the test
// ends.
func openMemoryDB(t *testing.T) *cairn.DB {
	t.Helper()
	db, err := cairn.Open(cairn.MemoryDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// serveWire serves db over the wire on a loopback port until stop is called
// or the test ends (which stops the server before the database closes).
func serveWire(t *testing.T, db *cairn.DB, opts pgwire.Options) (srv *pgwire.Server, addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv = pgwire.NewServer(pgwire.SQLEngine(db.Engine()), opts)
	go srv.Serve(ln)
	var once sync.Once
	stop = func() { once.Do(func() { srv.Shutdown(context.Background()) }) }
	t.Cleanup(stop)
	return srv, ln.Addr().String(), stop
}

// wireURL is the connection string of the postgres user at addr.
func wireURL(addr string) string {
	return "postgres://postgres@" + addr + "/postgres?sslmode=disable"
}
