package sql

import "testing"

// TestZoneAbbrevAndEpoch checks time-varying zone abbreviations (MSK was
// UTC+3 until 2011-03-27, UTC+4 until 2014-10-26, UTC+3 since),
// make_timestamptz's numeric zones and to_timestamp(double precision),
// against PostgreSQL 15's answers.
func TestZoneAbbrevAndEpoch(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "SET TimeZone = 'UTC'")
	cases := []struct{ q, want string }{
		{"SELECT '2011-03-27 02:00:00 MSK'::timestamptz::text", "[2011-03-26 22:00:00+00]"},
		{"SELECT '2011-03-27 03:00:00 MSK'::timestamptz::text", "[2011-03-26 23:00:00+00]"},
		{"SELECT '2014-10-26 00:59:59 MSK'::timestamptz::text", "[2014-10-25 20:59:59+00]"},
		{"SELECT '2014-10-26 01:00:00 MSK'::timestamptz::text", "[2014-10-25 22:00:00+00]"},
		{"SELECT '2020-01-01 12:00 MSK'::timestamptz::text", "[2020-01-01 09:00:00+00]"},
		{"SELECT ('2011-03-27 02:00:00'::timestamp AT TIME ZONE 'MSK')::text", "[2011-03-26 22:00:00+00]"},
		{"SELECT ('2011-03-26 23:00:00 UTC'::timestamptz AT TIME ZONE 'MSK')::text", "[2011-03-27 03:00:00]"},
		{"SELECT ('2014-10-25 21:59:59 UTC'::timestamptz AT TIME ZONE 'MSK')::text", "[2014-10-26 01:59:59]"},
		{"SELECT make_timestamptz(2014, 10, 26, 0, 0, 0, 'MSK')::text", "[2014-10-25 20:00:00+00]"},
		{"SELECT date_trunc('day', timestamptz '2001-02-16 20:38:40+00', 'VET')::text", "[2001-02-16 04:00:00+00]"},
		{"SELECT make_timestamptz(2010, 2, 27, 3, 45, 0, '+1:')::text", "[2010-02-27 02:45:00+00]"},
		{"SELECT make_timestamptz(2010, 2, 27, 3, 45, 0, '+1000')::text", "[2010-02-26 17:45:00+00]"},
		{"SELECT make_timestamptz(2010, 2, 27, 3, 45, 0, '-10:00:10')::text", "[2010-02-27 13:45:10+00]"},
		{"SELECT make_timestamptz(1973, 7, 15, 8, 15, 55.33, '2')", "22023: invalid input syntax for type numeric time zone: \"2\""},
		{"SELECT make_timestamptz(1973, 7, 15, 8, 15, 55.33, '+16')", "22023: numeric time zone \"+16\" out of range"},
		{"SELECT to_timestamp(0)::text", "[1970-01-01 00:00:00+00]"},
		{"SELECT to_timestamp(1262349296.7890123)::text", "[2010-01-01 12:34:56.789012+00]"},
		{"SELECT to_timestamp(-210866803200)::text", "[4714-11-24 00:00:00+00 BC]"},
		{"SELECT to_timestamp('-Infinity'::float8)::text", "[-infinity]"},
		{"SELECT to_timestamp('NaN'::float8)", "22008: timestamp cannot be NaN"},
		{"SELECT to_timestamp(1e20)", "22008: timestamp out of range: \"1e+20\""},
	}
	for _, tc := range cases {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.q, got, tc.want)
		}
	}
}
