package types

import (
	"fmt"
	"math"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// ConvertArg converts a Go value passed by an embedded caller (through
// database/sql: nil, int64, float64, bool, string, []byte, time.Time, or
// fmt.Stringer; a time.Duration is an interval) into a Datum of type t, as a bound parameter.
func ConvertArg(t T, v any) (Datum, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int:
		v = int64(x)
	case int32:
		v = int64(x)
	case int16:
		v = int64(x)
	case int8:
		v = int64(x)
	case uint32:
		v = int64(x)
	case uint16:
		v = int64(x)
	case uint8:
		v = int64(x)
	case uint:
		if uint64(x) > math.MaxInt64 {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value %d is out of range", x)
		}
		v = int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value %d is out of range", x)
		}
		v = int64(x)
	case float32:
		v = float64(x)
	case []byte:
		v = string(x)
	case apd.Decimal:
		v = &x
	case time.Duration:
		v = IntervalValue{Micros: x.Microseconds()}
	case fmt.Stringer:
		if _, ok := v.(time.Time); !ok {
			v = x.String()
		}
	}
	var from T
	switch v.(type) {
	case int64:
		from = New(Int8)
	case float64:
		from = New(Float8)
	case bool:
		from = New(Bool)
	case string:
		from = New(Unknown)
	case *apd.Decimal:
		from = New(Numeric)
	case IntervalValue:
		from = New(Interval)
	case time.Time:
		from = New(TimestampTZ)
		v = v.(time.Time).UTC().Round(time.Microsecond)
	default:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot use a Go value of type %T as a parameter", v)
	}
	if t.ID == Unknown || t.ID == Text && from.ID != Unknown {
		// An untyped parameter keeps the caller's value.
		if t.ID == Unknown {
			return v, nil
		}
	}
	return Cast(v, from, t, false)
}
