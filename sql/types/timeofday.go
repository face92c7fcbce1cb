package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// The time of day types, time and timetz, with an optional precision
// modifier (time(3)).
const (
	Time   ID = 1083
	TimeTZ ID = 1266

	TimeArray   ID = 1183
	TimeTZArray ID = 1270
)

// TimeOfDay is a time value: microseconds since midnight, 0 through
// 24:00:00 inclusive.
type TimeOfDay int64

// TimeTZValue is a timetz value: the local time of day and the zone's
// offset in seconds west of UTC (PostgreSQL's sign convention), so
// 12:00+01 is {12h, -3600}.
type TimeTZValue struct {
	Micros int64
	Zone   int32
}

// invalidTimeZoneDisplacement is SQLSTATE 22009.
const invalidTimeZoneDisplacement = "22009"

// maxTimezoneSecs is the largest zone offset timetz takes (15:59:59).
const maxTimezoneSecs = 15*3600 + 59*60 + 59

func init() {
	register(
		&Info{ID: Time, Typname: "time", SQLName: "time without time zone", Len: 8, Array: TimeArray, arrays: true,
			Category: 'D', implicit: []ID{Interval, TimeTZ},
			aliases: []string{"time"}, input: parseTimeOfDay, cast: castToTime,
			modifiers: timeModifiers("time"), nameMod: func(m int32) string { return "time(" + strconv.Itoa(int(m)) + ") without time zone" }},
		&Info{ID: TimeTZ, Typname: "timetz", SQLName: "time with time zone", Len: 12, Array: TimeTZArray, arrays: true,
			Category: 'D',
			aliases:  []string{"timetz"}, input: parseTimeOfDay, cast: castToTime,
			modifiers: timeModifiers("timetz"), nameMod: func(m int32) string { return "time(" + strconv.Itoa(int(m)) + ") with time zone" }},
	)
}

// timeModifiers reads time(p): a precision of 0 to 6 (larger ones are
// reduced to 6, as PostgreSQL does with a warning).
func timeModifiers(name string) func(ast.TypeName) (T, error) {
	id := Time
	if name == "timetz" {
		id = TimeTZ
	}
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
			up := "TIME"
			if id == TimeTZ {
				up = "TIME WITH TIME ZONE"
			}
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "%s(%d) precision must not be negative", up, p).WithPosition(tn.Pos)
		}
		return T{ID: id, Mod: min(p, MaxIntervalPrecision)}, nil
	}
}

// parseTimeOfDay reads time and timetz text: an optional date (ignored),
// hh:mm[:ss[.ffffff]] or hhmmss, AM or PM, and for timetz a zone offset
// (+hh, +hh:mm, +hhmm, +hh:mm:ss) or UTC/Z/GMT; a time without a zone
// is in UTC. "allballs" is midnight UTC.
func parseTimeOfDay(t T, s string) (Datum, error) { return parseTimeOfDayIn(t, s, time.UTC) }

// parseTimeOfDayIn is parseTimeOfDay with a timetz that names no zone in
// zone loc (at its offset on 2000-01-01; PostgreSQL takes today's).
func parseTimeOfDayIn(t T, s string, loc *time.Location) (Datum, error) {
	bad := func() error {
		name := "time"
		if t.ID == TimeTZ {
			name = "time with time zone"
		}
		return pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", name, s)
	}
	overflow := func() error {
		return pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	fields, kinds, e := splitDateTime(s)
	if e != dtOK || len(fields) == 0 {
		return nil, bad()
	}
	var micros int64 = -1
	zone, haveZone := int32(0), false
	ampm := 0
	for i, f := range fields {
		switch kinds[i] {
		case dtkDate:
			if micros >= 0 {
				return nil, bad()
			}
		case dtkTime:
			if micros >= 0 {
				return nil, bad()
			}
			m, e := decodeClock(f)
			if e == dtBadFormat {
				return nil, bad()
			}
			if e == dtFieldOverflow {
				return nil, overflow()
			}
			micros = m
		case dtkNumber:
			if micros >= 0 || len(f) < 4 {
				return nil, bad()
			}
			// hhmm or hhmmss, with an optional fraction.
			digits, frac, _ := strings.Cut(f, ".")
			if len(digits) != 4 && len(digits) != 6 {
				return nil, bad()
			}
			clock := digits[:2] + ":" + digits[2:4]
			if len(digits) == 6 {
				clock += ":" + digits[4:]
			}
			if frac != "" || strings.Contains(f, ".") {
				clock += "." + frac
			}
			m, e := decodeClock(clock)
			if e != dtOK {
				return nil, overflow()
			}
			micros = m
		case dtkTZ:
			z, ok := parseZoneOffset(f)
			if !ok {
				return nil, bad()
			}
			if z < -maxTimezoneSecs || z > maxTimezoneSecs {
				return nil, pgerr.New(invalidTimeZoneDisplacement, "time zone displacement out of range: \"%s\"", s)
			}
			zone, haveZone = int32(-z), true
		case dtkString:
			switch f {
			case "am":
				ampm = 1
			case "pm":
				ampm = 2
			case "allballs":
				micros, zone, haveZone = 0, 0, true
			case "z", "zulu", "utc", "gmt", "ut":
				zone, haveZone = 0, true
			case "t":
			default:
				// A fixed-offset zone abbreviation (11:00 BST).
				off, ok := zoneAbbrevs[f]
				if !ok {
					return nil, bad()
				}
				zone, haveZone = int32(-off), true
			}
		default:
			return nil, bad()
		}
	}
	if micros < 0 {
		return nil, bad()
	}
	if ampm != 0 {
		hour := micros / usecsPerHour
		if hour < 1 || hour > 12 {
			return nil, overflow()
		}
		if ampm == 1 && hour == 12 {
			micros -= 12 * usecsPerHour
		} else if ampm == 2 && hour != 12 {
			micros += 12 * usecsPerHour
		}
	}
	micros = int64(RoundTime(TimeOfDay(micros), t.Mod))
	if micros > usecsPerDay {
		return nil, overflow()
	}
	if t.ID == TimeTZ {
		if !haveZone {
			_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Zone()
			zone = int32(-off)
		}
		return TimeTZValue{Micros: micros, Zone: zone}, nil
	}
	return TimeOfDay(micros), nil
}

// decodeClock reads hh:mm[:ss[.ffffff]] into microseconds, 24:00:00 at
// most.
func decodeClock(f string) (int64, dtErr) {
	parts := strings.Split(f, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, dtBadFormat
	}
	atoi := func(s string) (int64, bool) {
		if s == "" || len(s) > 9 {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil
	}
	h, ok1 := atoi(parts[0])
	var m int64
	var ok2 bool
	var sec int64
	var frac float64
	if len(parts) == 2 {
		mm, fr, hasFrac := strings.Cut(parts[1], ".")
		m, ok2 = atoi(mm)
		if hasFrac {
			// mm:ss.fff
			f, e := parseFraction("." + fr)
			if e != dtOK {
				return 0, e
			}
			h, m, sec, frac = 0, h, m, f
		}
	} else {
		m, ok2 = atoi(parts[1])
		ss, fr, hasFrac := strings.Cut(parts[2], ".")
		var ok3 bool
		if sec, ok3 = atoi(ss); !ok3 {
			return 0, dtBadFormat
		}
		if hasFrac {
			f, e := parseFraction("." + fr)
			if e != dtOK {
				return 0, e
			}
			frac = f
		}
	}
	if !ok1 || !ok2 {
		return 0, dtBadFormat
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || sec < 0 || sec > 60 {
		return 0, dtFieldOverflow
	}
	us := h*usecsPerHour + m*usecsPerMinute + sec*usecsPerSec + int64(math.RoundToEven(frac*1e6))
	if us > usecsPerDay {
		return 0, dtFieldOverflow
	}
	return us, dtOK
}

// parseZoneOffset reads +hh, +hh:mm, +hh:mm:ss, +hhmm or +hhmmss as
// seconds east of UTC.
func parseZoneOffset(f string) (int, bool) {
	if len(f) < 2 || (f[0] != '+' && f[0] != '-') {
		return 0, false
	}
	sign := 1
	if f[0] == '-' {
		sign = -1
	}
	body := f[1:]
	var parts []string
	if strings.Contains(body, ":") {
		parts = strings.Split(body, ":")
	} else {
		switch len(body) {
		case 1, 2:
			parts = []string{body}
		case 3, 4:
			parts = []string{body[:len(body)-2], body[len(body)-2:]}
		case 5, 6:
			parts = []string{body[:len(body)-4], body[len(body)-4 : len(body)-2], body[len(body)-2:]}
		default:
			return 0, false
		}
	}
	if len(parts) > 3 {
		return 0, false
	}
	secs := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" {
			return 0, false
		}
		if i > 0 && n > 59 {
			return 0, false
		}
		secs += n * []int{3600, 60, 1}[i]
	}
	return sign * secs, true
}

// RoundTime rounds a time to mod fractional-second digits (-1: none).
func RoundTime(v TimeOfDay, mod int32) TimeOfDay {
	if mod < 0 {
		return v
	}
	return TimeOfDay(roundMicros(int64(v), int(mod)))
}

// FormatTimeOfDay is time_out: hh:mm:ss with the fraction's digits up to
// the last nonzero one.
func FormatTimeOfDay(v TimeOfDay) string {
	us := int64(v)
	h := us / usecsPerHour
	us -= h * usecsPerHour
	m := us / usecsPerMinute
	us -= m * usecsPerMinute
	s := us / usecsPerSec
	us -= s * usecsPerSec
	b := []byte(pad(int(h), 2) + ":" + pad(int(m), 2) + ":")
	return string(appendSeconds(b, s, us, true))
}

// FormatZoneOffset is EncodeTimezone: an offset given in seconds east of
// UTC as +hh, +hh:mm or +hh:mm:ss.
func FormatZoneOffset(east int) string {
	sign := byte('+')
	if east < 0 {
		sign = '-'
		east = -east
	}
	h, m, s := east/3600, east/60%60, east%60
	out := string(sign) + pad(h, 2)
	if m != 0 || s != 0 {
		out += ":" + pad(m, 2)
	}
	if s != 0 {
		out += ":" + pad(s, 2)
	}
	return out
}

func formatTimeTZ(v TimeTZValue) string {
	return FormatTimeOfDay(TimeOfDay(v.Micros)) + FormatZoneOffset(-int(v.Zone))
}

// CompareTimeTZ orders timetz values as timetz_cmp does: by the UTC
// instant, then by zone.
func CompareTimeTZ(a, b TimeTZValue) int {
	ta := a.Micros + int64(a.Zone)*usecsPerSec
	tb := b.Micros + int64(b.Zone)*usecsPerSec
	switch {
	case ta < tb:
		return -1
	case ta > tb:
		return 1
	case a.Zone < b.Zone:
		return -1
	case a.Zone > b.Zone:
		return 1
	}
	return 0
}

// IntervalToTime is interval_time: the time part of an interval, modulo
// one day.
func IntervalToTime(v IntervalValue) TimeOfDay {
	t := v.Micros % usecsPerDay
	if t < 0 {
		t += usecsPerDay
	}
	return TimeOfDay(t)
}

// castToTime converts text, interval, timestamp, time and timetz to time
// and timetz. Conversions that need the session's zone (from timestamptz,
// time to timetz) are CastStyle's.
func castToTime(d Datum, from, to T, explicit bool) (Datum, error) {
	var us int64
	zone := int32(0)
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case TimeOfDay:
		us = int64(v)
	case TimeTZValue:
		us, zone = v.Micros, v.Zone
	case IntervalValue:
		if to.ID != Time {
			return nil, cannotCast(from, to)
		}
		us = int64(IntervalToTime(v))
	default:
		tm, ok := d.(time.Time)
		if !ok || from.ID == Date {
			return nil, cannotCast(from, to)
		}
		us = int64(tm.Hour())*usecsPerHour + int64(tm.Minute())*usecsPerMinute + int64(tm.Second())*usecsPerSec + int64(tm.Nanosecond()/1000)
	}
	us = int64(RoundTime(TimeOfDay(us), to.Mod))
	if to.ID == TimeTZ {
		return TimeTZValue{Micros: us, Zone: zone}, nil
	}
	return TimeOfDay(us), nil
}
