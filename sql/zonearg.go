package sql

import (
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// zoneArg is a time zone named in AT TIME ZONE or make_timestamptz: a
// zone, or a time-varying abbreviation of one (MSK), which means the
// offset the abbreviation had at the time in question.
type zoneArg struct {
	loc  *time.Location
	abbr string
}

// zoneArgNamed resolves name as PostgreSQL's DecodeTimezoneName does.
func zoneArgNamed(name string) (zoneArg, error) {
	if z, ok := types.DynamicAbbrev(name); ok {
		return zoneArg{loc: z, abbr: name}, nil
	}
	z, err := zoneNamed(name)
	return zoneArg{loc: z}, err
}

// saneZoneArg resolves make_timestamptz's zone as PostgreSQL's
// parse_sane_timezone does: a numeric offset must begin with + or - and
// is hours east of UTC ("+5", "+5:30", "-0330", "+10:00:01", at most 15
// hours); anything else is a zone name or abbreviation.
func saneZoneArg(name string) (zoneArg, error) {
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		return zoneArg{}, pgerr.New(pgerr.InvalidParameterValue, "invalid input syntax for type numeric time zone: \"%s\"", name).
			WithHint("Numeric time zones must have \"-\" or \"+\" as first character.")
	}
	if off, ok, overflow := decodeNumericZone(name); overflow {
		return zoneArg{}, pgerr.New(pgerr.InvalidParameterValue, "numeric time zone \"%s\" out of range", name)
	} else if ok {
		return zoneArg{loc: time.FixedZone(types.ZoneDisplayName(off), off)}, nil
	}
	return zoneArgNamed(name)
}

// decodeNumericZone reads [+-]hh[:mm[:ss]] or [+-]hhmm (PostgreSQL's
// DecodeTimezone) as seconds east of UTC; ok is false for text of another
// form, overflow set for a field out of range.
func decodeNumericZone(s string) (off int, ok, overflow bool) {
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return 0, false, false
	}
	// num reads leading digits as strtol does: none read is 0.
	num := func(t string) (int, string, bool) {
		i := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, t, true
		}
		v, err := strconv.Atoi(t[:i])
		return v, t[i:], err == nil && v <= 1<<31-1
	}
	hr, rest, fits := num(s[1:])
	if !fits {
		return 0, false, true
	}
	min, sec := 0, 0
	switch {
	case strings.HasPrefix(rest, ":"):
		if min, rest, fits = num(rest[1:]); !fits {
			return 0, false, true
		}
		if strings.HasPrefix(rest, ":") {
			if sec, rest, fits = num(rest[1:]); !fits {
				return 0, false, true
			}
		}
	case rest == "" && len(s) > 3:
		hr, min = hr/100, hr%100
	}
	if hr > 15 || min >= 60 || sec >= 60 {
		return 0, false, true
	}
	if rest != "" {
		return 0, false, false
	}
	off = (hr*60+min)*60 + sec
	if s[0] == '-' {
		off = -off
	}
	return off, true, false
}

// at is the zone to show instant t in.
func (z zoneArg) at(t time.Time) *time.Location {
	if z.abbr != "" {
		if off, ok := types.AbbrevOffset(z.loc, z.abbr, t); ok {
			return time.FixedZone(strings.ToUpper(z.abbr), off)
		}
	}
	return z.loc
}

// instant is the instant of wall time w (its fields read as local time in
// the zone).
func (z zoneArg) instant(w time.Time) time.Time {
	if z.abbr != "" {
		return types.AbbrevInstant(z.loc, z.abbr, w)
	}
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), z.loc).UTC()
}
