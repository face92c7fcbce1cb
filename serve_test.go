package cairn_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	stdsql "database/sql"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn"
)

// served is a DB.Serve running in the background of a test.
type served struct {
	addr   *net.TCPAddr
	cancel context.CancelFunc
	errc   chan error
}

// startServe runs db.Serve on a loopback port until stop (or the end of
// the test, before the database closes).
func startServe(t *testing.T, db *cairn.DB, opts *cairn.ServeOptions) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{addr: ln.Addr().(*net.TCPAddr), cancel: cancel, errc: make(chan error, 1)}
	go func() { s.errc <- db.Serve(ctx, ln, opts) }()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop cancels Serve's context and returns what Serve returned (once;
// later calls return nil).
func (s *served) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err, ok := <-s.errc:
		if ok {
			close(s.errc)
		}
		return err
	case <-time.After(time.Minute):
		t.Fatal("Serve did not return within a minute of its context ending")
		return nil
	}
}

func (s *served) url(user, password, params string) string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/postgres?%s", user, password, s.addr.Port, params)
}

// goroutineIDs maps the id of every live goroutine to its stack.
func goroutineIDs() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := make(map[string]string)
	head := regexp.MustCompile(`^goroutine (\d+) `)
	for _, g := range strings.Split(string(buf), "\n\n") {
		if m := head.FindStringSubmatch(g); m != nil {
			out[m[1]] = g
		}
	}
	return out
}

// serverGoroutinesSince lists the goroutines of a wire server (its accept
// loops, connections and their helpers) started after before was taken.
func serverGoroutinesSince(before map[string]string) []string {
	var left []string
	for id, stack := range goroutineIDs() {
		if _, old := before[id]; old {
			continue
		}
		if exited(stack) {
			continue
		}
		if strings.Contains(stack, "github.com/cairndb/cairn/pgwire.") || strings.Contains(stack, "github.com/cairndb/cairn.(*DB).Serve") {
			left = append(left, stack)
		}
	}
	return left
}

// exited reports whether a goroutine's stack shows it has returned from
// its function and is only being torn down: the runtime may still list it
// for a moment after the WaitGroup it signalled let Serve return.
func exited(stack string) bool {
	lines := strings.SplitN(stack, "\n", 3)
	return len(lines) > 1 && strings.HasPrefix(lines[1], "runtime.goexit1(")
}

// TestServeSharesDatabase: a program serves its open database over the
// wire while using it through database/sql; each side sees the other's
// commits and none of its uncommitted writes, a REPEATABLE READ
// transaction on either side keeps its snapshot across the other's
// commits, psql reads the same rows, and when the context ends Serve ends
// the wire sessions, returns nil and leaves no goroutine behind while
// database/sql goes on.
func TestServeSharesDatabase(t *testing.T) {
	db, err := cairn.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sdb := stdsql.OpenDB(cairn.NewConnector(db))
	t.Cleanup(func() { sdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	before := goroutineIDs()
	s := startServe(t, db, nil)
	wire, err := pgx.Connect(ctx, s.url("postgres", "", "sslmode=disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer wire.Close(context.Background())

	mustSQL := func(q string, args ...any) {
		t.Helper()
		if _, err := sdb.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("database/sql %s: %v", q, err)
		}
	}
	mustWire := func(q string, args ...any) {
		t.Helper()
		if _, err := wire.Exec(ctx, q, args...); err != nil {
			t.Fatalf("pgx %s: %v", q, err)
		}
	}
	type sqlQuerier interface {
		QueryContext(context.Context, string, ...any) (*stdsql.Rows, error)
	}
	sqlSum := func(q sqlQuerier) int64 {
		t.Helper()
		var n int64
		rows, err := q.QueryContext(ctx, "select coalesce(sum(v), 0) from kv")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatal("no row")
		}
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	type querier interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}
	wireSum := func(q querier) int64 {
		t.Helper()
		var n int64
		if err := q.QueryRow(ctx, "select coalesce(sum(v), 0) from kv").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	mustSQL("create table kv (k text primary key, v int8)")
	mustWire("insert into kv values ($1, $2)", "wire", 1)
	if got := sqlSum(sdb); got != 1 {
		t.Fatalf("database/sql sees sum %d after the wire insert, want 1", got)
	}
	mustSQL("insert into kv values ($1, $2)", "embedded", 10)
	if got := wireSum(wire); got != 11 {
		t.Fatalf("pgx sees sum %d after the database/sql insert, want 11", got)
	}

	// A wire transaction: its snapshot holds across a database/sql
	// commit, and its own write stays invisible until it commits.
	wtx, err := wire.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	if got := wireSum(wtx); got != 11 {
		t.Fatalf("wire transaction starts at sum %d, want 11", got)
	}
	mustSQL("insert into kv values ('during', 100)")
	if got := wireSum(wtx); got != 11 {
		t.Errorf("wire REPEATABLE READ transaction sees sum %d after a database/sql commit, want its snapshot's 11", got)
	}
	if _, err := wtx.Exec(ctx, "insert into kv values ('wiretx', 1000)"); err != nil {
		t.Fatal(err)
	}
	if got := sqlSum(sdb); got != 111 {
		t.Errorf("database/sql sees sum %d while the wire transaction is open, want 111 (not its write)", got)
	}
	if err := wtx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := sqlSum(sdb); got != 1111 {
		t.Errorf("database/sql sees sum %d after the wire commit, want 1111", got)
	}

	// The other way round: a database/sql transaction.
	stx, err := sdb.BeginTx(ctx, &stdsql.TxOptions{Isolation: stdsql.LevelRepeatableRead})
	if err != nil {
		t.Fatal(err)
	}
	if got := sqlSum(stx); got != 1111 {
		t.Fatalf("database/sql transaction starts at sum %d, want 1111", got)
	}
	mustWire("insert into kv values ('wire2', 10000)")
	if got := sqlSum(stx); got != 1111 {
		t.Errorf("database/sql REPEATABLE READ transaction sees sum %d after a wire commit, want 1111", got)
	}
	if _, err := stx.ExecContext(ctx, "insert into kv values ('sqltx', 100000)"); err != nil {
		t.Fatal(err)
	}
	if got := wireSum(wire); got != 11111 {
		t.Errorf("pgx sees sum %d while the database/sql transaction is open, want 11111", got)
	}
	// First updater wins across the two: the wire session updates a row
	// the database/sql transaction's snapshot predates, and that
	// transaction's update of it fails with 40001.
	mustWire("update kv set v = v + 1 where k = 'embedded'")
	if _, err := stx.ExecContext(ctx, "update kv set v = v + 2 where k = 'embedded'"); err == nil || !strings.Contains(err.Error(), "could not serialize access due to concurrent update") {
		t.Errorf("database/sql update of a row the wire session changed since its snapshot: %v, want 40001", err)
	}
	stx.Rollback()
	if got := wireSum(wire); got != 11112 {
		t.Errorf("pgx sees sum %d after the database/sql rollback, want 11112", got)
	}

	// database/sql ends a wire session: one engine, one set of backends.
	victim, err := pgx.Connect(ctx, s.url("postgres", "", "sslmode=disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close(context.Background())
	var pid int32
	if err := victim.QueryRow(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	var ended bool
	if err := sdb.QueryRowContext(ctx, "select pg_terminate_backend($1)", pid).Scan(&ended); err != nil || !ended {
		t.Errorf("pg_terminate_backend(%d) through database/sql: %v, %v; want true", pid, ended, err)
	}
	if err := victim.Ping(ctx); err == nil || !strings.Contains(err.Error(), "57P01") {
		t.Errorf("the terminated wire session: %v, want 57P01", err)
	}

	// psql, a third client on the same database.
	if psql, err := exec.LookPath("psql"); err == nil {
		cmd := exec.CommandContext(ctx, psql, "-X", "-At", "-h", "127.0.0.1", "-p", fmt.Sprint(s.addr.Port), "-U", "postgres", "-d", "postgres",
			"-c", "select k from kv order by k", "-c", "insert into kv values ('psql', 0)")
		cmd.Env = append(os.Environ(), "PGSSLMODE=disable", "PGCONNECT_TIMEOUT=10")
		out, err := cmd.CombinedOutput()
		if want := "during\nembedded\nwire\nwire2\nwiretx\nINSERT 0 1\n"; err != nil || string(out) != want {
			t.Errorf("psql: %v\n%s\nwant\n%s", err, out, want)
		}
		var n int
		if err := sdb.QueryRowContext(ctx, "select count(*) from kv where k = 'psql'").Scan(&n); err != nil || n != 1 {
			t.Errorf("database/sql sees %d rows psql inserted, %v; want 1", n, err)
		}
	} else {
		t.Log("no psql on PATH; skipping its check")
	}

	// A wire transaction left open when Serve stops is rolled back.
	if _, err := wire.Exec(ctx, "begin; insert into kv values ('lost', 1)"); err != nil {
		t.Fatal(err)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("Serve returned %v after its context ended, want nil", err)
	}
	if left := serverGoroutinesSince(before); len(left) > 0 {
		t.Errorf("%d server goroutines left after Serve returned:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	var pe interface{ SQLState() string }
	if err := wire.Ping(ctx); err == nil {
		t.Error("the wire session still answers after Serve returned")
	} else if errors.As(err, &pe) && pe.SQLState() != "57P01" {
		t.Errorf("wire session after Serve returned: %v, want 57P01 or a closed connection", err)
	}
	if _, err := net.DialTimeout("tcp", s.addr.String(), 5*time.Second); err == nil {
		t.Error("the listener still accepts after Serve returned")
	}
	mustSQL("insert into kv values ('after', 0)")
	var n int
	if err := sdb.QueryRowContext(ctx, "select count(*) from kv where k in ('after', 'lost')").Scan(&n); err != nil || n != 1 {
		t.Errorf("database/sql after Serve: %d rows of 'after' and 'lost', %v; want 1 (the open wire transaction rolled back)", n, err)
	}

	// The database can be served again.
	s2 := startServe(t, db, nil)
	wire2, err := pgx.Connect(ctx, s2.url("postgres", "", "sslmode=disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer wire2.Close(context.Background())
	if got := wireSum(wire2); got != 11112 {
		t.Errorf("a second Serve sees sum %d, want 11112", got)
	}
}

// writeCert makes a self-signed certificate for 127.0.0.1 that is its own
// CA, and writes it as PEM to dir/ca.crt for clients to verify with.
func writeCert(t *testing.T, dir string) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cairn test"},
		NotBefore:             time.Unix(0, 0),
		NotAfter:              time.Unix(1<<33, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "ca.crt")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, caFile
}

// TestServeOptions: Serve's TLS, HBA rules with SCRAM and connection
// limit take effect — a role made through database/sql logs in over
// verify-full with SCRAM-SHA-256-PLUS, a wrong password gets 28P01, no
// TLS gets 28000, one connection over the limit 53300 — and options Serve
// cannot use are refused before it serves.
func TestServeOptions(t *testing.T) {
	db := openMemoryDB(t)
	sdb := stdsql.OpenDB(cairn.NewConnector(db))
	t.Cleanup(func() { sdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := sdb.ExecContext(ctx, "create user alice password 'wonderland'"); err != nil {
		t.Fatal(err)
	}
	cert, caFile := writeCert(t, t.TempDir())
	opts := &cairn.ServeOptions{
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}},
		HBA:       "# only TLS, only SCRAM\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
	}
	verified := "sslmode=verify-full&sslrootcert=" + caFile + "&channel_binding=require"
	s := startServe(t, db, opts)
	c, err := pgx.Connect(ctx, s.url("alice", "wonderland", verified))
	if err != nil {
		t.Fatalf("alice over verify-full with SCRAM: %v", err)
	}
	var who string
	var ssl bool
	if err := c.QueryRow(ctx, "select current_user, (select ssl from pg_stat_ssl where pid = pg_backend_pid())").Scan(&who, &ssl); err != nil || who != "alice" || !ssl {
		t.Errorf("alice's session: user %q, ssl %v, %v", who, ssl, err)
	}
	if _, ok := c.PgConn().Conn().(*tls.Conn); !ok {
		t.Errorf("alice's connection is %T, not TLS", c.PgConn().Conn())
	}
	c.Close(ctx)
	for _, tc := range []struct{ user, password, params, want string }{
		{"alice", "wrong", verified, `password authentication failed for user "alice" (SQLSTATE 28P01)`},
		{"alice", "wonderland", "sslmode=disable", `no pg_hba.conf entry for host "127.0.0.1", user "alice", database "postgres", no encryption (SQLSTATE 28000)`},
		{"postgres", "", "sslmode=disable", `no pg_hba.conf entry for host "127.0.0.1", user "postgres", database "postgres", no encryption (SQLSTATE 28000)`},
	} {
		c, err := pgx.Connect(ctx, s.url(tc.user, tc.password, tc.params))
		if err == nil {
			c.Close(ctx)
			t.Errorf("%s/%s/%s connected; want %s", tc.user, tc.password, tc.params, tc.want)
		} else if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s/%s/%s: %v; want %s", tc.user, tc.password, tc.params, err, tc.want)
		}
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("Serve: %v", err)
	}

	// The connection limit, on a fresh Serve (whose sessions all ended).
	opts.MaxConnections, opts.ReservedConnections = 2, -1
	s = startServe(t, db, opts)
	for i := range 3 {
		c, err := pgx.Connect(ctx, s.url("alice", "wonderland", verified))
		if i < 2 && err != nil {
			t.Fatalf("connection %d of 2: %v", i+1, err)
		}
		if i < 2 {
			defer c.Close(context.Background())
			continue
		}
		if err == nil {
			c.Close(ctx)
			t.Errorf("a third connection with MaxConnections 2 was admitted")
		} else if !strings.Contains(err.Error(), "sorry, too many clients already (SQLSTATE 53300)") {
			t.Errorf("a third connection with MaxConnections 2: %v, want 53300", err)
		}
	}

	// One Serve at a time per database.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Serve(ctx, ln, nil); !errors.Is(err, cairn.ErrServing) {
		t.Errorf("a second Serve: %v, want ErrServing", err)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("Serve: %v", err)
	}

	// Options Serve refuses: it returns at once and closes the listener.
	for _, tc := range []struct {
		name string
		host string
		opts cairn.ServeOptions
		want string
	}{
		{"beyond loopback without rules", "0.0.0.0", cairn.ServeOptions{}, "accepts connections from other hosts"},
		{"bad rules", "127.0.0.1", cairn.ServeOptions{HBA: "host all all 127.0.0.1/32 nosuchmethod\n"}, "nosuchmethod"},
		{"only comments", "127.0.0.1", cairn.ServeOptions{HBA: "# nothing\n"}, "no client could connect"},
		{"all connections reserved", "127.0.0.1", cairn.ServeOptions{MaxConnections: 3}, "must be fewer than max connections"},
	} {
		ln, err := net.Listen("tcp", tc.host+":0")
		if err != nil {
			t.Fatal(err)
		}
		err = db.Serve(ctx, ln, &tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
		if tc.host == "0.0.0.0" && !errors.Is(err, cairn.ErrNoHBA) {
			t.Errorf("%s: %v does not wrap ErrNoHBA", tc.name, err)
		}
		if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s: the refused listener is not closed: %v", tc.name, err)
		}
	}
}

// TestServeClose: closing the database while it is served stops Serve,
// which returns nil, and ends its sessions before the database closes.
func TestServeClose(t *testing.T) {
	db, err := cairn.Open(cairn.MemoryDSN)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := startServe(t, db, nil)
	c, err := pgx.Connect(ctx, s.url("postgres", "", "sslmode=disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if err := db.Close(); err != nil {
		t.Fatalf("Close while serving: %v", err)
	}
	if err := s.stop(t); err != nil {
		t.Errorf("Serve stopped by Close: %v, want nil", err)
	}
	if err := c.Ping(ctx); err == nil {
		t.Error("the wire session answers after Close")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Serve(ctx, ln, nil); !errors.Is(err, cairn.ErrClosed) {
		t.Errorf("Serve of a closed database: %v, want ErrClosed", err)
	}
}

// TestServeListenerFails: when its listener fails (here: closed under it),
// Serve ends its sessions and returns the listener's error; the database
// goes on.
func TestServeListenerFails(t *testing.T) {
	db := openMemoryDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	before := goroutineIDs()
	errc := make(chan error, 1)
	go func() { errc <- db.Serve(ctx, ln, nil) }()
	c, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	ln.Close()
	if err := <-errc; !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve after its listener failed: %v, want the listener's error", err)
	}
	if left := serverGoroutinesSince(before); len(left) > 0 {
		t.Errorf("%d server goroutines left after Serve returned:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	if err := c.Ping(ctx); err == nil {
		t.Error("the wire session answers after Serve returned")
	}
	if err := db.Exec(ctx, "create table t (a int)"); err != nil {
		t.Errorf("the database after Serve returned: %v", err)
	}
}
