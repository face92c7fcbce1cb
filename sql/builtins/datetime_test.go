package builtins

import (
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestDatetimeKernels checks interval and timestamp arithmetic against
// PostgreSQL 15's answers.
func TestDatetimeKernels(t *testing.T) {
	iv := func(s string) types.IntervalValue {
		v, err := types.ParseInterval(s, -1)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ts := func(s string) time.Time {
		v, err := types.ParseText(types.New(types.Timestamp), s)
		if err != nil {
			t.Fatal(err)
		}
		return v.(time.Time)
	}
	show := func(v types.Datum, err error) string {
		if err != nil {
			return "ERROR " + pgerr.Find(err).Message
		}
		switch x := v.(type) {
		case types.IntervalValue:
			return types.FormatInterval(x, "")
		case time.Time:
			return types.FormatText(types.New(types.Timestamp), x)
		}
		return "?"
	}
	for _, c := range []struct {
		name string
		got  func() (types.Datum, error)
		want string
	}{
		{"mul 0.3", func() (types.Datum, error) { return MulInterval(iv("41 mon 12 days 360:00"), 0.3, false) }, "1 year 12 days 122:24:00"},
		{"mul 8.2", func() (types.Datum, error) { return MulInterval(iv("-41 mon -12 days +360:00"), 8.2, false) }, "-28 years -104 days +2942:24:00"},
		{"div 10", func() (types.Datum, error) { return MulInterval(iv("-3 years 482 days 76:54:32.189"), 10, true) }, "-3 mons +30 days 12:29:27.2189"},
		{"div 100", func() (types.Datum, error) { return MulInterval(iv("999 mon 999 days"), 100, true) }, "9 mons 39 days 16:33:36"},
		{"mul fraction", func() (types.Datum, error) { return MulInterval(iv("9 mon -27 days 12:34:56"), 0.3, false) }, "2 mons 13 days 01:22:28.8"},
		{"div zero", func() (types.Datum, error) { return MulInterval(iv("1 day"), 0, true) }, "ERROR division by zero"},
		{"end of month", func() (types.Datum, error) { return AddInterval(ts("2000-01-31 10:00"), iv("1 month"), time.UTC) }, "2000-02-29 10:00:00"},
		{"month then day", func() (types.Datum, error) { return AddInterval(ts("2000-03-31"), iv("-1 month -1 day"), time.UTC) }, "2000-02-28 00:00:00"},
		{"out of range", func() (types.Datum, error) { return AddInterval(ts("2000-01-01"), iv("2147483647 months"), time.UTC) }, "ERROR timestamp out of range"},
		{"difference", func() (types.Datum, error) { return SubTimestamps(ts("2001-01-01"), ts("2000-01-01 12:00:01")) }, "365 days 11:59:59"},
		{"sum overflow", func() (types.Datum, error) { return AddIntervals(iv("2147483647 days"), iv("1 day"), 1) }, "ERROR interval out of range"},
		{"justify_interval overflow", func() (types.Datum, error) { return JustifyInterval(iv("2147483647 months -30 days 1440 hrs")) }, "ERROR interval out of range"},
		{"justify_interval", func() (types.Datum, error) { return JustifyInterval(iv("1 month -1 hour")) }, "29 days 23:00:00"},
		{"justify_days", func() (types.Datum, error) { return JustifyDays(iv("-6 months 36 days")) }, "-4 mons -24 days"},
		{"age", func() (types.Datum, error) { return Age(ts("2001-04-10"), ts("1957-06-13")) }, "43 years 9 mons 27 days"},
		{"age borrow", func() (types.Datum, error) { return Age(ts("2000-03-01"), ts("2000-01-31 12:00")) }, "1 mon 12:00:00"},
		{"age negative", func() (types.Datum, error) { return Age(ts("1957-06-13"), ts("2001-04-10")) }, "-43 years -9 mons -27 days"},
	} {
		if got := show(c.got()); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
