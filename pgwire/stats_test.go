package pgwire

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestStatsAndConnectionLog: accepted connections, rate-limit refusals and
// errors by SQLSTATE are counted; log_connections and log_disconnections
// log each connection without a password.
func TestStatsAndConnectionLog(t *testing.T) {
	ts := startServer(t, Options{LogConnections: true, LogDisconnections: true, Rates: RateLimits{
		ConnectionsPerAddress: RateLimit{PerSecond: 0.001, Burst: 1}, Wait: -1}}, nil)
	conn, err := connectFrom(t, ts, "127.0.0.2", "postgres", map[string]string{"application_name": "statsapp"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connectFrom(t, ts, "127.0.0.2", "postgres", nil); !strings.Contains(pgCode(err), "53400") {
		t.Fatalf("second connection: %s, want 53400", pgCode(err))
	}
	st := ts.srv.Stats()
	if st.Connections != 2 || st.RateLimitedConnections != 1 || st.RateLimitedStatements != 0 || st.Errors["53400"] != 1 {
		t.Fatalf("Stats = %+v", st)
	}
	conn.Close(context.Background())
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(ts.log.String(), "msg=disconnection") {
		if time.Now().After(deadline) {
			t.Fatalf("no disconnection logged:\n%s", ts.log.String())
		}
		time.Sleep(time.Millisecond)
	}
	log := ts.log.String()
	for _, want := range []string{"msg=\"connection received\"", "host=127.0.0.2 port=", "msg=\"connection authorized\"",
		"user=postgres database=postgres application_name=statsapp", "msg=disconnection", "session_time="} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if n := strings.Count(log, "msg=disconnection"); n != 1 {
		t.Errorf("%d disconnections logged, want 1 (the refused connection had no session)", n)
	}
}
