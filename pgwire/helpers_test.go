package pgwire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// roleEngine is the fake engine with roles.
type roleEngine struct {
	*fakeEngine
	roles map[string]sql.Role
}

func (e roleEngine) LookupRole(name string) (sql.Role, bool, error) {
	r, ok := e.roles[name]
	return r, ok, nil
}

// typedRow is the row "select typed()" returns, one value per typedTypes.
func typedRow() []types.Datum {
	num, _, _ := apd.NewFromString("-123.4500")
	return []types.Datum{
		true, int64(-12), int64(123456), int64(-9000000000000001), 1.5, num,
		"héllo", "abc", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC),
		time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC), nil,
	}
}

// logBuffer collects the server's log for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testServer struct {
	srv  *Server
	eng  *fakeEngine
	addr string
	log  *logBuffer
	done chan error // Serve's result
}

func (ts *testServer) dsn(user, db string) string {
	return fmt.Sprintf("postgres://%s@%s/%s?sslmode=disable", user, ts.addr, db)
}

// startServer serves a fake engine on 127.0.0.1:0. At cleanup it shuts the
// server down and checks that every session was closed exactly once.
func startServer(t *testing.T, opts Options, wrap func(net.Listener) net.Listener) *testServer {
	t.Helper()
	return startServerRoles(t, opts, wrap, nil)
}

// startServerRoles is startServer with an engine that knows roles (an
// AuthEngine) when roles is not nil.
func startServerRoles(t *testing.T, opts Options, wrap func(net.Listener) net.Listener, roles map[string]sql.Role) *testServer {
	t.Helper()
	ts := &testServer{eng: newFakeEngine(), log: &logBuffer{}, done: make(chan error, 1)}
	opts.Logger = slog.New(slog.NewTextHandler(ts.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var eng Engine = ts.eng
	if roles != nil {
		eng = roleEngine{ts.eng, roles}
	}
	ts.srv = NewServer(eng, opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	if wrap != nil {
		ln = wrap(ln)
	}
	go func() { ts.done <- ts.srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := ts.srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-ts.done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
		ts.eng.mu.Lock()
		defer ts.eng.mu.Unlock()
		for _, s := range ts.eng.sessions {
			if s.closes != 1 {
				t.Errorf("session of %s closed %d times, want 1", s.user, s.closes)
			}
		}
		if t.Failed() {
			t.Logf("server log:\n%s", ts.log.String())
		}
	})
	return ts
}

// rawConn is a hand-driven protocol client.
type rawConn struct {
	t  *testing.T
	nc net.Conn
	fe *pgproto3.Frontend
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { nc.Close() })
	return &rawConn{t: t, nc: nc, fe: pgproto3.NewFrontend(nc, nc)}
}

// startup sends a StartupMessage and returns the transcript up to
// ReadyForQuery.
func (r *rawConn) startup(params map[string]string) []string {
	r.fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: params})
	return r.roundTrip()
}

func (r *rawConn) send(msgs ...pgproto3.FrontendMessage) {
	for _, m := range msgs {
		r.fe.Send(m)
	}
}

func (r *rawConn) write(b []byte) {
	r.t.Helper()
	if _, err := r.nc.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

// roundTrip flushes what was sent and describes every reply up to and
// including ReadyForQuery, or up to the connection's end ("EOF").
func (r *rawConn) roundTrip() []string {
	r.t.Helper()
	if err := r.fe.Flush(); err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for {
		m, err := r.fe.Receive()
		if err != nil {
			return append(out, "EOF")
		}
		out = append(out, describe(m))
		if _, ok := m.(*pgproto3.ReadyForQuery); ok {
			return out
		}
	}
}

// describe renders a backend message as one line for transcripts.
func describe(m pgproto3.BackendMessage) string {
	switch m := m.(type) {
	case *pgproto3.ErrorResponse:
		return fmt.Sprintf("%s %s %s", m.Severity, m.Code, m.Message)
	case *pgproto3.NoticeResponse:
		return fmt.Sprintf("Notice %s %s %s", m.Severity, m.Code, m.Message)
	case *pgproto3.ReadyForQuery:
		return "ReadyForQuery " + string(m.TxStatus)
	case *pgproto3.CommandComplete:
		return "CommandComplete " + string(m.CommandTag)
	case *pgproto3.DataRow:
		vals := make([]string, len(m.Values))
		for i, v := range m.Values {
			if v == nil {
				vals[i] = "NULL"
			} else {
				vals[i] = fmt.Sprintf("%q", v)
			}
		}
		return "DataRow " + strings.Join(vals, " ")
	case *pgproto3.RowDescription:
		fields := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			fields[i] = fmt.Sprintf("%s:%d/%d/%d/f%d", f.Name, f.DataTypeOID, f.DataTypeSize, f.TypeModifier, f.Format)
		}
		return "RowDescription " + strings.Join(fields, " ")
	case *pgproto3.ParameterDescription:
		return fmt.Sprintf("ParameterDescription %v", m.ParameterOIDs)
	case *pgproto3.ParameterStatus:
		return fmt.Sprintf("ParameterStatus %s=%s", m.Name, m.Value)
	case *pgproto3.BackendKeyData:
		return "BackendKeyData"
	case *pgproto3.AuthenticationOk:
		return "AuthenticationOk"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", m), "*pgproto3.")
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
