package types

import (
	"math"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// The interval type. Its values are IntervalValues: months, days and
// microseconds kept apart, as PostgreSQL stores them, since a month has
// no fixed number of days and a day (across a DST change) no fixed
// number of hours.
const (
	Interval      ID = 1186
	IntervalArray ID = 1187
)

// IntervalFieldOverflow is SQLSTATE 22015, interval_field_overflow.
const IntervalFieldOverflow = "22015"

// IntervalValue is an interval: Months, Days and Micros (the time part).
// Comparison treats a month as 30 days and a day as 24 hours
// (IntervalValue.normalized).
type IntervalValue struct {
	Months int32
	Days   int32
	Micros int64
}

const (
	usecsPerSec    int64 = 1000000
	usecsPerMinute       = 60 * usecsPerSec
	usecsPerHour         = 60 * usecsPerMinute
	usecsPerDay          = 24 * usecsPerHour
	daysPerMonth         = 30
	monthsPerYear        = 12
)

// The interval modifier, as PostgreSQL's typmod: the field range in the
// high 16 bits, the fractional-second precision in the low 16.
const (
	imMonth  = 1 << 1
	imYear   = 1 << 2
	imDay    = 1 << 3
	imHour   = 1 << 10
	imMinute = 1 << 11
	imSecond = 1 << 12

	intervalFullRange     = 0x7FFF
	intervalFullPrecision = 0xFFFF
	// MaxIntervalPrecision is the most fractional-second digits an
	// interval (and a time) keeps.
	MaxIntervalPrecision = 6
)

func init() {
	register(&Info{ID: Interval, Typname: "interval", SQLName: "interval", Len: 16, Array: IntervalArray, arrays: true,
		Category: 'T', Preferred: true,
		aliases: []string{"interval"}, input: parseInterval, cast: castToInterval,
		modifiers: intervalModifiers, nameMod: intervalNameMod})
}

func intervalOutOfRange() error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "interval out of range")
}

// IntervalOutOfRange is the error of interval arithmetic that overflows.
func IntervalOutOfRange() error { return intervalOutOfRange() }

// intervalModifiers reads interval's modifiers as the grammar writes
// them: the field range mask (interval '1' day), then the precision
// (interval(2), or day to second(2)).
func intervalModifiers(tn ast.TypeName) (T, error) {
	switch len(tn.Mods) {
	case 0:
		return New(Interval), nil
	case 1, 2:
	default:
		return T{}, pgerr.New(pgerr.SyntaxError, "invalid INTERVAL type modifier").WithPosition(tn.Pos)
	}
	rng, prec := tn.Mods[0], int32(intervalFullPrecision)
	if len(tn.Mods) == 2 {
		prec = tn.Mods[1]
		if prec < 0 {
			return T{}, pgerr.New(pgerr.InvalidParameterValue, "INTERVAL(%d) precision must not be negative", prec).WithPosition(tn.Pos)
		}
		if prec > MaxIntervalPrecision {
			prec = MaxIntervalPrecision
		}
	}
	if !validIntervalRange(rng) {
		return T{}, pgerr.New(pgerr.SyntaxError, "invalid INTERVAL type modifier").WithPosition(tn.Pos)
	}
	if rng == intervalFullRange && prec == intervalFullPrecision {
		return New(Interval), nil
	}
	return T{ID: Interval, Mod: rng<<16 | prec}, nil
}

func validIntervalRange(r int32) bool {
	switch r {
	case intervalFullRange, imYear, imMonth, imDay, imHour, imMinute, imSecond,
		imYear | imMonth, imDay | imHour, imDay | imHour | imMinute, imDay | imHour | imMinute | imSecond,
		imHour | imMinute, imHour | imMinute | imSecond, imMinute | imSecond:
		return true
	}
	return false
}

// intervalNameMod is intervaltypmodout: the fields and precision a
// modifier names.
func intervalNameMod(mod int32) string {
	rng, prec := mod>>16&0x7FFF, mod&0xFFFF
	fields := map[int32]string{
		imYear: " year", imMonth: " month", imDay: " day", imHour: " hour", imMinute: " minute", imSecond: " second",
		imYear | imMonth: " year to month", imDay | imHour: " day to hour", imDay | imHour | imMinute: " day to minute",
		imDay | imHour | imMinute | imSecond: " day to second", imHour | imMinute: " hour to minute",
		imHour | imMinute | imSecond: " hour to second", imMinute | imSecond: " minute to second",
	}[rng]
	s := "interval" + fields
	if prec != intervalFullPrecision {
		s += "(" + strconv.Itoa(int(prec)) + ")"
	}
	return s
}

// normalized is the interval as a whole number of days (a month counted
// as 30) and the microseconds left, 0 <= rest < one day: the key that
// comparison, grouping and index order use.
func (v IntervalValue) normalized() (days, rest int64) {
	days = int64(v.Months)*daysPerMonth + int64(v.Days)
	q, r := v.Micros/usecsPerDay, v.Micros%usecsPerDay
	if r < 0 {
		q--
		r += usecsPerDay
	}
	return days + q, r
}

// CompareIntervals orders intervals as interval_cmp does.
func CompareIntervals(a, b IntervalValue) int {
	ad, ar := a.normalized()
	bd, br := b.normalized()
	switch {
	case ad < bd:
		return -1
	case ad > bd:
		return 1
	case ar < br:
		return -1
	case ar > br:
		return 1
	}
	return 0
}

// The tokens of date/time text (PostgreSQL's ParseDateTime field types).
const (
	dtkNumber = iota
	dtkString
	dtkDate
	dtkTime
	dtkTZ
	dtkSpecial
)

// The decoder's error kinds, mapped to messages by the input functions.
type dtErr int

const (
	dtOK dtErr = iota
	dtBadFormat
	dtFieldOverflow
)

const maxDateFields = 25

// splitDateTime is ParseDateTime: it splits s into fields and their kinds.
func splitDateTime(s string) ([]string, []int, dtErr) {
	var fields []string
	var kinds []int
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	isAlpha := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	lower := func(c byte) byte {
		if c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	i := 0
	for i < len(s) {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
			i++
			continue
		}
		if len(fields) >= maxDateFields {
			return nil, nil, dtBadFormat
		}
		var b []byte
		kind := dtkNumber
		switch {
		case isDigit(c):
			for i < len(s) && isDigit(s[i]) {
				b = append(b, s[i])
				i++
			}
			switch {
			case i < len(s) && s[i] == ':':
				kind = dtkTime
				for i < len(s) && (isDigit(s[i]) || s[i] == ':' || s[i] == '.') {
					b = append(b, s[i])
					i++
				}
			case i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.'):
				delim := s[i]
				b = append(b, delim)
				i++
				if i < len(s) && isDigit(s[i]) {
					kind = dtkDate
					if delim == '.' {
						kind = dtkNumber
					}
					for i < len(s) && isDigit(s[i]) {
						b = append(b, s[i])
						i++
					}
					if i < len(s) && s[i] == delim {
						kind = dtkDate
						for i < len(s) && (isDigit(s[i]) || s[i] == delim) {
							b = append(b, s[i])
							i++
						}
					}
				} else {
					kind = dtkDate
					for i < len(s) && (isAlpha(s[i]) || isDigit(s[i]) || s[i] == delim) {
						b = append(b, lower(s[i]))
						i++
					}
				}
			}
		case c == '.':
			b = append(b, c)
			i++
			for i < len(s) && isDigit(s[i]) {
				b = append(b, s[i])
				i++
			}
		case isAlpha(c):
			kind = dtkString
			for i < len(s) && isAlpha(s[i]) {
				b = append(b, lower(s[i]))
				i++
			}
			isDate := false
			if i < len(s) && (s[i] == '-' || s[i] == '/' || s[i] == '.') {
				isDate = true
			} else if i < len(s) && (s[i] == '+' || isDigit(s[i])) {
				isDate = !knownDateToken(string(b))
			}
			if isDate {
				kind = dtkDate
				for {
					b = append(b, lower(s[i]))
					i++
					if i >= len(s) {
						break
					}
					n := s[i]
					if !(n == '+' || n == '-' || n == '/' || n == '_' || n == '.' || n == ':' || isAlpha(n) || isDigit(n)) {
						break
					}
				}
			}
		case c == '+' || c == '-':
			b = append(b, c)
			i++
			for i < len(s) && s[i] == ' ' {
				i++
			}
			switch {
			case i < len(s) && isDigit(s[i]):
				kind = dtkTZ
				for i < len(s) && (isDigit(s[i]) || s[i] == ':' || s[i] == '.' || s[i] == '-') {
					b = append(b, s[i])
					i++
				}
			case i < len(s) && isAlpha(s[i]):
				kind = dtkSpecial
				for i < len(s) && isAlpha(s[i]) {
					b = append(b, lower(s[i]))
					i++
				}
			default:
				return nil, nil, dtBadFormat
			}
		case c < 0x80 && strings.IndexByte("!\"#$%&'()*,/:;<=>?@[\\]^_`{|}~", c) >= 0:
			i++
			continue
		default:
			return nil, nil, dtBadFormat
		}
		fields = append(fields, string(b))
		kinds = append(kinds, kind)
	}
	return fields, kinds, dtOK
}

// knownDateToken reports whether PostgreSQL's core date token table
// holds tok (so that "at1" style text is not read as a zone name).
func knownDateToken(tok string) bool {
	switch tok {
	case "ad", "am", "bc", "pm", "epoch", "infinity", "now", "today", "tomorrow", "yesterday", "allballs", "t", "z", "zulu", "on", "ago",
		"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august",
		"sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
		"sun", "sunday", "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "wedn", "thu", "thur", "thurs", "thursday",
		"fri", "friday", "sat", "saturday", "d", "h", "m", "s", "y", "j", "julian", "timezone", "dow", "doy", "isodow", "isoyear":
		return true
	}
	return false
}

// Unit is a date/time unit, as interval text, extract and date_trunc
// name it.
type Unit int

// The units.
const (
	UnitNone Unit = iota
	UnitMicrosecond
	UnitMillisecond
	UnitSecond
	UnitMinute
	UnitHour
	UnitDay
	UnitWeek
	UnitMonth
	UnitQuarter
	UnitYear
	UnitDecade
	UnitCentury
	UnitMillennium
	UnitTZ
	UnitTZHour
	UnitTZMinute
	UnitAgo
	UnitIgnore
	// Reserved words extract takes besides units.
	UnitEpoch
	UnitDow
	UnitDoy
	UnitIsoDow
	UnitIsoYear
	UnitJulian
	UnitWeekday
)

// deltaUnits is PostgreSQL's deltatktbl: the unit words of interval text,
// matched on their first ten characters.
var deltaUnits = map[string]Unit{
	"@": UnitIgnore, "ago": UnitAgo,
	"c": UnitCentury, "cent": UnitCentury, "centuries": UnitCentury, "century": UnitCentury,
	"d": UnitDay, "day": UnitDay, "days": UnitDay,
	"dec": UnitDecade, "decade": UnitDecade, "decades": UnitDecade, "decs": UnitDecade,
	"h": UnitHour, "hour": UnitHour, "hours": UnitHour, "hr": UnitHour, "hrs": UnitHour,
	"m": UnitMinute, "microsecon": UnitMicrosecond,
	"mil": UnitMillennium, "millennia": UnitMillennium, "millennium": UnitMillennium, "millisecon": UnitMillisecond, "mils": UnitMillennium,
	"min": UnitMinute, "mins": UnitMinute, "minute": UnitMinute, "minutes": UnitMinute,
	"mon": UnitMonth, "mons": UnitMonth, "month": UnitMonth, "months": UnitMonth,
	"ms": UnitMillisecond, "msec": UnitMillisecond, "msecond": UnitMillisecond, "mseconds": UnitMillisecond, "msecs": UnitMillisecond,
	"qtr": UnitQuarter, "quarter": UnitQuarter,
	"s": UnitSecond, "sec": UnitSecond, "second": UnitSecond, "seconds": UnitSecond, "secs": UnitSecond,
	"timezone": UnitTZ, "timezone_h": UnitTZHour, "timezone_m": UnitTZMinute,
	"us": UnitMicrosecond, "usec": UnitMicrosecond, "usecond": UnitMicrosecond, "useconds": UnitMicrosecond, "usecs": UnitMicrosecond,
	"w": UnitWeek, "week": UnitWeek, "weeks": UnitWeek,
	"y": UnitYear, "year": UnitYear, "years": UnitYear, "yr": UnitYear, "yrs": UnitYear,
}

// LookupUnit is DecodeUnits then DecodeSpecial as extract and date_trunc
// use them: the unit a lower-case word names.
func LookupUnit(word string) (Unit, bool) {
	if u, ok := lookupDeltaUnit(word); ok {
		return u, true
	}
	w := word
	if len(w) > 10 {
		w = w[:10]
	}
	u, ok := map[string]Unit{"epoch": UnitEpoch, "dow": UnitDow, "doy": UnitDoy, "isodow": UnitIsoDow, "isoyear": UnitIsoYear,
		"j": UnitJulian, "julian": UnitJulian, "jd": UnitJulian}[w]
	return u, ok
}

func lookupDeltaUnit(tok string) (Unit, bool) {
	if len(tok) > 10 {
		tok = tok[:10]
	}
	u, ok := deltaUnits[tok]
	return u, ok
}

// itmIn accumulates the fields of interval text (pg_itm_in).
type itmIn struct {
	usec              int64
	mday, mon, year   int32
	overflowed, fresh bool
}

func add32(a *int32, b int64) bool {
	r := int64(*a) + b
	if r < math.MinInt32 || r > math.MaxInt32 {
		return false
	}
	*a = int32(r)
	return true
}

func add64(a *int64, b int64) bool {
	r := *a + b
	if (b > 0 && r < *a) || (b < 0 && r > *a) {
		return false
	}
	*a = r
	return true
}

func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	r := a * b
	if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return r, true
}

func (it *itmIn) fractMicros(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	usec := int64(frac)
	frac -= float64(usec)
	if frac > 0.5 {
		usec++
	} else if frac < -0.5 {
		usec--
	}
	return add64(&it.usec, usec)
}

func (it *itmIn) fractDays(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	extra := int64(int32(frac))
	if !add32(&it.mday, extra) {
		return false
	}
	frac -= float64(extra)
	return it.fractMicros(frac, usecsPerDay)
}

func (it *itmIn) fractYears(frac float64, scale int64) bool {
	extra := int64(math.RoundToEven(frac * float64(scale) * monthsPerYear))
	return add32(&it.mon, extra)
}

func (it *itmIn) micros(val int64, frac float64, scale int64) bool {
	u, ok := mul64(val, scale)
	if !ok || !add64(&it.usec, u) {
		return false
	}
	return it.fractMicros(frac, scale)
}

func (it *itmIn) days(val, scale int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	d := val * scale
	if d < math.MinInt32 || d > math.MaxInt32 {
		return false
	}
	return add32(&it.mday, d)
}

func (it *itmIn) months(val int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	return add32(&it.mon, val)
}

func (it *itmIn) years(val, scale int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	y := val * scale
	if y < math.MinInt32 || y > math.MaxInt32 {
		return false
	}
	return add32(&it.year, y)
}

// strtoi64 reads a leading optionally signed integer, as strtoll does:
// the value, the rest, and whether it overflowed.
func strtoi64(s string) (int64, string, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
		} else {
			v = v*10 + d
		}
		i++
	}
	if i == start {
		return 0, s, false
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if overflow || v > limit {
		return 0, s[i:], true
	}
	if neg {
		return -int64(v), s[i:], false
	}
	return int64(v), s[i:], false
}

// strtod reads the longest leading float as strtod does; ok is false
// when none is there.
func strtod(s string) (float64, string, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, s, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, s, false
	}
	return f, s[i:], true
}

// parseFraction reads ".ddd" to its end (ParseFraction).
func parseFraction(s string) (float64, dtErr) {
	if s == "." {
		return 0, dtOK
	}
	f, rest, ok := strtod(s)
	if !ok || rest != "" || math.IsInf(f, 0) {
		return 0, dtBadFormat
	}
	return f, dtOK
}

// decodeTimeForInterval is DecodeTimeForInterval: hh:mm[:ss[.fff]] (or
// mm:ss.fff) into microseconds.
func decodeTimeForInterval(s string, rng int32, it *itmIn) dtErr {
	hour, rest, of := strtoi64(s)
	if of {
		return dtFieldOverflow
	}
	if rest == "" || rest[0] != ':' {
		return dtBadFormat
	}
	minute, rest, of := strtoi64(rest[1:])
	if of || minute > math.MaxInt32 || minute < math.MinInt32 {
		return dtFieldOverflow
	}
	var sec int64
	var fsec float64
	switch {
	case rest == "":
		if rng == imMinute|imSecond {
			sec, minute, hour = minute, hour, 0
		}
	case rest[0] == '.':
		f, e := parseFraction(rest)
		if e != dtOK {
			return e
		}
		fsec = math.RoundToEven(f * 1e6)
		sec, minute, hour = minute, hour, 0
	case rest[0] == ':':
		var of bool
		sec, rest, of = strtoi64(rest[1:])
		if of || sec > math.MaxInt32 || sec < math.MinInt32 {
			return dtFieldOverflow
		}
		if rest != "" {
			if rest[0] != '.' {
				return dtBadFormat
			}
			f, e := parseFraction(rest)
			if e != dtOK {
				return e
			}
			fsec = math.RoundToEven(f * 1e6)
		}
	default:
		return dtBadFormat
	}
	if hour < 0 || minute < 0 || minute > 59 || sec < 0 || sec > 60 || fsec < 0 || fsec > 1e6 {
		return dtFieldOverflow
	}
	usec := int64(fsec)
	for _, p := range [][2]int64{{hour, usecsPerHour}, {minute, usecsPerMinute}, {sec, usecsPerSec}} {
		m, ok := mul64(p[0], p[1])
		if !ok || !add64(&usec, m) {
			return dtFieldOverflow
		}
	}
	it.usec = usec
	return dtOK
}

// decodeInterval is DecodeInterval in PostgreSQL's postgres IntervalStyle:
// the fields are read right to left, so that a unit applies to the number
// before it.
func decodeInterval(fields []string, kinds []int, rng int32, sqlStandard bool) (itmIn, dtErr) {
	var it itmIn
	forceNegative := false
	if sqlStandard && len(fields) > 0 && fields[0][0] == '-' {
		forceNegative = true
		for _, f := range fields[1:] {
			if f[0] == '-' || f[0] == '+' {
				forceNegative = false
				break
			}
		}
	}
	isBefore := false
	unit := UnitNone
	fmask, tmask := 0, 0
	const (
		mTime = 1 << iota
		mMicro
		mMilli
		mSecond
		mMinute
		mHour
		mDay
		mWeek
		mMonth
		mYear
		mDecade
		mCentury
		mMillennium
	)
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i]
		switch kinds[i] {
		case dtkTime:
			if e := decodeTimeForInterval(f, rng, &it); e != dtOK {
				return it, e
			}
			if forceNegative && it.usec > 0 {
				it.usec = -it.usec
			}
			tmask = mTime | mHour | mMinute | mSecond | mMilli | mMicro
			unit = UnitDay
		case dtkTZ, dtkDate, dtkNumber:
			if kinds[i] == dtkTZ && strings.Contains(f[1:], ":") {
				var sub itmIn
				if decodeTimeForInterval(f[1:], rng, &sub) == dtOK {
					it.usec = sub.usec
					if f[0] == '-' {
						if it.usec == math.MinInt64 {
							return it, dtFieldOverflow
						}
						it.usec = -it.usec
					}
					if forceNegative && it.usec > 0 {
						it.usec = -it.usec
					}
					tmask = mTime | mHour | mMinute | mSecond | mMilli | mMicro
					unit = UnitDay
					break
				}
			}
			if unit == UnitNone {
				switch rng {
				case imYear:
					unit = UnitYear
				case imMonth, imYear | imMonth:
					unit = UnitMonth
				case imDay:
					unit = UnitDay
				case imHour, imDay | imHour:
					unit = UnitHour
				case imMinute, imHour | imMinute, imDay | imHour | imMinute:
					unit = UnitMinute
				default:
					unit = UnitSecond
				}
			}
			val, rest, of := strtoi64(f)
			if of {
				return it, dtFieldOverflow
			}
			if rest == f {
				// strtoll reads nothing from "+" or "-" followed by a
				// non-digit; the field is then malformed.
				if !(len(f) > 0 && f[0] == '.') {
					return it, dtBadFormat
				}
			}
			var fval float64
			switch {
			case rest != "" && rest[0] == '-':
				v2, r2, of := strtoi64(rest[1:])
				if of || v2 < 0 || v2 >= monthsPerYear {
					return it, dtFieldOverflow
				}
				if r2 != "" {
					return it, dtBadFormat
				}
				unit = UnitMonth
				if f[0] == '-' {
					v2 = -v2
				}
				m, ok := mul64(val, monthsPerYear)
				if !ok || !add64(&m, v2) {
					return it, dtFieldOverflow
				}
				val = m
			case rest != "" && rest[0] == '.':
				fr, e := parseFraction(rest)
				if e != dtOK {
					return it, e
				}
				fval = fr
				if f[0] == '-' {
					fval = -fval
				}
			case rest != "":
				return it, dtBadFormat
			}
			if forceNegative {
				if val > 0 {
					val = -val
				}
				if fval > 0 {
					fval = -fval
				}
			}
			ok := true
			switch unit {
			case UnitMicrosecond:
				ok, tmask = it.micros(val, fval, 1), mMicro
			case UnitMillisecond:
				ok, tmask = it.micros(val, fval, 1000), mMilli
			case UnitSecond:
				ok = it.micros(val, fval, usecsPerSec)
				tmask = mSecond
				if fval != 0 {
					tmask = mSecond | mMilli | mMicro
				}
			case UnitMinute:
				ok, tmask = it.micros(val, fval, usecsPerMinute), mMinute
			case UnitHour:
				ok, tmask = it.micros(val, fval, usecsPerHour), mHour
				unit = UnitDay
			case UnitDay:
				ok = it.days(val, 1) && it.fractMicros(fval, usecsPerDay)
				tmask = mDay
			case UnitWeek:
				ok = it.days(val, 7) && it.fractDays(fval, 7)
				tmask = mWeek
			case UnitMonth:
				ok = it.months(val) && it.fractDays(fval, daysPerMonth)
				tmask = mMonth
			case UnitYear:
				ok = it.years(val, 1) && it.fractYears(fval, 1)
				tmask = mYear
			case UnitDecade:
				ok = it.years(val, 10) && it.fractYears(fval, 10)
				tmask = mDecade
			case UnitCentury:
				ok = it.years(val, 100) && it.fractYears(fval, 100)
				tmask = mCentury
			case UnitMillennium:
				ok = it.years(val, 1000) && it.fractYears(fval, 1000)
				tmask = mMillennium
			default:
				return it, dtBadFormat
			}
			if !ok {
				return it, dtFieldOverflow
			}
		case dtkString, dtkSpecial:
			u, found := lookupDeltaUnit(f)
			if !found {
				return it, dtBadFormat
			}
			if u == UnitIgnore {
				continue
			}
			tmask = 0
			switch u {
			case UnitAgo:
				isBefore = true
				unit = UnitNone
			case UnitTZ, UnitTZHour, UnitTZMinute, UnitQuarter:
				unit = u
			default:
				unit = u
			}
		default:
			return it, dtBadFormat
		}
		if tmask&fmask != 0 {
			return it, dtBadFormat
		}
		fmask |= tmask
	}
	if fmask == 0 {
		return it, dtBadFormat
	}
	if isBefore {
		if it.usec == math.MinInt64 || it.mday == math.MinInt32 || it.mon == math.MinInt32 || it.year == math.MinInt32 {
			return it, dtFieldOverflow
		}
		it.usec, it.mday, it.mon, it.year = -it.usec, -it.mday, -it.mon, -it.year
	}
	return it, dtOK
}

// parseISO8601Number is ParseISO8601Number: a float no larger than 1e15
// split into its integer and fractional parts.
func parseISO8601Number(s string) (int64, float64, string, dtErr) {
	if s == "" || !(s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '.') {
		return 0, 0, s, dtBadFormat
	}
	v, rest, ok := strtod(s)
	if !ok {
		return 0, 0, s, dtBadFormat
	}
	if math.IsNaN(v) || v < -1e15 || v > 1e15 {
		return 0, 0, rest, dtFieldOverflow
	}
	var ip int64
	if v >= 0 {
		ip = int64(math.Floor(v))
	} else {
		ip = -int64(math.Floor(-v))
	}
	return ip, v - float64(ip), rest, dtOK
}

func iso8601IntegerWidth(s string) int {
	s = strings.TrimPrefix(s, "-")
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// decodeISO8601Interval is DecodeISO8601Interval: P1Y2M3DT4H5M6S, the
// week form, and the alternative formats P0001-02-03T04:05:06 and
// P00010203T040506.
func decodeISO8601Interval(s string) (itmIn, dtErr) {
	var it itmIn
	if len(s) < 2 || s[0] != 'P' {
		return it, dtBadFormat
	}
	s = s[1:]
	datePart, haveField := true, false
	over := func(ok bool) dtErr {
		if ok {
			return dtOK
		}
		return dtFieldOverflow
	}
	for s != "" {
		if s[0] == 'T' {
			datePart, haveField = false, false
			s = s[1:]
			continue
		}
		fieldStart := s
		val, fval, rest, e := parseISO8601Number(s)
		if e != dtOK {
			return it, e
		}
		s = rest
		var unit byte
		if s != "" {
			unit = s[0]
			s = s[1:]
		}
		if datePart {
			switch unit {
			case 'Y':
				if e := over(it.years(val, 1) && it.fractYears(fval, 1)); e != dtOK {
					return it, e
				}
			case 'M':
				if e := over(it.months(val) && it.fractDays(fval, daysPerMonth)); e != dtOK {
					return it, e
				}
			case 'W':
				if e := over(it.days(val, 7) && it.fractDays(fval, 7)); e != dtOK {
					return it, e
				}
			case 'D':
				if e := over(it.days(val, 1) && it.fractMicros(fval, usecsPerDay)); e != dtOK {
					return it, e
				}
			case 'T', 0, '-':
				if unit != '-' && iso8601IntegerWidth(fieldStart) == 8 && !haveField {
					if e := over(it.years(val/10000, 1) && it.months((val/100)%100) && it.days(val%100, 1) && it.fractMicros(fval, usecsPerDay)); e != dtOK {
						return it, e
					}
					if unit == 0 {
						return it, dtOK
					}
					datePart, haveField = false, false
					continue
				}
				if haveField {
					return it, dtBadFormat
				}
				if e := over(it.years(val, 1) && it.fractYears(fval, 1)); e != dtOK {
					return it, e
				}
				if unit == 0 {
					return it, dtOK
				}
				if unit == 'T' {
					datePart, haveField = false, false
					continue
				}
				val, fval, s, e = parseISO8601Number(s)
				if e != dtOK {
					return it, e
				}
				if e := over(it.months(val) && it.fractDays(fval, daysPerMonth)); e != dtOK {
					return it, e
				}
				if s == "" {
					return it, dtOK
				}
				if s[0] == 'T' {
					datePart, haveField = false, false
					continue
				}
				if s[0] != '-' {
					return it, dtBadFormat
				}
				val, fval, s, e = parseISO8601Number(s[1:])
				if e != dtOK {
					return it, e
				}
				if e := over(it.days(val, 1) && it.fractMicros(fval, usecsPerDay)); e != dtOK {
					return it, e
				}
				if s == "" {
					return it, dtOK
				}
				if s[0] == 'T' {
					datePart, haveField = false, false
					continue
				}
				return it, dtBadFormat
			default:
				return it, dtBadFormat
			}
		} else {
			switch unit {
			case 'H':
				if e := over(it.micros(val, fval, usecsPerHour)); e != dtOK {
					return it, e
				}
			case 'M':
				if e := over(it.micros(val, fval, usecsPerMinute)); e != dtOK {
					return it, e
				}
			case 'S':
				if e := over(it.micros(val, fval, usecsPerSec)); e != dtOK {
					return it, e
				}
			case 0, ':':
				if unit == 0 && iso8601IntegerWidth(fieldStart) == 6 && !haveField {
					if e := over(it.micros(val/10000, 0, usecsPerHour) && it.micros((val/100)%100, 0, usecsPerMinute) &&
						it.micros(val%100, 0, usecsPerSec) && it.fractMicros(fval, 1)); e != dtOK {
						return it, e
					}
					return it, dtOK
				}
				if haveField {
					return it, dtBadFormat
				}
				if e := over(it.micros(val, fval, usecsPerHour)); e != dtOK {
					return it, e
				}
				if unit == 0 {
					return it, dtOK
				}
				val, fval, s, e = parseISO8601Number(s)
				if e != dtOK {
					return it, e
				}
				if e := over(it.micros(val, fval, usecsPerMinute)); e != dtOK {
					return it, e
				}
				if s == "" {
					return it, dtOK
				}
				if s[0] != ':' {
					return it, dtBadFormat
				}
				val, fval, s, e = parseISO8601Number(s[1:])
				if e != dtOK {
					return it, e
				}
				if e := over(it.micros(val, fval, usecsPerSec)); e != dtOK {
					return it, e
				}
				if s == "" {
					return it, dtOK
				}
				return it, dtBadFormat
			default:
				return it, dtBadFormat
			}
		}
		haveField = true
	}
	return it, dtOK
}

// ParseInterval reads interval text as interval_in does, in the postgres
// IntervalStyle, for an interval with modifier mod (-1 for none).
func ParseInterval(s string, mod int32) (IntervalValue, error) {
	return parseIntervalStyle(s, mod, false)
}

func parseIntervalStyle(s string, mod int32, sqlStandard bool) (IntervalValue, error) {
	rng := int32(intervalFullRange)
	if mod >= 0 {
		rng = mod >> 16 & 0x7FFF
	}
	var it itmIn
	fields, kinds, e := splitDateTime(s)
	if len(s) > 255 {
		e = dtBadFormat
	}
	if e == dtOK {
		it, e = decodeInterval(fields, kinds, rng, sqlStandard)
	}
	if e == dtBadFormat {
		it, e = decodeISO8601Interval(s)
	}
	switch e {
	case dtBadFormat:
		return IntervalValue{}, pgerr.New(pgerr.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", s)
	case dtFieldOverflow:
		return IntervalValue{}, pgerr.New(IntervalFieldOverflow, "interval field value out of range: \"%s\"", s)
	}
	months := int64(it.year)*monthsPerYear + int64(it.mon)
	if months > math.MaxInt32 || months < math.MinInt32 {
		return IntervalValue{}, intervalOutOfRange()
	}
	v := IntervalValue{Months: int32(months), Days: it.mday, Micros: it.usec}
	return AdjustInterval(v, mod)
}

func parseInterval(t T, s string) (Datum, error) {
	v, err := ParseInterval(s, t.Mod)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// AdjustInterval applies an interval modifier: fields right of the last
// one it names are zeroed, fractional seconds rounded to its precision.
func AdjustInterval(v IntervalValue, mod int32) (IntervalValue, error) {
	if mod < 0 {
		return v, nil
	}
	rng, prec := mod>>16&0x7FFF, mod&0xFFFF
	switch rng {
	case imYear:
		v.Months = (v.Months / monthsPerYear) * monthsPerYear
		v.Days, v.Micros = 0, 0
	case imMonth, imYear | imMonth:
		v.Days, v.Micros = 0, 0
	case imDay:
		v.Micros = 0
	case imHour, imDay | imHour:
		v.Micros = (v.Micros / usecsPerHour) * usecsPerHour
	case imMinute, imDay | imHour | imMinute, imHour | imMinute:
		v.Micros = (v.Micros / usecsPerMinute) * usecsPerMinute
	}
	if prec != intervalFullPrecision {
		v.Micros = roundMicros(v.Micros, int(prec))
	}
	return v, nil
}

// roundMicros rounds a number of microseconds to prec fractional-second
// digits, half away from zero.
func roundMicros(us int64, prec int) int64 {
	if prec >= MaxIntervalPrecision {
		return us
	}
	scale := int64(1)
	for i := prec; i < MaxIntervalPrecision; i++ {
		scale *= 10
	}
	off := scale / 2
	if us >= 0 {
		return ((us + off) / scale) * scale
	}
	return -(((-us + off) / scale) * scale)
}

func castToInterval(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case string:
		return castFromText(v, to, explicit)
	case IntervalValue:
		return AdjustInterval(v, to.Mod)
	case TimeOfDay:
		return AdjustInterval(IntervalValue{Micros: int64(v)}, to.Mod)
	}
	return nil, cannotCast(from, to)
}

// IntervalFields splits an interval as interval2itm does: years and
// months from Months, days, then hours, minutes, seconds and microseconds
// from the time part, each with the sign of its source.
func IntervalFields(v IntervalValue) (year, mon, mday, hour, min, sec, usec int64) {
	year = int64(v.Months) / monthsPerYear
	mon = int64(v.Months) % monthsPerYear
	mday = int64(v.Days)
	t := v.Micros
	hour = t / usecsPerHour
	t -= hour * usecsPerHour
	min = t / usecsPerMinute
	t -= min * usecsPerMinute
	sec = t / usecsPerSec
	usec = t - sec*usecsPerSec
	return
}

func abs64(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

// appendSeconds is AppendSeconds: the seconds (two digits when fill)
// and the fraction without trailing zeros.
func appendSeconds(b []byte, sec, fsec int64, fill bool) []byte {
	s := strconv.FormatUint(abs64(sec), 10)
	if fill && len(s) < 2 {
		b = append(b, '0')
	}
	b = append(b, s...)
	if fsec != 0 {
		f := strconv.FormatUint(abs64(fsec), 10)
		for len(f) < 6 {
			f = "0" + f
		}
		b = append(b, '.')
		b = append(b, strings.TrimRight(f, "0")...)
	}
	return b
}

// The IntervalStyle values.
const (
	IntervalStylePostgres        = "postgres"
	IntervalStylePostgresVerbose = "postgres_verbose"
	IntervalStyleSQLStandard     = "sql_standard"
	IntervalStyleISO8601         = "iso_8601"
)

// FormatInterval is interval_out in the given IntervalStyle ("" is
// postgres).
func FormatInterval(v IntervalValue, style string) string {
	year, mon, mday, hour, min, sec, fsec := IntervalFields(v)
	var b []byte
	isZero, isBefore := true, false
	switch style {
	case IntervalStyleSQLStandard:
		hasNeg := year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0
		hasPos := year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0
		hasYM := year != 0 || mon != 0
		hasDT := mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0
		standard := !(hasNeg && hasPos) && !(hasYM && hasDT)
		if hasNeg && standard {
			b = append(b, '-')
			year, mon, mday, hour, min, sec, fsec = -year, -mon, -mday, -hour, -min, -sec, -fsec
		}
		switch {
		case !hasNeg && !hasPos:
			b = append(b, '0')
		case !standard:
			ys, ds, ss := byte('+'), byte('+'), byte('+')
			if year < 0 || mon < 0 {
				ys = '-'
			}
			if mday < 0 {
				ds = '-'
			}
			if hour < 0 || min < 0 || sec < 0 || fsec < 0 {
				ss = '-'
			}
			b = append(b, ys)
			b = strconv.AppendUint(b, abs64(year), 10)
			b = append(b, '-')
			b = strconv.AppendUint(b, abs64(mon), 10)
			b = append(b, ' ', ds)
			b = strconv.AppendUint(b, abs64(mday), 10)
			b = append(b, ' ', ss)
			b = strconv.AppendUint(b, abs64(hour), 10)
			b = append(b, ':')
			b = append(b, pad(int(abs64(min)), 2)...)
			b = append(b, ':')
			b = appendSeconds(b, sec, fsec, true)
		case hasYM:
			b = strconv.AppendInt(b, year, 10)
			b = append(b, '-')
			b = strconv.AppendInt(b, mon, 10)
		case mday != 0:
			b = strconv.AppendInt(b, mday, 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, hour, 10)
			b = append(b, ':')
			b = append(b, pad(int(min), 2)...)
			b = append(b, ':')
			b = appendSeconds(b, sec, fsec, true)
		default:
			b = strconv.AppendInt(b, hour, 10)
			b = append(b, ':')
			b = append(b, pad(int(min), 2)...)
			b = append(b, ':')
			b = appendSeconds(b, sec, fsec, true)
		}
	case IntervalStyleISO8601:
		if year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0 {
			return "PT0S"
		}
		b = append(b, 'P')
		part := func(v int64, u byte) {
			if v != 0 {
				b = strconv.AppendInt(b, v, 10)
				b = append(b, u)
			}
		}
		part(year, 'Y')
		part(mon, 'M')
		part(mday, 'D')
		if hour != 0 || min != 0 || sec != 0 || fsec != 0 {
			b = append(b, 'T')
		}
		part(hour, 'H')
		part(min, 'M')
		if sec != 0 || fsec != 0 {
			if sec < 0 || fsec < 0 {
				b = append(b, '-')
			}
			b = appendSeconds(b, sec, fsec, false)
			b = append(b, 'S')
		}
	case IntervalStylePostgresVerbose:
		b = append(b, '@')
		part := func(v int64, unit string) {
			if v == 0 {
				return
			}
			if isZero {
				isBefore = v < 0
				if v < 0 {
					b = append(b, ' ')
					b = strconv.AppendUint(b, abs64(v), 10)
				} else {
					b = append(b, ' ')
					b = strconv.AppendInt(b, v, 10)
				}
				b = append(b, ' ')
				b = append(b, unit...)
				if abs64(v) != 1 {
					b = append(b, 's')
				}
				isZero = false
				return
			}
			if isBefore {
				v = -v
			}
			b = append(b, ' ')
			b = strconv.AppendInt(b, v, 10)
			b = append(b, ' ')
			b = append(b, unit...)
			if v != 1 {
				b = append(b, 's')
			}
		}
		part(year, "year")
		part(mon, "mon")
		part(mday, "day")
		part(hour, "hour")
		part(min, "min")
		if sec != 0 || fsec != 0 {
			b = append(b, ' ')
			if sec < 0 || (sec == 0 && fsec < 0) {
				if isZero {
					isBefore = true
				} else if !isBefore {
					b = append(b, '-')
				}
			} else if isBefore {
				b = append(b, '-')
			}
			b = appendSeconds(b, sec, fsec, false)
			b = append(b, " sec"...)
			if abs64(sec) != 1 || fsec != 0 {
				b = append(b, 's')
			}
			isZero = false
		}
		if isZero {
			b = append(b, " 0"...)
		}
		if isBefore {
			b = append(b, " ago"...)
		}
	default:
		part := func(v int64, unit string) {
			if v == 0 {
				return
			}
			if !isZero {
				b = append(b, ' ')
			}
			if isBefore && v > 0 {
				b = append(b, '+')
			}
			b = strconv.AppendInt(b, v, 10)
			b = append(b, ' ')
			b = append(b, unit...)
			if v != 1 {
				b = append(b, 's')
			}
			isBefore = v < 0
			isZero = false
		}
		part(year, "year")
		part(mon, "mon")
		part(mday, "day")
		if isZero || hour != 0 || min != 0 || sec != 0 || fsec != 0 {
			minus := hour < 0 || min < 0 || sec < 0 || fsec < 0
			if !isZero {
				b = append(b, ' ')
			}
			if minus {
				b = append(b, '-')
			} else if isBefore {
				b = append(b, '+')
			}
			h := strconv.FormatUint(abs64(hour), 10)
			if len(h) < 2 {
				b = append(b, '0')
			}
			b = append(b, h...)
			b = append(b, ':')
			b = append(b, pad(int(abs64(min)), 2)...)
			b = append(b, ':')
			b = appendSeconds(b, sec, fsec, true)
		}
	}
	return string(b)
}
