package types

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestIntervalInputOutput reads interval text and prints it in the postgres
// IntervalStyle; the expected answers are PostgreSQL 15's.
func TestIntervalInputOutput(t *testing.T) {
	cases := []struct{ in, want string }{
		{"01:00", "01:00:00"},
		{"+02:00", "02:00:00"},
		{"-08:00", "-08:00:00"},
		{"-1 +02:03", "-1 days +02:03:00"},
		{"-1 days +02:03", "-1 days +02:03:00"},
		{"1.5 weeks", "10 days 12:00:00"},
		{"1.5 months", "1 mon 15 days"},
		{"10 years -11 month -12 days +13:14", "9 years 1 mon -12 days +13:14:00"},
		{"@ 1 minute", "00:01:00"},
		{"@ 14 seconds ago", "-00:00:14"},
		{"1 day 2 hours 3 minutes 4 seconds", "1 day 02:03:04"},
		{"badly formatted interval", "ERROR:  invalid input syntax for type interval: \"badly formatted interval\""},
		{"@ 30 eons ago", "ERROR:  invalid input syntax for type interval: \"@ 30 eons ago\""},
		{"2147483648 days", "ERROR:  interval field value out of range: \"2147483648 days\""},
		{"2147483647 years", "ERROR:  interval out of range"},
		{"1 second 2 seconds", "ERROR:  invalid input syntax for type interval: \"1 second 2 seconds\""},
		{"1:20:05 5 microseconds", "ERROR:  invalid input syntax for type interval: \"1:20:05 5 microseconds\""},
		{"1-2", "1 year 2 mons"},
		{"123 11", "ERROR:  invalid input syntax for type interval: \"123 11\""},
		{"123 2:03 -2:04", "ERROR:  invalid input syntax for type interval: \"123 2:03 -2:04\""},
		{"+1 -1:00:00", "1 day -01:00:00"},
		{"+1-2 -3 +4:05:06.789", "1 year 2 mons -3 days +04:05:06.789"},
		{"-23 hours 45 min 12.34 sec", "-22:14:47.66"},
		{"P1Y2M3DT4H5M6.7S", "1 year 2 mons 3 days 04:05:06.7"},
		{"P-1Y-2M-3DT-4H-5M-6.7S", "-1 years -2 mons -3 days -04:05:06.7"},
		{"PT-0.1S", "-00:00:00.1"},
		{"P00021015T103020", "2 years 10 mons 15 days 10:30:20"},
		{"P0002-10-15T10:30:20", "2 years 10 mons 15 days 10:30:20"},
		{"P0002", "2 years"},
		{"P0002-10T1S", "2 years 10 mons 00:00:01"},
		{"PT10:30", "10:30:00"},
		{"P1.1Y0M3DT4H5M6S", "1 year 1 mon 3 days 04:05:06"},
		{"P.Y0M3DT4H5M6S", "ERROR:  invalid input syntax for type interval: \"P.Y0M3DT4H5M6S\""},
		{"0:0:0.7", "00:00:00.7"},
		{"2562047788.01521550194 hours", "2562047788:00:54.775807"},
		{"-9223372036854.775808 seconds", "-2562047788:00:54.775808"},
		{"9223372036854775808 microsecond", "ERROR:  interval field value out of range: \"9223372036854775808 microsecond\""},
		{"PT2562047788H54.775807S", "2562047788:00:54.775807"},
		{"PT2562047788.0152155019444", "2562047788:00:54.775429"},
		{"P1-2147483647-2147483647", "ERROR:  interval out of range"},
		{"0.1 millennium 2147483647 months", "ERROR:  interval field value out of range: \"0.1 millennium 2147483647 months\""},
		{"-0.5 weeks -2147483648 days", "ERROR:  interval field value out of range: \"-0.5 weeks -2147483648 days\""},
		{"P0.01MT2562047788H54.775807S", "ERROR:  interval field value out of range: \"P0.01MT2562047788H54.775807S\""},
		{"PT2562047788:01.:54.775807", "ERROR:  interval field value out of range: \"PT2562047788:01.:54.775807\""},
		{"0.1 2562047788:0:54.775807", "ERROR:  interval field value out of range: \"0.1 2562047788:0:54.775807\""},
		{"2562047788:0.1:54.775807", "ERROR:  invalid input syntax for type interval: \"2562047788:0.1:54.775807\""},
		{"-2147483648 months ago", "ERROR:  interval field value out of range: \"-2147483648 months ago\""},
		{"-2147483648 months -2147483648 days -9223372036854775808 us", "-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808"},
		{"100000000y 10mon -1000000000d -100000h -10min -10.000001s ago", "-100000000 years -10 mons +1000000000 days 100000:10:10.000001"},
		{"4 millenniums 5 centuries 4 decades 1 year 4 months 4 days 17 minutes 31 seconds", "4541 years 4 mons 4 days 00:17:31"},
		{" 1 day", "1 day"},
		{"1 day  ", "1 day"},
	}
	for _, c := range cases {
		v, err := ParseInterval(c.in, -1)
		got := ""
		if err != nil {
			got = "ERROR:  " + pgerr.Find(err).Message
		} else {
			got = FormatInterval(v, "")
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}
