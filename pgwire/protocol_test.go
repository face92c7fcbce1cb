package pgwire

import (
	"encoding/binary"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"
)

func TestStartupTranscript(t *testing.T) {
	ts := startServer(t, Options{ServerVersion: "15.99 (test)"}, nil)
	r := dialRaw(t, ts.addr)
	got := r.startup(map[string]string{"user": "alice", "database": "shop", "application_name": "psql"})
	equalLines(t, "startup", got, []string{
		"AuthenticationOk",
		"ParameterStatus application_name=psql",
		"ParameterStatus client_encoding=UTF8",
		"ParameterStatus DateStyle=ISO, MDY",
		"ParameterStatus default_transaction_read_only=off",
		"ParameterStatus in_hot_standby=off",
		"ParameterStatus integer_datetimes=on",
		"ParameterStatus IntervalStyle=postgres",
		"ParameterStatus is_superuser=on",
		"ParameterStatus server_encoding=UTF8",
		"ParameterStatus server_version=15.99 (test)",
		"ParameterStatus session_authorization=alice",
		"ParameterStatus standard_conforming_strings=on",
		"ParameterStatus TimeZone=Etc/UTC",
		"BackendKeyData",
		"ReadyForQuery I",
	})
	ts.eng.mu.Lock()
	s := ts.eng.sessions[len(ts.eng.sessions)-1]
	ts.eng.mu.Unlock()
	if s.user != "alice" || s.database != "shop" || s.startup["application_name"] != "psql" {
		t.Errorf("NewSession got user %q database %q startup %v", s.user, s.database, s.startup)
	}
}

func int8Binary(v int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(v)) }

// TestExtendedProtocol drives the extended protocol by hand: each step
// sends messages and compares the whole reply transcript.
func TestExtendedProtocol(t *testing.T) {
	ts := startServer(t, Options{}, nil)
	r := dialRaw(t, ts.addr)
	r.startup(map[string]string{"user": "postgres"})
	steps := []struct {
		name string
		send []pgproto3.FrontendMessage
		want []string
	}{
		{
			"simple multi-statement",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: "select 1::int4; select 'two'::text"}},
			[]string{"RowDescription col1:23/4/-1/f0", `DataRow "1"`, "CommandComplete SELECT 1",
				"RowDescription col1:25/-1/-1/f0", `DataRow "two"`, "CommandComplete SELECT 1", "ReadyForQuery I"},
		},
		{
			"simple error stops the rest",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: "begin; select 1/0; select 1::int4"}},
			[]string{"CommandComplete BEGIN", "ERROR 22012 division by zero", "ReadyForQuery E"},
		},
		{
			"rollback",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: "rollback"}},
			[]string{"CommandComplete ROLLBACK", "ReadyForQuery I"},
		},
		{
			"empty queries",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: ""}, &pgproto3.Query{String: ";"}, &pgproto3.Query{String: "-- ping"}},
			[]string{"EmptyQueryResponse", "ReadyForQuery I", "EmptyQueryResponse", "ReadyForQuery I", "EmptyQueryResponse", "ReadyForQuery I"},
		},
		{
			"parameter status before ready",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: "set application_name = 'a'; set application_name = 'b'"}},
			[]string{"CommandComplete SET", "CommandComplete SET", "ParameterStatus application_name=b", "ReadyForQuery I"},
		},
		{
			"unchanged parameter is not reported",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: "set application_name = 'x'; set application_name = 'b'"}},
			[]string{"CommandComplete SET", "CommandComplete SET", "ReadyForQuery I"},
		},
		{
			"notice before command complete",
			[]pgproto3.FrontendMessage{&pgproto3.Query{String: "drop table if exists t"}},
			[]string{`Notice NOTICE 00000 table "t" does not exist, skipping`, "CommandComplete DROP TABLE", "ReadyForQuery I"},
		},
		{
			"parse and describe statement",
			[]pgproto3.FrontendMessage{
				&pgproto3.Parse{Name: "s1", Query: "select $1::int8, $2::varchar"},
				&pgproto3.Describe{ObjectType: 'S', Name: "s1"},
				&pgproto3.Sync{},
			},
			[]string{"ParseComplete", "ParameterDescription [20 1043]", "RowDescription col1:20/8/-1/f0 col2:1043/-1/-1/f0", "ReadyForQuery I"},
		},
		{
			"bind binary params, binary and text results",
			[]pgproto3.FrontendMessage{
				&pgproto3.Bind{PreparedStatement: "s1", ParameterFormatCodes: []int16{1, 0},
					Parameters: [][]byte{int8Binary(-5), []byte("v")}, ResultFormatCodes: []int16{1, 0}},
				&pgproto3.Describe{ObjectType: 'P'},
				&pgproto3.Execute{},
				&pgproto3.Sync{},
			},
			[]string{"BindComplete", "RowDescription col1:20/8/-1/f1 col2:1043/-1/-1/f0",
				`DataRow "\xff\xff\xff\xff\xff\xff\xff\xfb" "v"`, "CommandComplete SELECT 1", "ReadyForQuery I"},
		},
		{
			"duplicate statement skips to sync",
			[]pgproto3.FrontendMessage{
				&pgproto3.Parse{Name: "s1", Query: "select 1::int4"},
				&pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{[]byte("1"), []byte("x")}},
				&pgproto3.Execute{},
				&pgproto3.Sync{},
			},
			[]string{`ERROR 42P05 prepared statement "s1" already exists`, "ReadyForQuery I"},
		},
		{
			"bind count mismatch",
			[]pgproto3.FrontendMessage{
				&pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{[]byte("1")}},
				&pgproto3.Sync{},
			},
			[]string{`ERROR 08P01 bind message supplies 1 parameters, but prepared statement "s1" requires 2`, "ReadyForQuery I"},
		},
		{
			"bad binary parameter",
			[]pgproto3.FrontendMessage{
				&pgproto3.Bind{PreparedStatement: "s1", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{1, 2}, []byte("x")}},
				&pgproto3.Sync{},
			},
			[]string{"ERROR 22P03 incorrect binary data format in bind parameter 1", "ReadyForQuery I"},
		},
		{
			"text parameter input error",
			[]pgproto3.FrontendMessage{
				&pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{[]byte("abc"), nil}},
				&pgproto3.Sync{},
			},
			[]string{`ERROR 22P02 invalid input syntax for type bigint: "abc"`, "ReadyForQuery I"},
		},
		{
			"unsupported result format",
			[]pgproto3.FrontendMessage{
				&pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{[]byte("1"), nil}, ResultFormatCodes: []int16{2}},
				&pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{[]byte("1"), nil}, ResultFormatCodes: []int16{0, 0, 0}},
				&pgproto3.Sync{},
				&pgproto3.Bind{PreparedStatement: "s1", Parameters: [][]byte{[]byte("1"), nil}, ResultFormatCodes: []int16{0, 0, 0}},
				&pgproto3.Sync{},
			},
			[]string{"ERROR 22023 unsupported format code: 2", "ReadyForQuery I",
				"ERROR 08P01 bind message has 3 result formats but query has 2 columns", "ReadyForQuery I"},
		},
		{
			"simple query drops the unnamed statement",
			[]pgproto3.FrontendMessage{
				&pgproto3.Parse{Query: "select 1::int4"},
				&pgproto3.Sync{},
				&pgproto3.Query{String: "begin"},
				&pgproto3.Bind{},
				&pgproto3.Sync{},
				&pgproto3.Query{String: "rollback"},
			},
			[]string{"ParseComplete", "ReadyForQuery I", "CommandComplete BEGIN", "ReadyForQuery T",
				"ERROR 26000 unnamed prepared statement does not exist", "ReadyForQuery T",
				"CommandComplete ROLLBACK", "ReadyForQuery I"},
		},
		{
			"unknown statement and portal",
			[]pgproto3.FrontendMessage{
				&pgproto3.Bind{PreparedStatement: "nope"}, &pgproto3.Sync{},
				&pgproto3.Describe{ObjectType: 'S'}, &pgproto3.Sync{},
				&pgproto3.Execute{Portal: "nope"}, &pgproto3.Sync{},
			},
			[]string{`ERROR 26000 prepared statement "nope" does not exist`, "ReadyForQuery I",
				"ERROR 26000 unnamed prepared statement does not exist", "ReadyForQuery I",
				`ERROR 34000 portal "nope" does not exist`, "ReadyForQuery I"},
		},
		{
			"row limit suspends the portal",
			[]pgproto3.FrontendMessage{
				&pgproto3.Query{String: "begin"},
				&pgproto3.Parse{Name: "series", Query: "select generate_series(1, 5)"},
				&pgproto3.Bind{DestinationPortal: "p1", PreparedStatement: "series"},
				&pgproto3.Execute{Portal: "p1", MaxRows: 2},
				&pgproto3.Execute{Portal: "p1", MaxRows: 2},
				&pgproto3.Sync{},
			},
			[]string{"CommandComplete BEGIN", "ReadyForQuery T", "ParseComplete", "BindComplete",
				`DataRow "1"`, `DataRow "2"`, "PortalSuspended", `DataRow "3"`, `DataRow "4"`, "PortalSuspended", "ReadyForQuery T"},
		},
		{
			"portal survives sync inside a transaction",
			[]pgproto3.FrontendMessage{
				&pgproto3.Execute{Portal: "p1", MaxRows: 2},
				&pgproto3.Execute{Portal: "p1"},
				&pgproto3.Sync{},
			},
			[]string{`DataRow "5"`, "CommandComplete SELECT 1", "CommandComplete SELECT 0", "ReadyForQuery T"},
		},
		{
			"portals end with the transaction",
			[]pgproto3.FrontendMessage{
				&pgproto3.Query{String: "commit"},
				&pgproto3.Execute{Portal: "p1"},
				&pgproto3.Sync{},
			},
			[]string{"CommandComplete COMMIT", "ReadyForQuery I", `ERROR 34000 portal "p1" does not exist`, "ReadyForQuery I"},
		},
		{
			"no-row statement and empty statement",
			[]pgproto3.FrontendMessage{
				&pgproto3.Parse{Query: "begin"},
				&pgproto3.Describe{ObjectType: 'S'},
				&pgproto3.Bind{},
				&pgproto3.Execute{},
				&pgproto3.Parse{Query: ""},
				&pgproto3.Bind{},
				&pgproto3.Describe{ObjectType: 'P'},
				&pgproto3.Execute{},
				&pgproto3.Query{String: "rollback"},
			},
			[]string{"ParseComplete", "ParameterDescription []", "NoData", "BindComplete", "CommandComplete BEGIN",
				"ParseComplete", "BindComplete", "NoData", "EmptyQueryResponse", "CommandComplete ROLLBACK", "ReadyForQuery I"},
		},
		{
			"close and panic",
			[]pgproto3.FrontendMessage{
				&pgproto3.Close{ObjectType: 'S', Name: "s1"},
				&pgproto3.Close{ObjectType: 'P', Name: "nope"},
				&pgproto3.Parse{Name: "s1", Query: "select panic()"},
				&pgproto3.Bind{PreparedStatement: "s1"},
				&pgproto3.Execute{},
				&pgproto3.Sync{},
			},
			[]string{"CloseComplete", "CloseComplete", "ParseComplete", "BindComplete",
				"ERROR XX000 internal error: assignment to entry in nil map", "ReadyForQuery I"},
		},
		{
			"flush without sync",
			[]pgproto3.FrontendMessage{&pgproto3.Parse{Name: "s2", Query: "select 1::int4"}, &pgproto3.Flush{}, &pgproto3.Sync{}},
			[]string{"ParseComplete", "ReadyForQuery I"},
		},
	}
	for _, s := range steps {
		r.send(s.send...)
		var got []string
		for range countReady(s.send) {
			got = append(got, r.roundTrip()...)
		}
		equalLines(t, s.name, got, s.want)
	}
}

// countReady is how many ReadyForQuery messages the messages produce.
func countReady(msgs []pgproto3.FrontendMessage) []struct{} {
	n := 0
	for _, m := range msgs {
		switch m.(type) {
		case *pgproto3.Query, *pgproto3.Sync:
			n++
		}
	}
	return make([]struct{}, n)
}

// TestBodyLen: the length decodeExact expects is the length of the
// message's own encoding, for every kind it checks.
func TestBodyLen(t *testing.T) {
	msgs := []pgproto3.FrontendMessage{
		&pgproto3.Parse{}, &pgproto3.Parse{Name: "s1", Query: "select $1, $2", ParameterOIDs: []uint32{23, 25}},
		&pgproto3.Bind{}, &pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "s1", ParameterFormatCodes: []int16{0, 1},
			Parameters: [][]byte{[]byte("12"), nil}, ResultFormatCodes: []int16{1}},
		&pgproto3.Describe{ObjectType: 'S', Name: "s1"}, &pgproto3.Describe{ObjectType: 'P'},
		&pgproto3.Close{ObjectType: 'S', Name: "stmt"}, &pgproto3.Execute{Portal: "p", MaxRows: 7}, &pgproto3.Execute{},
	}
	for _, m := range msgs {
		enc, err := m.Encode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := bodyLen(m), len(enc)-5; got != want {
			t.Errorf("%#v: bodyLen %d, encoded body %d", m, got, want)
		}
	}
}
