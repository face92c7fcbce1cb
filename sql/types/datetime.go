package types

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
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
			aliases: []string{"timestamp"}, input: parseTimestamp, cast: castToTimestamp,
			modifiers: timestampModifiers(Timestamp), nameMod: func(m int32) string { return "timestamp(" + strconv.Itoa(int(m)) + ") without time zone" }},
		&Info{ID: TimestampTZ, Typname: "timestamptz", SQLName: "timestamp with time zone", Len: 8, Array: TimestampTZArray, arrays: true,
			Category: 'D', Preferred: true,
			aliases: []string{"timestamptz"}, input: parseTimestamp, cast: castToTimestamp,
			modifiers: timestampModifiers(TimestampTZ), nameMod: func(m int32) string { return "timestamp(" + strconv.Itoa(int(m)) + ") with time zone" }},
	)
}

func formatTime(id ID, v time.Time) string {
	switch Infinite(v) {
	case 1:
		return "infinity"
	case -1:
		return "-infinity"
	}
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

func parseDate(s string) (Datum, error) { return parseDateStyle(s, Style{}) }

// parseDateStyle reads date text: ISO quickly, anything else as
// PostgreSQL's DecodeDateTime does (decodeDateTime); a time part is
// dropped.
func parseDateStyle(s string, st Style) (Datum, error) {
	if v, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err == nil {
		return v, nil
	}
	v, err := parseDateTimeText(Date, s, st)
	if err != nil {
		return nil, err
	}
	return v, nil
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
	return parseTimestampStyle(t, s, Style{})
}

// parseTimestampIn reads timestamp text; a timestamptz that names no zone
// is local time in loc. A trailing IANA zone name (2000-01-01 12:00
// Europe/Paris) is the zone of the text.
func parseTimestampStyle(t T, s string, st Style) (Datum, error) {
	loc := st.Location()
	trimmed := strings.TrimSpace(s)
	if i := strings.LastIndexByte(trimmed, ' '); i > 0 && t.ID == TimestampTZ && isLetter(trimmed[i+1]) {
		if z, ok := LoadZone(trimmed[i+1:]); ok {
			trimmed, loc = strings.TrimSpace(trimmed[:i]), z
		}
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
	v, err := parseDateTimeText(t.ID, s, st)
	if err != nil {
		return nil, err
	}
	return roundMicro(v), nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func roundMicro(v time.Time) time.Time { return v.Round(time.Microsecond) }

// castToDate converts text, timestamp and timestamptz to date.
func castToDate(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case time.Time:
		if Infinite(v) != 0 {
			return v, nil
		}
		return time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	return nil, cannotCast(from, to)
}

// timestampModifiers reads timestamp(p): 0 to 6 fractional-second
// digits (more are reduced to 6, as PostgreSQL does with a warning).
func timestampModifiers(id ID) func(ast.TypeName) (T, error) {
	return func(tn ast.TypeName) (T, error) {
		switch len(tn.Mods) {
		case 0:
			return New(id), nil
		case 1:
		default:
			return T{}, badModifier(tn)
		}
		p := tn.Mods[0]
		if p < 0 {
			up := "TIMESTAMP"
			if id == TimestampTZ {
				up = "TIMESTAMP WITH TIME ZONE"
			}
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "%s(%d) precision must not be negative", up, p).WithPosition(tn.Pos)
		}
		return T{ID: id, Mod: min(p, MaxIntervalPrecision)}, nil
	}
}

// RoundTimestamp rounds a timestamp to mod fractional-second digits (-1:
// none), half away from zero as PostgreSQL's AdjustTimestampForTypmod.
func RoundTimestamp(v time.Time, mod int32) time.Time {
	if mod < 0 || mod >= MaxIntervalPrecision || Infinite(v) != 0 {
		return v
	}
	return time.UnixMicro(roundMicros(v.UnixMicro(), int(mod))).UTC()
}

// castToTimestamp converts text and the other date and time types to
// timestamp and timestamptz (both kept in UTC).
func castToTimestamp(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case time.Time:
		return RoundTimestamp(v, to.Mod), nil
	}
	return nil, cannotCast(from, to)
}
