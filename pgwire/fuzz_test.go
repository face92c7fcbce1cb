package pgwire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// FuzzFrontendStream sends arbitrary bytes to a server as a client's
// whole stream, from the startup packet on, then closes its side. The
// server must neither panic nor hang on it (it closes the connection once
// the client has), and must go on serving: after every input a fresh
// client connects and runs a query.
func FuzzFrontendStream(f *testing.F) {
	startup := startupPacket(196608, "user", "postgres", "database", "postgres")
	query := func(q string) []byte { return frame('Q', int32(4+len(q)+1), append([]byte(q), 0)) }
	seeds := [][]byte{
		startup,
		append(append([]byte(nil), startup...), query("select 1")...),
		append(append([]byte(nil), startup...), frame('X', 4, nil)...),
		startupPacket(80877103), // SSLRequest
		startupPacket(80877104), // GSSENCRequest
		append(startupPacket(80877103), startup...),
		startupPacket(196608, "user"),
		startupPacket(131072, "user", "postgres"), // protocol 2
		append(append([]byte(nil), startup...), frame('P', 4+3+2+2, []byte("\x00x\x00\x00\x00"))...),
		append(append([]byte(nil), startup...), frame('B', 4+5, []byte("\x00\x00\x00\x00\x00"))...),
		append(append([]byte(nil), startup...), frame('d', 4+2, []byte("ab"))...),
		append(append([]byte(nil), startup...), frame('Q', 0x7fffffff, nil)...),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	eng := newFakeEngine()
	stopDrain := make(chan struct{})
	go func() {
		// The fake engine reports each closed session on a buffered
		// channel: drain it, or sessions stop closing after a thousand.
		for {
			select {
			case <-eng.closed:
			case <-stopDrain:
				return
			}
		}
	}()
	f.Cleanup(func() { close(stopDrain) })
	srv := NewServer(eng, Options{MaxMessageBytes: 1 << 16, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	addr := ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			f.Errorf("Shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			f.Errorf("Serve returned %v", err)
		}
	})
	f.Fuzz(func(t *testing.T, stream []byte) {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		if err := nc.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
			t.Fatal(err)
		}
		// The server may close before reading everything: a failed
		// write is an answer too.
		_, _ = nc.Write(stream)
		_ = nc.(*net.TCPConn).CloseWrite()
		if _, err := io.Copy(io.Discard, nc); err != nil && !isConnReset(err) {
			t.Fatalf("reading the server's answer to %q: %v", stream, err)
		}
		checkServes(t, addr)
	})
}

// isConnReset reports whether err is the peer resetting the connection,
// which a server that closes with unread input in its buffer does.
func isConnReset(err error) bool {
	var ne *net.OpError
	return errors.As(err, &ne) && !ne.Timeout()
}

// checkServes connects to addr as a well-behaved client and runs a query.
func checkServes(t *testing.T, addr string) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersionNumber, Parameters: map[string]string{"user": "postgres", "database": "postgres"}})
	fe.Send(&pgproto3.Query{String: "select 1"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	sawRow := false
	for {
		m, err := fe.Receive()
		if err != nil {
			t.Fatalf("server stopped serving: %v", err)
		}
		switch m := m.(type) {
		case *pgproto3.DataRow:
			sawRow = true
		case *pgproto3.ErrorResponse:
			t.Fatalf("server stopped serving: %s %s", m.Code, m.Message)
		case *pgproto3.ReadyForQuery:
			if sawRow {
				return
			}
		}
	}
}
