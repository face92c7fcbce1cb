package cairn_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestIntervalAndTimeThroughPgx sends interval and time parameters in
// pgx's binary form (time.Duration, pgtype.Interval, pgtype.Time), reads
// them back in binary and in text, and reads a timestamptz in the
// session's TimeZone, in every query mode.
func TestIntervalAndTimeThroughPgx(t *testing.T) {
	url := startCairnServer(t)
	for _, m := range []struct {
		name string
		mode pgx.QueryExecMode
	}{
		{"extended", pgx.QueryExecModeCacheStatement},
		{"describe-exec", pgx.QueryExecModeDescribeExec},
		{"simple", pgx.QueryExecModeSimpleProtocol},
	} {
		t.Run(m.name, func(t *testing.T) {
			ctx := context.Background()
			cfg, err := pgx.ParseConfig(url)
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = m.mode
			conn, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			table := "dt_" + m.name[:3]
			if _, err := conn.Exec(ctx, "CREATE TABLE "+table+" (k int PRIMARY KEY, i interval, t time, z timetz)"); err != nil {
				t.Fatal(err)
			}
			iv := pgtype.Interval{Months: 14, Days: -3, Microseconds: 4*3600e6 + 500, Valid: true}
			tm := pgtype.Time{Microseconds: 13*3600e6 + 1, Valid: true}
			if _, err := conn.Exec(ctx, "INSERT INTO "+table+" VALUES (1, $1, $2, '10:00:00+05:30'), (2, $3, '00:00', '00:00-08')", iv, tm, 90*time.Minute); err != nil {
				t.Fatal(err)
			}
			var gotIv pgtype.Interval
			var gotTm pgtype.Time
			var z string
			if err := conn.QueryRow(ctx, "SELECT i, t, z::text FROM "+table+" WHERE k = $1", 1).Scan(&gotIv, &gotTm, &z); err != nil {
				t.Fatal(err)
			}
			if gotIv != iv || gotTm != tm || z != "10:00:00+05:30" {
				t.Errorf("got %+v %+v %q, want %+v %+v 10:00:00+05:30", gotIv, gotTm, z, iv, tm)
			}
			var d time.Duration
			var text string
			if err := conn.QueryRow(ctx, "SELECT i, i::text FROM "+table+" WHERE i = $1", 90*time.Minute).Scan(&d, &text); err != nil {
				t.Fatal(err)
			}
			if d != 90*time.Minute || text != "01:30:00" {
				t.Errorf("got %v %q, want 1h30m 01:30:00", d, text)
			}
			if _, err := conn.Exec(ctx, "SET TimeZone = 'America/New_York'"); err != nil {
				t.Fatal(err)
			}
			var at time.Time
			if err := conn.QueryRow(ctx, "SELECT timestamptz '2000-07-01 12:00', timestamptz '2000-07-01 12:00'::text").Scan(&at, &text); err != nil {
				t.Fatal(err)
			}
			if want := time.Date(2000, 7, 1, 16, 0, 0, 0, time.UTC); !at.Equal(want) || text != "2000-07-01 12:00:00-04" {
				t.Errorf("got %v %q, want %v and 2000-07-01 12:00:00-04", at, text, want)
			}
			if _, err := conn.Exec(ctx, "RESET TimeZone"); err != nil {
				t.Fatal(err)
			}
		})
	}
}
