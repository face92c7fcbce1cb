package types

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The date and time types. Their values are Go time.Times in UTC: a date
// at midnight, a timestamp with microseconds.
const (
	Date        ID = 1082
	Timestamp   ID = 1114
	TimestampTZ ID = 1184

	DateArray        ID = 1182
	TimestampArray   ID = 1115
	TimestampTZArray ID = 1185
)

func init() {
	register(
		&Info{ID: Date, Typname: "date", SQLName: "date", Len: 4, Array: DateArray, arrays: true,
			Category: 'D', implicit: []ID{Timestamp, TimestampTZ},
			aliases: []string{"date"}, input: func(_ T, s string) (Datum, error) { return parseDate(s) }, cast: castToDate},
		&Info{ID: Timestamp, Typname: "timestamp", SQLName: "timestamp without time zone", Len: 8, Array: TimestampArray, arrays: true,
			Category: 'D', implicit: []ID{TimestampTZ},
			aliases: []string{"timestamp"}, input: parseTimestamp, cast: castToTimestamp},
		&Info{ID: TimestampTZ, Typname: "timestamptz", SQLName: "timestamp with time zone", Len: 8, Array: TimestampTZArray, arrays: true,
			Category: 'D', Preferred: true,
			aliases: []string{"timestamptz"}, input: parseTimestamp, cast: castToTimestamp},
	)
}

func formatTime(id ID, v time.Time) string {
	switch id {
	case Date:
		return formatDate(v)
	case TimestampTZ:
		return formatTimestampTZ(v, time.UTC)
	default:
		d, bc := strings.CutSuffix(formatDate(v), " BC")
		s := d + " " + formatClock(v)
		if bc {
			s += " BC"
		}
		return s
	}
}

func formatDate(v time.Time) string {
	y := v.Year()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	s := pad(y, 4) + "-" + pad(int(v.Month()), 2) + "-" + pad(v.Day(), 2)
	if bc {
		s += " BC"
	}
	return s
}

func formatClock(v time.Time) string {
	s := pad(v.Hour(), 2) + ":" + pad(v.Minute(), 2) + ":" + pad(v.Second(), 2)
	if us := v.Nanosecond() / 1000; us != 0 {
		frac := pad(us, 6)
		s += "." + strings.TrimRight(frac, "0")
	}
	return s
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

var dateLayouts = []string{"2006-01-02", "2006-1-2", "20060102", "01/02/2006", "2006/01/02", "January 2, 2006", "Jan 2, 2006", "2-Jan-2006"}

func parseDate(s string) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	switch strings.ToLower(trimmed) {
	case "epoch":
		return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), nil
	}
	bc := false
	if up := strings.ToUpper(trimmed); strings.HasSuffix(up, " BC") {
		bc = true
		trimmed = strings.TrimSpace(trimmed[:len(trimmed)-3])
	}
	for _, layout := range dateLayouts {
		if v, err := time.Parse(layout, trimmed); err == nil {
			if bc {
				v = v.AddDate(1-2*v.Year(), 0, 0)
			}
			return v, nil
		}
	}
	// A timestamp string is accepted as a date: the time part is dropped.
	if v, err := parseTimestamp(New(Timestamp), trimmed); err == nil {
		tv := v.(time.Time)
		return time.Date(tv.Year(), tv.Month(), tv.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	if looksLikeDate(trimmed) {
		return nil, pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return nil, pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type date: \"%s\"", s)
}

func looksLikeDate(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	return true
}

var clockWithoutSeconds = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}[ T](\d{1,2}:\d{2})(?:[^:\d]|$)`)

var timestampLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	"2006-1-2 15:04:05.999999999",
	"2006-1-2",
}

func parseTimestamp(t T, s string) (Datum, error) {
	return parseTimestampIn(t, s, time.UTC)
}

// parseTimestampIn reads timestamp text; a timestamptz that names no zone
// is local time in loc. A trailing IANA zone name (2000-01-01 12:00
// Europe/Paris) is the zone of the text.
func parseTimestampIn(t T, s string, loc *time.Location) (Datum, error) {
	trimmed := strings.TrimSpace(s)
	if i := strings.LastIndexByte(trimmed, ' '); i > 0 && t.ID == TimestampTZ {
		if z, ok := LoadZone(trimmed[i+1:]); ok {
			trimmed, loc = strings.TrimSpace(trimmed[:i]), z
		}
	}
	switch strings.ToLower(trimmed) {
	case "epoch":
		return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), nil
	case "infinity", "-infinity":
		return nil, pgerr.New(pgerr.FeatureNotSupported, "infinite timestamps are not supported")
	}
	// hh:mm is hh:mm:00.
	if m := clockWithoutSeconds.FindStringSubmatchIndex(trimmed); m != nil {
		trimmed = trimmed[:m[3]] + ":00" + trimmed[m[3]:]
	}
	for _, layout := range timestampLayouts {
		if v, err := time.ParseInLocation(layout, trimmed, loc); err == nil {
			if t.ID == Timestamp {
				// timestamp without time zone ignores a zone in its input.
				v = time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
			}
			return roundMicro(v.UTC()), nil
		}
	}
	return nil, pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", t.Name(), s)
}

func roundMicro(v time.Time) time.Time { return v.Round(time.Microsecond) }

// castToDate converts text, timestamp and timestamptz to date.
func castToDate(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case time.Time:
		return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	return nil, cannotCast(from, to)
}

// castToTimestamp converts text and the other date and time types to
// timestamp and timestamptz (both kept in UTC).
func castToTimestamp(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case time.Time:
		return v, nil
	}
	return nil, cannotCast(from, to)
}
