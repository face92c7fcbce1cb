package pgwire

import (
	"context"
	dbsql "database/sql"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/cairndb/cairn/internal/membudget"
	"github.com/cairndb/cairn/internal/pgerr"
)

func connect(t *testing.T, ts *testServer, mode pgx.QueryExecMode) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(ts.dsn("postgres", "postgres") + "&application_name=cairntest")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = mode
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

var modes = []struct {
	name string
	mode pgx.QueryExecMode
}{
	{"extended", pgx.QueryExecModeCacheStatement},
	{"describe-exec", pgx.QueryExecModeDescribeExec},
	{"simple", pgx.QueryExecModeSimpleProtocol},
}

func TestStartupParametersSeenByPgx(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	conn := connect(t, ts, pgx.QueryExecModeCacheStatement)
	want := map[string]string{
		"server_version":              "15.18 (cairn)",
		"application_name":            "cairntest",
		"session_authorization":       "postgres",
		"TimeZone":                    "Etc/UTC",
		"DateStyle":                   "ISO, MDY",
		"standard_conforming_strings": "on",
		"integer_datetimes":           "on",
		"client_encoding":             "UTF8",
	}
	for name, v := range want {
		if got := conn.PgConn().ParameterStatus(name); got != v {
			t.Errorf("ParameterStatus(%q) = %q, want %q", name, got, v)
		}
	}
	if conn.PgConn().PID() == 0 {
		t.Error("BackendKeyData pid is 0")
	}
}

func TestQueryRowParams(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	instant := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	cases := []struct {
		name string
		sql  string
		arg  any
		dst  func() any
		want func(got any) bool
	}{
		{"int8", "select $1::int8", int64(-9000000000000001), func() any { return new(int64) },
			func(g any) bool { return *g.(*int64) == -9000000000000001 }},
		{"int4", "select $1::int4", int32(-7), func() any { return new(int32) },
			func(g any) bool { return *g.(*int32) == -7 }},
		{"int2", "select $1::int2", int16(3), func() any { return new(int16) },
			func(g any) bool { return *g.(*int16) == 3 }},
		{"float8", "select $1::float8", 2.25, func() any { return new(float64) },
			func(g any) bool { return *g.(*float64) == 2.25 }},
		{"bool", "select $1::bool", true, func() any { return new(bool) },
			func(g any) bool { return *g.(*bool) }},
		{"text", "select $1::text", "héllo wörld", func() any { return new(string) },
			func(g any) bool { return *g.(*string) == "héllo wörld" }},
		{"numeric", "select $1::numeric", pgtype.Numeric{Int: big.NewInt(-12345), Exp: -3, Valid: true},
			func() any { return new(pgtype.Numeric) },
			func(g any) bool { v, _ := g.(*pgtype.Numeric).Value(); return v == "-12.345" }},
		{"date", "select $1::date", day, func() any { return new(time.Time) },
			func(g any) bool { return g.(*time.Time).Equal(day) }},
		{"timestamp", "select $1::timestamp", instant, func() any { return new(time.Time) },
			func(g any) bool { return g.(*time.Time).Equal(instant) }},
		{"timestamptz", "select $1::timestamptz", instant, func() any { return new(time.Time) },
			func(g any) bool { return g.(*time.Time).Equal(instant) }},
		{"null", "select $1::text", nil, func() any { return new(*string) },
			func(g any) bool { return *g.(**string) == nil }},
	}
	for _, m := range modes {
		conn := connect(t, ts, m.mode)
		for _, c := range cases {
			t.Run(m.name+"/"+c.name, func(t *testing.T) {
				dst := c.dst()
				if err := conn.QueryRow(context.Background(), c.sql, c.arg).Scan(dst); err != nil {
					t.Fatalf("%s: %v", c.sql, err)
				}
				if !c.want(dst) {
					t.Errorf("%s with %v: got %v", c.sql, c.arg, dst)
				}
			})
		}
		t.Run(m.name+"/two params", func(t *testing.T) {
			var n int64
			var s string
			if err := conn.QueryRow(context.Background(), "select $1::int8, $2::text", 5, "five").Scan(&n, &s); err != nil {
				t.Fatal(err)
			}
			if n != 5 || s != "five" {
				t.Errorf("got %d %q", n, s)
			}
		})
	}
}

// TestTypedResults reads one row of every type in binary (extended) and
// text (simple) result format; both must give the same Go values.
func TestTypedResults(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			conn := connect(t, ts, m.mode)
			var (
				b              bool
				i2             int16
				i4             int32
				i8             int64
				f8             float64
				num            pgtype.Numeric
				txt, vc        string
				date, ts, tstz time.Time
				null           *string
			)
			err := conn.QueryRow(context.Background(), "select typed()").
				Scan(&b, &i2, &i4, &i8, &f8, &num, &txt, &vc, &date, &ts, &tstz, &null)
			if err != nil {
				t.Fatal(err)
			}
			numText, _ := num.Value()
			instant := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
			if !b || i2 != -12 || i4 != 123456 || i8 != -9000000000000001 || f8 != 1.5 || numText != "-123.4500" ||
				txt != "héllo" || vc != "abc" || !date.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) ||
				!ts.Equal(instant) || !tstz.Equal(instant) || null != nil {
				t.Errorf("got %v %v %v %v %v %v %q %q %v %v %v %v", b, i2, i4, i8, f8, numText, txt, vc, date, ts, tstz, null)
			}
		})
	}
}

func TestDatabaseSQL(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	db, err := dbsql.Open("pgx", ts.dsn("postgres", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	var n int64
	var s string
	if err := db.QueryRow("select $1::int8, $2::text", 41, "x").Scan(&n, &s); err != nil {
		t.Fatal(err)
	}
	if n != 41 || s != "x" {
		t.Errorf("got %d %q", n, s)
	}
	rows, err := db.Query("select generate_series(1, 4)")
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	if err := rows.Err(); err != nil || sum != 10 {
		t.Errorf("sum %d, err %v", sum, err)
	}
	if _, err := db.Exec("drop table if exists foo"); err != nil {
		t.Errorf("Exec: %v", err)
	}
}

func TestErrorsRoundTrip(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	cases := []struct {
		sql      string
		code     string
		message  string
		position int32
	}{
		{"selec 1", "42601", `syntax error at or near "selec"`, 1},
		{"select 1/0", "22012", "division by zero", 0},
		{"select 'x'::int4", "22P02", `invalid input syntax for type integer: "x"`, 0},
		{"select panic()", "XX000", "internal error: assignment to entry in nil map", 0},
	}
	for _, m := range modes {
		conn := connect(t, ts, m.mode)
		for _, c := range cases {
			t.Run(m.name+"/"+c.sql, func(t *testing.T) {
				var v any
				err := conn.QueryRow(context.Background(), c.sql).Scan(&v)
				var pe *pgconn.PgError
				if !errors.As(err, &pe) {
					t.Fatalf("%s: error %v is not a PgError", c.sql, err)
				}
				if pe.Code != c.code || pe.Message != c.message || pe.Position != c.position || pe.Severity != "ERROR" {
					t.Errorf("%s: got %s %s %q pos %d", c.sql, pe.Severity, pe.Code, pe.Message, pe.Position)
				}
				// The connection goes on.
				var one int32
				if err := conn.QueryRow(context.Background(), "select 1::int4").Scan(&one); err != nil || one != 1 {
					t.Errorf("after %s: %v %d", c.sql, err, one)
				}
			})
		}
	}
	if want := "panic in session"; !strings.Contains(ts.log.String(), want) || !strings.Contains(ts.log.String(), "goroutine") {
		t.Errorf("log lacks the panic and its stack")
	}
}

func TestPanicInPrepare(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	conn := connect(t, ts, pgx.QueryExecModeCacheStatement)
	_, err := conn.Exec(context.Background(), "prepare panic()")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "XX000" {
		t.Fatalf("got %v, want XX000", err)
	}
	var one int32
	if err := conn.QueryRow(context.Background(), "select 1::int4").Scan(&one); err != nil || one != 1 {
		t.Errorf("after panic: %v", err)
	}
}

func TestConnectErrors(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	cases := []struct{ user, db, code, message string }{
		{"postgres", "nosuchdb", "3D000", `database "nosuchdb" does not exist`},
		{"nosuchrole", "postgres", "28000", `role "nosuchrole" does not exist`},
		{"panicky", "postgres", "XX000", "internal error: NewSession exploded"},
	}
	for _, c := range cases {
		t.Run(c.user+"/"+c.db, func(t *testing.T) {
			_, err := pgx.Connect(context.Background(), ts.dsn(c.user, c.db))
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != c.code || pe.Message != c.message || pe.Severity != "FATAL" {
				t.Fatalf("got %v, want FATAL %s %s", err, c.code, c.message)
			}
		})
	}
	connect(t, ts, pgx.QueryExecModeCacheStatement)
}

func TestTransactionStatusNoticesAndParameters(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			cfg, _ := pgx.ParseConfig(ts.dsn("postgres", "postgres"))
			cfg.DefaultQueryExecMode = m.mode
			var notices []string
			cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n.Severity+" "+n.Message) }
			conn, err := pgx.ConnectConfig(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			ctx := context.Background()
			steps := []struct {
				sql    string
				code   string
				status byte
			}{
				{"begin", "", 'T'},
				{"select 1/0", "22012", 'E'},
				{"select 1::int4", "25P02", 'E'},
				{"rollback", "", 'I'},
				{"select 1::int4", "", 'I'},
			}
			for _, s := range steps {
				_, err := conn.Exec(ctx, s.sql)
				var pe *pgconn.PgError
				switch {
				case s.code == "" && err != nil:
					t.Errorf("%s: %v", s.sql, err)
				case s.code != "" && (!errors.As(err, &pe) || pe.Code != s.code):
					t.Errorf("%s: got %v, want %s", s.sql, err, s.code)
				}
				if got := conn.PgConn().TxStatus(); got != s.status {
					t.Errorf("after %s: status %c, want %c", s.sql, got, s.status)
				}
			}
			if _, err := conn.Exec(ctx, "set application_name = 'myapp'"); err != nil {
				t.Fatal(err)
			}
			if got := conn.PgConn().ParameterStatus("application_name"); got != "myapp" {
				t.Errorf("application_name = %q after SET", got)
			}
			if _, err := conn.Exec(ctx, "drop table if exists foo"); err != nil {
				t.Fatal(err)
			}
			if len(notices) != 1 || notices[0] != `NOTICE table "foo" does not exist, skipping` {
				t.Errorf("notices %q", notices)
			}
		})
	}
}

// TestBackendSessionPID: a session with a process id of its own has it
// sent in BackendKeyData and cancelled through it; an id that is not
// positive, or that another connection has, ends the connection with
// FATAL XX000.
func TestBackendSessionPID(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ts.dsn("pid-4242", "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if got := conn.PgConn().PID(); got != 4242 {
		t.Fatalf("BackendKeyData pid = %d, want the session's 4242", got)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := conn.Exec(context.Background(), "select pg_sleep(10)")
		errc <- err
	}()
	<-ts.eng.sleeping
	if err := conn.PgConn().CancelRequest(ctx); err != nil {
		t.Fatal(err)
	}
	var pe *pgconn.PgError
	if err := <-errc; !errors.As(err, &pe) || pe.Code != "57014" {
		t.Fatalf("cancelled through the session's pid: %v, want 57014", err)
	}
	for _, user := range []string{"pid-4242", "pid-0", "pid--5"} {
		_, err := pgx.Connect(ctx, ts.dsn(user, "postgres"))
		if !errors.As(err, &pe) || pe.Severity != "FATAL" || pe.Code != "XX000" {
			t.Errorf("connect as %s: %v, want FATAL XX000", user, err)
		}
	}
}

func TestCancelRequest(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	conn := connect(t, ts, pgx.QueryExecModeCacheStatement)
	errc := make(chan error, 1)
	go func() {
		_, err := conn.Exec(context.Background(), "select pg_sleep(10)")
		errc <- err
	}()
	<-ts.eng.sleeping
	if err := conn.PgConn().CancelRequest(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := <-errc
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
		t.Fatalf("got %v, want 57014", err)
	}
	var one int32
	if err := conn.QueryRow(context.Background(), "select 1::int4").Scan(&one); err != nil {
		t.Errorf("after cancel: %v", err)
	}
}

// TestStatementStopsWhenClientGone: a client that closes its connection
// while its statement runs stops the statement (as PostgreSQL's
// client_connection_check_interval does), instead of leaving it running.
func TestStatementStopsWhenClientGone(t *testing.T) {
	ts := startServer(t, Options{ClientCheckInterval: 10 * time.Millisecond}, nil)
	for _, pipelined := range []bool{false, true} {
		r := dialRaw(t, ts.addr)
		r.startup(map[string]string{"user": "postgres"})
		r.send(&pgproto3.Query{String: "select pg_sleep(10)"})
		if pipelined {
			// Unread messages behind the close do not hide it.
			r.send(&pgproto3.Query{String: "select 1"})
		}
		r.fe.Flush()
		<-ts.eng.sleeping
		r.nc.Close()
		select {
		case cause := <-ts.eng.stopped:
			if pgerr.Code(cause) != "08006" {
				t.Errorf("statement stopped by %v, want the lost client (08006)", cause)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the statement still runs 30 s after its client left")
		}
	}
}

// TestMessageMemoryBudget: a message body too large for the server's memory
// budget is skipped and answered with 53200, and the connection goes on,
// in the simple and the extended protocol.
func TestMessageMemoryBudget(t *testing.T) {
	budget := membudget.New(4<<20, membudget.Options{})
	ts := startServer(t, Options{Memory: budget}, nil)
	r := dialRaw(t, ts.addr)
	r.startup(map[string]string{"user": "postgres"})
	big := strings.Repeat(" ", 3<<20) + "select 1::int4"
	r.send(&pgproto3.Query{String: big})
	equalLines(t, "large query", r.roundTrip(), []string{"ERROR 53200 out of memory", "ReadyForQuery I"})
	r.send(&pgproto3.Parse{Query: big})
	r.send(&pgproto3.Bind{})
	r.send(&pgproto3.Execute{})
	r.send(&pgproto3.Sync{})
	equalLines(t, "large parse", r.roundTrip(), []string{"ERROR 53200 out of memory", "ReadyForQuery I"})
	r.send(&pgproto3.Query{String: "select 1::int4"})
	equalLines(t, "after", r.roundTrip(),
		[]string{"RowDescription col1:23/4/-1/f0", `DataRow "1"`, "CommandComplete SELECT 1", "ReadyForQuery I"})
	// A body that fits is read under a reservation given back afterwards.
	fits := strings.Repeat(" ", 1<<20) + "select 1::int4"
	r.send(&pgproto3.Query{String: fits})
	equalLines(t, "1 MiB query", r.roundTrip(),
		[]string{"RowDescription col1:23/4/-1/f0", `DataRow "1"`, "CommandComplete SELECT 1", "ReadyForQuery I"})
	r.send(&pgproto3.Query{String: "select 1::int4"})
	r.roundTrip()
	if used := budget.Used(); used != 0 {
		t.Fatalf("the budget holds %d bytes after the large message's work", used)
	}
}

func TestMaxConnections(t *testing.T) {
	ts := startServer(t, Options{MaxConnections: 2}, nil)
	first := connect(t, ts, pgx.QueryExecModeCacheStatement)
	connect(t, ts, pgx.QueryExecModeCacheStatement)
	_, err := pgx.Connect(context.Background(), ts.dsn("postgres", "postgres"))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "53300" || pe.Message != "sorry, too many clients already" || pe.Severity != "FATAL" {
		t.Fatalf("third connection: %v", err)
	}
	first.Close(context.Background())
	// The freed slot is counted back once the server sees the close.
	<-ts.eng.closed
	connect(t, ts, pgx.QueryExecModeCacheStatement)
}

type remoteListener struct{ net.Listener }

func (l remoteListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return remoteConn{c}, nil
}

type remoteConn struct{ net.Conn }

func (remoteConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 40000}
}

func TestNonLoopbackRefused(t *testing.T) {
	ts := startServer(t, Options{}, func(ln net.Listener) net.Listener { return remoteListener{ln} })
	_, err := pgx.Connect(context.Background(), ts.dsn("alice", "shop"))
	var pe *pgconn.PgError
	want := `no pg_hba.conf entry for host "10.1.2.3", user "alice", database "shop", no encryption`
	if !errors.As(err, &pe) || pe.Code != "28000" || pe.Message != want {
		t.Fatalf("got %v, want 28000 %s", err, want)
	}
}

func TestShutdown(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	idle := connect(t, ts, pgx.QueryExecModeCacheStatement)
	busy := connect(t, ts, pgx.QueryExecModeCacheStatement)
	errc := make(chan error, 1)
	go func() {
		_, err := busy.Exec(context.Background(), "select pg_sleep(10)")
		errc <- err
	}()
	<-ts.eng.sleeping
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err == nil {
		t.Error("statement running at shutdown succeeded")
	}
	if err := idle.Ping(context.Background()); err == nil {
		t.Error("idle connection still works after Shutdown")
	}
	if _, err := pgx.Connect(context.Background(), ts.dsn("postgres", "postgres")); err == nil {
		t.Error("new connection accepted after Shutdown")
	}
}

func TestSessionClosedOnDisconnect(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	for _, how := range []string{"terminate", "drop"} {
		t.Run(how, func(t *testing.T) {
			r := dialRaw(t, ts.addr)
			r.startup(map[string]string{"user": how, "database": "postgres"})
			if how == "terminate" {
				r.send(&pgproto3.Terminate{})
				r.fe.Flush()
			} else {
				r.nc.Close()
			}
			select {
			case s := <-ts.eng.closed:
				if s.user != how {
					t.Errorf("closed session of %q", s.user)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("session not closed")
			}
		})
	}
}
