package sequence

import (
	"math"
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// LogAhead is how many values nextval logs beyond the ones it hands out
// (PostgreSQL's SEQ_LOG_VALS), so that most calls write nothing.
const LogAhead = 32

// Options are a sequence's parameters, as pg_sequence holds them.
type Options struct {
	// Type is int2, int4 or int8: the type of the values and the bounds
	// of MINVALUE and MAXVALUE.
	Type      types.ID `json:"type"`
	Increment int64    `json:"increment"`
	Min       int64    `json:"min"`
	Max       int64    `json:"max"`
	Start     int64    `json:"start"`
	Cache     int64    `json:"cache"`
	Cycle     bool     `json:"cycle,omitempty"`
}

// State is a sequence's current value, as SELECT * FROM seq shows it:
// the last value fetched, how many values past it are already logged,
// and whether Last has been handed out (false right after CREATE,
// RESTART and setval(..., false): the next nextval returns Last itself).
type State struct {
	Last   int64
	LogCnt int64
	Called bool
}

// Bound is MINVALUE n or MAXVALUE n (None false), or NO MINVALUE / NO
// MAXVALUE (None true).
type Bound struct {
	None  bool
	Value int64
}

// Spec is the options of a CREATE or ALTER SEQUENCE (or of an identity
// column) as written; nil means not given.
type Spec struct {
	// As is the type name of AS, canonical (int2, int4, int8, text ...);
	// "" when not given.
	As        string
	Increment *int64
	Min, Max  *Bound
	Start     *int64
	// Restart is RESTART (Restart set, RestartWith nil) or RESTART WITH n.
	Restart     bool
	RestartWith *int64
	Cache       *int64
	Cycle       *bool
}

// TypeName is how PostgreSQL's format_type names the sequence type t.
func TypeName(t types.ID) string {
	switch t {
	case types.Int2:
		return "smallint"
	case types.Int4:
		return "integer"
	}
	return "bigint"
}

func typeMin(t types.ID) int64 {
	switch t {
	case types.Int2:
		return math.MinInt16
	case types.Int4:
		return math.MinInt32
	}
	return math.MinInt64
}

func typeMax(t types.ID) int64 {
	switch t {
	case types.Int2:
		return math.MaxInt16
	case types.Int4:
		return math.MaxInt32
	}
	return math.MaxInt64
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

func invalid(format string, args ...any) error {
	return pgerr.New(pgerr.InvalidParameterValue, format, args...)
}

// Apply computes a sequence's options and state from spec as PostgreSQL
// 15's init_params does: for CREATE (init set; old and state are
// ignored) or for ALTER, from the current options and state. The state
// changes only for init and RESTART (restarted reports that); any other
// option that changes what nextval fetches sets its LogCnt to 0, so that
// the next nextval logs again. identity words the type error for an
// identity column.
func Apply(spec Spec, old Options, state State, init, identity bool) (o Options, st State, restarted bool, err error) {
	o, st = old, state
	if init {
		st.LogCnt = 0
	}
	resetMax, resetMin := false, false
	if spec.As != "" {
		var t types.ID
		switch spec.As {
		case "int2":
			t = types.Int2
		case "int4":
			t = types.Int4
		case "int8":
			t = types.Int8
		default:
			if identity {
				return o, st, false, invalid("identity column type must be smallint, integer, or bigint")
			}
			return o, st, false, invalid("sequence type must be smallint, integer, or bigint")
		}
		if !init {
			// Bounds that were the old type's limits follow the type.
			resetMax = o.Max == typeMax(o.Type)
			resetMin = o.Min == typeMin(o.Type)
		}
		o.Type = t
		st.LogCnt = 0
	} else if init {
		o.Type = types.Int8
	}
	if spec.Increment != nil {
		o.Increment = *spec.Increment
		if o.Increment == 0 {
			return o, st, false, invalid("INCREMENT must not be zero")
		}
		st.LogCnt = 0
	} else if init {
		o.Increment = 1
	}
	if spec.Cycle != nil {
		o.Cycle = *spec.Cycle
		st.LogCnt = 0
	} else if init {
		o.Cycle = false
	}
	switch {
	case spec.Max != nil && !spec.Max.None:
		o.Max = spec.Max.Value
		st.LogCnt = 0
	case init || spec.Max != nil || resetMax:
		if o.Increment > 0 || resetMax {
			o.Max = typeMax(o.Type)
		} else {
			o.Max = -1
		}
		st.LogCnt = 0
	}
	if o.Max < typeMin(o.Type) || o.Max > typeMax(o.Type) {
		return o, st, false, invalid("MAXVALUE (%s) is out of range for sequence data type %s", fmtInt(o.Max), TypeName(o.Type))
	}
	switch {
	case spec.Min != nil && !spec.Min.None:
		o.Min = spec.Min.Value
		st.LogCnt = 0
	case init || spec.Min != nil || resetMin:
		if o.Increment < 0 || resetMin {
			o.Min = typeMin(o.Type)
		} else {
			o.Min = 1
		}
		st.LogCnt = 0
	}
	if o.Min < typeMin(o.Type) || o.Min > typeMax(o.Type) {
		return o, st, false, invalid("MINVALUE (%s) is out of range for sequence data type %s", fmtInt(o.Min), TypeName(o.Type))
	}
	if o.Min >= o.Max {
		return o, st, false, invalid("MINVALUE (%s) must be less than MAXVALUE (%s)", fmtInt(o.Min), fmtInt(o.Max))
	}
	if spec.Start != nil {
		o.Start = *spec.Start
	} else if init {
		if o.Increment > 0 {
			o.Start = o.Min
		} else {
			o.Start = o.Max
		}
	}
	if o.Start < o.Min {
		return o, st, false, invalid("START value (%s) cannot be less than MINVALUE (%s)", fmtInt(o.Start), fmtInt(o.Min))
	}
	if o.Start > o.Max {
		return o, st, false, invalid("START value (%s) cannot be greater than MAXVALUE (%s)", fmtInt(o.Start), fmtInt(o.Max))
	}
	switch {
	case spec.Restart:
		st.Last = o.Start
		if spec.RestartWith != nil {
			st.Last = *spec.RestartWith
		}
		st.Called, st.LogCnt = false, 0
		restarted = true
	case init:
		st.Last, st.Called = o.Start, false
	}
	if st.Last < o.Min {
		return o, st, false, invalid("RESTART value (%s) cannot be less than MINVALUE (%s)", fmtInt(st.Last), fmtInt(o.Min))
	}
	if st.Last > o.Max {
		return o, st, false, invalid("RESTART value (%s) cannot be greater than MAXVALUE (%s)", fmtInt(st.Last), fmtInt(o.Max))
	}
	if spec.Cache != nil {
		o.Cache = *spec.Cache
		if o.Cache <= 0 {
			return o, st, false, invalid("CACHE (%s) must be greater than zero", fmtInt(o.Cache))
		}
		st.LogCnt = 0
	} else if init {
		o.Cache = 1
	}
	return o, st, restarted, nil
}

// Fetched is what one nextval takes from a sequence's shared state.
type Fetched struct {
	// Result is the value nextval returns.
	Result int64
	// Cached is the last value fetched: the values after Result up to
	// Cached (CACHE > 1) are the session's to hand out without coming
	// back.
	Cached int64
	// State is the sequence's state afterwards.
	State State
	// Log is set when a log record must be written before Result is
	// handed out; Logged is the value it records, the last value that
	// may be handed out before the next record (State.LogCnt values past
	// State.Last).
	Log    bool
	Logged int64
}

// Next fetches the next value of a sequence whose options are o and state
// s, with the values a session caches and the values logged ahead, as
// PostgreSQL 15's nextval_internal does. Reaching a bound without CYCLE is
// 2200H, worded with the sequence's name.
func Next(o Options, s State, name string) (Fetched, error) {
	incby, maxv, minv, cache := o.Increment, o.Max, o.Min, o.Cache
	next, last, result := s.Last, s.Last, s.Last
	fetch, log := cache, s.LogCnt
	var rescnt int64
	if !s.Called {
		rescnt++ // Last itself is returned
		fetch--
	}
	logit := false
	if log < fetch || !s.Called {
		fetch += LogAhead
		log = fetch
		logit = true
	}
	for fetch > 0 {
		if incby > 0 {
			if (maxv >= 0 && next > maxv-incby) || (maxv < 0 && next+incby > maxv) {
				if rescnt > 0 {
					break // stop fetching; what was fetched will do
				}
				if !o.Cycle {
					return Fetched{}, pgerr.New(pgerr.SequenceGeneratorLimitExceeded,
						"nextval: reached maximum value of sequence \"%s\" (%d)", name, maxv)
				}
				next = minv
			} else {
				next += incby
			}
		} else {
			if (minv < 0 && next < minv-incby) || (minv >= 0 && next+incby < minv) {
				if rescnt > 0 {
					break
				}
				if !o.Cycle {
					return Fetched{}, pgerr.New(pgerr.SequenceGeneratorLimitExceeded,
						"nextval: reached minimum value of sequence \"%s\" (%d)", name, minv)
				}
				next = maxv
			} else {
				next += incby
			}
		}
		fetch--
		if rescnt < cache {
			log--
			rescnt++
			last = next
			if rescnt == 1 {
				result = next
			}
		}
	}
	log -= fetch // the values not fetched were not logged either
	return Fetched{Result: result, Cached: last, State: State{Last: last, LogCnt: log, Called: true},
		Log: logit, Logged: next}, nil
}

// SetVal checks setval's value against the sequence's bounds (22003) and
// returns the state it sets: Last = next, Called = called, nothing logged
// ahead.
func SetVal(o Options, name string, next int64, called bool) (State, error) {
	if next < o.Min || next > o.Max {
		return State{}, pgerr.New(pgerr.NumericValueOutOfRange, "setval: value %d is out of bounds for sequence \"%s\" (%d..%d)",
			next, name, o.Min, o.Max)
	}
	return State{Last: next, Called: called}, nil
}
