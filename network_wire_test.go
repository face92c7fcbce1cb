package cairn_test

import (
	"context"
	stdsql "database/sql"
	"net"
	"net/netip"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/pgwire"
)

// TestNetworkTypesThroughPgx stores and reads inet, cidr, macaddr and
// macaddr8 values, and arrays of inet, through pgx: parameters and
// results in binary (the extended protocol; pgx sends an inet as a
// netip.Prefix) and in text (the simple protocol).
func TestNetworkTypesThroughPgx(t *testing.T) {
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	ctx := context.Background()
	host := netip.MustParsePrefix("192.168.1.226/24")
	v6 := netip.MustParsePrefix("2001:db8::1/128")
	network := netip.MustParsePrefix("10.0.0.0/8")
	mac := net.HardwareAddr{0x08, 0x00, 0x2b, 0x01, 0x02, 0x03}
	mac8 := net.HardwareAddr{0x08, 0x00, 0x2b, 0x01, 0x02, 0x03, 0x04, 0x05}
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{
		{"extended", pgx.QueryExecModeCacheStatement},
		{"describe-exec", pgx.QueryExecModeDescribeExec},
		{"simple", pgx.QueryExecModeSimpleProtocol},
	} {
		t.Run(m.name, func(t *testing.T) {
			cfg, err := pgx.ParseConfig(wireURL(addr))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = m.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			table := "net_" + m.name[:3]
			if _, err := conn.Exec(ctx, "CREATE TABLE "+table+" (i inet PRIMARY KEY, c cidr, m macaddr, m8 macaddr8)"); err != nil {
				t.Fatal(err)
			}
			ins := "INSERT INTO " + table + " VALUES ($1, $2, $3, $4)"
			var macArg, mac8Arg any = mac, mac8
			if m.mode == pgx.QueryExecModeSimpleProtocol {
				// pgx would write a []byte as a bytea literal.
				macArg, mac8Arg = mac.String(), mac8.String()
			}
			if _, err := conn.Exec(ctx, ins, host, network, macArg, mac8Arg); err != nil {
				t.Fatalf("insert: %v", err)
			}
			if _, err := conn.Exec(ctx, ins, v6, netip.MustParsePrefix("2001:db8::/32"), nil, nil); err != nil {
				t.Fatalf("insert: %v", err)
			}
			var (
				gotI, gotC  netip.Prefix
				gotM, gotM8 net.HardwareAddr
				gotArr      []netip.Prefix
			)
			q := "SELECT i, c, m, m8, $2::inet[] FROM " + table + " WHERE i = $1"
			err = conn.QueryRow(ctx, q, host, []netip.Prefix{v6, network}).Scan(&gotI, &gotC, &gotM, &gotM8, &gotArr)
			if err != nil {
				t.Fatalf("select: %v", err)
			}
			if gotI != host || gotC != network || !slices.Equal(gotM, mac) || !slices.Equal(gotM8, mac8) ||
				!slices.Equal(gotArr, []netip.Prefix{v6, network}) {
				t.Errorf("read back %v %v %v %v %v", gotI, gotC, gotM, gotM8, gotArr)
			}
			var n int
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+table+" WHERE i << $1", netip.MustParsePrefix("192.168.0.0/16")).Scan(&n); err != nil || n != 1 {
				t.Errorf("count of i << 192.168.0.0/16: %d %v", n, err)
			}
			var iText, cText, mText string
			err = conn.QueryRow(ctx, "SELECT i, c, m FROM "+table+" WHERE i = $1", pgx.QueryResultFormats{pgx.TextFormatCode}, host).
				Scan(&iText, &cText, &mText)
			if err != nil || iText != "192.168.1.226/24" || cText != "10.0.0.0/8" || mText != "08:00:2b:01:02:03" {
				t.Errorf("text forms %q %q %q %v", iText, cText, mText, err)
			}
			// A cidr parameter with bits right of its mask is refused.
			if _, err := conn.Exec(ctx, "INSERT INTO "+table+" (i, c) VALUES ('10.9.9.9', $1::cidr)", netip.MustParsePrefix("10.1.2.3/8")); err == nil {
				t.Errorf("a cidr with host bits was accepted")
			}
		})
	}
}

// TestNetworkTypesThroughDatabaseSQL reads network values through the
// embedded database/sql driver as their text, as from a server.
func TestNetworkTypesThroughDatabaseSQL(t *testing.T) {
	db, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec(t, db, "CREATE TABLE n (i inet, c cidr, m macaddr, m8 macaddr8)")
	mustExec(t, db, "INSERT INTO n VALUES ($1, $2, $3, $4)", "10.1.2.3/32", "10.1", "0800.2b01.0203", "08:00:2b:01:02:03")
	var i, c, m, m8 string
	if err := db.QueryRow("SELECT i, c, m, m8 FROM n WHERE i = $1", "10.1.2.3").Scan(&i, &c, &m, &m8); err != nil {
		t.Fatal(err)
	}
	if i != "10.1.2.3" || c != "10.1.0.0/16" || m != "08:00:2b:01:02:03" || m8 != "08:00:2b:ff:fe:01:02:03" {
		t.Errorf("read back %q %q %q %q", i, c, m, m8)
	}
}
