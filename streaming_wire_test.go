package cairn_test

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// bindMsg binds the named statement to portal with text parameters and
// text results.
func bindMsg(portal, stmt string, params ...string) []byte {
	body := append(cstr(portal), cstr(stmt)...)
	body = binary.BigEndian.AppendUint16(body, 0)
	body = binary.BigEndian.AppendUint16(body, uint16(len(params)))
	for _, p := range params {
		body = binary.BigEndian.AppendUint32(body, uint32(len(p)))
		body = append(body, p...)
	}
	return binary.BigEndian.AppendUint16(body, 0)
}

func executeMsg(portal string, maxRows uint32) []byte {
	return msg('E', binary.BigEndian.AppendUint32(cstr(portal), maxRows))
}

var syncMsg = msg('S', nil)

// TestStreamingDifferential sends raw protocol messages to cairn and to
// PostgreSQL 15 and compares the answers message for message: a query's
// rows go out as they are made, so one that fails part way has sent
// RowDescription and its first rows before the error, in the simple and
// the extended protocol; one that fails before its first row answers
// with the error alone (PostgreSQL fails 1/0 while planning); COPY TO
// STDOUT likewise sends the lines made before an error; notices a
// function raises while rows are made come between the rows; a
// row-limited Execute whose batch uses up the rows still ends with
// PortalSuspended; an error outside Execute (a syntax error, a portal
// that does not exist) aborts the transaction block.
func TestStreamingDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("runs against PostgreSQL")
	}
	pg := pgtest.Start(t)
	pgAddr := fmt.Sprintf("127.0.0.1:%d", pg.Port)
	_, cairnAddr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	failing := "SELECT 10 / (3 - g) FROM generate_series(1, 5) g"
	for _, c := range []hostileCase{
		{name: "simple query failing part way", send: query(failing), readys: 1},
		{name: "extended query failing part way",
			send: concat(parseMsg(failing), msg('B', bindMsg("", "")), executeMsg("", 0), syncMsg), readys: 1},
		{name: "failing before its first row", send: query("SELECT 1 / 0"), readys: 1},
		{name: "COPY TO failing part way", send: query("COPY (" + failing + ") TO STDOUT"), readys: 1},
		{name: "COPY TO failing before its first row", send: query("COPY (SELECT 1 / 0) TO STDOUT"), readys: 1},
		{name: "COPY TO of no rows, with a header",
			send: query("COPY (SELECT 1 AS a WHERE false) TO STDOUT (FORMAT csv, HEADER)"), readys: 1},
		{name: "binary COPY TO of no rows",
			send: query("COPY (SELECT 1 AS a WHERE false) TO STDOUT (FORMAT binary)"), readys: 1},
		{name: "no rows", send: query("SELECT g FROM generate_series(1, 3) g WHERE g > 5"), readys: 1},
		{name: "batches that use up the rows",
			send: concat(parseMsg("SELECT g FROM generate_series(1, 4) g"), msg('B', bindMsg("", "")),
				executeMsg("", 2), executeMsg("", 2), executeMsg("", 2), syncMsg), readys: 1},
		{name: "a batch larger than the rows",
			send: concat(parseMsg("SELECT g FROM generate_series(1, 3) g"), msg('B', bindMsg("", "")),
				executeMsg("", 2), executeMsg("", 5), executeMsg("", 5), syncMsg), readys: 1},
		{name: "notices raised while rows are made",
			send: concat(query(`CREATE OR REPLACE FUNCTION sw_note(i int) RETURNS int LANGUAGE plpgsql AS $$
				BEGIN RAISE NOTICE 'row %', i; RETURN i; END $$`),
				query("SELECT sw_note(g) FROM generate_series(1, 2) g"),
				parseMsg("SELECT sw_note(g) FROM generate_series(1, 2) g"), msg('B', bindMsg("", "")), executeMsg("", 0), syncMsg),
			readys: 3},
		{name: "a syntax error aborts the block",
			send: concat(query("BEGIN"), query("SELEC 1"), query("SELECT 1"), query("ROLLBACK"), query("SELECT 2")), readys: 5},
		{name: "a Parse error aborts the block",
			send: concat(query("BEGIN"), parseMsg("SELEC 1"), syncMsg, query("SELECT 1"), query("ROLLBACK")), readys: 4},
		{name: "Execute of a missing portal aborts the block",
			send: concat(query("BEGIN"), executeMsg("nope", 0), syncMsg, query("SELECT 1"), query("ROLLBACK")), readys: 4},
		{name: "a savepoint survives an error outside Execute",
			send: concat(query("BEGIN"), query("SAVEPOINT s"), query("SELEC 1"), query("ROLLBACK TO SAVEPOINT s"),
				query("SELECT 3"), query("COMMIT")), readys: 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.startup = true
			want, pgConn := hostileRun(t, pgAddr, c)
			pgConn.Close()
			got, cairnConn := hostileRun(t, cairnAddr, c)
			cairnConn.Close()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("cairn answered\n  %s\nPostgreSQL 15 answered\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}
