package types

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Row values are stored as a count followed by one tagged value per column.
// The tags record the Go form of the datum, not the SQL type: the catalog
// knows the types.
const (
	tagNull byte = iota
	tagFalse
	tagTrue
	tagInt
	tagFloat
	tagString
	tagNumeric
	tagTime
	tagUUID
	tagJSONB
	tagInterval
	tagTimeOfDay
	tagTimeTZ
	// tagEnum is followed by the label's sort order (8 bytes) and the
	// label (a length and its bytes).
	tagEnum
	// tagInet is followed by the family (4 or 6), the mask length and
	// the address's 4 or 16 bytes.
	tagInet
	// tagMacAddr and tagMacAddr8 are followed by the address's 6 or 8
	// bytes.
	tagMacAddr
	tagMacAddr8
	// tagMoney is followed by the cents as a varint.
	tagMoney
	// tagGeometry is followed by the kind (geoKind), the number of
	// coordinates (a varint) and each one's 8 bytes.
	tagGeometry
	// tagArray is followed by the elements encoded as a row is (a count,
	// then one tagged value each).
	tagArray = 32
	// tagArrayShaped is an array that is not one-dimensional from 1: the
	// number of dimensions, each one's length and lower bound (varints),
	// then the elements as tagArray has them.
	tagArrayShaped = 40
	// tagRecord is followed by a composite value's fields encoded as a
	// row is (a count, then one tagged value each).
	tagRecord = 48
)

// EncodeRow encodes a row's values for storage in the heap.
func EncodeRow(row []Datum) []byte {
	return appendValues(make([]byte, 0, encodedSizeHint(row)), row)
}

// encodedSizeHint is room enough for most rows' encoding, so that
// EncodeRow allocates once: 16 bytes a value, plus the bytes of strings,
// which are copied as they are.
func encodedSizeHint(row []Datum) int {
	n := 16 * len(row)
	for _, d := range row {
		if s, ok := d.(string); ok {
			n += len(s)
		}
	}
	return n
}

// AppendRow appends EncodeRow's encoding of row to buf.
func AppendRow(buf []byte, row []Datum) []byte {
	return appendValues(buf, row)
}

// appendValues appends a count and one tagged value per datum.
func appendValues(buf []byte, row []Datum) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(row)))
	for _, d := range row {
		switch v := d.(type) {
		case nil:
			buf = append(buf, tagNull)
		case bool:
			if v {
				buf = append(buf, tagTrue)
			} else {
				buf = append(buf, tagFalse)
			}
		case int64:
			buf = binary.AppendVarint(append(buf, tagInt), v)
		case float64:
			buf = binary.BigEndian.AppendUint64(append(buf, tagFloat), math.Float64bits(v))
		case string:
			buf = binary.AppendUvarint(append(buf, tagString), uint64(len(v)))
			buf = append(buf, v...)
		case *apd.Decimal:
			s := v.String()
			buf = binary.AppendUvarint(append(buf, tagNumeric), uint64(len(s)))
			buf = append(buf, s...)
		case time.Time:
			buf = binary.AppendVarint(append(buf, tagTime), v.UnixMicro())
		case *Array:
			if v.Dims == nil {
				buf = appendValues(append(buf, tagArray), v.Elems)
				break
			}
			buf = binary.AppendUvarint(append(buf, tagArrayShaped), uint64(len(v.Dims)))
			for d := range v.Dims {
				buf = binary.AppendVarint(buf, int64(v.Dims[d]))
				buf = binary.AppendVarint(buf, int64(v.DimLower(d)))
			}
			buf = appendValues(buf, v.Elems)
		case *RecordValue:
			buf = appendValues(append(buf, tagRecord), v.Fields)
		case UUIDValue:
			buf = append(append(buf, tagUUID), v[:]...)
		case InetValue:
			buf = append(buf, tagInet, byte(v.Family()), v.Bits)
			buf = append(buf, v.Addr[:v.Size()]...)
		case MacAddrValue:
			buf = append(append(buf, tagMacAddr), v[:]...)
		case MacAddr8Value:
			buf = append(append(buf, tagMacAddr8), v[:]...)
		case Money:
			buf = binary.AppendVarint(append(buf, tagMoney), int64(v))
		case Point, Lseg, Line, Box, *Path, *Polygon, Circle:
			buf = appendGeometry(append(buf, tagGeometry), v)
		case *JSON:
			// jsonb is stored as its text form, read back by its input.
			s := v.AppendText(nil)
			buf = binary.AppendUvarint(append(buf, tagJSONB), uint64(len(s)))
			buf = append(buf, s...)
		case IntervalValue:
			buf = binary.AppendVarint(append(buf, tagInterval), int64(v.Months))
			buf = binary.AppendVarint(buf, int64(v.Days))
			buf = binary.AppendVarint(buf, v.Micros)
		case EnumValue:
			buf = binary.BigEndian.AppendUint64(append(buf, tagEnum), math.Float64bits(v.Order))
			buf = binary.AppendUvarint(buf, uint64(len(v.Label)))
			buf = append(buf, v.Label...)
		case TimeOfDay:
			buf = binary.AppendVarint(append(buf, tagTimeOfDay), int64(v))
		case TimeTZValue:
			buf = binary.AppendVarint(append(buf, tagTimeTZ), v.Micros)
			buf = binary.AppendVarint(buf, int64(v.Zone))
		default:
			panic(pgerr.New(pgerr.InternalError, "cannot store a value of Go type %T", d))
		}
	}
	return buf
}

func corruptRow() error {
	return pgerr.New(pgerr.DataCorrupted, "invalid row encoding")
}

// DecodeRow decodes a row EncodeRow encoded; a malformed row is an XX001
// error.
func DecodeRow(buf []byte) ([]Datum, error) {
	row, _, err := decodeValues(buf, ColumnsMax, 0)
	return row, err
}

// DecodeRowExtra is DecodeRow with room for extra more values after the
// row's, so that appending them (a system column) does not copy it.
func DecodeRowExtra(buf []byte, extra int) ([]Datum, error) {
	row, _, err := decodeValues(buf, ColumnsMax, extra)
	return row, err
}

// DecodeRowPrefix decodes the first n values of a row EncodeRow encoded
// (fewer if the row has fewer) and returns them with the row's number of
// values. The rest of the row is not read: a reader that needs only its
// leading columns (a table rewrite extracting the new key) skips the
// others' allocations.
func DecodeRowPrefix(buf []byte, n int) ([]Datum, int, error) {
	row, _, total, err := decodeSome(buf, ColumnsMax, 0, n)
	return row, total, err
}

// decodeValues decodes what appendValues wrote, at most most values, and
// returns the bytes after them.
func decodeValues(buf []byte, most uint64, extra int) ([]Datum, []byte, error) {
	row, rest, _, err := decodeSome(buf, most, extra, math.MaxInt)
	return row, rest, err
}

// decodeSome is decodeValues decoding only the first limit values, and
// returning the number of values the encoding holds; the bytes it returns
// follow the values decoded.
func decodeSome(buf []byte, most uint64, extra, limit int) ([]Datum, []byte, int, error) {
	n, k := binary.Uvarint(buf)
	if k <= 0 || n > most || n > uint64(len(buf)) {
		return nil, nil, 0, corruptRow()
	}
	buf = buf[k:]
	total := int(n)
	n = min(n, uint64(limit))
	row := make([]Datum, n, int(n)+extra)
	for i := range row {
		if len(buf) == 0 {
			return nil, nil, 0, corruptRow()
		}
		tag := buf[0]
		buf = buf[1:]
		switch tag {
		case tagNull:
		case tagFalse:
			row[i] = false
		case tagTrue:
			row[i] = true
		case tagInt:
			v, k := binary.Varint(buf)
			if k <= 0 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = v, buf[k:]
		case tagFloat:
			if len(buf) < 8 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = math.Float64frombits(binary.BigEndian.Uint64(buf)), buf[8:]
		case tagString, tagNumeric, tagJSONB:
			l, k := binary.Uvarint(buf)
			if k <= 0 || uint64(len(buf)-k) < l {
				return nil, nil, 0, corruptRow()
			}
			s := string(buf[k : k+int(l)])
			buf = buf[k+int(l):]
			if tag == tagString {
				row[i] = s
				continue
			}
			if tag == tagJSONB {
				j, err := ParseJSONB(s)
				if err != nil {
					return nil, nil, 0, corruptRow()
				}
				row[i] = j
				continue
			}
			d, _, err := apd.NewFromString(s)
			if err != nil {
				return nil, nil, 0, corruptRow()
			}
			row[i] = d
		case tagTime:
			v, k := binary.Varint(buf)
			if k <= 0 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = time.UnixMicro(v).UTC(), buf[k:]
		case tagArray:
			elems, rest, err := decodeValues(buf, math.MaxInt32, 0)
			if err != nil {
				return nil, nil, 0, err
			}
			row[i], buf = &Array{Elems: elems}, rest
		case tagRecord:
			fields, rest, err := decodeValues(buf, ColumnsMax, 0)
			if err != nil {
				return nil, nil, 0, err
			}
			row[i], buf = &RecordValue{Fields: fields}, rest
		case tagArrayShaped:
			n, k := binary.Uvarint(buf)
			if k <= 0 || n == 0 || n > MaxArrayDims {
				return nil, nil, 0, corruptRow()
			}
			buf = buf[k:]
			dims, lower := make([]int, n), make([]int, n)
			total := int64(1)
			for d := range dims {
				l, k1 := binary.Varint(buf)
				if k1 <= 0 {
					return nil, nil, 0, corruptRow()
				}
				lo, k2 := binary.Varint(buf[k1:])
				if k2 <= 0 || l < 0 || l > math.MaxInt32 || lo < math.MinInt32 || lo > math.MaxInt32 {
					return nil, nil, 0, corruptRow()
				}
				dims[d], lower[d], buf = int(l), int(lo), buf[k1+k2:]
				total *= l
				if total > math.MaxInt32 {
					return nil, nil, 0, corruptRow()
				}
			}
			elems, rest, err := decodeValues(buf, math.MaxInt32, 0)
			if err != nil {
				return nil, nil, 0, err
			}
			if int64(len(elems)) != total {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = NewArray(elems, dims, lower), rest
		case tagEnum:
			if len(buf) < 8 {
				return nil, nil, 0, corruptRow()
			}
			order := math.Float64frombits(binary.BigEndian.Uint64(buf))
			l, k := binary.Uvarint(buf[8:])
			if k <= 0 || uint64(len(buf)-8-k) < l {
				return nil, nil, 0, corruptRow()
			}
			row[i] = EnumValue{Order: order, Label: string(buf[8+k : 8+k+int(l)])}
			buf = buf[8+k+int(l):]
		case tagUUID:
			if len(buf) < 16 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = UUIDValue(buf[:16]), buf[16:]
		case tagInet:
			if len(buf) < 2 || buf[0] != 4 && buf[0] != 6 {
				return nil, nil, 0, corruptRow()
			}
			v := InetValue{V6: buf[0] == 6, Bits: buf[1]}
			if int(v.Bits) > v.MaxBits() || len(buf) < 2+v.Size() {
				return nil, nil, 0, corruptRow()
			}
			copy(v.Addr[:], buf[2:2+v.Size()])
			row[i], buf = v, buf[2+v.Size():]
		case tagMacAddr:
			if len(buf) < 6 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = MacAddrValue(buf[:6]), buf[6:]
		case tagMacAddr8:
			if len(buf) < 8 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = MacAddr8Value(buf[:8]), buf[8:]
		case tagMoney:
			v, k := binary.Varint(buf)
			if k <= 0 {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = Money(v), buf[k:]
		case tagGeometry:
			v, rest, ok := decodeGeometry(buf)
			if !ok {
				return nil, nil, 0, corruptRow()
			}
			row[i], buf = v, rest
		case tagInterval, tagTimeOfDay, tagTimeTZ:
			n := map[byte]int{tagInterval: 3, tagTimeOfDay: 1, tagTimeTZ: 2}[tag]
			var f [3]int64
			for j := 0; j < n; j++ {
				v, k := binary.Varint(buf)
				if k <= 0 {
					return nil, nil, 0, corruptRow()
				}
				f[j], buf = v, buf[k:]
			}
			switch tag {
			case tagInterval:
				if f[0] != int64(int32(f[0])) || f[1] != int64(int32(f[1])) {
					return nil, nil, 0, corruptRow()
				}
				row[i] = IntervalValue{Months: int32(f[0]), Days: int32(f[1]), Micros: f[2]}
			case tagTimeOfDay:
				row[i] = TimeOfDay(f[0])
			default:
				if f[1] != int64(int32(f[1])) {
					return nil, nil, 0, corruptRow()
				}
				row[i] = TimeTZValue{Micros: f[0], Zone: int32(f[1])}
			}
		default:
			return nil, nil, 0, corruptRow()
		}
	}
	return row, buf, total, nil
}

// KeyNull is the key encoding of NULL (index keys only: primary keys are
// never NULL). It sorts before every other value's tag.
const KeyNull byte = 0x05

// EncodeKey encodes primary and index key values so that equal keys give
// equal bytes and the encoding of one key is never a prefix of another's.
// Integers, floats, strings (in byte order, as cairn compares text, and
// bytea), uuids, booleans, times and network addresses sort in their SQL order, NULL first; numeric keys are
// canonical but sort in text order.
func EncodeKey(vals []Datum) []byte {
	return AppendKey(make([]byte, 0, keySizeHint(vals)), vals)
}

// keySizeHint is about the length of vals' key encoding: exact for the
// fixed-size values and unescaped strings that make most keys, so that
// EncodeKey allocates once rather than growing its buffer value by value
// (an int key took two allocations).
func keySizeHint(vals []Datum) int {
	n := 0
	for _, d := range vals {
		switch v := d.(type) {
		case string:
			n += 1 + len(v) + 2
		default:
			n += 1 + 8
		}
	}
	return n
}

// AppendKey appends EncodeKey's encoding of vals to buf.
func AppendKey(buf []byte, vals []Datum) []byte {
	for _, d := range vals {
		switch v := d.(type) {
		case nil:
			buf = append(buf, KeyNull)
		case bool:
			b := byte(0)
			if v {
				b = 1
			}
			buf = append(buf, 0x10, b)
		case int64:
			buf = binary.BigEndian.AppendUint64(append(buf, 0x11), uint64(v)^(1<<63))
		case float64:
			buf = appendFloatKey(append(buf, 0x12), v)
		case string:
			buf = appendEscaped(append(buf, 0x13), v)
		case *apd.Decimal:
			var r apd.Decimal
			r.Reduce(v)
			if r.IsZero() {
				r.Negative = false // -0 equals 0
			}
			buf = appendEscaped(append(buf, 0x14), r.String())
		case time.Time:
			buf = binary.BigEndian.AppendUint64(append(buf, 0x15), uint64(v.UnixMicro())^(1<<63))
		case *RegValue:
			buf = binary.BigEndian.AppendUint64(append(buf, 0x11), uint64(v.OID)^(1<<63))
		case UUIDValue:
			buf = append(append(buf, 0x17), v[:]...)
		case InetValue:
			buf = appendInetKey(append(buf, 0x1e), v)
		case MacAddrValue:
			buf = append(append(buf, 0x1f), v[:]...)
		case MacAddr8Value:
			buf = append(append(buf, 0x20), v[:]...)
		case Money:
			buf = binary.BigEndian.AppendUint64(append(buf, 0x21), uint64(v)^(1<<63))
		case Point, Lseg, Line, Box, *Path, *Polygon, Circle:
			// Geometric values have no SQL order; equal values give
			// equal keys.
			buf = appendGeometry(append(buf, 0x22), v)
		case *JSON:
			// Canonical, so equal jsonb values are equal keys; it does
			// not sort in jsonb's order.
			buf = appendJSONKey(append(buf, 0x18), v)
		case IntervalValue:
			// Equal intervals ('1 month', '30 days') give equal keys.
			days, rest := v.normalized()
			buf = binary.BigEndian.AppendUint64(append(buf, 0x19), uint64(days)^(1<<63))
			buf = binary.BigEndian.AppendUint64(buf, uint64(rest))
		case EnumValue:
			// The sort order alone: a label's key survives its renaming.
			buf = appendFloatKey(append(buf, 0x1c), v.Order)
		case TimeOfDay:
			buf = binary.BigEndian.AppendUint64(append(buf, 0x1a), uint64(v))
		case TimeTZValue:
			buf = binary.BigEndian.AppendUint64(append(buf, 0x1b), uint64(v.Micros+int64(v.Zone)*usecsPerSec)^(1<<63))
			buf = binary.BigEndian.AppendUint32(buf, uint32(v.Zone)^(1<<31))
		case *Array:
			// The elements, then (but for a one-dimensional array from
			// 1, whose key ends there) 0x02 and the shape, so that
			// {{1,2}} and [0:1]={1,2} differ from {1,2} and arrays
			// sort by their elements first, as btarraycmp does.
			buf = append(buf, 0x16)
			for _, e := range v.Elems {
				buf = append(buf, 0x01)
				buf = append(buf, EncodeKey([]Datum{NormalizeForKey(e)})...)
			}
			buf = append(buf, 0x00)
			if v.Dims != nil {
				buf = append(buf, 0x02, byte(len(v.Dims)))
				for d := range v.Dims {
					buf = binary.BigEndian.AppendUint32(buf, uint32(v.Dims[d]))
					buf = binary.BigEndian.AppendUint32(buf, uint32(v.DimLower(d))^(1<<31))
				}
			}
		case *RecordValue:
			// Field by field, as record_cmp orders them.
			buf = append(buf, 0x1d)
			for _, f := range v.Fields {
				buf = append(buf, 0x01)
				buf = append(buf, EncodeKey([]Datum{NormalizeForKey(f)})...)
			}
			buf = append(buf, 0x00)
		default:
			panic(pgerr.New(pgerr.InternalError, "cannot use a value of Go type %T as a key", d))
		}
	}
	return buf
}

// appendFloatKey appends v's 8 bytes in an order-preserving form.
func appendFloatKey(buf []byte, v float64) []byte {
	bits := math.Float64bits(v)
	switch {
	case v == 0:
		bits = 0 // -0 equals 0
	case math.IsNaN(v):
		// Every NaN equals every other and sorts above Infinity; float
		// arithmetic can make one with the sign bit set (0/0 and Inf-Inf
		// on amd64).
		bits = 0x7ff8000000000001
	}
	if bits&(1<<63) != 0 {
		bits = ^bits
	} else {
		bits |= 1 << 63
	}
	return binary.BigEndian.AppendUint64(buf, bits)
}

// appendEscaped writes s with 0x00 escaped as 0x00 0xff and a 0x00 0x01
// terminator, which keeps byte order and makes the encoding self-delimiting.
func appendEscaped(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			buf = append(buf, 0, 0xff)
			continue
		}
		buf = append(buf, s[i])
	}
	return append(buf, 0, 1)
}

// NormalizeForKey makes equal values of different Go forms encode alike.
func NormalizeForKey(v Datum) Datum {
	if f, ok := v.(float64); ok && f == 0 {
		return 0.0
	}
	return v
}
