package types

import (
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestTimeInputOutput reads time and timetz text and prints it back; the
// expected answers are PostgreSQL 15's (in TimeZone UTC).
func TestTimeInputOutput(t *testing.T) {
	for _, c := range []struct{ in, time, timetz string }{
		{"04:05:06.789", "04:05:06.789", "04:05:06.789+00"},
		{"04:05 PM", "16:05:00", "16:05:00+00"},
		{"12:00 AM", "00:00:00", "00:00:00+00"},
		{"040506", "04:05:06", "04:05:06+00"},
		{"0405", "04:05:00", "04:05:00+00"},
		{"23:59:59.9999999", "24:00:00", "24:00:00+00"},
		{"24:00", "24:00:00", "24:00:00+00"},
		{"24:00:00.1", `ERROR 22008 date/time field value out of range: "24:00:00.1"`, `ERROR 22008 date/time field value out of range: "24:00:00.1"`},
		{"25:00", `ERROR 22008 date/time field value out of range: "25:00"`, `ERROR 22008 date/time field value out of range: "25:00"`},
		{"noon", `ERROR 22007 invalid input syntax for type time: "noon"`, `ERROR 22007 invalid input syntax for type time with time zone: "noon"`},
		{"2003-04-12 04:05:06", "04:05:06", "04:05:06+00"},
		{"04:05:06-08", "04:05:06", "04:05:06-08"},
		{"04:05:06+05:30", "04:05:06", "04:05:06+05:30"},
		{"allballs", "00:00:00", "00:00:00+00"},
		{"1:2", "01:02:00", "01:02:00+00"},
		{"13:00 PM", `ERROR 22008 date/time field value out of range: "13:00 PM"`, `ERROR 22008 date/time field value out of range: "13:00 PM"`},
		{"04:05:06.5 Z", "04:05:06.5", "04:05:06.5+00"},
		{"11:00 BST", "11:00:00", "11:00:00+01"},
		{"04:05 pst", "04:05:00", "04:05:00-08"},
	} {
		for _, tc := range []struct {
			id   ID
			want string
		}{{Time, c.time}, {TimeTZ, c.timetz}} {
			v, err := ParseText(New(tc.id), c.in)
			got := ""
			if err != nil {
				got = "ERROR " + pgerr.Code(err) + " " + pgerr.Find(err).Message
			} else {
				got = FormatText(New(tc.id), v)
			}
			if got != tc.want {
				t.Errorf("%s %q: got %q, want %q", New(tc.id).Name(), c.in, got, tc.want)
			}
		}
	}
}

// TestTimeTZOrder checks timetz comparison (by UTC instant, then zone)
// and that equal values have equal keys while 1 month and 30 days, equal
// as intervals, share a key.
func TestTimeTZOrder(t *testing.T) {
	a := TimeTZValue{Micros: 10 * 3600e6, Zone: -7200} // 10:00+02
	b := TimeTZValue{Micros: 8 * 3600e6, Zone: 0}      // 08:00+00
	if c := Compare(a, b); c != -1 {
		t.Errorf("10:00+02 vs 08:00+00: %d, want -1 (same instant; the zone west of UTC sorts first)", c)
	}
	month, _ := ParseInterval("1 mon", -1)
	days, _ := ParseInterval("30 days", -1)
	if string(EncodeKey([]Datum{month})) != string(EncodeKey([]Datum{days})) {
		t.Error("1 mon and 30 days have different keys")
	}
	hour, _ := ParseInterval("-1 hour", -1)
	if string(EncodeKey([]Datum{hour})) >= string(EncodeKey([]Datum{days})) {
		t.Error("-1 hour does not sort before 30 days")
	}
	row, err := DecodeRow(EncodeRow([]Datum{month, TimeOfDay(5), a}))
	if err != nil || row[0] != month || row[1] != TimeOfDay(5) || row[2] != a {
		t.Errorf("row round trip: %v %v", row, err)
	}
}

// TestIntervalStyles prints intervals in each IntervalStyle as
// PostgreSQL 15 does.
func TestIntervalStyles(t *testing.T) {
	for _, c := range []struct{ in, style, want string }{
		{"1 year 2 mons", IntervalStyleSQLStandard, "1-2"},
		{"1 day 02:03:04", IntervalStyleSQLStandard, "1 2:03:04"},
		{"-1 days -02:03:04", IntervalStyleSQLStandard, "-1 2:03:04"},
		{"1 day -01:00:00", IntervalStyleSQLStandard, "+0-0 +1 -1:00:00"},
		{"0", IntervalStyleSQLStandard, "0"},
		{"1-2", IntervalStyleISO8601, "P1Y2M"},
		{"1 2:03:04", IntervalStyleISO8601, "P1DT2H3M4S"},
		{"0", IntervalStyleISO8601, "PT0S"},
		{"-1 day 2 hours", IntervalStyleISO8601, "P-1DT2H"},
		{"1 year 2 mons 3 days 04:05:06.7", IntervalStylePostgresVerbose, "@ 1 year 2 mons 3 days 4 hours 5 mins 6.7 secs"},
		{"-1 day", IntervalStylePostgresVerbose, "@ 1 day ago"},
		{"0", IntervalStylePostgresVerbose, "@ 0"},
		{"-14 seconds", IntervalStylePostgresVerbose, "@ 14 secs ago"},
		{"-2147483648 months -2147483648 days -9223372036854775808 us", IntervalStyleSQLStandard, "-178956970-8 -2147483648 -2562047788:00:54.775808"},
		{"-2147483648 months -2147483648 days -9223372036854775808 us", IntervalStyleISO8601, "P-178956970Y-8M-2147483648DT-2562047788H-54.775808S"},
	} {
		v, err := ParseInterval(c.in, -1)
		if err != nil {
			t.Fatal(err)
		}
		if got := FormatInterval(v, c.style); got != c.want {
			t.Errorf("%q in %s: got %q, want %q", c.in, c.style, got, c.want)
		}
	}
}

// TestLoadZone resolves the spellings SET TimeZone takes.
func TestLoadZone(t *testing.T) {
	at := time.Date(2000, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		east int
		ok   bool
	}{
		{"America/New_York", -4 * 3600, true},
		{"america/new_york", -4 * 3600, true},
		{"UTC", 0, true},
		{"-08", -8 * 3600, true},
		{"5.5", 5*3600 + 1800, true},
		{"UTC+3", -3 * 3600, true},
		{"<-08>+08", -8 * 3600, true},
		{"+02:00", -2 * 3600, true},
		{"-04:30", 4*3600 + 1800, true},
		{"Mars/Olympus", 0, false},
		{"", 0, false},
		{"Local", 0, false},
	} {
		z, ok := LoadZone(c.name)
		if ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.name, ok, c.ok)
			continue
		}
		if ok {
			if _, off := at.In(z).Zone(); off != c.east {
				t.Errorf("%q: offset %d, want %d", c.name, off, c.east)
			}
		}
	}
}
