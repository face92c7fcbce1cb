package cairn_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// The hostile inputs of reliability/PLAN.md (h), and the other ways a client
// can misuse the protocol or the parser, sent as raw bytes to cairn and to
// PostgreSQL 15: the two must answer alike, message for message, and cairn
// must serve a new client afterwards. PostgreSQL's answers are the expected
// ones; nothing here is written down from memory.

// hostileCase is one input.
type hostileCase struct {
	name string
	// startup completes a normal startup as user postgres first.
	startup bool
	send    []byte
	// oneByte: the first reply is a single byte (the answer to an
	// SSLRequest or GSSENCRequest), read before messages.
	oneByte bool
	// readys is the number of ReadyForQuery messages to read after the
	// startup's; 0 reads until the server closes the connection.
	readys int
	// codeOnly compares errors by SQLSTATE alone: their messages differ
	// only in something this test does not judge (how bytes that are not
	// UTF-8 are echoed).
	codeOnly bool
	// hold keeps the connection open while the next case runs
	// (connection limits).
	hold bool
	// raw reads the reply as bytes to the end (protocol 2's format).
	raw bool
	// releaseHeld closes the connections earlier cases held, after this
	// case.
	releaseHeld bool
	// noRowDescription leaves out RowDescription messages: PostgreSQL
	// sends one as a SELECT starts, cairn with its first row, so a SELECT
	// that fails while running before its first row differs there.
	noRowDescription bool
}

// msg frames a typed message.
func msg(typ byte, body []byte) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{typ}, uint32(4+len(body))), body...)
}

// framed is a typed message with any length word.
func framed(typ byte, length uint32, body []byte) []byte {
	return append(binary.BigEndian.AppendUint32([]byte{typ}, length), body...)
}

func cstr(s string) []byte { return append([]byte(s), 0) }

func query(s string) []byte { return msg('Q', cstr(s)) }

// parseMsg is a Parse of the unnamed statement with the given parameter
// type OIDs.
func parseMsg(q string, oids ...uint32) []byte {
	body := append(cstr(""), cstr(q)...)
	body = binary.BigEndian.AppendUint16(body, uint16(len(oids)))
	for _, o := range oids {
		body = binary.BigEndian.AppendUint32(body, o)
	}
	return msg('P', body)
}

func startupPacket(code uint32, params ...string) []byte {
	body := binary.BigEndian.AppendUint32(nil, code)
	for _, p := range params {
		body = append(body, cstr(p)...)
	}
	body = append(body, 0)
	return append(binary.BigEndian.AppendUint32(nil, uint32(4+len(body))), body...)
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func repeatJoin(s, sep string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, sep)
}

func hostileCases() []hostileCase {
	const protocol3 = 3 << 16
	user := []string{"user", "postgres"}
	sync := msg('S', nil)
	params := make([]string, 65535)
	for i := range params {
		params[i] = "$" + strconv.Itoa(i+1) + "::int"
	}
	return []hostileCase{
		// Framing.
		{name: "unknown message type", startup: true, send: framed('@', 4, nil)},
		{name: "length below 4", startup: true, send: framed('Q', 3, nil)},
		{name: "length over 1 GB", startup: true, send: framed('Q', 1<<30+4, []byte("select"))},
		{name: "huge length", startup: true, send: framed('Q', 0x7fffffff, []byte("select"))},
		{name: "oversized Sync", startup: true, send: framed('S', 20004, make([]byte, 20000))},
		{name: "NUL inside a query", startup: true, send: msg('Q', []byte("sel\x00ect 1\x00")), readys: 1},
		{name: "unterminated query", startup: true, send: msg('Q', []byte("select 1")), readys: 1},
		{name: "invalid UTF-8", startup: true, send: query("select '\xff'"), readys: 1},
		{name: "truncated UTF-8", startup: true, send: query("select '\xe2\x82'"), readys: 1},
		{name: "Parse with trailing bytes", startup: true, send: concat(msg('P', append(parseMsg("select 1")[5:], 'x', 'x')), sync), readys: 1},
		{name: "Bind with trailing bytes", startup: true,
			send: concat(parseMsg("select 1"), msg('B', append(make([]byte, 8), 'x')), sync), readys: 1},
		{name: "Sync with a body", startup: true, send: msg('S', []byte("abc")), readys: 1},
		{name: "Flush with a body", startup: true, send: concat(msg('H', []byte("abc")), sync), readys: 1},
		{name: "Bind supplies too few parameters", startup: true,
			send: concat(parseMsg("select $1::int4", 23), msg('B', make([]byte, 8)), sync), readys: 1},
		{name: "Bind parameter past the end", startup: true,
			send: concat(parseMsg("select $1::int4", 23), msg('B', []byte{0, 0, 0, 0, 0, 1, 0, 0, 0, 100, 'a', 'b'}), sync), readys: 1},
		{name: "Bind of an unknown statement", startup: true,
			send: concat(msg('B', append(cstr(""), append(cstr("nope"), 0, 0, 0, 0, 0, 0)...)), sync), readys: 1},
		{name: "Execute of an unknown portal", startup: true, send: concat(msg('E', append(cstr("nope"), 0, 0, 0, 0)), sync), readys: 1},
		{name: "Describe of an unknown statement", startup: true, send: concat(msg('D', append([]byte{'S'}, cstr("nope")...)), sync), readys: 1},
		{name: "Close of an unknown portal", startup: true, send: concat(msg('C', append([]byte{'P'}, cstr("nope")...)), sync), readys: 1},
		{name: "CopyData outside COPY", startup: true, send: concat(msg('d', []byte("abc")), query("")), readys: 1},

		// Startup.
		{name: "protocol 4.0", send: startupPacket(4<<16, user...)},
		{name: "protocol 2.0", send: startupPacket(2<<16, user...), raw: true},
		{name: "protocol 3.1", send: startupPacket(protocol3|1, user...), readys: 1},
		{name: "startup without terminator", send: append(binary.BigEndian.AppendUint32(nil, 4+4+5), append(binary.BigEndian.AppendUint32(nil, protocol3), "user\x00"...)...)},
		{name: "startup too short", send: binary.BigEndian.AppendUint32(nil, 4)},
		{name: "startup too long", send: binary.BigEndian.AppendUint32(nil, 20000)},
		{name: "no user", send: startupPacket(protocol3, "database", "postgres")},
		{name: "user not UTF-8", send: startupPacket(protocol3, "user", "\xff\xfe"), codeOnly: true},
		{name: "unknown database", send: startupPacket(protocol3, "user", "postgres", "database", "nope")},
		{name: "unknown parameter", send: startupPacket(protocol3, "user", "postgres", "nosuch", "1")},
		{name: "cancel with an unknown key", send: concat(binary.BigEndian.AppendUint32(nil, 16), binary.BigEndian.AppendUint32(nil, 80877102),
			binary.BigEndian.AppendUint32(nil, 1), binary.BigEndian.AppendUint32(nil, 2))},
		{name: "plaintext after SSLRequest", oneByte: true,
			send: concat(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), 80877103), startupPacket(protocol3, user...))},
		// (A GSSENCRequest is answered 'G' by a PostgreSQL built with
		// GSSAPI, as Debian's is, and 'N' by cairn: pgwire's tests.)

		// The parser.
		{name: "4,000 additions", startup: true, send: query("SELECT 1" + strings.Repeat("+1", 4000)), readys: 1},
		{name: "10,000 additions", startup: true, send: query("SELECT 1" + strings.Repeat("+1", 10000)), readys: 1},
		{name: "25,000 additions", startup: true, send: query("SELECT 1" + strings.Repeat("+1", 25000)), readys: 1},
		{name: "100,000 additions", startup: true, send: query("SELECT 1" + strings.Repeat("+1", 100000)), readys: 1},
		{name: "65,535 parameters added", startup: true, send: concat(parseMsg("SELECT "+strings.Join(params, "+")), sync), readys: 1},
		{name: "10,000-term AND", startup: true, send: query("SELECT count(*) FROM (SELECT 1 AS x) t WHERE " + repeatJoin("x = 1", " AND ", 10000)), readys: 1},
		{name: "9,000 parentheses", startup: true, send: query("SELECT " + strings.Repeat("(", 9000) + "1" + strings.Repeat(")", 9000)), readys: 1},
		{name: "10,000 parentheses", startup: true, send: query("SELECT " + strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000)), readys: 1},
		{name: "100,000 NOTs", startup: true, send: query("SELECT " + strings.Repeat("NOT ", 100000) + "true"), readys: 1},
		{name: "NUL escape", startup: true, send: query(`SELECT E'\000'`), readys: 1},
		{name: "identifiers over 63 bytes", startup: true,
			send: query("SELECT 1 AS " + strings.Repeat("a", 70) + `, 2 AS "` + strings.Repeat("B", 64) + `"`), readys: 1},
		{name: "SELECT with no columns", startup: true, send: query("SELECT"), readys: 1},
		{name: "a value over 1 GB", startup: true, send: query("SELECT repeat('x', 1100000000)"), readys: 1},

		// Limits in time.
		{name: "statement_timeout", startup: true, noRowDescription: true,
			send:   query("SET statement_timeout = '100ms'; SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b"),
			readys: 1},
		{name: "idle_in_transaction_session_timeout", startup: true,
			send: query("SET idle_in_transaction_session_timeout = '100ms'; BEGIN")},

		// Too many connections: both servers allow maxConnections; the
		// last of these is refused.
		{name: "connection 2", startup: true, hold: true, send: query("SELECT 1"), readys: 1},
		{name: "connection 3", startup: true, hold: true, send: query("SELECT 1"), readys: 1},
		{name: "connection 4", send: startupPacket(protocol3, user...), releaseHeld: true},
	}
}

// maxConnections is both servers' connection limit in the test; the admin
// connection is the first.
const maxConnections = 3

// TestHostileInputDifferential runs every hostileCase on PostgreSQL 15 and
// on cairn and compares what each answered.
func TestHostileInputDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("runs against PostgreSQL")
	}
	pg := pgtest.Start(t, "max_connections="+strconv.Itoa(maxConnections), "superuser_reserved_connections=0", "max_wal_senders=0")
	pgAddr := fmt.Sprintf("127.0.0.1:%d", pg.Port)
	cairnSrv, cairnAddr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{MaxConnections: maxConnections})
	pgAdmin := dialDB(t, pg.URL())
	dialDB(t, wireURL(cairnAddr))
	pgSessions := func() int {
		var n int
		if err := pgAdmin.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			// A connection of an earlier case may still be ending; the
			// connection cases need its slot.
			waitForSessions(t, "PostgreSQL", pgSessions, 1+len(held)/2)
			waitForSessions(t, "cairn", cairnSrv.Sessions, 1+len(held)/2)
			want, pgConn := hostileRun(t, pgAddr, c)
			got, cairnConn := hostileRun(t, cairnAddr, c)
			if c.hold {
				held = append(held, pgConn, cairnConn)
			} else {
				pgConn.Close()
				cairnConn.Close()
			}
			if c.codeOnly {
				want, got = codesOnly(want), codesOnly(got)
			}
			if c.noRowDescription {
				want, got = withoutRowDescription(want), withoutRowDescription(got)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("cairn answered\n  %s\nPostgreSQL 15 answered\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if c.hold {
				return
			}
			if c.releaseHeld {
				for _, c := range held {
					c.Close()
				}
				held = nil
				waitForSessions(t, "cairn", cairnSrv.Sessions, 1)
			}
			// cairn still serves a new client.
			fresh, conn := hostileRun(t, cairnAddr, hostileCase{startup: true, send: query("SELECT 1"), readys: 1})
			conn.Close()
			if strings.Join(fresh, "|") != "T 1|D 1|C SELECT 1|Z I" {
				t.Errorf("a new connection after %q: %q", c.name, fresh)
			}
		})
	}
}

// waitForSessions waits until a server has at most n client connections,
// for the connections of earlier cases to be gone.
func waitForSessions(t *testing.T, server string, sessions func() int, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for sessions() > n {
		if time.Now().After(deadline) {
			t.Fatalf("%s has %d client connections 30 s after the last case, want %d", server, sessions(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// hostileRun connects to addr, optionally completes a startup, sends the
// case's bytes and describes what came back, one line per message.
func hostileRun(t *testing.T, addr string, c hostileCase) ([]string, net.Conn) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(60 * time.Second))
	br := bufio.NewReader(nc)
	if c.startup {
		if _, err := nc.Write(startupPacket(3<<16, "user", "postgres")); err != nil {
			t.Fatal(err)
		}
		lines := readMessages(br, 1)
		if lines[len(lines)-1] != "Z I" {
			t.Fatalf("startup on %s: %q", addr, lines)
		}
	}
	go nc.Write(c.send) // the server may stop reading before the end
	var out []string
	if c.raw {
		b, _ := io.ReadAll(br)
		return []string{fmt.Sprintf("raw %q", b)}, nc
	}
	if c.oneByte {
		b, err := br.ReadByte()
		if err != nil {
			return append(out, "EOF"), nc
		}
		out = append(out, "byte "+string(rune(b)))
	}
	return append(out, readMessages(br, c.readys)...), nc
}

// readMessages reads until the readys-th ReadyForQuery, or until the
// connection ends when readys is 0. ParameterStatus, BackendKeyData and
// authentication messages are left out: they are checked elsewhere.
func readMessages(br *bufio.Reader, readys int) []string {
	var out []string
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return append(out, "EOF")
		}
		body := make([]byte, binary.BigEndian.Uint32(hdr[1:])-4)
		if _, err := io.ReadFull(br, body); err != nil {
			return append(out, "EOF")
		}
		typ := hdr[0]
		switch typ {
		case 'S', 'K', 'R':
			continue
		case 'E', 'N':
			fields := map[byte]string{}
			for _, f := range strings.Split(string(body), "\x00") {
				if f != "" {
					fields[f[0]] = f[1:]
				}
			}
			out = append(out, fmt.Sprintf("%c %s %s %s", typ, fields['V'], fields['C'], fields['M']))
		case 'T':
			out = append(out, fmt.Sprintf("T %d", binary.BigEndian.Uint16(body)))
		case 'D':
			n := int(binary.BigEndian.Uint16(body))
			vals := make([]string, 0, n)
			for i, p := 0, 2; i < n; i++ {
				l := int32(binary.BigEndian.Uint32(body[p:]))
				p += 4
				if l < 0 {
					vals = append(vals, "NULL")
					continue
				}
				vals = append(vals, string(body[p:p+int(l)]))
				p += int(l)
			}
			out = append(out, "D "+strings.Join(vals, ","))
		case 'C':
			out = append(out, "C "+strings.TrimSuffix(string(body), "\x00"))
		case 'Z':
			out = append(out, "Z "+string(body))
			if readys--; readys == 0 {
				return out
			}
		default:
			out = append(out, string(rune(typ)))
		}
	}
}

func withoutRowDescription(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "T ") {
			out = append(out, l)
		}
	}
	return out
}

// codesOnly drops the messages of errors and notices, keeping severities
// and SQLSTATEs.
func codesOnly(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if f := strings.SplitN(l, " ", 4); len(f) == 4 && (f[0] == "E" || f[0] == "N") {
			l = strings.Join(f[:3], " ")
		}
		out[i] = l
	}
	return out
}
