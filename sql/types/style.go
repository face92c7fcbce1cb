package types

import (
	"strings"
	"time"
)

// Style is what the text form of values depends on beyond the type: the
// session's IntervalStyle and TimeZone for date, time and interval
// values, bytea_output for bytea. The zero Style is PostgreSQL's defaults,
// postgres, UTC and hex.
type Style struct {
	// ByteaEscape is bytea_output = escape (hex is the default).
	ByteaEscape bool
	// IntervalStyle is postgres ("" too), postgres_verbose, sql_standard
	// or iso_8601.
	IntervalStyle string
	// Zone is the TimeZone setting; nil is UTC.
	Zone *time.Location
	// DateOrder is the field order DateStyle gives numeric dates that
	// do not start with the year: "MDY" (the zero value too), "DMY" or
	// "YMD".
	DateOrder string
	// RoundFloats is extra_float_digits of 0 or less: float4 and float8
	// print rounded to FLT_DIG or DBL_DIG plus ExtraFloatDigits
	// significant digits instead of the shortest exact form.
	RoundFloats      bool
	ExtraFloatDigits int
	// MaxStackDepthKB is max_stack_depth in kB (0: the default), which
	// bounds the nesting of JSON input.
	MaxStackDepthKB int
	// Now is the transaction's start, which 'now', 'today', 'tomorrow'
	// and 'yesterday' in date and time text stand for.
	Now time.Time
}

// Location is the style's time zone.
func (st Style) Location() *time.Location {
	if st.Zone == nil {
		return time.UTC
	}
	return st.Zone
}

// FormatTextStyle renders d as FormatText does, with timestamptz in the
// style's zone, intervals in its IntervalStyle and bytea in its
// bytea_output.
func FormatTextStyle(t T, d Datum, st Style) string {
	switch v := d.(type) {
	case IntervalValue:
		return FormatInterval(v, st.IntervalStyle)
	case time.Time:
		if t.ID == TimestampTZ {
			return formatTimestampTZ(v, st.Location())
		}
	case *Array:
		return formatArrayStyle(t, v, st)
	case *RecordValue:
		return formatRecord(t, v, st)
	}
	return formatPlain(t, d, st)
}

// formatTimestampTZ is timestamptz_out in the ISO DateStyle: the local
// time in loc and its offset from UTC.
func formatTimestampTZ(v time.Time, loc *time.Location) string {
	switch Infinite(v) {
	case 1:
		return "infinity"
	case -1:
		return "-infinity"
	}
	w := v.In(loc)
	_, off := w.Zone()
	d, bc := strings.CutSuffix(formatDate(w), " BC")
	s := d + " " + formatClock(w) + FormatZoneOffset(off)
	if bc {
		s += " BC"
	}
	return s
}

// ParseTextStyle reads text as ParseText does, with timestamptz, timetz
// and time read in the style's zone when the text names none, and
// intervals read as the style's IntervalStyle reads them (sql_standard
// applies a leading minus to every field).
func ParseTextStyle(t T, s string, st Style) (Datum, error) {
	switch t.ID {
	case Interval:
		v, err := parseIntervalStyle(s, t.Mod, st.IntervalStyle == IntervalStyleSQLStandard)
		if err != nil {
			return nil, err
		}
		return v, nil
	case TimestampTZ, Timestamp:
		return parseTimestampStyle(t, s, st)
	case Date:
		return parseDateStyle(s, st)
	case TimeTZ:
		return parseTimeOfDayIn(t, s, st.Location())
	}
	return ParseText(t, s)
}

// TextStyled reports whether ParseTextStyle reads the Style to parse a
// value of type t; for any other type the Style it is given is ignored.
func TextStyled(t T) bool {
	switch t.ID {
	case Interval, TimestampTZ, Timestamp, Date, TimeTZ:
		return true
	}
	return false
}

// StyleDependent reports whether a cast from one type to another depends
// on the Style (CastStyle does it differently from Cast).
func StyleDependent(from, to T) bool {
	styled := func(id ID) bool {
		if in, ok := byID[id]; ok && in.Elem != 0 {
			id = in.Elem
		}
		return id == Interval || id == TimestampTZ
	}
	switch {
	case to.IsString() && !from.IsString() && styled(from.ID):
		return true
	case from.IsString() && (to.ID == Interval || to.ID == TimestampTZ || to.ID == TimeTZ || to.ID == Timestamp || to.ID == Date):
		return true
	case from.ID == TimestampTZ && (to.ID == Timestamp || to.ID == Date || to.ID == Time || to.ID == TimeTZ):
		return true
	case to.ID == TimestampTZ && (from.ID == Timestamp || from.ID == Date):
		return true
	case from.ID == Time && to.ID == TimeTZ:
		return true
	case from.IsString() && (to.ID == JSONB || to.ID == JSONType):
		return true
	}
	return false
}

// CastStyle converts as Cast does, with the conversions that depend on
// the session done in style st: to text from interval and timestamptz
// (and their arrays), from text to interval and timestamptz, and between
// timestamptz and timestamp, date and time.
func CastStyle(d Datum, from, to T, explicit bool, st Style) (Datum, error) {
	if d == nil {
		return nil, nil
	}
	loc := st.Location()
	styled := func(id ID) bool {
		if in, ok := byID[id]; ok && in.Elem != 0 {
			id = in.Elem
		}
		return id == Interval || id == TimestampTZ
	}
	switch {
	case from.IsString() && (to.ID == JSONB || to.ID == JSONType):
		s, ok := d.(string)
		if !ok {
			break
		}
		if to.ID == JSONB {
			return ParseJSONBStyle(s, st)
		}
		if err := ValidateJSONStyle(s, st); err != nil {
			return nil, err
		}
		return s, nil
	case to.IsString() && !from.IsString() && styled(from.ID):
		return Cast(FormatTextStyle(from, d, st), New(Text), to, explicit)
	case from.IsString() && (to.ID == Interval || to.ID == TimestampTZ || to.ID == TimeTZ || to.ID == Timestamp || to.ID == Date):
		s, ok := d.(string)
		if !ok {
			break
		}
		v, err := ParseTextStyle(T{ID: to.ID, Mod: to.Mod}, s, st)
		if err != nil {
			return nil, err
		}
		return Cast(v, New(to.ID), to, explicit)
	case from.ID == TimestampTZ && (to.ID == Timestamp || to.ID == Date || to.ID == Time || to.ID == TimeTZ):
		if inf := Infinite(d.(time.Time)); inf != 0 && to.ID != Time && to.ID != TimeTZ {
			return d, nil
		}
		w := d.(time.Time).In(loc)
		wall := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
		if to.ID == TimeTZ {
			_, off := w.Zone()
			v, err := Cast(wall, New(Timestamp), New(Time), explicit)
			if err != nil {
				return nil, err
			}
			return TimeTZValue{Micros: int64(RoundTime(v.(TimeOfDay), to.Mod)), Zone: int32(-off)}, nil
		}
		return Cast(wall, New(Timestamp), to, explicit)
	case to.ID == TimestampTZ && (from.ID == Timestamp || from.ID == Date):
		w := d.(time.Time)
		if Infinite(w) != 0 {
			return w, nil
		}
		return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc).UTC(), nil
	case from.ID == Time && to.ID == TimeTZ:
		// The zone's offset on 2000-01-01 (PostgreSQL takes today's).
		_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Zone()
		return TimeTZValue{Micros: int64(RoundTime(d.(TimeOfDay), to.Mod)), Zone: int32(-off)}, nil
	}
	return Cast(d, from, to, explicit)
}

// TextInput returns ParseTextStyle for values of t, its type looked up
// once: a reader parsing many values of one type (COPY) saves the lookup
// of each value.
func TextInput(t T) func(s string, st Style) (Datum, error) {
	if TextStyled(t) {
		return func(s string, st Style) (Datum, error) { return ParseTextStyle(t, s, st) }
	}
	if in, ok := byID[t.ID]; ok && in.input != nil {
		input := in.input
		return func(s string, _ Style) (Datum, error) { return input(t, s) }
	}
	return func(s string, _ Style) (Datum, error) { return ParseText(t, s) }
}
