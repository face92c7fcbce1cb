package pgwire

import (
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

// frame builds a typed message with an arbitrary length word.
func frame(typ byte, length int32, body []byte) []byte {
	b := []byte{typ}
	b = binary.BigEndian.AppendUint32(b, uint32(length))
	return append(b, body...)
}

// startupPacket builds a startup packet for a protocol version code.
func startupPacket(code uint32, params ...string) []byte {
	body := binary.BigEndian.AppendUint32(nil, code)
	for _, p := range params {
		body = append(body, p...)
		body = append(body, 0)
	}
	body = append(body, 0)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body)+4)), body...)
}

// TestHostileClients sends malformed input as PostgreSQL 15 answers it
// (reliability/PLAN.md (h)), then checks the server still serves.
func TestHostileClients(t *testing.T) {
	ts := startServer(t, Options{MaxMessageBytes: 1 << 20}, nil)
	user := []string{"user", "postgres"}
	cases := []struct {
		name       string
		startup    bool   // complete a normal startup first
		send       []byte // raw bytes
		want       []string
		wantByte   byte   // first reply is this single byte (SSL/GSS answer)
		wantRaw    string // the whole reply, in protocol 2's format
		wantInLog  string // the server logs this
		closeWrite bool   // the client closes its side after sending
	}{
		{name: "unknown message type", startup: true, send: frame('@', 4, nil),
			want: []string{"FATAL 08P01 invalid frontend message type 64", "EOF"}},
		{name: "password message after startup", startup: true, send: frame('p', 8, []byte("pass\x00")),
			want: []string{"FATAL 08P01 invalid frontend message type 112", "EOF"}},
		{name: "huge query length", startup: true, send: frame('Q', 0x7fffffff, []byte("select")),
			want: []string{"EOF"}, wantInLog: "invalid message length"},
		{name: "length below 4", startup: true, send: frame('Q', 3, nil),
			want: []string{"EOF"}, wantInLog: "invalid message length"},
		{name: "oversized sync", startup: true, send: frame('S', 20004, make([]byte, 20000)),
			want: []string{"EOF"}, wantInLog: "invalid message length"},
		{name: "NUL inside query", startup: true, send: frame('Q', 4+10, []byte("sel\x00ect 1\x00")),
			want: []string{"ERROR 08P01 invalid message format", "ReadyForQuery I"}},
		{name: "unterminated query", startup: true, send: frame('Q', 4+8, []byte("select 1")),
			want: []string{"ERROR 08P01 invalid string in message", "ReadyForQuery I"}},
		{name: "invalid UTF-8", startup: true, send: frame('Q', 4+11, []byte("select '\xff'\x00")),
			want: []string{`ERROR 22021 invalid byte sequence for encoding "UTF8": 0xff`, "ReadyForQuery I"}},
		{name: "truncated UTF-8 sequence", startup: true, send: frame('Q', 4+12, []byte("select '\xe2\x82'\x00")),
			want: []string{`ERROR 22021 invalid byte sequence for encoding "UTF8": 0xe2 0x82 0x27`, "ReadyForQuery I"}},
		{name: "bind parameter past the end", startup: true,
			send: append(frame('B', 4+12, []byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 100, 'a', 'b'}), frame('S', 4, nil)...),
			want: []string{"ERROR 08P01 insufficient data left in message", "ReadyForQuery I"}},
		{name: "copy data outside copy is ignored", startup: true,
			send: append(frame('d', 4+3, []byte("abc")), frame('Q', 4+1, []byte{0})...),
			want: []string{"EmptyQueryResponse", "ReadyForQuery I"}},
		{name: "protocol 4.0", send: startupPacket(4<<16, user...),
			want: []string{"FATAL 0A000 unsupported frontend protocol 4.0: server supports 3.0 to 3.0", "EOF"}},
		{name: "protocol 2.0", send: startupPacket(2<<16, user...),
			wantRaw: "EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n\x00"},
		{name: "protocol 3.1 is negotiated down", send: startupPacket(3<<16|1, user...),
			want: []string{"NegotiateProtocolVersion", "AuthenticationOk"}},
		{name: "truncated startup", closeWrite: true, send: startupPacket(3<<16, user...)[:4+4+len("user\x00postgres\x00")-1],
			want: []string{"EOF"}, wantInLog: "incomplete startup packet"},
		{name: "startup layout", send: append(binary.BigEndian.AppendUint32(nil, 4+4+5), append(binary.BigEndian.AppendUint32(nil, 3<<16), "user\x00"...)...),
			want: []string{"FATAL 08P01 invalid startup packet layout: expected terminator as last byte", "EOF"}},
		{name: "startup too short", send: binary.BigEndian.AppendUint32(nil, 4),
			want: []string{"EOF"}, wantInLog: "invalid length of startup packet"},
		{name: "startup too long", send: binary.BigEndian.AppendUint32(nil, 20000),
			want: []string{"EOF"}, wantInLog: "invalid length of startup packet"},
		{name: "no user", send: startupPacket(3<<16, "database", "x"),
			want: []string{"FATAL 28000 no PostgreSQL user name specified in startup packet", "EOF"}},
		{name: "unsupported client encoding", send: startupPacket(3<<16, "user", "u", "client_encoding", "latin1"),
			want: []string{"FATAL 0A000 conversion between LATIN1 and UTF8 is not supported", "EOF"}},
		{name: "cancel with unknown key", send: append(binary.BigEndian.AppendUint32(nil, 16), binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, cancelRequestCode), 1), 2)...),
			want: []string{"EOF"}},
		{name: "SSL request then startup", send: binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), sslRequestCode),
			wantByte: 'N'},
		{name: "GSS request then startup", send: binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), gssEncRequestCode),
			wantByte: 'N'},
		{name: "plaintext pipelined after SSL request",
			send:     append(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), sslRequestCode), startupPacket(3<<16, user...)...),
			wantByte: 'N', want: []string{"FATAL 08P01 received unencrypted data after SSL request", "EOF"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := dialRaw(t, ts.addr)
			if c.startup {
				r.startup(map[string]string{"user": "postgres"})
			}
			r.write(c.send)
			if c.closeWrite {
				r.nc.(*net.TCPConn).CloseWrite()
			}
			if c.wantRaw != "" {
				raw, _ := io.ReadAll(r.nc)
				if string(raw) != c.wantRaw {
					t.Fatalf("reply %q, want %q", raw, c.wantRaw)
				}
				return
			}
			if c.wantByte != 0 {
				var b [1]byte
				if _, err := io.ReadFull(r.nc, b[:]); err != nil || b[0] != c.wantByte {
					t.Fatalf("reply byte %q, err %v; want %q", b[0], err, c.wantByte)
				}
				if c.want == nil {
					// The handshake goes on on the same connection.
					got := r.startup(map[string]string{"user": "postgres"})
					if got[len(got)-1] != "ReadyForQuery I" {
						t.Fatalf("startup after %s: %q", c.name, got)
					}
					return
				}
			}
			var got []string
			for len(got) < len(c.want) {
				m, err := r.fe.Receive()
				if err != nil {
					got = append(got, "EOF")
					break
				}
				got = append(got, describe(m))
			}
			equalLines(t, c.name, got, c.want)
			if c.wantInLog != "" && !strings.Contains(ts.log.String(), c.wantInLog) {
				t.Errorf("log lacks %q", c.wantInLog)
			}
			// Whatever happened, the server still serves a new client.
			fresh := dialRaw(t, ts.addr)
			fresh.startup(map[string]string{"user": "postgres"})
			fresh.send(&pgproto3.Query{String: "select 1::int4"})
			equalLines(t, "fresh connection", fresh.roundTrip(),
				[]string{"RowDescription col1:23/4/-1/f0", `DataRow "1"`, "CommandComplete SELECT 1", "ReadyForQuery I"})
		})
	}
}
