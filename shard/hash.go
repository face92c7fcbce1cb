package shard

import (
	"encoding/binary"
	"math"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// pgEpoch is PostgreSQL's epoch for date and timestamp values, 2000-01-01.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Hashable reports whether a column of type t can be a distribution
// column: whether its values have a canonical form in which equal values
// are equal bytes (doc.go lists them).
func Hashable(t types.T) bool {
	switch t.ID {
	case types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8,
		types.Numeric, types.Text, types.Varchar, types.Bpchar, types.SysName,
		types.Bytea, types.UUID, types.Date, types.Timestamp, types.TimestampTZ:
		return true
	}
	return false
}

// AppendCanonical appends the canonical binary form of d, a value of type
// t, to buf: the form HashValue hashes (doc.go, "Hashing"). A NULL has
// none (23502), nor has a value of a type Hashable refuses (0A000).
func AppendCanonical(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	if d == nil {
		return buf, pgerr.New(pgerr.NotNullViolation, "the distribution column cannot be null")
	}
	bad := func() ([]byte, error) {
		return buf, pgerr.New(pgerr.FeatureNotSupported, "cannot hash a value of type %s for %T", t.Name(), d)
	}
	switch t.ID {
	case types.Bool:
		v, ok := d.(bool)
		if !ok {
			return bad()
		}
		if v {
			return append(buf, 1), nil
		}
		return append(buf, 0), nil
	case types.Int2, types.Int4, types.Int8:
		v, ok := d.(int64)
		if !ok {
			return bad()
		}
		return binary.BigEndian.AppendUint64(buf, uint64(v)), nil
	case types.Float4, types.Float8:
		v, ok := d.(float64)
		if !ok {
			return bad()
		}
		switch {
		case v == 0:
			v = 0 // -0 = 0
		case math.IsNaN(v):
			v = math.NaN()
		}
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(v)), nil
	case types.Numeric:
		v, ok := d.(*apd.Decimal)
		if !ok {
			return bad()
		}
		var r apd.Decimal
		r.Reduce(v)
		if r.IsZero() {
			r.Negative = false
		}
		return append(buf, r.Text('E')...), nil
	case types.Text, types.Varchar, types.SysName, types.Bytea:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return append(buf, v...), nil
	case types.Bpchar:
		v, ok := d.(string)
		if !ok {
			return bad()
		}
		return append(buf, strings.TrimRight(v, " ")...), nil
	case types.UUID:
		v, ok := d.(types.UUIDValue)
		if !ok {
			return bad()
		}
		return append(buf, v[:]...), nil
	case types.Date, types.Timestamp, types.TimestampTZ:
		v, ok := d.(time.Time)
		if !ok {
			return bad()
		}
		var us int64
		switch types.Infinite(v) {
		case 1:
			us = math.MaxInt64
		case -1:
			us = math.MinInt64
		default:
			us = v.UnixMicro() - pgEpoch.UnixMicro()
		}
		return binary.BigEndian.AppendUint64(buf, uint64(us)), nil
	}
	return bad()
}

// HashValue is the 64-bit hash that places d, a value of type t, in a
// shard: xxhash64 of its canonical form.
func HashValue(t types.T, d types.Datum) (uint64, error) {
	var arr [32]byte
	b, err := AppendCanonical(arr[:0], t, d)
	if err != nil {
		return 0, err
	}
	return xxhash.Sum64(b), nil
}

// ShardIndex maps a value's hash to one of n shards: the hash space is cut
// into n ranges of equal width, the shard the range holding h. Ranges (not
// h mod n) keep neighbouring hashes together, so that a shard can later be
// split in two without touching the others.
func ShardIndex(h uint64, n int) int {
	hi := h >> 32
	return int(hi * uint64(n) >> 32)
}
