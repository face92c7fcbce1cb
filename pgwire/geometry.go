package pgwire

import (
	"encoding/binary"
	"math"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The binary send and receive forms of the geometric types and money
// (geo_ops.c's *_send and *_recv, cash_send, cash_recv): each coordinate
// as a big-endian float8, in the order types.GeoFloats lists them; a path
// starts with its closed flag (a byte) and its point count (int32), a
// polygon with its point count; money is its cents as an int8.

func appendGeoBinary(buf []byte, d types.Datum) []byte {
	switch v := d.(type) {
	case *types.Path:
		closed := byte(0)
		if v.Closed {
			closed = 1
		}
		buf = binary.BigEndian.AppendUint32(append(buf, closed), uint32(len(v.P)))
	case *types.Polygon:
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(v.P)))
	}
	for _, f := range types.GeoFloats(d) {
		buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(f))
	}
	return buf
}

// decodeGeoBinary is the receive function of geometric type t, with
// PostgreSQL's errors (22P03).
func decodeGeoBinary(t types.T, raw []byte, bad func() error) (types.Datum, error) {
	floats := func(b []byte, n int) ([]float64, bool) {
		if len(b) != 8*n {
			return nil, false
		}
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Float64frombits(binary.BigEndian.Uint64(b[8*i:]))
		}
		return out, true
	}
	points := func(f []float64) []types.Point {
		pts := make([]types.Point, len(f)/2)
		for i := range pts {
			pts[i] = types.Point{X: f[2*i], Y: f[2*i+1]}
		}
		return pts
	}
	fixed := map[types.ID]int{types.PointType: 2, types.LsegType: 4, types.BoxType: 4, types.LineType: 3, types.CircleType: 3}
	if n, ok := fixed[t.ID]; ok {
		f, ok := floats(raw, n)
		if !ok {
			return nil, bad()
		}
		switch t.ID {
		case types.PointType:
			return types.Point{X: f[0], Y: f[1]}, nil
		case types.LsegType:
			return types.Lseg{P: [2]types.Point{{X: f[0], Y: f[1]}, {X: f[2], Y: f[3]}}}, nil
		case types.BoxType:
			// box_recv puts the corners in order, as box_in does.
			return types.MakeBox(types.Point{X: f[0], Y: f[1]}, types.Point{X: f[2], Y: f[3]}), nil
		case types.LineType:
			if types.FPzero(f[0]) && types.FPzero(f[1]) {
				return nil, pgerr.New(invalidBinaryRepresentation, "invalid line specification: A and B cannot both be zero")
			}
			return types.Line{A: f[0], B: f[1], C: f[2]}, nil
		default:
			if f[2] < 0 {
				return nil, pgerr.New(invalidBinaryRepresentation, "invalid radius in external \"circle\" value")
			}
			return types.Circle{Center: types.Point{X: f[0], Y: f[1]}, R: f[2]}, nil
		}
	}
	head := 4
	if t.ID == types.PathType {
		head = 5
	}
	if len(raw) < head {
		return nil, bad()
	}
	n := int64(int32(binary.BigEndian.Uint32(raw[head-4:])))
	if n <= 0 || n >= (math.MaxInt32-16)/16 {
		return nil, pgerr.New(invalidBinaryRepresentation, "invalid number of points in external \"%s\" value", t.Name())
	}
	f, ok := floats(raw[head:], int(2*n))
	if !ok {
		return nil, bad()
	}
	if t.ID == types.PathType {
		return &types.Path{Closed: raw[0] != 0, P: points(f)}, nil
	}
	return types.MakePolygon(points(f)), nil
}
