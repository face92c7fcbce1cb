package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestTimestampInput reads timestamp and timestamptz text in
// PostgreSQL's formats beyond ISO; the expected answers are
// PostgreSQL 15's in TimeZone UTC.
func TestTimestampInput(t *testing.T) {
	for _, c := range []struct{ in, ts, tstz string }{
		{"Mon Feb 10 17:32:01 1997 PST", "1997-02-10 17:32:01", "1997-02-11 01:32:01+00"},
		{"Feb 10 17:32:01 1997 -0800", "1997-02-10 17:32:01", "1997-02-11 01:32:01+00"},
		{"Feb 10 5:32PM 1997", "1997-02-10 17:32:00", "1997-02-10 17:32:00+00"},
		{"1997/02/10 17:32:01-0800", "1997-02-10 17:32:01", "1997-02-11 01:32:01+00"},
		{"Feb-10-1997 17:32:01 PST", "1997-02-10 17:32:01", "1997-02-11 01:32:01+00"},
		{"02-10-1997 17:32:01 PST", "1997-02-10 17:32:01", "1997-02-11 01:32:01+00"},
		{"19970210 173201 PST", "1997-02-10 17:32:01", "1997-02-11 01:32:01+00"},
		{"1997.041 17:32:01 UTC", "1997-02-10 17:32:01", "1997-02-10 17:32:01+00"},
		{"19970210 173201 America/New_York", "1997-02-10 17:32:01", "1997-02-10 22:32:01+00"},
		{"19970710 173201 America/Does_not_exist", "ERROR 22023", "ERROR 22023"},
		{"Feb 16 17:32:01 0097 BC", "0097-02-16 17:32:01 BC", "0097-02-16 17:32:01+00 BC"},
		{"January 8, 99 BC", "0099-01-08 00:00:00 BC", "0099-01-08 00:00:00+00 BC"},
		{"2000-03-15 08:14:01 GMT+8", "2000-03-15 08:14:01", "2000-03-15 16:14:01+00"},
		{"epoch", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00"},
		{"infinity", "infinity", "infinity"},
		{"-infinity", "-infinity", "-infinity"},
		{"2000-02-30", "ERROR 22008", "ERROR 22008"},
		{"J2451187", "1999-01-08 00:00:00", "1999-01-08 00:00:00+00"},
		{"1999-Jan-08", "1999-01-08 00:00:00", "1999-01-08 00:00:00+00"},
		{"08-Jan-1999", "1999-01-08 00:00:00", "1999-01-08 00:00:00+00"},
		{"Jan 08 99", "1999-01-08 00:00:00", "1999-01-08 00:00:00+00"},
		{"nonsense", "ERROR 22007", "ERROR 22007"},
		{"Feb 29 17:32:01 1997", "ERROR 22008", "ERROR 22008"},
		// A three-digit number after a long year is a day of the year.
		{"2003 100", "2003-04-10 00:00:00", "2003-04-10 00:00:00+00"},
		{"2003 366", "2004-01-01 00:00:00", "2004-01-01 00:00:00+00"},
		{"[100,200]", "0100-07-19 00:00:00", "0100-07-19 00:00:00+00"},
		{"[100,200,300]", "ERROR 22007", "ERROR 22007"},
		{"2003 12 5", "2003-12-05 00:00:00", "2003-12-05 00:00:00+00"},
	} {
		for _, tc := range []struct {
			id   ID
			want string
		}{{Timestamp, c.ts}, {TimestampTZ, c.tstz}} {
			v, err := ParseText(New(tc.id), c.in)
			got := ""
			if err != nil {
				got = "ERROR " + pgerr.Code(err)
			} else {
				got = FormatText(New(tc.id), v)
			}
			if got != tc.want {
				t.Errorf("%s %q: got %q, want %q", New(tc.id).Name(), c.in, got, tc.want)
			}
		}
	}
}
