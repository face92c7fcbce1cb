package builtins

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The date, time and interval functions and the kernels of their
// operators. Timestamps are time.Times in UTC; a timestamptz kernel takes
// the session's zone (functions that need it are bound in package sql,
// which knows the session, and call the kernels here).

const (
	usecsPerSec    int64 = 1000000
	usecsPerMinute       = 60 * usecsPerSec
	usecsPerHour         = 60 * usecsPerMinute
	usecsPerDay          = 24 * usecsPerHour
	// The timestamp range in microseconds since 1970: from 4714-11-24 BC
	// (PostgreSQL's MIN_TIMESTAMP) to the end of 294246 AD, where the
	// microsecond count ends (PostgreSQL goes on to 294276); its last
	// value is infinity.
	minTimestampMicros int64 = -210866803200000000
	endTimestampMicros int64 = math.MaxInt64
	maxTimestampYear         = 294246
	// unixEpochJulian is date2j(1970, 1, 1).
	unixEpochJulian = 2440588
)

func timestampOutOfRange() error {
	return pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range")
}

func intervalOutOfRange() error { return types.IntervalOutOfRange() }

// CheckTimestamp fails with 22008 for a time outside timestamp's range.
func CheckTimestamp(t time.Time) (time.Time, error) {
	if t.Year() < -4713 || t.Year() > maxTimestampYear {
		return t, timestampOutOfRange()
	}
	us := t.UnixMicro()
	if us < minTimestampMicros || us >= endTimestampMicros {
		return t, timestampOutOfRange()
	}
	return t, nil
}

// TimestampFromEpoch is to_timestamp(double precision): seconds since
// 1970-01-01 00:00 UTC, rounded to the microsecond as PostgreSQL's
// float8_timestamptz rounds them (from its 2000 epoch); the infinities
// map to infinity and -infinity, NaN and values outside 4714-11-24 BC to
// 294277-01-01 are 22008.
func TimestampFromEpoch(secs float64) (time.Time, error) {
	const unixToPG = 946684800 // seconds from 1970 to 2000
	switch {
	case math.IsNaN(secs):
		return time.Time{}, pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp cannot be NaN")
	case math.IsInf(secs, 1):
		return types.InfinityTime, nil
	case math.IsInf(secs, -1):
		return types.NegInfinityTime, nil
	}
	// Julian days 0 (4714-11-24 BC) and 109203489 (294277-01-01) from
	// the Unix epoch's 2440588.
	if secs < -2440588*86400.0 || secs >= (109203489-2440588)*86400.0 {
		return time.Time{}, pgerr.New(pgerr.DatetimeFieldOverflow, "timestamp out of range: \"%.6g\"", secs)
	}
	us := int64(math.RoundToEven((secs-unixToPG)*1e6)) + unixToPG*1000000
	return CheckTimestamp(time.UnixMicro(us).UTC())
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// AddInterval is timestamp_pl_interval (and timestamptz's in zone loc):
// months move the local date, clamped to the end of the month; days move
// it by calendar days; the time part is added as elapsed time.
func AddInterval(t time.Time, iv types.IntervalValue, loc *time.Location) (time.Time, error) {
	if types.Infinite(t) != 0 {
		return t, nil
	}
	if iv.Months != 0 {
		w := t.In(loc)
		y, m, d := w.Date()
		mm := int(m) - 1 + int(iv.Months)
		y += floorDiv(mm, 12)
		m = time.Month(mm-floorDiv(mm, 12)*12) + 1
		if y < -4713 || y > maxTimestampYear {
			return t, timestampOutOfRange()
		}
		d = min(d, daysIn(y, m))
		t = time.Date(y, m, d, w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	}
	if iv.Days != 0 {
		w := t.In(loc)
		if y := w.Year() + int(iv.Days)/365; y < -4714 || y > maxTimestampYear+1 {
			return t, timestampOutOfRange()
		}
		t = time.Date(w.Year(), w.Month(), w.Day()+int(iv.Days), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	}
	if _, err := CheckTimestamp(t); err != nil {
		return t, err
	}
	us := t.UnixMicro()
	r := us + iv.Micros
	if (iv.Micros > 0 && r < us) || (iv.Micros < 0 && r > us) {
		return t, timestampOutOfRange()
	}
	return CheckTimestamp(time.UnixMicro(r).UTC())
}

// NegateInterval is interval_um.
func NegateInterval(v types.IntervalValue) (types.IntervalValue, error) {
	if v.Months == math.MinInt32 || v.Days == math.MinInt32 || v.Micros == math.MinInt64 {
		return v, intervalOutOfRange()
	}
	return types.IntervalValue{Months: -v.Months, Days: -v.Days, Micros: -v.Micros}, nil
}

// AddIntervals is interval_pl (sign 1) and interval_mi (sign -1).
func AddIntervals(a, b types.IntervalValue, sign int64) (types.IntervalValue, error) {
	m := int64(a.Months) + sign*int64(b.Months)
	d := int64(a.Days) + sign*int64(b.Days)
	if m != int64(int32(m)) || d != int64(int32(d)) {
		return a, intervalOutOfRange()
	}
	us := a.Micros
	bm := b.Micros
	if sign < 0 {
		if bm == math.MinInt64 {
			if us >= 0 {
				return a, intervalOutOfRange()
			}
			return types.IntervalValue{Months: int32(m), Days: int32(d), Micros: us - bm}, nil
		}
		bm = -bm
	}
	r := us + bm
	if (bm > 0 && r < us) || (bm < 0 && r > us) {
		return a, intervalOutOfRange()
	}
	return types.IntervalValue{Months: int32(m), Days: int32(d), Micros: r}, nil
}

func tsround(f float64) float64 { return math.RoundToEven(f*1e6) / 1e6 }

func fitsInt64(f float64) bool { return f >= -9223372036854775808.0 && f < 9223372036854775808.0 }

// MulInterval is interval_mul, and interval_div when div is set: the
// month and day products truncated, their fractions cascaded down to
// days and microseconds.
func MulInterval(v types.IntervalValue, factor float64, div bool) (types.IntervalValue, error) {
	op := func(x float64) float64 {
		if div {
			return x / factor
		}
		return x * factor
	}
	if div && factor == 0 {
		return v, divByZero()
	}
	var r types.IntervalValue
	md := op(float64(v.Months))
	if math.IsNaN(md) || md > math.MaxInt32 || md < math.MinInt32 {
		return v, intervalOutOfRange()
	}
	r.Months = int32(md)
	dd := op(float64(v.Days))
	if math.IsNaN(dd) || dd > math.MaxInt32 || dd < math.MinInt32 {
		return v, intervalOutOfRange()
	}
	r.Days = int32(dd)
	monthRemainderDays := tsround((md - float64(r.Months)) * 30)
	secRemainder := tsround((dd - float64(r.Days) + monthRemainderDays - float64(int32(monthRemainderDays))) * 86400)
	if math.Abs(secRemainder) >= 86400 {
		extra := int64(int32(secRemainder / 86400))
		nd := int64(r.Days) + extra
		if nd != int64(int32(nd)) {
			return v, intervalOutOfRange()
		}
		r.Days = int32(nd)
		secRemainder -= float64(extra * 86400)
	}
	nd := int64(r.Days) + int64(int32(monthRemainderDays))
	if nd != int64(int32(nd)) {
		return v, intervalOutOfRange()
	}
	r.Days = int32(nd)
	t := math.RoundToEven(op(float64(v.Micros)) + secRemainder*1e6)
	if math.IsNaN(t) || !fitsInt64(t) {
		return v, intervalOutOfRange()
	}
	r.Micros = int64(t)
	return r, nil
}

// SubTimestamps is timestamp_mi: the elapsed time, justified to days of
// 24 hours.
func SubTimestamps(a, b time.Time) (types.IntervalValue, error) {
	if types.Infinite(a) != 0 || types.Infinite(b) != 0 {
		return types.IntervalValue{}, pgerr.New(pgerr.DatetimeFieldOverflow, "cannot subtract infinite timestamps")
	}
	x, y := a.UnixMicro(), b.UnixMicro()
	r := x - y
	if (y < 0 && r < x) || (y > 0 && r > x) {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	return JustifyHours(types.IntervalValue{Micros: r})
}

// JustifyHours is justify_hours: whole days of the time part move to days.
func JustifyHours(v types.IntervalValue) (types.IntervalValue, error) {
	whole := v.Micros / usecsPerDay
	v.Micros -= whole * usecsPerDay
	d := int64(v.Days) + whole
	if d != int64(int32(d)) {
		return v, intervalOutOfRange()
	}
	v.Days = int32(d)
	if v.Days > 0 && v.Micros < 0 {
		v.Micros += usecsPerDay
		v.Days--
	} else if v.Days < 0 && v.Micros > 0 {
		v.Micros -= usecsPerDay
		v.Days++
	}
	return v, nil
}

// JustifyDays is justify_days: whole 30-day months move to months.
func JustifyDays(v types.IntervalValue) (types.IntervalValue, error) {
	whole := v.Days / 30
	v.Days -= whole * 30
	m := int64(v.Months) + int64(whole)
	if m != int64(int32(m)) {
		return v, intervalOutOfRange()
	}
	v.Months = int32(m)
	if v.Months > 0 && v.Days < 0 {
		v.Days += 30
		v.Months--
	} else if v.Months < 0 && v.Days > 0 {
		v.Days -= 30
		v.Months++
	}
	return v, nil
}

// JustifyInterval is justify_interval: both, with the signs made to agree.
func JustifyInterval(v types.IntervalValue) (types.IntervalValue, error) {
	if (v.Days > 0 && v.Micros > 0) || (v.Days < 0 && v.Micros < 0) {
		whole := v.Days / 30
		v.Days -= whole * 30
		m := int64(v.Months) + int64(whole)
		if m != int64(int32(m)) {
			return v, intervalOutOfRange()
		}
		v.Months = int32(m)
	}
	wholeDay := v.Micros / usecsPerDay
	v.Micros -= wholeDay * usecsPerDay
	v.Days += int32(wholeDay)
	whole := v.Days / 30
	v.Days -= whole * 30
	m := int64(v.Months) + int64(whole)
	if m != int64(int32(m)) {
		return v, intervalOutOfRange()
	}
	v.Months = int32(m)
	if v.Months > 0 && (v.Days < 0 || (v.Days == 0 && v.Micros < 0)) {
		v.Days += 30
		v.Months--
	} else if v.Months < 0 && (v.Days > 0 || (v.Days == 0 && v.Micros > 0)) {
		v.Days -= 30
		v.Months++
	}
	if v.Days > 0 && v.Micros < 0 {
		v.Micros += usecsPerDay
		v.Days--
	} else if v.Days < 0 && v.Micros > 0 {
		v.Micros -= usecsPerDay
		v.Days++
	}
	return v, nil
}

// unitOf reads the unit argument of extract, date_part and date_trunc.
func unitOf(s string) (string, types.Unit, bool) {
	low := strings.ToLower(s)
	u, ok := types.LookupUnit(low)
	return low, u, ok
}

func unitNotSupported(low string, t types.ID) error {
	return pgerr.New(pgerr.FeatureNotSupported, "unit \"%s\" not supported for type %s", low, types.New(t).Name())
}

func unitNotRecognized(low string, t types.ID) error {
	return pgerr.New(pgerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", low, types.New(t).Name())
}

// part is an extracted field: an integer, or microseconds over 10^scale
// (seconds as 12.345678), as both extract's numeric and date_part's
// float8 need it.
type part struct {
	n     int64
	scale int32 // the value is n / 10^scale
	exact *apd.Decimal
}

func (p part) numeric() types.Datum {
	if p.exact != nil {
		return p.exact
	}
	return apd.New(p.n, -p.scale)
}

func (p part) float() types.Datum {
	if p.exact != nil {
		f, _ := p.exact.Float64()
		return f
	}
	return float64(p.n) / math.Pow10(int(p.scale))
}

// intervalPart is interval_part_common.
func intervalPart(unit string, v types.IntervalValue) (part, error) {
	low, u, ok := unitOf(unit)
	if !ok {
		return part{}, unitNotRecognized(low, types.Interval)
	}
	year, mon, mday, hour, min, sec, usec := types.IntervalFields(v)
	switch u {
	case types.UnitMicrosecond:
		return part{n: sec*usecsPerSec + usec}, nil
	case types.UnitMillisecond:
		return part{n: sec*usecsPerSec + usec, scale: 3}, nil
	case types.UnitSecond:
		return part{n: sec*usecsPerSec + usec, scale: 6}, nil
	case types.UnitMinute:
		return part{n: min}, nil
	case types.UnitHour:
		return part{n: hour}, nil
	case types.UnitDay:
		return part{n: mday}, nil
	case types.UnitMonth:
		return part{n: mon}, nil
	case types.UnitQuarter:
		return part{n: mon/3 + 1}, nil
	case types.UnitYear:
		return part{n: year}, nil
	case types.UnitDecade:
		return part{n: year / 10}, nil
	case types.UnitCentury:
		return part{n: year / 100}, nil
	case types.UnitMillennium:
		return part{n: year / 1000}, nil
	case types.UnitEpoch:
		secs := (int64(4*365.25)*(int64(v.Months)/12) + int64(4*30)*(int64(v.Months)%12) + 4*int64(v.Days)) * (86400 / 4)
		if r, ok := mulAdd(secs, usecsPerSec, v.Micros); ok {
			return part{n: r, scale: 6}, nil
		}
		d := apd.New(v.Micros, -6)
		if _, err := types.NumericContext().Add(d, d, apd.New(secs, 0)); err != nil {
			return part{}, err
		}
		return part{exact: d}, nil
	case types.UnitWeek, types.UnitTZ, types.UnitTZHour, types.UnitTZMinute, types.UnitDow, types.UnitDoy, types.UnitIsoDow, types.UnitIsoYear, types.UnitJulian:
		if u == types.UnitDow || u == types.UnitDoy || u == types.UnitIsoDow || u == types.UnitIsoYear || u == types.UnitJulian {
			return part{}, unitNotSupported(low, types.Interval)
		}
		return part{}, unitNotSupported(low, types.Interval)
	}
	return part{}, unitNotRecognized(low, types.Interval)
}

func mulAdd(a, b, c int64) (int64, bool) {
	if a != 0 && b != 0 && (a*b)/b != a {
		return 0, false
	}
	p := a * b
	r := p + c
	if (c > 0 && r < p) || (c < 0 && r > p) {
		return 0, false
	}
	return r, true
}

// julian is date2j: the Julian day number of a date.
func julian(t time.Time) int64 {
	y, m, d := t.Date()
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	return days + unixEpochJulian
}

// timestampPart is timestamp_part_common for a timestamp given as its
// local time w; zoneEast is the offset for the timezone fields (ok only
// for timestamptz), and id the type named in errors.
func timestampPart(unit string, w time.Time, id types.ID, zoneEast int) (part, error) {
	low, u, ok := unitOf(unit)
	if !ok {
		return part{}, unitNotRecognized(low, id)
	}
	y := int64(w.Year())
	usec := int64(w.Second())*usecsPerSec + int64(w.Nanosecond()/1000)
	date := id == types.Date
	switch u {
	case types.UnitMicrosecond, types.UnitMillisecond, types.UnitSecond, types.UnitMinute, types.UnitHour:
		if date {
			return part{}, unitNotSupported(low, id)
		}
	}
	switch u {
	case types.UnitMicrosecond:
		return part{n: usec}, nil
	case types.UnitMillisecond:
		return part{n: usec, scale: 3}, nil
	case types.UnitSecond:
		return part{n: usec, scale: 6}, nil
	case types.UnitMinute:
		return part{n: int64(w.Minute())}, nil
	case types.UnitHour:
		return part{n: int64(w.Hour())}, nil
	case types.UnitDay:
		return part{n: int64(w.Day())}, nil
	case types.UnitMonth:
		return part{n: int64(w.Month())}, nil
	case types.UnitQuarter:
		return part{n: (int64(w.Month())-1)/3 + 1}, nil
	case types.UnitWeek:
		_, wk := w.ISOWeek()
		return part{n: int64(wk)}, nil
	case types.UnitYear:
		if y > 0 {
			return part{n: y}, nil
		}
		return part{n: y - 1}, nil
	case types.UnitDecade:
		if y >= 0 {
			return part{n: y / 10}, nil
		}
		return part{n: -((8 - (y - 1)) / 10)}, nil
	case types.UnitCentury:
		if y > 0 {
			return part{n: (y + 99) / 100}, nil
		}
		return part{n: -((99 - (y - 1)) / 100)}, nil
	case types.UnitMillennium:
		if y > 0 {
			return part{n: (y + 999) / 1000}, nil
		}
		return part{n: -((999 - (y - 1)) / 1000)}, nil
	case types.UnitJulian:
		j := julian(w)
		if date {
			return part{n: j}, nil
		}
		tod := int64(w.Hour())*usecsPerHour + int64(w.Minute())*usecsPerMinute + usec
		q, err := NumericDiv(apd.New(tod, 0), apd.New(usecsPerDay, 0))
		if err != nil {
			return part{}, err
		}
		r := new(apd.Decimal)
		types.NumericContext().Add(r, q.(*apd.Decimal), apd.New(j, 0))
		return part{exact: r}, nil
	case types.UnitIsoYear:
		iy, _ := w.ISOWeek()
		n := int64(iy)
		if n <= 0 {
			n--
		}
		return part{n: n}, nil
	case types.UnitDow, types.UnitIsoDow:
		d := int64(w.Weekday())
		if u == types.UnitIsoDow && d == 0 {
			d = 7
		}
		return part{n: d}, nil
	case types.UnitDoy:
		return part{n: int64(w.YearDay())}, nil
	case types.UnitTZ, types.UnitTZHour, types.UnitTZMinute:
		if id != types.TimestampTZ {
			return part{}, unitNotSupported(low, id)
		}
		switch u {
		case types.UnitTZ:
			return part{n: int64(zoneEast)}, nil
		case types.UnitTZHour:
			return part{n: int64(zoneEast / 3600)}, nil
		}
		return part{n: int64(zoneEast / 60 % 60)}, nil
	case types.UnitEpoch:
		if date {
			return part{n: w.Unix()}, nil
		}
		return part{n: w.UnixMicro(), scale: 6}, nil
	}
	if u == types.UnitDecade || u == types.UnitAgo || u == types.UnitIgnore {
		return part{}, unitNotRecognized(low, id)
	}
	return part{}, unitNotSupported(low, id)
}

// timePart is time_part_common (zone is timetz's, seconds west).
func timePart(unit string, us int64, id types.ID, zone int32) (part, error) {
	low, u, ok := unitOf(unit)
	if !ok {
		return part{}, unitNotRecognized(low, id)
	}
	sec := us % usecsPerMinute
	switch u {
	case types.UnitMicrosecond:
		return part{n: sec}, nil
	case types.UnitMillisecond:
		return part{n: sec, scale: 3}, nil
	case types.UnitSecond:
		return part{n: sec, scale: 6}, nil
	case types.UnitMinute:
		return part{n: us / usecsPerMinute % 60}, nil
	case types.UnitHour:
		return part{n: us / usecsPerHour}, nil
	case types.UnitTZ, types.UnitTZHour, types.UnitTZMinute:
		if id != types.TimeTZ {
			return part{}, unitNotSupported(low, id)
		}
		east := -int64(zone)
		switch u {
		case types.UnitTZ:
			return part{n: east}, nil
		case types.UnitTZHour:
			return part{n: east / 3600}, nil
		}
		return part{n: east / 60 % 60}, nil
	case types.UnitEpoch:
		return part{n: us + int64(zone)*usecsPerSec, scale: 6}, nil
	case types.UnitIgnore, types.UnitAgo:
		return part{}, unitNotRecognized(low, id)
	}
	return part{}, unitNotSupported(low, id)
}

// ExtractTimestamp is extract(unit FROM timestamp) (numeric) or
// date_part (float8) of a timestamp, or of a timestamptz given as its
// local time with its zone's offset.
func ExtractTimestamp(unit string, w time.Time, id types.ID, zoneEast int, numeric bool) (types.Datum, error) {
	if inf := types.Infinite(w); inf != 0 {
		return infinitePart(unit, inf, id, numeric)
	}
	p, err := timestampPart(unit, w, id, zoneEast)
	if err != nil {
		return nil, err
	}
	if numeric {
		return p.numeric(), nil
	}
	return p.float(), nil
}

// infinitePart is NonFiniteTimestampTzPart: the fields that grow with
// time are infinite too, the others NULL.
func infinitePart(unit string, sign int, id types.ID, numeric bool) (types.Datum, error) {
	low, u, ok := unitOf(unit)
	if !ok {
		return nil, unitNotRecognized(low, id)
	}
	switch u {
	case types.UnitEpoch, types.UnitJulian, types.UnitYear, types.UnitIsoYear, types.UnitDecade, types.UnitCentury, types.UnitMillennium:
		if numeric {
			return &apd.Decimal{Form: apd.Infinite, Negative: sign < 0}, nil
		}
		return math.Inf(sign), nil
	case types.UnitMicrosecond, types.UnitMillisecond, types.UnitSecond, types.UnitMinute, types.UnitHour, types.UnitDay, types.UnitMonth,
		types.UnitQuarter, types.UnitWeek, types.UnitDow, types.UnitIsoDow, types.UnitDoy, types.UnitTZ, types.UnitTZHour, types.UnitTZMinute:
		if id == types.Date && u <= types.UnitHour {
			return nil, unitNotSupported(low, id)
		}
		return nil, nil
	}
	return nil, unitNotRecognized(low, id)
}

// TruncTimestamp is timestamp_trunc of the local time w.
func TruncTimestamp(unit string, w time.Time, id types.ID) (time.Time, error) {
	low, u, ok := unitOf(unit)
	if !ok {
		return w, unitNotRecognized(low, id)
	}
	if types.Infinite(w) != 0 {
		return w, nil
	}
	y, mon, d := w.Year(), int(w.Month()), w.Day()
	h, mi, s, ns := w.Hour(), w.Minute(), w.Second(), w.Nanosecond()
	switch u {
	case types.UnitWeek:
		iy, wk := w.ISOWeek()
		jan4 := time.Date(iy, 1, 4, 0, 0, 0, 0, w.Location())
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(wk-1)*7)
		return monday, nil
	case types.UnitMillennium, types.UnitCentury, types.UnitDecade, types.UnitYear, types.UnitQuarter, types.UnitMonth,
		types.UnitDay, types.UnitHour, types.UnitMinute, types.UnitSecond, types.UnitMillisecond, types.UnitMicrosecond:
	default:
		if u == types.UnitAgo || u == types.UnitIgnore || u == types.UnitEpoch {
			return w, unitNotRecognized(low, id)
		}
		return w, unitNotSupported(low, id)
	}
	level := map[types.Unit]int{types.UnitMillennium: 9, types.UnitCentury: 8, types.UnitDecade: 7, types.UnitYear: 6, types.UnitQuarter: 5,
		types.UnitMonth: 4, types.UnitDay: 3, types.UnitHour: 2, types.UnitMinute: 1, types.UnitSecond: 0}[u]
	switch u {
	case types.UnitMillennium:
		if y > 0 {
			y = ((y+999)/1000)*1000 - 999
		} else {
			y = -((999-(y-1))/1000)*1000 + 1
		}
	case types.UnitCentury:
		if y > 0 {
			y = ((y+99)/100)*100 - 99
		} else {
			y = -((99-(y-1))/100)*100 + 1
		}
	case types.UnitDecade:
		if y > 0 {
			y = (y / 10) * 10
		} else {
			y = -((8 - (y - 1)) / 10) * 10
		}
	case types.UnitMillisecond:
		return time.Date(y, time.Month(mon), d, h, mi, s, ns/1000000*1000000, w.Location()), nil
	case types.UnitMicrosecond:
		return w, nil
	}
	if level >= 6 {
		mon = 1
	}
	if level >= 5 {
		mon = 3*((mon-1)/3) + 1
	}
	if level >= 4 {
		d = 1
	}
	if level >= 3 {
		h = 0
	}
	if level >= 2 {
		mi = 0
	}
	if level >= 1 {
		s = 0
	}
	return time.Date(y, time.Month(mon), d, h, mi, s, 0, w.Location()), nil
}

// TruncInterval is interval_trunc.
func TruncInterval(unit string, v types.IntervalValue) (types.IntervalValue, error) {
	low, u, ok := unitOf(unit)
	if !ok {
		return v, unitNotRecognized(low, types.Interval)
	}
	year, mon, mday, hour, min, sec, usec := types.IntervalFields(v)
	switch u {
	case types.UnitMillennium:
		year = year / 1000 * 1000
		fallthrough
	case types.UnitCentury:
		year = year / 100 * 100
		fallthrough
	case types.UnitDecade:
		year = year / 10 * 10
		fallthrough
	case types.UnitYear:
		mon = 0
		fallthrough
	case types.UnitQuarter:
		mon = 3 * (mon / 3)
		fallthrough
	case types.UnitMonth:
		mday = 0
		fallthrough
	case types.UnitDay:
		hour = 0
		fallthrough
	case types.UnitHour:
		min = 0
		fallthrough
	case types.UnitMinute:
		sec = 0
		fallthrough
	case types.UnitSecond:
		usec = 0
	case types.UnitMillisecond:
		usec = usec / 1000 * 1000
	case types.UnitMicrosecond:
	default:
		if u == types.UnitAgo || u == types.UnitIgnore || u == types.UnitEpoch {
			return v, unitNotRecognized(low, types.Interval)
		}
		err := unitNotSupported(low, types.Interval)
		if u == types.UnitWeek {
			err = pgerr.Find(err).WithDetail("Months usually have fractional weeks.")
		}
		return v, err
	}
	return types.IntervalValue{Months: int32(year*12 + mon), Days: int32(mday),
		Micros: hour*usecsPerHour + min*usecsPerMinute + sec*usecsPerSec + usec}, nil
}

// Age is timestamp_age of two local times: the symbolic difference in
// years, months and days, then time.
func Age(a, b time.Time) (types.IntervalValue, error) {
	neg := a.Before(b)
	f := func(t time.Time) [7]int64 {
		return [7]int64{int64(t.Year()), int64(t.Month()), int64(t.Day()), int64(t.Hour()), int64(t.Minute()), int64(t.Second()), int64(t.Nanosecond() / 1000)}
	}
	x, y := f(a), f(b)
	var tm [7]int64
	for i := range tm {
		tm[i] = x[i] - y[i]
	}
	if neg {
		for i := range tm {
			tm[i] = -tm[i]
		}
	}
	for tm[6] < 0 {
		tm[6] += usecsPerSec
		tm[5]--
	}
	for tm[5] < 0 {
		tm[5] += 60
		tm[4]--
	}
	for tm[4] < 0 {
		tm[4] += 60
		tm[3]--
	}
	for tm[3] < 0 {
		tm[3] += 24
		tm[2]--
	}
	for tm[2] < 0 {
		ref := b
		if neg {
			ref = a
		}
		tm[2] += int64(daysIn(ref.Year(), ref.Month()))
		tm[1]--
	}
	for tm[1] < 0 {
		tm[1] += 12
		tm[0]--
	}
	if neg {
		for i := range tm {
			tm[i] = -tm[i]
		}
	}
	months := tm[0]*12 + tm[1]
	if months != int64(int32(months)) || tm[2] != int64(int32(tm[2])) {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	return types.IntervalValue{Months: int32(months), Days: int32(tm[2]),
		Micros: tm[3]*usecsPerHour + tm[4]*usecsPerMinute + tm[5]*usecsPerSec + tm[6]}, nil
}

// MakeInterval is make_interval(years, months, weeks, days, hours, mins,
// secs).
func MakeInterval(years, months, weeks, days, hours, mins int64, secs float64) (types.IntervalValue, error) {
	if math.IsInf(secs, 0) || math.IsNaN(secs) {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	m := years*12 + months
	d := weeks*7 + days
	if m != int64(int32(m)) || d != int64(int32(d)) {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	s := math.RoundToEven(secs * 1e6)
	if !fitsInt64(s) {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	us, ok := mulAdd(hours, usecsPerHour, 0)
	if ok {
		us, ok = mulAdd(mins, usecsPerMinute, us)
	}
	if ok {
		us, ok = mulAdd(1, int64(s), us)
	}
	if !ok {
		return types.IntervalValue{}, intervalOutOfRange()
	}
	return types.IntervalValue{Months: int32(m), Days: int32(d), Micros: us}, nil
}

// MakeDate is make_date: a negative year is BC.
func MakeDate(y, m, d int64) (time.Time, error) {
	bad := func() error {
		return pgerr.New(pgerr.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", y, m, d)
	}
	if y == 0 || m < 1 || m > 12 || d < 1 || y < -4714 || y > 5874897 {
		return time.Time{}, bad()
	}
	yy := int(y)
	if y < 0 {
		yy = int(y) + 1
	}
	if d > int64(daysIn(yy, time.Month(m))) {
		return time.Time{}, bad()
	}
	return time.Date(yy, time.Month(m), int(d), 0, 0, 0, 0, time.UTC), nil
}

// MakeTime is make_time.
func MakeTime(h, m int64, sec float64) (types.TimeOfDay, error) {
	if h < 0 || h > 24 || m < 0 || m > 59 || sec < 0 || sec > 60 || math.IsNaN(sec) {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "time field value out of range: %d:%02d:%s", h, m, formatG(sec))
	}
	us := h*usecsPerHour + m*usecsPerMinute + int64(math.RoundToEven(sec*1e6))
	if us > usecsPerDay {
		return 0, pgerr.New(pgerr.DatetimeFieldOverflow, "time field value out of range: %d:%02d:%s", h, m, formatG(sec))
	}
	return types.TimeOfDay(us), nil
}

func formatG(f float64) string {
	s := fmt.Sprintf("%g", f)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

// MakeTimestamp is make_timestamp (and make_timestamptz in zone loc).
func MakeTimestamp(y, mo, d, h, mi int64, sec float64, loc *time.Location) (time.Time, error) {
	date, err := MakeDate(y, mo, d)
	if err != nil {
		return date, err
	}
	tod, err := MakeTime(h, mi, sec)
	if err != nil {
		return date, err
	}
	t := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, loc).Add(time.Duration(tod) * time.Microsecond)
	return CheckTimestamp(t.UTC())
}

func init() {
	iv := types.Interval
	ivFn := func(f func(types.IntervalValue) (types.IntervalValue, error)) func([]types.Datum) (types.Datum, error) {
		return func(a []types.Datum) (types.Datum, error) {
			r, err := f(a[0].(types.IntervalValue))
			if err != nil {
				return nil, err
			}
			return r, nil
		}
	}
	register("justify_hours", &Overload{Args: []types.ID{iv}, Result: iv, Fn: ivFn(JustifyHours)})
	register("justify_days", &Overload{Args: []types.ID{iv}, Result: iv, Fn: ivFn(JustifyDays)})
	register("justify_interval", &Overload{Args: []types.ID{iv}, Result: iv, Fn: ivFn(JustifyInterval)})

	// make_interval's arguments all default to 0.
	for n := 0; n <= 7; n++ {
		args := make([]types.ID, n)
		for i := range args {
			args[i] = types.Int4
		}
		if n == 7 {
			args[6] = types.Float8
		}
		register("make_interval", &Overload{Args: args, Result: iv, Fn: func(a []types.Datum) (types.Datum, error) {
			var v [6]int64
			secs := 0.0
			for i, d := range a {
				if i == 6 {
					secs = d.(float64)
				} else {
					v[i] = d.(int64)
				}
			}
			r, err := MakeInterval(v[0], v[1], v[2], v[3], v[4], v[5], secs)
			if err != nil {
				return nil, err
			}
			return r, nil
		}})
	}
	register("make_date", &Overload{Args: []types.ID{types.Int4, types.Int4, types.Int4}, Result: types.Date, Fn: func(a []types.Datum) (types.Datum, error) {
		r, err := MakeDate(a[0].(int64), a[1].(int64), a[2].(int64))
		if err != nil {
			return nil, err
		}
		return r, nil
	}})
	register("make_time", &Overload{Args: []types.ID{types.Int4, types.Int4, types.Float8}, Result: types.Time, Fn: func(a []types.Datum) (types.Datum, error) {
		r, err := MakeTime(a[0].(int64), a[1].(int64), a[2].(float64))
		if err != nil {
			return nil, err
		}
		return r, nil
	}})
	register("make_timestamp", &Overload{Args: []types.ID{types.Int4, types.Int4, types.Int4, types.Int4, types.Int4, types.Float8}, Result: types.Timestamp,
		Fn: func(a []types.Datum) (types.Datum, error) {
			r, err := MakeTimestamp(a[0].(int64), a[1].(int64), a[2].(int64), a[3].(int64), a[4].(int64), a[5].(float64), time.UTC)
			if err != nil {
				return nil, err
			}
			return r, nil
		}})
	register("to_timestamp", &Overload{Args: []types.ID{types.Float8}, Result: types.TimestampTZ, Fn: func(a []types.Datum) (types.Datum, error) {
		r, err := TimestampFromEpoch(a[0].(float64))
		if err != nil {
			return nil, err
		}
		return r, nil
	}})
	isfinite := func(a []types.Datum) (types.Datum, error) {
		t, ok := a[0].(time.Time)
		return !ok || types.Infinite(t) == 0, nil
	}
	for _, id := range []types.ID{types.Date, types.Timestamp, types.TimestampTZ, types.Interval} {
		register("isfinite", &Overload{Args: []types.ID{id}, Result: types.Bool, Fn: isfinite})
	}

	// extract and date_part of the types whose fields need no zone;
	// timestamptz's are bound in package sql.
	for _, name := range []string{"extract", "date_part"} {
		numeric := name == "extract"
		res := types.Numeric
		if !numeric {
			res = types.Float8
		}
		out := func(p part, err error) (types.Datum, error) {
			if err != nil {
				return nil, err
			}
			if numeric {
				return p.numeric(), nil
			}
			return p.float(), nil
		}
		register(name,
			&Overload{Args: []types.ID{types.Text, types.Interval}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				return out(intervalPart(a[0].(string), a[1].(types.IntervalValue)))
			}},
			&Overload{Args: []types.ID{types.Text, types.Timestamp}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				return ExtractTimestamp(a[0].(string), a[1].(time.Time), types.Timestamp, 0, numeric)
			}},
			&Overload{Args: []types.ID{types.Text, types.Time}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				return out(timePart(a[0].(string), int64(a[1].(types.TimeOfDay)), types.Time, 0))
			}},
			&Overload{Args: []types.ID{types.Text, types.TimeTZ}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				v := a[1].(types.TimeTZValue)
				return out(timePart(a[0].(string), v.Micros, types.TimeTZ, v.Zone))
			}},
		)
		if numeric {
			// date_part(text, date) is date_part of the date as a
			// timestamp; extract has its own, integer, fields.
			register(name, &Overload{Args: []types.ID{types.Text, types.Date}, Result: res, Fn: func(a []types.Datum) (types.Datum, error) {
				return ExtractTimestamp(a[0].(string), a[1].(time.Time), types.Date, 0, numeric)
			}})
		}
	}
	register("date_trunc",
		&Overload{Args: []types.ID{types.Text, types.Timestamp}, Result: types.Timestamp, Fn: func(a []types.Datum) (types.Datum, error) {
			r, err := TruncTimestamp(a[0].(string), a[1].(time.Time), types.Timestamp)
			if err != nil {
				return nil, err
			}
			return r, nil
		}},
		&Overload{Args: []types.ID{types.Text, types.Interval}, Result: types.Interval, Fn: func(a []types.Datum) (types.Datum, error) {
			r, err := TruncInterval(a[0].(string), a[1].(types.IntervalValue))
			if err != nil {
				return nil, err
			}
			return r, nil
		}},
	)
	register("age", &Overload{Args: []types.ID{types.Timestamp, types.Timestamp}, Result: types.Interval, Fn: func(a []types.Datum) (types.Datum, error) {
		r, err := Age(a[0].(time.Time), a[1].(time.Time))
		if err != nil {
			return nil, err
		}
		return r, nil
	}})
}

// DateBin is date_bin: the start of the stride-wide bin, counted from
// origin, that t falls in.
func DateBin(stride types.IntervalValue, t, origin time.Time) (time.Time, error) {
	if types.Infinite(t) != 0 {
		return t, nil
	}
	if types.Infinite(origin) != 0 {
		return t, pgerr.New(pgerr.DatetimeFieldOverflow, "origin out of range")
	}
	if stride.Months != 0 {
		return t, pgerr.New(pgerr.FeatureNotSupported, "timestamps cannot be binned into intervals containing months or years")
	}
	strideUs, ok := mulAdd(int64(stride.Days), usecsPerDay, stride.Micros)
	if !ok {
		return t, intervalOutOfRange()
	}
	if strideUs <= 0 {
		return t, pgerr.New(pgerr.DatetimeFieldOverflow, "stride must be greater than zero")
	}
	ts, org := t.UnixMicro(), origin.UnixMicro()
	diff := ts - org
	if (org < 0 && diff < ts) || (org > 0 && diff > ts) {
		return t, intervalOutOfRange()
	}
	delta := diff - diff%strideUs
	if org > ts && strideUs > 1 {
		delta -= strideUs
	}
	return CheckTimestamp(time.UnixMicro(org + delta).UTC())
}

func init() {
	for _, id := range []types.ID{types.Timestamp, types.TimestampTZ} {
		register("date_bin", &Overload{Args: []types.ID{types.Interval, id, id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
			r, err := DateBin(a[0].(types.IntervalValue), a[1].(time.Time), a[2].(time.Time))
			if err != nil {
				return nil, err
			}
			return r, nil
		}})
	}
}
