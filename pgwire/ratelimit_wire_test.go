package pgwire

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// connectFrom connects as user from the loopback address ip, with the
// given startup parameters, using the simple protocol.
func connectFrom(t *testing.T, ts *testServer, ip, user string, params map[string]string) (*pgx.Conn, error) {
	t.Helper()
	cfg, err := pgx.ParseConfig(ts.dsn(user, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	for k, v := range params {
		cfg.RuntimeParams[k] = v
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	cfg.DialFunc = d.DialContext
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err == nil {
		t.Cleanup(func() { conn.Close(context.Background()) })
	}
	return conn, err
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Severity + " " + pe.Code + " " + pe.Message
	}
	if err == nil {
		return "ok"
	}
	return "client: " + err.Error()
}

// TestConnectionRateWire: past its burst an address's next connection
// gets FATAL 53400; another address is unaffected.
func TestConnectionRateWire(t *testing.T) {
	ts := startServer(t, Options{Rates: RateLimits{
		ConnectionsPerAddress: RateLimit{PerSecond: 0.001, Burst: 2}, Wait: -1}}, nil)
	for i, tt := range []struct{ ip, want string }{
		{"127.0.0.2", "ok"},
		{"127.0.0.2", "ok"},
		{"127.0.0.2", "FATAL 53400 too many connections from address 127.0.0.2: the limit is 0.001 a second, 2 at once"},
		{"127.0.0.3", "ok"},
		{"127.0.0.2", "FATAL 53400 too many connections from address 127.0.0.2: the limit is 0.001 a second, 2 at once"},
	} {
		_, err := connectFrom(t, ts, tt.ip, "postgres", nil)
		if got := pgCode(err); got != tt.want {
			t.Fatalf("connection %d from %s: %s, want %s", i, tt.ip, got, tt.want)
		}
	}
	// A refused connection took no slot.
	if n := ts.srv.Sessions(); n != 3 {
		t.Fatalf("%d sessions, want 3", n)
	}
}

// TestConnectionRolesRateWire: past its burst a role's next connection
// gets FATAL 53400, from any address; another role is unaffected.
func TestConnectionRolesRateWire(t *testing.T) {
	ts := startServer(t, Options{Rates: RateLimits{
		ConnectionsPerRole: RateLimit{PerSecond: 0.001, Burst: 1}, Wait: -1}}, nil)
	limited := "FATAL 53400 too many connections by role alice: the limit is 0.001 a second, 1 at once"
	for i, tt := range []struct{ ip, user, want string }{
		{"127.0.0.2", "alice", "ok"},
		{"127.0.0.2", "alice", limited},
		{"127.0.0.3", "alice", limited},
		{"127.0.0.2", "bob", "ok"},
	} {
		_, err := connectFrom(t, ts, tt.ip, tt.user, nil)
		if got := pgCode(err); got != tt.want {
			t.Fatalf("connection %d of %s from %s: %s, want %s", i, tt.user, tt.ip, got, tt.want)
		}
	}
}

// TestStatementRateWire: past its burst a role's next statement gets
// ERROR 53400 and the session goes on; another role is unaffected.
func TestStatementRateWire(t *testing.T) {
	ts := startServer(t, Options{Rates: RateLimits{
		StatementsPerRole: RateLimit{PerSecond: 0.001, Burst: 2}, Wait: -1}}, nil)
	alice, err := connectFrom(t, ts, "127.0.0.1", "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	alice2, err := connectFrom(t, ts, "127.0.0.2", "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := connectFrom(t, ts, "127.0.0.1", "bob", nil)
	if err != nil {
		t.Fatal(err)
	}
	limited := "ERROR 53400 too many statements by role alice: the limit is 0.001 a second, 2 at once"
	for i, tt := range []struct {
		conn *pgx.Conn
		want string
	}{
		{alice, "ok"},
		{alice2, "ok"},
		{alice, limited},
		{alice2, limited},
		{bob, "ok"},
		{bob, "ok"},
		{alice, limited},
	} {
		var one int32
		err := tt.conn.QueryRow(context.Background(), "select 1::int4").Scan(&one)
		if got := pgCode(err); got != tt.want {
			t.Fatalf("statement %d: %s, want %s", i, got, tt.want)
		}
	}
}

// TestStatementRateWaitCancelled: a statement waiting for its token ends
// with 57014 on a CancelRequest or at statement_timeout, and its token is
// given back.
func TestStatementRateWaitCancelled(t *testing.T) {
	ts := startServer(t, Options{Rates: RateLimits{
		StatementsPerRole: RateLimit{PerSecond: 0.001, Burst: 1}, Wait: time.Hour}}, nil)
	waiting := make(chan time.Duration, 1)
	ts.srv.rates.sleep = func(ctx context.Context, d time.Duration) error {
		waiting <- d
		return sleepContext(ctx, d)
	}
	conn, err := connectFrom(t, ts, "127.0.0.1", "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "select 1::int4"); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := conn.Exec(context.Background(), "select 1::int4")
		errc <- err
	}()
	select {
	case d := <-waiting:
		if d < 999*time.Second || d > 1000*time.Second {
			t.Fatalf("waits %v for the next token, want about 1000 s", d)
		}
	case err := <-errc:
		t.Fatalf("the statement did not wait: %s", pgCode(err))
	}
	if err := conn.PgConn().CancelRequest(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := pgCode(<-errc), "ERROR 57014 canceling statement due to user request"; got != want {
		t.Fatalf("cancelled wait: %s, want %s", got, want)
	}

	timed, err := connectFrom(t, ts, "127.0.0.1", "alice", map[string]string{"statement_timeout": "10ms"})
	if err != nil {
		t.Fatal(err)
	}
	// Past 10 s the client's own cancel would end it with another message.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = timed.Exec(ctx, "select 1::int4")
	select {
	case d := <-waiting:
		if d < 999*time.Second || d > 1000*time.Second {
			t.Fatalf("waits %v for the next token, want about 1000 s (the cancelled wait's token given back)", d)
		}
	default:
		t.Fatalf("the statement did not wait: %s", pgCode(err))
	}
	if got, want := pgCode(err), "ERROR 57014 canceling statement due to statement timeout"; got != want {
		t.Fatalf("timed out wait: %s, want %s", got, want)
	}
}
