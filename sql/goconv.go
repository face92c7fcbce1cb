package sql

import (
	"fmt"
	"math"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// ConvertArg converts a Go value passed by an embedded caller (through
// database/sql: nil, int64, float64, bool, string, []byte, time.Time, or
// fmt.Stringer) into a Datum of type t, as a bound parameter.
func ConvertArg(t Type, v any) (Datum, error) {
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
	case fmt.Stringer:
		if _, ok := v.(time.Time); !ok {
			v = x.String()
		}
	}
	var from Type
	switch v.(type) {
	case int64:
		from = typ(TypeInt8)
	case float64:
		from = typ(TypeFloat8)
	case bool:
		from = typ(TypeBool)
	case string:
		from = typ(TypeUnknown)
	case *apd.Decimal:
		from = typ(TypeNumeric)
	case time.Time:
		from = typ(TypeTimestampTZ)
		v = v.(time.Time).UTC().Round(time.Microsecond)
	default:
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot use a Go value of type %T as a parameter", v)
	}
	if t.ID == TypeUnknown || t.ID == TypeText && from.ID != TypeUnknown {
		// An untyped parameter keeps the caller's value.
		if t.ID == TypeUnknown {
			return v, nil
		}
	}
	return castDatum(v, from, t, false)
}
