package sql

import (
	"regexp"
	"testing"
)

// TestTimeOfDay: timeofday() is the wall clock as text in PostgreSQL's
// format, in the session's time zone, and casts to timestamp.
func TestTimeOfDay(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	cases := []struct{ setup, query, want string }{
		{"SET TimeZone = 'UTC'", "SELECT timeofday()", `^\[[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4} UTC\]$`},
		{"SET TimeZone = 'America/New_York'", "SELECT timeofday()", ` E[SD]T\]$`},
		{"SET TimeZone = 'UTC'", "SELECT timeofday()::timestamp IS NOT NULL", `^\[t\]$`},
	}
	for _, c := range cases {
		mustRun(t, s, c.setup)
		if got := outcome(s, c.query); !regexp.MustCompile(c.want).MatchString(got) {
			t.Errorf("%s: got %s, want match of %s", c.query, got, c.want)
		}
	}
}
