package types

import (
	"bytes"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Compare orders two non-NULL datums of the same family: -1, 0 or 1.
func Compare(a, b Datum) int {
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmpOrdered(x, y)
		case float64:
			return cmpFloat(float64(x), y)
		case *apd.Decimal:
			return apd.New(x, 0).Cmp(y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmpFloat(x, y)
		case int64:
			return cmpFloat(x, float64(y))
		case *apd.Decimal:
			f, _ := y.Float64()
			return cmpFloat(x, f)
		}
	case *apd.Decimal:
		switch y := b.(type) {
		case *apd.Decimal:
			return cmpDecimal(x, y)
		case int64:
			return cmpDecimal(x, apd.New(y, 0))
		case float64:
			f, _ := x.Float64()
			return cmpFloat(f, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0
			case !x:
				return -1
			}
			return 1
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	case IntervalValue:
		if y, ok := b.(IntervalValue); ok {
			return CompareIntervals(x, y)
		}
	case TimeOfDay:
		if y, ok := b.(TimeOfDay); ok {
			return cmpOrdered(int64(x), int64(y))
		}
	case TimeTZValue:
		if y, ok := b.(TimeTZValue); ok {
			return CompareTimeTZ(x, y)
		}
	case *Array:
		if y, ok := b.(*Array); ok {
			return compareArrays(x, y)
		}
	case *RecordValue:
		if y, ok := b.(*RecordValue); ok {
			return CompareRecords(x, y)
		}
	case *RegValue:
		if y, ok := b.(*RegValue); ok {
			return cmpOrdered(x.OID, y.OID)
		}
	case UUIDValue:
		if y, ok := b.(UUIDValue); ok {
			return compareUUID(x, y)
		}
	case InetValue:
		if y, ok := b.(InetValue); ok {
			return CompareInet(x, y)
		}
	case Money:
		if y, ok := b.(Money); ok {
			return cmpOrdered(int64(x), int64(y))
		}
	case Point, Lseg, Line, Box, *Path, *Polygon, Circle:
		if c, ok := compareGeometry(x, b); ok {
			return c
		}
	case MacAddrValue:
		if y, ok := b.(MacAddrValue); ok {
			return bytes.Compare(x[:], y[:])
		}
	case MacAddr8Value:
		if y, ok := b.(MacAddr8Value); ok {
			return bytes.Compare(x[:], y[:])
		}
	case *JSON:
		if y, ok := b.(*JSON); ok {
			return CompareJSON(x, y)
		}
	case EnumValue:
		if y, ok := b.(EnumValue); ok {
			return compareEnum(x, y)
		}
	}
	panic(pgerr.New(pgerr.InternalError, "cannot compare %T with %T", a, b))
}

func cmpOrdered[T int64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
