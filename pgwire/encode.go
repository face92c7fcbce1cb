package pgwire

import (
	"encoding/binary"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// invalidBinaryRepresentation is SQLSTATE 22P03, which internal/pgerr does
// not name.
const invalidBinaryRepresentation = "22P03"

// invalidTimeZoneDisplacement is SQLSTATE 22009.
const invalidTimeZoneDisplacement = "22009"

// rowDescription describes cols; formats holds one code per column, or is
// nil for all text.
func rowDescription(cols []sql.Column, formats []int16) *pgproto3.RowDescription {
	fields := make([]pgproto3.FieldDescription, len(cols))
	for i, col := range cols {
		f := pgproto3.FieldDescription{
			Name:                 []byte(col.Name),
			TableOID:             col.TableID,
			TableAttributeNumber: uint16(col.Attr),
			DataTypeOID:          col.Type.TypeOID(),
			DataTypeSize:         col.Type.Size(),
			TypeModifier:         wireTypeModifier(col.Type),
		}
		if formats != nil {
			f.Format = formats[i]
		}
		fields[i] = f
	}
	return &pgproto3.RowDescription{Fields: fields}
}

// sendRowDescription appends a RowDescription of cols (formats as in
// rowDescription) straight into the output buffer: the same bytes as
// rowDescription's message encodes to, without building it.
func (c *conn) sendRowDescription(cols []sql.Column, formats []int16) {
	if len(cols) > math.MaxUint16 {
		c.send(rowDescription(cols, formats)) // logs that it cannot be encoded
		return
	}
	dst := append(c.wbuf, 'T', 0, 0, 0, 0)
	start := len(dst) - 4
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(cols)))
	for i, col := range cols {
		dst = append(dst, col.Name...)
		dst = append(dst, 0)
		dst = binary.BigEndian.AppendUint32(dst, col.TableID)
		dst = binary.BigEndian.AppendUint16(dst, uint16(col.Attr))
		dst = binary.BigEndian.AppendUint32(dst, uint32(col.Type.ID))
		dst = binary.BigEndian.AppendUint16(dst, uint16(col.Type.Size()))
		dst = binary.BigEndian.AppendUint32(dst, uint32(wireTypeModifier(col.Type)))
		var format int16
		if formats != nil {
			format = formats[i]
		}
		dst = binary.BigEndian.AppendUint16(dst, uint16(format))
	}
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start))
	c.wbuf = dst
}

// wireTypeModifier is atttypmod as PostgreSQL sends it. sql.Type.Mod is the
// n of varchar(n) and character(n), which PostgreSQL stores as n+4
// (VARHDRSZ); no other type sends a modifier yet.
func wireTypeModifier(t types.T) int32 {
	if (t.ID == types.Varchar || t.ID == types.Bpchar) && t.Mod >= 0 {
		return t.Mod + 4
	}
	return -1
}

// sendDataRow appends a DataRow for row straight into the output buffer,
// text values printed under the session's output settings st. On error
// nothing is appended.
func (c *conn) sendDataRow(cols []sql.Column, row []types.Datum, formats []int16, st types.Style) error {
	if len(row) != len(cols) {
		return pgerr.New(pgerr.InternalError, "row has %d values for %d columns", len(row), len(cols))
	}
	start := len(c.wbuf)
	buf := append(c.wbuf, 'D', 0, 0, 0, 0)
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(row)))
	for i, d := range row {
		if d == nil {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32) // -1: NULL
			continue
		}
		lenAt := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		if formats == nil || formats[i] == formatText {
			buf = append(buf, types.FormatTextStyle(cols[i].Type, d, st)...)
		} else {
			var err error
			if buf, err = c.appendBinary(buf, cols[i].Type, d); err != nil {
				c.wbuf = buf[:start]
				return err
			}
		}
		binary.BigEndian.PutUint32(buf[lenAt:], uint32(len(buf)-lenAt-4))
	}
	binary.BigEndian.PutUint32(buf[start+1:], uint32(len(buf)-start-1))
	c.wbuf = buf
	return nil
}

// typeStyle is the session's Style for the text form of values.
func (c *conn) typeStyle() types.Style {
	if s, ok := c.sess.(StyleSession); ok {
		return s.TypeStyle()
	}
	return types.Style{}
}

// appendBinary appends the binary send form of d as type t.
func (c *conn) appendBinary(buf []byte, t types.T, d types.Datum) ([]byte, error) {
	var v any = d
	switch x := d.(type) {
	case types.EnumValue:
		// enum_send: the label's bytes.
		return append(buf, x.Label...), nil
	case string:
		// text, varchar, unknown and bytea all send their bytes as they
		// are; an empty "char" is the byte 0, as charsend writes it.
		if t.ID == types.Char && x == "" {
			return append(buf, 0), nil
		}
		if t.ID == types.Aclitem {
			// PostgreSQL has no aclitem_send either.
			return buf, pgerr.New(pgerr.UndefinedFunction, "no binary output function available for type aclitem")
		}
		if t.ID == types.JSONPathType {
			// jsonpath_send: a version byte, 1, then the text.
			return append(append(buf, 1), x...), nil
		}
		return append(buf, x...), nil
	case int64:
		switch t.ID {
		case types.Int2:
			if x < math.MinInt16 || x > math.MaxInt16 {
				return buf, pgerr.New(pgerr.NumericValueOutOfRange, "smallint out of range")
			}
			v = int16(x)
		case types.Int4:
			if x < math.MinInt32 || x > math.MaxInt32 {
				return buf, pgerr.New(pgerr.NumericValueOutOfRange, "integer out of range")
			}
			v = int32(x)
		case types.OID:
			if x < 0 || x > math.MaxUint32 {
				return buf, pgerr.New(pgerr.NumericValueOutOfRange, "OID out of range")
			}
			return binary.BigEndian.AppendUint32(buf, uint32(x)), nil
		}
	case *types.RegValue:
		// A reg value is sent as its oid.
		return binary.BigEndian.AppendUint32(buf, uint32(x.OID)), nil
	case float64:
		if t.ID == types.Float4 {
			return binary.BigEndian.AppendUint32(buf, math.Float32bits(float32(x))), nil
		}
	case types.UUIDValue:
		return append(buf, x[:]...), nil
	case types.InetValue:
		return appendInetBinary(buf, t, x), nil
	case types.MacAddrValue:
		return append(buf, x[:]...), nil
	case types.MacAddr8Value:
		return append(buf, x[:]...), nil
	case types.Money:
		return binary.BigEndian.AppendUint64(buf, uint64(x)), nil
	case types.Point, types.Lseg, types.Line, types.Box, *types.Path, *types.Polygon, types.Circle:
		return appendGeoBinary(buf, x), nil
	case *apd.Decimal:
		v = numericToPG(x)
	case *types.Array:
		return c.appendBinaryArray(buf, t, x)
	case *types.RecordValue:
		return c.appendBinaryRecord(buf, t, x)
	case *types.JSON:
		// jsonb_send: a version byte, 1, then the text form.
		return x.AppendText(append(buf, 1)), nil
	case time.Time:
		// The infinite timestamps and dates are the largest and
		// smallest values of the binary form.
		if inf := types.Infinite(x); inf != 0 {
			if t.ID == types.Date {
				return binary.BigEndian.AppendUint32(buf, map[int]uint32{1: math.MaxInt32, -1: 1 << 31}[inf]), nil
			}
			return binary.BigEndian.AppendUint64(buf, map[int]uint64{1: math.MaxInt64, -1: 1 << 63}[inf]), nil
		}
	case types.IntervalValue:
		// interval_send: microseconds, days, months.
		buf = binary.BigEndian.AppendUint64(buf, uint64(x.Micros))
		buf = binary.BigEndian.AppendUint32(buf, uint32(x.Days))
		return binary.BigEndian.AppendUint32(buf, uint32(x.Months)), nil
	case types.TimeOfDay:
		return binary.BigEndian.AppendUint64(buf, uint64(x)), nil
	case types.TimeTZValue:
		// timetz_send: microseconds, then the zone in seconds west of UTC.
		buf = binary.BigEndian.AppendUint64(buf, uint64(x.Micros))
		return binary.BigEndian.AppendUint32(buf, uint32(x.Zone)), nil
	}
	out, err := c.types.Encode(uint32(t.ID), pgtype.BinaryFormatCode, v, buf)
	if err != nil {
		return buf, pgerr.Wrapf(err, pgerr.InternalError, "cannot send %T as %s in binary", d, t.Name())
	}
	return out, nil
}

// appendBinaryArray appends array_send's form of an array: the number of
// dimensions (0 for an empty array, as PostgreSQL sends '{}'), a
// has-NULLs flag, the element type, each dimension's length and lower
// bound, then each element in row-major order as a length-prefixed binary
// value (-1 for NULL).
func (c *conn) appendBinaryArray(buf []byte, t types.T, a *types.Array) ([]byte, error) {
	elem, ok := t.Elem()
	if !ok {
		return buf, pgerr.New(pgerr.InternalError, "cannot send an array as %s", t.Name())
	}
	ndim, hasNull := uint32(a.NDims()), uint32(0)
	for _, e := range a.Elems {
		if e == nil {
			hasNull = 1
		}
	}
	buf = binary.BigEndian.AppendUint32(buf, ndim)
	buf = binary.BigEndian.AppendUint32(buf, hasNull)
	buf = binary.BigEndian.AppendUint32(buf, elem.TypeOID())
	if ndim == 0 {
		return buf, nil
	}
	for d := 0; d < int(ndim); d++ {
		lower := int64(a.DimLower(d))
		if t.ID == types.Int2Vector {
			lower = types.LowerBound(t)
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(a.DimLen(d)))
		buf = binary.BigEndian.AppendUint32(buf, uint32(int32(lower)))
	}
	for _, e := range a.Elems {
		if e == nil {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32)
			continue
		}
		lenAt := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = c.appendBinary(buf, elem, e); err != nil {
			return buf, err
		}
		binary.BigEndian.PutUint32(buf[lenAt:], uint32(len(buf)-lenAt-4))
	}
	return buf, nil
}

// appendBinaryRecord appends record_send's form: the number of fields,
// then each field's type oid and its length-prefixed binary value (-1 for
// NULL). The fields are typed by t's shape when it has one (a composite
// value read from storage carries none, and lacks the fields added to its
// type after it was stored, which are NULL).
func (c *conn) appendBinaryRecord(buf []byte, t types.T, r *types.RecordValue) ([]byte, error) {
	shape := r.Shape
	if t.ID == types.Record && t.Shape != nil {
		shape = t.Shape
	}
	if shape == nil {
		return buf, pgerr.New(pgerr.InternalError, "record value without a description of its fields")
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(shape.Types)))
	for i, ft := range shape.Types {
		var f types.Datum
		if i < len(r.Fields) {
			f = r.Fields[i]
		}
		buf = binary.BigEndian.AppendUint32(buf, ft.TypeOID())
		if f == nil {
			buf = binary.BigEndian.AppendUint32(buf, math.MaxUint32)
			continue
		}
		lenAt := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		var err error
		if buf, err = c.appendBinary(buf, ft, f); err != nil {
			return buf, err
		}
		binary.BigEndian.PutUint32(buf[lenAt:], uint32(len(buf)-lenAt-4))
	}
	return buf, nil
}

func numericToPG(d *apd.Decimal) pgtype.Numeric {
	switch d.Form {
	case apd.NaN, apd.NaNSignaling:
		return pgtype.Numeric{NaN: true, Valid: true}
	case apd.Infinite:
		if d.Negative {
			return pgtype.Numeric{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
		}
		return pgtype.Numeric{InfinityModifier: pgtype.Infinity, Valid: true}
	}
	mant, exp := types.NumericParts(d)
	return pgtype.Numeric{Int: mant, Exp: exp, Valid: true}
}

func numericFromPG(n pgtype.Numeric) *apd.Decimal {
	switch {
	case n.NaN:
		return &apd.Decimal{Form: apd.NaN}
	case n.InfinityModifier == pgtype.Infinity:
		return &apd.Decimal{Form: apd.Infinite}
	case n.InfinityModifier == pgtype.NegativeInfinity:
		return &apd.Decimal{Form: apd.Infinite, Negative: true}
	}
	d := &apd.Decimal{Exponent: n.Exp}
	if n.Int != nil {
		d.Coeff.SetMathBigInt(new(big.Int).Abs(n.Int))
		d.Negative = n.Int.Sign() < 0
	}
	return d
}

// infiniteTime is the infinite timestamp or date of a binary parameter.
func infiniteTime(m pgtype.InfinityModifier) time.Time {
	if m == pgtype.Infinity {
		return types.InfinityTime
	}
	return types.NegInfinityTime
}

// decodeTextParam converts a text-format parameter as the type's input
// function does. An unspecified type leaves it a string.
func (c *conn) decodeTextParam(t types.T, raw []byte, st types.Style) (types.Datum, error) {
	s := string(raw)
	if err := checkUTF8(s); err != nil {
		return nil, err
	}
	if t.ID == 0 || t.ID == types.Unknown {
		return s, nil
	}
	if t.IsUser() {
		// An enum's labels are in the catalog, which the statement
		// reads when it runs (sql.Session reads the text then).
		return s, nil
	}
	return types.ParseTextStyle(t, s, st)
}

// decodeBinaryParam converts a binary-format parameter (number n, 1-based)
// to its Datum form.
func (c *conn) decodeBinaryParam(t types.T, raw []byte, n int) (types.Datum, error) {
	oid := uint32(t.ID)
	bad := func() error {
		return pgerr.New(invalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", n)
	}
	if t.IsEnum() {
		// enum_recv: the label's bytes, read as text is.
		return c.decodeTextParam(t, raw, types.Style{})
	}
	if t.IsComposite() {
		return c.decodeBinaryRecord(t, raw, n)
	}
	switch t.ID {
	case types.Bool:
		var v bool
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil {
			return nil, bad()
		}
		return v, nil
	case types.Int2, types.Int4, types.Int8:
		var v int64
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil {
			return nil, bad()
		}
		return v, nil
	case types.Float8:
		var v float64
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil {
			return nil, bad()
		}
		return v, nil
	case types.Float4:
		if len(raw) != 4 {
			return nil, bad()
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(raw))), nil
	case types.Bytea:
		return string(raw), nil
	case types.UUID:
		if len(raw) != 16 {
			return nil, bad()
		}
		return types.UUIDValue(raw), nil
	case types.Inet, types.Cidr:
		return decodeInetBinary(t, raw)
	case types.MoneyType:
		if len(raw) != 8 {
			return nil, bad()
		}
		return types.Money(int64(binary.BigEndian.Uint64(raw))), nil
	case types.PointType, types.LsegType, types.LineType, types.BoxType, types.PathType, types.PolygonType, types.CircleType:
		return decodeGeoBinary(t, raw, bad)
	case types.MacAddr:
		if len(raw) != 6 {
			return nil, bad()
		}
		return types.MacAddrValue(raw), nil
	case types.MacAddr8:
		// macaddr8_recv takes a 48-bit address too, as EUI-64.
		switch len(raw) {
		case 6:
			return types.MacAddr8Value{raw[0], raw[1], raw[2], 0xff, 0xfe, raw[3], raw[4], raw[5]}, nil
		case 8:
			return types.MacAddr8Value(raw), nil
		}
		return nil, bad()
	case types.Numeric:
		var v pgtype.Numeric
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil || !v.Valid {
			return nil, bad()
		}
		return numericFromPG(v), nil
	case types.Char:
		if len(raw) != 1 {
			return nil, bad()
		}
		if raw[0] == 0 {
			return "", nil
		}
		return string(raw), nil
	case 0, types.Unknown, types.Text, types.Varchar, types.Bpchar, types.SysName, types.JSONType:
		// Binary text is the string's bytes; json's binary form is its
		// text.
		return c.decodeTextParam(t, raw, types.Style{})
	case types.JSONB, types.JSONPathType:
		// jsonb_recv and jsonpath_recv: version 1 and the text form.
		if len(raw) == 0 || raw[0] != 1 {
			v := 0
			if len(raw) > 0 {
				v = int(raw[0])
			}
			return nil, pgerr.New(pgerr.InternalError, "unsupported %s version number %d", t.Name(), v)
		}
		return c.decodeTextParam(t, raw[1:], types.Style{})
	case types.OID:
		if len(raw) != 4 {
			return nil, bad()
		}
		return int64(binary.BigEndian.Uint32(raw)), nil
	case types.Date:
		var v pgtype.Date
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil || !v.Valid {
			return nil, bad()
		}
		if v.InfinityModifier != pgtype.Finite {
			return infiniteTime(v.InfinityModifier), nil
		}
		y, m, d := v.Time.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case types.Timestamp:
		var v pgtype.Timestamp
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil || !v.Valid {
			return nil, bad()
		}
		if v.InfinityModifier != pgtype.Finite {
			return infiniteTime(v.InfinityModifier), nil
		}
		w := v.Time
		return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC), nil
	case types.Interval:
		if len(raw) != 16 {
			return nil, bad()
		}
		v := types.IntervalValue{Micros: int64(binary.BigEndian.Uint64(raw)), Days: int32(binary.BigEndian.Uint32(raw[8:])), Months: int32(binary.BigEndian.Uint32(raw[12:]))}
		return types.AdjustInterval(v, t.Mod)
	case types.Time, types.TimeTZ:
		if len(raw) != 8 && t.ID == types.Time || len(raw) != 12 && t.ID == types.TimeTZ {
			return nil, bad()
		}
		us := int64(binary.BigEndian.Uint64(raw))
		if us < 0 || us > 24*3600*1000000 {
			return nil, pgerr.New(pgerr.DatetimeFieldOverflow, "time out of range")
		}
		if t.ID == types.Time {
			return types.RoundTime(types.TimeOfDay(us), t.Mod), nil
		}
		zone := int32(binary.BigEndian.Uint32(raw[8:]))
		if zone < -(15*3600+59*60+59) || zone > 15*3600+59*60+59 {
			return nil, pgerr.New(invalidTimeZoneDisplacement, "time zone displacement out of range")
		}
		return types.TimeTZValue{Micros: int64(types.RoundTime(types.TimeOfDay(us), t.Mod)), Zone: zone}, nil
	case types.TimestampTZ:
		var v pgtype.Timestamptz
		if c.types.Scan(oid, pgtype.BinaryFormatCode, raw, &v) != nil || !v.Valid {
			return nil, bad()
		}
		if v.InfinityModifier != pgtype.Finite {
			return infiniteTime(v.InfinityModifier), nil
		}
		return v.Time.UTC(), nil
	}
	if elem, ok := t.Elem(); ok {
		return c.decodeBinaryArray(t, elem, raw, n)
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "binary input for type %s is not supported", t.Name())
}

// decodeBinaryArray reads array_send's form (see appendBinaryArray), as
// array_recv does: up to six dimensions, or none for an empty array, of
// elements of the parameter's element type.
func (c *conn) decodeBinaryArray(t, elem types.T, raw []byte, n int) (types.Datum, error) {
	bad := func() error {
		return pgerr.New(invalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", n)
	}
	word := func() (uint32, bool) {
		if len(raw) < 4 {
			return 0, false
		}
		v := binary.BigEndian.Uint32(raw)
		raw = raw[4:]
		return v, true
	}
	ndim, ok1 := word()
	flags, ok2 := word()
	oid, ok3 := word()
	if !ok1 || !ok2 || !ok3 || flags > 1 {
		return nil, bad()
	}
	if types.ID(oid) != elem.ID {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "binary data has array element type %d instead of expected %d", oid, elem.ID)
	}
	if ndim == 0 {
		if len(raw) != 0 {
			return nil, bad()
		}
		return &types.Array{}, nil
	}
	if ndim > types.MaxArrayDims {
		return nil, pgerr.New(invalidBinaryRepresentation, "invalid number of dimensions: %d", ndim)
	}
	dims, lower := make([]int, ndim), make([]int, ndim)
	total := uint64(1)
	for d := range dims {
		n, ok1 := word()
		lo, ok2 := word()
		if !ok1 || !ok2 {
			return nil, bad()
		}
		dims[d], lower[d] = int(int32(n)), int(int32(lo))
		if dims[d] < 0 || int64(lower[d])+int64(dims[d])-1 > math.MaxInt32 {
			return nil, pgerr.New(pgerr.ProgramLimitExceeded, "array size exceeds the maximum allowed")
		}
		total *= uint64(n)
		if total > uint64(len(raw)/4) {
			return nil, bad()
		}
	}
	out := types.NewArray(make([]types.Datum, total), dims, lower)
	for i := range out.Elems {
		size, ok := word()
		if !ok {
			return nil, bad()
		}
		if size == math.MaxUint32 {
			continue // NULL
		}
		if uint64(size) > uint64(len(raw)) {
			return nil, bad()
		}
		v, err := c.decodeBinaryParam(elem, raw[:size], n)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = v
		raw = raw[size:]
	}
	if len(raw) != 0 {
		return nil, bad()
	}
	return out, nil
}

// checkUTF8 reports the first invalid sequence as PostgreSQL does: the
// bytes a sequence starting with that byte would span, in hex. NUL is
// invalid in text too.
func checkUTF8(s string) error {
	bad := -1
	for i := 0; i < len(s); {
		if s[i] == 0 {
			bad = i
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			bad = i
			break
		}
		i += size
	}
	if bad < 0 {
		return nil
	}
	n := utf8SequenceLen(s[bad])
	n = min(n, len(s)-bad)
	parts := make([]string, n)
	for j := range parts {
		parts[j] = "0x" + hex2(s[bad+j])
	}
	return pgerr.New(pgerr.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": %s", strings.Join(parts, " "))
}

// utf8SequenceLen is pg_utf_mblen: the length a sequence starting with b
// claims.
func utf8SequenceLen(b byte) int {
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xe0 == 0xc0:
		return 2
	case b&0xf0 == 0xe0:
		return 3
	case b&0xf8 == 0xf0:
		return 4
	}
	return 1
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&0xf]})
}

// decodeBinaryRecord is record_recv for a composite type: the number of
// fields, then each field's type oid (which must be the field's) and its
// length-prefixed binary value, -1 for NULL.
func (c *conn) decodeBinaryRecord(t types.T, raw []byte, n int) (types.Datum, error) {
	bad := func() error {
		return pgerr.New(invalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", n)
	}
	if len(raw) < 4 {
		return nil, bad()
	}
	shape := t.Shape
	count := int(int32(binary.BigEndian.Uint32(raw)))
	raw = raw[4:]
	if count != len(shape.Types) {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "wrong number of columns: %d, expected %d", count, len(shape.Types))
	}
	out := &types.RecordValue{Shape: shape, Fields: make([]types.Datum, count)}
	for i, ft := range shape.Types {
		if len(raw) < 8 {
			return nil, bad()
		}
		if oid := binary.BigEndian.Uint32(raw); oid != ft.TypeOID() {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "binary data has type %d instead of expected %d in record column %d", oid, ft.TypeOID(), i+1)
		}
		size := int32(binary.BigEndian.Uint32(raw[4:]))
		raw = raw[8:]
		if size == -1 {
			continue
		}
		if size < 0 || int(size) > len(raw) {
			return nil, bad()
		}
		v, err := c.decodeBinaryParam(ft, raw[:size], n)
		if err != nil {
			return nil, err
		}
		out.Fields[i], raw = v, raw[size:]
	}
	if len(raw) != 0 {
		return nil, bad()
	}
	return out, nil
}
