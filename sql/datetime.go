package sql

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// TypeStyle is the session's IntervalStyle, TimeZone and bytea_output,
// which the text form of intervals, timestamptz and bytea values, and date
// arithmetic in timestamptz, follow.
func (s *Session) TypeStyle() types.Style {
	from := styleSettings{s.settings["intervalstyle"], s.settings["bytea_output"], s.settings["datestyle"],
		s.settings["timezone"], s.settings["extra_float_digits"], s.settings["max_stack_depth"]}
	if !s.style.valid || s.style.from != from {
		s.style = styleCache{from: from, style: from.style(), valid: true}
	}
	st := s.style.style
	st.Now = s.txnStart
	if st.Now.IsZero() {
		st.Now = s.e.now()
	}
	return st
}

// styleSettings are the settings TypeStyle reads, in the order of its
// fields.
type styleSettings [6]string

// styleCache is the Style (but for Now) of the settings in from: every
// statement reads it, and the settings rarely change, so it is worked
// out (a time zone looked up, numbers parsed) only when one of them did.
type styleCache struct {
	valid bool
	from  styleSettings
	style types.Style
}

func (from styleSettings) style() types.Style {
	intervalStyle, byteaOutput, dateStyle, timeZone, extraFloatDigits, maxStackDepth :=
		from[0], from[1], from[2], from[3], from[4], from[5]
	st := types.Style{IntervalStyle: intervalStyle, ByteaEscape: byteaOutput == "escape"}
	if _, order, ok := strings.Cut(dateStyle, ", "); ok {
		st.DateOrder = order
	}
	if z, ok := types.LoadZone(timeZone); ok {
		st.Zone = z
	}
	if n, err := strconv.Atoi(extraFloatDigits); err == nil && n <= 0 {
		st.RoundFloats, st.ExtraFloatDigits = true, n
	}
	st.MaxStackDepthKB = stackDepthKB(maxStackDepth)
	return st
}

// style is the binding session's Style; the defaults without a session.
func (b *binder) style() types.Style {
	if b.s == nil {
		return types.Style{}
	}
	return b.s.TypeStyle()
}

// castStyled is cast for the conversions that follow the session's
// IntervalStyle or TimeZone: a constant converts now, anything else in
// the style current when it runs.
func (b *binder) castStyled(e expr, from, t types.T, explicit bool, pos int32) (expr, error) {
	if c, ok := e.(*constExpr); ok {
		v, err := types.CastStyle(c.v, from, t, explicit, b.style())
		if err != nil {
			if pe := pgerr.Find(err); pe != nil && pe.Position == 0 {
				pe.Position = pos
			}
			return nil, err
		}
		return &constExpr{t: t, v: v}, nil
	}
	s := b.s
	return &funcExpr{t: t, args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		st := types.Style{}
		if s != nil {
			st = s.TypeStyle()
		}
		return types.CastStyle(a[0], from, t, explicit, st)
	}}, nil
}

// isDatetime reports whether id is one of the date, time, timestamp and
// interval types, whose operators datetimeArith binds.
func isDatetime(id types.ID) bool {
	switch id {
	case types.Date, types.Time, types.TimeTZ, types.Timestamp, types.TimestampTZ, types.Interval:
		return true
	}
	return false
}

// zoneOf is the session's TimeZone when the expression runs.
func (b *binder) zoneOf() func() *time.Location {
	s := b.s
	return func() *time.Location {
		if s == nil {
			return time.UTC
		}
		return s.TypeStyle().Location()
	}
}

// bindDatetimeArith binds +, -, * and / when an operand is a date, time,
// timestamp or interval, as PostgreSQL's operators on them are defined
// (an untyped operand takes the type the operator pairs with the other).
// ok is false when no operand is such a type, or no operator fits and
// the caller's error applies.
func (b *binder) bindDatetimeArith(op string, l, r expr, pos int32) (expr, bool, error) {
	lt, rt := l.Type().ID, r.Type().ID
	if !isDatetime(lt) && !isDatetime(rt) {
		return nil, false, nil
	}
	// An untyped operand: the other's type where the operator takes two
	// of it, else the one type the operator pairs with the other.
	partner := func(known types.ID) types.ID {
		switch {
		case op == "*" || op == "/":
			return types.Float8
		case op == "-" || known == types.Interval:
			return known
		case known == types.Date:
			return types.Int4
		}
		return types.Interval
	}
	var err error
	if lt == types.Unknown && isDatetime(rt) {
		if l, err = b.cast(l, types.New(partner(rt)), false, pos); err != nil {
			return nil, true, err
		}
		lt = l.Type().ID
	}
	if rt == types.Unknown && isDatetime(lt) {
		if r, err = b.cast(r, types.New(partner(lt)), false, pos); err != nil {
			return nil, true, err
		}
		rt = r.Type().ID
	}
	stamp := func(id types.ID) bool { return id == types.Date || id == types.Timestamp || id == types.TimestampTZ }
	zone := b.zoneOf()
	fn := func(t types.ID, f func(a []types.Datum) (types.Datum, error)) (expr, bool, error) {
		return &funcExpr{t: types.New(t), args: []expr{l, r}, strict: true, fn: f}, true, nil
	}
	swap := func() { l, r, lt, rt = r, l, rt, lt }
	switch op {
	case "+":
		if lt == types.Interval && rt != types.Interval {
			swap()
		}
		if rt == types.Date && (lt == types.Time || lt == types.TimeTZ || types.New(lt).IsInteger()) {
			swap()
		}
		switch {
		case lt == types.Date && types.New(rt).IsInteger():
			if r, err = b.cast(r, types.New(types.Int4), false, pos); err != nil {
				return nil, true, err
			}
			return fn(types.Date, func(a []types.Datum) (types.Datum, error) { return addDays(a[0], a[1].(int64)), nil })
		case (lt == types.Date || lt == types.Timestamp) && rt == types.Interval:
			return fn(types.Timestamp, func(a []types.Datum) (types.Datum, error) {
				return addInterval(builtins.AddInterval(a[0].(time.Time), a[1].(types.IntervalValue), time.UTC))
			})
		case lt == types.TimestampTZ && rt == types.Interval:
			return fn(types.TimestampTZ, func(a []types.Datum) (types.Datum, error) {
				return addInterval(builtins.AddInterval(a[0].(time.Time), a[1].(types.IntervalValue), zone()))
			})
		case lt == types.Interval && rt == types.Interval:
			return fn(types.Interval, func(a []types.Datum) (types.Datum, error) {
				return intervalResult(builtins.AddIntervals(a[0].(types.IntervalValue), a[1].(types.IntervalValue), 1))
			})
		case (lt == types.Time || lt == types.TimeTZ) && rt == types.Interval:
			return fn(lt, func(a []types.Datum) (types.Datum, error) {
				return addTimeOfDay(a[0], a[1].(types.IntervalValue).Micros), nil
			})
		case lt == types.Date && (rt == types.Time || rt == types.TimeTZ):
			res := types.Timestamp
			if rt == types.TimeTZ {
				res = types.TimestampTZ
			}
			return fn(res, func(a []types.Datum) (types.Datum, error) {
				d := a[0].(time.Time)
				switch v := a[1].(type) {
				case types.TimeOfDay:
					return builtins.CheckTimestamp(d.Add(time.Duration(v) * time.Microsecond))
				case types.TimeTZValue:
					return builtins.CheckTimestamp(d.Add(time.Duration(v.Micros+int64(v.Zone)*1000000) * time.Microsecond))
				}
				return nil, nil
			})
		}
	case "-":
		switch {
		case lt == types.Date && types.New(rt).IsInteger():
			if r, err = b.cast(r, types.New(types.Int4), false, pos); err != nil {
				return nil, true, err
			}
			return fn(types.Date, func(a []types.Datum) (types.Datum, error) { return addDays(a[0], -a[1].(int64)), nil })
		case lt == types.Date && rt == types.Date:
			return fn(types.Int4, func(a []types.Datum) (types.Datum, error) { return daysBetween(a[0], a[1]) })
		case stamp(lt) && stamp(rt):
			var t types.T
			if l, r, t, err = b.unify(l, r, op, pos); err != nil {
				return nil, true, err
			}
			_ = t
			return fn(types.Interval, func(a []types.Datum) (types.Datum, error) {
				return intervalResult(builtins.SubTimestamps(a[0].(time.Time), a[1].(time.Time)))
			})
		case (lt == types.Date || lt == types.Timestamp || lt == types.TimestampTZ) && rt == types.Interval:
			res, loc := types.Timestamp, func() *time.Location { return time.UTC }
			if lt == types.TimestampTZ {
				res, loc = types.TimestampTZ, zone
			}
			return fn(res, func(a []types.Datum) (types.Datum, error) {
				neg, err := builtins.NegateInterval(a[1].(types.IntervalValue))
				if err != nil {
					return nil, err
				}
				return addInterval(builtins.AddInterval(a[0].(time.Time), neg, loc()))
			})
		case lt == types.Time && rt == types.Time:
			return fn(types.Interval, func(a []types.Datum) (types.Datum, error) {
				return types.IntervalValue{Micros: int64(a[0].(types.TimeOfDay) - a[1].(types.TimeOfDay))}, nil
			})
		case (lt == types.Time || lt == types.TimeTZ) && rt == types.Interval:
			return fn(lt, func(a []types.Datum) (types.Datum, error) {
				return addTimeOfDay(a[0], -a[1].(types.IntervalValue).Micros), nil
			})
		case lt == types.Interval && rt == types.Interval:
			return fn(types.Interval, func(a []types.Datum) (types.Datum, error) {
				return intervalResult(builtins.AddIntervals(a[0].(types.IntervalValue), a[1].(types.IntervalValue), -1))
			})
		}
	case "*", "/":
		if op == "*" && rt == types.Interval && types.New(lt).IsNumeric() {
			swap()
		}
		if lt == types.Interval && types.New(rt).IsNumeric() {
			if r, err = b.cast(r, types.New(types.Float8), false, pos); err != nil {
				return nil, true, err
			}
			div := op == "/"
			return fn(types.Interval, func(a []types.Datum) (types.Datum, error) {
				return intervalResult(builtins.MulInterval(a[0].(types.IntervalValue), a[1].(float64), div))
			})
		}
	}
	return nil, false, nil
}

func addInterval(t time.Time, err error) (types.Datum, error) {
	if err != nil {
		return nil, err
	}
	return t, nil
}

func intervalResult(v types.IntervalValue, err error) (types.Datum, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// addTimeOfDay is time_pl_interval: the time part added, modulo a day.
func addTimeOfDay(d types.Datum, us int64) types.Datum {
	const day = 24 * 3600 * 1000000
	wrap := func(t int64) int64 {
		t %= day
		if t < 0 {
			t += day
		}
		return t
	}
	switch v := d.(type) {
	case types.TimeOfDay:
		return types.TimeOfDay(wrap(int64(v) + us%day))
	case types.TimeTZValue:
		return types.TimeTZValue{Micros: wrap(v.Micros + us%day), Zone: v.Zone}
	}
	return d
}

// bindIntervalNegation is unary minus on an interval (interval_um).
func (b *binder) bindIntervalNegation(e expr) expr {
	return &funcExpr{t: types.New(types.Interval), args: []expr{e}, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		return intervalResult(builtins.NegateInterval(a[0].(types.IntervalValue)))
	}}
}

// bindDatetimeFunc binds the date and time functions that depend on the
// session (its TimeZone, or the transaction's start): extract, date_part,
// date_trunc and age of timestamptz values, AT TIME ZONE (timezone),
// make_timestamptz, current_time, localtime and OVERLAPS. ok is false for
// other calls, which the registry binds.
func (b *binder) bindDatetimeFunc(name string, args []expr, pos int32) (expr, bool, error) {
	zone := b.zoneOf()
	has := func(id types.ID) bool {
		for _, a := range args {
			if a.Type().ID == id {
				return true
			}
		}
		return false
	}
	textArg := func(i int) error {
		var err error
		args[i], err = b.coerce(args[i], types.New(types.Text), "argument of "+name, pos)
		return err
	}
	switch name {
	case "extract", "date_part":
		if len(args) != 2 || args[1].Type().ID != types.TimestampTZ {
			return nil, false, nil
		}
		if err := textArg(0); err != nil {
			return nil, true, err
		}
		numeric := name == "extract"
		res := types.Numeric
		if !numeric {
			res = types.Float8
		}
		return &funcExpr{t: types.New(res), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			w := a[1].(time.Time).In(zone())
			_, off := w.Zone()
			return builtins.ExtractTimestamp(a[0].(string), w, types.TimestampTZ, off, numeric)
		}}, true, nil
	case "date_trunc":
		// A date converts to timestamptz, the preferred type.
		if len(args) < 2 || len(args) > 3 || args[1].Type().ID != types.TimestampTZ && args[1].Type().ID != types.Date && !(len(args) == 3 && args[1].Type().ID == types.Unknown) {
			return nil, false, nil
		}
		for i := range args {
			if i == 1 {
				continue
			}
			if err := textArg(i); err != nil {
				return nil, true, err
			}
		}
		var err error
		if args[1], err = b.cast(args[1], types.New(types.TimestampTZ), false, pos); err != nil {
			return nil, true, err
		}
		return &funcExpr{t: types.New(types.TimestampTZ), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			loc := zone()
			if len(a) == 3 {
				z, err := zoneNamed(a[2].(string))
				if err != nil {
					return nil, err
				}
				loc = z
			}
			r, err := builtins.TruncTimestamp(a[0].(string), a[1].(time.Time).In(loc), types.TimestampTZ)
			if err != nil {
				return nil, err
			}
			return r.UTC(), nil
		}}, true, nil
	case "age":
		s := b.s
		today := func(loc *time.Location) time.Time {
			now := s.txnStart
			if now.IsZero() {
				now = s.e.now()
			}
			w := now.In(loc)
			return time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, loc)
		}
		switch {
		case len(args) == 1 && (args[0].Type().ID == types.Timestamp || args[0].Type().ID == types.TimestampTZ || args[0].Type().ID == types.Date):
			tz := args[0].Type().ID == types.TimestampTZ
			if !tz && args[0].Type().ID == types.Date {
				var err error
				if args[0], err = b.cast(args[0], types.New(types.Timestamp), false, pos); err != nil {
					return nil, true, err
				}
			}
			return &funcExpr{t: types.New(types.Interval), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
				loc := time.UTC
				if tz {
					loc = zone()
				}
				return intervalResult(builtins.Age(today(loc), a[0].(time.Time).In(loc)))
			}}, true, nil
		case len(args) == 2 && has(types.TimestampTZ):
			for i := range args {
				var err error
				if args[i], err = b.cast(args[i], types.New(types.TimestampTZ), false, pos); err != nil {
					return nil, true, err
				}
			}
			return &funcExpr{t: types.New(types.Interval), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
				loc := zone()
				return intervalResult(builtins.Age(a[0].(time.Time).In(loc), a[1].(time.Time).In(loc)))
			}}, true, nil
		}
		return nil, false, nil
	case "timezone":
		return b.bindAtTimeZone(args, pos)
	case "make_timestamptz":
		if len(args) != 6 && len(args) != 7 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		for i := range args {
			t := types.Int4
			switch i {
			case 5:
				t = types.Float8
			case 6:
				t = types.Text
			}
			var err error
			if args[i], err = b.coerce(args[i], types.New(t), "argument of make_timestamptz", pos); err != nil {
				return nil, true, err
			}
		}
		return &funcExpr{t: types.New(types.TimestampTZ), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			z := zoneArg{loc: zone()}
			if len(a) == 7 {
				var err error
				if z, err = saneZoneArg(a[6].(string)); err != nil {
					return nil, err
				}
			}
			// The wall time, then its instant in the zone.
			w, err := builtins.MakeTimestamp(a[0].(int64), a[1].(int64), a[2].(int64), a[3].(int64), a[4].(int64), a[5].(float64), time.UTC)
			if err != nil {
				return nil, err
			}
			return builtins.CheckTimestamp(z.instant(w))
		}}, true, nil
	case "current_time", "localtime":
		if len(args) != 0 {
			return nil, false, nil
		}
		s := b.s
		t := types.New(types.Time)
		if name == "current_time" {
			t = types.New(types.TimeTZ)
		}
		return &funcExpr{t: t, fn: func([]types.Datum) (types.Datum, error) {
			now := s.txnStart
			if now.IsZero() {
				now = s.e.now()
			}
			w := now.In(zone())
			us := int64(w.Hour())*3600e6 + int64(w.Minute())*60e6 + int64(w.Second())*1e6 + int64(w.Nanosecond()/1000)
			if t.ID == types.Time {
				return types.TimeOfDay(us), nil
			}
			_, off := w.Zone()
			return types.TimeTZValue{Micros: us, Zone: int32(-off)}, nil
		}}, true, nil
	case "to_char":
		if len(args) != 2 || args[0].Type().ID != types.TimestampTZ {
			return nil, false, nil
		}
		if err := textArg(1); err != nil {
			return nil, true, err
		}
		return &funcExpr{t: types.New(types.Text), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
			t := a[0].(time.Time)
			if types.Infinite(t) != 0 {
				return nil, nil
			}
			w := t.In(zone())
			abbr, off := w.Zone()
			return builtins.ToChar(w, a[1].(string), abbr, off), nil
		}}, true, nil
	case "overlaps":
		if len(args) != 4 {
			return nil, false, nil
		}
		return b.bindOverlaps(args, pos)
	}
	return nil, false, nil
}

// zoneNamed resolves a zone named in a function argument.
func zoneNamed(name string) (*time.Location, error) {
	if z, ok := types.ZoneAbbrev(name); ok {
		return z, nil
	}
	if z, ok := types.DynamicAbbrev(name); ok {
		// A time-varying abbreviation stands for its zone here.
		return z, nil
	}
	z, ok := types.LoadZone(name)
	if !ok {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "time zone \"%s\" not recognized", name)
	}
	return z, nil
}

// bindAtTimeZone binds x AT TIME ZONE zone (timezone(zone, x)): a
// timestamptz becomes the local timestamp in the zone, a timestamp is
// taken as local time there and becomes a timestamptz, and a timetz
// moves to the zone's offset. The zone is a name or an interval offset.
func (b *binder) bindAtTimeZone(args []expr, pos int32) (expr, bool, error) {
	if len(args) != 2 {
		return nil, false, nil
	}
	var err error
	zt := args[0].Type().ID
	if zt != types.Interval {
		if args[0], err = b.coerce(args[0], types.New(types.Text), "argument of AT TIME ZONE", pos); err != nil {
			return nil, true, err
		}
	}
	vt := args[1].Type().ID
	switch vt {
	case types.Unknown, types.Date:
		if args[1], err = b.cast(args[1], types.New(types.TimestampTZ), false, pos); err != nil {
			return nil, true, err
		}
		vt = types.TimestampTZ
	case types.Time:
		if args[1], err = b.cast(args[1], types.New(types.TimeTZ), false, pos); err != nil {
			return nil, true, err
		}
		vt = types.TimeTZ
	case types.Timestamp, types.TimestampTZ, types.TimeTZ:
	default:
		return nil, true, undefinedFunction("timezone", args, pos)
	}
	res := map[types.ID]types.ID{types.Timestamp: types.TimestampTZ, types.TimestampTZ: types.Timestamp, types.TimeTZ: types.TimeTZ}[vt]
	return &funcExpr{t: types.New(res), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		var za zoneArg
		switch z := a[0].(type) {
		case string:
			var err error
			if za, err = zoneArgNamed(z); err != nil {
				return nil, err
			}
		case types.IntervalValue:
			if z.Months != 0 || z.Days != 0 {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "interval time zone \"%s\" must not include months or days", types.FormatInterval(z, ""))
			}
			za.loc = time.FixedZone("", int(z.Micros/1000000))
		}
		loc := za.loc
		switch v := a[1].(type) {
		case time.Time:
			if vt == types.TimestampTZ {
				w := v.In(za.at(v))
				return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC), nil
			}
			return builtins.CheckTimestamp(za.instant(v))
		case types.TimeTZValue:
			_, off := time.Date(2000, 1, 1, 0, 0, 0, 0, loc).Zone()
			us := v.Micros + int64(v.Zone)*1000000 + int64(off)*1000000
			return types.TimeTZValue{Micros: int64(addTimeOfDay(types.TimeOfDay(0), us).(types.TimeOfDay)), Zone: int32(-off)}, nil
		}
		return nil, nil
	}}, true, nil
}

// bindOverlaps binds (s1, e1) OVERLAPS (s2, e2), where an end may be an
// interval from its start, as overlaps_timestamp decides it (NULL when
// the answer depends on a missing end).
func (b *binder) bindOverlaps(args []expr, pos int32) (expr, bool, error) {
	var points []expr
	ends := [2]bool{}
	for i, a := range args {
		if i%2 == 1 && a.Type().ID == types.Interval {
			ends[i/2] = true
			continue
		}
		points = append(points, a)
	}
	t, conv, err := b.commonType(points, "OVERLAPS", pos)
	if err != nil {
		return nil, true, err
	}
	j := 0
	for i := range args {
		if i%2 == 1 && ends[i/2] {
			continue
		}
		args[i] = conv[j]
		j++
	}
	zone := b.zoneOf()
	end := func(start, e types.Datum, isInterval bool) (types.Datum, error) {
		if !isInterval || start == nil || e == nil {
			return e, nil
		}
		iv := e.(types.IntervalValue)
		switch s := start.(type) {
		case time.Time:
			loc := time.UTC
			if t.ID == types.TimestampTZ {
				loc = zone()
			}
			return builtins.AddInterval(s, iv, loc)
		case types.TimeOfDay, types.TimeTZValue:
			return addTimeOfDay(s, iv.Micros), nil
		}
		return nil, pgerr.New(pgerr.UndefinedFunction, "function overlaps(%s, interval) does not exist", t.Name())
	}
	return &funcExpr{t: types.New(types.Bool), args: args, fn: func(a []types.Datum) (types.Datum, error) {
		ts1, ts2 := a[0], a[2]
		te1, err := end(a[0], a[1], ends[0])
		if err != nil {
			return nil, err
		}
		te2, err := end(a[2], a[3], ends[1])
		if err != nil {
			return nil, err
		}
		cmp := func(x, y types.Datum) int { return types.Compare(x, y) }
		if ts1 == nil {
			if te1 == nil {
				return nil, nil
			}
			ts1 = te1
		} else if te1 != nil && cmp(ts1, te1) > 0 {
			ts1, te1 = te1, ts1
		}
		if ts2 == nil {
			if te2 == nil {
				return nil, nil
			}
			ts2 = te2
		} else if te2 != nil && cmp(ts2, te2) > 0 {
			ts2, te2 = te2, ts2
		}
		switch c := cmp(ts1, ts2); {
		case c > 0:
			if te2 == nil {
				return nil, nil
			}
			if cmp(ts1, te2) < 0 {
				return true, nil
			}
			if te1 == nil {
				return nil, nil
			}
			return false, nil
		case c < 0:
			if te1 == nil {
				return nil, nil
			}
			if cmp(ts2, te1) < 0 {
				return true, nil
			}
			if te2 == nil {
				return nil, nil
			}
			return false, nil
		}
		if te1 == nil || te2 == nil {
			return nil, nil
		}
		return true, nil
	}}, true, nil
}

// namedParams are the parameters of the built-in functions that take
// arguments by name (name => value), each defaulting to zero.
var namedParams = map[string][]string{
	"make_interval": {"years", "months", "weeks", "days", "hours", "mins", "secs"},
	"jsonb_set_lax": {"jsonb_in", "path", "replacement", "create_if_missing", "null_value_treatment"},
}

// namedRequired is the number of leading parameters without a default.
var namedRequired = map[string]int{"jsonb_set_lax": 3}

// namedArgs puts a call's named arguments in their parameters' places and
// fills the parameters left out with their defaults.
func namedArgs(name string, args []expr, names []string, pos int32) ([]expr, error) {
	params, ok := namedParams[name]
	if !ok || len(args) > len(params) {
		return nil, undefinedFunction(name, args, pos)
	}
	out := make([]expr, len(params))
	for i, a := range args {
		j := i
		if names[i] != "" {
			if j = slices.Index(params, names[i]); j < 0 {
				return nil, undefinedFunction(name, args, pos)
			}
		}
		if out[j] != nil {
			return nil, pgerr.New(pgerr.SyntaxError, "argument name \"%s\" used more than once", params[j]).WithPosition(pos)
		}
		out[j] = a
	}
	for j := range out {
		if out[j] == nil {
			if j < namedRequired[name] {
				return nil, undefinedFunction(name, args, pos)
			}
			if name == "jsonb_set_lax" {
				if j == 3 {
					out[j] = &constExpr{t: types.New(types.Bool), v: true}
				} else {
					out[j] = &constExpr{t: types.New(types.Text), v: "use_json_null"}
				}
				continue
			}
			if j == len(params)-1 && name == "make_interval" {
				out[j] = &constExpr{t: types.New(types.Float8), v: 0.0}
			} else {
				out[j] = &constExpr{t: types.New(types.Int4), v: int64(0)}
			}
		}
	}
	return out, nil
}

// bindTimestampSeries binds generate_series(start, stop, step) over
// timestamp or timestamptz with an interval step (a timestamptz's months
// and days step in the session's zone). ok is false for other arguments.
func (b *binder) bindTimestampSeries(n *funcScanNode, x *ast.FuncCall) (types.T, bool, error) {
	if len(n.args) != 3 {
		return types.T{}, false, nil
	}
	t := types.New(types.Timestamp)
	stamps := 0
	for _, a := range n.args[:2] {
		switch a.Type().ID {
		case types.TimestampTZ:
			t = types.New(types.TimestampTZ)
			stamps++
		case types.Timestamp, types.Date:
			stamps++
		}
	}
	if stamps == 0 && n.args[2].Type().ID != types.Interval {
		return types.T{}, false, nil
	}
	if stamps == 0 {
		t = types.New(types.TimestampTZ)
	}
	for i := range n.args {
		want := t
		if i == 2 {
			want = types.New(types.Interval)
		}
		c, err := b.cast(n.args[i], want, false, x.Pos)
		if err != nil {
			return types.T{}, true, err
		}
		n.args[i] = c
	}
	zone := b.zoneOf()
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		start, stop, step := a[0].(time.Time), a[1].(time.Time), a[2].(types.IntervalValue)
		sign := types.CompareIntervals(step, types.IntervalValue{})
		if sign == 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
		}
		loc := time.UTC
		if t.ID == types.TimestampTZ {
			loc = zone()
		}
		var out []types.Datum
		for v := start; sign > 0 && !v.After(stop) || sign < 0 && !v.Before(stop); {
			if len(out) == functionRowsMax {
				return nil, tooManyFunctionRows(x.Name)
			}
			if err := ex.tick(); err != nil {
				return nil, err
			}
			if err := ex.grow(interfaceBytes + datumBytes(v)); err != nil {
				return nil, err
			}
			out = append(out, v)
			next, err := builtins.AddInterval(v, step, loc)
			if err != nil || next.Equal(v) {
				break
			}
			v = next
		}
		return out, nil
	}
	return t, true, nil
}
