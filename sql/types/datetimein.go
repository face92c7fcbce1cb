package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The infinite timestamps and dates: the instants at the ends of the
// microsecond range, which sort after and before every finite value and
// print as infinity and -infinity.
var (
	InfinityTime    = time.UnixMicro(math.MaxInt64).UTC()
	NegInfinityTime = time.UnixMicro(math.MinInt64).UTC()
)

// Infinite is 1 for infinity, -1 for -infinity and 0 for a finite time.
func Infinite(t time.Time) int {
	switch us := t.UnixMicro(); us {
	case math.MaxInt64:
		return 1
	case math.MinInt64:
		return -1
	}
	return 0
}

// zoneAbbrevs are the fixed-offset time zone abbreviations of
// PostgreSQL's Default set that cairn knows, in seconds east of UTC (the
// time-varying ones are dynamicAbbrevs).
var zoneAbbrevs = map[string]int{
	"utc": 0, "ut": 0, "gmt": 0, "z": 0, "zulu": 0, "wet": 0,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
	"mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
	"akst": -9 * 3600, "akdt": -8 * 3600, "hst": -10 * 3600, "ast": -4 * 3600, "adt": -3 * 3600,
	"nst": -3*3600 - 1800, "ndt": -2*3600 - 1800,
	"cet": 3600, "cest": 2 * 3600, "met": 3600, "mest": 2 * 3600, "west": 3600, "bst": 3600,
	"eet": 2 * 3600, "eest": 3 * 3600, "ist": 2 * 3600,
	"jst": 9 * 3600, "kst": 9 * 3600, "hkt": 8 * 3600, "awst": 8 * 3600,
	"acst": 9*3600 + 1800, "acdt": 10*3600 + 1800, "aest": 10 * 3600, "aedt": 11 * 3600,
	"nzst": 12 * 3600, "nzdt": 13 * 3600,
}

// ZoneAbbrev is the fixed zone a time zone abbreviation (EST, PDT, ...)
// names.
func ZoneAbbrev(name string) (*time.Location, bool) {
	off, ok := zoneAbbrevs[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return time.FixedZone(strings.ToUpper(name), off), true
}

var monthNames = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
	"jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var dayNames = map[string]bool{
	"sun": true, "sunday": true, "mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true,
	"wed": true, "wedn": true, "wednesday": true, "thu": true, "thur": true, "thurs": true, "thursday": true,
	"fri": true, "friday": true, "sat": true, "saturday": true,
}

// dateTimeText is what DecodeDateTime makes of date and time text.
type dateTimeText struct {
	year, mon, day int
	yearDigits     int
	bc             bool
	hasDate        bool
	hasTime        bool
	micros         int64
	zone           *time.Location
	// abbrev is set when zone came from a time-varying abbreviation
	// (MSK), whose offset is the one it had at the time.
	abbrev string
	// special is "infinity", "-infinity", "epoch", "now", "today",
	// "tomorrow" or "yesterday".
	special string
	// doy, when not 0, is the day of the year, which sets mon and day
	// once the year is final.
	doy int
}

// decodeDateTime reads date and time text in PostgreSQL's flexible
// formats (ISO, 'Mon Feb 10 17:32:01 1997 PST', 'Feb-10-1997',
// '19970210 173201', 'J2451187', 'today', ...) with DateStyle MDY. It
// returns 22007 (bad format), 22008 (a field out of range) or 22023 (an
// unknown zone) through the callers' messages.
func decodeDateTime(s, order string) (dateTimeText, dtErr, string) {
	var r dateTimeText
	r.year, r.mon, r.day = -1, -1, -1
	fields, kinds, e := splitDateTime(s)
	if e != dtOK || len(fields) == 0 {
		return r, dtBadFormat, ""
	}
	type num struct {
		v      int
		digits int
	}
	var nums []num
	ampm, julianNext := 0, false
	setZone := func(z *time.Location) dtErr {
		if r.zone != nil {
			return dtBadFormat
		}
		r.zone = z
		return dtOK
	}
	for i, f := range fields {
		switch kinds[i] {
		case dtkDate:
			if f[0] >= 'a' && f[0] <= 'z' {
				if hasMonthToken(f) {
					if e := r.datePartsText(f, order); e != dtOK {
						return r, e, ""
					}
					continue
				}
				z, ok := LoadZone(f)
				if !ok {
					return r, dtZone, f
				}
				if e := setZone(z); e != dtOK {
					return r, e, ""
				}
				continue
			}
			if e := r.datePartsText(f, order); e != dtOK {
				return r, e, ""
			}
		case dtkTime:
			if r.hasTime {
				return r, dtBadFormat, ""
			}
			us, e := decodeClock(f)
			if e != dtOK {
				return r, e, ""
			}
			r.micros, r.hasTime = us, true
		case dtkTZ:
			if !r.hasDate && !r.hasTime && len(nums) == 0 && i == 0 {
				return r, dtBadFormat, ""
			}
			off, ok := parseZoneOffset(f)
			if !ok {
				return r, dtBadFormat, ""
			}
			if off < -maxTimezoneSecs || off > maxTimezoneSecs {
				return r, dtFieldOverflow, ""
			}
			if e := setZone(time.FixedZone("", off)); e != dtOK {
				return r, e, ""
			}
		case dtkNumber:
			digits, frac, hasFrac := strings.Cut(f, ".")
			if julianNext {
				j, err := strconv.Atoi(digits)
				if err != nil || hasFrac {
					return r, dtBadFormat, ""
				}
				t := time.Unix((int64(j)-2440588)*86400, 0).UTC()
				r.year, r.mon, r.day, r.hasDate = t.Year(), int(t.Month()), t.Day(), true
				r.yearDigits = 4
				julianNext = false
				continue
			}
			switch {
			case hasFrac && !r.hasDate && len(digits) >= 4 && len(nums) == 0 && r.mon < 0:
				// yyyy.ddd: a year and a day of the year.
				y, _ := strconv.Atoi(digits)
				doy, err := strconv.Atoi(frac)
				if err != nil || doy < 1 || doy > 366 {
					return r, dtBadFormat, ""
				}
				t := time.Date(y, 1, doy, 0, 0, 0, 0, time.UTC)
				r.year, r.mon, r.day, r.hasDate, r.yearDigits = t.Year(), int(t.Month()), t.Day(), true, len(digits)
			case len(digits) == 8 && !r.hasDate && !hasFrac:
				r.year, _ = strconv.Atoi(digits[:4])
				r.mon, _ = strconv.Atoi(digits[4:6])
				r.day, _ = strconv.Atoi(digits[6:])
				r.hasDate, r.yearDigits = true, 4
			case len(digits) == 6 && !r.hasDate && !hasFrac && len(nums) == 0 && r.mon < 0:
				r.year, _ = strconv.Atoi(digits[:2])
				r.mon, _ = strconv.Atoi(digits[2:4])
				r.day, _ = strconv.Atoi(digits[4:])
				r.hasDate, r.yearDigits = true, 2
			case len(digits) == 6 && (r.hasDate || r.mon > 0 && len(nums) > 0) && !r.hasTime:
				clock := digits[:2] + ":" + digits[2:4] + ":" + digits[4:]
				if hasFrac {
					clock += "." + frac
				}
				us, e := decodeClock(clock)
				if e != dtOK {
					return r, e, ""
				}
				r.micros, r.hasTime = us, true
			case hasFrac:
				return r, dtBadFormat, ""
			default:
				v, err := strconv.Atoi(digits)
				if err != nil || len(digits) > 9 {
					return r, dtFieldOverflow, ""
				}
				nums = append(nums, num{v, len(digits)})
			}
		case dtkString:
			switch {
			case monthNames[f] > 0:
				if r.mon > 0 {
					return r, dtBadFormat, ""
				}
				r.mon = monthNames[f]
			case dayNames[f], f == "t", f == "on":
			case f == "am" || f == "pm":
				ampm = map[string]int{"am": 1, "pm": 2}[f]
			case f == "bc":
				r.bc = true
			case f == "ad":
			case f == "j" || f == "julian":
				julianNext = true
			case f == "infinity" || f == "epoch" || f == "now" || f == "today" || f == "tomorrow" || f == "yesterday" || f == "allballs":
				if f == "allballs" {
					r.micros, r.hasTime = 0, true
					continue
				}
				if r.special != "" {
					return r, dtBadFormat, ""
				}
				r.special = f
			default:
				if off, ok := zoneAbbrevs[f]; ok {
					if e := setZone(time.FixedZone(strings.ToUpper(f), off)); e != dtOK {
						return r, e, ""
					}
					continue
				}
				if z, ok := DynamicAbbrev(f); ok {
					if e := setZone(z); e != dtOK {
						return r, e, ""
					}
					r.abbrev = f
					continue
				}
				z, ok := LoadZone(f)
				if !ok || len(f) < 3 {
					return r, dtBadFormat, ""
				}
				if e := setZone(z); e != dtOK {
					return r, e, ""
				}
			}
		case dtkSpecial:
			switch f {
			case "-infinity", "+infinity":
				if r.special != "" {
					return r, dtBadFormat, ""
				}
				r.special = strings.TrimPrefix(f, "+")
			default:
				return r, dtBadFormat, ""
			}
		}
	}
	if julianNext {
		return r, dtBadFormat, ""
	}
	// A year of more than two digits followed by a three-digit number
	// from 1 to 366 is a year and a day of the year (DecodeNumber's
	// special case); no other number of the date may follow.
	if len(nums) >= 2 && r.mon < 0 && !r.hasDate && nums[0].digits > 2 && nums[1].digits == 3 && nums[1].v >= 1 && nums[1].v <= 366 {
		if len(nums) > 2 {
			return r, dtBadFormat, ""
		}
		r.year, r.yearDigits, r.doy, r.hasDate = nums[0].v, nums[0].digits, nums[1].v, true
		nums = nil
	}
	// Three bare numbers are a date in DateStyle's order, or year first
	// when the first has more than two digits.
	if len(nums) == 3 && r.mon < 0 && !r.hasDate {
		a, b, c := nums[0], nums[1], nums[2]
		switch {
		case a.digits > 2 || order == "YMD":
			r.year, r.yearDigits, r.mon, r.day = a.v, a.digits, b.v, c.v
		case order == "DMY":
			r.day, r.mon, r.year, r.yearDigits = a.v, b.v, c.v, c.digits
		default:
			r.mon, r.day, r.year, r.yearDigits = a.v, b.v, c.v, c.digits
		}
		r.hasDate = true
		nums = nil
	}
	// The bare numbers: day and year around a month name, or the whole
	// date when none was written otherwise.
	for _, n := range nums {
		switch {
		case r.hasDate:
			return r, dtBadFormat, ""
		case r.mon > 0 && r.day < 0 && n.digits <= 2 && n.v <= 31 && !(r.year < 0 && len(nums) == 1 && n.digits > 2):
			r.day = n.v
		case r.year < 0:
			r.year, r.yearDigits = n.v, n.digits
		case r.day < 0:
			r.day = n.v
		default:
			return r, dtBadFormat, ""
		}
	}
	if r.special != "" {
		if r.hasDate || r.mon > 0 || len(nums) > 0 {
			return r, dtBadFormat, ""
		}
		return r, dtOK, ""
	}
	if !r.hasDate {
		if r.mon < 0 && r.day < 0 && r.year < 0 {
			if r.hasTime {
				return r, dtBadFormat, ""
			}
			return r, dtBadFormat, ""
		}
		if r.mon < 0 || r.day < 0 || r.year < 0 {
			return r, dtBadFormat, ""
		}
		r.hasDate = true
	}
	if ampm != 0 {
		if !r.hasTime {
			return r, dtBadFormat, ""
		}
		h := r.micros / usecsPerHour
		if h < 1 || h > 12 {
			return r, dtFieldOverflow, ""
		}
		if ampm == 1 && h == 12 {
			r.micros -= 12 * usecsPerHour
		} else if ampm == 2 && h != 12 {
			r.micros += 12 * usecsPerHour
		}
	}
	if r.yearDigits <= 2 && !r.bc {
		if r.year < 70 {
			r.year += 2000
		} else {
			r.year += 1900
		}
	}
	if r.year == 0 && (r.bc || r.yearDigits > 2) {
		return r, dtFieldOverflow, ""
	}
	if r.bc {
		r.year = 1 - r.year
	}
	if r.doy > 0 {
		t := time.Date(r.year, 1, r.doy, 0, 0, 0, 0, time.UTC)
		r.year, r.mon, r.day = t.Year(), int(t.Month()), t.Day()
	}
	if r.mon < 1 || r.mon > 12 || r.day < 1 || r.day > daysInMonth(r.year, r.mon) {
		return r, dtFieldOverflow, ""
	}
	return r, dtOK, ""
}

// dtZone is an unknown time zone name (22023).
const dtZone dtErr = 100

func daysInMonth(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func hasMonthToken(f string) bool {
	for _, p := range strings.FieldsFunc(f, func(c rune) bool { return c == '-' || c == '/' || c == '.' }) {
		if monthNames[p] > 0 {
			return true
		}
	}
	return false
}

// datePartsText decodes a delimited date: y-m-d, m/d/y, feb-10-1997,
// 10-feb-1997, 1997-feb-10.
func (r *dateTimeText) datePartsText(f, order string) dtErr {
	if r.hasDate {
		return dtBadFormat
	}
	parts := strings.FieldsFunc(f, func(c rune) bool { return c == '-' || c == '/' || c == '.' })
	if len(parts) != 3 {
		return dtBadFormat
	}
	monAt := -1
	for i, p := range parts {
		if monthNames[p] > 0 {
			if monAt >= 0 {
				return dtBadFormat
			}
			monAt = i
		}
	}
	atoi := func(p string) (int, bool) {
		if p == "" || len(p) > 9 {
			return 0, false
		}
		v, err := strconv.Atoi(p)
		return v, err == nil
	}
	var y, m, d, yd int
	switch {
	case monAt >= 0:
		m = monthNames[parts[monAt]]
		var rest []string
		for i, p := range parts {
			if i != monAt {
				rest = append(rest, p)
			}
		}
		a, ok1 := atoi(rest[0])
		b, ok2 := atoi(rest[1])
		if !ok1 || !ok2 {
			return dtBadFormat
		}
		if len(rest[0]) > 2 || monAt == 1 && false {
			y, yd, d = a, len(rest[0]), b
		} else {
			d, y, yd = a, b, len(rest[1])
		}
	default:
		a, ok1 := atoi(parts[0])
		b, ok2 := atoi(parts[1])
		c, ok3 := atoi(parts[2])
		if !ok1 || !ok2 || !ok3 {
			return dtBadFormat
		}
		switch {
		case len(parts[0]) > 2 || order == "YMD":
			y, yd, m, d = a, len(parts[0]), b, c
		case order == "DMY":
			d, m, y, yd = a, b, c, len(parts[2])
		default:
			m, d, y, yd = a, b, c, len(parts[2])
		}
	}
	r.year, r.mon, r.day, r.yearDigits, r.hasDate = y, m, d, yd, true
	return dtOK
}

// parseDateTimeText reads date, timestamp and timestamptz text that the
// fast ISO layouts did not: the result in UTC (a timestamptz's instant,
// the wall time of the others), in the style's zone unless the text names
// one, numeric dates in its DateOrder, and 'now', 'today' and their kin
// from its Now.
func parseDateTimeText(id ID, s string, st Style) (time.Time, error) {
	loc, now := st.Location(), st.Now
	name := map[ID]string{Date: "date", Timestamp: "timestamp", TimestampTZ: "timestamp with time zone"}[id]
	r, e, zoneName := decodeDateTime(s, st.DateOrder)
	switch e {
	case dtBadFormat:
		return time.Time{}, pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", name, s)
	case dtFieldOverflow:
		return time.Time{}, pgerr.New(pgerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	case dtZone:
		return time.Time{}, pgerr.New(pgerr.InvalidParameterValue, "time zone \"%s\" not recognized", zoneName)
	}
	if r.zone != nil && id == TimestampTZ {
		loc = r.zone
	}
	if r.special != "" {
		w := now.In(loc)
		midnight := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, loc)
		var t time.Time
		switch r.special {
		case "infinity":
			return InfinityTime, nil
		case "-infinity":
			return NegInfinityTime, nil
		case "epoch":
			return time.Unix(0, 0).UTC(), nil
		case "now":
			t = now
		case "today":
			t = midnight
		case "tomorrow":
			t = midnight.AddDate(0, 0, 1)
		case "yesterday":
			t = midnight.AddDate(0, 0, -1)
		}
		if r.hasTime && r.special != "now" {
			t = t.Add(time.Duration(r.micros) * time.Microsecond)
		}
		return wallOrInstant(id, t.In(loc)), nil
	}
	if id == Date {
		d := time.Date(r.year, time.Month(r.mon), r.day, 0, 0, 0, 0, time.UTC)
		// The date range: Julian day 0 (4714-11-24 BC) to 5874897-12-31.
		if d.Before(time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC)) || r.year > 5874897 {
			return time.Time{}, pgerr.New(pgerr.DatetimeFieldOverflow, "date out of range: \"%s\"", s)
		}
		return d, nil
	}
	us := r.micros
	t := time.Date(r.year, time.Month(r.mon), r.day, int(us/usecsPerHour), int(us/usecsPerMinute%60), int(us/usecsPerSec%60), int(us%usecsPerSec)*1000, loc)
	if id == TimestampTZ && r.abbrev != "" {
		t = AbbrevInstant(loc, r.abbrev, time.Date(r.year, time.Month(r.mon), r.day, 0, 0, 0, 0, time.UTC).Add(time.Duration(us)*time.Microsecond))
	} else if id == TimestampTZ {
		t = t.UTC()
	} else {
		t = time.Date(r.year, time.Month(r.mon), r.day, 0, 0, 0, 0, time.UTC).Add(time.Duration(us) * time.Microsecond)
	}
	// From 4714-11-24 BC to the end of 294246, where microseconds since
	// 1970 run out (PostgreSQL's range goes on to 294276).
	if y := t.Year(); y < -4713 || y > 294246 || t.UnixMicro() < -210866803200000000 {
		return time.Time{}, pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", s)
	}
	return t, nil
}

// wallOrInstant is t (a time in the session's zone) as a value of type id:
// the instant for timestamptz, the wall time for timestamp, the wall date
// for date.
func wallOrInstant(id ID, t time.Time) time.Time {
	switch id {
	case TimestampTZ:
		return t.UTC()
	case Date:
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC).Round(time.Microsecond)
}
