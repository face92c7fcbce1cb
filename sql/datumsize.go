package sql

import (
	"time"
	"unsafe"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/sql/types"
)

// Estimates of the memory rows and values take, for the statement memory
// accounting (memory.go). They are cheap (no reflect, no walk of anything
// but arrays) and approximate: Go's allocator rounds sizes up and the
// garbage collector lets the heap grow past what is live, which the budget
// a server sets must leave room for.
const (
	sliceHeaderBytes = 24 // a []Datum, or a string's header in a box
	interfaceBytes   = 16 // one Datum in a row or an array
	// wordBytes is a boxed int64 or float64, and a pointer.
	wordBytes = 8
	// timeBytes is a boxed time.Time.
	timeBytes = 24
	// decimalBytes is an *apd.Decimal whose coefficient fits its inline
	// words; larger coefficients add their bits.
	decimalBytes = 48
	// regValueBytes is a *RegValue without its name.
	regValueBytes = 32
	// hashEntryBytes is one entry of a Go map keyed by a string (without
	// the key's bytes): key header, value, and the map's own overhead.
	hashEntryBytes = 48
	// groupStateBytes is one group of an aggregate: its struct, its map
	// value and its slice of accumulators.
	groupStateBytes = 80
	// accumulatorBytes is one aggregate's state in one group.
	accumulatorBytes = int64(unsafe.Sizeof(accumulator{})) + wordBytes
	// aggPartBytes is one value array_agg or an ordered string_agg keeps,
	// without the value's payload.
	aggPartBytes = int64(unsafe.Sizeof(aggPart{}))
)

// rowBytes estimates the bytes a materialized row holds: its slice, its
// values and their payloads.
func rowBytes(row []types.Datum) int64 {
	n := int64(sliceHeaderBytes + interfaceBytes*len(row))
	for _, v := range row {
		n += datumBytes(v)
	}
	return n
}

// rowsOverhead is the bytes of n rows of width columns without their
// values' payloads: the slices and interface values alone.
func rowsOverhead(n, width int) int64 {
	return int64(n) * int64(sliceHeaderBytes+interfaceBytes*width)
}

// datumBytes estimates the bytes v refers to beyond its interface value.
func datumBytes(v types.Datum) int64 {
	switch x := v.(type) {
	case nil, bool:
		return 0
	case int64, float64:
		return wordBytes
	case string:
		return sliceHeaderBytes + int64(len(x))
	case []byte:
		return sliceHeaderBytes + int64(len(x))
	case time.Time:
		return timeBytes
	case *apd.Decimal:
		return decimalBytes + int64(x.Coeff.BitLen()/8)
	case *types.Array:
		n := int64(sliceHeaderBytes + wordBytes + interfaceBytes*len(x.Elems))
		for _, e := range x.Elems {
			n += datumBytes(e)
		}
		return n
	case *types.RegValue:
		return regValueBytes + int64(len(x.Name))
	case *types.JSON:
		return jsonBytes(x)
	}
	return wordBytes
}

// jsonBytes estimates the bytes of a jsonb value: its node, and what its
// strings, number and parts hold.
func jsonBytes(j *types.JSON) int64 {
	const nodeBytes = 160 // types.JSON's fields
	n := int64(nodeBytes + len(j.Str))
	if j.Num != nil {
		n += decimalBytes + int64(j.Num.Coeff.BitLen()/8)
	}
	for _, e := range j.Elems {
		n += wordBytes + jsonBytes(e)
	}
	for i, k := range j.Keys {
		n += sliceHeaderBytes + int64(len(k)) + wordBytes + jsonBytes(j.Vals[i])
	}
	return n
}
