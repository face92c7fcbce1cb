package main

import (
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/pgwire"
)

func TestRateFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    pgwire.RateLimits
		wantErr string
	}{
		{args: nil, want: pgwire.RateLimits{Wait: time.Second}},
		{args: []string{"--rate-connections-per-address", "5", "--rate-connections-per-address-burst", "20"},
			want: pgwire.RateLimits{ConnectionsPerAddress: pgwire.RateLimit{PerSecond: 5, Burst: 20}, Wait: time.Second}},
		// The burst defaults to the rate rounded up.
		{args: []string{"--rate-statements-per-role", "2.5", "--rate-statements-per-address", "0.1", "--rate-connections-per-role", "3"},
			want: pgwire.RateLimits{StatementsPerRole: pgwire.RateLimit{PerSecond: 2.5, Burst: 3},
				StatementsPerAddress: pgwire.RateLimit{PerSecond: 0.1, Burst: 1},
				ConnectionsPerRole:   pgwire.RateLimit{PerSecond: 3, Burst: 3}, Wait: time.Second}},
		// --rate-wait 0 fails at once: pgwire's negative Wait.
		{args: []string{"--rate-wait", "0"}, want: pgwire.RateLimits{Wait: -1}},
		{args: []string{"--rate-wait", "250ms"}, want: pgwire.RateLimits{Wait: 250 * time.Millisecond}},
		{args: []string{"--rate-wait", "-1s"}, wantErr: "--rate-wait must not be negative"},
		{args: []string{"--rate-statements-per-role", "-1"}, wantErr: "--rate-statements-per-role -1"},
		{args: []string{"--rate-statements-per-role", "NaN"}, wantErr: "--rate-statements-per-role NaN"},
		{args: []string{"--rate-statements-per-role", "1", "--rate-statements-per-role-burst", "-2"}, wantErr: "burst at least 0"},
		{args: []string{"--rate-connections-per-role-burst", "4"}, wantErr: "--rate-connections-per-role-burst needs --rate-connections-per-role"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var r rateFlags
		r.register(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		got, err := r.options()
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: error %v, want one containing %q", tt.args, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%v: %v", tt.args, err)
		case got != tt.want:
			t.Errorf("%v: %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

// TestRateFlagsServe: the flags reach the server: past the burst a
// connection and a statement get 53400.
func TestRateFlagsServe(t *testing.T) {
	s := startServer(t, ":memory:", "--rate-connections-per-address", "0.001", "--rate-connections-per-address-burst", "2",
		"--rate-statements-per-role", "0.001", "--rate-statements-per-role-burst", "3", "--rate-wait", "0")
	ctx := context.Background()
	first := connect(t, s)
	connect(t, s)
	_, err := pgx.Connect(ctx, s.url)
	if err == nil || !strings.Contains(err.Error(), "too many connections from address 127.0.0.1: the limit is 0.001 a second, 2 at once (SQLSTATE 53400)") {
		t.Errorf("third connection: %v", err)
	}
	for i := range 4 {
		_, err := first.Exec(ctx, "select 1", pgx.QueryExecModeSimpleProtocol)
		if i < 3 && err != nil {
			t.Fatalf("statement %d: %v", i, err)
		}
		if i == 3 && (err == nil || !strings.Contains(err.Error(), "too many statements by role postgres: the limit is 0.001 a second, 3 at once (SQLSTATE 53400)")) {
			t.Fatalf("fourth statement: %v", err)
		}
	}
}
